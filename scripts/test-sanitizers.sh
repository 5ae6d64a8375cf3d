#!/usr/bin/env bash
# Builds the whole suite with AddressSanitizer + UndefinedBehaviorSanitizer (SIZER_SANITIZE;
# library, CLI and tests alike) in its own build folder and runs it with CTest. Any finding
# aborts the test that triggered it, so CTest reports it as a failure.
#   SIZER_SANITIZE_CXX   compiler (default clang++-14 when installed, else g++)
#   SIZER_SANITIZE_BUILD build folder (default build-sanitize)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cxx="${SIZER_SANITIZE_CXX:-}"
if [ -z "$cxx" ]; then
  if command -v clang++-14 >/dev/null; then cxx=clang++-14; else cxx=g++; fi
fi
build="${SIZER_SANITIZE_BUILD:-build-sanitize}"
# With clang the same folder also builds the libFuzzer targets (SIZER_BUILD_FUZZERS adds only
# coverage instrumentation on top of the sanitizers), so scripts/fuzz.sh reuses these objects
# instead of compiling the library a third time.
fuzzers=OFF
case "$("$cxx" --version 2>/dev/null | head -n1)" in *clang*) fuzzers=ON ;; esac
# -O1 -g1: the usual sanitizer trade-off (fast enough to run, line numbers in reports, and
# much cheaper to compile than -O2 -g); assertions stay on (no -DNDEBUG).
cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=Sanitize \
      -DCMAKE_CXX_FLAGS_SANITIZE="-O1 -g1" \
      -DSIZER_BUILD_TESTS=ON -DSIZER_SANITIZE=ON -DSIZER_BUILD_FUZZERS="$fuzzers" \
      -DSIZER_WERROR=ON >/dev/null
cmake --build "$build" -j2
# halt_on_error: the first report ends the process (UBSan is non-recoverable already);
# detect_leaks: LeakSanitizer runs at exit of every test process and the CLI it spawns.
export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1}"
# Reports with file:line stacks (llvm-14 from install-deps.sh; clang looks only for an
# unversioned llvm-symbolizer on PATH).
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then
  export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
fi
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
ctest --test-dir "$build" --output-on-failure -j2
