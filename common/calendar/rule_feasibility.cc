#include "common/calendar/rule_feasibility.h"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace salesmeet {
namespace {

// The shortest and longest each month can be (February: 28, or 29).
constexpr int kMinDays[13] = {0,  31, 28, 31, 30, 31, 30,
                              31, 31, 30, 31, 30, 31};
constexpr int kMaxDays[13] = {0,  31, 29, 31, 30, 31, 30,
                              31, 31, 30, 31, 30, 31};

// One BYDAY entry: "-1SU" is the last Sunday (ordinal -1), "TU" every
// Tuesday (ordinal 0).
struct DayEntry {
  int ordinal = 0;
  absl::Weekday weekday;
};

// A comma-separated list of integers; nullopt when one is malformed (libical
// then judges the rule).
std::optional<std::vector<int>> Ints(const std::string& value) {
  std::vector<int> out;
  for (absl::string_view item : absl::StrSplit(value, ',')) {
    int n = 0;
    if (!absl::SimpleAtoi(item, &n)) return std::nullopt;
    out.push_back(n);
  }
  return out;
}

std::optional<std::vector<DayEntry>> DayEntries(const std::string& value) {
  static constexpr struct {
    const char* code;
    absl::Weekday weekday;
  } kDays[] = {
      {"MO", absl::Weekday::monday},    {"TU", absl::Weekday::tuesday},
      {"WE", absl::Weekday::wednesday}, {"TH", absl::Weekday::thursday},
      {"FR", absl::Weekday::friday},    {"SA", absl::Weekday::saturday},
      {"SU", absl::Weekday::sunday}};
  std::vector<DayEntry> out;
  for (absl::string_view item : absl::StrSplit(value, ',')) {
    if (item.size() < 2) return std::nullopt;
    DayEntry entry;
    const absl::string_view ordinal = item.substr(0, item.size() - 2);
    if (!ordinal.empty() &&
        !absl::SimpleAtoi(absl::StripPrefix(ordinal, "+"), &entry.ordinal)) {
      return std::nullopt;
    }
    const absl::string_view code = item.substr(item.size() - 2);
    bool known = false;
    for (const auto& day : kDays) {
      if (code == day.code) {
        entry.weekday = day.weekday;
        known = true;
      }
    }
    if (!known) return std::nullopt;
    out.push_back(entry);
  }
  return out;
}

// Whether `entry` can fall on a day of month `month` (of some length) that
// BYMONTHDAY (when given) names too. Every date falls on every weekday in
// some year, so only the ordinal's place in the month matters.
bool DayEntryFits(const DayEntry& entry, int month,
                  const std::optional<std::vector<int>>& monthdays) {
  for (int length = kMinDays[month]; length <= kMaxDays[month]; ++length) {
    int first = 1, last = length;  // The days the entry can fall on.
    if (entry.ordinal > 0) {
      first = 7 * (entry.ordinal - 1) + 1;
      last = std::min(length, 7 * entry.ordinal);
    } else if (entry.ordinal < 0) {
      first = std::max(1, length + 7 * entry.ordinal + 1);
      last = length + 7 * (entry.ordinal + 1);
    }
    if (first > last) continue;
    if (!monthdays.has_value()) return true;
    for (int d : *monthdays) {
      const int day = d > 0 ? d : length + 1 + d;
      if (d != 0 && day >= first && day <= last) return true;
    }
  }
  return false;
}

// At most how many dates one period offers BYSETPOS to choose from; 0 when
// this does not tell.
int MostCandidates(const std::string& freq,
                   const std::optional<std::vector<DayEntry>>& days,
                   const std::optional<std::vector<int>>& monthdays) {
  if (freq == "DAILY") return 1;
  if (freq == "WEEKLY") {
    if (!days.has_value()) return 7;
    std::set<absl::Weekday> weekdays;
    for (const DayEntry& d : *days) weekdays.insert(d.weekday);
    return static_cast<int>(weekdays.size());
  }
  if (freq != "MONTHLY") return 0;
  int most = 31;
  if (monthdays.has_value()) {
    const std::set<int> distinct(monthdays->begin(), monthdays->end());
    most = std::min(most, static_cast<int>(distinct.size()));
  }
  if (days.has_value()) {
    int dates = 0;
    for (const DayEntry& d : *days) dates += d.ordinal == 0 ? 5 : 1;
    most = std::min(most, dates);
  }
  return most;
}

}  // namespace

