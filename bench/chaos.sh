#!/usr/bin/env bash
# `make chaos`: mixed load against one gateway on a real SQLite file while `spool sim` (a separate process)
# injects faults and the gateway is killed (kill -9 or SIGTERM) once per cycle and started again on the same
# database. Prints a table and exits non-zero when a job was lost, got stuck or failed by a transient fault.
# Loopback only. Settings: SPOOL_BIN (.build/release/spool), CYCLES (20), CYCLE_SECONDS (12), RATE (submits/s, 4),
# SEED (1), DRAIN_SECONDS (180), FAIL_5XX (0.30), FAIL_429 (0.10), DROP (0.05), RUN_ERROR_RATE (0), SLOW (0: the
# share of fal answers delayed by 2 s, which widens the window in which a crash interrupts a submit), LOG_LEVEL (the
# gateway's, warning; info logs every retry), CHAOS_KEEP (a folder: on failure the logs and database are copied there).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
SIM="127.0.0.1:$(free_port)"
GATEWAY="127.0.0.1:$(free_port)"
SEED="${SEED:-1}"

"$SPOOL_BIN" sim --listen "$SIM" --queue-seconds 0.5 --run-seconds 1 --concurrency 1000 \
  --fail-5xx-rate "${FAIL_5XX:-0.30}" --fail-429-rate "${FAIL_429:-0.10}" --drop-rate "${DROP:-0.05}" \
  --run-error-rate "${RUN_ERROR_RATE:-0}" --slow-rate "${SLOW:-0}" --slow-seconds 2 --retry-after 1 --seed "$SEED" --log-level warning >"$work/sim.log" 2>&1 &
pids+=($!)
wait_for "http://$SIM/.well-known/jwks.json"
SPOOL_DB="$work/chaos.db" "$SPOOL_BIN" migrate --log-level warning >/dev/null
echo "machine: $(nproc) cores; $(date -u +%FT%TZ); emulator $SIM, gateway $GATEWAY, database $work/chaos.db"

status=0
python3 bench/chaos.py --spool "$SPOOL_BIN" --sim "$SIM" --gateway "$GATEWAY" --database "$work/chaos.db" \
  --log "$work/spool.log" --cycles "${CYCLES:-20}" --cycle-seconds "${CYCLE_SECONDS:-12}" --rate "${RATE:-4}" \
  --seed "$SEED" --drain-seconds "${DRAIN_SECONDS:-180}" --log-level "${LOG_LEVEL:-warning}" || status=$?
if [ "$status" -ne 0 ] && [ -n "${CHAOS_KEEP:-}" ]; then
  mkdir -p "$CHAOS_KEEP" && cp "$work"/*.log "$work"/chaos.db* "$CHAOS_KEEP"/ && echo "logs and database kept in $CHAOS_KEEP"
fi
exit "$status"
