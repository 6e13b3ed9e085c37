#ifndef SALESMEET_SERVICES_PARTICIPANT_PARTICIPANT_STORE_CONTRACT_H_
#define SALESMEET_SERVICES_PARTICIPANT_PARTICIPANT_STORE_CONTRACT_H_

// The behaviour every ParticipantStore backend must have, as one
// value-parameterised GoogleTest suite (participant_store_contract.cc). A
// backend's test instantiates it with a factory that opens the backend's
// store kept under a directory: the first open finds it empty, a later one
// the data written before. Tests only.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "services/participant/participant_store.h"

namespace salesmeet::participant {

struct ParticipantStoreFactory {
  std::string name;  // Shown in test names, e.g. "sqlite".
  std::function<absl::StatusOr<std::unique_ptr<ParticipantStore>>(
      const std::string& directory)>
      open;
};

// Test listings show the backend's name, not the factory's bytes.
inline void PrintTo(const ParticipantStoreFactory& factory, std::ostream* os) {
  *os << factory.name;
}

class ParticipantStoreContractTest
    : public ::testing::TestWithParam<ParticipantStoreFactory> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat(
               "participant_store_", getpid(), "_", GetParam().name, "_",
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Reopen() {
    store_.reset();
    auto store = GetParam().open(dir_.string());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  static v1::Participant Person(const std::string& id, int role,
                                const std::string& team = "") {
    v1::Participant p;
    p.set_name("participants/" + id);
    p.set_email(id + "@Example.com");
    p.set_kind(salesmeet::type::v1::EMPLOYEE);
    p.set_role(static_cast<salesmeet::type::v1::Role>(role));
    p.set_team(team);
    return p;
  }

  static v1::Participant Contact(const std::string& id,
                                 const std::string& owner, int lifecycle) {
    v1::Participant p;
    p.set_name("participants/" + id);
    p.set_email(id + "@customer.example");
    p.set_kind(salesmeet::type::v1::CUSTOMER_CONTACT);
    p.mutable_customer()->set_account_owner(owner);
    p.mutable_customer()->set_lifecycle(
        static_cast<salesmeet::type::v1::CustomerLifecycle>(lifecycle));
    return p;
  }

  void Put(const v1::Participant& p) {
    ASSERT_TRUE(store_
                    ->Write([&](ParticipantTransaction& tx) {
                      return tx.PutParticipant(p);
                    })
                    .ok());
  }

  std::vector<std::string> ListIds(const ParticipantQuery& query) {
    std::vector<std::string> ids;
    EXPECT_TRUE(store_
                    ->Read([&](ParticipantTransaction& tx) -> absl::Status {
                      auto rows = tx.ListParticipants(query);
                      if (!rows.ok()) return rows.status();
                      for (const auto& p : *rows) ids.push_back(p.name());
                      return absl::OkStatus();
                    })
                    .ok());
    return ids;
  }

  std::filesystem::path dir_;
  std::unique_ptr<ParticipantStore> store_;
};

}  // namespace salesmeet::participant

#endif  // SALESMEET_SERVICES_PARTICIPANT_PARTICIPANT_STORE_CONTRACT_H_
