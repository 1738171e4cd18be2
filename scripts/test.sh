#!/usr/bin/env bash
# Installs what is missing, builds every target, and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-dependencies.sh
swift build
swift test 2>&1 | tee .build/test-output.txt
