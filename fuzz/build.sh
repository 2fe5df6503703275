#!/usr/bin/env bash
# Builds the libFuzzer targets into .build-fuzz/ with direct swiftc invocations: each target's entry file is
# compiled into the module it fuzzes (SpoolHTTP's parser is internal), with -sanitize=fuzzer,address, and without
# touching Package.swift: SwiftPM cannot give one target libFuzzer's main while the `spool` executable keeps its own.
# swift-log (SpoolHTTP imports it) is compiled from the package checkout that `swift package resolve` makes.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.build-fuzz
mkdir -p "$out/modules"
swift package resolve >/dev/null
sanitized=(-sanitize=fuzzer,address -parse-as-library -O -g -use-ld=lld)

library() { # module name, package name, Swift language version, source folder
  find "$4" -name '*.swift' -print0 | xargs -0 swiftc -swift-version "$3" -module-name "$1" -package-name "$2" -parse-as-library -O -g \
    -sanitize=address -emit-library -static -emit-module -emit-module-path "$out/modules/$1.swiftmodule" \
    -I "$out/modules" -o "$out/lib$1.a"
}
library Logging swift-log 5 .build/checkouts/swift-log/Sources/Logging
library SpoolJSON spool 6 Sources/SpoolJSON

echo "building $out/fuzz-json-parser"
swiftc -swift-version 6 "${sanitized[@]}" -module-name SpoolJSON -package-name spool Sources/SpoolJSON/*.swift fuzz/JSONParser/*.swift \
  -o "$out/fuzz-json-parser"
echo "building $out/fuzz-http-request-parser"
find Sources/SpoolHTTP fuzz/HTTPRequestParser -name '*.swift' -print0 | xargs -0 swiftc -swift-version 6 \
  "${sanitized[@]}" -module-name SpoolHTTP -package-name spool -I "$out/modules" -I Sources/CLinux -L "$out" -lSpoolJSON -lLogging \
  -o "$out/fuzz-http-request-parser"
