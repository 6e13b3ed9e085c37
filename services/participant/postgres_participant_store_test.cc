// PostgresParticipantStore against the ParticipantStore contract
// (participant_store_contract.cc), on a fresh schema per test.

#include "services/participant/postgres_participant_store.h"

#include <gtest/gtest.h>

#include "common/postgres_test_support.h"
#include "services/participant/participant_store_contract.h"

namespace salesmeet::participant {
namespace {

ParticipantStoreFactory Postgres() {
  return {"postgresql",
          [](const std::string& directory)
              -> absl::StatusOr<std::unique_ptr<ParticipantStore>> {
            absl::StatusOr<PgDatabase::Options> options =
                TestPostgresOptions("participant", directory);
            if (!options.ok()) return options.status();
            auto store = PostgresParticipantStore::Open(*options);
            if (!store.ok()) return store.status();
            return std::unique_ptr<ParticipantStore>(*std::move(store));
          }};
}

INSTANTIATE_TEST_SUITE_P(
    Backends, ParticipantStoreContractTest, ::testing::Values(Postgres()),
    [](const ::testing::TestParamInfo<ParticipantStoreFactory>& info) {
      return info.param.name;
    });

}  // namespace
}  // namespace salesmeet::participant
