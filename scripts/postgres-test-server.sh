#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: `start PARENT_PID` initialises a data folder, starts the server on
# a unix socket in that folder only (no TCP port, so nothing to collide with), and prints the folder on its last
# line; the server is stopped and the folder deleted by `stop FOLDER`, or at the latest when PARENT_PID exits.
# Runs the server as the `postgres` user when started as root (initdb refuses root).
set -euo pipefail

bin_dir() {
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -n "$newest" ]; then echo "$newest"; return; fi
  local initdb
  initdb=$(command -v initdb) || { echo "initdb not found: install Debian's postgresql package" >&2; exit 2; }
  dirname "$(readlink -f "$initdb")"
}

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop() {
  local folder=$1 bin
  bin=$(bin_dir)
  [ -d "$folder/data" ] && as_server_user "$bin/pg_ctl" -D "$folder/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$folder"
}

start() {
  local parent=$1 bin folder
  bin=$(bin_dir)
  folder=$(mktemp -d /tmp/spool-postgres.XXXXXX)
  chmod 755 "$folder"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$folder"
  as_server_user "$bin/initdb" -D "$folder/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    >"$folder/initdb.log" 2>&1 || { cat "$folder/initdb.log" >&2; rm -rf "$folder"; exit 1; }
  # Durability is not what the tests measure: skip the fsyncs so a busy machine starts and runs it quickly.
  as_server_user "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$folder' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$folder/server.log" >&2; rm -rf "$folder"; exit 1; }
  # The watchdog: whatever happens to the test process, the server does not outlive it.
  setsid bash -c "while kill -0 $parent 2>/dev/null; do sleep 1; done; '$0' stop '$folder'" </dev/null >/dev/null 2>&1 &
  echo "$folder"
}

case "${1:-}" in
  start) start "${2:?parent pid}" ;;
  stop) stop "${2:?folder}" ;;
  *) echo "usage: $0 start PARENT_PID | stop FOLDER" >&2; exit 64 ;;
esac
