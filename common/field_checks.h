#ifndef SALESMEET_COMMON_FIELD_CHECKS_H_
#define SALESMEET_COMMON_FIELD_CHECKS_H_

// Checks for the field types every service receives: resource names and ids,
// idempotency keys, time zones, money, durations and timestamps. Each adds
// its finding, with the field's path, to a FieldErrors.

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/errors.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/money.pb.h"

namespace salesmeet {

// AIP-122 ids: 1-63 characters of [a-z0-9-], starting with a letter and not
// ending with a hyphen.
bool IsValidResourceId(absl::string_view id);

// A fresh server-chosen id that satisfies IsValidResourceId: `prefix` (a
// lowercase letter) followed by 15 random lowercase letters and digits.
std::string GenerateResourceId(char prefix);

// "participants/ada" with collection "participants" -> "ada". On a malformed
// name, adds an error for `field` and returns "".
std::string ParseResourceName(absl::string_view name,
                              absl::string_view collection,
                              absl::string_view field, FieldErrors& errors);

// The id part of a well-formed name: "teams/emea" -> "emea".
std::string IdFromName(absl::string_view name);

// The number of characters (Unicode code points) in UTF-8 text; limits in
// the API are in characters, not bytes.
size_t Utf8Length(absl::string_view text);

// Idempotency keys: 1-64 characters of letters, digits, '-' and '_'.
void CheckRequestId(absl::string_view request_id, absl::string_view field,
                    FieldErrors& errors);

// Loads an IANA zone such as "Europe/Rome". Refuses anything else, including
// file paths and "localtime", whose meaning depends on the host.
absl::StatusOr<absl::TimeZone> LoadIanaTimeZone(absl::string_view name);
void CheckTimeZone(absl::string_view name, absl::string_view field,
                   FieldErrors& errors);

// An active ISO 4217 code such as "EUR".
bool IsIsoCurrencyCode(absl::string_view code);

// No amount the API accepts is larger: a quadrillion units (10^15) is
// beyond any deal in any currency, and keeps every sum exact in 128 bits.
inline constexpr int64_t kMaxMoneyUnits = 1'000'000'000'000'000;
// No hourly cost is larger: a billion units an hour (about 59,000 EUR in
// IDR, the largest-unit currency in use), so that a meeting's cost, 100
// attendees over a whole year, stays exact in google.type.Money.
inline constexpr int64_t kMaxHourlyCostUnits = 1'000'000'000;

// Well-formed money in an ISO currency (units and nanos agree in sign,
// |nanos| < 1e9, |units| <= max_units); with `allow_negative` false, also
// not below zero.
void CheckMoney(const google::type::Money& money, bool allow_negative,
                absl::string_view field, FieldErrors& errors,
                int64_t max_units = kMaxMoneyUnits);

// A well-formed duration strictly between zero and `max` (inclusive).
void CheckPositiveDuration(const google::protobuf::Duration& duration,
                           absl::Duration max, absl::string_view field,
                           FieldErrors& errors);

// A well-formed timestamp between years 1 and 9999.
bool IsValidTimestamp(const google::protobuf::Timestamp& timestamp);

absl::Time ToAbslTime(const google::protobuf::Timestamp& timestamp);
google::protobuf::Timestamp ToProtoTime(absl::Time time);
absl::Duration ToAbslDuration(const google::protobuf::Duration& duration);
google::protobuf::Duration ToProtoDuration(absl::Duration duration);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_FIELD_CHECKS_H_
