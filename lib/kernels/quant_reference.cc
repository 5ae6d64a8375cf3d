// kernels/quant.h: the table of supported weight types, activation quantization (Q8_0, Q8_1,
// Q8_K as ggml's quantize_row_q8_*_ref), the float formats, and the dispatch to the per-type
// reference kernels of quant_reference_legacy.cc, quant_reference_k.cc, quant_reference_iq1.cc,
// _iq2.cc, _iq3.cc, quant_reference_ternary.cc and quant_reference_mxfp4.cc (the activation
// each weight type pairs with is ggml's type_traits_cpu vec_dot_type: Q8_K for the I-quants
// and ternary types, Q8_0 for MXFP4).
#include <cmath>
#include <cstring>
#include <optional>

#include "base/check.h"
#include "gguf/ggml_types.h"
#include "kernels/blocks.h"
#include "kernels/fp16.h"
#include "kernels/quant.h"
#include "kernels/quant_reference_internal.h"

namespace sizer::kernels {
namespace {

using internal::DequantizeFn;
using internal::DotFn;
using internal::LoadBlock;
using internal::StoreBlock;

// ggml type ids (gguf/ggml_types.cc).
constexpr uint32_t kF32 = 0, kF16 = 1, kQ4_0 = 2, kQ4_1 = 3, kQ5_0 = 6, kQ5_1 = 7, kQ8_0 = 8,
                   kQ2_K = 10, kQ3_K = 11, kQ4_K = 12, kQ5_K = 13, kQ6_K = 14, kIq2Xxs = 16,
                   kIq2Xs = 17, kIq3Xxs = 18, kIq1S = 19, kIq4Nl = 20, kIq3S = 21, kIq2S = 22,
                   kIq4Xs = 23, kIq1M = 29, kBf16 = 30, kTq1_0 = 34, kTq2_0 = 35, kMxfp4 = 39;

// ---- Float weight rows: exact conversion, dot with float activations accumulated in double
// (as ggml's ggml_vec_dot_f32/_f16 scalar paths do).

void DequantizeF32(const void* row, float* out, int64_t n) {
  std::memcpy(out, row, static_cast<size_t>(n) * sizeof(float));
}

template <float (*Widen)(uint16_t)>
void DequantizeHalf(const void* row, float* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = Widen(LoadBlock<uint16_t>(row, i));
}

float DotF32(const void* row, const void* activation, int64_t n) {
  double sum = 0;
  for (int64_t i = 0; i < n; ++i) {
    sum += static_cast<double>(LoadBlock<float>(row, i)) * LoadBlock<float>(activation, i);
  }
  return static_cast<float>(sum);
}

template <float (*Widen)(uint16_t)>
float DotHalf(const void* row, const void* activation, int64_t n) {
  double sum = 0;
  for (int64_t i = 0; i < n; ++i) {
    sum +=
        static_cast<double>(Widen(LoadBlock<uint16_t>(row, i))) * LoadBlock<float>(activation, i);
  }
  return static_cast<float>(sum);
}

// ---- The table.

struct WeightKernels {
  uint32_t type;
  ActivationFormat activation;
  DequantizeFn dequantize;
  DotFn dot;
};

constexpr WeightKernels kKernels[] = {
    {kF32, ActivationFormat::kF32, DequantizeF32, DotF32},
    {kF16, ActivationFormat::kF32, DequantizeHalf<F16ToF32>, DotHalf<F16ToF32>},
    {kQ4_0, ActivationFormat::kQ8_0, internal::DequantizeQ4_0, internal::DotQ4_0},
    {kQ4_1, ActivationFormat::kQ8_1, internal::DequantizeQ4_1, internal::DotQ4_1},
    {kQ5_0, ActivationFormat::kQ8_0, internal::DequantizeQ5_0, internal::DotQ5_0},
    {kQ5_1, ActivationFormat::kQ8_1, internal::DequantizeQ5_1, internal::DotQ5_1},
    {kQ8_0, ActivationFormat::kQ8_0, internal::DequantizeQ8_0, internal::DotQ8_0},
    {kQ2_K, ActivationFormat::kQ8_K, internal::DequantizeQ2_K, internal::DotQ2_K},
    {kQ3_K, ActivationFormat::kQ8_K, internal::DequantizeQ3_K, internal::DotQ3_K},
    {kQ4_K, ActivationFormat::kQ8_K, internal::DequantizeQ4_K, internal::DotQ4_K},
    {kQ5_K, ActivationFormat::kQ8_K, internal::DequantizeQ5_K, internal::DotQ5_K},
    {kQ6_K, ActivationFormat::kQ8_K, internal::DequantizeQ6_K, internal::DotQ6_K},
    {kIq2Xxs, ActivationFormat::kQ8_K, internal::DequantizeIq2Xxs, internal::DotIq2Xxs},
    {kIq2Xs, ActivationFormat::kQ8_K, internal::DequantizeIq2Xs, internal::DotIq2Xs},
    {kIq3Xxs, ActivationFormat::kQ8_K, internal::DequantizeIq3Xxs, internal::DotIq3Xxs},
    {kIq1S, ActivationFormat::kQ8_K, internal::DequantizeIq1S, internal::DotIq1S},
    {kIq4Nl, ActivationFormat::kQ8_0, internal::DequantizeIq4Nl, internal::DotIq4Nl},
    {kIq3S, ActivationFormat::kQ8_K, internal::DequantizeIq3S, internal::DotIq3S},
    {kIq2S, ActivationFormat::kQ8_K, internal::DequantizeIq2S, internal::DotIq2S},
    {kIq4Xs, ActivationFormat::kQ8_K, internal::DequantizeIq4Xs, internal::DotIq4Xs},
    {kIq1M, ActivationFormat::kQ8_K, internal::DequantizeIq1M, internal::DotIq1M},
    {kBf16, ActivationFormat::kF32, DequantizeHalf<Bf16ToF32>, DotHalf<Bf16ToF32>},
    {kTq1_0, ActivationFormat::kQ8_K, internal::DequantizeTq1_0, internal::DotTq1_0},
    {kTq2_0, ActivationFormat::kQ8_K, internal::DequantizeTq2_0, internal::DotTq2_0},
    {kMxfp4, ActivationFormat::kQ8_0, internal::DequantizeMxfp4, internal::DotMxfp4},
};

const WeightKernels* Find(uint32_t ggml_type) {
  for (const WeightKernels& k : kKernels) {
    if (k.type == ggml_type) return &k;
  }
  return nullptr;
}

const WeightKernels& FindOrDie(uint32_t ggml_type) {
  const WeightKernels* k = Find(ggml_type);
  SIZER_CHECK(k != nullptr);  // callers check IsSupportedWeightType first
  return *k;
}

// Rows are whole blocks (for every supported type the activation block is the same size).
void CheckRowLength(uint32_t ggml_type, int64_t n) {
  const std::optional<gguf::GgmlTypeInfo> info = gguf::FindGgmlType(ggml_type);
  SIZER_CHECK(info.has_value());
  SIZER_CHECK(n >= 0 && n % info->block_elements == 0);
}

// ---- Activation quantization (ggml's quantize_row_q8_0_ref / _q8_1_ref / _q8_K_ref).

// An already rounded value as int8. A NaN (a NaN input, or an infinite one times a zero
// scale) becomes 0 and anything out of range saturates: casting either straight to an
// integer is undefined behaviour (UBSan reports it). 0 is what x86's conversion happens to
// give ggml for NaN, so the bytes of finite and NaN rows do not change.
int8_t RoundedToInt8(float rounded) {
  if (std::isnan(rounded)) return 0;
  if (rounded <= -128.0f) return -128;
  if (rounded >= 127.0f) return 127;
  return static_cast<int8_t>(rounded);
}

// d = amax / 127 (kept in f16), q = round(x / d), ties away from zero.
void QuantizeQ8_0(const float* x, void* out, int64_t n) {
  for (int64_t i = 0; i < n / kQK; ++i, x += kQK) {
    float amax = 0;
    for (int j = 0; j < kQK; ++j) amax = std::fmax(amax, std::fabs(x[j]));
    const float d = amax / 127.0f;
    const float id = d != 0 ? 1.0f / d : 0.0f;
    BlockQ8_0 b;
    b.d = F32ToF16(d);
    for (int j = 0; j < kQK; ++j) b.qs[j] = RoundedToInt8(std::round(x[j] * id));
    StoreBlock(out, i, b);
  }
}

// Q8_0 plus s = f16(d * sum(q)) with the unrounded d.
void QuantizeQ8_1(const float* x, void* out, int64_t n) {
  for (int64_t i = 0; i < n / kQK; ++i, x += kQK) {
    float amax = 0;
    for (int j = 0; j < kQK; ++j) amax = std::fmax(amax, std::fabs(x[j]));
    const float d = amax / 127.0f;
    const float id = d != 0 ? 1.0f / d : 0.0f;
    BlockQ8_1 b;
    b.d = F32ToF16(d);
    int sum = 0;
    for (int j = 0; j < kQK; ++j) {
      b.qs[j] = RoundedToInt8(std::round(x[j] * id));
      sum += b.qs[j];
    }
    b.s = F32ToF16(static_cast<float>(sum) * d);
    StoreBlock(out, i, b);
  }
}

// d = max / -127 where max is the value of largest magnitude, sign included (so d can be
// negative and that value becomes -127); q = round-half-even(x / d) capped at 127; d in f32.
void QuantizeQ8_K(const float* x, void* out, int64_t n) {
  for (int64_t i = 0; i < n / kQK_K; ++i, x += kQK_K) {
    float max = 0;
    float amax = 0;
    for (int j = 0; j < kQK_K; ++j) {
      if (std::fabs(x[j]) > amax) {
        amax = std::fabs(x[j]);
        max = x[j];
      }
    }
    BlockQ8_K b;
    std::memset(&b, 0, sizeof(b));
    if (amax != 0) {
      const float iscale = -127.0f / max;
      for (int j = 0; j < kQK_K; ++j) {
        b.qs[j] = RoundedToInt8(std::nearbyint(iscale * x[j]));  // ties to even, capped at 127
      }
      for (int g = 0; g < kQK_K / 16; ++g) {
        int sum = 0;
        for (int l = 0; l < 16; ++l) sum += b.qs[16 * g + l];
        b.bsums[g] = static_cast<int16_t>(sum);
      }
      b.d = 1.0f / iscale;
    }
    StoreBlock(out, i, b);
  }
}

}  // namespace

bool IsSupportedWeightType(uint32_t ggml_type) { return Find(ggml_type) != nullptr; }

std::vector<std::string> SupportedWeightTypeNames() {
  std::vector<std::string> names;
  for (const gguf::GgmlTypeInfo& t : gguf::AllGgmlTypes()) {  // in id order
    if (IsSupportedWeightType(t.id)) names.emplace_back(t.name);
  }
  return names;
}

ActivationFormat ActivationFormatFor(uint32_t ggml_type) { return FindOrDie(ggml_type).activation; }

int64_t ActivationBlockElements(ActivationFormat format) {
  switch (format) {
    case ActivationFormat::kF32:
      return 1;
    case ActivationFormat::kQ8_0:
    case ActivationFormat::kQ8_1:
      return kQK;
    case ActivationFormat::kQ8_K:
      return kQK_K;
  }
  SIZER_CHECK(false);
  return 1;
}

size_t ActivationBytes(ActivationFormat format, int64_t n) {
  const int64_t block = ActivationBlockElements(format);
  SIZER_CHECK(n >= 0 && n % block == 0);
  const size_t blocks = static_cast<size_t>(n / block);
  switch (format) {
    case ActivationFormat::kF32:
      return blocks * sizeof(float);
    case ActivationFormat::kQ8_0:
      return blocks * sizeof(BlockQ8_0);
    case ActivationFormat::kQ8_1:
      return blocks * sizeof(BlockQ8_1);
    case ActivationFormat::kQ8_K:
      return blocks * sizeof(BlockQ8_K);
  }
  SIZER_CHECK(false);
  return 0;
}

void QuantizeActivationReference(ActivationFormat format, const float* x, void* out, int64_t n) {
  SIZER_CHECK(n >= 0 && n % ActivationBlockElements(format) == 0);
  switch (format) {
    case ActivationFormat::kF32:
      std::memcpy(out, x, static_cast<size_t>(n) * sizeof(float));
      return;
    case ActivationFormat::kQ8_0:
      QuantizeQ8_0(x, out, n);
      return;
    case ActivationFormat::kQ8_1:
      QuantizeQ8_1(x, out, n);
      return;
    case ActivationFormat::kQ8_K:
      QuantizeQ8_K(x, out, n);
      return;
  }
  SIZER_CHECK(false);
}

void DequantizeRowReference(uint32_t ggml_type, const void* row, float* out, int64_t n) {
  const WeightKernels& k = FindOrDie(ggml_type);
  CheckRowLength(ggml_type, n);
  k.dequantize(row, out, n);
}

float VecDotReference(uint32_t ggml_type, const void* row, const void* activation, int64_t n) {
  const WeightKernels& k = FindOrDie(ggml_type);
  CheckRowLength(ggml_type, n);
  return k.dot(row, activation, n);
}

}  // namespace sizer::kernels
