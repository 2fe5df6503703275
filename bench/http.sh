#!/usr/bin/env bash
# HTTP throughput and latency of `spool serve`, measured with wrk on this machine (loopback only).
#
#   bench/http.sh                      # build release, serve on 127.0.0.1:18080, wrk /healthz for 10 s
#   PATHS="/healthz /readyz" DURATION=5s bench/http.sh
#
# Settings (environment): LISTEN (127.0.0.1:18080), THREADS (2), CONNECTIONS (64), DURATION (10s),
# PATHS (/healthz), SPOOL_BIN (.build/release/spool; set it to skip the build), EXTRA_ARGS (more `serve` flags).
set -euo pipefail

cd "$(dirname "$0")/.."
LISTEN="${LISTEN:-127.0.0.1:18080}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
DURATION="${DURATION:-10s}"
PATHS="${PATHS:-/healthz}"
SPOOL_BIN="${SPOOL_BIN:-}"

case "$LISTEN" in
  127.*|localhost:*|\[::1\]:*) ;;
  *) echo "bench/http.sh: LISTEN must be a loopback address, not $LISTEN" >&2; exit 2 ;;
esac

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing wrk"
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
  else
    echo "bench/http.sh: wrk is not installed (apt-get install wrk)" >&2
    exit 2
  fi
fi

if [ -z "$SPOOL_BIN" ]; then
  echo "building release (swift build -c release --product spool)"
  swift build -c release --product spool
  SPOOL_BIN=.build/release/spool
fi

workdir="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT INT TERM HUP PIPE

echo "starting: SPOOL_LISTEN=$LISTEN $SPOOL_BIN serve --sim --log-level warning ${EXTRA_ARGS:-}"
# The database and any other files the server writes stay in a temporary directory.
SPOOL_LISTEN="$LISTEN" SPOOL_DB="$workdir/spool.db" \
  "$SPOOL_BIN" serve --sim --log-level warning ${EXTRA_ARGS:-} >"$workdir/server.log" 2>&1 &
server_pid=$!

base="http://$LISTEN"
ready=""
for _ in $(seq 1 300); do
  if curl -fsS -o /dev/null "$base/healthz" 2>/dev/null; then ready=1; break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
  sleep 0.1
done
if [ -z "$ready" ]; then
  echo "bench/http.sh: the server did not answer $base/healthz within 30 s; its log:" >&2
  cat "$workdir/server.log" >&2
  exit 1
fi

echo "machine: $(nproc) cores; wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency"
for path in $PATHS; do
  out="$workdir/wrk.txt"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$base$path" >"$out"
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  errors=$(grep -E "Non-2xx|Socket errors" "$out" || true)
  printf '%-12s %12s req/s   p50 %-10s p99 %-10s %s\n' "$path" "$rps" "$p50" "$p99" "$errors"
  cat "$out"
done
