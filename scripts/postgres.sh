#!/usr/bin/env bash
# A private PostgreSQL for the worker's tests: `start` (install Debian's postgresql if missing,
# initdb + pg_ctl in a private data dir, 127.0.0.1 on a free port, create a database, print
# GEOJOBS_TEST_PG_URL=…), `url` (print the URL of the running one), `stop` (stop it, remove the dir).
# Runs the server as the `postgres` user when started as root. Directory: $GEOJOBS_PG_DIR
# (default /tmp/geojobs-pg). Usage in a shell: eval "$(scripts/postgres.sh start)".
set -euo pipefail
DIR="${GEOJOBS_PG_DIR:-/tmp/geojobs-pg}"
DB="${GEOJOBS_PG_DB:-geojobs_test}"

bindir() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  if [ -z "$d" ] && command -v pg_ctl >/dev/null 2>&1; then d="$(dirname "$(command -v pg_ctl)")"; fi
  printf '%s' "$d"
}

as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_if_missing() {
  if [ -n "$(bindir)" ] && [ -x "$(bindir)/initdb" ]; then return 0; fi
  if [ "$(id -u)" != "0" ]; then echo "postgresql is not installed and we are not root" >&2; exit 1; fi
  echo "installing postgresql (Debian package)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

case "${1:-}" in
  start)
    if [ -f "$DIR/url" ] && [ -f "$DIR/data/postmaster.pid" ]; then
      echo "export GEOJOBS_TEST_PG_URL=$(cat "$DIR/url")"; exit 0
    fi
    install_if_missing
    BIN="$(bindir)"
    rm -rf "$DIR"; mkdir -p "$DIR"
    if [ "$(id -u)" = "0" ]; then chown postgres: "$DIR"; fi
    as_pg "$BIN/initdb" -D "$DIR/data" -A trust -U postgres --no-sync -E UTF8 >"$DIR/initdb.log" 2>&1 \
      || { cat "$DIR/initdb.log" >&2; exit 1; }
    PORT="$(free_port)"
    as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
      -o "-h 127.0.0.1 -p $PORT -k $DIR -c fsync=off -c max_connections=200" start >&2 \
      || { cat "$DIR/server.log" >&2; exit 1; }
    as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB"
    URL="postgres://postgres@127.0.0.1:$PORT/$DB"
    echo "$URL" >"$DIR/url"
    echo "export GEOJOBS_TEST_PG_URL=$URL"
    ;;
  url)
    [ -f "$DIR/url" ] || { echo "not running (no $DIR/url)" >&2; exit 1; }
    cat "$DIR/url"
    ;;
  stop)
    BIN="$(bindir)"
    if [ -d "$DIR/data" ] && [ -n "$BIN" ]; then as_pg "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >&2 || true; fi
    rm -rf "$DIR"
    ;;
  *)
    echo "usage: $0 start|url|stop" >&2; exit 2
    ;;
esac
