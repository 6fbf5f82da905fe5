/*
 * fuzz_decode.c - libFuzzer target for the SenML-CBOR reader
 * (agent/decode.c, on libcbor's cbor_load).
 *
 * The input is treated as "headroom decode" treats its input: a CBOR
 * sequence of packs, decoded one pack after the other until the input is
 * consumed or a pack fails (the loop of agent/cmd_decode.c with all of
 * the input arrived, without the JSON output).  Each pack that decodes
 * is also cut short twice, as the streaming reader sees it while it
 * arrives: that must give DEC_MORE.  The record callback reads every
 * field of every resolved record, bounded, so that ASan and UBSan see
 * each byte the decoder hands out; the results are folded into a
 * volatile sink so the reads cannot be optimised away.  Contract
 * violations of decode.h trap.  Nothing is printed, and all state lives
 * on the stack of one run.
 *
 * Built and run by tools/fuzz.sh (docs/fuzzing.md).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct sink {
	uint64_t acc;
	size_t   nrec;
};

static uint64_t
mix(uint64_t acc, uint64_t v)
{
	return (acc ^ v) * 1099511628211ull;
}

static uint64_t
dbits(double d)
{
	uint64_t b;

	memcpy(&b, &d, sizeof(b));
	return b;
}

/* Length of a text field the decoder promises is NUL-terminated inside
 * its array; a missing terminator is a bug even when strlen() would not
 * leave the struct (and so would not trip ASan): trap on it. */
static size_t
text_len(const char *s, size_t cap)
{
	const char *nul = memchr(s, '\0', cap);

	if (nul == NULL)
		__builtin_trap();
	return (size_t)(nul - s);
}

static uint64_t
fold_text(uint64_t acc, const char *s, size_t cap)
{
	size_t i, n = text_len(s, cap);

	acc = mix(acc, n);
	for (i = 0; i < n; i++)
		acc = mix(acc, (uint8_t)s[i]);
	return acc;
}

static int
on_record(void *ctx, const struct dec_rec *r)
{
	struct sink *s = ctx;
	uint64_t acc = s->acc;

	acc = fold_text(acc, r->name, sizeof(r->name));
	acc = fold_text(acc, r->unit, sizeof(r->unit));
	acc = mix(acc, dbits(r->time));
	switch (r->kind) {
	case DEC_V:
	case DEC_S:
		acc = mix(acc, dbits(r->v));
		break;
	case DEC_VS:
	case DEC_VD:
		acc = fold_text(acc, r->vs, sizeof(r->vs));
		break;
	case DEC_VB:
		acc = mix(acc, r->vb ? 1u : 2u);
		break;
	default:
		__builtin_trap();          /* not a kind decode.h defines */
	}
	/* the struct is handed out whole: the fields of the other kinds
	 * are read too (UBSan checks the bools hold 0 or 1, the enum is
	 * checked above) */
	acc = mix(acc, (uint64_t)r->kind);
	acc = mix(acc, dbits(r->v));
	acc = fold_text(acc, r->vs, sizeof(r->vs));
	acc = mix(acc, r->vb ? 3u : 4u);
	acc = mix(acc, r->has_sum ? dbits(r->sum) : 5u);
	acc = mix(acc, dbits(r->sum));
	s->acc = acc;
	s->nrec++;
	return 0;
}

/*
 * "headroom decode" streams: it calls senml_decode on what has arrived
 * so far and reads more on DEC_MORE.  So a pack cut short must give
 * DEC_MORE, without calling fn (decode.h), never an error or another
 * pack: check two cuts of each pack that decoded.
 */
static void
check_cut(const uint8_t *pack, size_t cut)
{
	struct sink s = { 0, 0 };
	char err[512];
	size_t used = 0;
	int rc;

	if (cut == 0)                      /* cmd_decode never asks */
		return;
	err[0] = '\0';
	rc = senml_decode(pack, cut, &used, on_record, &s, err, sizeof(err));
	if (rc != DEC_MORE || s.nrec != 0)
		__builtin_trap();
	(void)fold_text(0, err, sizeof(err));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sink s = { 0, 0 };
	volatile uint64_t out;
	char err[512];                     /* as cmd_decode */
	size_t off = 0, used, before;
	int rc;

	if (size == 0)                     /* cmd_decode: "no input" */
		return 0;
	err[0] = '\0';
	/* cmd_decode's loop, with all of the input arrived */
	while (off < size) {
		before = s.nrec;
		rc = senml_decode(data + off, size - off, &used, on_record, &s,
		    err, sizeof(err));
		/* on_record returns 0, so 0, -1 or DEC_MORE, and DEC_MORE
		 * without a record passed on */
		if (rc != 0 && rc != -1 && rc != DEC_MORE)
			__builtin_trap();
		if (rc == DEC_MORE && s.nrec != before)
			__builtin_trap();
		if (rc != 0) {
			/* the message must be a terminated string */
			s.acc = fold_text(s.acc, err, sizeof(err));
			break;
		}
		/* on success *used is the size of the pack read: cmd_decode
		 * would loop forever on 0 and read past the input beyond
		 * size - off */
		if (used == 0 || used > size - off)
			__builtin_trap();
		check_cut(data + off, used - 1);
		check_cut(data + off, used / 2);
		off += used;
	}
	out = mix(s.acc, s.nrec);
	(void)out;
	return 0;
}
