// Matrix-vector product over a quantized weight matrix, the runner's hot loop: the input
// vector is quantized once into the weight type's activation format, then the rows are split
// over the thread pool and each is one VecDot.
#ifndef SIZER_KERNELS_MATVEC_H_
#define SIZER_KERNELS_MATVEC_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/thread_pool.h"

namespace sizer::kernels {

// A non-owning view of a row-major weight matrix as GGUF stores it: `rows` rows of `cols`
// values (ne[0] = cols), each row `row_bytes` long.
struct MatrixView {
  uint32_t type = 0;  // ggml type id
  int64_t rows = 0;
  int64_t cols = 0;
  size_t row_bytes = 0;
  const uint8_t* data = nullptr;

  const uint8_t* row(int64_t r) const { return data + static_cast<size_t>(r) * row_bytes; }
};

// y[r] = dot(W row r, x) for r in [0, rows). `scratch` holds the quantized x between calls
// (resized as needed). REQUIRES: x has w.cols values, y has w.rows.
void MatVec(const MatrixView& w, const float* x, float* y, ThreadPool& pool,
            std::vector<uint8_t>& scratch);

// One row of W as floats (the embedding lookup).
void DequantizeRow(const MatrixView& w, int64_t r, float* out);

}  // namespace sizer::kernels

#endif  // SIZER_KERNELS_MATVEC_H_
