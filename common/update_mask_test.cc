#include "common/update_mask.h"

#include <gtest/gtest.h>

#include "common/errors.h"
#include "google/protobuf/api.pb.h"

namespace salesmeet {
namespace {

using google::protobuf::Api;
using google::protobuf::FieldMask;

// google.protobuf.Api has scalars, a nested message and repeated fields,
// which is all the shapes our resources use.
const UpdateMaskRules kRules = {
    {"version", "methods", "source_context", "source_context.file_name"},
    {{"name", "cannot be changed"}}};

FieldMask Mask(std::initializer_list<const char*> paths) {
  FieldMask mask;
  for (const char* p : paths) mask.add_paths(p);
  return mask;
}

TEST(UpdateMaskTest, EmptyMaskMeansEveryUpdatableFieldThatIsSet) {
  Api patch;
  patch.set_name("ignored: not updatable");
  patch.set_version("v2");
  auto paths = ResolveUpdateMask(FieldMask(), patch, kRules);
  ASSERT_TRUE(paths.ok());
  EXPECT_EQ(*paths, std::vector<std::string>({"version"}));
}

TEST(UpdateMaskTest, StarMeansEveryTopLevelUpdatablePath) {
  auto paths = ResolveUpdateMask(Mask({"*"}), Api(), kRules);
  ASSERT_TRUE(paths.ok());
  EXPECT_EQ(paths->size(), 3u);
}

TEST(UpdateMaskTest, UnknownPathIsInvalidArgumentNamingItsIndex) {
  auto paths = ResolveUpdateMask(Mask({"version", "salary"}), Api(), kRules);
  ASSERT_EQ(paths.status().code(), absl::StatusCode::kInvalidArgument);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(GetBadRequest(paths.status(), &bad));
  EXPECT_EQ(bad.field_violations(0).field(), "update_mask.paths[1]");
}

TEST(UpdateMaskTest, ImmutablePathExplainsWhy) {
  auto paths = ResolveUpdateMask(Mask({"name"}), Api(), kRules);
  ASSERT_FALSE(paths.ok());
  EXPECT_NE(paths.status().message().find("cannot be changed"),
            std::string::npos);
}

TEST(UpdateMaskTest, ApplyReplacesRepeatedAndClearsUnsetMessage) {
  Api target;
  target.set_name("api");
  target.set_version("v1");
  target.add_methods()->set_name("A");
  target.add_methods()->set_name("B");
  target.mutable_source_context()->set_file_name("old.proto");
  Api patch;
  patch.add_methods()->set_name("C");
  ApplyUpdateMask({"methods", "source_context"}, patch, &target);
  ASSERT_EQ(target.methods_size(), 1);
  EXPECT_EQ(target.methods(0).name(), "C");
  EXPECT_FALSE(target.has_source_context());
  EXPECT_EQ(target.version(), "v1");
  EXPECT_EQ(target.name(), "api");
}

TEST(UpdateMaskTest, ApplyNestedPathTouchesOnlyThatField) {
  Api target;
  target.mutable_source_context()->set_file_name("old.proto");
  target.set_version("v1");
  Api patch;
  patch.mutable_source_context()->set_file_name("new.proto");
  ApplyUpdateMask({"source_context.file_name"}, patch, &target);
  EXPECT_EQ(target.source_context().file_name(), "new.proto");
  EXPECT_EQ(target.version(), "v1");
}

TEST(UpdateMaskTest, ApplyScalarToDefaultClearsIt) {
  Api target;
  target.set_version("v1");
  ApplyUpdateMask({"version"}, Api(), &target);
  EXPECT_EQ(target.version(), "");
}

}  // namespace
}  // namespace salesmeet
