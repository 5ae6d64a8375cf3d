#!/usr/bin/env bash
# Installs what is missing, builds sizer, and plans the bundled example job.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DSIZER_BUILD_TESTS=OFF >/dev/null
cmake --build build -j2
./build/cli/sizer plan worksheets/chat-assistant-8b.yaml
