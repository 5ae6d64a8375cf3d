#include <cmath>

#include <gtest/gtest.h>

#include "base/edit_distance.h"
#include "base/format.h"
#include "base/formula.h"
#include "base/status.h"
#include "base/units.h"

namespace sizer {
namespace {

TEST(ParseBytes, DecimalAndBinaryUnits) {
  EXPECT_DOUBLE_EQ(*ParseBytes("24 GiB"), 24.0 * 1024 * 1024 * 1024);
  EXPECT_DOUBLE_EQ(*ParseBytes("4.4 GB"), 4.4e9);
  EXPECT_DOUBLE_EQ(*ParseBytes("4.4GB"), 4.4e9);
  EXPECT_DOUBLE_EQ(*ParseBytes("512 MiB"), 512.0 * 1024 * 1024);
  EXPECT_DOUBLE_EQ(*ParseBytes("2048"), 2048);
  EXPECT_DOUBLE_EQ(*ParseBytes("8.03e9"), 8.03e9);
}

TEST(ParseBytes, RejectsBadInput) {
  EXPECT_FALSE(ParseBytes("").ok());
  EXPECT_FALSE(ParseBytes("GB").ok());
  EXPECT_FALSE(ParseBytes("-3 GB").ok());
  EXPECT_FALSE(ParseBytes("12 parsecs").ok());
  EXPECT_FALSE(ParseBytes("nan GB").ok());
  EXPECT_FALSE(ParseBytes("inf").ok());
  EXPECT_NE(ParseBytes("12 parsecs").status().message().find("unknown unit 'parsecs'"),
            std::string::npos);
}

TEST(ParseBytesPerSecond, Rates) {
  EXPECT_DOUBLE_EQ(*ParseBytesPerSecond("1008 GB/s"), 1008e9);
  EXPECT_DOUBLE_EQ(*ParseBytesPerSecond("3.35 TB/s"), 3.35e12);
  EXPECT_FALSE(ParseBytesPerSecond("1008 GB").ok());
}

TEST(Format, RoundsTheWayReportsPrintThem) {
  EXPECT_EQ(FormatBytes(15.0e9), "15.0 GB");
  EXPECT_EQ(FormatBytes(2.684e9), "2.7 GB");
  EXPECT_EQ(FormatBytes(141e9), "141 GB");
  EXPECT_EQ(FormatBytes(471e6), "471 MB");
  EXPECT_EQ(FormatFixed(52.6315, 1), "52.6");
  EXPECT_EQ(FormatCount(500000), "500,000");
  EXPECT_EQ(FormatUsd(900), "$900.00");
  EXPECT_EQ(FormatUsd(0.0018), "$0.0018");
  EXPECT_EQ(FormatUsd(25000), "$25,000");
  EXPECT_EQ(FormatPercent(0.589), "59%");
  EXPECT_EQ(FormatFixed(std::nan(""), 1), "n/a");
}

TEST(Format, BinaryBytesPrintWholeUnitsAsSold) {
  EXPECT_EQ(FormatBinaryBytes(24 * kGiB), "24 GiB");
  EXPECT_EQ(FormatBinaryBytes(24 * kGiB * 0.9), "21.6 GiB");
  EXPECT_EQ(FormatBinaryBytes(512 * kMiB), "512 MiB");
  EXPECT_EQ(FormatBytes(24 * kGiB), "25.8 GB");  // the decimal style is unchanged
}

TEST(Formula, RendersEachOperandInItsUnitsStyle) {
  Formula f{"{layers} layers x {cells} cells x {bytes} ({context} tokens, {fraction}, {share})",
            {Whole("layers", 32), {"cells", 8192, Unit::kCount}, {"bytes", 15.0e9, Unit::kBytes},
             Whole("context", 4096), {"fraction", 0.9, Unit::kFraction, 2},
             {"share", 0.59, Unit::kFraction}}};
  EXPECT_EQ(RenderFormula(f), "32 layers x 8,192 cells x 15.0 GB (4096 tokens, 0.90, 59%)");
  f.Append("; {price} and {missing}", {{"price", 900, Unit::kUsd}});
  EXPECT_EQ(RenderFormula(f).substr(RenderFormula(f).find(';')), "; $900.00 and {missing}");
  EXPECT_EQ(RenderFormula(Formula("no operands")), "no operands");
  EXPECT_EQ(FormatOperand({"p", 8.03e9, Unit::kParams}), "8.03B");
  EXPECT_EQ(FormatOperand({"peak", 989.4e12, Unit::kFlopPerS}), "989.4 TFLOP/s");
}

TEST(Formula, UnitNamesAreTheStableJsonSpellings) {
  for (Unit u : {Unit::kBytes, Unit::kBytesPerS, Unit::kTokensPerS, Unit::kMs, Unit::kUsd,
                 Unit::kRequestsPerMonth, Unit::kFraction, Unit::kRatio, Unit::kTokens}) {
    EXPECT_EQ(UnitFromName(UnitName(u)), u) << UnitName(u);
  }
  EXPECT_EQ(UnitName(Unit::kBytesPerS), "bytes/s");
  EXPECT_EQ(UnitName(Unit::kRatio), "x");
  EXPECT_EQ(UnitName(Unit::kBinaryBytes), "bytes");  // a display choice, not another unit
  EXPECT_FALSE(UnitFromName("furlongs").has_value());
}

TEST(EditDistance, SuggestsCloseIds) {
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);
  std::vector<std::string> ids = {"llama.cpp", "vllm", "ollama", "mlx"};
  EXPECT_EQ(DidYouMean("llamacpp", ids), " (did you mean 'llama.cpp'?)");
  EXPECT_EQ(DidYouMean("zzzzzzzzzzz", ids), "");
}

TEST(Status, ContextPrefixesTheMessage) {
  Status s = Status::NotFound("no such file").WithContext("job.yaml");
  EXPECT_EQ(s.message(), "job.yaml: no such file");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_TRUE(Status().WithContext("x").ok());
  StatusOr<int> v = 3;
  EXPECT_TRUE(v.ok());
  EXPECT_EQ(*v, 3);
}

}  // namespace
}  // namespace sizer
