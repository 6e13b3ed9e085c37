#ifndef SALESMEET_COMMON_STATUS_MACROS_H_
#define SALESMEET_COMMON_STATUS_MACROS_H_

// Early-return helpers for absl::Status code; Debian's Abseil has none.

#include <utility>

#define SALESMEET_CONCAT_INNER(a, b) a##b
#define SALESMEET_CONCAT(a, b) SALESMEET_CONCAT_INNER(a, b)

// Returns the status from the enclosing function when it is not OK.
#define RETURN_IF_ERROR(expr)                              \
  do {                                                     \
    const ::absl::Status salesmeet_status_ = (expr);       \
    if (!salesmeet_status_.ok()) return salesmeet_status_; \
  } while (false)

// `lhs = value of expr` when the StatusOr is OK, else returns its status.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(SALESMEET_CONCAT(salesmeet_or_, __LINE__), lhs, expr)

#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()

#endif  // SALESMEET_COMMON_STATUS_MACROS_H_
