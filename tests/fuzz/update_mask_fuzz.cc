// Update masks (common/update_mask.h). The input's first byte picks the
// request, the rest is its bytes:
//   even: an UpdateParticipantRequest, under rules over a participant with
//         nested paths (customer.lifecycle ...) like the directory's;
//   odd:  an UpdateSchedulingPolicyRequest, under the scheduling policy's
//         own rules (SchedulingPolicyMaskRules).
// A mask that resolves names only updatable paths, and applying it to a
// stored record makes those paths equal to the patch's (unset counting as
// the default), whatever else either message holds.

#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/field_mask_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/update_mask.h"
#include "salesmeet/participant/v1/participant_service.pb.h"
#include "salesmeet/scheduling/v1/policy.pb.h"
#include "services/scheduling/policy/scheduling_policy.h"
#include "tests/fuzz/fuzz_support.h"

namespace salesmeet::fuzz {
namespace {

using google::protobuf::FieldMask;
using google::protobuf::Message;
using google::protobuf::util::FieldMaskUtil;
using google::protobuf::util::MessageDifferencer;

const UpdateMaskRules& ParticipantRules() {
  static const auto* rules = new UpdateMaskRules{
      {"display_name", "email", "role", "team", "time_zone", "working_hours",
       "time_off", "hourly_cost", "weekly_meeting_budget", "customer",
       "customer.account", "customer.lifecycle", "customer.account_owner",
       "customer.contact_cadence"},
      {{"name", "cannot be changed"},
       {"kind", "cannot be changed after creation"},
       {"create_time", "is output only"},
       {"update_time", "is output only"},
       {"etag", "is output only"}}};
  return *rules;
}

// A record as stored, with every kind of field set, so that both replacing
// and clearing show.
const participant::v1::Participant& StoredParticipant() {
  static const auto* p = new participant::v1::Participant(
      FromText<participant::v1::Participant>(R"pb(
        name: "participants/cleo"
        display_name: "Cleo"
        email: "cleo@acme.com"
        kind: CUSTOMER_CONTACT
        time_zone: "America/New_York"
        working_hours {
          day: MONDAY
          start_time { hours: 9 }
          end_time { hours: 17 }
        }
        time_off {
          interval {
            start_time { seconds: 1775000000 }
            end_time { seconds: 1775086400 }
          }
          reason: "Holiday"
        }
        customer {
          account: "Acme"
          lifecycle: PROSPECT
          account_owner: "participants/ada"
          contact_cadence { seconds: 1209600 }
        }
        etag: "W/\"1\""
      )pb"));
  return *p;
}

const scheduling::v1::SchedulingPolicy& StoredPolicy() {
  static const auto* p = new scheduling::v1::SchedulingPolicy(
      FromText<scheduling::v1::SchedulingPolicy>(R"pb(
        name: "schedulingPolicy"
        rules {
          over_weekly_budget: REJECT
          cost_without_agenda: WARN
          agenda_cost_threshold { currency_code: "EUR" units: 500 }
          max_attendees: 12
        }
        team_overrides {
          team: "teams/emea"
          rules { too_many_attendees: REJECT }
        }
        horizon { seconds: 31536000 }
        reporting_currency: "EUR"
        currency_rates { currency_code: "USD" rate: 0.92 }
      )pb"));
  return *p;
}

void CheckMask(const FieldMask& mask, const Message& patch,
               const Message& stored, const UpdateMaskRules& rules) {
  absl::StatusOr<std::vector<std::string>> paths =
      ResolveUpdateMask(mask, patch, rules);
  if (!paths.ok()) {
    Check(paths.status().code() == absl::StatusCode::kInvalidArgument,
          "a bad mask is INVALID_ARGUMENT");
    return;
  }
  FieldMask applied;
  for (const std::string& path : *paths) {
    Check(rules.updatable.count(path) > 0, "only updatable paths resolve");
    applied.add_paths(path);
  }
  // An empty mask trims nothing, so there would be nothing to compare.
  if (paths->empty()) return;
  std::unique_ptr<Message> updated(stored.New());
  updated->CopyFrom(stored);
  ApplyUpdateMask(*paths, patch, updated.get());

  std::unique_ptr<Message> want(patch.New());
  want->CopyFrom(patch);
  FieldMaskUtil::TrimMessage(applied, want.get());
  FieldMaskUtil::TrimMessage(applied, updated.get());
  want->DiscardUnknownFields();
  updated->DiscardUnknownFields();
  // Unset counts as the default; a NaN rate copied is the same NaN.
  google::protobuf::util::DefaultFieldComparator values;
  values.set_treat_nan_as_equal(true);
  MessageDifferencer differencer;
  differencer.set_message_field_comparison(MessageDifferencer::EQUIVALENT);
  differencer.set_field_comparator(&values);
  Check(differencer.Compare(*want, *updated),
        "the masked paths of the updated record equal the patch's");
}

}  // namespace
}  // namespace salesmeet::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace salesmeet;
  using namespace salesmeet::fuzz;
  if (size == 0) return 0;
  const void* bytes = data + 1;
  const int length = static_cast<int>(size - 1);
  if (data[0] % 2 == 0) {
    participant::v1::UpdateParticipantRequest request;
    if (!request.ParseFromArray(bytes, length)) return 0;
    CheckMask(request.update_mask(), request.participant(), StoredParticipant(),
              ParticipantRules());
  } else {
    scheduling::v1::UpdateSchedulingPolicyRequest request;
    if (!request.ParseFromArray(bytes, length)) return 0;
    CheckMask(request.update_mask(), request.policy(), StoredPolicy(),
              scheduling::SchedulingPolicyMaskRules());
  }
  return 0;
}
