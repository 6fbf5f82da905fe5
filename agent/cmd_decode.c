/*
 * cmd_decode.c - "headroom decode": SenML-CBOR reports (one pack, or a
 * CBOR sequence of packs as "headroom sample --format cbor" writes) to
 * JSON lines, one resolved record per line:
 *
 *   {"n":"edge-042/cpu.util","u":"/","t":1795430610,"v":0.25}
 *
 * or, with --pack, one SenML JSON array of resolved records per pack.
 * A pack is printed only when all of it is valid; the first invalid pack
 * stops the run with a message naming it and exit status 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "decode.h"
#include "json.h"

#define INPUT_MAX (64u * 1024 * 1024)   /* refuse larger inputs */

struct outbuf {
	char  *p;
	size_t len, cap;
	bool   pack;       /* --pack: one array per pack */
	size_t nrec;
};

static int
append(struct outbuf *o, const char *s, size_t n)
{
	char *p;
	size_t cap;

	if (o->len + n + 1 > o->cap) {
		cap = o->cap ? o->cap : 4096;
		while (cap < o->len + n + 1)
			cap *= 2;
		if ((p = realloc(o->p, cap)) == NULL)
			return -1;
		o->p = p;
		o->cap = cap;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	return 0;
}

static int
on_record(void *ctx, const struct dec_rec *r)
{
	struct outbuf *o = ctx;
	char line[3 * DEC_TEXT_MAX * 6];
	struct jw j;
	long n;

	jw_init(&j, line, sizeof(line));
	jw_obj(&j, NULL);
	jw_str(&j, "n", r->name);
	if (r->unit[0] != '\0')
		jw_str(&j, "u", r->unit);
	jw_num_exact(&j, "t", r->time);
	switch (r->kind) {
	case DEC_V:
		jw_num_exact(&j, "v", r->v);
		break;
	case DEC_VS:
		jw_str(&j, "vs", r->vs);
		break;
	case DEC_VD:
		jw_str(&j, "vd", r->vs);
		break;
	case DEC_VB:
		jw_bool(&j, "vb", r->vb);
		break;
	case DEC_S:
		break;
	}
	if (r->has_sum)
		jw_num_exact(&j, "s", r->sum);
	jw_end_obj(&j);
	if ((n = jw_finish(&j)) < 0)
		return -1;
	if (o->pack && append(o, o->nrec ? "," : "[", 1) != 0)
		return -1;
	o->nrec++;
	if (append(o, line, (size_t)n) != 0)
		return -1;
	return o->pack ? 0 : append(o, "\n", 1);
}

static uint8_t *
read_all(FILE *f, size_t *len)
{
	uint8_t *buf = NULL, *p;
	size_t cap = 0, n;

	*len = 0;
	for (;;) {
		if (*len == cap) {
			if (cap >= INPUT_MAX) {
				errno = EFBIG;
				free(buf);
				return NULL;
			}
			cap = cap ? cap * 2 : 65536;
			if ((p = realloc(buf, cap)) == NULL) {
				free(buf);
				return NULL;
			}
			buf = p;
		}
		n = fread(buf + *len, 1, cap - *len, f);
		*len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: headroom decode [--pack] [FILE|-]\n"
	    "  SenML-CBOR reports (a CBOR sequence) to JSON lines, one "
	    "resolved record per line\n"
	    "  --pack   one SenML JSON array per pack instead\n");
}

int
cmd_decode(int argc, char **argv)
{
	const char *path = "-";
	struct outbuf o = { NULL, 0, 0, false, 0 };
	char err[512];
	uint8_t *buf;
	size_t len, off = 0, used;
	unsigned long npack = 0;
	FILE *f;
	int i, rc = HR_EXIT_OK;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--pack") == 0) {
			o.pack = true;
		} else if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return HR_EXIT_OK;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "headroom decode: unknown option '%s'\n",
			    argv[i]);
			usage(stderr);
			return HR_EXIT_USAGE;
		} else if (i == argc - 1) {
			path = argv[i];
		} else {
			usage(stderr);
			return HR_EXIT_USAGE;
		}
	}
	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "headroom decode: %s: %s\n", path,
		    strerror(errno));
		return HR_EXIT_FAIL;
	}
	buf = read_all(f, &len);
	if (f != stdin)
		fclose(f);
	if (buf == NULL) {
		fprintf(stderr, "headroom decode: %s: %s\n", path,
		    strerror(errno));
		return HR_EXIT_FAIL;
	}
	if (len == 0) {
		fprintf(stderr, "headroom decode: %s: no input\n", path);
		free(buf);
		return HR_EXIT_FAIL;
	}
	while (off < len) {
		o.len = 0;
		o.nrec = 0;
		npack++;
		if (senml_decode(buf + off, len - off, &used, on_record, &o,
		    err, sizeof(err)) != 0) {
			fprintf(stderr, "headroom decode: %s: pack %lu (byte "
			    "%zu): %s\n", path, npack, off, err);
			rc = HR_EXIT_FAIL;
			break;
		}
		if (o.pack && append(&o, "]\n", 2) != 0) {
			rc = HR_EXIT_FAIL;
			break;
		}
		if (fwrite(o.p, 1, o.len, stdout) != o.len) {
			rc = HR_EXIT_FAIL;
			break;
		}
		off += used;
	}
	free(o.p);
	free(buf);
	if (fflush(stdout) != 0)
		rc = HR_EXIT_FAIL;
	return rc;
}
