#!/usr/bin/env bash
# Installs what is missing, builds every target, and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-dependencies.sh
swift build
mkdir -p .build
swift test 2>&1 | tee .build/test-output.txt
# The tests are Swift Testing's (XCTest reports 0 of its own); end with one plain summary line.
summary=$(grep -E "^. Test run with [0-9]+ tests? " .build/test-output.txt | tail -n 1)
total=$(echo "$summary" | sed -E 's/.*Test run with ([0-9]+) tests?.*/\1/')
failed=$(grep -cE "^. Test .* failed after" .build/test-output.txt || true)
echo "tests: $((total - failed)) passed, $failed failed"
