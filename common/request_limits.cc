#include "common/request_limits.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "google/protobuf/descriptor.h"

namespace salesmeet {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The first character that text may not hold, or -1.
int ForbiddenControlCharacter(const std::string& text) {
  for (const char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if ((u < 0x20 && u != '\t' && u != '\n' && u != '\r') || u == 0x7F) {
      return u;
    }
  }
  return -1;
}

std::string Join(const std::string& prefix, absl::string_view name) {
  return prefix.empty() ? std::string(name) : absl::StrCat(prefix, ".", name);
}

void CheckString(const std::string& text, const std::string& path,
                 FieldErrors& errors) {
  if (text.size() > kMaxRequestStringBytes) {
    errors.Add(path, absl::StrCat("is ", text.size(), " bytes long; at most ",
                                  kMaxRequestStringBytes, " are accepted"));
    return;
  }
  const int bad = ForbiddenControlCharacter(text);
  if (bad >= 0) {
    errors.Add(path, absl::StrCat("holds the control character U+",
                                  absl::Hex(bad, absl::kZeroPad4),
                                  "; text may not contain control characters "
                                  "other than tab and line breaks"));
  }
}

void CheckMessage(const Message& message, const std::string& prefix,
                  FieldErrors& errors) {
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);  // only the fields that are set
  for (const FieldDescriptor* field : fields) {
    const std::string path = Join(prefix, field->name());
    if (field->is_repeated()) {
      const int count = reflection->FieldSize(message, field);
      if (count > kMaxRequestRepeated) {
        errors.Add(path, absl::StrCat("has ", count, " entries; at most ",
                                      kMaxRequestRepeated, " are accepted"));
        continue;  // none of them is looked at
      }
      for (int i = 0; i < count; ++i) {
        const std::string item = absl::StrCat(path, "[", i, "]");
        if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          CheckMessage(reflection->GetRepeatedMessage(message, field, i), item,
                       errors);
        } else if (field->type() == FieldDescriptor::TYPE_STRING) {
          std::string scratch;
          CheckString(reflection->GetRepeatedStringReference(message, field, i,
                                                             &scratch),
                      item, errors);
        }
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      CheckMessage(reflection->GetMessage(message, field), path, errors);
    } else if (field->type() == FieldDescriptor::TYPE_STRING) {
      std::string scratch;
      CheckString(reflection->GetStringReference(message, field, &scratch),
                  path, errors);
    }
  }
}

}  // namespace

absl::Status CheckRequestLimits(const Message& request) {
  FieldErrors errors;
  CheckMessage(request, "", errors);
  return errors.ToStatus();
}

}  // namespace salesmeet
