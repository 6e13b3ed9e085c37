#include "common/calendar/recurrence.h"

#include <libical/ical.h>

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/calendar/rule_feasibility.h"
#include "common/errors.h"

namespace salesmeet {
namespace {

constexpr size_t kMaxRuleLength = 500;
constexpr int kMaxCount = 5000;
constexpr int kMaxInterval = 1000;
constexpr size_t kMaxExdates = 500;
// Far more occurrences than any sane series produces in a check window; a
// guard against rules that would make a request spin.
constexpr size_t kMaxIterations = 200000;
constexpr char kUntilFormat[] = "%Y%m%dT%H%M%SZ";

const std::set<std::string>& AllowedParts() {
  static const auto* parts = new std::set<std::string>{
      "FREQ",    "INTERVAL",  "COUNT",    "UNTIL",    "BYDAY", "BYMONTHDAY",
      "BYMONTH", "BYYEARDAY", "BYWEEKNO", "BYSETPOS", "WKST"};
  return *parts;
}

// What RFC 5545's RECUR grammar is written in.
bool IsRuleChar(char c) {
  return absl::ascii_isalnum(c) || c == '=' || c == ';' || c == ',' ||
         c == '+' || c == '-';
}

absl::string_view StripPrefix(absl::string_view rrule) {
  if (rrule.size() >= 6 &&
      absl::EqualsIgnoreCase(rrule.substr(0, 6), "RRULE:")) {
    rrule.remove_prefix(6);
  }
  return rrule;
}

// KEY=VALUE parts in order, keys upper-cased; INVALID_ARGUMENT on syntax.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> SplitRule(
    absl::string_view rrule, absl::string_view field) {
  std::vector<std::pair<std::string, std::string>> parts;
  std::set<std::string> seen;
  for (absl::string_view part : absl::StrSplit(rrule, ';')) {
    std::pair<std::string, std::string> kv = absl::StrSplit(part, '=');
    std::string key = absl::AsciiStrToUpper(kv.first);
    if (key.empty() || kv.second.empty() || !absl::StrContains(part, '=')) {
      return InvalidFieldError(
          field, absl::StrCat(Quoted(part), " is not a KEY=VALUE part"));
    }
    if (!seen.insert(key).second) {
      return InvalidFieldError(field, absl::StrCat(key, " appears twice"));
    }
    parts.emplace_back(std::move(key), absl::AsciiStrToUpper(kv.second));
  }
  return parts;
}

icaltimetype ToIcal(absl::CivilSecond local) {
  icaltimetype t = icaltime_null_time();
  t.year = static_cast<int>(local.year());
  t.month = local.month();
  t.day = local.day();
  t.hour = local.hour();
  t.minute = local.minute();
  t.second = local.second();
  t.is_date = 0;
  return t;  // Floating: no zone, so libical works in local civil time.
}

// "20261231T235959Z" -> the UTC instant; nullopt for anything else. (Parsed
// by hand: absl's %Y reads as many digits as it can find.)
std::optional<absl::Time> ParseUtcDateTime(absl::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') {
    return std::nullopt;
  }
  int fields[6];
  const size_t offsets[6] = {0, 4, 6, 9, 11, 13};
  const size_t widths[6] = {4, 2, 2, 2, 2, 2};
  for (int i = 0; i < 6; ++i) {
    if (!absl::SimpleAtoi(text.substr(offsets[i], widths[i]), &fields[i]) ||
        !absl::ascii_isdigit(text[offsets[i]])) {
      return std::nullopt;
    }
  }
  const absl::CivilSecond civil(fields[0], fields[1], fields[2], fields[3],
                                fields[4], fields[5]);
  // CivilSecond normalises 2026-02-30 to March; a real date survives as is.
  if (civil.month() != fields[1] || civil.day() != fields[2] ||
      civil.hour() != fields[3] || civil.minute() != fields[4] ||
      civil.second() != fields[5]) {
    return std::nullopt;
  }
  return absl::FromCivil(civil, absl::UTCTimeZone());
}

