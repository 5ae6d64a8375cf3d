// SIZER_CHECK: always-on assertion for programmer errors (never for user input).
#ifndef SIZER_BASE_CHECK_H_
#define SIZER_BASE_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define SIZER_CHECK(cond)                                                          \
  do {                                                                             \
    if (!(cond)) {                                                                 \
      std::fprintf(stderr, "sizer: internal error: %s:%d: check failed: %s\n",     \
                   __FILE__, __LINE__, #cond);                                     \
      std::abort();                                                                \
    }                                                                              \
  } while (0)

#endif  // SIZER_BASE_CHECK_H_
