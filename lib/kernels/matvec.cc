#include "kernels/matvec.h"

#include "kernels/quant.h"
#include "kernels/vec_dot_simd.h"

namespace sizer::kernels {
namespace {

// Below this many weights a matrix is multiplied on the calling thread: waking the pool costs
// more than the work (a few microseconds against ~0.1 ns a weight).
constexpr int64_t kMinWeightsPerParallelMatVec = 1 << 16;

}  // namespace

void MatVec(const MatrixView& w, const float* x, float* y, ThreadPool& pool,
            std::vector<uint8_t>& scratch) {
  const ActivationFormat format = ActivationFormatFor(w.type);
  const void* activation = x;
  if (format != ActivationFormat::kF32) {
    scratch.resize(ActivationBytes(format, w.cols));
    QuantizeActivationReference(format, x, scratch.data(), w.cols);
    activation = scratch.data();
  }
  auto rows = [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) y[r] = VecDot(w.type, w.row(r), activation, w.cols);
  };
  if (w.rows * w.cols < kMinWeightsPerParallelMatVec) {
    rows(0, w.rows);
  } else {
    pool.ParallelFor(w.rows, rows);
  }
}

void DequantizeRow(const MatrixView& w, int64_t r, float* out) {
  DequantizeRowReference(w.type, w.row(r), out, w.cols);
}

}  // namespace sizer::kernels
