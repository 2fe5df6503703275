#!/usr/bin/env bash
# `make bench`: every benchmark, figures printed, nothing asserted. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
export SPOOL_BIN="${SPOOL_BIN:-.build/release/spool}"
bench/http.sh
bench/jobs.sh
bench/follow.sh
bench/storage.sh
bench/cluster.sh
