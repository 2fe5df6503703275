#!/usr/bin/env bash
# Job benchmarks of `spool serve` against `spool sim` answering at once, on loopback:
#   1. 10,000 jobs through the emulator: time to drain, and Spool's own latency per job (p50/p99);
#   2. GET /v1/jobs/{id} with auth, wrk -t2 -c64;
#   3. durable submits (synchronous=FULL, group commit), wrk -t2 -c64;
#   4. GET /v1/queue and GET /metrics with 1,000,000 stored jobs.
# Settings: SPOOL_BIN (.build/release/spool), DURATION (10s), DRAIN_JOBS (10000), SEED_JOBS (1000000).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
DURATION="${DURATION:-10s}"
DRAIN_JOBS="${DRAIN_JOBS:-10000}"
SEED_JOBS="${SEED_JOBS:-1000000}"
SIM=127.0.0.1:19090
GATEWAY=127.0.0.1:18081
wrk_figures() { # label, wrk output file
  printf '%-34s %10s req/s   p50 %-9s p99 %-9s %s\n' "$1" "$(awk '/^Requests\/sec:/ {print $2}' "$2")" \
    "$(awk '$1 == "50%" {print $2}' "$2")" "$(awk '$1 == "99%" {print $2}' "$2")" \
    "$(grep -E 'Non-2xx|Socket errors' "$2" | tr '\n' ' ' || true)"
}
serve() { # database file [in-flight limit]
  SPOOL_LISTEN=$GATEWAY SPOOL_DB="$1" FAL_KEY=bench SPOOL_FAL_QUEUE_URL="http://$SIM" \
    SPOOL_PUBLIC_URL="http://$GATEWAY" SPOOL_FAL_JWKS_URL="http://$SIM/.well-known/jwks.json" \
    SPOOL_MAX_INFLIGHT="${2:-512}" SPOOL_ADMIN_KEY=$ADMIN SPOOL_ALLOW_PRIVATE_WEBHOOKS=true "$SPOOL_BIN" serve --log-level warning >>"$work/spool.log" 2>&1 &
  pids+=($!)
  wait_for "http://$GATEWAY/healthz"
}
stop_gateway() { kill -TERM "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'; }

"$SPOOL_BIN" sim --listen $SIM --queue-seconds 0 --run-seconds 0 --concurrency 100000 --log-level warning \
  >"$work/sim.log" 2>&1 &
pids+=($!)
wait_for "http://$SIM/.well-known/jwks.json"
echo "machine: $(nproc) cores; $(date -u +%FT%TZ)"

python3 bench/sink.py >"$work/sink.port" &
pids+=($!)
until [ -s "$work/sink.port" ]; do sleep 0.1; done
sink="http://127.0.0.1:$(cat "$work/sink.port")/hook"
serve "$work/drain.db"
key=$(SPOOL_DB="$work/drain.db" "$SPOOL_BIN" keys create --team bench --log-level warning | tail -1)
sleep 1.5  # a running gateway picks up new keys within a second
echo "== 1. $DRAIN_JOBS jobs through the emulator (fal callbacks on, SPOOL_MAX_INFLIGHT=512), each with a webhook"
start=$(date +%s%N)
python3 bench/submit_many.py $GATEWAY "$key" "$DRAIN_JOBS" "$sink"
until curl -fsS "http://$GATEWAY/v1/queue" -H "Authorization: Bearer $ADMIN" \
  | python3 -c 'import json,sys; d=json.load(sys.stdin)["depth"]; sys.exit(0 if sum(d.values()) == 0 else 1)'; do
  sleep 0.2
done
echo "drained in $(( ($(date +%s%N) - start) / 1000000 )) ms (submits included)"
until sqlite3_pending=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT count(*) FROM webhook_deliveries WHERE state = 'pending'\").fetchone()[0])" "$work/drain.db") \
  && [ "$sqlite3_pending" = 0 ]; do sleep 0.2; done
python3 bench/job_latency.py "$work/drain.db"

echo "== 2. GET /v1/jobs/{id} with auth"
id=$(curl -fsS "http://$GATEWAY/v1/jobs?limit=1" -H "Authorization: Bearer $key" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["id"])')
KEY=$key wrk -t2 -c64 -d"$DURATION" --latency -s bench/lua/authorized.lua "http://$GATEWAY/v1/jobs/$id" >"$work/get.txt"
wrk_figures "GET /v1/jobs/{id}" "$work/get.txt"
wrk -t2 -c64 -d"$DURATION" --latency "http://$GATEWAY/healthz" >"$work/health.txt"
wrk_figures "GET /healthz (same process)" "$work/health.txt"

echo "== 3. durable submits (synchronous=FULL, group commit)"
KEY=$key wrk -t2 -c64 -d"$DURATION" --latency -s bench/lua/submit.lua "http://$GATEWAY/v1/jobs" >"$work/submit.txt"
wrk_figures "POST /v1/jobs, jobs flowing to fal" "$work/submit.txt"
stop_gateway
# The submit path alone: one job in flight, so the jobs stay queued and the writer serves submits only.
serve "$work/submit.db" 1
KEY=$ADMIN wrk -t2 -c64 -d"$DURATION" --latency -s bench/lua/submit.lua "http://$GATEWAY/v1/jobs" >"$work/submit-only.txt"
wrk_figures "POST /v1/jobs, dispatch held at 1" "$work/submit-only.txt"
stop_gateway

echo "== 4. queue view and metrics with $SEED_JOBS stored jobs"
SPOOL_DB="$work/big.db" "$SPOOL_BIN" migrate --log-level warning >/dev/null
python3 bench/seed_jobs.py "$work/big.db" "$SEED_JOBS"
serve "$work/big.db"
wrk -t2 -c16 -d"$DURATION" --latency -H "Authorization: Bearer $ADMIN" "http://$GATEWAY/v1/queue" >"$work/queue.txt"
wrk_figures "GET /v1/queue (admin)" "$work/queue.txt"
wrk -t2 -c16 -d"$DURATION" --latency "http://$GATEWAY/metrics" >"$work/metrics.txt"
wrk_figures "GET /metrics" "$work/metrics.txt"
echo "database: $(du -h "$work/big.db" | cut -f1)"
