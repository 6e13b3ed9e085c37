#ifndef SALESMEET_SERVICES_ANALYTICS_PROJECTION_PROJECTION_STORE_CONTRACT_H_
#define SALESMEET_SERVICES_ANALYTICS_PROJECTION_PROJECTION_STORE_CONTRACT_H_

// The behaviour every ProjectionStore backend must have, as one
// value-parameterised GoogleTest suite (projection_store_contract.cc). A
// backend's test instantiates it with a factory that opens the backend's
// store kept under a directory: the first open finds it empty, a later one
// what was written before. Tests only.

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "services/analytics/projection/projection_store.h"

namespace salesmeet::analytics {

struct ProjectionStoreFactory {
  std::string name;  // Shown in test names, e.g. "sqlite".
  std::function<absl::StatusOr<std::unique_ptr<ProjectionStore>>(
      const std::string& directory)>
      open;
};

// Test listings show the backend's name, not the factory's bytes.
inline void PrintTo(const ProjectionStoreFactory& factory, std::ostream* os) {
  *os << factory.name;
}

class ProjectionStoreContractTest
    : public ::testing::TestWithParam<ProjectionStoreFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Closes the store and opens it again, as a restart does.
  void Reopen();

  ProjectionStore& store() { return *store_; }

 private:
  std::string directory_;
  std::unique_ptr<ProjectionStore> store_;
};

}  // namespace salesmeet::analytics

#endif  // SALESMEET_SERVICES_ANALYTICS_PROJECTION_PROJECTION_STORE_CONTRACT_H_
