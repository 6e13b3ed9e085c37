#include "services/scheduling/booking/meeting_reader.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/calendar/occurrences.h"
#include "common/calendar/request_interval.h"
#include "common/errors.h"
#include "common/field_checks.h"
#include "common/list_filter.h"
#include "common/status_macros.h"
#include "services/scheduling/booking/meeting_writes.h"

namespace salesmeet::scheduling {
namespace {

constexpr absl::string_view kListScope = "ListMeetings";
constexpr absl::string_view kOccurrencesScope = "ListOccurrences";

// An optional request interval: unset is fine, set must pass
// CheckRequestInterval.
absl::StatusOr<std::optional<TimeSpan>> IntervalFrom(
    const salesmeet::type::v1::Interval& interval, bool present) {
  if (!present) return std::optional<TimeSpan>();
  FieldErrors errors;
  const TimeSpan span = CheckRequestInterval(interval, "interval", errors);
  if (!errors.empty()) return errors.ToStatus();
  return std::optional<TimeSpan>(span);
}

template <typename Enum>
bool ParseEnum(const std::string& value,
               bool (*parse)(const std::string&, Enum*), int* out) {
  Enum parsed;
  if (!parse(value, &parsed) || static_cast<int>(parsed) == 0) return false;
  *out = static_cast<int>(parsed);
  return true;
}

absl::StatusOr<MeetingQuery> QueryFromFilter(
    const std::vector<FilterTerm>& terms) {
  MeetingQuery query;
  FieldErrors errors;
  for (const FilterTerm& t : terms) {
    int value = 0;
    if (t.field == "participant") {
      ParseResourceName(t.value, "participants", "filter", errors);
      query.participant = t.value;
    } else if (t.field == "organizer") {
      ParseResourceName(t.value, "participants", "filter", errors);
      query.organizer = t.value;
    } else if (t.field == "state") {
      if (!ParseEnum<v1::MeetingState>(t.value, v1::MeetingState_Parse,
                                       &value)) {
        errors.Add("filter", "state must be SCHEDULED, CANCELLED or COMPLETED");
      }
      query.state = value;
    } else if (t.field == "purpose") {
      if (!ParseEnum<v1::MeetingPurpose>(t.value, v1::MeetingPurpose_Parse,
                                         &value)) {
        errors.Add("filter",
                   absl::StrCat(Quoted(t.value), " is not a meeting purpose"));
      }
      query.purpose = value;
    } else if (t.field == "format") {
      if (!ParseEnum<v1::MeetingFormat>(t.value, v1::MeetingFormat_Parse,
                                        &value)) {
        errors.Add("filter",
                   absl::StrCat(Quoted(t.value), " is not a meeting format"));
      }
      query.format = value;
    } else if (t.field == "audience") {
      if (!ParseEnum<v1::Audience>(t.value, v1::Audience_Parse, &value)) {
        errors.Add("filter", "audience must be INTERNAL or CUSTOMER_FACING");
      }
      query.audience = value;
    }
  }
  RETURN_IF_ERROR(errors.ToStatus());
  return query;
}

// Page cursors are "micros:id" (meetings) or "micros:micros" (occurrences).
std::string Cursor(absl::Time a, absl::string_view b) {
  return absl::StrCat(absl::ToUnixMicros(a), ":", b);
}

absl::StatusOr<std::pair<absl::Time, std::string>> ParseCursor(
    const std::string& cursor) {
  std::pair<std::string, std::string> parts = absl::StrSplit(cursor, ':');
  int64_t micros = 0;
  if (!absl::SimpleAtoi(parts.first, &micros)) {
    return InvalidFieldError("page_token", "is not a page token of this call");
  }
  return std::make_pair(absl::FromUnixMicros(micros), parts.second);
}

}  // namespace

absl::StatusOr<v1::Meeting> MeetingReader::Get(
    const v1::GetMeetingRequest& request) {
  ASSIGN_OR_RETURN(std::string id, MeetingIdFrom(request.name(), "name"));
  std::optional<v1::Meeting> found;
  RETURN_IF_ERROR(store_.Read([&](MeetingTransaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(found, tx.FindMeeting(id));
    return absl::OkStatus();
  }));
  if (!found.has_value())
    return ResourceNotFoundError(kMeetingType, request.name());
  return *std::move(found);
}

absl::StatusOr<v1::ListMeetingsResponse> MeetingReader::List(
    const v1::ListMeetingsRequest& request) {
  ASSIGN_OR_RETURN(int page_size,
                   EffectivePageSize(request.page_size(), 50, 1000));
  ASSIGN_OR_RETURN(
      std::vector<FilterTerm> terms,
      ParseFilter(request.filter(), {"participant", "organizer", "state",
                                     "purpose", "format", "audience"}));
  ASSIGN_OR_RETURN(MeetingQuery query, QueryFromFilter(terms));
  ASSIGN_OR_RETURN(std::optional<TimeSpan> interval,
                   IntervalFrom(request.interval(), request.has_interval()));
  const std::string canonical = absl::StrCat(
      CanonicalFilter(terms), "|",
      interval ? Cursor(interval->start,
                        absl::StrCat(absl::ToUnixMicros(interval->end)))
               : "");
  const absl::Time now = clock_();
  if (!request.page_token().empty()) {
    ASSIGN_OR_RETURN(
        std::string cursor,
        tokens_.Decode(request.page_token(), kListScope, canonical, now));
    ASSIGN_OR_RETURN(query.after, ParseCursor(cursor));
  }
  if (interval.has_value()) {
    query.overlaps_from = interval->start;
    query.overlaps_to = interval->end;
  }

  // The index narrows by time; expanding decides. Rows the expansion drops
  // are skipped, so a page may need several reads to fill.
  v1::ListMeetingsResponse response;
  bool more = false;
  RETURN_IF_ERROR(store_.Read([&](MeetingTransaction& tx) -> absl::Status {
    query.limit = page_size + 1;
    while (true) {
      ASSIGN_OR_RETURN(std::vector<v1::Meeting> rows, tx.ListMeetings(query));
      for (v1::Meeting& meeting : rows) {
        query.after = std::make_pair(ToAbslTime(meeting.start_time()),
                                     IdFromName(meeting.name()));
        if (interval.has_value()) {
          ASSIGN_OR_RETURN(Recurrence series, StoredSeriesOf(meeting));
          if (ActiveOccurrences(meeting, series, *interval).empty()) continue;
        }
        if (response.meetings_size() == page_size) {
          more = true;
          return absl::OkStatus();
        }
        *response.add_meetings() = std::move(meeting);
      }
      if (static_cast<int>(rows.size()) < query.limit) return absl::OkStatus();
    }
  }));
  if (more) {
    const v1::Meeting& last = response.meetings(response.meetings_size() - 1);
    response.set_next_page_token(tokens_.Encode(
        kListScope, canonical,
        Cursor(ToAbslTime(last.start_time()), IdFromName(last.name())), now));
  }
  return response;
}

absl::StatusOr<v1::ListOccurrencesResponse> MeetingReader::ListOccurrences(
    const v1::ListOccurrencesRequest& request) {
  ASSIGN_OR_RETURN(int page_size,
                   EffectivePageSize(request.page_size(), 100, 1000));
  ASSIGN_OR_RETURN(v1::Meeting meeting, Get([&] {
                     v1::GetMeetingRequest get;
                     get.set_name(request.name());
                     return get;
                   }()));
  ASSIGN_OR_RETURN(std::optional<TimeSpan> interval,
                   IntervalFrom(request.interval(), request.has_interval()));
  const absl::Time start = ToAbslTime(meeting.start_time());
  const TimeSpan requested =
      interval.value_or(TimeSpan{start, start + kMaxRequestInterval});
  const std::string canonical = absl::StrCat(
      request.name(), "|",
      Cursor(requested.start, absl::StrCat(absl::ToUnixMicros(requested.end))),
      "|", request.show_cancelled());
  const absl::Time now = clock_();
  std::optional<std::pair<absl::Time, absl::Time>> after;
  if (!request.page_token().empty()) {
    ASSIGN_OR_RETURN(std::string cursor,
                     tokens_.Decode(request.page_token(), kOccurrencesScope,
                                    canonical, now));
    ASSIGN_OR_RETURN(auto parsed, ParseCursor(cursor));
    int64_t original = 0;
    if (!absl::SimpleAtoi(parsed.second, &original)) {
      return InvalidFieldError("page_token",
                               "is not a page token of this call");
    }
    after = std::make_pair(parsed.first, absl::FromUnixMicros(original));
  }
  ASSIGN_OR_RETURN(Recurrence series, StoredSeriesOf(meeting));
  // Without an interval, an occurrence moved before the series' start still
  // belongs to its first 366 days.
  TimeSpan window = requested;
  if (!interval.has_value()) {
    window.start = IndexOf(meeting, series).first_start;
  }
  v1::ListOccurrencesResponse response;
  for (const MeetingOccurrence& o :
       ExpandOccurrences(meeting, series, window, request.show_cancelled())) {
    const auto key = std::make_pair(o.time.span.start, o.time.original_start);
    if (after.has_value() && key <= *after) continue;
    if (response.occurrences_size() == page_size) {
      const v1::Occurrence& last =
          response.occurrences(response.occurrences_size() - 1);
      response.set_next_page_token(
          tokens_.Encode(kOccurrencesScope, canonical,
                         Cursor(ToAbslTime(last.start_time()),
                                absl::StrCat(absl::ToUnixMicros(
                                    ToAbslTime(last.original_start_time())))),
                         now));
      break;
    }
    *response.add_occurrences() =
        ToOccurrenceMessage(meeting, o.time.original_start, o.time.span,
                            o.exception, o.moved, o.cancelled);
  }
  return response;
}

}  // namespace salesmeet::scheduling
