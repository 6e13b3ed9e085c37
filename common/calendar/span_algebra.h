#ifndef SALESMEET_COMMON_CALENDAR_SPAN_ALGEBRA_H_
#define SALESMEET_COMMON_CALENDAR_SPAN_ALGEBRA_H_

// Set operations on lists of half-open spans [start, end): merge, clip and
// subtract, written once for every calendar rule that needs them (working
// hours, free/busy, slot finding, meeting load).
//
// A Span is any type with `start` and `end` members of one ordered type:
// TimeSpan (absl::Time), or whole seconds where a report needs the speed. A
// "merged" list is sorted by start, holds no empty span, and no two of its
// spans overlap or touch: touching spans are joined, so 09:00-10:00 and
// 10:00-11:00 are one busy stretch.

#include <algorithm>
#include <vector>

namespace salesmeet {
namespace span_algebra_internal {

// Adds `span`, which starts no earlier than any span in `merged`, keeping
// `merged` merged: an empty span is dropped, one that overlaps or touches
// the last is joined to it.
template <typename Span>
void Join(std::vector<Span>& merged, const Span& span) {
  if (span.end <= span.start) return;
  if (!merged.empty() && span.start <= merged.back().end) {
    merged.back().end = std::max(merged.back().end, span.end);
  } else {
    merged.push_back(span);
  }
}

}  // namespace span_algebra_internal

// `spans` in any order, merged: sorted, empty and inverted spans dropped,
// overlapping or touching ones joined.
template <typename Span>
std::vector<Span> MergeSpans(std::vector<Span> spans) {
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return a.start < b.start || (a.start == b.start && a.end < b.end);
  });
  std::vector<Span> merged;
  for (const Span& span : spans) span_algebra_internal::Join(merged, span);
  return merged;
}

// The parts inside `window` of `sorted` (sorted by start; overlaps
// allowed), merged. One pass, no sort: for lists that come sorted.
template <typename Span>
std::vector<Span> MergeSortedWithin(const std::vector<Span>& sorted,
                                    const Span& window) {
  std::vector<Span> merged;
  for (Span part : sorted) {
    part.start = std::max(part.start, window.start);
    part.end = std::min(part.end, window.end);
    span_algebra_internal::Join(merged, part);
  }
  return merged;
}

// The parts of merged `spans` inside `window`; merged too.
template <typename Span>
std::vector<Span> ClipSpans(const std::vector<Span>& spans,
                            const Span& window) {
  std::vector<Span> out;
  for (Span span : spans) {
    if (span.end <= window.start) continue;
    if (span.start >= window.end) break;
    span.start = std::max(span.start, window.start);
    span.end = std::min(span.end, window.end);
    out.push_back(span);
  }
  return out;
}

// `from` minus `remove`, both merged; merged too. One walk over both.
template <typename Span>
std::vector<Span> SubtractSpans(const std::vector<Span>& from,
                                const std::vector<Span>& remove) {
  std::vector<Span> out;
  size_t r = 0;
  for (Span rest : from) {
    while (r < remove.size() && remove[r].end <= rest.start) ++r;
    for (size_t i = r; i < remove.size() && remove[i].start < rest.end; ++i) {
      if (remove[i].start > rest.start) {
        Span before = rest;
        before.end = remove[i].start;
        out.push_back(before);
      }
      rest.start = std::max(rest.start, remove[i].end);
    }
    if (rest.start < rest.end) out.push_back(rest);
  }
  return out;
}

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_CALENDAR_SPAN_ALGEBRA_H_
