#!/usr/bin/env python3
"""Writes the header-only Hugging Face checkpoint fixtures under tests/data/hf/.

Each fixture is a folder with the model's published config.json (fields copied from the
Hugging Face repository named in tests/data/README.md), a model.safetensors.index.json and
its shards. Every shard is a safetensors file holding ONLY its header (8-byte little-endian
length + JSON, padded with spaces to a multiple of 8, as the safetensors writer pads): the
data region is absent, which sizer's reader accepts as a header-only file (it checks the
offsets against the shapes and each other, not against the file size).

Tensor names and shapes follow the transformers modules for the config (the same names the
published index's weight_map lists); dtypes follow the published checkpoint. The shard
count is the published one; which tensor sits in which shard is not (tensors are dealt to
shards in name order to balance bytes). metadata.total_size is the published figure where
one is known (tests/data/README.md names its source), otherwise the header sum.

stdlib only, deterministic: python3 tests/data/hf/make_fixtures.py [OUT_DIR]
"""

import json
import os
import struct
import sys

DTYPE_BYTES = {"BF16": 2, "F16": 2, "F32": 4, "I32": 4, "U8": 1, "F8_E4M3": 1}


def numel(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def nbytes(dtype, shape):
    return numel(shape) * DTYPE_BYTES[dtype]


class Checkpoint:
    def __init__(self):
        self.tensors = {}  # name -> (dtype, shape)

    def add(self, name, dtype, shape):
        assert name not in self.tensors, name
        self.tensors[name] = (dtype, list(shape))

    def total_bytes(self):
        return sum(nbytes(d, s) for d, s in self.tensors.values())


# --- decoder layers -------------------------------------------------------------------------

def linear(ck, prefix, out_f, in_f, quant, dtype, bias=False):
    """One nn.Linear, stored as the checkpoint's quantization stores it."""
    if quant == "gptq":
        # AutoGPTQ / optimum: qweight [in/8, out] int32, qzeros [in/g, out/8] int32,
        # scales [in/g, out] fp16, g_idx [in] int32 (group 128).
        ck.add(prefix + ".qweight", "I32", [in_f // 8, out_f])
        ck.add(prefix + ".qzeros", "I32", [in_f // 128, out_f // 8])
        ck.add(prefix + ".scales", "F16", [in_f // 128, out_f])
        ck.add(prefix + ".g_idx", "I32", [in_f])
    elif quant == "awq":
        # AutoAWQ GEMM: qweight [in, out/8] int32, qzeros [in/g, out/8] int32, scales [in/g, out].
        ck.add(prefix + ".qweight", "I32", [in_f, out_f // 8])
        ck.add(prefix + ".qzeros", "I32", [in_f // 128, out_f // 8])
        ck.add(prefix + ".scales", "F16", [in_f // 128, out_f])
    elif quant == "fp8-static":
        # AutoFP8 (activation_scheme static): fp8 weight, scalar float32 weight_scale and
        # input_scale.
        ck.add(prefix + ".weight", "F8_E4M3", [out_f, in_f])
        ck.add(prefix + ".weight_scale", "F32", [])
        ck.add(prefix + ".input_scale", "F32", [])
    else:
        ck.add(prefix + ".weight", dtype, [out_f, in_f])
    if bias:
        ck.add(prefix + ".bias", dtype, [out_f])


def attention(ck, p, c, hd, quant, dtype, qkv_bias=False, qk_norm=False):
    d, h, kv = c["hidden_size"], c["num_attention_heads"], c["num_key_value_heads"]
    linear(ck, p + "self_attn.q_proj", h * hd, d, quant, dtype, qkv_bias)
    linear(ck, p + "self_attn.k_proj", kv * hd, d, quant, dtype, qkv_bias)
    linear(ck, p + "self_attn.v_proj", kv * hd, d, quant, dtype, qkv_bias)
    linear(ck, p + "self_attn.o_proj", d, h * hd, quant, dtype)
    if qk_norm:
        ck.add(p + "self_attn.q_norm.weight", dtype, [hd])
        ck.add(p + "self_attn.k_norm.weight", dtype, [hd])


def dense_mlp(ck, p, d, ff, quant, dtype):
    linear(ck, p + "mlp.gate_proj", ff, d, quant, dtype)
    linear(ck, p + "mlp.up_proj", ff, d, quant, dtype)
    linear(ck, p + "mlp.down_proj", d, ff, quant, dtype)


def llama_like(c, quant=None, dtype="BF16", qkv_bias=False, prefix="model."):
    ck = Checkpoint()
    d, v = c["hidden_size"], c["vocab_size"]
    hd = c.get("head_dim") or d // c["num_attention_heads"]
    ck.add(prefix + "embed_tokens.weight", dtype, [v, d])
    for i in range(c["num_hidden_layers"]):
        p = "%slayers.%d." % (prefix, i)
        ck.add(p + "input_layernorm.weight", dtype, [d])
        ck.add(p + "post_attention_layernorm.weight", dtype, [d])
        attention(ck, p, c, hd, quant, dtype, qkv_bias)
        dense_mlp(ck, p, d, c["intermediate_size"], quant, dtype)
    ck.add(prefix + "norm.weight", dtype, [d])
    if not c.get("tie_word_embeddings", False):
        ck.add("lm_head.weight", dtype, [v, d])
    return ck


def gemma3(c):
    """Gemma3ForConditionalGeneration as released (transformers 4.50 names)."""
    ck = Checkpoint()
    # The released text_config names only what differs from Gemma3TextConfig's defaults.
    t = dict({"num_attention_heads": 8, "num_key_value_heads": 4, "head_dim": 256,
              "vocab_size": 262208}, **c["text_config"])
    vc = c["vision_config"]
    d, hd = t["hidden_size"], t["head_dim"]
    ck.add("language_model.model.embed_tokens.weight", "BF16", [t["vocab_size"], d])
    for i in range(t["num_hidden_layers"]):
        p = "language_model.model.layers.%d." % i
        for norm in ("input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm",
                     "post_feedforward_layernorm"):
            ck.add(p + norm + ".weight", "BF16", [d])
        attention(ck, p, t, hd, None, "BF16", qk_norm=True)
        dense_mlp(ck, p, d, t["intermediate_size"], None, "BF16")
    ck.add("language_model.model.norm.weight", "BF16", [d])
    # SigLIP vision tower (SiglipVisionModel) and the projector (Gemma3MultiModalProjector).
    vd, vff = vc["hidden_size"], vc["intermediate_size"]
    patch, image = vc["patch_size"], vc["image_size"]
    vp = "vision_tower.vision_model."
    ck.add(vp + "embeddings.patch_embedding.weight", "BF16", [vd, 3, patch, patch])
    ck.add(vp + "embeddings.patch_embedding.bias", "BF16", [vd])
    ck.add(vp + "embeddings.position_embedding.weight", "BF16", [(image // patch) ** 2, vd])
    for i in range(vc["num_hidden_layers"]):
        p = vp + "encoder.layers.%d." % i
        for norm in ("layer_norm1", "layer_norm2"):
            ck.add(p + norm + ".weight", "BF16", [vd])
            ck.add(p + norm + ".bias", "BF16", [vd])
        for proj in ("q_proj", "k_proj", "v_proj", "out_proj"):
            ck.add(p + "self_attn." + proj + ".weight", "BF16", [vd, vd])
            ck.add(p + "self_attn." + proj + ".bias", "BF16", [vd])
        ck.add(p + "mlp.fc1.weight", "BF16", [vff, vd])
        ck.add(p + "mlp.fc1.bias", "BF16", [vff])
        ck.add(p + "mlp.fc2.weight", "BF16", [vd, vff])
        ck.add(p + "mlp.fc2.bias", "BF16", [vd])
    ck.add(vp + "post_layernorm.weight", "BF16", [vd])
    ck.add(vp + "post_layernorm.bias", "BF16", [vd])
    ck.add("multi_modal_projector.mm_input_projection_weight", "BF16", [vd, d])
    ck.add("multi_modal_projector.mm_soft_emb_norm.weight", "BF16", [vd])
    return ck


def gpt_oss(c):
    """GptOssForCausalLM as released: attention BF16, experts MXFP4 (*_blocks, *_scales)."""
    ck = Checkpoint()
    d, v, e, ff = c["hidden_size"], c["vocab_size"], c["num_local_experts"], c["intermediate_size"]
    h, kv, hd = c["num_attention_heads"], c["num_key_value_heads"], c["head_dim"]
    ck.add("model.embed_tokens.weight", "BF16", [v, d])
    for i in range(c["num_hidden_layers"]):
        p = "model.layers.%d." % i
        ck.add(p + "input_layernorm.weight", "BF16", [d])
        ck.add(p + "post_attention_layernorm.weight", "BF16", [d])
        linear(ck, p + "self_attn.q_proj", h * hd, d, None, "BF16", True)
        linear(ck, p + "self_attn.k_proj", kv * hd, d, None, "BF16", True)
        linear(ck, p + "self_attn.v_proj", kv * hd, d, None, "BF16", True)
        linear(ck, p + "self_attn.o_proj", d, h * hd, None, "BF16", True)
        ck.add(p + "self_attn.sinks", "BF16", [h])
        ck.add(p + "mlp.router.weight", "BF16", [e, d])
        ck.add(p + "mlp.router.bias", "BF16", [e])
        # MXFP4: 32 values a block, 16 bytes of e2m1 pairs + one e8m0 scale byte.
        ck.add(p + "mlp.experts.gate_up_proj_blocks", "U8", [e, 2 * ff, d // 32, 16])
        ck.add(p + "mlp.experts.gate_up_proj_scales", "U8", [e, 2 * ff, d // 32])
        ck.add(p + "mlp.experts.gate_up_proj_bias", "BF16", [e, 2 * ff])
        ck.add(p + "mlp.experts.down_proj_blocks", "U8", [e, d, ff // 32, 16])
        ck.add(p + "mlp.experts.down_proj_scales", "U8", [e, d, ff // 32])
        ck.add(p + "mlp.experts.down_proj_bias", "BF16", [e, d])
    ck.add("model.norm.weight", "BF16", [d])
    ck.add("lm_head.weight", "BF16", [v, d])
    return ck


# --- published configs (the fields the models use; see tests/data/README.md) -------------

LLAMA31_8B = {
    "architectures": ["LlamaForCausalLM"], "attention_bias": False, "bos_token_id": 128000,
    "eos_token_id": [128001, 128008, 128009], "hidden_act": "silu", "hidden_size": 4096,
    "intermediate_size": 14336, "max_position_embeddings": 131072, "mlp_bias": False,
    "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 32,
    "num_key_value_heads": 8, "rms_norm_eps": 1e-05,
    "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                     "original_max_position_embeddings": 8192, "rope_type": "llama3"},
    "rope_theta": 500000.0, "tie_word_embeddings": False, "torch_dtype": "bfloat16",
    "vocab_size": 128256,
}

LLAMA3_8B_FP8 = {
    "_name_or_path": "meta-llama/Meta-Llama-3-8B-Instruct", "architectures": ["LlamaForCausalLM"],
    "attention_bias": False, "hidden_act": "silu", "hidden_size": 4096,
    "intermediate_size": 14336, "max_position_embeddings": 8192, "model_type": "llama",
    "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8,
    "quantization_config": {"quant_method": "fp8", "activation_scheme": "static"},
    "rms_norm_eps": 1e-05, "rope_theta": 500000.0, "tie_word_embeddings": False,
    "torch_dtype": "bfloat16", "vocab_size": 128256,
}

QWEN25_7B = {
    "architectures": ["Qwen2ForCausalLM"], "hidden_act": "silu", "hidden_size": 3584,
    "intermediate_size": 18944, "max_position_embeddings": 32768, "max_window_layers": 28,
    "model_type": "qwen2", "num_attention_heads": 28, "num_hidden_layers": 28,
    "num_key_value_heads": 4, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0,
    "sliding_window": 131072, "tie_word_embeddings": False, "torch_dtype": "float16",
    "use_sliding_window": False, "vocab_size": 152064,
}

QWEN25_7B_GPTQ = dict(QWEN25_7B, quantization_config={
    "bits": 4, "damp_percent": 0.01, "desc_act": False, "group_size": 128,
    "modules_in_block_to_quantize": None, "quant_method": "gptq", "static_groups": False,
    "sym": True, "true_sequential": True})

QWEN25_7B_AWQ = dict(QWEN25_7B, quantization_config={
    "bits": 4, "group_size": 128, "modules_to_not_convert": None, "quant_method": "awq",
    "version": "gemm", "zero_point": True})

GEMMA3_4B = {
    "architectures": ["Gemma3ForConditionalGeneration"], "boi_token_index": 255999,
    "eoi_token_index": 256000, "image_token_index": 262144, "mm_tokens_per_image": 256,
    "model_type": "gemma3",
    "text_config": {"hidden_size": 2560, "intermediate_size": 10240,
                    "model_type": "gemma3_text", "num_hidden_layers": 34,
                    "rope_scaling": {"factor": 8.0, "rope_type": "linear"},
                    "sliding_window": 1024},
    "torch_dtype": "bfloat16",
    "vision_config": {"hidden_size": 1152, "image_size": 896, "intermediate_size": 4304,
                      "model_type": "siglip_vision_model", "num_attention_heads": 16,
                      "num_hidden_layers": 27, "patch_size": 14, "vision_use_head": False},
}

GPT_OSS_20B = {
    "architectures": ["GptOssForCausalLM"], "attention_bias": True, "attention_dropout": 0.0,
    "experts_per_token": 4, "head_dim": 64, "hidden_act": "silu", "hidden_size": 2880,
    "initial_context_length": 4096, "intermediate_size": 2880,
    "layer_types": ["sliding_attention", "full_attention"] * 12,
    "max_position_embeddings": 131072, "model_type": "gpt_oss", "num_attention_heads": 64,
    "num_experts_per_tok": 4, "num_hidden_layers": 24, "num_key_value_heads": 8,
    "num_local_experts": 32,
    "quantization_config": {"modules_to_not_convert": ["model.layers.*.self_attn",
                                                       "model.layers.*.mlp.router",
                                                       "model.embed_tokens", "lm_head"],
                            "quant_method": "mxfp4"},
    "rope_scaling": {"beta_fast": 32.0, "beta_slow": 1.0, "factor": 32.0,
                     "original_max_position_embeddings": 4096, "rope_type": "yarn",
                     "truncate": False},
    "rope_theta": 150000, "sliding_window": 128, "swiglu_limit": 7.0,
    "tie_word_embeddings": False, "torch_dtype": "bfloat16", "vocab_size": 201088,
}

# name -> (config, builder, published shard count, published metadata.total_size or None)
FIXTURES = {
    "llama-3.1-8b-instruct": (LLAMA31_8B, lambda c: llama_like(c), 4, 16060522496),
    "llama-3-8b-instruct-fp8": (LLAMA3_8B_FP8, lambda c: llama_like(c, "fp8-static"), 2, 9081202432),
    "qwen2.5-7b-instruct-gptq-int4": (QWEN25_7B_GPTQ,
                                      lambda c: llama_like(c, "gptq", "F16", qkv_bias=True), 2, None),
    "qwen2.5-7b-instruct-awq": (QWEN25_7B_AWQ,
                                lambda c: llama_like(c, "awq", "F16", qkv_bias=True), 2, None),
    "gemma-3-4b-it": (GEMMA3_4B, gemma3, 2, 8600158944),
    "gpt-oss-20b": (GPT_OSS_20B, gpt_oss, 3, 13761264768),
}


def header_bytes(tensors):
    """A safetensors header for `tensors` (name -> (dtype, shape)), data in name order."""
    entries = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name in sorted(tensors):
        dtype, shape = tensors[name]
        size = nbytes(dtype, shape)
        entries[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(entries, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text


def write_fixture(out_dir, name, config, builder, shards, published_total):
    ck = builder(config)
    folder = os.path.join(out_dir, name)
    os.makedirs(folder, exist_ok=True)
    for f in os.listdir(folder):
        if f.endswith(".safetensors"):
            os.remove(os.path.join(folder, f))
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2, sort_keys=True)
        f.write("\n")
    # Deal tensors to shards in name order, starting a new shard at each 1/shards of the bytes.
    names = sorted(ck.tensors)
    total = ck.total_bytes()
    assignment, shard, acc = {}, 0, 0
    for n in names:
        if acc >= (shard + 1) * total / shards and shard < shards - 1:
            shard += 1
        assignment[n] = shard
        acc += nbytes(*ck.tensors[n])
    files = ["model-%05d-of-%05d.safetensors" % (i + 1, shards) for i in range(shards)]
    if name == "gpt-oss-20b":  # published as model-00000-of-00002 ... model-00002-of-00002
        files = ["model-%05d-of-%05d.safetensors" % (i, shards - 1) for i in range(shards)]
    for i, fname in enumerate(files):
        part = {n: ck.tensors[n] for n in names if assignment[n] == i}
        with open(os.path.join(folder, fname), "wb") as f:
            f.write(header_bytes(part))
    index = {"metadata": {"total_size": published_total if published_total else total},
             "weight_map": {n: files[assignment[n]] for n in names}}
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
        json.dump(index, f, separators=(",", ":"), sort_keys=True)
        f.write("\n")
    return total


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for name, (config, builder, shards, published) in sorted(FIXTURES.items()):
        total = write_fixture(out_dir, name, config, builder, shards, published)
        note = "" if published is None else (" = published" if total == published
                                              else " != published %d" % published)
        print("%-32s %14d bytes in headers%s" % (name, total, note))


if __name__ == "__main__":
    main()
