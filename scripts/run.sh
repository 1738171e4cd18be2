#!/usr/bin/env bash
# Installs what is missing, builds in release mode, and runs the smoke suite on the embedded
# engine. Extra arguments go to dst-host (e.g. --seeds 100).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-dependencies.sh
swift build -c release --product dst-host
swift build -c release --product Smoke
exec "$(swift build -c release --show-bin-path)/dst-host" smoke "$@"
