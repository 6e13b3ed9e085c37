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

// The well-known types' own ranges, which protobuf does not enforce on the
// wire: a Duration of 2e9 nanos or a Timestamp in year 10000 is refused
// here rather than misread later.
constexpr int64_t kMaxDurationSeconds = 315'576'000'000;
constexpr int64_t kMinTimestampSeconds = -62'135'596'800;  // 0001-01-01
constexpr int64_t kMaxTimestampSeconds = 253'402'300'799;  // 9999-12-31

bool SameSignOrZero(int64_t a, int64_t b) {
  return (a >= 0 && b >= 0) || (a <= 0 && b <= 0);
}

// Checks a Duration, Timestamp or Money; false for any other type.
bool CheckWellKnown(const Message& message, const std::string& path,
                    FieldErrors& errors) {
  const google::protobuf::Descriptor* type = message.GetDescriptor();
  const std::string& name = type->full_name();
  if (name != "google.protobuf.Duration" &&
      name != "google.protobuf.Timestamp" && name != "google.type.Money") {
    return false;
  }
  const Reflection* reflection = message.GetReflection();
  const FieldDescriptor* big = type->field(0);
  const FieldDescriptor* nanos_field = type->FindFieldByName("nanos");
  if (name == "google.type.Money") big = type->FindFieldByName("units");
  if (big == nullptr || nanos_field == nullptr) return false;
  const int64_t whole = reflection->GetInt64(message, big);
  const int32_t nanos = reflection->GetInt32(message, nanos_field);
  if (name == "google.protobuf.Timestamp") {
    if (whole < kMinTimestampSeconds || whole > kMaxTimestampSeconds ||
        nanos < 0 || nanos > 999'999'999) {
      errors.Add(path,
                 "is not a valid timestamp: seconds must fall in years 1 to "
                 "9999 and nanos in 0 to 999999999");
    }
  } else if (name == "google.protobuf.Duration") {
    if (whole < -kMaxDurationSeconds || whole > kMaxDurationSeconds ||
        nanos < -999'999'999 || nanos > 999'999'999 ||
        !SameSignOrZero(whole, nanos)) {
      errors.Add(path,
                 "is not a valid duration: at most 10,000 years, with nanos "
                 "within +-999999999 and of the same sign as seconds");
    }
  } else if (whole < -kMaxMoneyUnits || whole > kMaxMoneyUnits ||
             nanos < -999'999'999 || nanos > 999'999'999 ||
             !SameSignOrZero(whole, nanos)) {
    errors.Add(path, absl::StrCat("is not an amount salesmeet accepts: units "
                                  "within +-",
                                  kMaxMoneyUnits,
                                  ", nanos within +-999999999 and of the same "
                                  "sign as units"));
  }
  return true;
}

void CheckEnum(const FieldDescriptor* field, int value, const std::string& path,
               FieldErrors& errors) {
  if (field->enum_type()->FindValueByNumber(value) == nullptr) {
    errors.Add(path, absl::StrCat(value, " is not a value of ",
                                  field->enum_type()->name()));
  }
}

void CheckMessage(const Message& message, const std::string& prefix,
                  FieldErrors& errors) {
  if (CheckWellKnown(message, prefix, errors)) return;
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
        } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
          CheckEnum(field, reflection->GetRepeatedEnumValue(message, field, i),
                    item, errors);
        } else if (field->type() == FieldDescriptor::TYPE_STRING) {
          std::string scratch;
          CheckString(reflection->GetRepeatedStringReference(message, field, i,
                                                             &scratch),
                      item, errors);
        }
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      CheckMessage(reflection->GetMessage(message, field), path, errors);
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
      CheckEnum(field, reflection->GetEnumValue(message, field), path, errors);
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
