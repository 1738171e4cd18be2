#!/usr/bin/env bash
# Installs what is missing, builds in release mode, and runs the engine benchmark on the
# embedded default (a WAL file, synchronous=NORMAL). Extra arguments go to redlite-bench.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-dependencies.sh
swift build -c release --product redlite-bench
exec "$(swift build -c release --show-bin-path)/redlite-bench" "$@"
