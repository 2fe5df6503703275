#!/usr/bin/env bash
# HTTP figures of `spool serve --sim` next to a Hummingbird 2 hello server (bench/peers) measured in the same run,
# on loopback. Each wrk figure is the median of ROUNDS rounds in which Spool and the peer alternate:
#   - GET /healthz with the default logging (info, an access line per request) vs the peer's /healthz;
#   - GET /v1/jobs/{id} with a team key vs the peer's /healthz;
#   - durable submits (POST /v1/jobs, synchronous=FULL, dispatch held at one job so the writer serves submits),
#     with the gateway's CPU time per submit;
#   - idle RSS after start (the binary read from disk, not left in the page cache by the build), and start to the
#     first 200 of /healthz.
#
# Settings (environment): THREADS (2), CONNECTIONS (64), DURATION (10s), ROUNDS (3), SPOOL_BIN
# (.build/release/spool; set it to skip the build), PEER_BIN (.build-peers/release/HelloPeer, likewise),
# EXTRA_ARGS (more `serve` flags).
set -euo pipefail

cd "$(dirname "$0")/.."
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
DURATION="${DURATION:-10s}"
ROUNDS="${ROUNDS:-3}"
SPOOL_BIN="${SPOOL_BIN:-}"
PEER_BIN="${PEER_BIN:-}"
SPOOL_PORT=18080
PEER_PORT=18079
ADMIN=bench-admin-key

if ! command -v wrk >/dev/null 2>&1; then
  echo "bench/http.sh: wrk is not installed (scripts/install-deps.sh bench)" >&2
  exit 2
fi
if [ -z "$SPOOL_BIN" ]; then
  echo "building release (swift build -c release --product spool --static-swift-stdlib, as the Dockerfile does)"
  swift build -c release --product spool --static-swift-stdlib
  SPOOL_BIN=.build/release/spool
fi
if [ -z "$PEER_BIN" ]; then
  echo "building the peer (swift build -c release --package-path bench/peers --scratch-path .build-peers)"
  swift build -c release --package-path bench/peers --scratch-path .build-peers
  PEER_BIN=.build-peers/release/HelloPeer
fi

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM HUP PIPE

