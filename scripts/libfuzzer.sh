#!/usr/bin/env bash
# Coverage-guided fuzzing of the engine with libFuzzer: builds redlite-libfuzzer with
# `--sanitize fuzzer` (release), writes the target's seed corpus (the seeded Fuzz suite's
# corpus), runs libFuzzer for SECONDS and prints one line of figures:
#   libfuzzer TARGET: N execs in S s = X exec/s, coverage C, crashes K
#
#   scripts/libfuzzer.sh resp_parser|command_handler [SECONDS] [libFuzzer flags...]
#
# SECONDS defaults to 60. Extra arguments go to libFuzzer (e.g. -seed=1, -runs=500, -jobs=2).
# DST_PLANTED_DEFECT=trust_wire_length plants the host's "length trusted from the wire"
# defect in the RESP front end, for resp_parser to find.
#
# Where things go (LIBFUZZER_WORK, default .build/libfuzzer-runs, moves all of them):
#   $work/TARGET/seeds    the seed corpus, rewritten on every run
#   $work/TARGET/corpus   what libFuzzer adds, emptied on every run so figures compare
#   $work/TARGET/TARGET.dict  the dictionary (LIBFUZZER_NO_DICT=1 runs without one)
#   $work/TARGET/fuzz.log libFuzzer's whole output
#   fuzz-artifacts/TARGET/ crash inputs (libFuzzer's -artifact_prefix; with LIBFUZZER_WORK
#                          set, $work/artifacts/TARGET/); kept across runs, gitignored
# LIBFUZZER_NO_BUILD=1 skips the build and uses the binary already built.
#
# Exit status: 0 when no crash was found, 1 when one was, 2 for bad arguments or a failed build.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:-}
seconds=${2:-60}
case "$target" in
    resp_parser|command_handler) ;;
    *) echo "usage: scripts/libfuzzer.sh resp_parser|command_handler [SECONDS] [libFuzzer flags...]" >&2; exit 2 ;;
esac
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "SECONDS must be a whole number, not '$seconds'" >&2; exit 2; }
shift $(( $# >= 2 ? 2 : 1 ))

scratch=.build/libfuzzer
binary=$scratch/release/redlite-libfuzzer
if [ "${LIBFUZZER_NO_BUILD:-}" != 1 ]; then
    bash scripts/install-dependencies.sh
    # libFuzzer's runtime comes with the Swift toolchain (clang's resource folder); it cannot
    # come from apt, since it must match the toolchain's compiler.
    swiftc_path=$(readlink -f "$(command -v swiftc)")
    runtime=$(ls "$(dirname "$swiftc_path")"/../lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null | head -n 1 || true)
    if [ -z "$runtime" ]; then
        echo "this Swift toolchain has no libclang_rt.fuzzer (needed for --sanitize fuzzer): use a swift.org toolchain" >&2
        exit 2
    fi
    # libFuzzer's runtime is C++: linking it needs libstdc++'s development files (Debian 12's
    # Swift toolchain normally brought them along).
    if ! dpkg -s libstdc++-12-dev >/dev/null 2>&1; then
        sudo_cmd=""
        [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
        $sudo_cmd apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq libstdc++-12-dev
    fi
    # A separate build folder: the fuzz flags must not invalidate the normal release build.
    mkdir -p "$scratch"
    if ! swift build -c release --sanitize fuzzer -Xswiftc -DLIBFUZZER --product redlite-libfuzzer \
            --scratch-path "$scratch" > "$scratch/build.log" 2>&1; then
        cat "$scratch/build.log" >&2
        echo "the libFuzzer build failed" >&2
        exit 2
    fi
    tail -n 1 "$scratch/build.log"
fi
[ -x "$binary" ] || { echo "no $binary: run without LIBFUZZER_NO_BUILD first" >&2; exit 2; }

work=${LIBFUZZER_WORK:-.build/libfuzzer-runs}
if [ -n "${LIBFUZZER_WORK:-}" ]; then artifacts=$work/artifacts/$target; else artifacts=fuzz-artifacts/$target; fi
seeds=$work/$target/seeds
corpus=$work/$target/corpus
log=$work/$target/fuzz.log
dictionary=$work/$target/$target.dict
rm -rf "$seeds" "$corpus"
mkdir -p "$corpus" "$artifacts"
"$binary" --target="$target" --write-corpus="$seeds" --write-dict="$dictionary"
dict_flag=(-dict="$dictionary")
[ "${LIBFUZZER_NO_DICT:-}" = 1 ] && dict_flag=()

before=$(ls "$artifacts" | wc -l)
[ -n "${DST_PLANTED_DEFECT:-}" ] && echo "PLANTED DEFECT: DST_PLANTED_DEFECT=$DST_PLANTED_DEFECT"
echo "fuzzing $target for $seconds s (log: $log)"
start=$(date +%s.%N)
# Swift's own backtracer would take a second per crash to report what libFuzzer reports anyway.
status=0
SWIFT_BACKTRACE=enable=no "$binary" --target="$target" "$corpus" "$seeds" \
    -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict_flag[@]}" "$@" > "$log" 2>&1 || status=$?
end=$(date +%s.%N)

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
coverage=$(grep -oE ' cov: [0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+' || true)
after=$(ls "$artifacts" | wc -l)
crashes=$((after - before))
awk -v target="$target" -v execs="${execs:-0}" -v start="$start" -v end="$end" -v coverage="${coverage:-0}" \
    -v crashes="$crashes" 'BEGIN {
        printf "libfuzzer %s: %d execs in %.1f s = %.0f exec/s, coverage %d, crashes %d\n",
            target, execs, end - start, execs / (end - start), coverage, crashes }'

if [ "$crashes" -gt 0 ]; then
    newest=$(ls -t "$artifacts" | head -n 1)
    grep -m 1 -E 'Fatal error|ERROR: libFuzzer' "$log" || true
    echo "crash inputs in $artifacts/; reproduce the newest with:"
    echo "  ${DST_PLANTED_DEFECT:+DST_PLANTED_DEFECT=$DST_PLANTED_DEFECT }$binary --target=$target $artifacts/$newest"
    echo "or without the fuzzer: swift build && ${DST_PLANTED_DEFECT:+DST_PLANTED_DEFECT=$DST_PLANTED_DEFECT }.build/debug/redlite-libfuzzer --target=$target $artifacts/$newest"
    exit 1
fi
if [ "$status" -ne 0 ]; then
    echo "libFuzzer exited with status $status and no crash input; see $log" >&2
    tail -n 20 "$log" >&2
    exit 2
fi
