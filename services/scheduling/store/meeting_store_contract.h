#ifndef SALESMEET_SERVICES_SCHEDULING_STORE_MEETING_STORE_CONTRACT_H_
#define SALESMEET_SERVICES_SCHEDULING_STORE_MEETING_STORE_CONTRACT_H_

// The behaviour every MeetingStore backend must have, as one
// value-parameterised GoogleTest suite. A backend's test instantiates it
// with a factory:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, MeetingStoreContractTest,
//                            testing::Values(MeetingStoreFactory{...}));
//
// Tests only.

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "services/scheduling/store/meeting_store.h"

namespace salesmeet::scheduling {

struct MeetingStoreFactory {
  std::string name;  // Shown in test names, e.g. "sqlite".
  // A new, empty store keeping its files (if any) under `directory`.
  std::function<absl::StatusOr<std::unique_ptr<MeetingStore>>(
      const std::string& directory)>
      open;
};

// Test listings show the backend's name, not the factory's bytes.
inline void PrintTo(const MeetingStoreFactory& factory, std::ostream* os) {
  *os << factory.name;
}

class MeetingStoreContractTest
    : public ::testing::TestWithParam<MeetingStoreFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  MeetingStore& store() { return *store_; }

 private:
  std::string directory_;
  std::unique_ptr<MeetingStore> store_;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_STORE_MEETING_STORE_CONTRACT_H_
