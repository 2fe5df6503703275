#!/usr/bin/env bash
# Several replicas against one: the drain of DRAIN_JOBS jobs through `spool sim` answering at once, then durable
# submits (rate and p99 over DURATION seconds, jobs flowing to the emulator meanwhile), on
#   1. SQLite, one replica;
#   2. PostgreSQL, one replica;
#   3. PostgreSQL, three replicas, the load spread round them.
# PostgreSQL is a throwaway server of this run, durable as in production: fsync and synchronous_commit on.
# Settings: SPOOL_BIN (.build/release/spool), DURATION (10), DRAIN_JOBS (10000).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
DURATION="${DURATION:-10}"
DRAIN_JOBS="${DRAIN_JOBS:-10000}"
SIM=127.0.0.1:19190
PORTS=(18181 18182 18183)

as_server_user() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pg_folder=$(mktemp -d /tmp/spool-bench-postgres.XXXXXX)
chmod 755 "$pg_folder"
[ "$(id -u)" -eq 0 ] && chown postgres: "$pg_folder"
stop_postgres() { as_server_user "$pg_bin/pg_ctl" -D "$pg_folder/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$pg_folder"; }
trap 'cleanup; stop_postgres' EXIT
trap 'exit 130' INT TERM HUP PIPE
as_server_user "$pg_bin/initdb" -D "$pg_folder/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
as_server_user "$pg_bin/pg_ctl" -D "$pg_folder/data" -l "$pg_folder/server.log" -w \
  -o "-c listen_addresses='' -c unix_socket_directories='$pg_folder' -c fsync=on -c synchronous_commit=on -c max_connections=200" \
  start >/dev/null
postgres_url() { echo "postgres://postgres@localhost:5432/$1?host=$pg_folder&sslmode=disable"; }

"$SPOOL_BIN" sim --listen $SIM --queue-seconds 0 --run-seconds 0 --concurrency 100000 --log-level warning \
  >"$work/sim.log" 2>&1 &
pids+=($!)
wait_for "http://$SIM/.well-known/jwks.json"

replicas=()
serve() { # index, then the database's environment (SPOOL_DB=… or SPOOL_DATABASE_URL=…)
  env SPOOL_LISTEN="127.0.0.1:${PORTS[$1]}" "$2" SPOOL_REPLICA_ID="bench-$1" FAL_KEY=bench \
    SPOOL_FAL_QUEUE_URL="http://$SIM" SPOOL_MAX_INFLIGHT=512 SPOOL_ADMIN_KEY=$ADMIN \
    "$SPOOL_BIN" serve --log-level warning >>"$work/spool-$1.log" 2>&1 &
  pids+=($!)
  replicas+=($!)
  wait_for "http://127.0.0.1:${PORTS[$1]}/healthz"
}
stop_replicas() { for pid in "${replicas[@]}"; do kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; done; replicas=(); }
drained() {
  curl -fsS "http://127.0.0.1:${PORTS[0]}/v1/queue" -H "Authorization: Bearer $ADMIN" \
    | python3 -c 'import json,sys; d=json.load(sys.stdin)["depth"]; sys.exit(0 if sum(d.values()) == 0 else 1)'
}

run() { # label, replica count, database environment
  local label=$1 count=$2 database=$3 hosts="" key start
  env "$database" "$SPOOL_BIN" migrate --log-level warning >/dev/null
  for index in $(seq 0 $((count - 1))); do
    serve "$index" "$database"
    hosts+="${hosts:+,}127.0.0.1:${PORTS[$index]}"
  done
  key=$(env "$database" "$SPOOL_BIN" keys create --team bench --log-level warning | tail -1)
  echo "== $label"
  start=$(date +%s%N)
  printf '  %s-job drain:   ' "$DRAIN_JOBS"
  python3 bench/cluster_load.py "$hosts" "$key" --jobs "$DRAIN_JOBS" | tr -d '\n'
  until drained; do sleep 0.2; done
  echo ";  drained in $(( ($(date +%s%N) - start) / 1000000 )) ms (submits included)"
  # Last, as the jobs it adds are left queued when the replicas stop.
  printf '  submits for %ss:   ' "$DURATION"
  python3 bench/cluster_load.py "$hosts" "$key" --seconds "$DURATION"
  stop_replicas
}

echo "machine: $(nproc) cores; $(date -u +%FT%TZ); PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') with fsync and synchronous_commit on"
run "SQLite, one replica" 1 "SPOOL_DB=$work/bench.db"
as_server_user "$pg_bin/createdb" -h "$pg_folder" -U postgres one
run "PostgreSQL, one replica" 1 "SPOOL_DATABASE_URL=$(postgres_url one)"
as_server_user "$pg_bin/createdb" -h "$pg_folder" -U postgres three
run "PostgreSQL, three replicas" 3 "SPOOL_DATABASE_URL=$(postgres_url three)"
