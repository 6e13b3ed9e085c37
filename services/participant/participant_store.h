#ifndef SALESMEET_SERVICES_PARTICIPANT_PARTICIPANT_STORE_H_
#define SALESMEET_SERVICES_PARTICIPANT_PARTICIPANT_STORE_H_

// Where participants and teams are kept. The directory logic runs inside a
// transaction and sees only this interface, so SQLite today and PostgreSQL
// later are interchangeable without touching the rules.

#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/page_token.h"
#include "salesmeet/participant/v1/participant.pb.h"

namespace salesmeet::participant {

// Which participants to list; unset fields do not filter. Results are
// ordered by id, starting after `after_id`.
struct ParticipantQuery {
  std::optional<int> kind;
  std::optional<int> role;
  std::optional<int> lifecycle;
  std::optional<std::string> team;           // "teams/{id}"
  std::optional<std::string> account_owner;  // "participants/{id}"
  std::string after_id;
  int limit = 50;
};

struct TeamQuery {
  std::optional<std::string> manager;  // "participants/{id}"
  std::string after_id;
  int limit = 50;
};

// What a Create call with a request_id left behind, so a retry can return
// the original result.
struct CreateRequestRecord {
  std::string request_key;    // method + request_id
  std::string fingerprint;    // of the whole request
  std::string resource_name;  // what it created
  absl::Time create_time;
};

// The operations available inside one transaction. Everything done through
// one instance commits or rolls back together.
class ParticipantTransaction {
 public:
  ParticipantTransaction() = default;
  ParticipantTransaction(const ParticipantTransaction&) = delete;
  ParticipantTransaction& operator=(const ParticipantTransaction&) = delete;
  virtual ~ParticipantTransaction() = default;

  virtual absl::StatusOr<std::optional<v1::Participant>> FindParticipant(
      absl::string_view id) = 0;
  // The id of the participant with this email (compared case-insensitively).
  virtual absl::StatusOr<std::optional<std::string>> FindParticipantByEmail(
      absl::string_view email) = 0;
  virtual absl::StatusOr<std::vector<v1::Participant>> ListParticipants(
      const ParticipantQuery& query) = 0;
  // Inserts or replaces; the id is taken from participant.name.
  virtual absl::Status PutParticipant(const v1::Participant& participant) = 0;
  virtual absl::Status DeleteParticipant(absl::string_view id) = 0;

  virtual absl::StatusOr<std::optional<v1::Team>> FindTeam(
      absl::string_view id) = 0;
  virtual absl::StatusOr<std::vector<v1::Team>> ListTeams(
      const TeamQuery& query) = 0;
  virtual absl::Status PutTeam(const v1::Team& team) = 0;
  virtual absl::Status DeleteTeam(absl::string_view id) = 0;

  virtual absl::StatusOr<std::optional<CreateRequestRecord>> FindCreateRequest(
      absl::string_view request_key) = 0;
  virtual absl::Status PutCreateRequest(const CreateRequestRecord& record) = 0;
};

using TransactionBody =
    absl::FunctionRef<absl::Status(ParticipantTransaction&)>;

class ParticipantStore : public PageTokenSecretStore {
 public:
  virtual ~ParticipantStore() = default;

  // Runs `body` in a consistent read-only snapshot.
  virtual absl::Status Read(TransactionBody body) = 0;
  // Runs `body` in a serialised write transaction; commits only when it
  // returns OK, otherwise nothing it did is kept.
  virtual absl::Status Write(TransactionBody body) = 0;
  // OK while the database answers; drives the health service.
  virtual absl::Status Ping() = 0;
};

}  // namespace salesmeet::participant

#endif  // SALESMEET_SERVICES_PARTICIPANT_PARTICIPANT_STORE_H_
