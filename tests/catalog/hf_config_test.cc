// config.json -> ModelSpec (catalog/hf_config.h): each family against its model_db entry,
// quantization_config -> weight format, and the malformed inputs.
#include <cmath>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "catalog/hf_config.h"
#include "catalog/hf_quantization.h"
#include "testing/status_matchers.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

using ::testing::HasSubstr;
using testing::StatusIs;

// The published config.json fields of each model (huggingface.co/<repo>/blob/main/config.json,
// tests/data/README.md); the fixtures' configs come from tests/data/hf/.
struct Reconstructed {
  const char* model_db_id;
  const char* config;  // JSON text, or "fixture:<folder>"
  double params_tolerance;  // model_db rounds some counts (671e9, 80e9)
};

const Reconstructed kConfigs[] = {
    {"llama-3.1-8b", "fixture:llama-3.1-8b-instruct", 0},
    {"qwen2.5-7b", "fixture:qwen2.5-7b-instruct-awq", 0},
    {"gemma-3-4b", "fixture:gemma-3-4b-it", 0},
    {"gpt-oss-20b", "fixture:gpt-oss-20b", 0},
    {"llama-3.2-1b",
     R"({"model_type":"llama","hidden_size":2048,"intermediate_size":8192,"num_hidden_layers":16,
         "num_attention_heads":32,"num_key_value_heads":8,"head_dim":64,"vocab_size":128256,
         "max_position_embeddings":131072,"tie_word_embeddings":true})", 0},
    {"mistral-7b",
     R"({"model_type":"mistral","hidden_size":4096,"intermediate_size":14336,"num_hidden_layers":32,
         "num_attention_heads":32,"num_key_value_heads":8,"vocab_size":32000,
         "max_position_embeddings":32768,"sliding_window":4096,"tie_word_embeddings":false})", 0},
    {"mixtral-8x7b",
     R"({"model_type":"mixtral","hidden_size":4096,"intermediate_size":14336,"num_hidden_layers":32,
         "num_attention_heads":32,"num_key_value_heads":8,"num_local_experts":8,
         "num_experts_per_tok":2,"vocab_size":32000,"max_position_embeddings":32768,
         "sliding_window":null,"tie_word_embeddings":false})", 0},
    {"qwen3-8b",
     R"({"model_type":"qwen3","hidden_size":4096,"intermediate_size":12288,"num_hidden_layers":36,
         "num_attention_heads":32,"num_key_value_heads":8,"head_dim":128,"vocab_size":151936,
         "max_position_embeddings":40960,"attention_bias":false,"use_sliding_window":false,
         "sliding_window":null,"tie_word_embeddings":false})", 0},
    {"qwen3-30b-a3b",
     R"({"model_type":"qwen3_moe","hidden_size":2048,"intermediate_size":6144,
         "moe_intermediate_size":768,"num_hidden_layers":48,"num_attention_heads":32,
         "num_key_value_heads":4,"head_dim":128,"num_experts":128,"num_experts_per_tok":8,
         "decoder_sparse_step":1,"mlp_only_layers":[],"vocab_size":151936,
         "max_position_embeddings":40960,"tie_word_embeddings":false})", 0},
    {"gemma-2-9b",
     R"({"model_type":"gemma2","hidden_size":3584,"intermediate_size":14336,"num_hidden_layers":42,
         "num_attention_heads":16,"num_key_value_heads":8,"head_dim":256,"vocab_size":256000,
         "max_position_embeddings":8192,"sliding_window":4096})", 0},
    {"phi-4",
     R"({"model_type":"phi3","hidden_size":5120,"intermediate_size":17920,"num_hidden_layers":40,
         "num_attention_heads":40,"num_key_value_heads":10,"vocab_size":100352,
         "max_position_embeddings":16384,"sliding_window":null,"tie_word_embeddings":false})", 0},
    {"deepseek-v3",
     R"({"model_type":"deepseek_v3","hidden_size":7168,"intermediate_size":18432,
         "moe_intermediate_size":2048,"num_hidden_layers":61,"num_attention_heads":128,
         "num_key_value_heads":128,"n_routed_experts":256,"n_shared_experts":1,
         "num_experts_per_tok":8,"first_k_dense_replace":3,"moe_layer_freq":1,
         "kv_lora_rank":512,"q_lora_rank":1536,"qk_rope_head_dim":64,"qk_nope_head_dim":128,
         "v_head_dim":128,"vocab_size":129280,"max_position_embeddings":163840,
         "num_nextn_predict_layers":1,"topk_method":"noaux_tc","tie_word_embeddings":false,
         "quantization_config":{"activation_scheme":"dynamic","fmt":"e4m3","quant_method":"fp8",
                                "weight_block_size":[128,128]}})", 0.001},
    {"qwen3-next-80b-a3b",
     R"({"model_type":"qwen3_next","hidden_size":2048,"intermediate_size":5120,
         "moe_intermediate_size":512,"shared_expert_intermediate_size":512,
         "num_hidden_layers":48,"num_attention_heads":16,"num_key_value_heads":2,"head_dim":256,
         "num_experts":512,"num_experts_per_tok":10,"decoder_sparse_step":1,"mlp_only_layers":[],
         "full_attention_interval":4,"linear_num_value_heads":32,"linear_num_key_heads":16,
         "linear_key_head_dim":128,"linear_value_head_dim":128,"linear_conv_kernel_dim":4,
         "vocab_size":151936,"max_position_embeddings":262144,"tie_word_embeddings":false})", 0.005},
};

