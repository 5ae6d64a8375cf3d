// Strings that came from input (job name and description, an inline model's name and
// source, an inline machine's id and name) come out escaped in the HTML, its SVG charts and
// the Markdown: no tag, attribute or link from input survives.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plan/planner.h"
#include "report/markup_check.h"
#include "report/report_document.h"
#include "report/svg_chart.h"
#include "report/template_render.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::RealCatalog;
using testing::SourceDir;

class ReportEscape : public ::testing::Test {
 protected:
  std::string Render(ReportFormat format) {
    StatusOr<JobSpec> job = LoadJobSpec(SourceDir() + "/tests/report/fixtures/hostile-job.yaml", RealCatalog());
    EXPECT_TRUE(job.ok()) << job.status().message();
    if (!job.ok()) return "";
    StatusOr<Plan> plan = MakePlan(*job);
    EXPECT_TRUE(plan.ok()) << plan.status().message();
    if (!plan.ok()) return "";
    plan_ = std::move(plan).value();
    ReportOptions options;
    options.date = "2025-01-01";
    options.charts = ChartOutput::kFiles;
    StatusOr<ReportDocument> doc = RenderReport(plan_, format, SourceDir() + "/reports/templates", options);
    EXPECT_TRUE(doc.ok()) << doc.status().message();
    if (!doc.ok()) return "";
    charts_ = doc->charts;
    return doc->text;
  }
  Plan plan_;
  std::vector<ChartFile> charts_;
};

TEST_F(ReportEscape, HtmlEscapesEveryInputString) {
  std::string html = Render(ReportFormat::kHtml);
  ASSERT_FALSE(html.empty());
  // The job's name, the model's name, the machine's id and name: entities, never tags.
  EXPECT_THAT(html, HasSubstr("evil &lt;script&gt;alert(&quot;job&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;"));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(&quot;model&quot;)&lt;/script&gt;"));
  EXPECT_THAT(html, HasSubstr("&lt;img src=x onerror=alert(1)&gt;"));
  EXPECT_THAT(html, HasSubstr("&lt;svg onload=alert(1)&gt;"));
  EXPECT_THAT(html, HasSubstr("&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;"));
  EXPECT_THAT(html, HasSubstr("&quot;quoted&quot; &lt;b&gt;source&lt;/b&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html, Not(HasSubstr("<svg onload")));
  EXPECT_THAT(html, Not(HasSubstr("<b>source")));
  // Still well-formed: nothing from input opened or closed an element.
  testing::MarkupResult markup = testing::CheckMarkup(html, /*html=*/true);
  EXPECT_TRUE(markup.ok) << markup.error;
  // The charts' text too (the machine's id labels a bar).
  size_t svg = html.find("id=\"chart-memory\"");
  ASSERT_NE(svg, std::string::npos);
  EXPECT_THAT(html.substr(svg, html.find("</svg>", svg) - svg),
              HasSubstr(">&lt;svg onload=alert(1)&gt;</text>"));
}

TEST_F(ReportEscape, MarkdownNeutralizesTagsPipesAndLinks) {
  std::string md = Render(ReportFormat::kMarkdown);
  ASSERT_FALSE(md.empty());
  EXPECT_THAT(md, HasSubstr("# Sizing report: evil &lt;script>alert(\"job\")&lt;/script> & 'quotes'"));
  EXPECT_THAT(md, HasSubstr("Pipes \\| and &lt;img src=x onerror=alert(1)>"));
  EXPECT_THAT(md, HasSubstr("\\[a link\\](http://example.com) and \\*stars\\*"));
  EXPECT_THAT(md, HasSubstr("| **&lt;svg onload=alert(1)>** |"));
  EXPECT_THAT(md, Not(HasSubstr("<script")));
  EXPECT_THAT(md, Not(HasSubstr("<img")));
  EXPECT_THAT(md, Not(HasSubstr("<svg onload")));
  // A table row still has its columns: the source's '|' is escaped.
  EXPECT_THAT(md, HasSubstr("\"quoted\" &lt;b>source&lt;/b> \\| pipe & more"));
  // The chart files carry the machine's id as escaped SVG text.
  bool found = false;
  for (const ChartFile& chart : charts_) {
    EXPECT_THAT(chart.svg, Not(HasSubstr("<svg onload")));
    testing::MarkupResult markup = testing::CheckMarkup(chart.svg, /*html=*/false);
    EXPECT_TRUE(markup.ok) << chart.name << ": " << markup.error;
    found = found || chart.svg.find("&lt;svg onload=alert(1)&gt;") != std::string::npos;
  }
  EXPECT_TRUE(found);
}

TEST(ReportEscapeFunctions, MarkdownAndHtmlEscapes) {
  EXPECT_EQ(EscapeHtml("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(EscapeMarkdown("a|b\nc"), "a\\|b c");
  EXPECT_EQ(EscapeMarkdown("<b> </i> <!-- <? x <= 3 < 4"), "&lt;b> &lt;/i> &lt;!-- &lt;? x <= 3 < 4");
  EXPECT_EQ(EscapeMarkdown("&amp; &#60; R&D & co"), "&amp;amp; &amp;#60; R&amp;D & co");
  EXPECT_EQ(EscapeMarkdown("[x](y) *b* `c` \\"), "\\[x\\](y) \\*b\\* \\`c\\` \\\\");
  EXPECT_EQ(svg::EscapeXml("<t a=\"1\">'&'</t>\x01"), "&lt;t a=&quot;1&quot;&gt;&#39;&amp;&#39;&lt;/t&gt; ");
}

}  // namespace
}  // namespace sizer
