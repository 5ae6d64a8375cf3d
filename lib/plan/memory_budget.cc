#include "plan/memory_budget.h"

#include <algorithm>
#include <cmath>

#include "base/format.h"

namespace sizer {
namespace {

struct Buckets {
  double weights = 0, kv = 0, runtime = 0, activation = 0;
};

DeviceBudget MakeDevice(const PlanInputs& in, const std::string& label, const HardwareSpec& hw,
                        const Buckets& b) {
  const JobSpec& job = *in.job;
  const MemoryOverrides& o = job.memory_overrides;
  DeviceBudget d;
  d.label = label;
  d.kind = hw.kind;
  d.weights_bytes = b.weights;
  d.kv_cache_bytes = b.kv;
  d.runtime_bytes = o.runtime_bytes.value_or(b.runtime);
  d.activation_bytes = o.activation_bytes.value_or(b.activation);
  d.fragmentation_bytes = o.fragmentation_bytes.value_or(
      in.runtime.fragmentation_fraction * (d.kv_cache_bytes + d.activation_bytes));
  d.planned_bytes = d.weights_bytes + d.kv_cache_bytes + d.runtime_bytes + d.activation_bytes +
                    d.fragmentation_bytes;
  d.capacity_bytes = CapacityBytes(hw, job.assumptions);
  d.usable_bytes = d.capacity_bytes * (1.0 - job.gates.reserve_fraction);
  return d;
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

}  // namespace

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
  const ModelSpec& m = in.model;
  const RuntimeProfile& r = in.runtime;
  const JobSpec& job = *in.job;
  const HardwareSpec& hw = c.hardware;
  MemoryPlan plan;
  plan.kv = PlanKvCache(in, context_tokens, sequences);
  const double kv_total = job.memory_overrides.kv_cache_bytes.value_or(plan.kv.bytes);
  const int64_t kv_cells = std::max(plan.kv.full_cells, plan.kv.sliding_cells);
  plan.runtime = PlanRuntimeMemory(in, hw.kind, context_tokens, sequences, kv_cells);
  const RuntimeMemory& rt = plan.runtime;

  // llama.cpp keeps the token embedding table in host memory when it offloads to a GPU.
  const bool embedding_on_host =
      r.token_embedding_on_host && hw.kind == HardwareKind::kGpu && !m.tied_embeddings;
  const double device_weights =
      weights.total_bytes - (embedding_on_host ? weights.token_embedding_bytes : 0.0);
  // Tensors outside the blocks besides the embedding and output (output_norm): with the output.
  double block_bytes = 0;
  for (double b : weights.layer_bytes) block_bytes += b;
  const double loose_bytes = std::max(
      0.0, weights.total_bytes - block_bytes - weights.token_embedding_bytes - weights.output_bytes);
  const int64_t n = c.count;
  const MultiDevice mode = c.parallelism.value_or(r.multi_device);