StatusOr<HfConfig> Load(const std::string& config) {
  if (config.rfind("fixture:", 0) == 0) {
    return ReadHfConfig(testing::TestDataDir() + "/hf/" + config.substr(8) + "/config.json");
  }
  return ParseHfConfig(config, "config.json");
}

TEST(HfConfig, EachReconstructedConfigGivesItsModelDbEntrysFigures) {
  for (const Reconstructed& r : kConfigs) {
    SCOPED_TRACE(r.model_db_id);
    StatusOr<HfConfig> c = Load(r.config);
    ASSERT_TRUE(c.ok()) << c.status().message();
    StatusOr<ModelSpec> db = testing::RealCatalog().FindModel(r.model_db_id);
    ASSERT_TRUE(db.ok()) << db.status().message();
    const ModelSpec& m = c->model;
    EXPECT_EQ(m.family, db->family);
    EXPECT_EQ(m.n_layers, db->n_layers);
    EXPECT_EQ(m.d_model, db->d_model);
    EXPECT_EQ(m.n_heads, db->n_heads);
    EXPECT_EQ(m.n_kv_heads, db->n_kv_heads);
    EXPECT_EQ(m.head_dim, db->head_dim);
    EXPECT_EQ(m.d_ff, db->d_ff);
    EXPECT_EQ(m.vocab_size, db->vocab_size);
    EXPECT_EQ(m.tied_embeddings, db->tied_embeddings);
    EXPECT_EQ(m.layer_pattern, db->layer_pattern);
    EXPECT_EQ(m.sliding_window_tokens, db->sliding_window_tokens);
    EXPECT_EQ(m.linear_state_elements, db->linear_state_elements);
    EXPECT_EQ(m.has_mla, db->has_mla);
    EXPECT_EQ(m.mla.kv_lora_rank, db->mla.kv_lora_rank);
    EXPECT_EQ(m.mla.q_lora_rank, db->mla.q_lora_rank);
    EXPECT_EQ(m.mla.qk_nope_head_dim, db->mla.qk_nope_head_dim);
    EXPECT_EQ(m.has_moe, db->has_moe);
    EXPECT_EQ(m.moe.n_experts, db->moe.n_experts);
    EXPECT_EQ(m.moe.n_experts_per_token, db->moe.n_experts_per_token);
    EXPECT_EQ(m.moe.n_shared_experts, db->moe.n_shared_experts);
    EXPECT_EQ(m.moe.expert_d_ff, db->moe.expert_d_ff);
    EXPECT_EQ(m.moe.shared_expert_d_ff, db->moe.shared_expert_d_ff);
    EXPECT_EQ(m.moe.n_dense_leading_layers, db->moe.n_dense_leading_layers);
    // model_db's counts are the safetensors element counts (exact) or the card's rounding.
    if (r.params_tolerance == 0) {
      EXPECT_DOUBLE_EQ(m.params_total, db->params_total);
    } else {
      EXPECT_NEAR(m.params_total / db->params_total, 1.0, r.params_tolerance);
    }
  }
}

TEST(HfConfig, WrappersReadTheirTextConfigAndKeepTheVisionConfig) {
  StatusOr<HfConfig> c = Load("fixture:gemma-3-4b-it");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->wrapper_type, "gemma3");
  EXPECT_EQ(c->model_type, "gemma3_text");
  EXPECT_EQ(c->architecture, "Gemma3ForConditionalGeneration");
  ASSERT_TRUE(c->vision_config.is_object());
  EXPECT_EQ(c->vision_config["hidden_size"], 1152);
  EXPECT_EQ(c->model.max_context_tokens, 131072);  // Gemma3TextConfig's default
}

