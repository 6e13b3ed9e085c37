#include "common/security/access_interceptor.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/server_context.h>

#include <algorithm>
#include <memory>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/json_log.h"
#include "common/rpc_observer.h"
#include "common/security/call_access.h"

namespace salesmeet {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using grpc::experimental::InterceptionHookPoints;

constexpr size_t kMaxResourceNames = 32;
constexpr int kMaxDepth = 3;

bool IsHealth(absl::string_view method) {
  return absl::StartsWith(method, "/grpc.health.v1.Health/");
}

bool IsReflection(absl::string_view method) {
  return absl::StartsWith(method, "/grpc.reflection.");
}

// Fields that hold references to resources, never free text.
bool IsReferenceField(absl::string_view field) {
  static const auto* kFields = new absl::flat_hash_set<absl::string_view>{
      "name",    "parent",        "participant", "organizer", "team",
      "manager", "account_owner", "attendee",    "meeting"};
  return kFields->contains(field);
}

// What a resource name or request id may contain; anything else (an email's
// '@', spaces, quotes) keeps the value out of the audit trail.
bool IsSafeIdentifier(absl::string_view value, bool needs_slash) {
  if (value.empty() || value.size() > 200) return false;
  if (needs_slash && !absl::StrContains(value, '/')) return false;
  return std::all_of(value.begin(), value.end(), [](char c) {
    return absl::ascii_isalnum(c) || c == '/' || c == '-' || c == '_' ||
           c == '.' || c == '~' || c == ':' || c == '+';
  });
}

void AddName(std::vector<std::string>& names, const std::string& value) {
  if (names.size() >= kMaxResourceNames || !IsSafeIdentifier(value, true)) {
    return;
  }
  if (std::find(names.begin(), names.end(), value) == names.end()) {
    names.push_back(value);
  }
}

void Collect(const Message& message, int depth,
             std::vector<std::string>& names) {
  const google::protobuf::Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (names.size() >= kMaxResourceNames) return;
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING &&
        IsReferenceField(field->name())) {
      if (field->is_repeated()) {
        const int n = std::min(reflection->FieldSize(message, field),
                               static_cast<int>(kMaxResourceNames));
        for (int i = 0; i < n; ++i) {
          AddName(names, reflection->GetRepeatedString(message, field, i));
        }
      } else {
        AddName(names, reflection->GetString(message, field));
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
               depth < kMaxDepth) {
      if (field->is_repeated()) {
        const int n = std::min(reflection->FieldSize(message, field),
                               static_cast<int>(kMaxResourceNames));
        for (int i = 0; i < n; ++i) {
          Collect(reflection->GetRepeatedMessage(message, field, i), depth + 1,
                  names);
        }
      } else {
        Collect(reflection->GetMessage(message, field), depth + 1, names);
      }
    }
  }
}

std::string RequestIdOf(const Message& message) {
  const FieldDescriptor* field =
      message.GetDescriptor()->FindFieldByName("request_id");
  if (field == nullptr || field->is_repeated() ||
      field->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
    return "";
  }
  std::string id = message.GetReflection()->GetString(message, field);
  if (id.empty()) return "";
  return IsSafeIdentifier(id, false) ? id : "(not shown)";
}

// Turns a reflection response into an error response (PERMISSION_DENIED)
// for a caller the policy does not grant reflection.
std::unique_ptr<Message> ReflectionDenial(const Message& response,
                                          const std::string& text) {
  std::unique_ptr<Message> denial(response.New());
  const FieldDescriptor* error =
      denial->GetDescriptor()->FindFieldByName("error_response");
  if (error == nullptr) return nullptr;
  Message* body = denial->GetReflection()->MutableMessage(denial.get(), error);
  const FieldDescriptor* code =
      body->GetDescriptor()->FindFieldByName("error_code");
  const FieldDescriptor* message =
      body->GetDescriptor()->FindFieldByName("error_message");
  if (code == nullptr || message == nullptr) return nullptr;
  body->GetReflection()->SetInt32(body, code, grpc::PERMISSION_DENIED);
  body->GetReflection()->SetString(body, message, text);
  return denial;
}

