#!/usr/bin/env bash
# `make cluster`: three Spool replicas on one throwaway PostgreSQL, against one fal emulator, for trying out
# several replicas on one machine. Starts the server (scripts/postgres-test-server.sh: a fresh data folder, a unix
# socket only, never run as root), migrates once, starts `spool sim` and three `spool serve` on
# 127.0.0.1:8081-8083, prints their URLs and a dev key, and waits; Ctrl-C stops everything and deletes the data.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
spool=${SPOOL_BIN:-$root/.build/debug/spool}
ports=(8081 8082 8083)
sim_port=${SIM_PORT:-9090}
pids=()
folder=""

stop_all() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "$folder" ] && "$root/scripts/postgres-test-server.sh" stop "$folder"
  echo "cluster stopped"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

folder=$("$root/scripts/postgres-test-server.sh" start $$ | tail -1)
export SPOOL_DATABASE_URL="postgres://postgres@localhost:5432/postgres?host=$folder&sslmode=disable"
logs="$folder/logs"
mkdir -p "$logs"

"$spool" migrate
"$spool" sim --listen "127.0.0.1:$sim_port" >"$logs/sim.log" 2>&1 &
pids+=($!)

for index in "${!ports[@]}"; do
  port=${ports[$index]}
  SPOOL_LISTEN="127.0.0.1:$port" SPOOL_REPLICA_ID="replica-$((index + 1))" \
    SPOOL_FAL_QUEUE_URL="http://127.0.0.1:$sim_port" FAL_KEY="${FAL_KEY:-emulator-key}" \
    "$spool" serve >"$logs/replica-$((index + 1)).log" 2>&1 &
  pids+=($!)
done

for port in "${ports[@]}"; do
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { echo "replica on $port did not start: see $logs" >&2; exit 1; }
done

key=$("$spool" keys create --team dev | tail -1)
cat <<TEXT

Three replicas on one PostgreSQL (data in $folder, logs in $logs):
  http://127.0.0.1:8081   http://127.0.0.1:8082   http://127.0.0.1:8083
fal emulator: http://127.0.0.1:$sim_port   (GET /_sim/requests lists what it received)
dev key (team "dev"): $key
try: curl -s -H "Authorization: Bearer $key" -H 'Prefer: wait=60' -H 'Content-Type: application/json' \\
       -d '{"model":"kling-video-o3-pro-text-to-video","input":{"prompt":"a lighthouse at dusk"}}' http://127.0.0.1:8082/v1/jobs
SPOOL_DATABASE_URL=$SPOOL_DATABASE_URL
Ctrl-C stops everything.
TEXT
wait -n "${pids[@]}" || true
echo "a process of the cluster ended: see $logs" >&2
