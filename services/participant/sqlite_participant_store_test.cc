// SqliteParticipantStore against the ParticipantStore contract
// (participant_store_contract.cc).

#include "services/participant/sqlite_participant_store.h"

#include <gtest/gtest.h>

#include "services/participant/participant_store_contract.h"

namespace salesmeet::participant {
namespace {

ParticipantStoreFactory Sqlite() {
  return {"sqlite",
          [](const std::string& directory)
              -> absl::StatusOr<std::unique_ptr<ParticipantStore>> {
            auto store = SqliteParticipantStore::Open(directory + "/p.db", 2);
            if (!store.ok()) return store.status();
            return std::unique_ptr<ParticipantStore>(*std::move(store));
          }};
}

INSTANTIATE_TEST_SUITE_P(
    Backends, ParticipantStoreContractTest, ::testing::Values(Sqlite()),
    [](const ::testing::TestParamInfo<ParticipantStoreFactory>& info) {
      return info.param.name;
    });

}  // namespace
}  // namespace salesmeet::participant
