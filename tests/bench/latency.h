#ifndef SALESMEET_TESTS_BENCH_LATENCY_H_
#define SALESMEET_TESTS_BENCH_LATENCY_H_

// Collects per-call latencies and prints percentiles, so benchmarks report
// the same figures in the same shape.

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace salesmeet::bench {

class LatencySample {
 public:
  void Add(absl::Duration d) {
    micros_.push_back(absl::ToDoubleMicroseconds(d));
  }

  double Percentile(double p) {
    if (micros_.empty()) return 0;
    std::sort(micros_.begin(), micros_.end());
    size_t index = static_cast<size_t>(p / 100.0 * (micros_.size() - 1) + 0.5);
    return micros_[std::min(index, micros_.size() - 1)];
  }

  void Print(const std::string& name) {
    double sum = 0;
    for (double m : micros_) sum += m;
    std::printf(
        "%-40s n=%-6zu p50=%8.1fus p90=%8.1fus p99=%8.1fus mean=%8.1fus\n",
        name.c_str(), micros_.size(), Percentile(50), Percentile(90),
        Percentile(99), micros_.empty() ? 0 : sum / micros_.size());
  }

 private:
  std::vector<double> micros_;
};

}  // namespace salesmeet::bench

#endif  // SALESMEET_TESTS_BENCH_LATENCY_H_
