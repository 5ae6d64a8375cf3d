#include "probe/bandwidth.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <new>
#include <random>
#include <thread>

#include "base/format.h"
#include "base/thread_pool.h"
#include "gguf/ggml_types.h"
#include "kernels/quant.h"
#include "kernels/vec_dot_simd.h"

namespace sizer::probe {
namespace {

using Clock = std::chrono::steady_clock;

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// Sums a slice with four independent accumulators so the loop is bound by loads, not by one
// dependency chain (and the compiler may vectorize it).
uint64_t SumSlice(const uint64_t* p, size_t n) {
  uint64_t a = 0, b = 0, c = 0, d = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    a += p[i];
    b += p[i + 1];
    c += p[i + 2];
    d += p[i + 3];
  }
  for (; i < n; ++i) a += p[i];
  return a + b + c + d;
}

}  // namespace

uint64_t DefaultBandwidthBufferBytes(const MachineInfo& m) {
  uint64_t want = std::max<uint64_t>(1ull << 30, 8 * m.last_level_cache_bytes());
  if (m.memory_available_bytes > 0) want = std::min(want, m.memory_available_bytes / 4);
  return std::max<uint64_t>(want, 64ull << 20);
}

BandwidthResult MeasureReadBandwidth(uint64_t buffer_bytes, int threads, int runs) {
  BandwidthResult r;
  r.threads = std::max(1, threads);
  r.runs = std::max(1, runs);
  // Degrade rather than fail: cap the buffer at half the available memory (touching more
  // would push the machine into swap and time the disk), then halve it while the allocation
  // is refused (an address-space limit, a container's memory cap), down to kMinBufferBytes.
  constexpr uint64_t kMinBufferBytes = 16ull << 20;
  const uint64_t available = DescribeMachine().memory_available_bytes;
  uint64_t want = std::max<uint64_t>(buffer_bytes, kMinBufferBytes);
  if (available > 0 && want > available / 2) {
    r.note = "asked for " + FormatBytes(static_cast<double>(want)) + ", capped at half the " +
             FormatBytes(static_cast<double>(available)) + " available";
    want = std::max<uint64_t>(available / 2, kMinBufferBytes);
  }
  std::unique_ptr<uint64_t[]> buffer;
  for (;; want /= 2) {
    buffer.reset(new (std::nothrow) uint64_t[want / sizeof(uint64_t)]);
    if (buffer || want / 2 < kMinBufferBytes) break;
    r.note = "could not allocate " + FormatBytes(static_cast<double>(want)) +
             "; measured with a smaller buffer";
  }
  if (!buffer) {
    r.note = "could not allocate even " + FormatBytes(static_cast<double>(want)) +
             "; no bandwidth measured";
    return r;
  }
  if (!r.note.empty() && want < 256ull << 20) {
    r.note += " (a buffer this small may be partly served from cache: the figure is optimistic)";
  }
  const size_t words = static_cast<size_t>(want / sizeof(uint64_t));
  r.buffer_bytes = words * sizeof(uint64_t);
  for (size_t i = 0; i < words; ++i) buffer[i] = i;  // commit every page before timing
  ThreadPool pool(r.threads);
  std::vector<uint64_t> sinks(static_cast<size_t>(r.threads), 0);
  std::vector<double> rates;
  for (int run = 0; run < r.runs; ++run) {
    const auto start = Clock::now();
    pool.ParallelFor(r.threads, [&](int64_t begin, int64_t end) {
      for (int64_t t = begin; t < end; ++t) {
        const size_t from = words * static_cast<size_t>(t) / static_cast<size_t>(r.threads);
        const size_t to = words * static_cast<size_t>(t + 1) / static_cast<size_t>(r.threads);
        sinks[static_cast<size_t>(t)] += SumSlice(buffer.get() + from, to - from);
      }
    });
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    rates.push_back(static_cast<double>(r.buffer_bytes) / seconds);
  }
  // Keep the sums observable so the reads cannot be optimized away.
  uint64_t total = 0;
  for (uint64_t s : sinks) total += s;
  if (total == 42) rates.push_back(0);
  r.best_bytes_per_s = *std::max_element(rates.begin(), rates.end());
  r.median_bytes_per_s = Median(rates);
  return r;
}

std::vector<KernelThroughput> MeasureKernelThroughput(int runs) {
  // 64 rows of 4096 weights: 150-270 KB per type, inside L2, so the kernel is the limit.
  constexpr int64_t kRows = 64, kCols = 4096;
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
  std::vector<float> x(kCols);
  for (float& v : x) v = unit(rng);
  std::vector<KernelThroughput> out;
  for (const char* name : {"Q4_0", "Q8_0", "Q4_K", "Q6_K", "F16"}) {
    const gguf::GgmlTypeInfo info = *gguf::FindGgmlTypeByName(name);
    const size_t row_bytes = static_cast<size_t>(kCols / info.block_elements) * info.block_bytes;
    // 0x11 bytes make every f16 scale a small finite value and every quant a valid pattern.
    std::vector<uint8_t> weights(row_bytes * kRows, 0x11);
    const kernels::ActivationFormat format = kernels::ActivationFormatFor(info.id);
    std::vector<uint8_t> activation(kernels::ActivationBytes(format, kCols));
    kernels::QuantizeActivationReference(format, x.data(), activation.data(), kCols);
    double best = 0;
    float sink = 0;
    for (int run = 0; run < std::max(1, runs); ++run) {
      const auto start = Clock::now();
      for (int repeat = 0; repeat < 20; ++repeat) {
        for (int64_t r = 0; r < kRows; ++r) {
          sink += kernels::VecDot(info.id, weights.data() + row_bytes * static_cast<size_t>(r),
                                  activation.data(), kCols);
        }
      }
      const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
      best = std::max(best, 20.0 * kRows * kCols / seconds);
    }
    if (sink == 1.2345f) best += 0;  // keep the dot products observable
    out.push_back({name, best, best * info.bits_per_weight() / 8.0});
  }
  return out;
}

}  // namespace sizer::probe
