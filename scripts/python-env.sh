#!/usr/bin/env bash
# Prepares .venv (at the repository root) with the packages of Tests/python/requirements.txt, for the
# fal-client compatibility test. Does nothing when .venv already matches the requirements (their SHA-256 is
# kept in .venv/.requirements.sha256); prints nothing unless it fails. Set PYTHON to choose the interpreter.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
requirements="$root/Tests/python/requirements.txt"
stamp="$venv/.requirements.sha256"
wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"

if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
    exit 0
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
fail() {
    cat "$log" >&2
    echo "python-env: $1" >&2
    exit 1
}

if [[ ! -x "$venv/bin/python" ]]; then
    rm -rf "$venv"
    "${PYTHON:-python3}" -m venv "$venv" >"$log" 2>&1 || fail "could not create $venv with ${PYTHON:-python3} -m venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >>"$log" 2>&1 \
    || fail "could not install $requirements into $venv"
echo "$wanted" >"$stamp"
