#include "common/json_log.h"

#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/stubs/logging.h"

namespace salesmeet {

LogField::LogField(absl::string_view k, int64_t v)
    : key(k), text(absl::StrCat(v)), is_number(true) {}

LogField::LogField(absl::string_view k, double v)
    : key(k), text(absl::StrFormat("%.3f", v)), is_number(true) {}

LogField::LogField(absl::string_view k, const std::vector<std::string>& list)
    : key(k), text("["), is_number(true) {
  for (size_t i = 0; i < list.size(); ++i) {
    absl::StrAppend(&text, i == 0 ? "\"" : ",\"", JsonEscape(list[i]), "\"");
  }
  text += "]";
}

std::string JsonEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out;
}

void RouteProtobufLogToJson() {
  google::protobuf::SetLogHandler([](google::protobuf::LogLevel level,
                                     const char* filename, int line,
                                     const std::string& message) {
    // Its ERRORs are about messages it was given, in a server mostly a
    // caller's undecodable request (answered INVALID_ARGUMENT): worth a
    // warning, not an operator's error.
    const LogLevel ours =
        level >= google::protobuf::LOGLEVEL_FATAL     ? LogLevel::kError
        : level >= google::protobuf::LOGLEVEL_WARNING ? LogLevel::kWarning
                                                      : LogLevel::kInfo;
    LogJson(ours, "libprotobuf",
            {{"detail", message},
             {"source",
              absl::StrCat(filename == nullptr ? "" : filename, ":", line)}});
  });
}

void LogJson(LogLevel level, absl::string_view message,
             const std::vector<LogField>& fields) {
  const char* level_name = level == LogLevel::kInfo      ? "info"
                           : level == LogLevel::kWarning ? "warning"
                                                         : "error";
  std::string line =
      absl::StrCat("{\"ts\":\"",
                   absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                    absl::UTCTimeZone()),
                   "\",\"level\":\"", level_name, "\",\"msg\":\"",
                   JsonEscape(message), "\"");
  for (const LogField& f : fields) {
    absl::StrAppend(&line, ",\"", JsonEscape(f.key), "\":");
    if (f.is_number) {
      absl::StrAppend(&line, f.text);
    } else {
      absl::StrAppend(&line, "\"", JsonEscape(f.text), "\"");
    }
  }
  line += "}\n";
  // One write(2) per line: atomic for pipes up to PIPE_BUF, and never
  // interleaved by stdio buffering across threads.
  const char* data = line.data();
  size_t left = line.size();
  while (left > 0) {
    ssize_t n = write(STDERR_FILENO, data, left);
    if (n <= 0) return;
    data += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace salesmeet