std::optional<std::string> WhyRuleNeverOccurs(
    const std::map<std::string, std::string>& parts, absl::CivilDay start) {
  auto part = [&](const char* key) -> const std::string* {
    auto it = parts.find(key);
    return it == parts.end() ? nullptr : &it->second;
  };
  const std::string freq = part("FREQ") != nullptr ? *part("FREQ") : "";
  int interval = 1;
  if (const std::string* v = part("INTERVAL");
      v != nullptr && (!absl::SimpleAtoi(*v, &interval) || interval < 1)) {
    return std::nullopt;
  }
  std::optional<std::vector<int>> months, monthdays, positions;
  std::optional<std::vector<DayEntry>> days;
  if (const std::string* v = part("BYMONTH")) {
    if (!(months = Ints(*v))) return std::nullopt;
  }
  if (const std::string* v = part("BYMONTHDAY")) {
    if (!(monthdays = Ints(*v))) return std::nullopt;
  }
  if (const std::string* v = part("BYSETPOS")) {
    if (!(positions = Ints(*v))) return std::nullopt;
  }
  if (const std::string* v = part("BYDAY")) {
    if (!(days = DayEntries(*v))) return std::nullopt;
  }

  // The months an occurrence can fall in: BYMONTH's, and for a monthly
  // rule those its INTERVAL reaches from the start month.
  std::set<int> reachable;
  for (int k = 0; k < 12; ++k) {
    const int step = freq == "MONTHLY" ? interval % 12 : 1;
    reachable.insert((static_cast<int>(start.month()) - 1 + k * step) % 12 + 1);
  }
  if (months.has_value()) {
    std::set<int> named;
    for (int m : *months) {
      if (m >= 1 && m <= 12) named.insert(m);
    }
    if (named.empty()) return "BYMONTH names no month from 1 to 12";
    std::set<int> both;
    for (int m : named) {
      if (reachable.count(m) > 0) both.insert(m);
    }
    if (both.empty()) {
      return "its INTERVAL never reaches a month that BYMONTH names";
    }
    reachable = both;
  }
  if (monthdays.has_value()) {
    bool fits = false;
    for (int m : reachable) {
      for (int d : *monthdays) fits |= d != 0 && std::abs(d) <= kMaxDays[m];
    }
    if (!fits) return "no month it reaches has a day that BYMONTHDAY names";
  }
  // Ordinals count within the month in a monthly rule.
  if (days.has_value() && freq == "MONTHLY") {
    bool fits = false;
    for (const DayEntry& d : *days) {
      for (int m : reachable) fits |= DayEntryFits(d, m, monthdays);
    }
    if (!fits) {
      return monthdays.has_value()
                 ? "no day of any month is both a BYDAY and a BYMONTHDAY"
                 : "no month has the weekday BYDAY names at that position";
    }
  }
  // Every INTERVAL-th day from the start is the same weekday once
  // INTERVAL is a multiple of 7.
  if (days.has_value() && freq == "DAILY" && interval % 7 == 0) {
    bool lands = false;
    for (const DayEntry& d : *days) {
      lands |= d.ordinal != 0 || d.weekday == absl::GetWeekday(start);
    }
    if (!lands) {
      return "every occurrence falls on the start's weekday, which BYDAY "
             "does not name";
    }
  }
  if (positions.has_value()) {
    const int most = MostCandidates(freq, days, monthdays);
    bool fits = most == 0;
    for (int p : *positions) fits |= p != 0 && std::abs(p) <= most;
    if (!fits) {
      return absl::StrCat("BYSETPOS asks for a position past the ", most,
                          " dates a period can offer");
    }
  }
  return std::nullopt;
}

}  // namespace salesmeet
