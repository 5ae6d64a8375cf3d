// A small catalog stated in code, for planner tests that must not depend on the shipped
// databases (the databases have their own tests, tests/catalog/): models, machines and
// runtimes whose every figure is written in fixture_catalog.cc, so a test's expectation can
// be derived from them.
#ifndef SIZER_TESTS_TESTING_FIXTURE_CATALOG_H_
#define SIZER_TESTS_TESTING_FIXTURE_CATALOG_H_

#include "catalog/catalog.h"

namespace sizer::testing {

// Models (Llama-, Gemma-, Qwen-, Mistral- and DeepSeek-shaped; the ids say what each is for):
//   "dense-8b"    32 layers, d_model 4096, 32 heads, 8 KV heads of 128, FFN 14336,
//                 vocab 128256, 8.0e9 parameters, context 131072
//   "swa-12b"     48 layers, five sliding (window 1024) to one full, 8 KV heads of 256
//   "window-7b"   dense-8b's shape with vocab 32000, every layer sliding (window 4096)
//   "tied-1b"     16 layers, d_model 2048, 8 KV heads of 64, tied embeddings
//   "dense-70b"   80 layers, d_model 8192, 64 heads, 8 KV heads of 128, FFN 28672
//   "dense-405b"  126 layers, d_model 16384, 128 heads, 8 KV heads of 128, FFN 53248
//   "moe-30b"     48 MoE layers of 128 experts (8 per token, expert FFN 768), d_model 2048
//   "hybrid-4b"   three linear (state 548864 elements) to one full layer, 48 layers
//   "mla-16b"     27 layers of multi-head latent attention (kv_lora_rank 512, rope 64), MoE
//   "encoder-568m" an XLM-RoBERTa-large-shaped encoder (family xlm-roberta): 24 layers,
//                 d_model 1024, 16 heads of 64, FFN 4096, vocab 250002, context 8192
// Hardware: "gpu-12g", "gpu-24g", "gpu-80g" (NVIDIA-like, binary GiB; 360 / 1008 / 3350
// GB/s; the 80g has an NVLink-like 450 GB/s link), "mac-128g" (unified, 0.75 GPU wired
// limit, 8 GiB for the OS) and "cpu-64g" (a CPU host for offload, 83.2 GB/s).
// Runtimes: "upfront" (llama.cpp-like: cells padded to 256, no pool, layer split, token
// embedding and logits in host memory, a quantized V cache needs flash attention, one
// machine), "paged" (vLLM-like: 16-token pages, pool 0.90, tensor parallel, 2:4 sparse
// kernels, multi-node) and "cuda-only" (TensorRT-LLM-like: NVIDIA GPUs and safetensors only).
const Catalog& FixtureCatalog();

}  // namespace sizer::testing

#endif  // SIZER_TESTS_TESTING_FIXTURE_CATALOG_H_
