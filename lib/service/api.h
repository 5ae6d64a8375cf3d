// lib/service/api.h — one request in, the CLI's JSON out. Used by `sizer mcp` and `sizer serve`.
// Each function answers what the matching command prints with --json, through the same library
// code as the command (the CLI calls these functions or their building blocks, service/*.h), and
// fails with the same one-line message the command prints after "sizer: error: ". A request
// never reads a file except a model file under ServiceContext::models_dir (ResolveModelPath):
// no price files, no calibration files, no output files; the saved probe of this machine
// (hardware id `this-machine`) is the one Catalog::Load read when the server started.
// Status codes map to HTTP as: kInvalidArgument/kCorruption/kUnsupported -> 400, kNotFound ->
// 404, anything else -> 500.
#ifndef SIZER_SERVICE_API_H_
#define SIZER_SERVICE_API_H_

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "catalog/catalog.h"

namespace sizer::service {

struct ServiceContext {
  const Catalog* catalog = nullptr;          // model_db, hardware_db, runtime_db as loaded by the CLI
  std::filesystem::path models_dir;          // empty = no model files may be named in requests
  int search_threads = 1;                    // recommend's thread pool size per request
};

// The largest request body (a job, parameters) a service function accepts.
inline constexpr size_t kMaxRequestBodyBytes = size_t{1} << 20;  // 1 MiB
// The file name a job sent in a request carries in messages ("(request):3:8: quant: ...").
inline constexpr const char* kRequestFileName = "(request)";

// A model file named in a request ("llama.gguf", "sub/x.gguf") resolved under models_dir: refuses
// empty models_dir, absolute paths, "..", and anything whose canonical path (symlinks resolved)
// is not under canonical(models_dir). kInvalidArgument / kNotFound with a one-line message.
StatusOr<std::filesystem::path> ResolveModelPath(const ServiceContext& ctx, std::string_view requested);
// body = a job as JSON or YAML (same schema as a job file; a `model:` that is a file path goes
// through ResolveModelPath). Returns exactly what `sizer plan JOB --json` prints.
StatusOr<nlohmann::json> PlanJson(const ServiceContext& ctx, std::string_view body);
// params = {"model": "...", "quant": "Q4_K_M", "context": "32k", "concurrency": 8, "runtime": ...,
//           "kv_cache_dtype", "prompt_tokens", "output_tokens", "min_decode", "on": "rtx-4090,2x h100-sxm",
//           "gpu", "memory", "bandwidth", "tflops", "set": ["k=v", ...], "max_context": bool}
// (the long flag names of `sizer fit` with '-' -> '_'); unknown keys are refused (kInvalidArgument
// naming the key). Returns exactly what `sizer fit ... --json` prints.
StatusOr<nlohmann::json> FitJson(const ServiceContext& ctx, const nlohmann::json& params);
// The same for `sizer recommend ... --json` (its flags as keys: rank, top, quants, kv_dtypes,
// runtimes, hardware (inverse), prices not allowed (no file access), ...).
StatusOr<nlohmann::json> RecommendJson(const ServiceContext& ctx, const nlohmann::json& params);
// `sizer inspect MODEL --json` for a file under models_dir; for a model_db id, what
// `sizer db show ID --json` prints.
StatusOr<nlohmann::json> InspectJson(const ServiceContext& ctx, std::string_view model);
nlohmann::json ModelsJson(const ServiceContext& ctx);      // `sizer db list models --json`
nlohmann::json HardwareJson(const ServiceContext& ctx);    // `sizer db list hardware --json`
nlohmann::json RuntimesJson(const ServiceContext& ctx);    // what `sizer runtimes --json` prints
StatusOr<nlohmann::json> ModelJson(const ServiceContext& ctx, std::string_view id);  // one entry, kNotFound
// The HTML report (`sizer report JOB --format html`) for a job body as in PlanJson.
StatusOr<std::string> ReportHtml(const ServiceContext& ctx, std::string_view body);

}  // namespace sizer::service

#endif  // SIZER_SERVICE_API_H_
