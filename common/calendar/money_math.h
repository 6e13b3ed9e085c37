#ifndef SALESMEET_COMMON_CALENDAR_MONEY_MATH_H_
#define SALESMEET_COMMON_CALENDAR_MONEY_MATH_H_

// Exact money arithmetic shared by scheduling's cost model and analytics'
// reports: amounts are billionths (nanos) of a currency unit in 128 bits,
// sums saturate instead of wrapping around, and rounding to the cent
// happens once, at the end.
//
// With the bounds the API puts on amounts (field_checks.h), no real sum
// comes near saturation: 10^9 units an hour, times 100 attendees, times a
// year of meetings every hour, is 10^21 units, 10^30 nanos; an int128 holds
// 1.7 x 10^38. Saturation is for data stored before the bounds existed.

#include <cstdint>
#include <optional>
#include <string>

#include "google/type/money.pb.h"

namespace salesmeet {

using int128 = __int128;

inline constexpr int64_t kNanosPerUnit = 1'000'000'000;
inline constexpr int64_t kNanosPerCent = kNanosPerUnit / 100;
// Spelled out because std::numeric_limits knows __int128 only in GNU mode.
inline constexpr int128 kInt128Max =
    static_cast<int128>(~static_cast<unsigned __int128>(0) >> 1);

// units x 10^9 + nanos, exact for every Money.
int128 MoneyNanos(const google::type::Money& money);

// num / den (den > 0), rounded half away from zero, without overflow.
int128 DivRoundHalfAway(int128 num, int128 den);

// a x b, or nullopt when it does not fit.
std::optional<int128> CheckedMul(int128 a, int128 b);

// a + b and a x b, clamped to +-kInt128Max instead of wrapping around.
int128 SaturatingAdd(int128 a, int128 b);
int128 SaturatingMul(int128 a, int128 b);

// `cents` hundredths of `currency` as Money; beyond what Money holds
// (int64 units) it saturates at the largest amount of the sign.
google::type::Money MoneyFromCents(const std::string& currency, int128 cents);

// `nanos` as Money, rounded half away from zero to the cent.
google::type::Money MoneyFromNanos(const std::string& currency, int128 nanos);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_CALENDAR_MONEY_MATH_H_
