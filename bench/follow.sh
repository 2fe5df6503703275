#!/usr/bin/env bash
# How many jobs one Spool process follows at fal at once, and at what cost: FOLLOW_JOBS jobs held IN_PROGRESS by
# `spool sim` for ten minutes, polled every 5 s (the default without callbacks); prints the gateway's CPU share,
# resident memory and thread count while it follows them all.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
FOLLOW_JOBS="${FOLLOW_JOBS:-5000}"
SIM=127.0.0.1:19091
GATEWAY=127.0.0.1:18082
ulimit -n "$(ulimit -Hn)"

"$SPOOL_BIN" sim --listen $SIM --queue-seconds 0 --run-seconds 600 --concurrency 100000 --log-level warning \
  >"$work/sim.log" 2>&1 &
pids+=($!)
wait_for "http://$SIM/.well-known/jwks.json"
SPOOL_LISTEN=$GATEWAY SPOOL_DB="$work/follow.db" FAL_KEY=bench SPOOL_FAL_QUEUE_URL="http://$SIM" \
  SPOOL_MAX_INFLIGHT=$((FOLLOW_JOBS + 100)) SPOOL_ADMIN_KEY=$ADMIN \
  "$SPOOL_BIN" serve --log-level warning >"$work/spool.log" 2>&1 &
gateway=$!
pids+=($gateway)
wait_for "http://$GATEWAY/healthz"
key=$(SPOOL_DB="$work/follow.db" "$SPOOL_BIN" keys create --team bench --log-level warning | tail -1)
sleep 1.5
python3 bench/submit_many.py $GATEWAY "$key" "$FOLLOW_JOBS"
until curl -fsS "http://$GATEWAY/v1/queue" -H "Authorization: Bearer $ADMIN" \
  | python3 -c "import json,sys; d=json.load(sys.stdin)['depth']; sys.exit(0 if d['in_progress'] == $FOLLOW_JOBS else 1)"; do
  sleep 0.5
done
echo "following $FOLLOW_JOBS jobs in progress at the emulator (status poll every 5 s each)"
ticks=$(getconf CLK_TCK)
read -r u1 s1 < <(awk '{print $14, $15}' /proc/$gateway/stat)
sleep 20
read -r u2 s2 < <(awk '{print $14, $15}' /proc/$gateway/stat)
cpu=$(( (u2 + s2 - u1 - s1) * 100 / (20 * ticks) ))
rss=$(awk '/VmRSS/ {print $2, $3}' /proc/$gateway/status)
threads=$(awk '/Threads/ {print $2}' /proc/$gateway/status)
echo "gateway over 20 s: ${cpu}% of one core, RSS $rss, $threads threads"