absl::CivilSecond FromIcal(const icaltimetype& t) {
  return absl::CivilSecond(t.year, t.month, t.day, t.hour, t.minute, t.second);
}

// Owns a libical iterator.
class RuleIterator {
 public:
  RuleIterator(const std::string& rule, absl::CivilSecond dtstart) {
    icalrecurrencetype parsed = icalrecurrencetype_from_string(rule.c_str());
    if (parsed.freq != ICAL_NO_RECURRENCE) {
      iterator_ = icalrecur_iterator_new(parsed, ToIcal(dtstart));
    }
  }
  ~RuleIterator() {
    if (iterator_ != nullptr) icalrecur_iterator_free(iterator_);
  }
  RuleIterator(const RuleIterator&) = delete;
  RuleIterator& operator=(const RuleIterator&) = delete;

  bool ok() const { return iterator_ != nullptr; }

  // Jumps ahead; libical allows it only for rules without COUNT.
  void SkipTo(absl::CivilSecond local) {
    icalrecur_iterator_set_start(iterator_, ToIcal(local));
  }

  std::optional<absl::CivilSecond> Next() {
    icaltimetype t = icalrecur_iterator_next(iterator_);
    if (icaltime_is_null_time(t)) return std::nullopt;
    return FromIcal(t);
  }

 private:
  icalrecur_iterator* iterator_ = nullptr;
};

}  // namespace

absl::Time ToAbsolute(absl::CivilSecond local, absl::TimeZone zone) {
  // `pre` applies the offset in force before a transition: inside a gap
  // that lands after the gap, and in an overlap it picks the earlier instant.
  return zone.At(local).pre;
}

absl::StatusOr<Recurrence> Recurrence::Parse(SeriesTiming timing,
                                             absl::string_view rrule_field,
                                             bool* bounded) {
  timing.rrule =
      std::string(absl::StripAsciiWhitespace(StripPrefix(timing.rrule)));
  Recurrence recurrence(timing);
  *bounded = true;
  if (timing.rrule.empty()) {
    recurrence.last_start_ = timing.start;
    return recurrence;
  }
  if (timing.rrule.size() > kMaxRuleLength) {
    return InvalidFieldError(rrule_field, "must be at most 500 characters");
  }
  // libical reads the rule as a C string: a NUL would hide the rest of it
  // from libical but not from the checks here.
  if (!std::all_of(timing.rrule.begin(), timing.rrule.end(), IsRuleChar)) {
    return InvalidFieldError(
        rrule_field, "may hold only letters, digits and the characters =;,+-");
  }
  std::vector<std::pair<std::string, std::string>> parts;
  auto split = SplitRule(timing.rrule, rrule_field);
  if (!split.ok()) return split.status();
  parts = *std::move(split);

  std::map<std::string, std::string> by_key(parts.begin(), parts.end());
  for (const auto& [key, value] : parts) {
    if (key == "BYHOUR" || key == "BYMINUTE" || key == "BYSECOND") {
      return InvalidFieldError(
          rrule_field, absl::StrCat(key,
                                    " is not allowed: every occurrence keeps "
                                    "the time of day of start_time"));
    }
    if (AllowedParts().count(key) == 0) {
      return InvalidFieldError(rrule_field,
                               absl::StrCat(key, " is not a supported part"));
    }
  }
  const std::string freq = by_key["FREQ"];
  if (freq != "DAILY" && freq != "WEEKLY" && freq != "MONTHLY" &&
      freq != "YEARLY") {
    return InvalidFieldError(rrule_field,
                             "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY");
  }
  if (by_key.count("COUNT") && by_key.count("UNTIL")) {
    return InvalidFieldError(rrule_field,
                             "COUNT and UNTIL cannot both be given");
  }
  if (by_key.count("COUNT")) {
    int count = 0;
    if (!absl::SimpleAtoi(by_key["COUNT"], &count) || count < 1 ||
        count > kMaxCount) {
      return InvalidFieldError(rrule_field, "COUNT must be 1 to 5000");
    }
  }
  if (by_key.count("INTERVAL")) {
    int interval = 0;
    if (!absl::SimpleAtoi(by_key["INTERVAL"], &interval) || interval < 1 ||
        interval > kMaxInterval) {
      return InvalidFieldError(rrule_field, "INTERVAL must be 1 to 1000");
    }
  }
  if (std::optional<std::string> never = WhyRuleNeverOccurs(
          by_key, absl::CivilDay(timing.zone.At(timing.start).cs))) {
    return InvalidFieldError(rrule_field,
                             absl::StrCat("can never occur: ", *never));
  }
  // UNTIL is applied here, in absolute time, rather than by libical, which
  // would compare a UTC instant with floating local times.
  std::vector<std::string> for_libical;
  for (const auto& [key, value] : parts) {
    if (key == "UNTIL") {
      std::optional<absl::Time> until = ParseUtcDateTime(value);
      if (!until.has_value()) {
        return InvalidFieldError(
            rrule_field,
            "UNTIL must be a UTC date-time such as 20261231T235959Z");
      }
      if (*until < timing.start) {
        return InvalidFieldError(rrule_field, "UNTIL is before start_time");
      }
      recurrence.until_ = until;
      continue;
    }
    for_libical.push_back(absl::StrCat(key, "=", value));
  }
  recurrence.libical_rule_ = absl::StrJoin(for_libical, ";");
  {
    RuleIterator probe(recurrence.libical_rule_,
                       timing.zone.At(timing.start).cs);
    if (!probe.ok()) {
      return InvalidFieldError(rrule_field,
                               "is not a valid RFC 5545 recurrence rule");
    }
  }

  *bounded = by_key.count("COUNT") > 0 || recurrence.until_.has_value();
  return recurrence;
}

