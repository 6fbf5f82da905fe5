/*
 * decode.h - SenML-CBOR reader for central teams ("headroom decode") and
 * tests: validates a pack against RFC 8428 and the rules of
 * docs/schema.md, and resolves its records (base name, time and unit
 * applied).  Built on libcbor's decoder; it allocates (one item tree per
 * pack) and is never used on the agent's hot path.
 */
#ifndef HR_DECODE_H
#define HR_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DEC_TEXT_MAX 1024      /* longest name, unit or string value */
#define DEC_MORE     (-2)      /* input ends inside a pack */

enum dec_kind { DEC_V, DEC_VS, DEC_VB, DEC_VD, DEC_S };

/* One resolved record. */
struct dec_rec {
	char          name[2 * DEC_TEXT_MAX];  /* bn + n */
	char          unit[DEC_TEXT_MAX];      /* u, else bu; "" if none */
	double        time;                    /* bt + t */
	enum dec_kind kind;
	double        v;                       /* DEC_V (bv applied), DEC_S */
	char          vs[DEC_TEXT_MAX];        /* DEC_VS; DEC_VD as base64 */
	bool          vb;                      /* DEC_VB */
	bool          has_sum;                 /* s as well as a value */
	double        sum;
};

typedef int (*dec_rec_fn)(void *ctx, const struct dec_rec *r);

/*
 * Decode one pack from buf[0..len).  On success *used is the pack's size
 * (the input may hold a CBOR sequence of packs) and fn was called once
 * per record, in order.  Returns DEC_MORE, without calling fn, when the
 * input ends inside the pack (a stream reader reads more and retries).
 * On failure returns -1 with a message in err (cap errcap) naming the
 * record and the rule broken; fn may have been called for the records
 * before it.  A non-zero return of fn stops the decoding and is returned.
 */
int senml_decode(const uint8_t *buf, size_t len, size_t *used,
    dec_rec_fn fn, void *ctx, char *err, size_t errcap);

#endif
