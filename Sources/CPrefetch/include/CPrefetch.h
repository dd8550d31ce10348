#ifndef LOGWARD_CPREFETCH_H
#define LOGWARD_CPREFETCH_H

/// Asks the CPU to start loading the cache line at `address` (a hint: it never faults, even on a bad address).
/// Swift has no prefetch of its own; this header's inline function is inlined into the Swift caller.
static inline void logward_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
