#include "runner/tensor_binder.h"

#include "kernels/quant.h"

namespace sizer::runner {
namespace {

std::string ShapeText(const std::vector<int64_t>& shape) {
  std::string out;
  for (int64_t d : shape) out += (out.empty() ? "" : "x") + std::to_string(d);
  return out;
}

std::string SupportedTypes() {
  std::string out;
  for (const std::string& t : kernels::SupportedWeightTypeNames())
    out += (out.empty() ? "" : ", ") + t;
  return out;
}

}  // namespace

StatusOr<const gguf::TensorInfo*> TensorBinder::Find(const std::string& name,
                                                     const std::vector<int64_t>& shape) const {
  const gguf::TensorInfo* t = artifact_.FindTensor(name);
  if (t == nullptr) return Status::Corruption("tensor " + name + " is missing");
  std::vector<int64_t> got(t->shape.begin(), t->shape.end());
  if (got != shape) {
    return Status::Corruption("tensor " + name + ": expected " + ShapeText(shape) + ", got " +
                              ShapeText(got));
  }
  if (!kernels::IsSupportedWeightType(t->type.id)) {
    return Status::Unsupported("tensor " + name + " is " + std::string(t->type.name) +
                               ", which the micro-runner does not execute (it runs " +
                               SupportedTypes() + ")");
  }
  return t;
}

StatusOr<kernels::MatrixView> TensorBinder::Matrix(const std::string& name, int64_t cols,
                                                   int64_t rows) const {
  SIZER_ASSIGN_OR_RETURN(std::vector<kernels::MatrixView> one, Stack(name, cols, rows, 0));
  return one.front();
}

// count == 0 binds a plain matrix (2-d); count >= 1 a 3-d stack.
StatusOr<std::vector<kernels::MatrixView>> TensorBinder::Stack(const std::string& name,
                                                               int64_t cols, int64_t rows,
                                                               int64_t count) const {
  std::vector<int64_t> shape = {cols, rows};
  if (count > 0) shape.push_back(count);
  SIZER_ASSIGN_OR_RETURN(const gguf::TensorInfo* t, Find(name, shape));
  const int64_t matrices = count > 0 ? count : 1;
  kernels::MatrixView v;
  v.type = t->type.id;
  v.cols = cols;
  v.rows = rows;
  v.row_bytes = t->n_bytes / static_cast<uint64_t>(rows * matrices);
  std::vector<kernels::MatrixView> out;
  for (int64_t m = 0; m < matrices; ++m) {
    v.data = t->data + static_cast<size_t>(m * rows) * v.row_bytes;
    out.push_back(v);
  }
  return out;
}

StatusOr<std::vector<float>> TensorBinder::Vector(const std::string& name, int64_t n) const {
  SIZER_ASSIGN_OR_RETURN(const gguf::TensorInfo* t, Find(name, {n}));
  std::vector<float> out(static_cast<size_t>(n));
  kernels::DequantizeRowReference(t->type.id, t->data, out.data(), n);
  return out;
}

}  // namespace sizer::runner
