#ifndef LOGWARD_CISAL_SHIM_H
#define LOGWARD_CISAL_SHIM_H
#include <isa-l/igzip_lib.h>

// ISA-L's level buffer sizes and state enums are macros and C enums Swift reads awkwardly; these say them once.

/// The level buffer igzip's compression level needs (levels 1-3; level 0 needs none beyond its default).
static inline unsigned int CIsal_levelBufferSize(int level) {
    switch (level) {
    case 0: return ISAL_DEF_LVL0_DEFAULT;
    case 1: return ISAL_DEF_LVL1_DEFAULT;
    case 2: return ISAL_DEF_LVL2_DEFAULT;
    default: return ISAL_DEF_LVL3_DEFAULT;
    }
}

/// Whether a gzip member has been inflated to its end (its trailer read and checked).
static inline int CIsal_inflateFinished(const struct inflate_state *state) {
    return state->block_state == ISAL_BLOCK_FINISH;
}

/// Whether the compressed stream is complete (its trailer written).
static inline int CIsal_deflateFinished(const struct isal_zstream *stream) {
    return stream->internal_state.state == ZSTATE_END;
}
#endif
