// ResolveModelPath: model files named in requests stay under the models folder.
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "service/api.h"
#include "service_test_support.h"
#include "testing/status_matchers.h"

namespace sizer {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::ScratchDir;
using testing::StatusIs;

class ModelPathTest : public ::testing::Test {
 protected:
  ModelPathTest() : dir_("model_path") {
    dir_.Write("models/top.gguf", "x");
    dir_.Write("models/sub/inner.gguf", "x");
    dir_.Write("outside.gguf", "x");
    fs::create_symlink(dir_.path() / "outside.gguf", dir_.path() / "models/escape.gguf");
    fs::create_symlink(dir_.path() / "models/sub/inner.gguf", dir_.path() / "models/alias.gguf");
    fs::create_symlink(dir_.path(), dir_.path() / "models/up");
    fs::create_directories(dir_.path() / "models/folder.gguf");
    ctx_.catalog = &testing::RealCatalog();
    ctx_.models_dir = dir_.path() / "models";
  }
  ScratchDir dir_;
  service::ServiceContext ctx_;
};

TEST_F(ModelPathTest, AcceptsFilesInTheFolderAndItsSubfolders) {
  StatusOr<fs::path> top = service::ResolveModelPath(ctx_, "top.gguf");
  ASSERT_TRUE(top.ok()) << top.status().message();
  EXPECT_EQ(*top, dir_.path() / "models/top.gguf");
  StatusOr<fs::path> inner = service::ResolveModelPath(ctx_, "sub/inner.gguf");
  ASSERT_TRUE(inner.ok()) << inner.status().message();
  EXPECT_EQ(*inner, dir_.path() / "models/sub/inner.gguf");
  EXPECT_EQ(*service::ResolveModelPath(ctx_, "./sub/./inner.gguf"), *inner);
  // A symlink that stays inside is followed to its target.
  EXPECT_EQ(*service::ResolveModelPath(ctx_, "alias.gguf"), *inner);
}

TEST_F(ModelPathTest, RefusesEscapes) {
  EXPECT_THAT(service::ResolveModelPath(ctx_, "../outside.gguf"),
              StatusIs(StatusCode::kInvalidArgument, "model file '../outside.gguf': '..' is not allowed; "
                                                     "name a file under the models folder"));
  EXPECT_THAT(service::ResolveModelPath(ctx_, "sub/../../outside.gguf"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'..' is not allowed")));
  EXPECT_THAT(service::ResolveModelPath(ctx_, (dir_.path() / "models/top.gguf").string()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("an absolute path")));
  EXPECT_THAT(service::ResolveModelPath(ctx_, "escape.gguf"),
              StatusIs(StatusCode::kInvalidArgument,
                       "model file 'escape.gguf': it resolves outside the models folder"));
  EXPECT_THAT(service::ResolveModelPath(ctx_, "up/outside.gguf"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("resolves outside the models folder")));
}

TEST_F(ModelPathTest, RefusesMissingFilesFoldersAndEmptyNames) {
  EXPECT_THAT(service::ResolveModelPath(ctx_, "missing.gguf"),
              StatusIs(StatusCode::kNotFound, "model file 'missing.gguf': no such file in the models folder"));
  EXPECT_THAT(service::ResolveModelPath(ctx_, "folder.gguf"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not a regular file")));
  EXPECT_THAT(service::ResolveModelPath(ctx_, ""), StatusIs(StatusCode::kInvalidArgument, HasSubstr("empty")));
  EXPECT_THAT(service::ResolveModelPath(ctx_, std::string("a\0b.gguf", 8)),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("NUL")));
}

TEST_F(ModelPathTest, NoModelsFolderReadsNoFile) {
  service::ServiceContext none = ctx_;
  none.models_dir.clear();
  EXPECT_THAT(service::ResolveModelPath(none, "top.gguf"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("reads no model files")));
  none.models_dir = dir_.path() / "no-such-folder";
  EXPECT_THAT(service::ResolveModelPath(none, "top.gguf"), StatusIs(StatusCode::kNotFound, HasSubstr("models folder")));
}

}  // namespace
}  // namespace sizer