  if (c.nodes > 1) {
    // Multi-node, as vLLM lays it out (docs: serving/parallelism_scaling): one pipeline stage
    // of contiguous layers per node, each stage tensor-parallel over the node's `n` devices.
    // Per device: the stage's weights / n, its layers' KV share of the heads (never below one
    // head; MLA's latent replicated), its own runtime buffers, the activations / n.
    const double tp = static_cast<double>(n);
    const double kv_share =
        m.has_mla ? 1.0 : std::max(1.0 / tp, 1.0 / static_cast<double>(m.n_kv_heads));
    auto ranges = SplitLayers(m.n_layers, c.nodes);
    for (int64_t node = 0; node < c.nodes; ++node) {
      auto [begin, end] = ranges[static_cast<size_t>(node)];
      const double share = static_cast<double>(end - begin) / static_cast<double>(m.n_layers);
      double stage_weights = LayerBytes(weights, begin, end);
      if (node == c.nodes - 1) {
        stage_weights += weights.output_bytes + loose_bytes +
                         (m.tied_embeddings ? weights.token_embedding_bytes : 0.0);
      }
      if (node == 0 && !embedding_on_host && !m.tied_embeddings) {
        stage_weights += weights.token_embedding_bytes;
      }
      Buckets b{stage_weights / tp,
                (plan.kv.attention_bytes * kv_share + plan.kv.state_bytes / tp) * share,
                rt.runtime_bytes, rt.activation_bytes / tp};
      if (job.memory_overrides.kv_cache_bytes) b.kv = kv_total * kv_share * share;
      for (int64_t i = 0; i < n; ++i) {
        DeviceBudget d = MakeDevice(
            in, hw.id + " node " + std::to_string(node + 1) + " #" + std::to_string(i + 1), hw, b);
        d.node = node;
        d.layers = end - begin;
        plan.devices.push_back(d);
      }
    }
  } else if (c.offload) {
    // CPU offload (llama.cpp -ngl): the last gpu_layers blocks on the GPU, the rest, the
    // embedding table and (unless every block is offloaded) the output matrix on the host.
    const int64_t g = std::min(c.offload->gpu_layers, m.n_layers);
    const double gpu_share = static_cast<double>(g) / static_cast<double>(m.n_layers);
    const bool output_on_gpu = g >= m.n_layers;
    Buckets gpu;
    gpu.weights = LayerBytes(weights, m.n_layers - g, m.n_layers) +
                  (output_on_gpu ? weights.output_bytes + loose_bytes : 0.0);
    gpu.kv = kv_total * gpu_share;
    gpu.runtime = rt.runtime_bytes;
    gpu.activation = g > 0 ? rt.activation_bytes : 0.0;
    Buckets host;
    host.weights = weights.total_bytes - gpu.weights;
    host.kv = kv_total - gpu.kv;
    host.runtime = r.device_context_bytes.cpu + rt.host_bytes;
    host.activation = rt.activation_bytes * (1.0 - gpu_share);
    plan.devices.push_back(MakeDevice(in, hw.id + " (" + std::to_string(g) + "/" +
                                              std::to_string(m.n_layers) + " layers)",
                                      hw, gpu));
    plan.devices.back().layers = g;
    plan.devices.push_back(MakeDevice(in, "host " + c.offload->host.id, c.offload->host, host));
  } else if (n == 1) {
    // A pinned weights bucket is the whole model on its one device (the estimate would
    // subtract the embedding table llama.cpp keeps in host memory).
    Buckets b{job.memory_overrides.weights_bytes.value_or(device_weights), kv_total,
              rt.runtime_bytes, rt.activation_bytes};
    plan.devices.push_back(MakeDevice(in, hw.id, hw, b));
  } else if (mode == MultiDevice::kTensorParallel) {
    // Every layer is split n ways. KV heads are split too, but a device never holds less
    // than one head (heads are replicated when n > n_kv_heads), and MLA's latent is
    // replicated on every device.
    const double kv_share =
        m.has_mla ? 1.0
                  : std::max(1.0 / static_cast<double>(n), 1.0 / static_cast<double>(m.n_kv_heads));
    Buckets b{device_weights / static_cast<double>(n),
              plan.kv.attention_bytes * kv_share + plan.kv.state_bytes / static_cast<double>(n),
              rt.runtime_bytes, rt.activation_bytes / static_cast<double>(n)};
    if (job.memory_overrides.kv_cache_bytes) b.kv = kv_total * kv_share;
    for (int64_t i = 0; i < n; ++i) {
      plan.devices.push_back(MakeDevice(in, hw.id + " #" + std::to_string(i + 1), hw, b));
    }
  } else {
    // Layer split: contiguous layer ranges; the output matrix on the last device.
    auto ranges = SplitLayers(m.n_layers, n);
    for (int64_t i = 0; i < n; ++i) {
      auto [begin, end] = ranges[static_cast<size_t>(i)];
      double share = static_cast<double>(end - begin) / static_cast<double>(m.n_layers);
      Buckets b;
      b.weights = LayerBytes(weights, begin, end);
      if (i == n - 1) {
        b.weights += weights.output_bytes + loose_bytes +
                     (m.tied_embeddings ? weights.token_embedding_bytes : 0.0);
      }
      if (i == 0 && !embedding_on_host && !m.tied_embeddings) b.weights += weights.token_embedding_bytes;
      b.kv = kv_total * share;
      b.runtime = rt.runtime_bytes;
      b.activation = rt.activation_bytes;
      plan.devices.push_back(MakeDevice(in, hw.id + " #" + std::to_string(i + 1), hw, b));
      plan.devices.back().layers = end - begin;
    }
  }

