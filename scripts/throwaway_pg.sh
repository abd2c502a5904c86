# A throwaway PostgreSQL cluster on loopback, for scripts/test.sh and scripts/bench.sh (source this file).
# `start_pg` sets PG_DATABASE_URL and PGPORT; the cluster, its log included, is removed when the calling
# script exits.
# As root, the server runs as the postgres user (runuser), as initdb and postgres require.

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

PGROOT=""
stop_pg() { [ -n "$PGROOT" ] && { as_pg "$(pg_bin)/pg_ctl" -D "$PGROOT/data" -m immediate stop >/dev/null 2>&1; rm -rf "$PGROOT"; }; }
trap stop_pg EXIT

# start_pg [extra server options]: nothing in it is kept, so fsync is off.
start_pg() {
  local bin; bin=$(pg_bin); [ -n "$bin" ] || return 1
  PGROOT=$(mktemp -d /tmp/medreview-pg.XXXXXX)  # the cluster (data/), its log and its socket
  [ "$(id -u)" = 0 ] && chown postgres "$PGROOT"
  PGPORT=$(${PY:-python3} -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_pg "$bin/initdb" -D "$PGROOT/data" -A trust -U postgres >/dev/null || return 1
  as_pg "$bin/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/log" -w start \
    -o "-p $PGPORT -k $PGROOT -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100 $*" >/dev/null || return 1
  export PG_DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/medreview"
}