now_ns() { date +%s%N; }
# Waits up to 30 s for a 200 from a URL.
wait_for() {
  for _ in $(seq 1 3000); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.01; done
  echo "bench/http.sh: no answer from $1" >&2
  return 1
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
# Runs wrk; prints "requests/s p99-in-ms" and keeps the raw output beside.
measure() { # name url [wrk args...]
  local name=$1 url=$2
  shift 2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" >"$work/$name.txt"
  if grep -qE 'Non-2xx|Socket errors' "$work/$name.txt"; then
    echo "bench/http.sh: $name: $(grep -E 'Non-2xx|Socket errors' "$work/$name.txt" | tr '\n' ' ')" >&2
  fi
  awk '/^Requests\/sec:/ { rps = $2 }
       $1 == "99%" { v = $2; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0; else if (v ~ /s$/) v = v * 1000
                     p99 = v }
       END { printf "%s %.2f\n", rps, p99 }' "$work/$name.txt"
}

start_spool() { # database [in-flight limit]; sets spool_pid and start_ms
  local began
  began=$(now_ns)
  SPOOL_LISTEN="127.0.0.1:$SPOOL_PORT" SPOOL_DB="$1" SPOOL_ADMIN_KEY=$ADMIN SPOOL_MAX_INFLIGHT="${2:-512}" \
    "$SPOOL_BIN" serve --sim ${EXTRA_ARGS:-} 2>>"$work/spool.log" >&2 &
  spool_pid=$!
  pids+=("$spool_pid")
  wait_for "http://127.0.0.1:$SPOOL_PORT/healthz"
  start_ms=$(( ($(now_ns) - began) / 1000000 ))
}
stop_spool() { kill -TERM "$spool_pid"; wait "$spool_pid" 2>/dev/null || true; }
# User + system CPU ticks the process has used so far (/proc/PID/stat fields 14 and 15).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# One field of /proc/PID/status in MB: VmRSS, or its parts RssAnon (what the process owns) and RssFile (mapped files).
rss_mb() { awk -v field="$2:" '$1 == field { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

"$PEER_BIN" "$PEER_PORT" >"$work/peer.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$PEER_PORT/healthz"

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); wrk -t$THREADS -c$CONNECTIONS -d$DURATION; $ROUNDS rounds"
starts=() rss=() anon=() file=()
for round in $(seq 1 "$ROUNDS"); do
  # Each start reads the binary from disk: how much of a file's cached pages a start maps depends on how the kernel
  # cached them (byte-identical copies, one written by cp and one read back, differ by 2 MB of RssFile), so the
  # binary's pages are dropped from the page cache first (this file's only) for a figure that does not.
  dd if="$SPOOL_BIN" iflag=nocache count=0 status=none
  start_spool "$work/start-$round.db"
  starts+=("$start_ms")
  sleep 1
  rss+=("$(rss_mb "$spool_pid" VmRSS)")
  anon+=("$(rss_mb "$spool_pid" RssAnon)")
  file+=("$(rss_mb "$spool_pid" RssFile)")
  stop_spool
done

start_spool "$work/reads.db"
key=$(SPOOL_DB="$work/reads.db" "$SPOOL_BIN" keys create --team bench --log-level warning | tail -1)
body='{"model":"kling-video-o3-pro-reference-to-video","input":{"prompt":"@Element1 walks through @Image1",
"input_image":["https://example.com/scene.png"],"elements":[{"frontal_image_url":"https://example.com/face.png",
"reference_image_urls":["https://example.com/side.png"]}],"duration":5,"aspect_ratio":"9:16"}}'
job=$(curl -fsS -X POST "http://127.0.0.1:$SPOOL_PORT/v1/jobs" -H "Authorization: Bearer $key" \
  -H 'Content-Type: application/json' --data-binary "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
health=() peer=() reads=()
for round in $(seq 1 "$ROUNDS"); do
  health+=("$(measure "health-$round" "http://127.0.0.1:$SPOOL_PORT/healthz" | cut -d' ' -f1)")
  peer+=("$(measure "peer-$round" "http://127.0.0.1:$PEER_PORT/healthz" | cut -d' ' -f1)")
  reads+=("$(KEY=$key measure "read-$round" "http://127.0.0.1:$SPOOL_PORT/v1/jobs/$job" -s bench/lua/get-with-key.lua | cut -d' ' -f1)")
done
stop_spool

start_spool "$work/submits.db" 1
submits=() submit_p99=() submit_cpu=()
for round in $(seq 1 "$ROUNDS"); do
  cpu_before=$(cpu_ticks "$spool_pid")
  figures=$(KEY=$ADMIN measure "submit-$round" "http://127.0.0.1:$SPOOL_PORT/v1/jobs" -s bench/lua/post-job.lua)
  cpu_after=$(cpu_ticks "$spool_pid")
  submits+=("${figures% *}")
  submit_p99+=("${figures#* }")
  # The gateway's CPU time per submit: steadier than the rate on a shared machine, where wrk and other work take turns.
  submit_cpu+=("$(awk -v t=$((cpu_after - cpu_before)) -v hz="$(getconf CLK_TCK)" -v f="$work/submit-$round.txt" \
    'BEGIN { while ((getline line < f) > 0) if (line ~ /requests in/) { split(line, w, " "); n = w[1] }
             if (n > 0) printf "%.0f", t / hz * 1e6 / n; else print "-" }')")
done
stop_spool

peer_median=$(echo "${peer[*]}" | median)
health_median=$(echo "${health[*]}" | median)
reads_median=$(echo "${reads[*]}" | median)
printf '%-44s %12s   %s\n' "figure (median of $ROUNDS)" "value" "ratio to the peer / target"
printf '%-44s %12s req/s\n' "peer: Hummingbird 2 hello, GET /healthz" "$peer_median"
printf '%-44s %12s req/s   %s× (target ≥ 2.0×)\n' "GET /healthz, default logging" "$health_median" "$(ratio "$health_median" "$peer_median")"
printf '%-44s %12s req/s   %s× (target ≥ 1.0×)\n' "GET /v1/jobs/{id} with a key" "$reads_median" "$(ratio "$reads_median" "$peer_median")"
printf '%-44s %12s /s      p99 %s ms, %s µs of gateway CPU each (target ≥ 10,000/s, ≤ 25 ms)\n' \
  "durable submits, $CONNECTIONS connections" "$(echo "${submits[*]}" | median)" "$(echo "${submit_p99[*]}" | median)" \
  "$(echo "${submit_cpu[*]}" | median)"
printf '%-44s %12s MB      (target ≤ 30 MB); RssAnon %s MB, RssFile %s MB\n' "idle RSS" "$(echo "${rss[*]}" | median)" \
  "$(echo "${anon[*]}" | median)" "$(echo "${file[*]}" | median)"
printf '%-44s %12s ms      (target ≤ 200 ms)\n' "start to first 200" "$(echo "${starts[*]}" | median)"
echo "rounds: healthz ${health[*]}; peer ${peer[*]}; reads ${reads[*]}; submits ${submits[*]} (µs each ${submit_cpu[*]}); load average now $(cut -d' ' -f1-3 /proc/loadavg)"
