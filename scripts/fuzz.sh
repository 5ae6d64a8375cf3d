#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, ASan + UBSan, tests/fuzz/) and runs each one for
# SECONDS (default 60) from its seed corpus. Any finding (crash, sanitizer report, leak,
# timeout, out-of-memory) makes the script fail; the reproducer is left under
# BUILD/fuzz-artifacts/TARGET/ (copy it, minimized, to tests/fuzz/regressions/TARGET/).
#
#   scripts/fuzz.sh [SECONDS] [--minimize] [TARGET...]
#
# --minimize: after fuzzing, merges each target's grown corpus into a minimal one
# (libFuzzer -merge=1) under BUILD/fuzz-corpus-min/TARGET/ and prints its size; see
# tests/fuzz/README.md for refreshing the checked-in seeds from it.
#   SIZER_FUZZ_BUILD  build folder (default build-sanitize, shared with test-sanitizers.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

seconds=60
minimize=0
targets=()
for arg in "$@"; do
  case "$arg" in
    --minimize) minimize=1 ;;
    ''|*[!0-9]*) targets+=("$arg") ;;
    *) seconds="$arg" ;;
  esac
done
all_targets=(gguf_reader job_spec manifest calibration validation tokenizer safetensors_header hf_config service_request serve_request)
if [ ${#targets[@]} -eq 0 ]; then targets=("${all_targets[@]}"); fi

bash scripts/install-deps.sh
build="${SIZER_FUZZ_BUILD:-build-sanitize}"
# The same configuration as scripts/test-sanitizers.sh, so a CI run compiles the library once.
cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=Sanitize \
      -DCMAKE_CXX_FLAGS_SANITIZE="-O1 -g1" \
      -DSIZER_BUILD_TESTS=ON -DSIZER_SANITIZE=ON -DSIZER_BUILD_FUZZERS=ON \
      -DSIZER_WERROR=ON >/dev/null
# make_seed_corpus (which links the whole library) only when the GGUF reader's seeds are needed.
build_targets=("${targets[@]/%/_fuzzer}")
if [[ " ${targets[*]} " == *" gguf_reader "* ]]; then build_targets+=(make_seed_corpus); fi
cmake --build "$build" -j2 --target "${build_targets[@]}"
fuzz_dir="$root/$build/tests/fuzz"

# Seeds: the checked-in hand-made files plus the repository's own examples, copied into a
# fresh working corpus so a run never writes into the source tree.
seed_target() {
  local target="$1" dir="$2"
  rm -rf "$dir" && mkdir -p "$dir"
  if [ -d "tests/fuzz/corpus/$target" ]; then cp tests/fuzz/corpus/"$target"/* "$dir"/; fi
  case "$target" in
    gguf_reader) "$fuzz_dir/make_seed_corpus" "$dir" >/dev/null ;;
    job_spec) cp worksheets/*.yaml tests/report/fixtures/*.yaml "$dir"/ ;;
    manifest) cp worksheets/release/*.yaml "$dir"/ ;;
    service_request) cp worksheets/*.yaml "$dir"/ ;;
    validation) cp tests/report/fixtures/*.json "$dir"/ ;;
    safetensors_header)  # one real-size header-only shard besides the small hand-made seeds
      cp tests/data/hf/llama-3.1-8b-instruct/model-00004-of-00004.safetensors "$dir"/ ;;
    hf_config)  # the checkpoints' config.json files
      for f in tests/data/hf/*/config.json; do cp "$f" "$dir/$(basename "$(dirname "$f")").json"; done ;;
    tokenizer)  # the vocabularies' test strings, one seed per vocabulary (even first byte)
      local i=0
      for inp in tests/data/vocab/*.inp; do
        { printf "\\x$(printf %02x $((2 * i)))"; cat "$inp"; } > "$dir/vocab-$i"
        i=$((i + 1))
      done ;;
  esac
}

# ASan's allocator refuses any single allocation above 512 MiB as a finding
# (-malloc_limit_mb): the readers bound every count by the input before they reserve.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}"
# Reports with file:line stacks (llvm-14 from install-deps.sh; clang looks only for an
# unversioned llvm-symbolizer on PATH).
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then
  export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
fi
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0
summary=()
for target in "${targets[@]}"; do
  corpus="$root/$build/fuzz-corpus/$target"
  artifacts="$root/$build/fuzz-artifacts/$target/"
  log="$root/$build/fuzz-$target.log"
  seed_target "$target" "$corpus"
  rm -rf "$artifacts" && mkdir -p "$artifacts"
  seeds=$(ls "$corpus" | wc -l)
  echo "== fuzz $target: ${seconds}s from $seeds seeds"
  # Text formats: 64 KiB is far above any real job; the GGUF seeds set their own maximum.
  max_len="-max_len=65536"
  if [ "$target" = gguf_reader ]; then max_len=""; fi
  # Tokenizer: 4 KiB of text is a long prompt; longer inputs only slow the regexes down.
  if [ "$target" = tokenizer ]; then max_len="-max_len=4096"; fi
  rc=0
  ( cd "$artifacts" && "$fuzz_dir/${target}_fuzzer" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -malloc_limit_mb=512 $max_len -print_final_stats=1 \
      -artifact_prefix="$artifacts" "$corpus" </dev/null ) >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n1 || true)
  line="$target: ${execs:-?} execs, ${rate:-?} exec/s, ${cov:-cov: ?}, corpus $(ls "$corpus" | wc -l)"
  if [ "$rc" -ne 0 ] || [ -n "$(ls -A "$artifacts")" ]; then
    status=1
    line="$line: FINDING (exit $rc) $(ls "$artifacts" | tr '\n' ' ')"
    grep -E -m1 -A30 '^==[0-9]+==ERROR|runtime error|^fuzz:|deadly signal|ERROR: libFuzzer' "$log" || tail -n 40 "$log"
  fi
  echo "   $line"
  summary+=("$line")
  if [ "$minimize" -eq 1 ]; then
    min="$root/$build/fuzz-corpus-min/$target"
    rm -rf "$min" && mkdir -p "$min"
    "$fuzz_dir/${target}_fuzzer" -merge=1 -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=512 \
      "$min" "$corpus" >"$log.merge" 2>&1
    echo "   minimized: $(ls "$min" | wc -l) files, $(du -sk "$min" | cut -f1) KiB in $min"
  fi
done
echo "== fuzz summary"
printf '   %s\n' "${summary[@]}"
exit "$status"
