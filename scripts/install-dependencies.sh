#!/usr/bin/env bash
# Installs the system packages the build and the tests need (Debian 12). Idempotent: skips
# apt entirely when everything is already there.
set -euo pipefail
# libffi-dev: the host calls typed test entries through libffi. gcc and make build C plugins
# (the example and the test fixtures). redis-server and libhiredis-dev: the Oracle's reference
# server and the RESP client it is driven through (RedisClient). libstdc++-12-dev: libFuzzer's
# runtime (the coverage-guided build, scripts/libfuzzer.sh) links against it. redis-tools:
# redis-cli and redis-benchmark, run against redlite-server by its tests.
packages=(libsqlite3-dev libffi-dev gcc make redis-server redis-tools libhiredis-dev libstdc++-12-dev)
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi
