"""Production settings plus what the benchmark's gunicorn needs: the floor views and its own static files."""

from config.settings import *  # noqa: F403
from config.settings import BASE_DIR

ROOT_URLCONF = "bench.urls"
STATIC_ROOT = BASE_DIR / "bench" / "results" / "static"
