#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to build and test Spool: the C libraries' headers, and the tools
# the tests and benchmarks drive. Each package is installed only when missing, so a second run does nothing.
set -euo pipefail

packages=(libcurl4-openssl-dev libsqlite3-dev pkg-config jq)
case "${1:-build}" in
  test) packages+=(python3-venv chromium chromium-driver nginx-light openssl postgresql) ;;
  bench) packages+=(wrk nginx-light postgresql) ;;
  cluster) packages+=(postgresql) ;;
esac

missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "swift is at /opt/swift/usr/bin; add it to PATH" >&2
  else
    echo "Swift 6 is needed: https://www.swift.org/install/" >&2
  fi
  exit 1
fi
