// The tools of `sizer mcp` (service/mcp_server.h): their schemas, the check of arguments
// against them, and the call into service/api.h.
#include <string>

#include "service/api.h"
#include "service/mcp_server.h"

namespace sizer::service {
namespace {

using nlohmann::json;

json Prop(json type, const std::string& description) {
  return {{"type", std::move(type)}, {"description", description}};
}

// The question's keys shared by fit and recommend, each described for an agent.
json QuestionProperties(bool machines) {
  json p = {
      {"quant", Prop("string", "Weight format, e.g. Q4_K_M, Q8_0, F16, AWQ-INT4, FP8. Default: Q4_K_M "
                               "on GGUF runtimes; a .gguf model's own type.")},
      {"context", Prop({"string", "integer"}, "Context per sequence in tokens: 8192, or \"32k\" "
                                              "(= 32768). Default: the model's maximum capped at 8192.")},
      {"concurrency", Prop({"string", "integer"}, "Sequences decoded at once (default 1).")},
      {"runtime", Prop("string", "Serving runtime: llama.cpp (default), vllm, sglang, ollama, "
                                 "lmstudio, mlx, tensorrt-llm.")},
      {"kv_cache_dtype", Prop("string", "KV cache type: f16 (default), q8_0, fp8, q4_0.")},
      {"prompt_tokens", Prop({"string", "integer"}, "A typical prompt in tokens (default 1024, at most "
                                                    "half the context); sets time to first token.")},
      {"output_tokens", Prop({"string", "integer"}, "A typical answer in tokens (default 256).")},
      {"min_decode", Prop({"string", "number"}, "Gate: the least decode speed per sequence, in "
                                                "tokens/s, a machine must reach to be admitted.")},
      {"set", {{"type", "array"}, {"items", {{"type", "string"}}},
               {"description", "Any other job key as \"KEY=VALUE\" (a YAML value), e.g. "
                               "\"gates.max_ttft_ms=2000\", \"cost.requests_per_month=200000\"."}}},
  };
  if (machines) {
    p["on"] = Prop({"string", "array"}, "The machines to check: hardware ids (list_hardware) with "
                                        "optional device counts, \"rtx-4090,2x rtx-4090,h100-sxm\" or "
                                        "[\"rtx-4090\", \"2x h100-sxm\"]. Default: this-machine (the "
                                        "server's saved probe, when it has one).");
    p["gpu"] = Prop("string", "One machine, e.g. \"2x rtx-4090\" (like on).");
    p["memory"] = Prop("string", "A device not in the database: its memory, e.g. \"24GiB\" (with bandwidth).");
    p["bandwidth"] = Prop("string", "The custom device's memory bandwidth, e.g. \"1TB/s\".");
    p["tflops"] = Prop({"string", "number"}, "The custom device's dense FP16 TFLOPS (default 100; prefill only).");
  }
  return p;
}

const char kModelText[] =
    "A model_db id (see list_models), e.g. \"llama-3.1-8b\", or a .gguf file under the server's "
    "models folder, e.g. \"sub/model.gguf\" (relative; no '..', no absolute paths).";

json Tool(const std::string& name, const std::string& description, json properties,
          std::vector<std::string> required) {
  return {{"name", name},
          {"description", description},
          {"inputSchema", {{"type", "object"},
                           {"properties", std::move(properties)},
                           {"required", std::move(required)},
                           {"additionalProperties", false}}}};
}

json FitTool() {
  json p = QuestionProperties(true);
  p["model"] = Prop("string", kModelText);
  p["max_context"] = Prop("boolean", "true: answer only the largest context that fits on each machine.");
  return Tool("fit",
              "Will this model fit these machines at this context, and how fast? Answers, per machine, "
              "admit or reject with every reason, the memory stack (weights, KV cache, runtime), decode "
              "tokens/s, time to first token, the largest context and concurrency that fit, and the "
              "cost. The same JSON as `sizer fit MODEL ... --json`.",
              std::move(p), {"model"});
}

json RecommendTool() {
  json p = QuestionProperties(false);
  p["job"] = Prop({"object", "string"}, "A job (as for the plan tool) whose workload to search for; "
                                        "give job or model, not both.");
  p["model"] = Prop("string", std::string(kModelText) + " Give job or model.");
  p["rank"] = {{"type", "string"},
               {"enum", {"cost", "speed", "cost-per-million-tokens", "headroom"}},
               {"description", "Order of the machines: cost (monthly, default), speed (decode per "
                               "sequence), cost-per-million-tokens, headroom (memory left)."}};
  p["top"] = Prop("integer", "How many machines to list (default 5).");
  p["quants"] = Prop({"string", "array"}, "Formats to search: \"auto\" (every format the runtime "
                                          "loads) or a list such as \"Q4_K_M,Q8_0\". Default: the job's.");
  p["kv_dtypes"] = Prop({"string", "array"}, "KV cache types to search: \"auto\" or a list. Default: the job's.");
  p["runtimes"] = Prop({"string", "array"}, "Runtimes to search: \"all\" or a list. Default: the job's.");
  p["counts"] = Prop({"string", "array"}, "Devices per machine to try (default \"1,2,4,8\").");
  p["hardware"] = Prop("string", "The inverse question: which models fit this machine (\"rtx-4090\", "
                                 "\"2x rtx-4090\"), largest first. Without job and model.");
  p["date"] = Prop("string", "Today as YYYY-MM-DD, for the price-age warnings (default: today).");
  return Tool("recommend",
              "Which hardware should run this model or job? Searches every machine in the hardware "
              "database x device counts x formats x KV cache types x runtimes, and answers the admitted "
              "machines ranked (cheapest first by default) with why each is there and the Pareto front "
              "of cost against speed. With hardware: the models that fit one machine. The same JSON as "
              "`sizer recommend ... --json`.",
              std::move(p), {});
}

}  // namespace

const json& McpTools() {
  static const json kTools = json::array({
      Tool("plan",
           "Plan a deployment job: for every candidate machine, admit or reject with every reason, "
           "the memory buckets, decode and prefill speed, the largest context and concurrency that "
           "fit, and the monthly cost against a hosted API. The same JSON as `sizer plan JOB --json`.",
           {{"job", Prop({"object", "string"},
                         "The job: a JSON object (or YAML text) with the keys of a sizer job file: job "
                         "(a name), model, quant, context_tokens, concurrency, runtime, candidates "
                         "(hardware ids or {hardware, count}), gates, cost, ...")}},
           {"job"}),
      FitTool(),
      RecommendTool(),
      Tool("inspect",
           "What a model holds: for a .gguf file under the models folder, its header (architecture, "
           "parameters, weight bytes by tensor type, KV bytes per token), as `sizer inspect FILE "
           "--json`; for a model_db id, its database entry, as `sizer db show ID --json`.",
           {{"model", Prop("string", kModelText)}}, {"model"}),
      Tool("list_hardware",
           "Every machine in the hardware database: id, kind, memory, bandwidth, FP16 TFLOPS, price "
           "and their sources (`sizer db list hardware --json`, under \"hardware\").",
           json::object(), {}),
      Tool("list_models",
           "Every model in the model database: id, name, parameters, layers, attention layout, "
           "maximum context and sources (`sizer db list models --json`, under \"models\").",
           json::object(), {}),
  });
  return kTools;
}

namespace {

bool HasType(const json& value, const std::string& type) {
  if (type == "string") return value.is_string();
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  if (type == "array") return value.is_array();
  if (type == "object") return value.is_object();
  return false;
}

std::string TypeText(const json& type) {
  if (type.is_string()) return type.get<std::string>();
  std::string out;
  for (const json& t : type) out += (out.empty() ? "" : " or ") + t.get<std::string>();
  return out;
}

}  // namespace

Status CheckToolArguments(const json& tool, const json& arguments) {
  const std::string name = tool["name"];
  if (!arguments.is_object()) {
    return Status::InvalidArgument(name + ": arguments must be an object, got " + std::string(arguments.type_name()));
  }
  const json& schema = tool["inputSchema"];
  for (const json& required : schema["required"]) {
    if (!arguments.contains(required.get<std::string>())) {
      return Status::InvalidArgument(name + ": missing required argument '" + required.get<std::string>() + "'");
    }
  }
  const json& properties = schema["properties"];
  for (const auto& [key, value] : arguments.items()) {
    auto property = properties.find(key);
    if (property == properties.end()) {
      std::string known;
      for (const auto& [k, v] : properties.items()) known += (known.empty() ? "" : ", ") + k;
      return Status::InvalidArgument(name + ": unknown argument '" + key + "'" +
                                     (known.empty() ? " (this tool takes none)" : " (expected " + known + ")"));
    }
    const json& type = (*property)["type"];
    bool ok = false;
    if (type.is_string()) {
      ok = HasType(value, type.get<std::string>());
    } else {
      for (const json& t : type) ok = ok || HasType(value, t.get<std::string>());
    }
    if (!ok) {
      return Status::InvalidArgument(name + ": argument '" + key + "' must be " + TypeText(type) +
                                     ", got " + std::string(value.type_name()));
    }
  }
  return Status();
}

StatusOr<json> RunMcpTool(const ServiceContext& ctx, const std::string& name, const json& arguments) {
  if (name == "plan") {
    const json& job = arguments.at("job");
    return PlanJson(ctx, job.is_string() ? job.get<std::string>()
                                         : job.dump(-1, ' ', false, json::error_handler_t::replace));
  }
  if (name == "fit") return FitJson(ctx, arguments);
  if (name == "recommend") return RecommendJson(ctx, arguments);
  if (name == "inspect") return InspectJson(ctx, arguments.at("model").get<std::string>());
  if (name == "list_hardware") return HardwareJson(ctx);
  if (name == "list_models") return ModelsJson(ctx);
  return Status::NotFound("unknown tool '" + name + "'");
}

}  // namespace sizer::service
