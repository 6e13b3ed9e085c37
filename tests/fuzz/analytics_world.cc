#include "tests/fuzz/analytics_world.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/field_checks.h"
#include "salesmeet/analytics/v1/analytics_service.pb.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/sales_org.h"

namespace salesmeet::fuzz {
namespace {

namespace av1 = ::salesmeet::analytics::v1;

// Every report's request: the defaults, then a scope over February and
// March 2026 grouped and filtered in each way.
constexpr const char* kScope = R"pb(
  interval {
    start_time { seconds: 1771804800 }  # Mon 23 Feb 2026
    end_time { seconds: 1775433600 }    # Mon 6 Apr 2026
  }
  time_zone: "Europe/Rome")pb";

template <typename Request, typename Response>
void Ask(analytics::AnalyticsServiceImpl& service,
         grpc::Status (analytics::AnalyticsServiceImpl::*method)(
             grpc::ServerContext*, const Request*, Response*),
         const std::string& text) {
  const Request request = FromText<Request>(text);
  grpc::ServerContext context;
  Response response;
  const grpc::Status status = (service.*method)(&context, &request, &response);
  Trace(Request::descriptor()->name(), status);
  CheckErrorFitsTrailers(status);
}

}  // namespace

absl::StatusOr<analytics::FeedPosition> InMemoryProjectionStore::Load(
    const std::function<absl::Status(const sv1::Meeting&)>& visit) {
  for (const auto& [name, data] : meetings_) {
    sv1::Meeting meeting;
    if (!meeting.ParseFromString(data)) {
      return absl::DataLossError(absl::StrCat(name, " does not parse"));
    }
    if (absl::Status s = visit(meeting); !s.ok()) return s;
  }
  return position_;
}

absl::StatusOr<analytics::FeedPosition> InMemoryProjectionStore::Append(
    const std::vector<const sv1::MeetingChange*>& changes) {
  analytics::FeedPosition position = position_;
  std::map<std::string, std::string> meetings = meetings_;
  for (const sv1::MeetingChange* change : changes) {
    if (change->sequence() != position.applied_sequence + 1) {
      return absl::AbortedError("the changes do not follow the applied one");
    }
    meetings[change->meeting().name()] = change->meeting().SerializeAsString();
    position.applied_sequence = change->sequence();
    position.applied_commit_time = ToAbslTime(change->commit_time());
  }
  meetings_ = std::move(meetings);
  position_ = position;
  return position_;
}

absl::Status InMemoryProjectionStore::SavePolicy(
    const sv1::SchedulingPolicy& policy) {
  policy_ = policy.SerializeAsString();
  return absl::OkStatus();
}

absl::StatusOr<std::optional<sv1::SchedulingPolicy>>
InMemoryProjectionStore::LoadPolicy() {
  if (!policy_.has_value()) return std::nullopt;
  sv1::SchedulingPolicy policy;
  if (!policy.ParseFromString(*policy_)) {
    return absl::DataLossError("the policy does not parse");
  }
  return policy;
}

AnalyticsWorld::AnalyticsWorld() : tokens_(kPageTokenSecret, absl::Hours(24)) {
  auto projection = analytics::Projection::Open(store_, FuzzNow);
  Check(projection.ok(), "the projection opens");
  projection_ = *std::move(projection);
  people_ = std::make_unique<analytics::PeopleDirectory>(
      [](const CallScope&) -> absl::StatusOr<ParticipantsByName> {
        ParticipantsByName people;
        for (auto& person : SalesOrgPeople()) {
          people[person.name()] = std::move(person);
        }
        return people;
      },
      absl::Hours(1), FuzzNow);
  service_ = std::make_unique<analytics::AnalyticsServiceImpl>(
      *projection_, *people_, tokens_, FuzzNow);
}

void AnalyticsWorld::RunEveryReport() {
  using S = analytics::AnalyticsServiceImpl;
  S& s = *service_;
  const std::string scope = absl::StrCat("scope {", kScope, "}");
  Ask(s, &S::GetCostReport, "group_by: ORGANIZER");
  Ask(s, &S::GetCostReport, scope + " group_by: ISO_WEEK");
  Ask(s, &S::GetCostReport, scope + " group_by: PARTICIPANT");
  Ask(s, &S::GetCostReport, scope + " group_by: TEAM");
  Ask(s, &S::GetMeetingLoadReport, "");
  Ask(s, &S::GetMeetingLoadReport,
      scope + " page_size: 2 focus_block_minimum { seconds: 5400 }");
  Ask(s, &S::GetMeetingMixReport, scope);
  Ask(s, &S::GetContactCadenceReport, "");
  for (const char* metric :
       {"WON_DEAL_VALUE", "WIN_RATE", "VALUE_PER_MEETING_HOUR",
        "RETURN_ON_MEETING_COST"}) {
    Ask(s, &S::GetTopPerformers, absl::StrCat(scope, " metric: ", metric));
  }
  Ask(s, &S::GetFeedStatus, "");
}

