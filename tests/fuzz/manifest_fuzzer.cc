// libFuzzer target for the release manifest reader (LoadManifest, input/manifest.h) against
// the real catalog. The reader takes a path (artifact paths resolve beside the manifest), so
// each input is written to one file in a private temporary folder and loaded from there. Any
// input gives a manifest or an error that starts with the manifest's path.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz_support.h"
#include "input/manifest.h"

namespace {

const std::string& ManifestPath() {
  static const std::string* path = [] {
    char dir[] = "/tmp/sizer-manifest-fuzz-XXXXXX";
    if (mkdtemp(dir) == nullptr) {
      std::perror("fuzz: mkdtemp");
      std::abort();
    }
    static std::string folder = dir;
    // Leaves nothing behind on a normal exit (libFuzzer ends with exit()).
    std::atexit([] {
      std::remove((folder + "/release.yaml").c_str());
      rmdir(folder.c_str());
    });
    return new std::string(folder + "/release.yaml");
  }();
  return *path;
}

void WriteOrDie(const std::string& path, const uint8_t* data, size_t size) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr || (size > 0 && std::fwrite(data, 1, size, f) != size) || std::fclose(f) != 0) {
    std::perror("fuzz: write");
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  sizer::fuzz::LoadCatalogOnce();
  ManifestPath();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string& path = ManifestPath();
  WriteOrDie(path, data, size);
  sizer::StatusOr<sizer::ReleaseManifest> m =
      sizer::LoadManifest(path, sizer::fuzz::LoadCatalogOnce());
  sizer::fuzz::CheckErrorNamesFile(m.status(), path);
  sizer::StatusOr<sizer::PreviousRelease> identity = sizer::LoadReleaseIdentity(path);
  sizer::fuzz::CheckErrorNamesFile(identity.status(), path);
  // Whatever LoadManifest accepts, the identity reader (a subset of it) accepts too.
  if (m.ok() && !identity.ok()) __builtin_trap();
  return 0;
}
