#include "testing/mmproj_builder.h"

#include <string>

namespace sizer::testing {

GgufBuilder MmprojBuilder(const MmprojOptions& o) {
  constexpr uint32_t kF32 = 0, kF16 = 1;
  GgufBuilder b;
  b.AddString("general.architecture", "clip");
  b.AddString("clip.projector_type", "mlp");
  b.Add("clip.has_vision_encoder", GgufValue::Bool(true));
  b.AddU32("clip.vision.embedding_length", static_cast<uint32_t>(o.d));
  b.AddU32("clip.vision.feed_forward_length", static_cast<uint32_t>(o.ff));
  b.AddU32("clip.vision.block_count", static_cast<uint32_t>(o.layers));
  b.AddU32("clip.vision.attention.head_count", static_cast<uint32_t>(o.heads));
  b.AddU32("clip.vision.patch_size", static_cast<uint32_t>(o.patch));
  b.AddU32("clip.vision.image_size", static_cast<uint32_t>(o.image));
  b.AddU32("clip.vision.projection_dim", static_cast<uint32_t>(o.projection));
  const uint64_t grid = o.image / o.patch;
  b.AddTensor("v.patch_embd.weight", {o.patch, o.patch, 3, o.d}, kF16);
  b.AddTensor("v.position_embd.weight", {o.d, grid * grid + 1}, kF16);
  b.AddTensor("v.class_embd", {o.d}, kF32);
  b.AddTensor("v.pre_ln.weight", {o.d}, kF32);
  b.AddTensor("v.pre_ln.bias", {o.d}, kF32);
  for (uint64_t i = 0; i < o.layers; ++i) {
    const std::string blk = "v.blk." + std::to_string(i) + ".";
    for (const char* t : {"attn_q", "attn_k", "attn_v", "attn_out"}) {
      b.AddTensor(blk + t + ".weight", {o.d, o.d}, kF16);
      b.AddTensor(blk + t + ".bias", {o.d}, kF32);
    }
    for (const char* t : {"ln1", "ln2"}) {
      b.AddTensor(blk + t + ".weight", {o.d}, kF32);
      b.AddTensor(blk + t + ".bias", {o.d}, kF32);
    }
    b.AddTensor(blk + "ffn_up.weight", {o.d, o.ff}, kF16);
    b.AddTensor(blk + "ffn_up.bias", {o.ff}, kF32);
    b.AddTensor(blk + "ffn_down.weight", {o.ff, o.d}, kF16);
    b.AddTensor(blk + "ffn_down.bias", {o.d}, kF32);
  }
  b.AddTensor("mm.0.weight", {o.d, o.projection}, kF16);
  b.AddTensor("mm.0.bias", {o.projection}, kF32);
  b.AddTensor("mm.2.weight", {o.projection, o.projection}, kF16);
  b.AddTensor("mm.2.bias", {o.projection}, kF32);
  return b;
}

}  // namespace sizer::testing
