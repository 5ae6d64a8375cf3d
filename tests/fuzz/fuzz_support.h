// Shared by the text-format fuzz targets: the catalog they parse against and the contract
// every parser error must keep (a non-empty message that starts with the file it names, so a
// user can find the problem).
#ifndef SIZER_TESTS_FUZZ_FUZZ_SUPPORT_H_
#define SIZER_TESTS_FUZZ_FUZZ_SUPPORT_H_

#include <cstdio>
#include <cstdlib>
#include <string>

#include "base/status.h"
#include "catalog/catalog.h"

namespace sizer::fuzz {

// The repository's databases ($SIZER_DATA_DIR, else the source tree the target was built
// from), loaded once in LLVMFuzzerInitialize: loading them per input would cost more than the
// parse under test.
inline const Catalog& LoadCatalogOnce() {
  static const Catalog* catalog = [] {
    const char* env = std::getenv("SIZER_DATA_DIR");
    const std::string root = env != nullptr && *env != '\0' ? env : SIZER_FUZZ_SOURCE_DIR;
    StatusOr<Catalog> loaded = Catalog::Load(root);
    if (!loaded.ok()) {
      std::fprintf(stderr, "fuzz: cannot load the catalog: %s\n",
                   loaded.status().message().c_str());
      std::abort();
    }
    return new Catalog(std::move(loaded).value());
  }();
  return *catalog;
}

// An error must say what went wrong and where: "FILE..." first.
inline void CheckErrorNamesFile(const Status& status, const std::string& file) {
  if (status.ok()) return;
  const std::string& m = status.message();
  if (m.empty() || m.compare(0, file.size(), file) != 0) {
    std::fprintf(stderr, "fuzz: error does not start with '%s': '%s'\n", file.c_str(), m.c_str());
    std::abort();
  }
}

}  // namespace sizer::fuzz

#endif  // SIZER_TESTS_FUZZ_FUZZ_SUPPORT_H_
