#ifndef SALESMEET_COMMON_METRICS_H_
#define SALESMEET_COMMON_METRICS_H_

// A service's own unlabelled metrics (cache hits, feed lag), registered in
// one line each.

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <string>

namespace salesmeet {

inline prometheus::Counter& NewCounter(prometheus::Registry& registry,
                                       const std::string& name,
                                       const std::string& help) {
  return prometheus::BuildCounter()
      .Name(name)
      .Help(help)
      .Register(registry)
      .Add({});
}

inline prometheus::Gauge& NewGauge(prometheus::Registry& registry,
                                   const std::string& name,
                                   const std::string& help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(registry).Add(
      {});
}

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_METRICS_H_
