// RRULE and EXDATE parsing and expansion through libical
// (common/calendar/recurrence.h) and a meeting's occurrences with its
// exceptions applied (common/calendar/occurrences.h).
//
// Input: an 8-byte header, then the RRULE text (tests/fuzz/make_seeds.py
// writes the seeds):
//   [0]    time zone, an index into kZones
//   [1..2] start: hours after 2026-01-01 00:00 local (little-endian)
//   [3]    start: minutes past the hour (mod 60)
//   [4]    duration, in 5-minute steps
//   [5]    EXDATEs: bits 0-1 how many; bits 2-7 the first occurrence
//          excluded (later ones every 7th after it)
//   [6]    exceptions: bits 0-1 how many; bit 2 adds an EXDATE that is no
//          occurrence; bits 3-7 the first occurrence excepted (then every
//          5th)
//   [7]    exceptions: signed shift of a moved occurrence, in 15 minutes;
//          even exceptions are moves, odd ones cancellations
// EXDATEs and exceptions name occurrences the rule really has (taken from
// a first expansion), so inputs reach past the EXDATE checks.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/calendar/occurrences.h"
#include "common/calendar/recurrence.h"
#include "common/field_checks.h"
#include "salesmeet/scheduling/v1/meeting.pb.h"
#include "tests/fuzz/fuzz_support.h"

