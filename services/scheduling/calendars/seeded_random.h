#ifndef SALESMEET_SERVICES_SCHEDULING_CALENDARS_SEEDED_RANDOM_H_
#define SALESMEET_SERVICES_SCHEDULING_CALENDARS_SEEDED_RANDOM_H_

// The seeded random source the oracle tests draw their calendars from, so
// a failing seed can be replayed. Tests only.

#include <cstdint>
#include <random>
#include <vector>

namespace salesmeet::scheduling {

class SeededRandom {
 public:
  explicit SeededRandom(uint32_t seed) : engine_(seed) {}
  int Int(int lo, int hi) {  // Inclusive.
    return std::uniform_int_distribution<int>(lo, hi)(engine_);
  }
  bool Chance(int percent) { return Int(1, 100) <= percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Int(0, static_cast<int>(v.size()) - 1)];
  }

 private:
  std::mt19937 engine_;
};

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_CALENDARS_SEEDED_RANDOM_H_
