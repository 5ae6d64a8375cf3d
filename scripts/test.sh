#!/usr/bin/env bash
# Installs what is missing, builds sizer with its tests (warnings are errors), and runs the
# whole suite with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSIZER_BUILD_TESTS=ON \
      -DSIZER_WERROR=ON >/dev/null
cmake --build build-test -j2
ctest --test-dir build-test --output-on-failure -j2
