#include "common/calendar/money_math.h"

#include <limits>

namespace salesmeet {

int128 MoneyNanos(const google::type::Money& money) {
  return int128{money.units()} * kNanosPerUnit + money.nanos();
}

int128 DivRoundHalfAway(int128 num, int128 den) {
  // Compares the remainder with what is left of den rather than doubling
  // it, which could overflow.
  int128 quotient = num / den;
  const int128 remainder = num % den;
  const int128 magnitude = remainder < 0 ? -remainder : remainder;
  if (magnitude >= den - magnitude) quotient += num < 0 ? -1 : 1;
  return quotient;
}

std::optional<int128> CheckedMul(int128 a, int128 b) {
  int128 product;
  if (__builtin_mul_overflow(a, b, &product)) return std::nullopt;
  return product;
}

int128 SaturatingAdd(int128 a, int128 b) {
  int128 sum;
  if (!__builtin_add_overflow(a, b, &sum) && sum >= -kInt128Max) return sum;
  return a < 0 ? -kInt128Max : kInt128Max;
}

int128 SaturatingMul(int128 a, int128 b) {
  std::optional<int128> product = CheckedMul(a, b);
  if (product.has_value() && *product >= -kInt128Max) return *product;
  return (a < 0) != (b < 0) ? -kInt128Max : kInt128Max;
}

google::type::Money MoneyFromCents(const std::string& currency, int128 cents) {
  constexpr int64_t kMaxUnits = std::numeric_limits<int64_t>::max();
  const int128 max_cents = int128{kMaxUnits} * 100 + 99;
  if (cents > max_cents) cents = max_cents;
  if (cents < -max_cents) cents = -max_cents;
  google::type::Money money;
  money.set_currency_code(currency);
  // Truncating division keeps units and nanos the same sign, as Money needs.
  money.set_units(static_cast<int64_t>(cents / 100));
  money.set_nanos(static_cast<int32_t>((cents % 100) * kNanosPerCent));
  return money;
}

google::type::Money MoneyFromNanos(const std::string& currency, int128 nanos) {
  return MoneyFromCents(currency, DivRoundHalfAway(nanos, kNanosPerCent));
}

}  // namespace salesmeet
