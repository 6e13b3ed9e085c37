// PostgresProjectionStore against the ProjectionStore contract
// (projection_store_contract.cc), on a fresh schema per test.

#include "services/analytics/projection/postgres_projection_store.h"

#include <gtest/gtest.h>

#include "common/postgres_test_support.h"
#include "services/analytics/projection/projection_store_contract.h"

namespace salesmeet::analytics {
namespace {

ProjectionStoreFactory Postgres() {
  return {"postgresql",
          [](const std::string& directory)
              -> absl::StatusOr<std::unique_ptr<ProjectionStore>> {
            absl::StatusOr<PgDatabase::Options> options =
                TestPostgresOptions("analytics", directory);
            if (!options.ok()) return options.status();
            auto store = PostgresProjectionStore::Open(*options);
            if (!store.ok()) return store.status();
            return std::unique_ptr<ProjectionStore>(*std::move(store));
          }};
}

INSTANTIATE_TEST_SUITE_P(
    Backends, ProjectionStoreContractTest, ::testing::Values(Postgres()),
    [](const ::testing::TestParamInfo<ProjectionStoreFactory>& info) {
      return info.param.name;
    });

}  // namespace
}  // namespace salesmeet::analytics
