#include "common/errors.h"

#include <algorithm>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace salesmeet {
namespace {

// Payload keys are the Any type URLs, so the edge can copy them verbatim.
std::string TypeUrl(const google::protobuf::Message& m) {
  return absl::StrCat("type.googleapis.com/", m.GetDescriptor()->full_name());
}

void Attach(absl::Status& status, const google::protobuf::Message& detail) {
  status.SetPayload(TypeUrl(detail), absl::Cord(detail.SerializeAsString()));
}

template <typename T>
bool ReadPayload(const absl::Status& status, T* out) {
  T probe;
  absl::optional<absl::Cord> payload = status.GetPayload(TypeUrl(probe));
  if (!payload.has_value()) return false;
  return out->ParseFromString(std::string(*payload));
}

absl::Status Make(absl::StatusCode code, absl::string_view message,
                  absl::string_view reason) {
  return WithErrorInfo(absl::Status(code, message), reason);
}

// The length in bytes of the well-formed UTF-8 character at the start of
// `text`, or 0 when it does not start with one.
size_t Utf8CharLength(absl::string_view text) {
  const auto byte = [&](size_t i) {
    return static_cast<unsigned char>(text[i]);
  };
  const auto continuation = [&](size_t i) {
    return i < text.size() && (byte(i) & 0xC0) == 0x80;
  };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return continuation(1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (!continuation(1) || !continuation(2)) return 0;
    if (lead == 0xE0 && byte(1) < 0xA0) return 0;  // overlong
    if (lead == 0xED && byte(1) > 0x9F) return 0;  // surrogate
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (lead == 0xF0 && byte(1) < 0x90) return 0;  // overlong
    if (lead == 0xF4 && byte(1) > 0x8F) return 0;  // past U+10FFFF
    return 4;
  }
  return 0;
}

constexpr absl::string_view kEllipsis = "\xE2\x80\xA6";
constexpr absl::string_view kReplacement = "\xEF\xBF\xBD";

}  // namespace

std::string TruncateUtf8(absl::string_view text, size_t max_bytes) {
  // The valid text, stopping once it is longer than the budget.
  std::string out;
  size_t i = 0;
  while (i < text.size() && out.size() <= max_bytes) {
    const size_t n = Utf8CharLength(text.substr(i));
    absl::StrAppend(&out, n == 0 ? kReplacement : text.substr(i, n));
    i += std::max<size_t>(n, 1);
  }
  if (i == text.size() && out.size() <= max_bytes) return out;
  // Cut back to a character boundary that leaves room for the ellipsis.
  if (max_bytes < kEllipsis.size()) return "";
  size_t cut = max_bytes - kEllipsis.size();
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  out.resize(cut);
  absl::StrAppend(&out, kEllipsis);
  return out;
}

std::string Quoted(absl::string_view value) {
  std::string out = "\"";
  size_t chars = 0, i = 0;
  while (i < value.size() && chars < kMaxEchoedChars) {
    const size_t n = Utf8CharLength(value.substr(i));
    const unsigned char c = static_cast<unsigned char>(value[i]);
    if (n == 0) {
      absl::StrAppend(&out, kReplacement);
    } else if (c < 0x20 || c == 0x7F) {
      absl::StrAppend(&out, "\\x", absl::Hex(c, absl::kZeroPad2));
    } else {
      absl::StrAppend(&out, value.substr(i, n));
    }
    i += std::max<size_t>(n, 1);
    ++chars;
  }
  out += "\"";
  if (i < value.size()) {
    // Counted in bytes: the rest may not be valid UTF-8.
    absl::StrAppend(&out, kEllipsis, " (+", value.size() - i, " bytes)");
  }
  return out;
}

absl::Status WithErrorInfo(absl::Status status, absl::string_view reason,
                           const std::map<std::string, std::string>& metadata) {
  if (status.ok()) return status;
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  for (const auto& [key, value] : metadata) {
    (*info.mutable_metadata())[key] = value;
  }
  Attach(status, info);
  return status;
}

absl::Status InvalidFieldError(absl::string_view field,
                               absl::string_view description) {
  return InvalidFieldsError({{std::string(field), std::string(description)}});
}

