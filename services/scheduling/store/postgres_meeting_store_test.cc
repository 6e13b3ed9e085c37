// PostgresMeetingStore against the MeetingStore contract
// (meeting_store_contract.cc), on a fresh schema per test.

#include "services/scheduling/store/postgres_meeting_store.h"

#include <gtest/gtest.h>

#include "common/postgres_test_support.h"
#include "services/scheduling/store/meeting_store_contract.h"

namespace salesmeet::scheduling {
namespace {

MeetingStoreFactory Postgres() {
  return {"postgresql",
          [](const std::string& directory)
              -> absl::StatusOr<std::unique_ptr<MeetingStore>> {
            absl::StatusOr<PgDatabase::Options> options =
                TestPostgresOptions("scheduling", directory);
            if (!options.ok()) return options.status();
            absl::StatusOr<std::unique_ptr<PostgresMeetingStore>> store =
                PostgresMeetingStore::Open(*options);
            if (!store.ok()) return store.status();
            return std::unique_ptr<MeetingStore>(*std::move(store));
          }};
}

INSTANTIATE_TEST_SUITE_P(
    Backends, MeetingStoreContractTest, ::testing::Values(Postgres()),
    [](const ::testing::TestParamInfo<MeetingStoreFactory>& info) {
      return info.param.name;
    });

}  // namespace
}  // namespace salesmeet::scheduling
