#!/usr/bin/env bash
# `make fuzz`: builds the libFuzzer targets, then runs each for FUZZ_SECONDS (default 180), starting from the
# committed seed corpus in fuzz/corpus/<target>/ (read, never written) and growing a working corpus in
# .build-fuzz/corpus/<target>/.
# A crash or a broken invariant stops that target, leaves the input in .build-fuzz/artifacts/ and fails the run.
# Not part of `make test`: it takes minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS="${FUZZ_SECONDS:-180}"
fuzz/build.sh
status=0
for target in json-parser http-request-parser; do
  corpus=".build-fuzz/corpus/$target"
  mkdir -p "$corpus" .build-fuzz/artifacts
  echo "== $target for $FUZZ_SECONDS s"
  if ".build-fuzz/fuzz-$target" -max_total_time="$FUZZ_SECONDS" -max_len=4096 -timeout=10 -print_final_stats=1 \
    -artifact_prefix=".build-fuzz/artifacts/$target-" "$corpus" "fuzz/corpus/$target" >".build-fuzz/$target.log" 2>&1; then
    echo "$target: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' ".build-fuzz/$target.log"), no crash"
  else
    status=1
    tail -40 ".build-fuzz/$target.log"
    echo "$target: FAILED; the input is in .build-fuzz/artifacts/"
  fi
done
exit "$status"
