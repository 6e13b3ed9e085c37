#ifndef SALESMEET_SERVICES_SCHEDULING_STORE_MEETING_STORE_H_
#define SALESMEET_SERVICES_SCHEDULING_STORE_MEETING_STORE_H_

// Where meetings, the change feed and the policy are kept. The scheduler runs
// each write inside one transaction of this interface: the conflict check,
// the meeting and its feed event commit together or not at all. SQLite (one
// writer at a time) and PostgreSQL (many replicas) implement it.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/calendar/occurrences.h"
#include "common/page_token.h"
#include "salesmeet/scheduling/v1/change.pb.h"
#include "salesmeet/scheduling/v1/meeting.pb.h"
#include "salesmeet/scheduling/v1/policy.pb.h"

namespace salesmeet::scheduling {

// Which meetings to list; unset fields do not filter. Ordered by the
// meeting's start_time, then id, starting after the cursor.
struct MeetingQuery {
  std::optional<std::string> participant;  // "participants/{id}"
  std::optional<std::string> organizer;
  std::optional<int> state;
  std::optional<int> purpose;
  std::optional<int> format;
  std::optional<int> audience;
  // Only meetings whose [first_start, last_end) overlaps this span.
  std::optional<absl::Time> overlaps_from;
  std::optional<absl::Time> overlaps_to;
  std::optional<std::pair<absl::Time, std::string>> after;  // start, id
  int limit = 50;
};

// What a Create with a request_id answered, so a retry gets the same answer.
struct StoredCreateRequest {
  std::string fingerprint;
  std::string response;  // Serialized CreateMeetingResponse.
};

// The operations available inside one transaction.
class MeetingTransaction {
 public:
  MeetingTransaction() = default;
  MeetingTransaction(const MeetingTransaction&) = delete;
  MeetingTransaction& operator=(const MeetingTransaction&) = delete;
  virtual ~MeetingTransaction() = default;

  virtual absl::StatusOr<std::optional<v1::Meeting>> FindMeeting(
      absl::string_view id) = 0;
  // Inserts or replaces the meeting (id from meeting.name) and its index.
  virtual absl::Status PutMeeting(const v1::Meeting& meeting,
                                  const MeetingIndex& index) = 0;
  virtual absl::StatusOr<std::vector<v1::Meeting>> ListMeetings(
      const MeetingQuery& query) = 0;
  // Holds the calendars of `participants` until the transaction ends, so
  // that no other writer books any of them in between: call it in write
  // transactions before reading their busy time. Backends whose writers are
  // serialised anyway need do nothing; the others lock in one canonical
  // order so that two writers cannot deadlock.
  virtual absl::Status LockCalendars(std::vector<std::string> participants) = 0;
  // For each of `participants` (each gets an entry), every busy meeting
  // they are invited to whose occurrences may overlap `from`..`to` (by the
  // index; the caller expands to be exact), in one round trip where the
  // backend has them.
  virtual absl::StatusOr<std::map<std::string, std::vector<v1::Meeting>>>
  BusyMeetingsOf(const std::vector<std::string>& participants, absl::Time from,
                 absl::Time to) = 0;

  virtual absl::StatusOr<std::optional<StoredCreateRequest>> FindCreateRequest(
      absl::string_view request_key) = 0;
  virtual absl::Status PutCreateRequest(absl::string_view request_key,
                                        const StoredCreateRequest& request,
                                        absl::Time now) = 0;

  // Appends to the feed, assigning the next sequence number and the commit
  // time; returns the change as stored.
  virtual absl::StatusOr<v1::MeetingChange> AppendChange(
      v1::MeetingChange change, absl::Time now) = 0;

  // The stored policy, or nullopt while it is the built-in default.
  virtual absl::StatusOr<std::optional<v1::SchedulingPolicy>> GetPolicy() = 0;
  virtual absl::Status PutPolicy(const v1::SchedulingPolicy& policy) = 0;
};

using MeetingTransactionBody =
    absl::FunctionRef<absl::Status(MeetingTransaction&)>;

class MeetingStore : public PageTokenSecretStore {
 public:
  virtual ~MeetingStore() = default;

  // Runs `body` in a consistent read-only snapshot.
  virtual absl::Status Read(MeetingTransactionBody body) = 0;
  // Runs `body` in a serialised write transaction; commits only when it
  // returns OK. Writers are serialised, so feed sequences commit in order.
  virtual absl::Status Write(MeetingTransactionBody body) = 0;

  // The feed after `after_sequence`, at most `limit` changes, in order.
  // Outside any transaction: watchers read at their own pace.
  virtual absl::StatusOr<std::vector<v1::MeetingChange>> ReadChanges(
      int64_t after_sequence, int limit) = 0;
  // The latest committed sequence (0 for an empty feed).
  virtual absl::StatusOr<int64_t> HeadSequence() = 0;

  // Calls `on_head` with the feed's head whenever another process may have
  // committed to it (the first call may come at once). Backends shared by
  // several replicas implement it; a single-writer one has nothing to tell.
  virtual void FollowOtherWriters(std::function<void(int64_t)> on_head) {
    (void)on_head;
  }

  virtual absl::Status Ping() = 0;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_STORE_MEETING_STORE_H_
