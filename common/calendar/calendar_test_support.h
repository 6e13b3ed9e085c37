#ifndef SALESMEET_COMMON_CALENDAR_CALENDAR_TEST_SUPPORT_H_
#define SALESMEET_COMMON_CALENDAR_CALENDAR_TEST_SUPPORT_H_

// Helpers the calendar tests of every module share. Tests only.

#include <gtest/gtest.h>

#include <cstdint>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/calendar/recurrence.h"
#include "google/type/money.pb.h"

namespace salesmeet {

// Local time in Rome in 2026, where the test organisations' employees work.
inline absl::Time Rome(int month, int day, int hour, int minute = 0) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/Rome", &zone));
  return ToAbsolute(absl::CivilSecond(2026, month, day, hour, minute, 0), zone);
}

// An amount of euros, as google.type.Money.
inline google::type::Money Eur(int64_t units, int32_t nanos = 0) {
  google::type::Money money;
  money.set_currency_code("EUR");
  money.set_units(units);
  money.set_nanos(nanos);
  return money;
}

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_CALENDAR_CALENDAR_TEST_SUPPORT_H_
