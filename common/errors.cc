#include "common/errors.h"

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

}  // namespace

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

absl::Status InvalidFieldsError(const std::vector<FieldViolation>& fields) {
  google::rpc::BadRequest bad_request;
  std::vector<std::string> parts;
  for (const FieldViolation& v : fields) {
    auto* out = bad_request.add_field_violations();
    out->set_field(v.field);
    out->set_description(v.description);
    parts.push_back(absl::StrCat(v.field, ": ", v.description));
  }
  absl::Status status =
      Make(absl::StatusCode::kInvalidArgument, absl::StrJoin(parts, "; "),
           reason::kInvalidArgument);
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
  violations_.push_back({std::string(field), std::string(description)});
}

absl::Status FieldErrors::ToStatus() const {
  if (violations_.empty()) return absl::OkStatus();
  return InvalidFieldsError(violations_);
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

}  // namespace salesmeet
