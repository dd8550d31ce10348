#ifndef LOGWARD_BYTE_SEARCH_H
#define LOGWARD_BYTE_SEARCH_H

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// Searches over a line's short fields (an address, a status, a user agent), inlined into the Swift caller: a call
// to memchr per field cost more than the search itself. 16 bytes at a time with SSE2 where there is SSE2
// (every x86-64), else memchr or a plain loop.

/// The offset of the first `byte` in `bytes[0..<count]`, or -1.
static inline long logward_find_byte(const void *bytes, long count, unsigned char byte) {
#if defined(__SSE2__)
    const unsigned char *p = (const unsigned char *)bytes;
    const __m128i needle = _mm_set1_epi8((char)byte);
    long i = 0;
    for (; i + 16 <= count; i += 16) {
        int mask = _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + i)), needle));
        if (mask) return i + __builtin_ctz((unsigned)mask);
    }
    if (i < count && count >= 16) {
        // The last bytes: one load ending at `count`. Its lanes before `i` were searched already and hold no match.
        int mask = _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + count - 16)), needle));
        return mask ? count - 16 + __builtin_ctz((unsigned)mask) : -1;
    }
    for (; i < count; i++) {
        if (p[i] == byte) return i;
    }
    return -1;
#else
    const void *found = count > 0 ? memchr(bytes, byte, (size_t)count) : 0;
    return found ? (long)((const unsigned char *)found - (const unsigned char *)bytes) : -1;
#endif
}

/// Whether `bytes[0..<count]` may hold an identifier (see `IdentifierScanner.mayContainIdentifier`): an `@`, `%` or
/// `#` (an e-mail, `%40`, `&#64;`; an address's separators encoded), or, with `addresses`, three dots or two colons
/// (an IPv4 or IPv6 address). One pass.
static inline int logward_may_hold_identifier(const void *bytes, long count, int addresses) {
    const unsigned char *p = (const unsigned char *)bytes;
    long i = 0, dots = 0, colons = 0;
#if defined(__SSE2__)
    const __m128i at = _mm_set1_epi8('@'), percent = _mm_set1_epi8('%'), hash = _mm_set1_epi8('#');
    const __m128i dot = _mm_set1_epi8('.'), colon = _mm_set1_epi8(':');
    for (; i + 16 <= count; i += 16) {
        __m128i chunk = _mm_loadu_si128((const __m128i *)(p + i));
        __m128i escapes = _mm_or_si128(_mm_cmpeq_epi8(chunk, percent), _mm_cmpeq_epi8(chunk, hash));
        if (_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(chunk, at), escapes))) return 1;
        if (addresses) {
            dots += __builtin_popcount((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, dot)));
            colons += __builtin_popcount((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, colon)));
        }
    }
    if (i < count && count >= 16) {
        // The last bytes: one load ending at `count`, its lanes before `i` (counted already) masked off.
        __m128i chunk = _mm_loadu_si128((const __m128i *)(p + count - 16));
        unsigned fresh = 0xFFFFu << (i - (count - 16));
        __m128i escapes = _mm_or_si128(_mm_cmpeq_epi8(chunk, percent), _mm_cmpeq_epi8(chunk, hash));
        if ((unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(chunk, at), escapes)) & fresh) return 1;
        if (addresses) {
            dots += __builtin_popcount((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, dot)) & fresh);
            colons += __builtin_popcount((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, colon)) & fresh);
        }
        i = count;
    }
#endif
    for (; i < count; i++) {
        if (p[i] == '@' || p[i] == '%' || p[i] == '#') return 1;
        dots += p[i] == '.';
        colons += p[i] == ':';
    }
    return addresses && (dots >= 3 || colons >= 2);
}

#endif