sv1::WatchMeetingChangesResponse SeedFeed() {
  return FromText<sv1::WatchMeetingChangesResponse>(R"pb(
    changes {
      sequence: 1
      type: MEETING_CREATED
      commit_time { seconds: 1771588800 }
      meeting {
        name: "meetings/weekly"
        title: "Pipeline review"
        purpose: SALES_DATA_REVIEW
        format: IN_PERSON
        audience: INTERNAL
        state: SCHEDULED
        organizer: "participants/bob"
        attendees {
          participant: "participants/bob"
          response: ACCEPTED
          snapshot {
            kind: EMPLOYEE
            role: SALES_MANAGER
            team: "teams/emea"
            hourly_cost { currency_code: "EUR" units: 90 }
          }
        }
        attendees {
          participant: "participants/ada"
          response: NEEDS_ACTION
          snapshot {
            kind: EMPLOYEE
            role: SALES_REP
            team: "teams/emea"
            hourly_cost { currency_code: "EUR" units: 60 nanos: 500000000 }
          }
        }
        start_time { seconds: 1771923600 }
        end_time { seconds: 1771927200 }
        time_zone: "Europe/Rome"
        recurrence { rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=10" }
      }
    }
    changes {
      sequence: 2
      type: MEETING_COMPLETED
      commit_time { seconds: 1772100000 }
      meeting {
        name: "meetings/pitch"
        title: "Acme pitch"
        purpose: PROSPECT_PITCH
        format: VIDEO_CONFERENCE
        video_conference { provider: ZOOM join_uri: "https://zoom.example/j/1" }
        audience: CUSTOMER_FACING
        state: COMPLETED
        outcome: WON
        deal_value { currency_code: "EUR" units: 25000 }
        organizer: "participants/ada"
        attendees {
          participant: "participants/ada"
          response: ACCEPTED
          snapshot {
            kind: EMPLOYEE
            role: SALES_REP
            team: "teams/emea"
            hourly_cost { currency_code: "EUR" units: 60 }
          }
        }
        attendees {
          participant: "participants/cleo"
          response: ACCEPTED
          snapshot { kind: CUSTOMER_CONTACT }
        }
        start_time { seconds: 1772031600 }
        end_time { seconds: 1772035200 }
        time_zone: "Europe/Rome"
      }
    }
    changes {
      sequence: 3
      type: MEETING_CREATED
      commit_time { seconds: 1772200000 }
      meeting {
        name: "meetings/usd-call"
        title: "Roadmap call"
        purpose: PRODUCT_UPDATE
        format: CONFERENCE_CALL
        audience: INTERNAL
        state: SCHEDULED
        organizer: "participants/dev"
        attendees {
          participant: "participants/dev"
          response: ACCEPTED
          snapshot {
            kind: EMPLOYEE
            role: DEVELOPER
            team: "teams/product"
            hourly_cost { currency_code: "USD" units: 75 }
          }
        }
        attendees {
          participant: "participants/eve"
          response: DECLINED
          optional: true
          snapshot {
            kind: EMPLOYEE
            role: TECHNICAL_EXPERT
            team: "teams/product"
            hourly_cost { currency_code: "EUR" units: 80 }
          }
        }
        start_time { seconds: 1772632800 }
        end_time { seconds: 1772636400 }
        time_zone: "America/New_York"
      }
    }
    changes {
      sequence: 4
      type: MEETING_CANCELLED
      commit_time { seconds: 1772300000 }
      meeting {
        name: "meetings/dropped"
        title: "Dropped"
        purpose: TRAINING
        format: IN_PERSON
        state: CANCELLED
        organizer: "participants/bob"
        attendees { participant: "participants/bob" }
        start_time { seconds: 1772704800 }
        end_time { seconds: 1772708400 }
        time_zone: "Europe/Rome"
      }
    }
    changes {
      sequence: 5
      type: OCCURRENCE_MOVED
      commit_time { seconds: 1772400000 }
      original_start_time { seconds: 1773133200 }
      meeting {
        name: "meetings/weekly"
        title: "Pipeline review"
        purpose: SALES_DATA_REVIEW
        format: IN_PERSON
        audience: INTERNAL
        state: SCHEDULED
        organizer: "participants/bob"
        attendees {
          participant: "participants/bob"
          response: ACCEPTED
          snapshot {
            kind: EMPLOYEE
            role: SALES_MANAGER
            team: "teams/emea"
            hourly_cost { currency_code: "EUR" units: 90 }
          }
        }
        attendees {
          participant: "participants/ada"
          response: ACCEPTED
          snapshot {
            kind: EMPLOYEE
            role: SALES_REP
            team: "teams/emea"
            hourly_cost { currency_code: "EUR" units: 60 nanos: 500000000 }
          }
        }
        start_time { seconds: 1771923600 }
        end_time { seconds: 1771927200 }
        time_zone: "Europe/Rome"
        recurrence { rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=10" }
        occurrence_exceptions {
          original_start_time { seconds: 1773133200 }
          start_time { seconds: 1773151200 }
          end_time { seconds: 1773154800 }
          responses { attendee: "participants/ada" response: DECLINED }
        }
      }
    }
    head_sequence: 5
    send_time { seconds: 1772434800 })pb");
}

sv1::SchedulingPolicy SeedPolicy() {
  return FromText<sv1::SchedulingPolicy>(R"pb(
    name: "schedulingPolicy"
    reporting_currency: "EUR"
    currency_rates { currency_code: "USD" rate: 0.92 })pb");
}

}  // namespace salesmeet::fuzz