absl::Status InvalidFieldsError(const std::vector<FieldViolation>& fields,
                                size_t total) {
  // The message names the first few; the details list up to
  // kMaxListedViolations, each cut to a bounded size.
  constexpr size_t kNamedInMessage = 3;
  total = std::max(total, fields.size());
  google::rpc::BadRequest bad_request;
  std::vector<std::string> parts;
  for (const FieldViolation& v : fields) {
    if (static_cast<size_t>(bad_request.field_violations_size()) >=
        kMaxListedViolations) {
      break;
    }
    auto* out = bad_request.add_field_violations();
    out->set_field(TruncateUtf8(v.field, kMaxFieldPathBytes));
    out->set_description(TruncateUtf8(v.description, kMaxDescriptionBytes));
    if (parts.size() < kNamedInMessage) {
      parts.push_back(absl::StrCat(out->field(), ": ", out->description()));
    }
  }
  std::string message = absl::StrJoin(parts, "; ");
  if (total > parts.size()) {
    absl::StrAppend(
        &message, "; and ",
        CountOf(total - parts.size(), "more problem", "more problems"),
        total > static_cast<size_t>(bad_request.field_violations_size())
            ? absl::StrCat(" (", bad_request.field_violations_size(), " of ",
                           total, " are listed in details)")
            : " (see details)");
  }
  absl::Status status = WithErrorInfo(
      absl::InvalidArgumentError(TruncateUtf8(message, kMaxMessageBytes)),
      reason::kInvalidArgument, {{"violations", absl::StrCat(total)}});
  Attach(status, bad_request);
  return status;
}

absl::Status ResourceNotFoundError(absl::string_view resource_type,
                                   absl::string_view resource_name) {
  absl::Status status =
      Make(absl::StatusCode::kNotFound,
           absl::StrCat(resource_name, " does not exist"), reason::kNotFound);
  google::rpc::ResourceInfo info;
  info.set_resource_type(std::string(resource_type));
  info.set_resource_name(std::string(resource_name));
  info.set_description("not found");
  Attach(status, info);
  return status;
}

absl::Status ResourceExistsError(absl::string_view resource_type,
                                 absl::string_view resource_name,
                                 absl::string_view message) {
  absl::Status status =
      Make(absl::StatusCode::kAlreadyExists, message, reason::kAlreadyExists);
  google::rpc::ResourceInfo info;
  info.set_resource_type(std::string(resource_type));
  info.set_resource_name(std::string(resource_name));
  info.set_description(std::string(message));
  Attach(status, info);
  return status;
}

absl::Status FailedPreconditionError(
    absl::string_view reason, absl::string_view message,
    const std::vector<PreconditionViolation>& violations) {
  absl::Status status =
      Make(absl::StatusCode::kFailedPrecondition, message, reason);
  google::rpc::PreconditionFailure failure;
  for (const PreconditionViolation& v : violations) {
    auto* out = failure.add_violations();
    out->set_type(v.type);
    out->set_subject(v.subject);
    out->set_description(v.description);
  }
  Attach(status, failure);
  return status;
}

absl::Status EtagMismatchError(absl::string_view resource_name) {
  return WithErrorInfo(
      absl::AbortedError(absl::StrCat(
          resource_name,
          " was changed since the etag was read; read it again and retry")),
      reason::kEtagMismatch, {{"resource", std::string(resource_name)}});
}

absl::Status WithDetail(absl::Status status,
                        const google::protobuf::Message& detail) {
  if (!status.ok()) Attach(status, detail);
  return status;
}

std::string CountOf(size_t count, absl::string_view singular,
                    absl::string_view plural) {
  return absl::StrCat(count, " ", count == 1 ? singular : plural);
}

void FieldErrors::Add(absl::string_view field, absl::string_view description) {
  ++total_;
  if (violations_.size() >= kMaxListedViolations) return;
  violations_.push_back({TruncateUtf8(field, kMaxFieldPathBytes),
                         TruncateUtf8(description, kMaxDescriptionBytes)});
}

absl::Status FieldErrors::ToStatus() const {
  if (total_ == 0) return absl::OkStatus();
  return InvalidFieldsError(violations_, total_);
}

bool GetBadRequest(const absl::Status& status, google::rpc::BadRequest* out) {
  return ReadPayload(status, out);
}

bool GetPreconditionFailure(const absl::Status& status,
                            google::rpc::PreconditionFailure* out) {
  return ReadPayload(status, out);
}

bool GetErrorInfo(const absl::Status& status, google::rpc::ErrorInfo* out) {
  return ReadPayload(status, out);
}

bool GetResourceInfo(const absl::Status& status,
                     google::rpc::ResourceInfo* out) {
  return ReadPayload(status, out);
}

bool GetRetryInfo(const absl::Status& status, google::rpc::RetryInfo* out) {
  return ReadPayload(status, out);
}

}  // namespace salesmeet
