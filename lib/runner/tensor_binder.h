// TensorBinder: looks tensors up by name in an open GGUF and returns them bound to the shape
// the runner expects, refusing a missing tensor, a wrong shape or an unsupported type by name.
// Matrices are zero-copy views into the map; vectors (norms, biases) small float copies.
#ifndef SIZER_RUNNER_TENSOR_BINDER_H_
#define SIZER_RUNNER_TENSOR_BINDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "gguf/artifact.h"
#include "kernels/matvec.h"

namespace sizer::runner {

class TensorBinder {
 public:
  explicit TensorBinder(const gguf::Artifact& artifact) : artifact_(artifact) {}

  // A matrix of `rows` rows of `cols` values (GGUF ne = {cols, rows}).
  StatusOr<kernels::MatrixView> Matrix(const std::string& name, int64_t cols, int64_t rows) const;
  // A stack of `count` matrices (GGUF ne = {cols, rows, count}), one view per matrix: the
  // experts of a mixture-of-experts FFN.
  StatusOr<std::vector<kernels::MatrixView>> Stack(const std::string& name, int64_t cols,
                                                   int64_t rows, int64_t count) const;
  // A vector of `n` values copied to floats.
  StatusOr<std::vector<float>> Vector(const std::string& name, int64_t n) const;

  bool Has(const std::string& name) const { return artifact_.FindTensor(name) != nullptr; }

 private:
  StatusOr<const gguf::TensorInfo*> Find(const std::string& name,
                                         const std::vector<int64_t>& shape) const;

  const gguf::Artifact& artifact_;
};

}  // namespace sizer::runner

#endif  // SIZER_RUNNER_TENSOR_BINDER_H_
