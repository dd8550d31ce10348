#ifndef LOGWARD_CMEMORY_H
#define LOGWARD_CMEMORY_H

#include "ByteSearch.h"

#if defined(__linux__)
#include <malloc.h>
#endif

/// Asks the CPU to start loading the cache line at `address` (a hint: it never faults, even on a bad address).
/// Swift has no prefetch of its own; this header's inline function is inlined into the Swift caller.
static inline void logward_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// glibc's `mallopt`, which Swift's Glibc module does not bring in: nonzero on success.
static inline int logward_mallopt(int parameter, int value) {
#if defined(__GLIBC__)
    return mallopt(parameter, value);
#else
    return 0;
#endif
}

#if defined(__GLIBC__)
static const int logward_trim_threshold = M_TRIM_THRESHOLD;
static const int logward_mmap_threshold = M_MMAP_THRESHOLD;
#else
static const int logward_trim_threshold = 0;
static const int logward_mmap_threshold = 0;
#endif

#endif
