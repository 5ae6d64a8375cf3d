// A small catalog stated in code, for planner tests that must not depend on the shipped
// databases (the databases have their own tests): two models, three GPUs and two runtimes
// whose every figure is written here, so a test's expectation can be derived from them.
#ifndef SIZER_TESTS_TESTING_FIXTURE_CATALOG_H_
#define SIZER_TESTS_TESTING_FIXTURE_CATALOG_H_

#include "catalog/catalog.h"

namespace sizer::testing {

// Models: "dense-8b" (32 layers, d_model 4096, 32 heads, 8 KV heads of 128, FFN 14336,
// vocab 128256, 8.0e9 parameters, context 131072) and "swa-12b" (48 layers, five sliding
// (window 1024) to one full, 8 KV heads of 256).
// Hardware: "gpu-12g", "gpu-24g", "gpu-80g" (binary GiB, 360 / 1008 / 3350 GB/s).
// Runtimes: "upfront" (llama.cpp-like: cells padded to 256, no pool, layer split) and
// "paged" (vLLM-like: 16-token pages, pool 0.90, tensor parallel).
const Catalog& FixtureCatalog();

}  // namespace sizer::testing

#endif  // SIZER_TESTS_TESTING_FIXTURE_CATALOG_H_
