#include "common/field_checks.h"

#include <algorithm>
#include <array>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace salesmeet {
namespace {

// Active ISO 4217 codes (list maintained by SIX on behalf of ISO), sorted
// for binary search. Funds and precious-metal codes are left out: nobody is
// paid by the hour in gold.
constexpr std::array<absl::string_view, 154> kIsoCurrencies = {
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN",
    "BAM", "BBD", "BDT", "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL",
    "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CLP", "CNY",
    "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP",
    "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD",
    "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR",
    "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF",
    "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL",
    "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR",
    "MVR", "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR",
    "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR",
    "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD",
    "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB",
    "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX",
    "USD", "UYU", "UZS", "VES", "VND", "VUV", "WST", "XAF", "XCD", "XOF",
    "XPF", "YER", "ZAR", "ZMW"};

bool IsWellFormedDuration(const google::protobuf::Duration& d) {
  if (d.nanos() <= -1'000'000'000 || d.nanos() >= 1'000'000'000) return false;
  return !((d.seconds() > 0 && d.nanos() < 0) ||
           (d.seconds() < 0 && d.nanos() > 0));
}

}  // namespace

bool IsValidResourceId(absl::string_view id) {
  if (id.empty() || id.size() > 63) return false;
  if (!absl::ascii_islower(id.front()) || id.back() == '-') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-';
  });
}

std::string GenerateResourceId(char prefix) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  thread_local absl::BitGen bits;
  std::string id(1, prefix);
  for (int i = 0; i < 15; ++i) {
    id.push_back(kAlphabet[absl::Uniform(bits, 0u, sizeof(kAlphabet) - 1)]);
  }
  return id;
}

std::string ParseResourceName(absl::string_view name,
                              absl::string_view collection,
                              absl::string_view field, FieldErrors& errors) {
  const std::string prefix = absl::StrCat(collection, "/");
  if (name.empty()) {
    errors.Add(field, absl::StrCat("is required, as \"", prefix, "{id}\""));
    return "";
  }
  if (!absl::StartsWith(name, prefix) ||
      !IsValidResourceId(name.substr(prefix.size()))) {
    errors.Add(field, absl::StrCat("must look like \"", prefix,
                                   "{id}\" with a lowercase id"));
    return "";
  }
  return std::string(name.substr(prefix.size()));
}

std::string IdFromName(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return std::string(slash == absl::string_view::npos ? name
                                                      : name.substr(slash + 1));
}

size_t Utf8Length(absl::string_view text) {
  // Every code point has exactly one byte that is not a continuation byte.
  return std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
}

void CheckRequestId(absl::string_view request_id, absl::string_view field,
                    FieldErrors& errors) {
  if (request_id.empty()) return;
  const bool ok = request_id.size() <= 64 &&
                  std::all_of(request_id.begin(), request_id.end(), [](char c) {
                    return absl::ascii_isalnum(c) || c == '-' || c == '_';
                  });
  if (!ok) {
    errors.Add(field,
               "must be 1 to 64 letters, digits, '-' or '_' (a UUID works)");
  }
}

absl::StatusOr<absl::TimeZone> LoadIanaTimeZone(absl::string_view name) {
  const bool plausible = !name.empty() && name.size() <= 64 &&
                         name != "localtime" && name.front() != '/' &&
                         !absl::StrContains(name, "..") &&
                         std::all_of(name.begin(), name.end(), [](char c) {
                           return absl::ascii_isalnum(c) || c == '/' ||
                                  c == '_' || c == '-' || c == '+';
                         });
  absl::TimeZone zone;
  if (!plausible || !absl::LoadTimeZone(std::string(name), &zone)) {
    return absl::InvalidArgumentError(absl::StrCat(
        Quoted(name), " is not an IANA time zone such as \"Europe/Rome\""));
  }
  return zone;
}

void CheckTimeZone(absl::string_view name, absl::string_view field,
                   FieldErrors& errors) {
  if (name.empty()) {
    errors.Add(field, "is required, e.g. \"Europe/Rome\"");
    return;
  }
  absl::StatusOr<absl::TimeZone> zone = LoadIanaTimeZone(name);
  if (!zone.ok()) errors.Add(field, zone.status().message());
}

bool IsIsoCurrencyCode(absl::string_view code) {
  return std::binary_search(kIsoCurrencies.begin(), kIsoCurrencies.end(), code);
}

void CheckMoney(const google::type::Money& money, bool allow_negative,
                absl::string_view field, FieldErrors& errors,
                int64_t max_units) {
  if (!IsIsoCurrencyCode(money.currency_code())) {
    errors.Add(absl::StrCat(field, ".currency_code"),
               absl::StrCat(Quoted(money.currency_code()),
                            " is not an ISO 4217 currency code such as "
                            "\"EUR\""));
  }
  if (money.nanos() <= -1'000'000'000 || money.nanos() >= 1'000'000'000 ||
      (money.units() > 0 && money.nanos() < 0) ||
      (money.units() < 0 && money.nanos() > 0)) {
    errors.Add(absl::StrCat(field, ".nanos"),
               "must be within ±999,999,999 and have the sign of units");
  } else if (!allow_negative && (money.units() < 0 || money.nanos() < 0)) {
    errors.Add(field, "must not be negative");
  } else if (money.units() > max_units || money.units() < -max_units) {
    errors.Add(
        absl::StrCat(field, ".units"),
        absl::StrCat("must be at most ", max_units, " in absolute value"));
  }
}

void CheckPositiveDuration(const google::protobuf::Duration& duration,
                           absl::Duration max, absl::string_view field,
                           FieldErrors& errors) {
  if (!IsWellFormedDuration(duration)) {
    errors.Add(field, "is not a well-formed duration");
    return;
  }
  const absl::Duration d = ToAbslDuration(duration);
  if (d <= absl::ZeroDuration()) {
    errors.Add(field, "must be positive");
  } else if (d > max) {
    errors.Add(field,
               absl::StrCat("must be at most ", absl::FormatDuration(max)));
  }
}

bool IsValidTimestamp(const google::protobuf::Timestamp& timestamp) {
  // 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, as the JSON mapping allows.
  return timestamp.seconds() >= -62135596800 &&
         timestamp.seconds() <= 253402300799 && timestamp.nanos() >= 0 &&
         timestamp.nanos() < 1'000'000'000;
}

absl::Time ToAbslTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) +
         absl::Nanoseconds(timestamp.nanos());
}

google::protobuf::Timestamp ToProtoTime(absl::Time time) {
  google::protobuf::Timestamp out;
  const int64_t seconds = absl::ToUnixSeconds(time);
  out.set_seconds(seconds);
  out.set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds))));
  return out;
}

absl::Duration ToAbslDuration(const google::protobuf::Duration& duration) {
  return absl::Seconds(duration.seconds()) +
         absl::Nanoseconds(duration.nanos());
}

google::protobuf::Duration ToProtoDuration(absl::Duration duration) {
  google::protobuf::Duration out;
  const int64_t seconds =
      absl::IDivDuration(duration, absl::Seconds(1), &duration);
  out.set_seconds(seconds);
  out.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(duration)));
  return out;
}

}  // namespace salesmeet
