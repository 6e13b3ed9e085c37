// SqliteMeetingStore against the MeetingStore contract
// (meeting_store_contract.cc), on a fresh database file per test.

#include "services/scheduling/store/sqlite_meeting_store.h"

#include <gtest/gtest.h>

#include "services/scheduling/store/meeting_store_contract.h"

namespace salesmeet::scheduling {
namespace {

MeetingStoreFactory Sqlite() {
  return {"sqlite",
          [](const std::string& directory)
              -> absl::StatusOr<std::unique_ptr<MeetingStore>> {
            absl::StatusOr<std::unique_ptr<SqliteMeetingStore>> store =
                SqliteMeetingStore::Open(directory + "/scheduling.db");
            if (!store.ok()) return store.status();
            return std::unique_ptr<MeetingStore>(*std::move(store));
          }};
}

INSTANTIATE_TEST_SUITE_P(
    Backends, MeetingStoreContractTest, ::testing::Values(Sqlite()),
    [](const ::testing::TestParamInfo<MeetingStoreFactory>& info) {
      return info.param.name;
    });

}  // namespace
}  // namespace salesmeet::scheduling
