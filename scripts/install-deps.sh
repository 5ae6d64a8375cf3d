#!/usr/bin/env bash
# Installs the Debian 12 packages sizer needs to build and test. Idempotent: it only
# calls apt-get when something is missing, so repeated runs cost nothing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache
  libyaml-cpp-dev libboost-program-options-dev libeigen3-dev
  nlohmann-json3-dev libgtest-dev libgmock-dev libfmt-dev libhwy-dev libssl-dev
  libkainjow-mustache-dev  # report templates (header-only Mustache)
  libicu-dev               # Unicode properties and regexes for the BPE pre-tokenizers
  libcpp-httplib-dev       # sizer serve's HTTP server and its tests' client (lib/serve/server.h)
  python3                  # the serve browser test (tests/serve) and load test (scripts/serve_load.py)
  chromium                 # the test suite renders the HTML report and drives the planner page in headless Chromium
  git                      # .ci/run tests a fresh clone of HEAD
  # Sanitizer and fuzz builds (scripts/test-sanitizers.sh, scripts/fuzz.sh): clang-14 does
  # not pull in its sanitizer/libFuzzer runtimes (libclang-rt-14-dev) nor llvm-symbolizer
  # (llvm-14), which turns sanitizer reports into file:line stacks.
  clang-14 libclang-rt-14-dev llvm-14
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
echo "sizer: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
