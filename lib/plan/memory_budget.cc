#include "plan/memory_budget.h"

#include <algorithm>
#include <cmath>

#include "plan/encoder.h"

namespace sizer {
namespace {

// One device of a placement, before the job's overrides and the derived buckets.
struct Placement {
  std::string label;
  const HardwareSpec* hardware = nullptr;
  int64_t node = 0;
  int64_t layers = 0;
  double weights = 0, kv = 0, runtime = 0, activation = 0;
  // How a pinned KV bucket is split: the device's head share x layer share of the cache, or
  // (kv_rest) whatever the devices before it do not hold.
  double kv_head_share = 1, kv_layer_share = 1;
  bool kv_rest = false;
};

// What every placement strategy reads: the candidate, its weights, the KV cache and runtime
// buffers of the whole job, and the weights that sit outside the blocks.
struct Layout {
  const PlanInputs& in;
  const Candidate& c;
  const WeightPlan& w;
  const KvPlan& kv;
  const RuntimeMemory& rt;
  bool embedding_on_host = false;  // llama.cpp keeps token_embd in host memory on a GPU
  double device_weights = 0;       // all weights but a host-side embedding table
  double loose_bytes = 0;          // output_norm and other tensors outside the blocks
};

Layout MakeLayout(const PlanInputs& in, const Candidate& c, const WeightPlan& w, const KvPlan& kv,
                  const RuntimeMemory& rt) {
  Layout l{in, c, w, kv, rt, false, 0, 0};
  // A tied table serves the output too, so it stays on the device, unless the task
  // (embed/rerank) computes no vocab logits: then the table is input only.
  const bool input_only = !in.model.tied_embeddings || in.job->extras.task != ServeTask::kGenerate;
  l.embedding_on_host = in.runtime.token_embedding_on_host &&
                        c.hardware.kind == HardwareKind::kGpu && input_only;
  l.device_weights = w.total_bytes - (l.embedding_on_host ? w.token_embedding_bytes : 0.0);
  double block_bytes = 0;
  for (double b : w.layer_bytes) block_bytes += b;
  l.loose_bytes =
      std::max(0.0, w.total_bytes - block_bytes - w.token_embedding_bytes - w.output_bytes);
  return l;
}

// Splits `n_layers` into `parts` contiguous ranges, the first ranges one layer longer.
std::vector<std::pair<int64_t, int64_t>> SplitLayers(int64_t n_layers, int64_t parts) {
  std::vector<std::pair<int64_t, int64_t>> ranges;
  int64_t begin = 0;
  for (int64_t p = 0; p < parts; ++p) {
    int64_t size = n_layers / parts + (p < n_layers % parts ? 1 : 0);
    ranges.emplace_back(begin, begin + size);
    begin += size;
  }
  return ranges;
}

double LayerBytes(const WeightPlan& w, int64_t begin, int64_t end) {
  double total = 0;
  for (int64_t l = begin; l < end; ++l) total += w.layer_bytes[static_cast<size_t>(l)];
  return total;
}

// The share of the attention K/V one of `tp` tensor-parallel devices holds: its heads, but
// never less than one head (heads are replicated when tp > n_kv_heads); MLA's latent is
// replicated on every device (vLLM and SGLang shard heads this way).
double KvHeadShare(const ModelSpec& m, int64_t tp) {
  if (m.has_mla) return 1.0;
  return std::max(1.0 / static_cast<double>(tp), 1.0 / static_cast<double>(m.n_kv_heads));
}

// The weights of layers [begin, end) of a contiguous split, plus what the first range (the
// token embedding, unless the host keeps it) and the last (output, loose tensors, a tied
// embedding) carry.
double RangeWeights(const Layout& l, int64_t begin, int64_t end, bool first, bool last) {
  const ModelSpec& m = l.in.model;
  double bytes = LayerBytes(l.w, begin, end);
  if (last) {
    bytes += l.w.output_bytes + l.loose_bytes +
             (m.tied_embeddings && !l.embedding_on_host ? l.w.token_embedding_bytes : 0.0);
  }
  if (first && !l.embedding_on_host && !m.tied_embeddings) bytes += l.w.token_embedding_bytes;
  return bytes;
}

// One device holds the whole model.
std::vector<Placement> PlaceOnOneDevice(const Layout& l) {
  Placement p;
  p.label = l.c.hardware.id;
  p.weights = l.device_weights;
  p.kv = l.kv.bytes;
  p.runtime = l.rt.runtime_bytes;
  p.activation = l.rt.activation_bytes;
  return {p};
}

// Tensor parallel: every layer split n ways: weights / n, the KV head share (plus 1/n of the
// linear-layer states), the activations / n; each device keeps its own runtime buffers.
std::vector<Placement> PlaceTensorParallel(const Layout& l) {
  const int64_t n = l.c.count;
  const double tp = static_cast<double>(n);
  const double head_share = KvHeadShare(l.in.model, n);
  std::vector<Placement> devices;
  for (int64_t i = 0; i < n; ++i) {
    Placement p;
    p.label = l.c.hardware.id + " #" + std::to_string(i + 1);
    p.weights = l.device_weights / tp;
    p.kv = l.kv.attention_bytes * head_share + l.kv.state_bytes / tp;
    p.kv_head_share = head_share;
    p.runtime = l.rt.runtime_bytes;
    p.activation = l.rt.activation_bytes / tp;
    devices.push_back(p);
  }
  return devices;
}

// Layer split (llama.cpp --split-mode layer): contiguous layer ranges, each device the KV of
// its layers and the whole micro-batch's activations; the output matrix on the last device.
std::vector<Placement> PlaceLayerSplit(const Layout& l) {
  const ModelSpec& m = l.in.model;
  const int64_t n = l.c.count;
  const auto ranges = SplitLayers(m.n_layers, n);
  std::vector<Placement> devices;
  for (int64_t i = 0; i < n; ++i) {
    auto [begin, end] = ranges[static_cast<size_t>(i)];
    Placement p;
    p.label = l.c.hardware.id + " #" + std::to_string(i + 1);
    p.layers = end - begin;
    p.kv_layer_share = static_cast<double>(end - begin) / static_cast<double>(m.n_layers);
    p.weights = RangeWeights(l, begin, end, i == 0, i == n - 1);
    p.kv = l.kv.bytes * p.kv_layer_share;
    p.runtime = l.rt.runtime_bytes;
    p.activation = l.rt.activation_bytes;
    devices.push_back(p);
  }
  return devices;
}

// CPU offload (llama.cpp -ngl): the last gpu_layers blocks on the GPU, the rest, the
// embedding table and (unless every block is offloaded) the output matrix on the host.
std::vector<Placement> PlaceWithOffload(const Layout& l) {
  const ModelSpec& m = l.in.model;
  const int64_t g = std::min(l.c.offload->gpu_layers, m.n_layers);
  const double gpu_share = static_cast<double>(g) / static_cast<double>(m.n_layers);
  const bool output_on_gpu = g >= m.n_layers;
  Placement gpu;
  gpu.label = l.c.hardware.id + " (" + std::to_string(g) + "/" + std::to_string(m.n_layers) +
              " layers)";
  gpu.layers = g;
  gpu.weights = LayerBytes(l.w, m.n_layers - g, m.n_layers) +
                (output_on_gpu ? l.w.output_bytes + l.loose_bytes : 0.0);
  gpu.kv_layer_share = gpu_share;
  gpu.kv = l.kv.bytes * gpu_share;
  gpu.runtime = l.rt.runtime_bytes;
  gpu.activation = g > 0 ? l.rt.activation_bytes : 0.0;
  Placement host;
  host.label = "host " + l.c.offload->host.id;
  host.hardware = &l.c.offload->host;
  host.weights = l.w.total_bytes - gpu.weights;
  host.kv_rest = true;
  host.kv = l.kv.bytes - gpu.kv;
  host.runtime = l.in.runtime.device_context_bytes.cpu + l.rt.host_bytes;
  host.activation = l.rt.activation_bytes * (1.0 - gpu_share);
  return {gpu, host};
}

// Multi-node, as vLLM lays it out (docs: serving/parallelism_scaling): one pipeline stage of
// contiguous layers per node, each stage tensor-parallel over the node's `count` devices.
// Per device: the stage's weights / n, its layers' KV head share, its own runtime buffers,
// the activations / n.
std::vector<Placement> PlaceOverNodes(const Layout& l) {
  const ModelSpec& m = l.in.model;
  const int64_t n = l.c.count;
  const double tp = static_cast<double>(n);
  const double head_share = KvHeadShare(m, n);
  const auto ranges = SplitLayers(m.n_layers, l.c.nodes);
  std::vector<Placement> devices;
  for (int64_t node = 0; node < l.c.nodes; ++node) {
    auto [begin, end] = ranges[static_cast<size_t>(node)];
    const double share = static_cast<double>(end - begin) / static_cast<double>(m.n_layers);
    const double stage_weights = RangeWeights(l, begin, end, node == 0, node == l.c.nodes - 1);
    for (int64_t i = 0; i < n; ++i) {
      Placement p;
      p.label = l.c.hardware.id + " node " + std::to_string(node + 1) + " #" + std::to_string(i + 1);
      p.node = node;
      p.layers = end - begin;
      p.weights = stage_weights / tp;
      p.kv = (l.kv.attention_bytes * head_share + l.kv.state_bytes / tp) * share;
      p.kv_head_share = head_share;
      p.kv_layer_share = share;
      p.runtime = l.rt.runtime_bytes;
      p.activation = l.rt.activation_bytes / tp;
      devices.push_back(p);
    }
  }
  return devices;
}

// The extras (plan/extras.h) join the buckets: on the one device, on the GPU of an offload,
// on the first device of a layer split (llama.cpp puts the mmproj, the draft and the adapters
// on its main GPU), split evenly when the runtime shards every layer (tensor parallel, nodes).
void PlaceExtras(const ExtrasMemory& x, const Candidate& c, MultiDevice mode,
                 std::vector<Placement>& devices) {
  if (!x.any()) return;
  const bool sharded = c.nodes > 1 || (c.count > 1 && !c.offload && mode == MultiDevice::kTensorParallel);
  const double n = sharded ? static_cast<double>(devices.size()) : 1.0;
  for (size_t i = 0; i < devices.size(); ++i) {
    if (!sharded && i > 0) break;
    Placement& p = devices[i];
    p.weights += x.weights_bytes / n;
    p.kv += x.kv_bytes / n;
    p.activation += x.activation_bytes / n;
    p.runtime += x.runtime_bytes;
  }
}

std::vector<Placement> Place(const Layout& l, MultiDevice mode) {
  if (l.c.nodes > 1) return PlaceOverNodes(l);
  if (l.c.offload) return PlaceWithOffload(l);
  if (l.c.count == 1) return PlaceOnOneDevice(l);
  if (mode == MultiDevice::kTensorParallel) return PlaceTensorParallel(l);
  return PlaceLayerSplit(l);
}

// The job's memory_overrides, all in one place: a pinned KV bucket is split by each device's
// KV shares; a pinned weights bucket is the whole model on a single device (elsewhere the
// WeightPlan is already rescaled to it, and the estimate would subtract the embedding table
// llama.cpp keeps in host memory); runtime and activations replace the estimates per device.
void ApplyOverrides(const MemoryOverrides& o, std::vector<Placement>& devices) {
  double kv_placed = 0;
  for (Placement& p : devices) {
    if (o.kv_cache_bytes) {
      p.kv = p.kv_rest ? *o.kv_cache_bytes - kv_placed
                       : *o.kv_cache_bytes * p.kv_head_share * p.kv_layer_share;
      kv_placed += p.kv;
    }
    if (o.weights_bytes && devices.size() == 1) p.weights = *o.weights_bytes;
    p.runtime = o.runtime_bytes.value_or(p.runtime);
    p.activation = o.activation_bytes.value_or(p.activation);
  }
}

// The device's budget: the fragmentation bucket (a share of the KV cache and activations,
// unless pinned), the total, and what the device may use after the reserve.
DeviceBudget Budget(const PlanInputs& in, const Placement& p) {
  const JobSpec& job = *in.job;
  DeviceBudget d;
  d.label = p.label;
  d.kind = p.hardware->kind;
  d.node = p.node;
  d.layers = p.layers;
  d.weights_bytes = p.weights;
  d.kv_cache_bytes = p.kv;
  d.runtime_bytes = p.runtime;
  d.activation_bytes = p.activation;
  d.fragmentation_bytes = job.memory_overrides.fragmentation_bytes.value_or(
      in.runtime.fragmentation_fraction * (d.kv_cache_bytes + d.activation_bytes));
  d.planned_bytes = d.weights_bytes + d.kv_cache_bytes + d.runtime_bytes + d.activation_bytes +
                    d.fragmentation_bytes;
  d.capacity_bytes = CapacityBytes(*p.hardware, job.assumptions);
  d.capacity_in_binary_units = p.hardware->memory_in_binary_units;
  d.usable_bytes = d.capacity_bytes * (1.0 - job.gates.reserve_fraction);
  return d;
}

// Paged-pool runtimes (vLLM, SGLang) take utilization x capacity whatever the job needs: a
// given utilization fixes the pool and must leave room for the job's KV; without one, the
// smallest utilization that holds every device's plan is recommended.
void ApplyPagedPool(const PlanInputs& in, MemoryPlan& plan) {
  if (in.runtime.kv_allocation != KvAllocation::kPagedPool) return;
  const std::optional<double>& given = in.job->assumptions.gpu_memory_utilization;
  if (!given) {
    double worst = 0;
    for (const DeviceBudget& d : plan.devices) worst = std::max(worst, d.planned_bytes / d.capacity_bytes);
    plan.recommended_pool_fraction = std::ceil(worst * 100.0) / 100.0;
    return;
  }
  for (DeviceBudget& d : plan.devices) {
    const double pool_total = *given * d.capacity_bytes;
    const double pool_kv = pool_total - (d.planned_bytes - d.kv_cache_bytes);
    if (pool_kv < d.kv_cache_bytes) {
      plan.reasons.push_back(
          {Check::kKvPool, std::max(0.0, pool_kv), d.kv_cache_bytes, Unit::kBytes, Basis::kEstimate,
           {"memory: at " + in.runtime.pool_fraction_flag_text + " {utilization} the KV pool on " + d.label +
                " is {pool_kv} but the job needs {kv}",
            {{"utilization", *given, Unit::kFraction, 2},
             {"pool_kv", std::max(0.0, pool_kv), Unit::kBytes},
             {"kv", d.kv_cache_bytes, Unit::kBytes}}}});
    }
    d.kv_cache_bytes = std::max(d.kv_cache_bytes, pool_kv);
    d.planned_bytes = std::max(d.planned_bytes, pool_total);
  }
}

// Every device must hold its plan; the binding device is the one with the highest
// planned / usable.
void CheckFit(const JobSpec& job, MemoryPlan& plan) {
  double worst_ratio = -1;
  for (size_t i = 0; i < plan.devices.size(); ++i) {
    const DeviceBudget& d = plan.devices[i];
    const double ratio = d.planned_bytes / d.usable_bytes;
    if (ratio > worst_ratio) {
      worst_ratio = ratio;
      plan.binding = i;
    }
    if (d.fits()) continue;
    plan.reasons.push_back(
        {Check::kMemory, d.planned_bytes, d.usable_bytes, Unit::kBytes, Basis::kEstimate,
         {"memory: needs {planned} on " + d.label +
              " but only {usable} is usable ({capacity} x (1 - {reserve} reserve))",
          {{"planned", d.planned_bytes, Unit::kBytes},
           {"usable", d.usable_bytes, Unit::kBytes},
           {"capacity", d.capacity_bytes, Unit::kBytes},
           {"reserve", job.gates.reserve_fraction, Unit::kFraction, 2}}}});
  }
  plan.fits = plan.reasons.empty();
}

// "on one device", or which of the devices the rows describe and how they are laid out.
std::string Placing(const Candidate& c, MultiDevice mode, const MemoryPlan& plan) {
  if (plan.devices.size() == 1) return "on one device";
  std::string layout = c.offload     ? std::string("CPU offload")
                       : c.nodes > 1 ? "tensor parallel x" + std::to_string(c.count) + " in each of " +
                                           std::to_string(c.nodes) + " pipeline stages (nodes)"
                                     : std::string(MultiDeviceName(mode));
  return "on " + plan.binding_device().label + ", the most loaded of " +
         std::to_string(plan.devices.size()) + " devices (" + layout + ")";
}

// Worksheet rows for the binding device, after the weights, KV and runtime rows.
void AddRows(const PlanInputs& in, const WeightPlan& weights, const std::string& placing,
             MemoryPlan& plan) {
  const RuntimeProfile& r = in.runtime;
  const DeviceBudget& d = plan.binding_device();
  plan.rows.insert(plan.rows.end(), weights.rows.begin(), weights.rows.end());
  plan.rows.insert(plan.rows.end(), plan.kv.rows.begin(), plan.kv.rows.end());
  plan.rows.insert(plan.rows.end(), plan.runtime.rows.begin(), plan.runtime.rows.end());
  plan.rows.insert(plan.rows.end(), plan.extras.rows.begin(), plan.extras.rows.end());
  plan.rows.push_back({"fragmentation_bytes", "Fragmentation", d.fragmentation_bytes, Unit::kBytes,
                       {"{fraction} x (KV cache + activations) on the device",
                        {{"fraction", r.fragmentation_fraction, Unit::kFraction, 3}}},
                       r.id + " allocator (assumption fragmentation_fraction)"});
  plan.rows.push_back({"planned_bytes", "Planned", d.planned_bytes, Unit::kBytes,
                       {"weights + KV cache + runtime + activations + fragmentation " + placing +
                        (plan.extras.any() ? " (the vision, draft and LoRA rows above are inside them)" : "")},
                       ""});
  // Capacity as the hardware is sold: a 24 GiB card's rows may print "24 GiB".
  const char* capacity_formula =
      d.kind == HardwareKind::kUnified
          ? "RAM x GPU wired-memory limit (macOS default), capped at RAM - OS share"
      : d.kind == HardwareKind::kCpu ? "RAM - OS share"
                                     : "device memory";
  plan.rows.push_back({"capacity_bytes", "Capacity", d.capacity_bytes,
                       d.capacity_in_binary_units ? Unit::kBinaryBytes : Unit::kBytes,
                       {capacity_formula}, "hardware_db"});
  plan.rows.push_back({"usable_bytes", "Usable", d.usable_bytes, Unit::kBytes,
                       {"capacity x (1 - reserve_fraction {reserve})",
                        {{"reserve", in.job->gates.reserve_fraction, Unit::kFraction, 2}}},
                       "job gates.reserve_fraction"});
  plan.rows.push_back({"headroom_bytes", "Headroom", d.usable_bytes - d.planned_bytes,
                       Unit::kBytes, {"usable - planned"}, ""});
}

}  // namespace

std::string_view BucketKey(Bucket bucket) {
  switch (bucket) {
    case Bucket::kWeights: return "weights_bytes";
    case Bucket::kKvCache: return "kv_cache_bytes";
    case Bucket::kRuntime: return "runtime_bytes";
    case Bucket::kActivations: return "activation_bytes";
    case Bucket::kFragmentation: return "fragmentation_bytes";
  }
  return "";
}

double DeviceBudget::bytes(Bucket bucket) const {
  switch (bucket) {
    case Bucket::kWeights: return weights_bytes;
    case Bucket::kKvCache: return kv_cache_bytes;
    case Bucket::kRuntime: return runtime_bytes;
    case Bucket::kActivations: return activation_bytes;
    case Bucket::kFragmentation: return fragmentation_bytes;
  }
  return 0;
}

double CapacityBytes(const HardwareSpec& hw, const AssumptionOverrides& overrides) {
  switch (hw.kind) {
    case HardwareKind::kGpu:
      return hw.memory_bytes;
    case HardwareKind::kUnified: {
      double fraction = overrides.gpu_wired_limit_fraction.value_or(hw.gpu_wired_limit_fraction);
      if (fraction > 0) return std::min(hw.memory_bytes * fraction, hw.memory_bytes - hw.os_reserved_bytes);
      return hw.memory_bytes - hw.os_reserved_bytes;
    }
    case HardwareKind::kCpu:
      return hw.memory_bytes - hw.os_reserved_bytes;
  }
  return hw.memory_bytes;
}

MemoryPlan PlanMemory(const PlanInputs& in, const Candidate& c, const WeightPlan& weights,
                      int64_t context_tokens, int64_t sequences) {
  MemoryPlan plan;
  // Image tokens sit in the context beside the text (plan/vision.h); embed/rerank on an
  // encoder keeps no cache (plan/encoder.h).
  plan.kv = PlanKvCache(in, context_tokens + ImageContextTokens(in), sequences);
  ApplyTaskToKv(in, plan.kv);
  plan.extras = PlanExtrasMemory(in, context_tokens, sequences);
  const int64_t kv_cells = std::max(plan.kv.full_cells, plan.kv.sliding_cells);
  plan.runtime = in.job->extras.task == ServeTask::kGenerate
                     ? PlanRuntimeMemory(in, c.hardware.kind, context_tokens, sequences, kv_cells)
                     : PlanTaskRuntimeMemory(in, c.hardware.kind, context_tokens, sequences, kv_cells);

  const MultiDevice mode = c.parallelism.value_or(in.runtime.multi_device);
  std::vector<Placement> placed = Place(MakeLayout(in, c, weights, plan.kv, plan.runtime), mode);
  ApplyOverrides(in.job->memory_overrides, placed);
  PlaceExtras(plan.extras, c, mode, placed);
  for (const Placement& p : placed) {
    Placement on = p;
    if (on.hardware == nullptr) on.hardware = &c.hardware;
    plan.devices.push_back(Budget(in, on));
  }
  ApplyPagedPool(in, plan);
  CheckFit(*in.job, plan);
  AddRows(in, weights, Placing(c, mode, plan), plan);
  return plan;
}

}  // namespace sizer
