// Page tokens (common/page_token.h). The input's first byte picks what the
// rest is:
//   even: a token a caller sent back, decoded for ListParticipants with an
//         empty filter (the seeds hold real tokens, sealed with
//         kPageTokenSecret);
//   odd:  a cursor, encoded and then decoded again, which must give the
//         cursor back, and be refused for another query, another list
//         method, a different key, once expired, and after any change to
//         the token's bytes that changes what it decodes to.
// Also EffectivePageSize, with sizes taken from the input.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "absl/strings/escaping.h"
#include "common/page_token.h"
#include "tests/fuzz/fuzz_support.h"

namespace salesmeet::fuzz {
namespace {

constexpr absl::Duration kLifetime = absl::Hours(24);

const PageTokenCodec& Codec() {
  static const auto* codec = new PageTokenCodec(kPageTokenSecret, kLifetime);
  return *codec;
}

void CheckPageSize(absl::string_view bytes) {
  if (bytes.size() < 4) return;
  int32_t requested;
  std::memcpy(&requested, bytes.data(), sizeof(requested));
  absl::StatusOr<int> size = EffectivePageSize(requested, 50, 1000);
  if (requested < 0) {
    Check(!size.ok(), "a negative page size is refused");
  } else {
    Check(size.ok() && *size >= 1 && *size <= 1000,
          "a page size is between 1 and the maximum");
  }
}

void DecodeSentToken(absl::string_view token) {
  absl::StatusOr<std::string> cursor =
      Codec().Decode(token, "ListParticipants", "", FuzzNow());
  if (!cursor.ok()) {
    Check(cursor.status().code() == absl::StatusCode::kInvalidArgument,
          "a bad page token is INVALID_ARGUMENT");
  }
}

void RoundTrip(absl::string_view cursor) {
  const absl::Time now = FuzzNow();
  const std::string token = Codec().Encode("ListMeetings", "q", cursor, now);
  absl::StatusOr<std::string> back =
      Codec().Decode(token, "ListMeetings", "q", now + absl::Hours(1));
  Check(back.ok() && *back == cursor, "a token gives its cursor back");
  Check(!Codec().Decode(token, "ListMeetings", "r", now).ok(),
        "a token is refused for another query");
  Check(!Codec().Decode(token, "ListTeams", "q", now).ok(),
        "a token is refused for another list method");
  Check(!Codec()
             .Decode(token, "ListMeetings", "q",
                     now + kLifetime + absl::Seconds(1))
             .ok(),
        "an expired token is refused");
  const PageTokenCodec other("another key", kLifetime);
  Check(!other.Decode(token, "ListMeetings", "q", now).ok(),
        "a token is refused under another key");

  // Flip one bit, chosen by the cursor; a token that still decodes must
  // decode to the very same bytes (base64 may ignore a final char's
  // spare bits), since the seal covers them all.
  if (token.empty()) return;
  std::string altered = token;
  const size_t at = cursor.empty() ? 0 : static_cast<uint8_t>(cursor[0]);
  altered[at % altered.size()] ^= static_cast<char>(1 << (at % 6));
  absl::StatusOr<std::string> tampered =
      Codec().Decode(altered, "ListMeetings", "q", now);
  if (tampered.ok()) {
    std::string original_bytes, altered_bytes;
    Check(absl::WebSafeBase64Unescape(token, &original_bytes) &&
              absl::WebSafeBase64Unescape(altered, &altered_bytes) &&
              original_bytes == altered_bytes,
          "an altered token is refused");
  }
}

}  // namespace
}  // namespace salesmeet::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace salesmeet::fuzz;
  if (size == 0) return 0;
  const absl::string_view rest(reinterpret_cast<const char*>(data) + 1,
                               size - 1);
  CheckPageSize(rest);
  if (data[0] % 2 == 0) {
    DecodeSentToken(rest);
  } else {
    RoundTrip(rest);
  }
  return 0;
}
