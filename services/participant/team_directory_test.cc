#include "services/participant/team_directory.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/participant/directory_test_fixture.h"

namespace salesmeet::participant {
namespace {

using salesmeet::type::v1::SALES_MANAGER;
using salesmeet::type::v1::SALES_REP;

using TeamDirectoryTest = DirectoryTest;

TEST_F(TeamDirectoryTest, CreateWithManagerAndGetItBack) {
  MustCreate("mgr", Employee(SALES_MANAGER, "mgr@example.com"));
  v1::Team team = MustCreateTeam("emea", "participants/mgr");
  EXPECT_EQ(team.name(), "teams/emea");
  EXPECT_FALSE(team.etag().empty());
  v1::GetTeamRequest get;
  get.set_name("teams/emea");
  auto found = teams_->Get(get);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->manager(), "participants/mgr");
}

TEST_F(TeamDirectoryTest, ManagerMustExistAndBeAnEmployee) {
  MustCreate("mgr", Employee(SALES_MANAGER, "mgr@example.com"));
  MustCreate("jon", Contact("participants/mgr", "jon@acme.example"));
  for (const char* manager : {"participants/ghost", "participants/jon"}) {
    v1::CreateTeamRequest request;
    request.mutable_team()->set_display_name("Team");
    request.mutable_team()->set_manager(manager);
    auto created = teams_->Create(request);
    EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(FirstBadField(created.status()), "team.manager") << manager;
  }
}

TEST_F(TeamDirectoryTest, TeamWithoutManagerIsAllowed) {
  v1::Team team = MustCreateTeam("new", "");
  EXPECT_TRUE(team.manager().empty());
}

TEST_F(TeamDirectoryTest, CreateIsIdempotentPerRequestId) {
  v1::CreateTeamRequest request;
  request.set_request_id("team-req");
  request.mutable_team()->set_display_name("EMEA");
  auto first = teams_->Create(request);
  auto second = teams_->Create(request);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->name(), second->name());
  EXPECT_EQ(teams_->List(v1::ListTeamsRequest())->teams_size(), 1);
}

TEST_F(TeamDirectoryTest, DuplicateIdIsAlreadyExists) {
  MustCreateTeam("emea", "");
  v1::CreateTeamRequest request;
  request.set_team_id("emea");
  request.mutable_team()->set_display_name("Again");
  EXPECT_EQ(teams_->Create(request).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(TeamDirectoryTest, ListByManagerAndAcrossPages) {
  MustCreate("mgr", Employee(SALES_MANAGER, "mgr@example.com"));
  MustCreateTeam("a", "participants/mgr");
  MustCreateTeam("b", "");
  MustCreateTeam("c", "participants/mgr");
  v1::ListTeamsRequest request;
  request.set_filter("manager = \"participants/mgr\"");
  request.set_page_size(1);
  std::vector<std::string> seen;
  do {
    auto page = teams_->List(request);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& t : page->teams()) seen.push_back(t.name());
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  EXPECT_THAT(seen, ::testing::ElementsAre("teams/a", "teams/c"));
}

TEST_F(TeamDirectoryTest, UpdateManagerChecksTheNewManager) {
  MustCreateTeam("emea", "");
  v1::UpdateTeamRequest request;
  request.mutable_team()->set_name("teams/emea");
  request.mutable_team()->set_manager("participants/ghost");
  request.mutable_update_mask()->add_paths("manager");
  EXPECT_EQ(FirstBadField(teams_->Update(request).status()), "team.manager");
  MustCreate("mgr", Employee(SALES_MANAGER, "mgr@example.com"));
  request.mutable_team()->set_manager("participants/mgr");
  auto updated = teams_->Update(request);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->manager(), "participants/mgr");
}

TEST_F(TeamDirectoryTest, UpdateWithStaleEtagIsAborted) {
  v1::Team team = MustCreateTeam("emea", "");
  v1::UpdateTeamRequest request;
  *request.mutable_team() = team;
  request.mutable_team()->set_description("first");
  request.mutable_update_mask()->add_paths("description");
  ASSERT_TRUE(teams_->Update(request).ok());
  EXPECT_EQ(teams_->Update(request).status().code(),
            absl::StatusCode::kAborted);
}

TEST_F(TeamDirectoryTest, DeleteNonEmptyTeamNeedsForceWhichClearsMembers) {
  MustCreateTeam("emea", "");
  v1::Participant rep = Employee(SALES_REP, "rep@example.com");
  rep.set_team("teams/emea");
  MustCreate("rep", rep);
  v1::DeleteTeamRequest request;
  request.set_name("teams/emea");
  absl::Status refused = teams_->Delete(request);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(refused), "TEAM_NOT_EMPTY");
  request.set_force(true);
  ASSERT_TRUE(teams_->Delete(request).ok());
  v1::GetParticipantRequest get;
  get.set_name("participants/rep");
  EXPECT_TRUE(people_->Get(get)->team().empty());
}

TEST_F(TeamDirectoryTest, DeleteEmptyTeam) {
  MustCreateTeam("emea", "");
  v1::DeleteTeamRequest request;
  request.set_name("teams/emea");
  ASSERT_TRUE(teams_->Delete(request).ok());
  v1::GetTeamRequest get;
  get.set_name("teams/emea");
  EXPECT_EQ(teams_->Get(get).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace salesmeet::participant
