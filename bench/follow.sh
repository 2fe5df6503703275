#!/usr/bin/env bash
# How many jobs one Spool process follows at fal at once, and at what cost: FOLLOW_JOBS jobs (10,000) held by
# `spool sim` for ten minutes, followed with the default poll schedule and status-call budget. Each of ROUNDS rounds
# (3) starts a fresh emulator and gateway and prints: the time from the first submit until every job is at fal,
# then, once all run at the emulator, the gateway's CPU share, resident memory and threads over 20 s and the status
# calls it made per second (its spool_fal_requests_total{operation="status"}), and the load average seen.
# FOLLOW_SIM and FOLLOW_GATEWAY move the emulator and the gateway off their default addresses.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
FOLLOW_JOBS="${FOLLOW_JOBS:-10000}"
ROUNDS="${ROUNDS:-3}"
SIM="${FOLLOW_SIM:-127.0.0.1:19091}"
GATEWAY="${FOLLOW_GATEWAY:-127.0.0.1:18082}"
ulimit -n "$(ulimit -Hn)"

depth() {
  curl -fsS "http://$GATEWAY/v1/queue" -H "Authorization: Bearer $ADMIN" | python3 -c "$1"
}
status_calls() {
  curl -fsS "http://$GATEWAY/metrics" -H "Authorization: Bearer $ADMIN" \
    | awk '/^spool_fal_requests_total\{/ && /operation="status"/ {sum += $NF} END {printf "%d\n", sum}'
}

for round in $(seq 1 "$ROUNDS"); do
  rm -f "$work"/follow.db*
  "$SPOOL_BIN" sim --listen $SIM --queue-seconds 0 --run-seconds 600 --concurrency 100000 --log-level warning \
    >"$work/sim.log" 2>&1 &
  sim=$!
  pids+=($sim)
  wait_for "http://$SIM/.well-known/jwks.json"
  SPOOL_LISTEN=$GATEWAY SPOOL_DB="$work/follow.db" FAL_KEY=bench SPOOL_FAL_QUEUE_URL="http://$SIM" \
    SPOOL_MAX_INFLIGHT=$((FOLLOW_JOBS + 100)) SPOOL_ADMIN_KEY=$ADMIN \
    "$SPOOL_BIN" serve --log-level warning >"$work/spool.log" 2>&1 &
  gateway=$!
  pids+=($gateway)
  wait_for "http://$GATEWAY/healthz"
  key=$(SPOOL_DB="$work/follow.db" "$SPOOL_BIN" keys create --team bench --log-level warning | tail -1)
  started=$(date +%s.%N)
  python3 bench/submit_many.py $GATEWAY "$key" "$FOLLOW_JOBS"
  until depth "import json,sys; d=json.load(sys.stdin)['depth']; sys.exit(0 if d['in_queue'] + d['in_progress'] == $FOLLOW_JOBS else 1)"; do
    sleep 0.2
  done
  at_fal=$(python3 -c "import time; print(f'{time.time() - $started:.1f}')")
  until depth "import json,sys; d=json.load(sys.stdin)['depth']; sys.exit(0 if d['in_progress'] == $FOLLOW_JOBS else 1)"; do
    sleep 0.5
  done
  ticks=$(getconf CLK_TCK)
  calls1=$(status_calls)
  read -r u1 s1 < <(awk '{print $14, $15}' /proc/$gateway/stat)
  sleep 20
  read -r u2 s2 < <(awk '{print $14, $15}' /proc/$gateway/stat)
  calls2=$(status_calls)
  cpu=$(( (u2 + s2 - u1 - s1) * 100 / (20 * ticks) ))
  rss=$(awk '/VmRSS/ {print $2, $3}' /proc/$gateway/status)
  threads=$(awk '/Threads/ {print $2}' /proc/$gateway/status)
  echo "round $round: $FOLLOW_JOBS submits to all at fal in ${at_fal} s; following them all over 20 s:" \
    "${cpu}% of one core, RSS $rss, $threads threads, $(( (calls2 - calls1) / 20 )) status calls/s;" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"
  kill -TERM "$gateway" "$sim"
  wait "$gateway" "$sim" 2>/dev/null || true
  pids=()
done