  // Paged-pool runtimes take gpu_memory_utilization x capacity whatever the job needs.
  if (r.kv_allocation == KvAllocation::kPagedPool) {
    if (job.assumptions.gpu_memory_utilization) {
      const double fraction = *job.assumptions.gpu_memory_utilization;
      for (DeviceBudget& d : plan.devices) {
        double pool_total = fraction * d.capacity_bytes;
        double pool_kv = pool_total - (d.planned_bytes - d.kv_cache_bytes);
        if (pool_kv < d.kv_cache_bytes) {
          plan.reasons.push_back(
              "memory: at gpu_memory_utilization " + FormatFixed(fraction, 2) + " the KV pool on " +
              d.label + " is " + FormatBytes(std::max(0.0, pool_kv)) + " but the job needs " +
              FormatBytes(d.kv_cache_bytes));
        }
        d.kv_cache_bytes = std::max(d.kv_cache_bytes, pool_kv);
        d.planned_bytes = std::max(d.planned_bytes, pool_total);
      }
    } else {
      double worst = 0;
      for (const DeviceBudget& d : plan.devices) worst = std::max(worst, d.planned_bytes / d.capacity_bytes);
      plan.recommended_pool_fraction = std::ceil(worst * 100.0) / 100.0;
    }
  }

  double worst_ratio = -1;
  plan.fits = true;
  for (size_t i = 0; i < plan.devices.size(); ++i) {
    const DeviceBudget& d = plan.devices[i];
    double ratio = d.planned_bytes / d.usable_bytes;
    if (ratio > worst_ratio) {
      worst_ratio = ratio;
      plan.binding = i;
    }
    if (!d.fits()) {
      plan.fits = false;
      plan.reasons.push_back("memory: needs " + FormatBytes(d.planned_bytes) + " on " + d.label +
                             " but only " + FormatBytes(d.usable_bytes) + " is usable (" +
                             FormatBytes(d.capacity_bytes) + " x (1 - " +
                             FormatFixed(job.gates.reserve_fraction, 2) + " reserve))");
    }
  }
  if (!plan.reasons.empty()) plan.fits = false;

  // Worksheet rows for the binding device.
  const DeviceBudget& d = plan.binding_device();
  plan.rows.insert(plan.rows.end(), weights.rows.begin(), weights.rows.end());
  plan.rows.insert(plan.rows.end(), plan.kv.rows.begin(), plan.kv.rows.end());
  plan.rows.insert(plan.rows.end(), rt.rows.begin(), rt.rows.end());
  plan.rows.push_back({"fragmentation_bytes", "Fragmentation", d.fragmentation_bytes, "bytes",
                       FormatFixed(r.fragmentation_fraction, 3) +
                           " x (KV cache + activations) on the device",
                       r.id + " allocator (assumption fragmentation_fraction)"});
  std::string split = plan.devices.size() == 1
                          ? "on one device"
                          : "on " + d.label + ", the most loaded of " +
                                std::to_string(plan.devices.size()) + " devices (" +
                                (c.offload     ? std::string("CPU offload")
                                 : c.nodes > 1 ? "tensor parallel x" + std::to_string(n) + " in each of " +
                                                     std::to_string(c.nodes) + " pipeline stages (nodes)"
                                               : std::string(MultiDeviceName(mode))) +
                                ")";
  plan.rows.push_back({"planned_bytes", "Planned", d.planned_bytes, "bytes",
                       "weights + KV cache + runtime + activations + fragmentation " + split,
                       ""});
  std::string capacity_formula = "device memory";
  if (d.kind == HardwareKind::kUnified) {
    capacity_formula = "RAM x GPU wired-memory limit (macOS default), capped at RAM - OS share";
  } else if (d.kind == HardwareKind::kCpu) {
    capacity_formula = "RAM - OS share";
  }
  plan.rows.push_back({"capacity_bytes", "Capacity", d.capacity_bytes, "bytes", capacity_formula,
                       "hardware_db"});
  plan.rows.push_back({"usable_bytes", "Usable", d.usable_bytes, "bytes",
                       "capacity x (1 - reserve_fraction " +
                           FormatFixed(job.gates.reserve_fraction, 2) + ")",
                       "job gates.reserve_fraction"});
  plan.rows.push_back({"headroom_bytes", "Headroom", d.usable_bytes - d.planned_bytes, "bytes",
                       "usable - planned", ""});
  return plan;
}

}  // namespace sizer
