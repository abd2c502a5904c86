#!/usr/bin/env bash
# The benchmark (README: Performance). `scripts/bench.sh [--postgres] [python -m bench options]`.
# Installs wrk through apt when root (else bench.loadgen loads gunicorn). With --postgres it starts a
# throwaway PostgreSQL cluster on loopback (scripts/throwaway_pg.sh), runs the bench on it, removes it.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing wrk through apt…"
    (apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null) \
      || echo "apt-get could not install wrk; gunicorn is loaded by bench.loadgen instead." >&2
  else
    echo "wrk is not installed; gunicorn is loaded by bench.loadgen, which shares the CPUs with it." >&2
  fi
fi

if [ "${1:-}" = "--postgres" ]; then
  shift
  source scripts/throwaway_pg.sh
  start_pg || { echo "PostgreSQL could not be started (is postgresql installed?)." >&2; exit 2; }
  as_pg "$(pg_bin)/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres medreview || exit 2
  echo "Throwaway PostgreSQL at $PG_DATABASE_URL"
  DATABASE_URL=$PG_DATABASE_URL $PY -m bench "$@"
  exit $?
fi
$PY -m bench "$@"  # SQLite, unless DATABASE_URL names a PostgreSQL database
