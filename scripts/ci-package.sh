#!/usr/bin/env bash
# Install and package checks (README "Install", "Debian package", "Container", "Library use"):
# a Release build, `cmake --install` into a temporary prefix and a look at the tree, the
# library example built against it, the same after moving the prefix, the .deb built,
# installed with apt-get and run, and the container image where a container engine works.
# One `ci-package: ... ok` line per step; any failure stops it with a non-zero status.
# Installs sizer into the system (apt-get): meant for CI machines, run as root (or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
root_dir="$PWD"
start=$SECONDS
step="setup"
trap 'echo "ci-package: FAILED in step: $step" >&2' ERR

ok() { echo "ci-package: $* ok ($((SECONDS - start))s)"; }
fail() { echo "ci-package: $step: $*" >&2; exit 1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

build=build-package
job_rel=worksheets/chat-assistant-8b.yaml
tmp="$(mktemp -d "${TMPDIR:-/tmp}/sizer-ci-package.XXXXXX")"
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT

step="deps"
bash scripts/install-deps.sh
ok "deps"

step="configure and build"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSIZER_BUILD_TESTS=OFF \
      -DSIZER_BUILD_FUZZERS=OFF > "$tmp/configure.log" || { cat "$tmp/configure.log"; false; }
cmake --build "$build" -j2 > "$tmp/build.log" 2>&1 || { tail -50 "$tmp/build.log"; false; }
ok "configure and build (Release, $build/)"

# The data directory `sizer --version` reports, and the rule that picked it.
expect_data_dir() {  # BINARY DIR RULE
  local line
  line="$(env -u SIZER_DATA_DIR "$1" --version)"
  echo "  $line"
  [[ "$line" == *"(data: $2, from $3)"* ]] || fail "$1 --version: expected data $2 from $3"
}

# Plans the example job with the installed binary, from another directory, without
# $SIZER_DATA_DIR: the data must be found from the binary's own location.
plan_with() {  # PREFIX
  (cd "$tmp" && env -u SIZER_DATA_DIR "$1/bin/sizer" plan "$1/share/sizer/$job_rel" --summary \
     > "$tmp/plan.out") || { cat "$tmp/plan.out"; fail "sizer plan with prefix $1"; }
  grep -q "admit" "$tmp/plan.out" || fail "sizer plan printed no verdicts"
}

# Builds examples/library as a separate project against PREFIX and runs it.
example_with() {  # PREFIX BUILD_DIR
  cmake -S examples/library -B "$2" -G Ninja -DCMAKE_PREFIX_PATH="$1" \
        -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF > "$2.log" 2>&1 || { cat "$2.log"; false; }
  cmake --build "$2" >> "$2.log" 2>&1 || { cat "$2.log"; false; }
  grep -q "sizer_DIR:PATH=$1/" "$2/CMakeCache.txt" || fail "find_package(sizer) did not find $1"
  "$2/plan_job" "$1/share/sizer/$job_rel" "$1/share/sizer" > "$2.out" || { cat "$2.out"; false; }
  grep -Eq ": (admit|reject)" "$2.out" || { cat "$2.out"; fail "plan_job printed no verdicts"; }
  sed 's/^/  /' "$2.out"
}

step="install"
prefix="$tmp/install/prefix"
cmake --install "$build" --prefix "$prefix" > "$tmp/install.log"
for f in bin/sizer lib/libsizer_base.a lib/cmake/sizer/sizerConfig.cmake \
         lib/cmake/sizer/sizerConfigVersion.cmake lib/cmake/sizer/sizerTargets.cmake \
         share/sizer/worksheets/chat-assistant-8b.yaml; do
  [ -e "$prefix/$f" ] || fail "missing $f"
done
[ -x "$prefix/bin/sizer" ] || fail "bin/sizer is not executable"
for d in hardware_db model_db runtime_db worksheets reports/templates; do
  [ -n "$(ls -A "$prefix/share/sizer/$d")" ] || fail "share/sizer/$d is empty"
done
# Relocatable: no absolute path of this checkout or of the prefix in the CMake package.
if grep -rlF -e "$root_dir" -e "$prefix" "$prefix/lib/cmake/sizer"; then
  fail "absolute paths in the installed CMake package"
fi
echo "  $(find "$prefix" -type f | wc -l) files, $(du -sh "$prefix" | cut -f1)"
ok "install (bin, share/sizer, lib, lib/cmake/sizer)"

step="headers"
# Exactly the public headers and the project headers they include, nothing else: computed
# here again, from the installed tree, independently of cmake/SizerInstall.cmake.
inc="$prefix/include/sizer"
mapfile -t public < <(grep -v '^$' "$build/sizer_public_headers.txt")
declare -A seen=()
todo=("${public[@]}")
while [ ${#todo[@]} -gt 0 ]; do
  h="${todo[0]}"; todo=("${todo[@]:1}")
  [ -n "${seen[$h]:-}" ] && continue
  [ -f "$inc/$h" ] || fail "include/sizer/$h is included but not installed"
  seen[$h]=1
  while IFS= read -r i; do todo+=("$i"); done \
    < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$inc/$h")
done
installed="$(cd "$inc" && find . -type f | sed 's|^\./||' | sort)"
closure="$(printf '%s\n' "${!seen[@]}" | sort)"
[ "$installed" = "$closure" ] || {
  diff <(echo "$closure") <(echo "$installed") >&2 || true
  fail "installed headers differ from the closure of the public headers"
}
# Each public header compiles on its own against the installed tree.
for h in "${public[@]}"; do
  c++ -std=c++20 -fsyntax-only -I"$inc" -x c++ "$inc/$h" || fail "include/sizer/$h does not compile alone"
done
ok "headers (${#public[@]} public, $(echo "$installed" | wc -l) installed, each public one compiles alone)"

step="installed binary"
expect_data_dir "$prefix/bin/sizer" "$prefix/share/sizer" "next to the executable"
plan_with "$prefix"
ok "installed binary (sizer plan, data next to the executable)"

step="library example"
example_with "$prefix" "$tmp/example"
ok "library example (find_package(sizer), sizer::core)"

step="relocated prefix"
moved="$tmp/moved/somewhere/else"
mkdir -p "$(dirname "$moved")"
mv "$prefix" "$moved"
expect_data_dir "$moved/bin/sizer" "$moved/share/sizer" "next to the executable"
plan_with "$moved"
example_with "$moved" "$tmp/example-moved"
ok "relocated prefix (sizer plan and the example from $moved)"

step="deb"
rm -f "$build"/sizer_*.deb "$build"/sizer-dev_*.deb
(cd "$build" && cpack -G DEB > "$tmp/cpack.log") || { cat "$tmp/cpack.log"; false; }
deb="$(ls "$build"/sizer_*.deb)"
dev_deb="$(ls "$build"/sizer-dev_*.deb)"
depends="$(dpkg-deb -f "$deb" Depends)"
echo "  $(basename "$deb"): Depends: $depends"
echo "  $(basename "$dev_deb"): Depends: $(dpkg-deb -f "$dev_deb" Depends)"
# Every shared library the binary loads must come from a package the .deb depends on.
owner() {  # LIBRARY PATH -> Debian package (dpkg knows either the /lib or the /usr/lib path)
  local p="$1" alt
  alt="$(readlink -f "$p")"
  for q in "$p" "$alt" "/usr${p#/usr}" "${alt#/usr}"; do
    dpkg -S "$q" 2>/dev/null | head -1 | cut -d: -f1 && return 0
  done
  return 1
}
while read -r lib; do
  pkg="$(owner "$lib")" || fail "no Debian package owns $lib"
  [[ ", $depends," == *", $pkg"[\ ,]* ]] || fail "$lib is in $pkg, which Depends does not name"
done < <(ldd "$moved/bin/sizer" | awk '$2 == "=>" && $3 ~ /^\// {print $3}')
ok "deb ($(basename "$deb"), $(basename "$dev_deb"); Depends covers every linked library)"

step="apt-get install"
# A clean install: drop an earlier one first (same version would not be reinstalled).
if dpkg-query -W -f='${Status}' sizer 2>/dev/null | grep -q "install ok installed"; then
  as_root apt-get purge -y -qq sizer-dev sizer > /dev/null
fi
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ./"$build"/sizer_*.deb \
  > "$tmp/apt.log" 2>&1 || { cat "$tmp/apt.log"; false; }
[ "$(command -v sizer)" = /usr/bin/sizer ] || fail "sizer is not /usr/bin/sizer"
(cd "$tmp" && env -u SIZER_DATA_DIR sizer plan /usr/share/sizer/worksheets/chat-assistant-8b.yaml \
   > "$tmp/plan-usr.out") || { cat "$tmp/plan-usr.out"; false; }
grep -q "admit" "$tmp/plan-usr.out" || fail "sizer plan printed no verdicts"
expect_data_dir /usr/bin/sizer /usr/share/sizer "next to the executable"
ok "apt-get install ./$build/sizer_*.deb (sizer plan /usr/share/sizer/$job_rel, sizer --version)"

step="apt-get install sizer-dev"
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ./"$build"/sizer-dev_*.deb \
  > "$tmp/apt-dev.log" 2>&1 || { cat "$tmp/apt-dev.log"; false; }
example_with /usr "$tmp/example-usr"
ok "apt-get install ./$build/sizer-dev_*.deb (the library example against /usr)"

step="container"
if ! command -v docker > /dev/null; then
  echo "ci-package: container skipped: no docker command on this machine"
elif ! docker_err="$(docker info 2>&1 > /dev/null)"; then
  echo "ci-package: container skipped: 'docker info' failed ($(echo "$docker_err" | grep -v '^$' | tail -1))"
else
  docker build -t sizer:ci . > "$tmp/docker.log" 2>&1 || { tail -50 "$tmp/docker.log"; false; }
  docker run --rm -v "$root_dir:/work" sizer:ci plan "/work/$job_rel" --summary > "$tmp/docker.out" \
    || { cat "$tmp/docker.out"; false; }
  grep -q "admit" "$tmp/docker.out" || fail "docker run printed no verdicts"
  ok "container (docker build, docker run -v \$PWD:/work sizer:ci plan /work/$job_rel)"
fi

echo "ci-package: all steps ok in $((SECONDS - start))s"
