#ifndef DEELEMA_CZLIB_SHIM_H
#define DEELEMA_CZLIB_SHIM_H

/* zlib for the npz reader (raw deflate of numpy.savez_compressed) and CRC-32. */
#include <zlib.h>

/* inflateInit2 is a macro in zlib.h; Swift cannot call macros. */
static inline int deelema_inflate_init_raw(z_stream *strm) {
    return inflateInit2(strm, -MAX_WBITS);
}

#endif
