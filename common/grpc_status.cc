#include "common/grpc_status.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/strip.h"
#include "common/errors.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/rpc/error_details.pb.h"

namespace salesmeet {
namespace {

// The serialized google.rpc.Status trailer is sent base64-encoded (4/3 of
// this) and the message percent-encoded (up to 3 bytes per byte of
// non-ASCII text); with these bounds both stay well inside the 8 KiB of
// metadata a default client accepts.
constexpr size_t kMaxDetailsBytes = 3000;

// Shrinks `message` towards `budget` bytes: halves its longest repeated
// field until it fits, then cuts its strings. Used on details that some
// builder let grow, so that the caller still gets the real code.
void ShrinkToFit(google::protobuf::Message& message, size_t budget) {
  const google::protobuf::Reflection* reflection = message.GetReflection();
  const google::protobuf::Descriptor* descriptor = message.GetDescriptor();
  while (message.ByteSizeLong() > budget) {
    const google::protobuf::FieldDescriptor* longest = nullptr;
    int longest_size = 1;
    for (int i = 0; i < descriptor->field_count(); ++i) {
      const google::protobuf::FieldDescriptor* field = descriptor->field(i);
      if (!field->is_repeated()) continue;
      const int size = reflection->FieldSize(message, field);
      if (size > longest_size) {
        longest = field;
        longest_size = size;
      }
    }
    if (longest == nullptr) break;
    for (int keep = longest_size / 2; longest_size > keep; --longest_size) {
      reflection->RemoveLast(&message, longest);
    }
  }
  if (message.ByteSizeLong() <= budget) return;
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    if (field->is_repeated() ||
        field->type() != google::protobuf::FieldDescriptor::TYPE_STRING) {
      continue;
    }
    reflection->SetString(
        &message, field,
        TruncateUtf8(reflection->GetString(message, field), 64));
  }
}

// Keeps the details within kMaxDetailsBytes: ErrorInfo always (it carries
// the reason callers branch on), the others shrunk, or dropped if they
// cannot be read back.
void BoundDetails(google::rpc::Status& rpc_status) {
  if (rpc_status.ByteSizeLong() <= kMaxDetailsBytes) return;
  const size_t others = std::max(1, rpc_status.details_size() - 1);
  const size_t share = kMaxDetailsBytes / others;
  google::rpc::Status bounded;
  bounded.set_code(rpc_status.code());
  bounded.set_message(rpc_status.message());
  for (google::protobuf::Any& any : *rpc_status.mutable_details()) {
    const std::string type_name(
        absl::StripPrefix(any.type_url(), "type.googleapis.com/"));
    const google::protobuf::Descriptor* descriptor =
        google::protobuf::DescriptorPool::generated_pool()
            ->FindMessageTypeByName(type_name);
    if (descriptor == nullptr) continue;
    std::unique_ptr<google::protobuf::Message> detail(
        google::protobuf::MessageFactory::generated_factory()
            ->GetPrototype(descriptor)
            ->New());
    if (!detail->ParseFromString(any.value())) continue;
    if (descriptor != google::rpc::ErrorInfo::descriptor()) {
      ShrinkToFit(*detail, share);
      if (detail->ByteSizeLong() > share) continue;
    } else {
      ShrinkToFit(*detail, kMaxDetailsBytes / 2);
    }
    google::protobuf::Any* out = bounded.add_details();
    out->set_type_url(any.type_url());
    out->set_value(detail->SerializeAsString());
  }
  rpc_status = std::move(bounded);
}

}  // namespace

google::rpc::Status ToRpcStatus(const absl::Status& status) {
  google::rpc::Status rpc_status;
  rpc_status.set_code(static_cast<int>(status.code()));
  rpc_status.set_message(TruncateUtf8(status.message(), kMaxMessageBytes));
  status.ForEachPayload(
      [&rpc_status](absl::string_view type_url, const absl::Cord& payload) {
        google::protobuf::Any* any = rpc_status.add_details();
        any->set_type_url(std::string(type_url));
        any->set_value(std::string(payload));
      });
  BoundDetails(rpc_status);
  return rpc_status;
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const google::rpc::Status rpc_status = ToRpcStatus(status);
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      rpc_status.message(), rpc_status.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status out(static_cast<absl::StatusCode>(status.error_code()),
                   status.error_message());
  google::rpc::Status rpc_status;
  if (!status.error_details().empty() &&
      rpc_status.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& any : rpc_status.details()) {
      out.SetPayload(any.type_url(), absl::Cord(any.value()));
    }
  }
  return out;
}

}  // namespace salesmeet
