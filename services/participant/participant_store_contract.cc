// The ParticipantStore contract: what every backend must do.

#include "services/participant/participant_store_contract.h"

#include <atomic>
#include <thread>

namespace salesmeet::participant {
namespace {

TEST_P(ParticipantStoreContractTest, PutThenFindReturnsTheSameParticipant) {
  v1::Participant p = Person("ada", salesmeet::type::v1::SALES_REP);
  p.set_display_name("Ada");
  Put(p);
  std::optional<v1::Participant> found;
  ASSERT_TRUE(store_
                  ->Read([&](ParticipantTransaction& tx) -> absl::Status {
                    auto r = tx.FindParticipant("ada");
                    if (!r.ok()) return r.status();
                    found = *r;
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->display_name(), "Ada");
}

TEST_P(ParticipantStoreContractTest, FindMissingIsEmptyNotAnError) {
  ASSERT_TRUE(store_
                  ->Read([&](ParticipantTransaction& tx) -> absl::Status {
                    auto r = tx.FindParticipant("nobody");
                    EXPECT_TRUE(r.ok());
                    EXPECT_FALSE(r->has_value());
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_P(ParticipantStoreContractTest, EmailLookupIgnoresCase) {
  Put(Person("ada", salesmeet::type::v1::SALES_REP));
  ASSERT_TRUE(store_
                  ->Read([&](ParticipantTransaction& tx) -> absl::Status {
                    auto r = tx.FindParticipantByEmail("ADA@example.COM");
                    EXPECT_TRUE(r.ok());
                    EXPECT_EQ(r->value_or(""), "ada");
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_P(ParticipantStoreContractTest, ListFiltersAndPagesInIdOrder) {
  Put(Person("c", salesmeet::type::v1::SALES_REP, "teams/emea"));
  Put(Person("a", salesmeet::type::v1::SALES_REP, "teams/emea"));
  Put(Person("b", salesmeet::type::v1::DEVELOPER, "teams/emea"));
  Put(Person("d", salesmeet::type::v1::SALES_REP, "teams/us"));
  Put(Contact("x", "participants/a", salesmeet::type::v1::PROSPECT));

  ParticipantQuery all;
  EXPECT_EQ(ListIds(all),
            (std::vector<std::string>{"participants/a", "participants/b",
                                      "participants/c", "participants/d",
                                      "participants/x"}));
  ParticipantQuery reps_in_emea;
  reps_in_emea.role = salesmeet::type::v1::SALES_REP;
  reps_in_emea.team = "teams/emea";
  EXPECT_EQ(ListIds(reps_in_emea),
            (std::vector<std::string>{"participants/a", "participants/c"}));
  ParticipantQuery page;
  page.after_id = "b";
  page.limit = 2;
  EXPECT_EQ(ListIds(page),
            (std::vector<std::string>{"participants/c", "participants/d"}));
  ParticipantQuery owned;
  owned.account_owner = "participants/a";
  owned.lifecycle = salesmeet::type::v1::PROSPECT;
  owned.kind = salesmeet::type::v1::CUSTOMER_CONTACT;
  EXPECT_EQ(ListIds(owned), std::vector<std::string>{"participants/x"});
}

TEST_P(ParticipantStoreContractTest, DuplicateEmailIsRefusedByTheSchema) {
  Put(Person("ada", salesmeet::type::v1::SALES_REP));
  v1::Participant twin = Person("ada2", salesmeet::type::v1::SALES_REP);
  twin.set_email("ADA@example.com");
  EXPECT_FALSE(store_
                   ->Write([&](ParticipantTransaction& tx) {
                     return tx.PutParticipant(twin);
                   })
                   .ok());
}

TEST_P(ParticipantStoreContractTest, FailedBodyRollsBackEverything) {
  absl::Status status = store_->Write([&](ParticipantTransaction& tx) {
    EXPECT_TRUE(tx.PutParticipant(Person("ada", 1)).ok());
    return absl::AbortedError("changed my mind");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(ListIds(ParticipantQuery()).empty());
}

TEST_P(ParticipantStoreContractTest, DeleteRemovesParticipant) {
  Put(Person("ada", 1));
  ASSERT_TRUE(store_
                  ->Write([&](ParticipantTransaction& tx) {
                    return tx.DeleteParticipant("ada");
                  })
                  .ok());
  EXPECT_TRUE(ListIds(ParticipantQuery()).empty());
}

TEST_P(ParticipantStoreContractTest, TeamsPutFindListByManagerAndDelete) {
  v1::Team emea;
  emea.set_name("teams/emea");
  emea.set_manager("participants/ada");
  v1::Team us;
  us.set_name("teams/us");
  ASSERT_TRUE(store_
                  ->Write([&](ParticipantTransaction& tx) -> absl::Status {
                    EXPECT_TRUE(tx.PutTeam(emea).ok());
                    return tx.PutTeam(us);
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Write([&](ParticipantTransaction& tx) -> absl::Status {
                    TeamQuery managed;
                    managed.manager = "participants/ada";
                    auto teams = tx.ListTeams(managed);
                    EXPECT_TRUE(teams.ok());
                    EXPECT_EQ(teams->size(), 1u);
                    auto all = tx.ListTeams(TeamQuery());
                    EXPECT_EQ(all->size(), 2u);
                    EXPECT_TRUE(tx.DeleteTeam("emea").ok());
                    auto gone = tx.FindTeam("emea");
                    EXPECT_FALSE(gone->has_value());
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_P(ParticipantStoreContractTest, CreateRequestsAreRemembered) {
  CreateRequestRecord record{"CreateParticipant:r1", "fp", "participants/ada",
                             absl::FromUnixSeconds(1'800'000'000)};
  ASSERT_TRUE(store_
                  ->Write([&](ParticipantTransaction& tx) {
                    return tx.PutCreateRequest(record);
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Read([&](ParticipantTransaction& tx) -> absl::Status {
                    auto found = tx.FindCreateRequest("CreateParticipant:r1");
                    EXPECT_TRUE(found.ok() && found->has_value());
                    EXPECT_EQ((*found)->resource_name, "participants/ada");
                    EXPECT_EQ((*found)->create_time, record.create_time);
                    auto other = tx.FindCreateRequest("CreateTeam:r1");
                    EXPECT_FALSE(other->has_value());
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_P(ParticipantStoreContractTest, DataAndSecretSurviveReopen) {
  Put(Person("ada", 1));
  auto secret = store_->PageTokenSecret();
  ASSERT_TRUE(secret.ok());
  Reopen();
  EXPECT_EQ(ListIds(ParticipantQuery()),
            std::vector<std::string>{"participants/ada"});
  EXPECT_EQ(*store_->PageTokenSecret(), *secret);
  EXPECT_TRUE(store_->Ping().ok());
}

TEST_P(ParticipantStoreContractTest,
       ConcurrentWritersAllLandAndReadersSeeWholeWrites) {
  // Four writers, each putting a pair of participants in one transaction;
  // a reader meanwhile never sees half a pair.
  constexpr int kWriters = 4;
  constexpr int kPairs = 10;
  std::atomic<bool> done{false};
  std::thread reader([&] {
    while (!done) {
      ParticipantQuery everyone;
      everyone.limit = 1000;
      const size_t seen = ListIds(everyone).size();
      EXPECT_EQ(seen % 2, 0u) << "half a write is visible";
    }
  });
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kPairs; ++i) {
        EXPECT_TRUE(
            store_
                ->Write([&](ParticipantTransaction& tx) -> absl::Status {
                  const std::string id = absl::StrCat("w", w, "-", i);
                  absl::Status first = tx.PutParticipant(Person(id + "-a", 1));
                  if (!first.ok()) return first;
                  return tx.PutParticipant(Person(id + "-b", 1));
                })
                .ok());
      }
    });
  }
  for (std::thread& t : writers) t.join();
  done = true;
  reader.join();
  ParticipantQuery everyone;
  everyone.limit = 1000;
  EXPECT_EQ(ListIds(everyone).size(), size_t{2 * kWriters * kPairs});
}

}  // namespace
}  // namespace salesmeet::participant
