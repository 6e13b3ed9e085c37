#include "services/participant/participant_directory.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "services/participant/directory_test_fixture.h"

namespace salesmeet::participant {
namespace {

using salesmeet::type::v1::DEVELOPER;
using salesmeet::type::v1::EXECUTIVE;
using salesmeet::type::v1::SALES_MANAGER;
using salesmeet::type::v1::SALES_REP;

using ParticipantDirectoryTest = DirectoryTest;

TEST_F(ParticipantDirectoryTest, CreateSetsNameTimesEtagAndDefaults) {
  v1::Participant p = MustCreate("ada", Employee(SALES_REP, "ada@example.com"));
  EXPECT_EQ(p.name(), "participants/ada");
  EXPECT_EQ(p.create_time().seconds(), 1'800'000'000);
  EXPECT_EQ(p.update_time().seconds(), 1'800'000'000);
  EXPECT_FALSE(p.etag().empty());
  EXPECT_EQ(p.working_hours_size(), 5);
}

TEST_F(ParticipantDirectoryTest, ServerChoosesAValidIdWhenNoneIsGiven) {
  v1::Participant p = MustCreate("", Employee(SALES_REP, "ada@example.com"));
  EXPECT_THAT(p.name(), ::testing::StartsWith("participants/p"));
}

TEST_F(ParticipantDirectoryTest, BadClientIdIsInvalidArgument) {
  v1::CreateParticipantRequest request;
  request.set_participant_id("Ada_Lovelace");
  *request.mutable_participant() = Employee(SALES_REP, "ada@example.com");
  auto created = people_->Create(request);
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FirstBadField(created.status()), "participant_id");
}

TEST_F(ParticipantDirectoryTest, DuplicateIdIsAlreadyExists) {
  MustCreate("ada", Employee(SALES_REP, "ada@example.com"));
  v1::CreateParticipantRequest request;
  request.set_participant_id("ada");
  *request.mutable_participant() = Employee(SALES_REP, "other@example.com");
  EXPECT_EQ(people_->Create(request).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(ParticipantDirectoryTest, DuplicateEmailInAnyCaseIsAlreadyExists) {
  MustCreate("ada", Employee(SALES_REP, "ada@example.com"));
  v1::CreateParticipantRequest request;
  *request.mutable_participant() = Employee(SALES_REP, "ADA@Example.com");
  EXPECT_EQ(people_->Create(request).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(ParticipantDirectoryTest, RepeatedRequestIdReturnsTheOriginal) {
  v1::CreateParticipantRequest request;
  request.set_request_id("req-1");
  *request.mutable_participant() = Employee(SALES_REP, "ada@example.com");
  auto first = people_->Create(request);
  ASSERT_TRUE(first.ok());
  now_ += absl::Seconds(5);
  auto second = people_->Create(request);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(first->name(), second->name());
  EXPECT_EQ(first->etag(), second->etag());
  auto all = people_->List(v1::ListParticipantsRequest());
  EXPECT_EQ(all->participants_size(), 1);
}

TEST_F(ParticipantDirectoryTest, RequestIdReusedForADifferentRequestIsRefused) {
  v1::CreateParticipantRequest request;
  request.set_request_id("req-1");
  *request.mutable_participant() = Employee(SALES_REP, "ada@example.com");
  ASSERT_TRUE(people_->Create(request).ok());
  request.mutable_participant()->set_email("bob@example.com");
  auto reused = people_->Create(request);
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FirstBadField(reused.status()), "request_id");
  EXPECT_EQ(ErrorReason(reused.status()), "REQUEST_ID_REUSED");
}

TEST_F(ParticipantDirectoryTest, ConcurrentRetriesCreateExactlyOne) {
  v1::CreateParticipantRequest request;
  request.set_request_id("req-race");
  *request.mutable_participant() = Employee(SALES_REP, "ada@example.com");
  std::vector<std::thread> threads;
  std::vector<std::string> names(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto created = people_->Create(request);
      if (created.ok()) names[i] = created->name();
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> distinct(names.begin(), names.end());
  EXPECT_EQ(distinct.size(), 1u);
  EXPECT_FALSE(names[0].empty());
  EXPECT_EQ(people_->List(v1::ListParticipantsRequest())->participants_size(),
            1);
}

TEST_F(ParticipantDirectoryTest, UnknownTeamIsInvalidArgumentNamingTeam) {
  v1::Participant p = Employee(SALES_REP, "ada@example.com");
  p.set_team("teams/ghost");
  v1::CreateParticipantRequest request;
  *request.mutable_participant() = p;
  auto created = people_->Create(request);
  EXPECT_EQ(FirstBadField(created.status()), "participant.team");
}

TEST_F(ParticipantDirectoryTest, AccountOwnerMustExistAndSell) {
  MustCreate("dev", Employee(DEVELOPER, "dev@example.com"));
  for (const char* owner : {"participants/ghost", "participants/dev"}) {
    v1::CreateParticipantRequest request;
    *request.mutable_participant() = Contact(owner, "jon@acme.example");
    auto created = people_->Create(request);
    EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(FirstBadField(created.status()),
              "participant.customer.account_owner")
        << owner;
  }
  MustCreate("mgr", Employee(SALES_MANAGER, "mgr@example.com"));
  MustCreate("jon", Contact("participants/mgr", "jon@acme.example"));
}

TEST_F(ParticipantDirectoryTest, GetMissingIsNotFoundAndBadNameIsInvalid) {
  v1::GetParticipantRequest request;
  request.set_name("participants/nobody");
  EXPECT_EQ(people_->Get(request).status().code(), absl::StatusCode::kNotFound);
  request.set_name("people/nobody");
  EXPECT_EQ(FirstBadField(people_->Get(request).status()), "name");
}

TEST_F(ParticipantDirectoryTest, BatchGetKeepsOrderAndNamesFirstMissing) {
  MustCreate("a", Employee(SALES_REP, "a@example.com"));
  MustCreate("b", Employee(SALES_REP, "b@example.com"));
  v1::BatchGetParticipantsRequest request;
  for (const char* n : {"participants/b", "participants/a", "participants/b"}) {
    request.add_names(n);
  }
  auto found = people_->BatchGet(request);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->participants_size(), 3);
  EXPECT_EQ(found->participants(0).name(), "participants/b");
  EXPECT_EQ(found->participants(1).name(), "participants/a");
  request.add_names("participants/x");
  request.add_names("participants/y");
  auto missing = people_->BatchGet(request);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.status().message()),
              ::testing::HasSubstr("participants/x"));
}

TEST_F(ParticipantDirectoryTest, BatchGetRefusesEmptyAndOversizedRequests) {
  v1::BatchGetParticipantsRequest request;
  EXPECT_EQ(FirstBadField(people_->BatchGet(request).status()), "names");
  for (int i = 0; i < 1001; ++i) request.add_names("participants/a");
  EXPECT_EQ(FirstBadField(people_->BatchGet(request).status()), "names");
}

TEST_F(ParticipantDirectoryTest, ListPagesThroughEveryoneOnceInOrder) {
  for (int i = 0; i < 23; ++i) {
    MustCreate(absl::StrCat("p", 100 + i),
               Employee(SALES_REP, absl::StrCat("p", i, "@example.com")));
  }
  std::vector<std::string> seen;
  v1::ListParticipantsRequest request;
  request.set_page_size(5);
  int pages = 0;
  do {
    auto page = people_->List(request);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& p : page->participants()) seen.push_back(p.name());
    request.set_page_token(page->next_page_token());
    ++pages;
  } while (!request.page_token().empty());
  EXPECT_EQ(pages, 5);
  ASSERT_EQ(seen.size(), 23u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
}

TEST_F(ParticipantDirectoryTest, ListFiltersByRoleTeamLifecycleAndOwner) {
  MustCreate("mgr", Employee(SALES_MANAGER, "mgr@example.com"));
  MustCreateTeam("emea", "participants/mgr");
  v1::Participant rep = Employee(SALES_REP, "rep@example.com");
  rep.set_team("teams/emea");
  MustCreate("rep", rep);
  MustCreate("exec", Employee(EXECUTIVE, "exec@example.com"));
  MustCreate("jon", Contact("participants/rep", "jon@acme.example"));
  v1::Participant existing = Contact("participants/mgr", "eve@big.example");
  existing.mutable_customer()->set_lifecycle(
      salesmeet::type::v1::EXISTING_CUSTOMER);
  MustCreate("eve", existing);

  auto names = [&](const std::string& filter) {
    v1::ListParticipantsRequest request;
    request.set_filter(filter);
    auto page = people_->List(request);
    EXPECT_TRUE(page.ok()) << filter << ": " << page.status();
    std::vector<std::string> out;
    if (page.ok()) {
      for (const auto& p : page->participants()) out.push_back(p.name());
    }
    return out;
  };
  EXPECT_THAT(names("role = SALES_REP"),
              ::testing::ElementsAre("participants/rep"));
  EXPECT_THAT(names("kind = CUSTOMER_CONTACT"),
              ::testing::ElementsAre("participants/eve", "participants/jon"));
  EXPECT_THAT(names("team = \"teams/emea\""),
              ::testing::ElementsAre("participants/rep"));
  EXPECT_THAT(names("customer.lifecycle = PROSPECT"),
              ::testing::ElementsAre("participants/jon"));
  EXPECT_THAT(names("customer.account_owner = \"participants/mgr\""),
              ::testing::ElementsAre("participants/eve"));
}

TEST_F(ParticipantDirectoryTest, ListRefusesBadFilterValuesAndPageSizes) {
  v1::ListParticipantsRequest request;
  request.set_filter("role = SALESMAN");
  EXPECT_EQ(FirstBadField(people_->List(request).status()), "filter");
  request.set_filter("team = teams");
  EXPECT_EQ(FirstBadField(people_->List(request).status()), "filter");
  request.clear_filter();
  request.set_page_size(-1);
  EXPECT_EQ(FirstBadField(people_->List(request).status()), "page_size");
}

TEST_F(ParticipantDirectoryTest, PageTokenFromAnotherFilterIsRefused) {
  for (int i = 0; i < 3; ++i) {
    MustCreate(absl::StrCat("p", i),
               Employee(SALES_REP, absl::StrCat("p", i, "@example.com")));
  }
  v1::ListParticipantsRequest request;
  request.set_page_size(1);
  auto first = people_->List(request);
  ASSERT_FALSE(first->next_page_token().empty());
  request.set_page_token(first->next_page_token());
  request.set_filter("role = DEVELOPER");
  EXPECT_EQ(FirstBadField(people_->List(request).status()), "page_token");
}

TEST_F(ParticipantDirectoryTest, UpdateChangesOnlyMaskedFieldsAndNewEtag) {
  v1::Participant p = MustCreate("ada", Employee(SALES_REP, "ada@example.com"));
  now_ += absl::Minutes(1);
  v1::UpdateParticipantRequest request;
  request.mutable_participant()->set_name("participants/ada");
  request.mutable_participant()->set_display_name("Ada L.");
  request.mutable_participant()->set_time_zone("Bogus/Zone");  // Not masked.
  request.mutable_update_mask()->add_paths("display_name");
  auto updated = people_->Update(request);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->display_name(), "Ada L.");
  EXPECT_EQ(updated->time_zone(), "Europe/Rome");
  EXPECT_NE(updated->etag(), p.etag());
  EXPECT_EQ(updated->update_time().seconds(), 1'800'000'060);
  EXPECT_EQ(updated->create_time().seconds(), 1'800'000'000);
}

TEST_F(ParticipantDirectoryTest, UpdateWithStaleEtagIsAborted) {
  v1::Participant p = MustCreate("ada", Employee(SALES_REP, "ada@example.com"));
  v1::UpdateParticipantRequest request;
  *request.mutable_participant() = p;
  request.mutable_participant()->set_display_name("First");
  request.mutable_update_mask()->add_paths("display_name");
  ASSERT_TRUE(people_->Update(request).ok());
  request.mutable_participant()->set_display_name("Second");
  auto stale = people_->Update(request);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(ErrorReason(stale.status()), "ETAG_MISMATCH");
}

TEST_F(ParticipantDirectoryTest, UpdateRefusesUnknownAndImmutablePaths) {
  MustCreate("ada", Employee(SALES_REP, "ada@example.com"));
  v1::UpdateParticipantRequest request;
  request.mutable_participant()->set_name("participants/ada");
  request.mutable_update_mask()->add_paths("display_name");
  request.mutable_update_mask()->add_paths("salary");
  EXPECT_EQ(FirstBadField(people_->Update(request).status()),
            "update_mask.paths[1]");
  request.mutable_update_mask()->Clear();
  request.mutable_update_mask()->add_paths("kind");
  EXPECT_EQ(FirstBadField(people_->Update(request).status()),
            "update_mask.paths[0]");
}

TEST_F(ParticipantDirectoryTest, UpdateResultIsValidatedWhole) {
  MustCreate("ada", Employee(SALES_REP, "ada@example.com"));
  v1::UpdateParticipantRequest request;
  request.mutable_participant()->set_name("participants/ada");
  request.mutable_update_mask()->add_paths("hourly_cost");  // Clears it.
  EXPECT_EQ(FirstBadField(people_->Update(request).status()),
            "participant.hourly_cost");
}

TEST_F(ParticipantDirectoryTest, OwnerCannotLeaveSalesWhileOwningAccounts) {
  MustCreate("rep", Employee(SALES_REP, "rep@example.com"));
  MustCreate("jon", Contact("participants/rep", "jon@acme.example"));
  v1::UpdateParticipantRequest request;
  request.mutable_participant()->set_name("participants/rep");
  request.mutable_participant()->set_role(DEVELOPER);
  request.mutable_update_mask()->add_paths("role");
  auto updated = people_->Update(request);
  EXPECT_EQ(updated.status().code(), absl::StatusCode::kFailedPrecondition);
  google::rpc::PreconditionFailure failure;
  ASSERT_TRUE(GetPreconditionFailure(updated.status(), &failure));
  EXPECT_EQ(failure.violations(0).subject(), "participants/jon");
}

TEST_F(ParticipantDirectoryTest, DeleteRefusesOwnerAndManagerUnlessForced) {
  MustCreate("rep", Employee(SALES_REP, "rep@example.com"));
  MustCreateTeam("emea", "participants/rep");
  MustCreate("jon", Contact("participants/rep", "jon@acme.example"));
  v1::DeleteParticipantRequest request;
  request.set_name("participants/rep");
  absl::Status refused = people_->Delete(request);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  google::rpc::PreconditionFailure failure;
  ASSERT_TRUE(GetPreconditionFailure(refused, &failure));
  EXPECT_EQ(failure.violations_size(), 2);
  EXPECT_EQ(ErrorReason(refused), "PARTICIPANT_IN_USE");

  request.set_force(true);
  ASSERT_TRUE(people_->Delete(request).ok());
  v1::GetParticipantRequest get;
  get.set_name("participants/jon");
  EXPECT_TRUE(people_->Get(get)->customer().account_owner().empty());
  v1::GetTeamRequest team;
  team.set_name("teams/emea");
  EXPECT_TRUE(teams_->Get(team)->manager().empty());
  get.set_name("participants/rep");
  EXPECT_EQ(people_->Get(get).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ParticipantDirectoryTest, DeleteWithStaleEtagIsAbortedAndKeepsData) {
  MustCreate("ada", Employee(SALES_REP, "ada@example.com"));
  v1::DeleteParticipantRequest request;
  request.set_name("participants/ada");
  request.set_etag("stale");
  EXPECT_EQ(people_->Delete(request).code(), absl::StatusCode::kAborted);
  v1::GetParticipantRequest get;
  get.set_name("participants/ada");
  EXPECT_TRUE(people_->Get(get).ok());
}

TEST_F(ParticipantDirectoryTest, DeleteMissingIsNotFound) {
  v1::DeleteParticipantRequest request;
  request.set_name("participants/ghost");
  EXPECT_EQ(people_->Delete(request).code(), absl::StatusCode::kNotFound);
}

TEST_F(ParticipantDirectoryTest, RetryAfterDeleteIsNotFoundNotARecreate) {
  v1::CreateParticipantRequest create;
  create.set_request_id("once");
  *create.mutable_participant() = Employee(SALES_REP, "ada@example.com");
  auto created = people_->Create(create);
  v1::DeleteParticipantRequest del;
  del.set_name(created->name());
  ASSERT_TRUE(people_->Delete(del).ok());
  EXPECT_EQ(people_->Create(create).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace salesmeet::participant
