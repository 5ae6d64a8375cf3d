// Weight quantizers: float rows -> the packed ggml blocks of kernels/blocks.h, for the weight
// types the runner executes (IsSupportedWeightType in kernels/quant.h) except the lattice
// I-quants (IQ1_*, IQ2_*, IQ3_*) and the ternary TQ1_0 / TQ2_0: those the runner reads from
// files llama-quantize wrote, whose quantizers need an importance matrix and lattice searches
// that sizer does not reproduce (HasReferenceQuantizer says which). They are the inverse of
// DequantizeRowReference: DequantizeRowReference(QuantizeRowReference(x)) ~ x.
//
// Method: ggml's reference quantizers without an importance matrix (what llama-quantize
// writes when it is given none), re-implemented here from their description in
// ggml-org/ggml src/ggml-quants.c:
//   Q4_0 / Q5_0   d = max / -8 (-16), max the value of largest magnitude, sign included
//   Q4_1 / Q5_1   d = (max - min) / 15 (31), m = min
//   Q8_0          d = amax / 127, round half away from zero (same as the Q8_0 activations)
//   Q2_K, Q4_K, Q5_K  per-group (scale, min) from ggml's weighted least-squares search
//                 (make_qkx2_quants), then scales and mins quantized to 4 (Q2_K) or 6 bits
//                 relative to the super-block d / dmin
//   Q3_K          per-group scale from ggml's iterative x^2-weighted refinement
//                 (make_q3_quants), signed 6-bit scales relative to d
//   Q6_K          per-group scale from a search over 19 candidate scales (make_qx_quants,
//                 x^2-weighted), int8 scales relative to d
//   MXFP4         per-32 e8m0 exponent floor(log2(amax)) - 2, nearest doubled e2m1 level
//                 (quantize_row_mxfp4_ref; the format is OCP MX spec v1.0)
//   IQ4_NL / IQ4_XS  per-32 scale from a search over 15 candidate scales, each value the
//                 nearest kValuesIq4Nl entry (quantize_row_iq4_nl_impl); IQ4_XS packs the
//                 scales as signed 6-bit relative to d
// Rounding is to nearest (ties to even where ggml uses its nearest_int). An all-zero block
// quantizes to d = 0 (and dmin = 0; IQ4_XS writes -0.0, f16 0x8000, as ggml does) and
// dequantizes to exact zeros: no NaN or infinity anywhere.
// The bytes match llama-quantize's (b4748, no imatrix) block for block on every tensor of
// tests/data/models/wide (tests/kernels/quantize_reference_test.cc, ReproducesLlamaQuantizeBytes).
// Measured RMS(dequantized - x) / RMS(x) on N(0, 1) rows (same test file): Q8_0 0.0054,
// Q6_K 0.018, Q5_K 0.036, Q5_1 0.038, Q5_0 0.043, Q4_K 0.072, IQ4_NL 0.077, IQ4_XS 0.077,
// Q4_1 0.079, Q4_0 0.087, MXFP4 0.114, Q3_K 0.152, Q2_K 0.297; F16 2.1e-4, BF16 1.7e-3,
// F32 exact.
//
// Speed (one core of the 2-core dev VM, scalar, no allocation): F32 / BF16 > 1000 M values/s,
// F16 and Q4_0..Q8_0 100-300 M/s, Q3_K ~45 M/s, Q2_K / Q4_K / Q5_K / Q6_K / IQ4_NL / IQ4_XS
// 7-12 M/s: ggml's searches re-round each group for 16-22 candidate scales, in ggml's float
// operation order (kept for byte-exactness, so no reassociation). Rows are independent:
// quantize them on several threads for big files.
#ifndef SIZER_KERNELS_QUANTIZE_H_
#define SIZER_KERNELS_QUANTIZE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sizer::kernels {

// Bytes of `n` values of `ggml_type` in a GGUF tensor row (gguf::FindGgmlType's block size
// and bytes). REQUIRES: IsSupportedWeightType(ggml_type), n >= 0 a multiple of the block.
size_t QuantizedRowBytes(uint32_t ggml_type, int64_t n);

// Whether QuantizeRowReference can write `ggml_type`, and the names of those types in id order.
bool HasReferenceQuantizer(uint32_t ggml_type);
std::vector<std::string> QuantizableWeightTypeNames();

// Quantizes `n` floats into `out` (QuantizedRowBytes(ggml_type, n) bytes; no alignment
// needed). F32 copies, F16 / BF16 round to nearest even. REQUIRES: HasReferenceQuantizer,
// n a multiple of the block. `x` should be finite: non-finite values give unspecified (but
// defined) blocks.
void QuantizeRowReference(uint32_t ggml_type, const float* x, void* out, int64_t n);

}  // namespace sizer::kernels

#endif  // SIZER_KERNELS_QUANTIZE_H_
