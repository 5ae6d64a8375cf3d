// The planner page and its fragment: the structure a browser and a screen reader need (labels
// for every input, a table with caption and header scopes, the live region), the two charts
// drawn by the report's chart code, and the answer following the form's inputs.
#include <regex>

#include <gtest/gtest.h>

#include "serve/planner_page.h"
#include "serve/serve_fixture.h"
#include "testing/test_env.h"

namespace sizer::testing {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The verdict ("admit"/"reject") of each table row, in order.
std::vector<std::string> Verdicts(const std::string& html) {
  std::vector<std::string> out;
  static const std::regex row("<tr data-verdict=\"(admit|reject)\"");
  for (std::sregex_iterator it(html.begin(), html.end(), row), end; it != end; ++it) out.push_back((*it)[1]);
  return out;
}

class PlannerPage : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = StartServe().release(); }
  static void TearDownTestSuite() { delete server_; }

  httplib::Result View(const httplib::Params& form) {
    httplib::Client client = server_->Client();
    return client.Post("/v1/view", form);
  }
  static ServeHandle* server_;
};
ServeHandle* PlannerPage::server_ = nullptr;

TEST_F(PlannerPage, PageHasLabelledInputsTableChartsAndLiveRegion) {
  httplib::Client client = server_->Client();
  auto res = client.Get("/");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const std::string& html = res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  // Every form control has a <label for=...>.
  for (const char* id : {"model", "quant", "context", "concurrency", "runtime", "on", "recommend"}) {
    EXPECT_NE(html.find(std::string("<label for=\"") + id + "\""), std::string::npos) << id;
    EXPECT_NE(html.find(std::string("id=\"") + id + "\""), std::string::npos) << id;
  }
  EXPECT_NE(html.find("aria-live=\"polite\""), std::string::npos);
  EXPECT_NE(html.find("<caption>Verdict for each candidate machine</caption>"), std::string::npos);
  EXPECT_NE(html.find("<th scope=\"col\">Verdict</th>"), std::string::npos);
  EXPECT_NE(html.find("<th scope=\"row\""), std::string::npos);
  EXPECT_EQ(Count(html, "<svg"), 2u);  // the memory stack and the KV-vs-context chart
  EXPECT_NE(html.find("id=\"chart-memory\""), std::string::npos);
  EXPECT_NE(html.find("id=\"chart-kv\""), std::string::npos);
  // Self-contained: no external script, style sheet or font.
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  // The model files under --models-dir are offered; the symlink leading out is not.
  EXPECT_NE(html.find("value=\"file:sub/copy.gguf\""), std::string::npos);
  EXPECT_EQ(html.find("escape.gguf"), std::string::npos);
  // The form works without JavaScript.
  EXPECT_NE(html.find("<form class=\"planner\" id=\"planner\" method=\"post\" action=\"/\">"), std::string::npos);
}

TEST_F(PlannerPage, FragmentFollowsTheContext) {
  // llama-3.1-8b Q4_K_M with 4 sequences: both machines admit it at 8k; at 64k the KV cache no
  // longer fits the RTX 4090 (24 GiB) but still fits the H100 (80 GiB).
  httplib::Params form = {{"model", "llama-3.1-8b"}, {"quant", "Q4_K_M"}, {"concurrency", "4"},
                          {"on", "rtx-4090"}, {"on", "h100-sxm"}, {"context", "8192"}};
  auto small = View(form);
  ASSERT_TRUE(small);
  ASSERT_EQ(small->status, 200) << small->body;
  EXPECT_EQ(small->body.find("<html"), std::string::npos) << "a fragment, not a page";
  EXPECT_EQ(Count(small->body, "<svg"), 2u);
  EXPECT_NE(small->body.find("<table class=\"verdicts\""), std::string::npos);
  EXPECT_EQ(Verdicts(small->body), (std::vector<std::string>{"admit", "admit"}));
  form.erase(form.find("context"));
  form.emplace("context", "64k");
  auto large = View(form);
  ASSERT_TRUE(large);
  ASSERT_EQ(large->status, 200) << large->body;
  EXPECT_EQ(Verdicts(large->body), (std::vector<std::string>{"reject", "admit"})) << large->body;
}

TEST_F(PlannerPage, FragmentShowsTheErrorInTheResultRegion) {
  auto res = View({{"model", "llama-3.1-8b"}, {"context", "0"}, {"on", "rtx-4090"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("<p class=\"error\" role=\"alert\">"), std::string::npos) << res->body;
  EXPECT_NE(res->body.find("--context"), std::string::npos) << res->body;
  auto escape = View({{"model", "file:../outside.gguf"}, {"on", "rtx-4090"}});
  ASSERT_TRUE(escape);
  EXPECT_TRUE(escape->status == 400 || escape->status == 404) << escape->body;
  EXPECT_NE(escape->body.find("role=\"alert\""), std::string::npos);
}

TEST_F(PlannerPage, RecommendLetsTheSearchPickTheMachines) {
  auto res = View({{"model", "llama-3.1-8b"}, {"context", "8192"}, {"recommend", "1"}});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_NE(res->body.find("cheapest admitted machines"), std::string::npos);
  const std::vector<std::string> verdicts = Verdicts(res->body);
  ASSERT_FALSE(verdicts.empty());
  for (const std::string& v : verdicts) EXPECT_EQ(v, "admit");
}

TEST_F(PlannerPage, FormPostWithoutJavaScriptRendersThePageWithTheAnswer) {
  httplib::Client client = server_->Client();
  auto res = client.Post("/", httplib::Params{{"model", "llama-3.1-8b"}, {"context", "128k"},
                                              {"concurrency", "4"}, {"quant", "Q4_K_M"}, {"on", "rtx-4090"}});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->body.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(Verdicts(res->body), std::vector<std::string>{"reject"});
  EXPECT_NE(res->body.find("value=\"128k\""), std::string::npos) << "the form keeps its inputs";
  EXPECT_NE(res->body.find("<option value=\"rtx-4090\" selected>"), std::string::npos);
  // And with GET (a bookmarkable query string).
  auto get = client.Get("/?model=llama-3.1-8b&context=8192&concurrency=4&quant=Q4_K_M&on=rtx-4090");
  ASSERT_TRUE(get);
  EXPECT_EQ(Verdicts(get->body), std::vector<std::string>{"admit"});
}

TEST(PlannerForm, ParsesTheFieldsAndIgnoresOthers) {
  serve::PlannerForm form = serve::ParsePlannerForm(
      {{"model", "m"}, {"on", "a"}, {"on", ""}, {"on", "2x b"}, {"recommend", "on"}, {"x", "y"}});
  EXPECT_TRUE(form.submitted);
  EXPECT_EQ(form.model, "m");
  EXPECT_EQ(form.hardware, (std::vector<std::string>{"a", "2x b"}));
  EXPECT_TRUE(form.recommend);
  EXPECT_FALSE(serve::ParsePlannerForm({}).submitted);
}

}  // namespace
}  // namespace sizer::testing
