/*
 * cmd_decode.c - "headroom decode": SenML-CBOR reports (one pack, or a
 * CBOR sequence of packs as "headroom sample --format cbor" writes) to
 * JSON lines, one resolved record per line:
 *
 *   {"n":"edge-042/cpu.util","u":"/","t":1795430610,"v":0.25}
 *
 * or, with --pack, one SenML JSON array of resolved records per pack.
 * Packs are printed as they arrive (a pipe from a live agent works); a
 * pack is printed only when all of it is valid; the first invalid pack
 * stops the run with a message naming it and exit status 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../platform/platform.h"
#include "cmd.h"
#include "decode.h"
#include "json.h"

#define INPUT_MAX (64u * 1024 * 1024)   /* refuse larger packs */

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

static void
usage(FILE *f)
{
	fprintf(f, "usage: headroom decode [--pack] [FILE|-]\n"
	    "  SenML-CBOR reports (a CBOR sequence) to JSON lines, one "
	    "resolved record per line\n"
	    "  --pack   one SenML JSON array per pack instead\n");
}

/* Grow buf to hold at least need bytes (inputs stop at INPUT_MAX). */
static int
reserve(uint8_t **buf, size_t *cap, size_t need)
{
	uint8_t *p;
	size_t c = *cap ? *cap : 65536;

	if (need > INPUT_MAX)
		return -1;
	while (c < need)
		c *= 2;
	if (c == *cap)
		return 0;
	if ((p = realloc(*buf, c)) == NULL)
		return -1;
	*buf = p;
	*cap = c;
	return 0;
}

int
cmd_decode(int argc, char **argv)
{
	const char *path = "-";
	struct outbuf o = { NULL, 0, 0, false, 0 };
	char err[512];
	uint8_t *buf = NULL;
	size_t cap = 0, len = 0, got, used;
	unsigned long npack = 0;
	bool eof = false;
	int i, fd, rc = HR_EXIT_OK, r;

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
	if (pf_open_read(path, &fd) != 0) {
		fprintf(stderr, "headroom decode: %s: %s\n", path,
		    strerror(errno));
		return HR_EXIT_FAIL;
	}
	/*
	 * Stream: print each pack as soon as it is complete, so that
	 * "headroom sample --format cbor | headroom decode" shows reports
	 * as they come.  A pack is printed only when all of it is valid.
	 */
	for (;;) {
		if (len > 0) {
			o.len = 0;
			o.nrec = 0;
			r = senml_decode(buf, len, &used, on_record, &o, err,
			    sizeof(err));
			if (r == 0) {
				npack++;
				if ((o.pack && append(&o, "]\n", 2) != 0) ||
				    fwrite(o.p, 1, o.len, stdout) != o.len ||
				    fflush(stdout) != 0) {
					rc = HR_EXIT_FAIL;
					break;
				}
				memmove(buf, buf + used, len - used);
				len -= used;
				continue;
			}
			if (r != DEC_MORE || eof) {
				fprintf(stderr, "headroom decode: %s: pack %lu: "
				    "%s\n", path, npack + 1, err);
				rc = HR_EXIT_FAIL;
				break;
			}
		} else if (eof) {
			if (npack == 0) {
				fprintf(stderr, "headroom decode: %s: no "
				    "input\n", path);
				rc = HR_EXIT_FAIL;
			}
			break;
		}
		if (reserve(&buf, &cap, len + 4096) != 0) {
			fprintf(stderr, "headroom decode: %s: a pack larger "
			    "than %u bytes\n", path, INPUT_MAX);
			rc = HR_EXIT_FAIL;
			break;
		}
		if (pf_read_some(fd, buf + len, cap - len, &got) != 0) {
			fprintf(stderr, "headroom decode: %s: %s\n", path,
			    strerror(errno));
			rc = HR_EXIT_FAIL;
			break;
		}
		eof = got == 0;
		len += got;
	}
	pf_close(fd);
	free(o.p);
	free(buf);
	return rc;
}
