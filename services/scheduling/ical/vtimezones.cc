#include "services/scheduling/ical/vtimezones.h"

#include <libical/ical.h>

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace salesmeet::scheduling {
namespace {

struct Cache {
  absl::Mutex mu;
  std::map<std::pair<std::string, int>, std::string> texts ABSL_GUARDED_BY(mu);
};

Cache& TheCache() {
  static auto* cache = new Cache;
  return *cache;
}

// Called with the cache's lock held: libical's zone table is not ours to
// share.
absl::StatusOr<std::string> Build(const std::string& zone, int from_year) {
  icaltimezone* builtin = icaltimezone_get_builtin_timezone(zone.c_str());
  if (builtin == nullptr) {
    return absl::NotFoundError(absl::StrCat("unknown time zone ", zone));
  }
  icalcomponent* shared = icaltimezone_get_component(builtin);
  if (shared == nullptr) {
    return absl::NotFoundError(absl::StrCat("no rules for time zone ", zone));
  }
  icalcomponent* own = icalcomponent_new_clone(shared);
  icaltimetype start = icaltime_null_time();
  start.year = from_year;
  start.month = 1;
  start.day = 1;
  start.zone = icaltimezone_get_utc_timezone();
  icaltimezone_truncate_vtimezone(own, start, icaltime_null_time(),
                                  /*ms_compatible=*/0);
  icalproperty* tzid =
      icalcomponent_get_first_property(own, ICAL_TZID_PROPERTY);
  if (tzid != nullptr) icalproperty_set_tzid(tzid, zone.c_str());
  char* text = icalcomponent_as_ical_string_r(own);
  std::string result = text == nullptr ? "" : text;
  icalmemory_free_buffer(text);
  icalcomponent_free(own);
  return result;
}

}  // namespace

absl::StatusOr<std::string> VTimezoneText(absl::string_view zone,
                                          int from_year) {
  Cache& cache = TheCache();
  absl::MutexLock lock(&cache.mu);
  auto key = std::make_pair(std::string(zone), from_year);
  if (auto it = cache.texts.find(key); it != cache.texts.end()) {
    return it->second;
  }
  absl::StatusOr<std::string> built = Build(key.first, from_year);
  if (!built.ok()) return built.status();
  cache.texts.emplace(std::move(key), *built);
  return built;
}

}  // namespace salesmeet::scheduling
