// kernels/quantize.h: the dispatch, the float formats, and the 32-element formats Q4_0,
// Q4_1, Q5_0, Q5_1, Q8_0 (ggml's quantize_row_q*_ref semantics, see the header).
#include "kernels/quantize.h"

#include <cmath>
#include <cstring>
#include <optional>

#include "base/check.h"
#include "gguf/ggml_types.h"
#include "kernels/blocks.h"
#include "kernels/fp16.h"
#include "kernels/quant.h"
#include "kernels/quant_reference_internal.h"
#include "kernels/quantize_reference_internal.h"

namespace sizer::kernels {
namespace {

using internal::StoreBlock;
using internal::TruncClamp;

// ggml type ids (gguf/ggml_types.cc).
constexpr uint32_t kF32 = 0, kF16 = 1, kQ4_0 = 2, kQ4_1 = 3, kQ5_0 = 6, kQ5_1 = 7, kQ8_0 = 8,
                   kQ2_K = 10, kQ3_K = 11, kQ4_K = 12, kQ5_K = 13, kQ6_K = 14, kIq4Nl = 20,
                   kIq4Xs = 23, kBf16 = 30, kMxfp4 = 39;

template <uint16_t (*Narrow)(float)>
void QuantizeHalf(const float* x, void* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) StoreBlock(out, i, Narrow(x[i]));
}

// The value of largest magnitude, sign included (the first one on ties), as ggml's
// symmetric quantizers pick it: d = max / -levels maps it onto the most negative level.
float SignedMax(const float* x, int count) {
  float amax = 0, max = 0;
  for (int j = 0; j < count; ++j) {
    if (std::fabs(x[j]) > amax) {
      amax = std::fabs(x[j]);
      max = x[j];
    }
  }
  return max;
}

// Q4_0 (levels 8) / Q5_0 (levels 16): x = d * (q - levels), d = max / -levels,
// q = min(2 levels - 1, trunc(x / d + levels + 0.5)). Returns the 32 quants and d.
float SymmetricQuants(const float* x, int levels, uint8_t q[kQK]) {
  const float d = SignedMax(x, kQK) / static_cast<float>(-levels);
  const float id = d != 0 ? 1.0f / d : 0.0f;
  for (int j = 0; j < kQK; ++j) {
    q[j] = static_cast<uint8_t>(
        TruncClamp(x[j] * id + (static_cast<float>(levels) + 0.5f), 0, 2 * levels - 1));
  }
  return d;
}

// Q4_1 (top 15) / Q5_1 (top 31): x = d * q + m, m = min, d = (max - min) / top,
// q = min(top, trunc((x - min) / d + 0.5)). Returns the quants, d and m.
void AffineQuants(const float* x, int top, uint8_t q[kQK], float* d_out, float* m_out) {
  float min = x[0], max = x[0];
  for (int j = 1; j < kQK; ++j) {
    if (x[j] < min) min = x[j];
    if (x[j] > max) max = x[j];
  }
  const float d = (max - min) / static_cast<float>(top);
  const float id = d != 0 ? 1.0f / d : 0.0f;
  for (int j = 0; j < kQK; ++j) {
    q[j] = static_cast<uint8_t>(TruncClamp((x[j] - min) * id + 0.5f, 0, top));
  }
  *d_out = d;
  *m_out = min;
}

// Value j in the low nibble of byte j, value j + 16 in the high nibble (Q4_0's order).
void PackNibbles(const uint8_t q[kQK], uint8_t qs[kQK / 2]) {
  for (int j = 0; j < kQK / 2; ++j) {
    qs[j] = static_cast<uint8_t>((q[j] & 0xF) | ((q[j + kQK / 2] & 0xF) << 4));
  }
}

// Bit 4 of value j as bit j of a little-endian uint32 (Q5_0 / Q5_1's qh).
void PackFifthBits(const uint8_t q[kQK], uint8_t qh[4]) {
  uint32_t bits = 0;
  for (int j = 0; j < kQK; ++j) bits |= static_cast<uint32_t>((q[j] >> 4) & 1) << j;
  for (int k = 0; k < 4; ++k) qh[k] = static_cast<uint8_t>(bits >> (8 * k));
}

void QuantizeQ4_0(const float* x, void* out, int64_t n) {
  uint8_t q[kQK];
  for (int64_t i = 0; i < n / kQK; ++i, x += kQK) {
    BlockQ4_0 b;
    b.d = F32ToF16(SymmetricQuants(x, 8, q));
    PackNibbles(q, b.qs);
    StoreBlock(out, i, b);
  }
}

void QuantizeQ5_0(const float* x, void* out, int64_t n) {
  uint8_t q[kQK];
  for (int64_t i = 0; i < n / kQK; ++i, x += kQK) {
    BlockQ5_0 b;
    b.d = F32ToF16(SymmetricQuants(x, 16, q));
    PackFifthBits(q, b.qh);
    PackNibbles(q, b.qs);
    StoreBlock(out, i, b);
  }
}

void QuantizeQ4_1(const float* x, void* out, int64_t n) {
  uint8_t q[kQK];
  for (int64_t i = 0; i < n / kQK; ++i, x += kQK) {
    float d, m;
    AffineQuants(x, 15, q, &d, &m);
    BlockQ4_1 b;
    b.d = F32ToF16(d);
    b.m = F32ToF16(m);
    PackNibbles(q, b.qs);
    StoreBlock(out, i, b);
  }
}

void QuantizeQ5_1(const float* x, void* out, int64_t n) {
  uint8_t q[kQK];
  for (int64_t i = 0; i < n / kQK; ++i, x += kQK) {
    float d, m;
    AffineQuants(x, 31, q, &d, &m);
    BlockQ5_1 b;
    b.d = F32ToF16(d);
    b.m = F32ToF16(m);
    PackFifthBits(q, b.qh);
    PackNibbles(q, b.qs);
    StoreBlock(out, i, b);
  }
}

// Q8_0 weights are quantized exactly as Q8_0 activations are (quantize_row_q8_0_ref).
void QuantizeQ8_0(const float* x, void* out, int64_t n) {
  QuantizeActivationReference(ActivationFormat::kQ8_0, x, out, n);
}

void QuantizeF32(const float* x, void* out, int64_t n) {
  std::memcpy(out, x, static_cast<size_t>(n) * sizeof(float));
}

using QuantizeFn = void (*)(const float* x, void* out, int64_t n);

struct WeightQuantizer {
  uint32_t type;
  QuantizeFn quantize;
};

constexpr WeightQuantizer kQuantizers[] = {
    {kF32, QuantizeF32},
    {kF16, QuantizeHalf<F32ToF16>},
    {kQ4_0, QuantizeQ4_0},
    {kQ4_1, QuantizeQ4_1},
    {kQ5_0, QuantizeQ5_0},
    {kQ5_1, QuantizeQ5_1},
    {kQ8_0, QuantizeQ8_0},
    {kQ2_K, internal::QuantizeQ2_K},
    {kQ3_K, internal::QuantizeQ3_K},
    {kQ4_K, internal::QuantizeQ4_K},
    {kQ5_K, internal::QuantizeQ5_K},
    {kQ6_K, internal::QuantizeQ6_K},
    {kIq4Nl, internal::QuantizeIq4Nl},
    {kIq4Xs, internal::QuantizeIq4Xs},
    {kBf16, QuantizeHalf<F32ToBf16>},
    {kMxfp4, internal::QuantizeMxfp4},
};

const WeightQuantizer* Find(uint32_t ggml_type) {
  for (const WeightQuantizer& q : kQuantizers) {
    if (q.type == ggml_type) return &q;
  }
  return nullptr;
}

QuantizeFn FindOrDie(uint32_t ggml_type) {
  const WeightQuantizer* q = Find(ggml_type);
  SIZER_CHECK(q != nullptr);  // callers check HasReferenceQuantizer first
  return q->quantize;
}

}  // namespace

bool HasReferenceQuantizer(uint32_t ggml_type) { return Find(ggml_type) != nullptr; }

std::vector<std::string> QuantizableWeightTypeNames() {
  std::vector<std::string> names;
  for (const gguf::GgmlTypeInfo& t : gguf::AllGgmlTypes()) {  // in id order
    if (HasReferenceQuantizer(t.id)) names.emplace_back(t.name);
  }
  return names;
}

size_t QuantizedRowBytes(uint32_t ggml_type, int64_t n) {
  SIZER_CHECK(IsSupportedWeightType(ggml_type));
  const std::optional<gguf::GgmlTypeInfo> info = gguf::FindGgmlType(ggml_type);
  SIZER_CHECK(info.has_value());
  SIZER_CHECK(n >= 0 && n % info->block_elements == 0);
  return static_cast<size_t>(n / info->block_elements) * info->block_bytes;
}

void QuantizeRowReference(uint32_t ggml_type, const float* x, void* out, int64_t n) {
  const QuantizeFn quantize = FindOrDie(ggml_type);
  QuantizedRowBytes(ggml_type, n);  // checks the row length
  quantize(x, out, n);
}

}  // namespace sizer::kernels