absl::StatusOr<Recurrence> Recurrence::FromStored(SeriesTiming timing) {
  bool bounded = false;
  return Parse(std::move(timing), "meeting.recurrence.rrule", &bounded);
}

absl::StatusOr<Recurrence> Recurrence::Create(SeriesTiming timing,
                                              absl::string_view rrule_field,
                                              absl::string_view exdates_field,
                                              absl::Time check_until) {
  bool bounded = false;
  absl::StatusOr<Recurrence> parsed = Parse(timing, rrule_field, &bounded);
  if (!parsed.ok()) return parsed.status();
  Recurrence recurrence = *std::move(parsed);
  timing = recurrence.timing_;
  if (!recurrence.recurring()) {
    if (!timing.exdates.empty()) {
      return InvalidFieldError(exdates_field,
                               "must be empty for a meeting without a rule");
    }
    return recurrence;
  }
  std::vector<absl::Time> first = recurrence.RuleStarts(
      timing.start + absl::Seconds(1), 1, absl::InfinitePast());
  if (first.empty() || first.front() != timing.start) {
    return InvalidFieldError(
        rrule_field,
        absl::StrCat(
            "start_time (",
            absl::FormatTime("%A %Y-%m-%d %H:%M", timing.start, timing.zone),
            " local) is not an occurrence of the rule; start the "
            "series on a day the rule produces"));
  }

  const absl::Time check_to =
      bounded ? absl::InfiniteFuture() : std::max(check_until, timing.start);
  std::vector<absl::Time> starts =
      recurrence.RuleStarts(check_to, kMaxIterations, absl::InfinitePast());
  for (size_t i = 1; i < starts.size(); ++i) {
    if (starts[i] - starts[i - 1] < timing.duration) {
      return InvalidFieldError(
          rrule_field,
          absl::StrCat(
              "occurrences would overlap each other (",
              absl::FormatTime("%Y-%m-%d %H:%M", starts[i - 1], timing.zone),
              " and the next); shorten the meeting or space them out"));
    }
  }
  if (bounded && !starts.empty()) recurrence.last_start_ = starts.back();

  if (timing.exdates.size() > kMaxExdates) {
    return InvalidFieldError(exdates_field, "must have at most 500 entries");
  }
  const std::set<absl::Time> known(starts.begin(), starts.end());
  for (size_t i = 0; i < timing.exdates.size(); ++i) {
    const absl::Time exdate = timing.exdates[i];
    const bool found =
        known.count(exdate) > 0 || (!bounded && exdate > check_to &&
                                    recurrence.IsOccurrence(exdate, true));
    if (!found) {
      return InvalidFieldError(absl::StrCat(exdates_field, "[", i, "]"),
                               "is not the start of an occurrence of the rule");
    }
  }
  return recurrence;
}

