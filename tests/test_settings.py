"""Configuration from the environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; django.setup(); "
                               "print(settings.DATABASES['default']['ENGINE'], settings.DEBUG, settings.SESSION_COOKIE_SECURE)"],
        cwd=ROOT, env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env}, capture_output=True, text=True,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_runs_with_a_development_key_on_sqlite():
    result = load_settings(DEBUG="1")
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "False"]


def test_database_url_selects_postgresql_and_production_cookies_are_secure():
    result = load_settings(SECRET_KEY="k" * 50, DATABASE_URL="postgres://u:p@db.internal:5432/medreview")
    assert result.stdout.split() == ["django.db.backends.postgresql", "False", "True"]


def deployment_check(**env):
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "ATTESTATION_KEY_FILE"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, capture_output=True, text=True,
        env={**clean, "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40, "ALLOWED_HOSTS": "articles.clinic.example",
             **env},
    )


def test_production_settings_pass_the_deployment_checks(attestation_key_file):
    result = deployment_check(ATTESTATION_KEY_FILE=str(attestation_key_file))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_an_attestation_key_fails_the_deployment_checks(tmp_path):
    result = deployment_check(ATTESTATION_KEY_FILE=str(tmp_path / "missing.pem"))
    assert result.returncode != 0
    assert f"ATTESTATION_KEY_FILE ({tmp_path / 'missing.pem'}) does not exist" in result.stderr


def _postgres_options(**env):
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "PG_OPTIONS", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    result = subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; django.setup(); "
                               "print(repr(settings.DATABASES['default'].get('OPTIONS', {}).get('options')))"],
        cwd=ROOT, capture_output=True, text=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "k" * 50,
             "DATABASE_URL": "postgres://u:p@db.internal:5432/medreview", **env},
    )
    return result.stdout.strip()


def test_postgresql_connections_turn_jit_off_unless_told_otherwise():
    assert _postgres_options() == repr("-c jit=off")
    assert _postgres_options(PG_OPTIONS="") == "None"  # behind PgBouncer, set it in postgresql.conf


def cache_settings(**env):
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DEBUG", "SECRET_KEY", "CACHE_BACKEND", "CACHE_LOCATION", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; django.setup(); "
                               "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'])"],
        cwd=ROOT, env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "k" * 50, **env},
        capture_output=True, text=True,
    )


def test_cache_is_local_memory_unless_told_otherwise():
    assert cache_settings().stdout.split() == ["django.core.cache.backends.locmem.LocMemCache", "medreview_cache"]


def test_cache_backend_selects_a_cache_several_app_servers_share():
    assert cache_settings(CACHE_BACKEND="database").stdout.split() == [
        "django.core.cache.backends.db.DatabaseCache", "medreview_cache"]
    assert cache_settings(CACHE_BACKEND="redis", CACHE_LOCATION="redis://cache.internal:6379/0").stdout.split() == [
        "django.core.cache.backends.redis.RedisCache", "redis://cache.internal:6379/0"]


def test_redis_cache_without_a_location_refuses_to_start():
    result = cache_settings(CACHE_BACKEND="redis")
    assert result.returncode != 0
    assert "CACHE_BACKEND=redis needs CACHE_LOCATION" in result.stderr
