#include "plan/vision.h"

#include <algorithm>
#include <cmath>

namespace sizer {
namespace {

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

// HF Qwen2VLImageProcessor.smart_resize: both sides to multiples of `factor`, the area within
// [min_pixels, max_pixels], the aspect ratio kept.
std::pair<int64_t, int64_t> SmartResize(int64_t h, int64_t w, int64_t factor, int64_t min_pixels,
                                        int64_t max_pixels) {
  const double f = static_cast<double>(factor);
  auto round_to = [&](double x) { return std::max<int64_t>(factor, std::llround(x / f) * factor); };
  int64_t hb = round_to(static_cast<double>(h)), wb = round_to(static_cast<double>(w));
  const double area = static_cast<double>(h) * static_cast<double>(w);
  if (hb * wb > max_pixels) {
    const double beta = std::sqrt(area / static_cast<double>(max_pixels));
    hb = std::max<int64_t>(factor, static_cast<int64_t>(std::floor(h / beta / f)) * factor);
    wb = std::max<int64_t>(factor, static_cast<int64_t>(std::floor(w / beta / f)) * factor);
  } else if (hb * wb < min_pixels) {
    const double beta = std::sqrt(static_cast<double>(min_pixels) / area);
    hb = static_cast<int64_t>(std::ceil(h * beta / f)) * factor;
    wb = static_cast<int64_t>(std::ceil(w * beta / f)) * factor;
  }
  return {hb, wb};
}

// InternVL dynamic_preprocess: the grid (i x j <= max_tiles) whose aspect ratio is closest to
// the image's; on a tie the larger grid when the image covers more than half of it.
std::pair<int64_t, int64_t> InternVlGrid(ImageSize image, int64_t tile, int64_t max_tiles) {
  const double aspect = static_cast<double>(image.width) / static_cast<double>(image.height);
  const double area = static_cast<double>(image.width) * static_cast<double>(image.height);
  std::pair<int64_t, int64_t> best{1, 1};
  double best_diff = 1e300;
  for (int64_t n = 1; n <= max_tiles; ++n) {
    for (int64_t i = 1; i <= n; ++i) {
      if (n % i != 0) continue;
      const int64_t j = n / i;  // i columns x j rows
      const double diff = std::fabs(aspect - static_cast<double>(i) / static_cast<double>(j));
      if (diff < best_diff) {
        best_diff = diff;
        best = {i, j};
      } else if (diff == best_diff &&
                 area > 0.5 * static_cast<double>(tile * tile) * static_cast<double>(i * j)) {
        best = {i, j};
      }
    }
  }
  return best;
}

bool IsQwen(VisionFamily f) { return f == VisionFamily::kQwen2Vl || f == VisionFamily::kQwen25Vl; }
bool IsLlava(VisionFamily f) { return f == VisionFamily::kLlava || f == VisionFamily::kLlavaNext; }

}  // namespace

ImageTokens CountImageTokens(const VisionSpec& v, ImageSize image) {
  ImageTokens t;
  const int64_t grid = v.image_size / v.patch_size;
  const int64_t native = grid * grid;
  if (IsQwen(v.family)) {
    const int64_t factor = v.patch_size * v.merge_size;
    auto [h, w] = SmartResize(image.height, image.width, factor, v.min_pixels, v.max_pixels);
    t.patches = (h / v.patch_size) * (w / v.patch_size);
    t.tokens = t.patches / (v.merge_size * v.merge_size);
    t.rule = "smart_resize to " + std::to_string(w) + "x" + std::to_string(h) + ", (w/" +
             std::to_string(factor) + ") x (h/" + std::to_string(factor) + ")";
  } else if (v.family == VisionFamily::kGemma3) {
    t.patches = native;
    t.tokens = 256;
    t.rule = "fixed 256 per image (4x4 pooled " + std::to_string(grid) + "^2 patches)";
  } else if (v.family == VisionFamily::kLlavaNext) {
    const int64_t max_tiles = v.max_tiles > 0 ? v.max_tiles : 4;
    t.tiles = std::min(max_tiles, CeilDiv(image.width, v.image_size) * CeilDiv(image.height, v.image_size));
    t.patches = (1 + t.tiles) * (native + 1);
    t.tokens = (1 + t.tiles) * native;
    t.rule = "anyres: base + " + std::to_string(t.tiles) + " tiles of " + std::to_string(native) +
             " (upper bound before unpadding)";
  } else if (v.family == VisionFamily::kInternVl) {
    const int64_t max_tiles = v.max_tiles > 0 ? v.max_tiles : 12;
    auto [i, j] = InternVlGrid(image, v.image_size, max_tiles);
    t.tiles = i * j + (i * j > 1 ? 1 : 0);
    t.patches = t.tiles * (native + 1);
    t.tokens = t.tiles * native / 4;  // pixel shuffle 0.5: a quarter of the patches
    t.rule = std::to_string(i) + "x" + std::to_string(j) + " tiles" + (i * j > 1 ? " + thumbnail" : "") +
             ", " + std::to_string(native / 4) + " tokens each";
  } else {
    t.patches = native + (IsLlava(v.family) ? 1 : 0);
    t.tokens = native;
    t.rule = "(" + std::to_string(v.image_size) + " / " + std::to_string(v.patch_size) + ")^2";
  }
  if (v.tokens_per_image) {
    t.tokens = *v.tokens_per_image * t.tiles;
    t.rule = "given tokens_per_image " + std::to_string(*v.tokens_per_image);
  }
  return t;
}

VisionParams CountVisionParams(const VisionSpec& v) {
  const double d = static_cast<double>(v.hidden_size);
  const double ff = static_cast<double>(v.intermediate_size);
  const double D = static_cast<double>(v.projection_dim);
  const double L = static_cast<double>(v.layers);
  const double p2 = static_cast<double>(v.patch_size * v.patch_size);
  const double grid = static_cast<double>(v.image_size / v.patch_size);
  const VisionFamily f = v.family;
  const bool qwen = IsQwen(f), gated = f == VisionFamily::kQwen25Vl;
  const bool class_token = IsLlava(f) || f == VisionFamily::kInternVl;
  VisionParams p;
  // Patch embedding: a conv of 3 x p x p (x 2 frames for Qwen2-VL) per output channel.
  const double patch = 3.0 * p2 * d * (qwen ? 2.0 : 1.0);
  const double patch_bias = (qwen || IsLlava(f)) ? 0.0 : d;
  const double positions = qwen ? 0.0 : (grid * grid + (class_token ? 1.0 : 0.0)) * d;
  if (f == VisionFamily::kGemma3) {
    p.embedding_f32 = patch + positions;  // llama.cpp's Gemma3 converter forces them to f32
  } else {
    p.matrix += patch + positions;
  }
  p.vector += patch_bias + (class_token ? d : 0.0);
  if (IsLlava(f)) p.vector += 2 * d;            // CLIP pre_layrnorm
  if (f == VisionFamily::kGemma3) p.vector += 2 * d;  // SigLIP post_layernorm
  // Blocks: q, k, v, o with biases; two norms; the MLP (gated SwiGLU for Qwen2.5-VL).
  const double attention = 4 * d * d;
  const double mlp = (gated ? 3.0 : 2.0) * d * ff;
  const double norms = gated ? 2 * d : 4 * d;
  const double biases = 4 * d + (gated ? 2 * ff + d : ff + d);
  const double layer_scale = f == VisionFamily::kInternVl ? 2 * d : 0.0;
  p.matrix += L * (attention + mlp);
  p.vector += L * (norms + biases + layer_scale);
  // The projector (connector).
  double proj = 0, proj_vec = 0;
  switch (f) {
    case VisionFamily::kLlava:
    case VisionFamily::kLlavaNext:  // mlp2x_gelu: d -> D -> D
      proj = d * D + D * D;
      proj_vec = 2 * D + (f == VisionFamily::kLlavaNext ? D : 0.0);  // + image_newline
      break;
    case VisionFamily::kGemma3:  // mm_input_projection d x D, mm_soft_emb_norm (RMS) d
      proj = d * D;
      proj_vec = d;
      break;
    case VisionFamily::kQwen2Vl:
    case VisionFamily::kQwen25Vl: {  // merger: norm(d), (4d -> 4d), (4d -> D)
      const double m2 = static_cast<double>(v.merge_size * v.merge_size);
      proj = m2 * d * m2 * d + m2 * d * D;
      proj_vec = (gated ? d : 2 * d) + m2 * d + D;
      break;
    }
    case VisionFamily::kInternVl:  // mlp1: LayerNorm(4d), 4d -> D, D -> D
      proj = 4 * d * D + D * D;
      proj_vec = 8 * d + 2 * D;
      break;
    case VisionFamily::kGeneric:
      proj = d * D;
      proj_vec = D;
      break;
  }
  p.matrix += proj;
  p.vector += proj_vec;
  p.projector = proj + proj_vec;
  return p;
}

double PredictedProjectorBytes(const VisionSpec& v) {
  const VisionParams p = CountVisionParams(v);
  const double per_weight = ProjectorBytesPerWeight(v.dtype).value_or(2.0);
  return p.matrix * per_weight + (p.vector + p.embedding_f32) * 4.0;
}

}  // namespace sizer
