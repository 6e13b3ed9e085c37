#ifndef SALESMEET_COMMON_CLIENT_CHANNEL_H_
#define SALESMEET_COMMON_CLIENT_CHANNEL_H_

// How a salesmeet service calls another: one channel per peer whose service
// config balances round-robin over the peer's addresses and retries
// UNAVAILABLE (and nothing else), and a context per call with a deadline
// that never outlives the caller's own.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "common/call_scope.h"

namespace salesmeet {

struct ChannelOptions {
  // Deadline of a call made outside any incoming RPC, and the cap for one
  // made inside one.
  absl::Duration default_timeout = absl::Seconds(3);
  // Attempts in total, the first included; gRPC caps this at 5.
  int max_attempts = 4;
};

// The gRPC service config of every peer channel: round_robin load balancing,
// and for every method the retry policy: UNAVAILABLE only, exponential
// back-off from 50 ms to 1 s.
std::string RetryServiceConfig(int max_attempts);

std::shared_ptr<grpc::Channel> CreatePeerChannel(const std::string& target,
                                                 const ChannelOptions& options);

// A context for one downstream call made within `scope`: its deadline is
// the earlier of the scope's and now + default_timeout, and cancelling the
// incoming call cancels this one.
std::unique_ptr<grpc::ClientContext> DownstreamContext(
    const CallScope& scope, absl::Duration default_timeout);

// Makes `downstream` carry the incoming call's bearer token, so the peer
// decides what to show by the caller's rights rather than this service's.
// Returns false (and changes nothing) when the caller sent none.
bool OnBehalfOfCaller(const CallScope& scope, grpc::ClientContext& downstream);

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_CLIENT_CHANNEL_H_
