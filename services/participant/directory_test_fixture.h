#ifndef SALESMEET_SERVICES_PARTICIPANT_DIRECTORY_TEST_FIXTURE_H_
#define SALESMEET_SERVICES_PARTICIPANT_DIRECTORY_TEST_FIXTURE_H_

// A real SQLite store in a temporary directory behind both directories, with
// a clock the test controls, plus builders for valid requests.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/error_test_support.h"
#include "common/errors.h"
#include "common/page_token.h"
#include "services/participant/participant_directory.h"
#include "services/participant/sqlite_participant_store.h"
#include "services/participant/team_directory.h"

namespace salesmeet::participant {

class DirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat(
               "directory_", getpid(), "_",
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto store = SqliteParticipantStore::Open((dir_ / "p.db").string(), 2);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    Clock clock = [this] { return now_; };
    people_ = std::make_unique<ParticipantDirectory>(*store_, tokens_, clock);
    teams_ = std::make_unique<TeamDirectory>(*store_, tokens_, clock);
  }
  void TearDown() override {
    people_.reset();
    teams_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static v1::Participant Employee(salesmeet::type::v1::Role role,
                                  const std::string& email) {
    v1::Participant p;
    p.set_display_name("Someone");
    p.set_email(email);
    p.set_kind(salesmeet::type::v1::EMPLOYEE);
    p.set_role(role);
    p.set_time_zone("Europe/Rome");
    p.mutable_hourly_cost()->set_currency_code("EUR");
    p.mutable_hourly_cost()->set_units(80);
    return p;
  }

  static v1::Participant Contact(const std::string& owner,
                                 const std::string& email) {
    v1::Participant p;
    p.set_display_name("A Customer");
    p.set_email(email);
    p.set_kind(salesmeet::type::v1::CUSTOMER_CONTACT);
    p.set_time_zone("America/New_York");
    auto* c = p.mutable_customer();
    c->set_account("Acme");
    c->set_lifecycle(salesmeet::type::v1::PROSPECT);
    c->set_account_owner(owner);
    c->mutable_contact_cadence()->set_seconds(14 * 86400);
    return p;
  }

  // Creates and returns the participant; fails the test on error.
  v1::Participant MustCreate(const std::string& id, v1::Participant p) {
    v1::CreateParticipantRequest request;
    request.set_participant_id(id);
    *request.mutable_participant() = std::move(p);
    auto created = people_->Create(request);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : v1::Participant();
  }

  v1::Team MustCreateTeam(const std::string& id, const std::string& manager) {
    v1::CreateTeamRequest request;
    request.set_team_id(id);
    request.mutable_team()->set_display_name("Team " + id);
    request.mutable_team()->set_manager(manager);
    auto created = teams_->Create(request);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : v1::Team();
  }

  std::filesystem::path dir_;
  absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
  PageTokenCodec tokens_{"test-secret", absl::Hours(24)};
  std::unique_ptr<SqliteParticipantStore> store_;
  std::unique_ptr<ParticipantDirectory> people_;
  std::unique_ptr<TeamDirectory> teams_;
};

}  // namespace salesmeet::participant

#endif  // SALESMEET_SERVICES_PARTICIPANT_DIRECTORY_TEST_FIXTURE_H_
