# Shared by the job benchmarks: a scratch folder, the processes they start (stopped on any exit), and a wait.
# Sourced after `cd` to the repository root; callers append the pids they start to `pids`.
SPOOL_BIN="${SPOOL_BIN:-.build/release/spool}"
ADMIN=bench-admin-key
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM HUP PIPE

# Waits up to 30 s for a URL to answer 2xx.
wait_for() {
  for _ in $(seq 1 300); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "no answer from $1" >&2
  return 1
}