TEST(HfConfig, MalformedConfigsNameTheFileAndTheKey) {
  EXPECT_THAT(ParseHfConfig("{not json", "/m/config.json"),
              StatusIs(StatusCode::kCorruption, HasSubstr("/m/config.json: byte ")));
  EXPECT_THAT(ParseHfConfig("[]", "c.json"), StatusIs(StatusCode::kCorruption, HasSubstr("not a JSON object")));
  EXPECT_THAT(ParseHfConfig(R"({"hidden_size":8})", "c.json"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("missing required key 'model_type'")));
  EXPECT_THAT(ParseHfConfig(R"({"model_type":"llama","hidden_size":8,"num_attention_heads":2,"vocab_size":9})", "c.json"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("key 'num_hidden_layers' is missing")));
  EXPECT_THAT(ParseHfConfig(R"({"model_type":"llama","hidden_size":"8","num_hidden_layers":2,
                                "num_attention_heads":2,"vocab_size":9})", "c.json"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("key 'hidden_size' must be a non-negative integer")));
  EXPECT_THAT(ParseHfConfig(R"({"model_type":"llama","hidden_size":8,"num_hidden_layers":2,
                                "num_attention_heads":3,"num_key_value_heads":2,"vocab_size":9,
                                "intermediate_size":4})", "c.json"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("does not divide")));
  EXPECT_THAT(ParseHfConfig(R"({"model_type":"llama","hidden_size":8,"num_hidden_layers":2,
                                "num_attention_heads":2,"vocab_size":9})", "c.json"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("intermediate_size' is missing or 0")));
  EXPECT_THAT(ParseHfConfig(R"({"model_type":"gemma3","vision_config":{}})", "c.json"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("needs a 'text_config' object")));
  EXPECT_THAT(ParseHfConfig(R"({"model_type":"gemma3","text_config":{"model_type":"gemma3_text",
                                "hidden_size":-4}})", "c.json"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("key 'text_config.hidden_size'")));
  EXPECT_THAT(ReadHfConfig("/nonexistent/config.json"), StatusIs(StatusCode::kNotFound, HasSubstr("config.json")));
}

TEST(HfConfig, AnUnknownModelTypeIsRefusedListingTheKnownOnes) {
  EXPECT_THAT(ParseHfConfig(R"({"model_type":"falcon","hidden_size":8})", "c.json"),
              StatusIs(StatusCode::kUnsupported,
                       HasSubstr("model_type 'falcon' is not supported (known: llama, mistral")));
}

TEST(HfQuantization, EachQuantMethodMapsToAWeightFormat) {
  using nlohmann::json;
  struct Case {
    const char* config;
    const char* format_id;
  } cases[] = {
      {"null", "FP16"},
      {R"({"quant_method":"gptq","bits":4,"group_size":128,"desc_act":false})", "GPTQ-4bit-g128"},
      {R"({"quant_method":"gptq","bits":8,"group_size":-1})", "GPTQ-8bit-gchannel"},
      {R"({"quant_method":"awq","bits":4,"group_size":128,"version":"gemm"})", "AWQ-4bit-g128"},
      {R"({"quant_method":"fp8","weight_block_size":[128,128]})", "FP8"},
      {R"({"quant_method":"fp8","activation_scheme":"static"})", "FP8"},
      {R"({"quant_method":"compressed-tensors","format":"float-quantized","config_groups":
          {"group_0":{"weights":{"num_bits":8,"type":"float","strategy":"channel"}}}})", "FP8"},
      {R"({"quant_method":"compressed-tensors","format":"pack-quantized","config_groups":
          {"group_0":{"weights":{"num_bits":4,"type":"int","strategy":"group","group_size":128}}}})",
       "GPTQ-4bit-g128"},
      {R"({"quant_method":"compressed-tensors","format":"int-quantized","config_groups":
          {"group_0":{"weights":{"num_bits":8,"type":"int","strategy":"channel"}}}})", "INT8-W8A8"},
      {R"({"quant_method":"bitsandbytes","load_in_4bit":true,"bnb_4bit_quant_type":"nf4"})", "BNB-NF4"},
      {R"({"quant_method":"bitsandbytes","load_in_8bit":true})", "BNB-INT8"},
      {R"({"quant_method":"mxfp4"})", "MXFP4"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.config);
    StatusOr<HfQuantization> q = ReadHfQuantization(json::parse(c.config), "bfloat16", "c.json: ");
    ASSERT_TRUE(q.ok()) << q.status().message();
    EXPECT_EQ(q->format_id, c.format_id);
  }
}

TEST(HfQuantization, AnUnknownOrMalformedQuantizationConfigIsRefused) {
  using nlohmann::json;
  EXPECT_THAT(ReadHfQuantization(json::parse(R"({"quant_method":"hqq"})"), "", "c.json: "),
              StatusIs(StatusCode::kUnsupported,
                       HasSubstr("c.json: quantization_config.quant_method 'hqq' is not supported "
                                 "(known: gptq, awq, fp8")));
  EXPECT_THAT(ReadHfQuantization(json::parse(R"({"bits":4})"), "", "c.json: "),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("quant_method is missing")));
  EXPECT_THAT(ReadHfQuantization(json::parse(R"({"quant_method":"gptq","bits":"4"})"), "", ""),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("quantization_config.bits must be an integer")));
  EXPECT_THAT(ReadHfQuantization(json::parse(R"({"quant_method":"gptq","bits":16})"), "", ""),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("2..8")));
  EXPECT_THAT(ReadHfQuantization(json::parse(R"({"quant_method":"compressed-tensors"})"), "", ""),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("config_groups is missing")));
  // A wrong type where a flag is expected is a default, never an exception.
  StatusOr<HfQuantization> q =
      ReadHfQuantization(json::parse(R"({"quant_method":"gptq","desc_act":"yes"})"), "", "");
  EXPECT_TRUE(q.ok());
}

}  // namespace
}  // namespace sizer
