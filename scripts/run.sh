#!/usr/bin/env bash
# `make run`: migrate the database, load the demo data, then serve http://$HOST:$PORT with one background worker
# beside the web server (README: Background work). Ctrl-C, or either of the two stopping, stops both.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
export DEBUG=${DEBUG:-1}

"$PY" manage.py migrate --noinput || exit 1
"$PY" manage.py createcachetable || exit 1
"$PY" manage.py demo || exit 1

# Each child in a process group of its own, so that stopping one stops what it started (the autoreloader runs
# the real server and worker in a child process of each).
set -m
"$PY" manage.py runserver "$HOST:$PORT" &
web=$!
"$PY" manage.py run_worker &
worker=$!

stop() {
  trap - INT TERM EXIT
  kill -TERM -- "-$web" "-$worker" 2>/dev/null
  wait
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT
echo "Serving http://$HOST:$PORT with one background worker (run_worker). Ctrl-C stops both."
wait -n   # the first of the two to end (a crash, the port in use) ends the other
