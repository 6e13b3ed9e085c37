#ifndef SALESMEET_COMMON_REQUEST_DECODING_H_
#define SALESMEET_COMMON_REQUEST_DECODING_H_

// A request whose bytes are not a valid message (truncated, garbage, a
// string that is not UTF-8) is the caller's mistake. gRPC 1.51 answers it
// INTERNAL with an empty message, before any handler runs; this answers it
// INVALID_ARGUMENT, saying what was expected, with the usual details.
//
// It works by specialising grpc::SerializationTraits, gRPC's extension
// point for (de)serialisation, for MessageLite. The build forces this
// header into every generated .grpc.pb.cc (proto/CMakeLists.txt): those
// are the only translation units that use these traits, so every use sees
// the same specialisation.

#include <grpcpp/impl/codegen/proto_buffer_reader.h>
#include <grpcpp/impl/codegen/proto_buffer_writer.h>
#include <grpcpp/impl/codegen/proto_utils.h>

#include <string>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace salesmeet {

// INVALID_ARGUMENT for an undecodable message of `type_name`, with a
// BadRequest naming the field "request" and an ErrorInfo in salesmeet.dev.
// (A client reading a corrupt response gets the same; our servers never
// send one.)
inline grpc::Status UndecodableMessageStatus(const std::string& type_name) {
  const std::string message =
      "the request is not a valid " + type_name +
      ": its bytes are not a protobuf message of that type (truncated or "
      "corrupt), or a string field is not valid UTF-8";
  google::rpc::Status details;
  details.set_code(grpc::StatusCode::INVALID_ARGUMENT);
  details.set_message(message);
  google::rpc::BadRequest bad_request;
  google::rpc::BadRequest::FieldViolation* violation =
      bad_request.add_field_violations();
  violation->set_field("request");
  violation->set_description(message);
  google::rpc::ErrorInfo info;
  info.set_reason("INVALID_ARGUMENT");
  info.set_domain("salesmeet.dev");
  (*info.mutable_metadata())["violations"] = "1";
  details.add_details()->PackFrom(bad_request);
  details.add_details()->PackFrom(info);
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, message,
                      details.SerializeAsString());
}

}  // namespace salesmeet

// The traits of `Type` (a message type, fully qualified), as gRPC's own but
// with an undecodable message answered as above.
#define SALESMEET_DECODE_AS_INVALID_ARGUMENT(Type)                          \
  template <>                                                               \
  class grpc::SerializationTraits<Type, void> {                             \
   public:                                                                  \
    static grpc::Status Serialize(const grpc::protobuf::MessageLite& msg,   \
                                  grpc::ByteBuffer* bb, bool* own_buffer) { \
      return grpc::GenericSerialize<grpc::ProtoBufferWriter, Type>(         \
          msg, bb, own_buffer);                                             \
    }                                                                       \
    static grpc::Status Deserialize(grpc::ByteBuffer* buffer,               \
                                    grpc::protobuf::MessageLite* msg) {     \
      grpc::Status status =                                                 \
          grpc::GenericDeserialize<grpc::ProtoBufferReader, Type>(buffer,   \
                                                                  msg);     \
      /* "No payload" (a stream half-closed early) stays as gRPC says. */   \
      if (status.ok() || buffer == nullptr) return status;                  \
      return ::salesmeet::UndecodableMessageStatus(msg->GetTypeName());     \
    }                                                                       \
  };

// Unary handlers decode every request through the traits of MessageLite
// (the generated code names it as the request's base type), so this one
// specialisation covers every unary method of every service.
SALESMEET_DECODE_AS_INVALID_ARGUMENT(grpc::protobuf::MessageLite)

// Streaming handlers decode through the request type's own traits, so each
// streaming request is listed; the hostile-input battery
// (tests/e2e/hostile_inputs_e2e_test.py) fails for one that is missing.
namespace salesmeet::scheduling::v1 {
class WatchMeetingChangesRequest;
}  // namespace salesmeet::scheduling::v1
SALESMEET_DECODE_AS_INVALID_ARGUMENT(
    ::salesmeet::scheduling::v1::WatchMeetingChangesRequest)

#endif  // SALESMEET_COMMON_REQUEST_DECODING_H_