std::vector<absl::Time> Recurrence::RuleStarts(absl::Time to, size_t limit,
                                               absl::Time skip_before) const {
  std::vector<absl::Time> out;
  if (!recurring()) {
    if (timing_.start < to && limit > 0) out.push_back(timing_.start);
    return out;
  }
  RuleIterator iterator(libical_rule_, timing_.zone.At(timing_.start).cs);
  if (!iterator.ok()) return out;
  // Jumping ahead saves iterating a long-running series from its first
  // occurrence. libical cannot do it with COUNT, which needs every
  // occurrence counted. A day of slack covers zone offsets.
  const bool counted = absl::StrContains(libical_rule_, "COUNT=");
  if (!counted && skip_before - absl::Hours(48) > timing_.start) {
    iterator.SkipTo(timing_.zone.At(skip_before - absl::Hours(48)).cs);
  }
  for (size_t i = 0; i < kMaxIterations && out.size() < limit; ++i) {
    std::optional<absl::CivilSecond> local = iterator.Next();
    if (!local.has_value()) break;
    const absl::Time start = ToAbsolute(*local, timing_.zone);
    if (until_.has_value() && start > *until_) break;
    if (start >= to) break;
    if (start < skip_before) continue;
    out.push_back(start);
  }
  return out;
}

std::vector<absl::Time> Recurrence::OriginalStarts(absl::Time from,
                                                   absl::Time to,
                                                   size_t limit) const {
  std::vector<absl::Time> out;
  const std::set<absl::Time> excluded(timing_.exdates.begin(),
                                      timing_.exdates.end());
  for (absl::Time start :
       RuleStarts(to, kMaxIterations, from - timing_.duration)) {
    if (out.size() >= limit) break;
    if (start + timing_.duration <= from) continue;
    if (excluded.count(start) > 0) continue;
    out.push_back(start);
  }
  return out;
}

bool Recurrence::IsOccurrence(absl::Time original_start,
                              bool include_excluded) const {
  if (!include_excluded &&
      std::find(timing_.exdates.begin(), timing_.exdates.end(),
                original_start) != timing_.exdates.end()) {
    return false;
  }
  std::vector<absl::Time> starts = RuleStarts(original_start + absl::Seconds(1),
                                              kMaxIterations, original_start);
  return !starts.empty() && starts.back() == original_start;
}

std::string TruncatedRule(absl::string_view rrule, absl::Time cut) {
  std::vector<std::string> kept;
  // Read as Parse reads it: whitespace around the rule would otherwise end
  // up inside the new one, before ";UNTIL".
  for (absl::string_view part :
       absl::StrSplit(absl::StripAsciiWhitespace(StripPrefix(rrule)), ';',
                      absl::SkipEmpty())) {
    const std::string key =
        absl::AsciiStrToUpper(part.substr(0, part.find('=')));
    if (key == "COUNT" || key == "UNTIL") continue;
    kept.emplace_back(part);
  }
  kept.push_back(absl::StrCat(
      "UNTIL=", absl::FormatTime(kUntilFormat, cut - absl::Seconds(1),
                                 absl::UTCTimeZone())));
  return absl::StrJoin(kept, ";");
}

}  // namespace salesmeet
