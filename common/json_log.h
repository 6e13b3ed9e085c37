#ifndef SALESMEET_COMMON_JSON_LOG_H_
#define SALESMEET_COMMON_JSON_LOG_H_

// One JSON object per line on stderr, the format log collectors in Kubernetes
// parse without configuration. Callers never pass emails or tokens.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace salesmeet {

// A field value is either text or a number; numbers are written unquoted.
struct LogField {
  LogField(absl::string_view k, absl::string_view v)
      : key(k), text(v), is_number(false) {}
  LogField(absl::string_view k, const char* v)
      : key(k), text(v), is_number(false) {}
  LogField(absl::string_view k, const std::string& v)
      : key(k), text(v), is_number(false) {}
  LogField(absl::string_view k, int64_t v);
  LogField(absl::string_view k, int v) : LogField(k, int64_t{v}) {}
  LogField(absl::string_view k, double v);
  // A JSON array of strings.
  LogField(absl::string_view k, const std::vector<std::string>& list);

  std::string key;
  std::string text;
  bool is_number;  // Written as is (numbers, arrays), not as a string.
};

enum class LogLevel { kInfo, kWarning, kError };

// Writes {"ts":...,"level":...,"msg":...,<fields>} as one line. Thread-safe;
// a line is written with a single call so lines never interleave.
void LogJson(LogLevel level, absl::string_view message,
             const std::vector<LogField>& fields = {});

// Sends libprotobuf's own log (for example "String field contains invalid
// UTF-8" when a request is undecodable) through LogJson, so that stderr
// stays one JSON object per line. Once per process, before serving.
void RouteProtobufLogToJson();

// Escapes a string for inclusion inside JSON double quotes.
std::string JsonEscape(absl::string_view text);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_JSON_LOG_H_
