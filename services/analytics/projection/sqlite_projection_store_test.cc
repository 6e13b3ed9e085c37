// SqliteProjectionStore against the ProjectionStore contract
// (projection_store_contract.cc).

#include "services/analytics/projection/sqlite_projection_store.h"

#include <gtest/gtest.h>

#include "services/analytics/projection/projection_store_contract.h"

namespace salesmeet::analytics {
namespace {

ProjectionStoreFactory Sqlite() {
  return {"sqlite",
          [](const std::string& directory)
              -> absl::StatusOr<std::unique_ptr<ProjectionStore>> {
            auto store =
                SqliteProjectionStore::Open(directory + "/analytics.db", 2);
            if (!store.ok()) return store.status();
            return std::unique_ptr<ProjectionStore>(*std::move(store));
          }};
}

INSTANTIATE_TEST_SUITE_P(
    Backends, ProjectionStoreContractTest, ::testing::Values(Sqlite()),
    [](const ::testing::TestParamInfo<ProjectionStoreFactory>& info) {
      return info.param.name;
    });

}  // namespace
}  // namespace salesmeet::analytics
