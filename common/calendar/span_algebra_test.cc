#include "common/calendar/span_algebra.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "common/calendar/time_span.h"

namespace salesmeet {
namespace {

// Whole hours of one day, the way reports count in seconds.
struct Hours {
  int64_t start;
  int64_t end;
  friend bool operator==(const Hours& a, const Hours& b) {
    return a.start == b.start && a.end == b.end;
  }
};

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(MergeSpansTest, SortsDropsEmptySpansAndJoinsOverlappingAndTouching) {
  EXPECT_THAT(
      MergeSpans<Hours>(
          {{14, 15}, {9, 10}, {12, 12}, {10, 11}, {13, 12}, {9, 9}, {14, 16}}),
      ElementsAre(Hours{9, 11}, Hours{14, 16}));
}

TEST(MergeSpansTest, ASpanInsideAnotherLeavesTheOuterOne) {
  EXPECT_THAT(MergeSpans<Hours>({{8, 18}, {9, 10}}), ElementsAre(Hours{8, 18}));
}

TEST(MergeSpansTest, WorksOnAbsoluteTime) {
  const absl::Time t = absl::FromUnixSeconds(1'800'000'000);
  const std::vector<TimeSpan> merged = MergeSpans<TimeSpan>(
      {{t + absl::Hours(1), t + absl::Hours(2)}, {t, t + absl::Hours(1)}});
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0], (TimeSpan{t, t + absl::Hours(2)}));
}

TEST(MergeSortedWithinTest, ClipsToTheWindowBeforeJoining) {
  EXPECT_THAT(
      MergeSortedWithin<Hours>({{6, 8}, {7, 10}, {10, 11}, {16, 20}}, {9, 17}),
      ElementsAre(Hours{9, 11}, Hours{16, 17}));
}

TEST(MergeSortedWithinTest, SpansOutsideTheWindowVanish) {
  EXPECT_THAT(MergeSortedWithin<Hours>({{1, 2}, {20, 22}}, {9, 17}), IsEmpty());
}

TEST(ClipSpansTest, KeepsOnlyThePartsInsideTheWindow) {
  EXPECT_THAT(ClipSpans<Hours>({{6, 8}, {9, 12}, {13, 20}, {21, 22}}, {7, 15}),
              ElementsAre(Hours{7, 8}, Hours{9, 12}, Hours{13, 15}));
}

TEST(SubtractSpansTest, CutsHolesAndEnds) {
  EXPECT_THAT(SubtractSpans<Hours>({{9, 17}}, {{8, 10}, {12, 13}, {16, 18}}),
              ElementsAre(Hours{10, 12}, Hours{13, 16}));
}

TEST(SubtractSpansTest, OneRemovalCanSpanSeveralSpans) {
  EXPECT_THAT(SubtractSpans<Hours>({{9, 12}, {13, 17}, {18, 19}}, {{11, 14}}),
              ElementsAre(Hours{9, 11}, Hours{14, 17}, Hours{18, 19}));
}

TEST(SubtractSpansTest, RemovingEverythingLeavesNothing) {
  EXPECT_THAT(SubtractSpans<Hours>({{9, 12}, {13, 17}}, {{0, 24}}), IsEmpty());
}

TEST(SubtractSpansTest, RemovingNothingLeavesEverything) {
  EXPECT_THAT(SubtractSpans<Hours>({{9, 12}}, {}), ElementsAre(Hours{9, 12}));
}

}  // namespace
}  // namespace salesmeet
