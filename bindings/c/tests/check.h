/* The glue tests' one assertion: counts, and on a failure prints where, why and the
   glue's last error message. Each test prints "N passed, M failed" at the end. */
#ifndef WASMGEN_TEST_CHECK_H
#define WASMGEN_TEST_CHECK_H

#include <stdio.h>

#include "wasmgen.h"

static int passed, failed;

#define CHECK(cond, ...)                                                 \
    do {                                                                 \
        if (cond) passed++;                                              \
        else {                                                           \
            failed++;                                                    \
            fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__);        \
            fprintf(stderr, __VA_ARGS__);                                \
            fprintf(stderr, " (glue error: %s)\n", wg_error_message()); \
        }                                                                \
    } while (0)

#endif