class AccessInterceptor : public grpc::experimental::Interceptor {
 public:
  AccessInterceptor(AccessGuard* guard, grpc::experimental::ServerRpcInfo* info)
      : guard_(guard),
        info_(info),
        method_(info->method()),
        audited_(IsStateChanging(method_)) {}

  ~AccessInterceptor() override {
    if (filed_) ForgetCallAccess(info_->server_context());
    if (holds_stream_) guard_->EndStream(principal_);
  }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      Decide(*methods->GetRecvInitialMetadata());
    }
    if (audited_ && methods->QueryInterceptionHookPoint(
                        InterceptionHookPoints::POST_RECV_MESSAGE)) {
      if (const void* request = methods->GetRecvMessage(); request) {
        const Message& message = *static_cast<const Message*>(request);
        request_id_ = RequestIdOf(message);
        CollectResourceNames(message, resources_);
      }
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      const void* response = methods->GetSendMessage();
      if (response != nullptr && audited_) {
        CollectResourceNames(*static_cast<const Message*>(response),
                             resources_);
      }
      if (response != nullptr && IsReflection(method_) && !refusal_.ok()) {
        denial_ = ReflectionDenial(*static_cast<const Message*>(response),
                                   std::string(refusal_.message()));
        if (denial_ != nullptr) methods->ModifySendMessage(denial_.get());
      }
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      if (audited_) Audit(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  void Decide(
      const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
    std::shared_ptr<const grpc::AuthContext> auth =
        info_->server_context()->auth_context();
    if (guard_ == nullptr) {
      principal_ = CertificateIdentity(auth.get()).principal;
      return;
    }
    if (IsHealth(method_)) return;  // Health stays open.
    absl::string_view authorization;
    if (auto it = metadata.find("authorization"); it != metadata.end()) {
      authorization = absl::string_view(it->second.data(), it->second.size());
    }
    const bool stream =
        info_->type() ==
        grpc::experimental::ServerRpcInfo::Type::SERVER_STREAMING;
    CallAccess access =
        guard_->Admit(method_, auth.get(), authorization, stream);
    principal_ = access.principal;
    holds_stream_ = access.holds_stream;
    refusal_ = access.status;
    FileCallAccess(info_->server_context(),
                   FiledAccess{access.status, access.principal, access.pii});
    filed_ = true;
  }

  void Audit(grpc::StatusCode code) {
    LogJson(LogLevel::kInfo, "audit",
            {{"principal", principal_.empty() ? "anonymous" : principal_},
             {"method", method_},
             {"resources", resources_},
             {"request_id", request_id_},
             {"code", StatusCodeName(code)}});
  }

  AccessGuard* guard_;
  grpc::experimental::ServerRpcInfo* info_;
  const std::string method_;
  const bool audited_;
  bool filed_ = false;
  bool holds_stream_ = false;
  std::string principal_;
  absl::Status refusal_;
  std::string request_id_;
  std::vector<std::string> resources_;
  std::unique_ptr<Message> denial_;
};

}  // namespace

bool IsStateChanging(absl::string_view method) {
  if (IsHealth(method) || IsReflection(method)) return false;
  const size_t slash = method.rfind('/');
  absl::string_view verb =
      slash == absl::string_view::npos ? method : method.substr(slash + 1);
  for (absl::string_view read :
       {"Get", "BatchGet", "List", "Query", "Find", "Watch", "Export"}) {
    if (absl::StartsWith(verb, read)) return false;
  }
  return true;
}

void CollectResourceNames(const Message& message,
                          std::vector<std::string>& names) {
  Collect(message, 0, names);
}

grpc::experimental::Interceptor*
AccessInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new AccessInterceptor(guard_, info);
}

}  // namespace salesmeet