namespace salesmeet::fuzz {
namespace {

namespace sv1 = ::salesmeet::scheduling::v1;

// Zones with the transitions that trouble recurrence: DST in both
// hemispheres, half-hour and 45-minute offsets (St John's, Kathmandu,
// Chatham), a 30-minute DST shift (Lord Howe), +13 across the date line
// (Apia), DST suspended for Ramadan (Casablanca), a 2-hour DST shift
// (Troll), and one name that is no zone at all.
constexpr const char* kZones[] = {"UTC",
                                  "Europe/Rome",
                                  "America/New_York",
                                  "Australia/Lord_Howe",
                                  "Asia/Kathmandu",
                                  "Pacific/Apia",
                                  "America/Santiago",
                                  "Europe/London",
                                  "Pacific/Chatham",
                                  "America/St_Johns",
                                  "Africa/Casablanca",
                                  "Antarctica/Troll",
                                  "Asia/Tokyo",
                                  "Not/A_Zone"};
constexpr size_t kHeaderBytes = 8;
constexpr size_t kFirstOccurrences = 64;

struct Header {
  std::string zone_name;
  absl::TimeZone zone;
  absl::Time start;
  absl::Duration duration;
  uint8_t exdates, exceptions, shift;
};

Header ReadHeader(const uint8_t* h) {
  Header header;
  header.zone_name = kZones[h[0] % (sizeof(kZones) / sizeof(kZones[0]))];
  if (!absl::LoadTimeZone(header.zone_name, &header.zone)) {
    header.zone = absl::UTCTimeZone();
  }
  const int hours = h[1] | (h[2] << 8);
  const absl::CivilSecond local =
      absl::CivilSecond(2026, 1, 1, 0, h[3] % 60, 0) + int64_t{hours} * 3600;
  header.start = ToAbsolute(local, header.zone);
  header.duration = absl::Minutes(5 * h[4]);
  header.exdates = h[5];
  header.exceptions = h[6];
  header.shift = h[7];
  return header;
}

void CheckOrdered(const std::vector<absl::Time>& starts, absl::Time from,
                  absl::Time to, absl::Duration duration) {
  for (size_t i = 0; i < starts.size(); ++i) {
    Check(starts[i] < to && starts[i] + duration > from,
          "an original start lies in the window asked for");
    Check(i == 0 || starts[i - 1] < starts[i],
          "original starts are in strictly increasing order");
  }
}

// The meeting the header describes: its rule, EXDATEs and exceptions
// picked among `first` (the rule's first occurrences).
sv1::Meeting MeetingOf(const Header& h, const std::string& rrule,
                       const std::vector<absl::Time>& first) {
  sv1::Meeting meeting;
  meeting.set_name("meetings/fuzz");
  meeting.set_time_zone(h.zone_name);
  *meeting.mutable_start_time() = ToProtoTime(h.start);
  *meeting.mutable_end_time() = ToProtoTime(h.start + h.duration);
  meeting.mutable_recurrence()->set_rrule(rrule);
  if (first.empty()) return meeting;
  for (int i = 0; i < (h.exdates & 3); ++i) {
    *meeting.mutable_recurrence()->add_exdates() =
        ToProtoTime(first[((h.exdates >> 2) + 7 * i) % first.size()]);
  }
  if (h.exceptions & 4) {
    *meeting.mutable_recurrence()->add_exdates() =
        ToProtoTime(first.front() + absl::Minutes(1));
  }
  // One exception per occurrence at most, as scheduling keeps them.
  std::set<absl::Time> excepted;
  for (int i = 0; i < (h.exceptions & 3); ++i) {
    const absl::Time original =
        first[((h.exceptions >> 3) + 5 * i) % first.size()];
    if (!excepted.insert(original).second) continue;
    sv1::OccurrenceException* e = meeting.add_occurrence_exceptions();
    *e->mutable_original_start_time() = ToProtoTime(original);
    if ((h.shift + i) % 2 == 0) {
      const absl::Time moved =
          original + absl::Minutes(15) * static_cast<int8_t>(h.shift);
      *e->mutable_start_time() = ToProtoTime(moved);
      *e->mutable_end_time() = ToProtoTime(moved + h.duration);
    } else {
      e->set_cancelled(true);
    }
  }
  return meeting;
}

void CheckOccurrences(const sv1::Meeting& meeting, const Recurrence& series) {
  const TimeSpan window{series.timing().start - absl::Hours(24),
                        series.timing().start + absl::Hours(24 * 400)};
  const std::vector<MeetingOccurrence> all =
      ExpandOccurrences(meeting, series, window, true);
  const std::vector<MeetingOccurrence> active =
      ExpandOccurrences(meeting, series, window, false);
  Check(active.size() <= all.size(), "cancelled occurrences only add");
  const MeetingIndex index = IndexOf(meeting, series);
  for (size_t i = 0; i < all.size(); ++i) {
    const MeetingOccurrence& o = all[i];
    Check(o.time.span.Overlaps(window), "an occurrence overlaps the window");
    Check(i == 0 || all[i - 1].time.span.start <= o.time.span.start,
          "occurrences are ordered by start");
    Check(o.time.span.start >= index.first_start,
          "no occurrence starts before the index's first start");
    Check(!index.last_end.has_value() || o.time.span.end <= *index.last_end,
          "no occurrence ends after the index's last end");
    if (!o.exception) {
      Check(series.IsOccurrence(o.time.original_start, false),
            "an expanded occurrence is an occurrence of the rule");
    }
  }
  for (const OccurrenceTime& o : ActiveOccurrences(meeting, series, window)) {
    Check(FindException(meeting, o.original_start) == nullptr ||
              !FindException(meeting, o.original_start)->cancelled(),
          "a cancelled occurrence is not active");
  }
}

// Truncating the series before its second occurrence keeps exactly the
// first, as TruncateSeries promises.
void CheckTruncation(const Header& h, const std::string& rrule,
                     const std::vector<absl::Time>& first) {
  if (first.size() < 2) return;
  SeriesTiming timing{
      h.start, h.duration, h.zone, TruncatedRule(rrule, first[1]), {}};
  absl::StatusOr<Recurrence> truncated = Recurrence::FromStored(timing);
  Check(truncated.ok(), "a truncated rule parses");
  const std::vector<absl::Time> kept = truncated->OriginalStarts(
      h.start, h.start + absl::Hours(24 * 800), kFirstOccurrences);
  Check(kept.size() == 1 && kept[0] == first[0],
        "a rule truncated at its second occurrence keeps only the first");
}

}  // namespace
}  // namespace salesmeet::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace salesmeet;
  using namespace salesmeet::fuzz;
  if (size < kHeaderBytes) return 0;
  const Header h = ReadHeader(data);
  const std::string rrule(reinterpret_cast<const char*>(data) + kHeaderBytes,
                          size - kHeaderBytes);
  const SeriesTiming timing{h.start, h.duration, h.zone, rrule, {}};
  const absl::Time check_until = FuzzNow() + absl::Hours(24 * 400);

  absl::StatusOr<Recurrence> stored = Recurrence::FromStored(timing);
  if (!stored.ok()) {
    Check(!Recurrence::Create(timing, "rrule", "exdates", check_until).ok(),
          "a rule that does not parse is not accepted for a write");
    return 0;
  }
  const absl::Time far = h.start + absl::Hours(24 * 800);
  const std::vector<absl::Time> first =
      stored->OriginalStarts(h.start, far, kFirstOccurrences);
  CheckOrdered(first, h.start, far, h.duration);
  if (stored->recurring() && !first.empty() && first.front() == h.start) {
    CheckTruncation(h, rrule, first);
  }

  const scheduling::v1::Meeting meeting = MeetingOf(h, rrule, first);
  absl::StatusOr<Recurrence> written = SeriesOf(meeting, check_until);
  if (written.ok()) CheckOccurrences(meeting, *written);
  absl::StatusOr<Recurrence> reread = StoredSeriesOf(meeting);
  if (reread.ok()) CheckOccurrences(meeting, *reread);
  return 0;
}
