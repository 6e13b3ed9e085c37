#ifndef SALESMEET_COMMON_FINGERPRINT_H_
#define SALESMEET_COMMON_FINGERPRINT_H_

#include <string>

#include "google/protobuf/message.h"

namespace salesmeet {

// SHA-256 of the message's deterministic serialization: equal requests give
// equal fingerprints, so a retried request_id can be told apart from a
// reused one.
std::string Fingerprint(const google::protobuf::Message& message);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_FINGERPRINT_H_
