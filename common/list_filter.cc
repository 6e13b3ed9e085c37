#include "common/list_filter.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/errors.h"

namespace salesmeet {
namespace {

bool IsIdentifierChar(char c) {
  return absl::ascii_isalnum(c) || c == '_' || c == '.';
}

bool IsBareValueChar(char c) {
  return absl::ascii_isalnum(c) || c == '_' || c == '.' || c == '/' ||
         c == '-' || c == ':';
}

// A hand-written scanner: the grammar is three token kinds, and its errors
// can say exactly where the filter went wrong.
class FilterParser {
 public:
  FilterParser(absl::string_view text, absl::string_view request_field)
      : text_(text), field_(request_field) {}

  absl::StatusOr<std::vector<FilterTerm>> Parse(
      const std::set<std::string>& known) {
    std::vector<FilterTerm> terms;
    SkipSpace();
    if (AtEnd()) return terms;
    while (true) {
      FilterTerm term;
      term.field = Take(IsIdentifierChar);
      if (term.field.empty()) return Error("expected a field name");
      if (known.count(term.field) == 0) {
        return InvalidFieldError(
            field_, absl::StrCat("unknown field ", Quoted(term.field),
                                 "; filterable fields are: ",
                                 absl::StrJoin(known, ", ")));
      }
      for (const FilterTerm& seen : terms) {
        if (seen.field == term.field) {
          return InvalidFieldError(field_,
                                   absl::StrCat("field ", Quoted(term.field),
                                                " appears more than once"));
        }
      }
      SkipSpace();
      if (AtEnd() || text_[pos_] != '=') {
        return Error(absl::StrCat("expected '=' after ", Quoted(term.field),
                                  " (only equality is supported)"));
      }
      ++pos_;
      SkipSpace();
      absl::StatusOr<std::string> value = ParseValue();
      if (!value.ok()) return value.status();
      term.value = *std::move(value);
      terms.push_back(std::move(term));
      SkipSpace();
      if (AtEnd()) return terms;
      if (Take(absl::ascii_isalpha) != "AND") {
        return Error("expected AND between conditions (OR is not supported)");
      }
      SkipSpace();
    }
  }

 private:
  absl::StatusOr<std::string> ParseValue() {
    if (AtEnd()) return Error("expected a value");
    if (text_[pos_] != '"') {
      std::string bare = Take(IsBareValueChar);
      if (bare.empty()) return Error("expected a value");
      return bare;
    }
    ++pos_;
    std::string value;
    while (!AtEnd() && text_[pos_] != '"') {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
      value.push_back(text_[pos_++]);
    }
    if (AtEnd()) return Error("unterminated quoted value");
    ++pos_;
    return value;
  }

  template <typename Pred>
  std::string Take(Pred pred) {
    size_t start = pos_;
    while (!AtEnd() && pred(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  void SkipSpace() {
    while (!AtEnd() && absl::ascii_isspace(text_[pos_])) ++pos_;
  }
  bool AtEnd() const { return pos_ >= text_.size(); }

  absl::Status Error(absl::string_view what) const {
    return InvalidFieldError(field_,
                             absl::StrCat(what, " at position ", pos_ + 1));
  }

  absl::string_view text_;
  absl::string_view field_;
  size_t pos_ = 0;
};

}  // namespace

absl::StatusOr<std::vector<FilterTerm>> ParseFilter(
    absl::string_view filter, const std::set<std::string>& known_fields,
    absl::string_view request_field) {
  if (filter.size() > 2000) {
    return InvalidFieldError(request_field, "is longer than 2000 characters");
  }
  return FilterParser(filter, request_field).Parse(known_fields);
}

std::string CanonicalFilter(std::vector<FilterTerm> terms) {
  std::sort(terms.begin(), terms.end(),
            [](const FilterTerm& a, const FilterTerm& b) {
              return a.field < b.field;
            });
  std::string out;
  for (const FilterTerm& t : terms) {
    absl::StrAppend(&out, t.field.size(), ":", t.field, "=", t.value.size(),
                    ":", t.value, ";");
  }
  return out;
}

}  // namespace salesmeet
