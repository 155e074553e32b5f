/* charset.c - conversion between internal UTF-8 NFC and a named charset (iconv).
 *
 * Why: the terminal and exported/imported files may use VISCII, TCVN 5712, CP1258 or
 * a Western charset.  This module owns the charset names we accept and the
 * conversion policy: NFC before encoding (glibc's Vietnamese converters reject
 * NFD), per-character degradation to base letters or '?' instead of failing or
 * emitting garbage, flushing CP1258's pending base letter, and NFC + Eth->Đ on the
 * way in.  The only state is the pair of iconv handles inside struct charset.
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

#include "charset.h"
#include "i18n.h"

struct cs_def {
	const char *canon;	/* our name, also glibc iconv's */
	const char *alias[4];
};

static const struct cs_def defs[] = {
	{ "UTF-8",      { "utf8", NULL } },
	{ "VISCII",     { NULL } },
	{ "TCVN5712-1", { "tcvn", "tcvn5712", "tcvn-5712", NULL } },
	{ "CP1258",     { "windows-1258", NULL } },
	{ "CP1252",     { "windows-1252", NULL } },
	{ "ISO-8859-1", { "iso8859-1", "latin1", "latin-1", NULL } },
	{ "ASCII",      { "us-ascii", "ansi_x3.4-1968", NULL } },
};

struct charset {
	const struct cs_def *def;
	int utf8;
	iconv_t enc;		/* UTF-8 -> charset */
	iconv_t dec;		/* charset -> UTF-8 */
};

static const struct cs_def *lookup(const char *name)
{
	for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++) {
		if (!strcasecmp(name, defs[i].canon))
			return &defs[i];
		for (const char *const *a = defs[i].alias; *a; a++)
			if (!strcasecmp(name, *a))
				return &defs[i];
	}
	return NULL;
}

struct charset *charset_open(const char *name, char *msg, size_t msgsz)
{
	const struct cs_def *d;
	struct charset *cs;

	if (msg && msgsz)
		msg[0] = '\0';
	if (!name)
		name = "";
	d = lookup(name);
	if (!d) {
		if (msg && msgsz)
			snprintf(msg, msgsz,
				 _("unknown encoding '%s' (known: utf-8, viscii, tcvn5712-1, cp1258)"),
				 name);
		return NULL;
	}
	cs = calloc(1, sizeof *cs);
	if (!cs) {
		if (msg && msgsz)
			snprintf(msg, msgsz, "%s", _("out of memory"));
		return NULL;
	}
	cs->def = d;
	cs->enc = cs->dec = (iconv_t)-1;
	cs->utf8 = !strcmp(d->canon, "UTF-8");
	if (!cs->utf8) {
		cs->enc = iconv_open(d->canon, "UTF-8");
		cs->dec = iconv_open("UTF-8", d->canon);
		if (cs->enc == (iconv_t)-1 || cs->dec == (iconv_t)-1) {
			if (msg && msgsz)
				snprintf(msg, msgsz,
					 _("encoding '%s' is not available on this system (%s)"),
					 d->canon, strerror(errno));
			charset_close(cs);
			return NULL;
		}
	}
	return cs;
}

void charset_close(struct charset *cs)
{
	if (!cs)
		return;
	if (cs->enc != (iconv_t)-1)
		iconv_close(cs->enc);
	if (cs->dec != (iconv_t)-1)
		iconv_close(cs->dec);
	free(cs);
}

int charset_is_utf8(const struct charset *cs)
{
	return cs && cs->utf8;
}

const char *charset_name(const struct charset *cs)
{
	return cs ? cs->def->canon : "";
}

static long dec1(const char *s, size_t n, int32_t *cp)
{
	utf8proc_ssize_t r = utf8proc_iterate((const utf8proc_uint8_t *)s,
					      (utf8proc_ssize_t)n, cp);
	return r > 0 ? (long)r : -1;
}

/* degradation mapping: d-stroke and Eth look-alikes are plain d/D */
static utf8proc_int32_t base_map(utf8proc_int32_t c, void *data)
{
	(void)data;
	if (c == 0x0110 || c == 0x00D0)
		return 'D';
	if (c == 0x0111 || c == 0x00F0)
		return 'd';
	return c;
}

/* Encode the UTF-8 bytes s[0..n) completely into *op or fail (0); stateless use
 * of enc between characters of a larger conversion is fine for the charsets we
 * support (none is stateful in the encoding direction). */
static int encode_all(struct charset *cs, const char *s, size_t n, char **op, size_t *ol)
{
	char *ip = (char *)s, *o = *op;
	size_t il = n, l = *ol;

	if (iconv(cs->enc, &ip, &il, &o, &l) == (size_t)-1 || il)
		return 0;
	*op = o;
	*ol = l;
	return 1;
}

/* Write a degraded form of the character c[0..n): base letters, else '?'.
 * 0 when out is full. */
static int degrade(struct charset *cs, const char *c, size_t n, char **op, size_t *ol)
{
	utf8proc_uint8_t *b = NULL;
	utf8proc_ssize_t r;

	r = utf8proc_map_custom((const utf8proc_uint8_t *)c, (utf8proc_ssize_t)n, &b,
				UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
				UTF8PROC_STRIPMARK | UTF8PROC_STABLE, base_map, NULL);
	if (r > 0 && ((size_t)r != n || memcmp(b, c, n)) &&
	    encode_all(cs, (const char *)b, (size_t)r, op, ol)) {
		free(b);
		return 1;
	}
	free(b);
	if (*ol < 1)
		return 0;
	*(*op)++ = '?';
	(*ol)--;
	return 1;
}

size_t charset_from_utf8(struct charset *cs, const char *in, char *out, size_t outsz)
{
	size_t n, i, k = 0, il, ol;
	char *clean, *ip, *op;
	utf8proc_uint8_t *nfc = NULL;
	utf8proc_ssize_t m;
	int32_t cp;

	if (!out || !outsz)
		return 0;
	out[0] = '\0';
	if (!cs || !in)
		return 0;
	n = strlen(in);
	clean = malloc(n + 1);
	if (!clean)
		return 0;
	for (i = 0; i < n;) {		/* invalid bytes -> '?' */
		long r = dec1(in + i, n - i, &cp);
		if (r < 0) {
			clean[k++] = '?';
			i++;
		} else {
			memcpy(clean + k, in + i, (size_t)r);
			k += (size_t)r;
			i += (size_t)r;
		}
	}
	m = utf8proc_map((const utf8proc_uint8_t *)clean, (utf8proc_ssize_t)k, &nfc,
			 UTF8PROC_COMPOSE | UTF8PROC_STABLE);
	free(clean);
	if (m < 0) {
		free(nfc);
		return 0;
	}

	if (cs->utf8) {
		for (i = 0; i < (size_t)m;) {
			long r = dec1((const char *)nfc + i, (size_t)m - i, &cp);
			if (r < 0 || i + (size_t)r >= outsz)
				break;
			memcpy(out + i, nfc + i, (size_t)r);
			i += (size_t)r;
		}
		out[i] = '\0';
		free(nfc);
		return i;
	}

	iconv(cs->enc, NULL, NULL, NULL, NULL);
	ip = (char *)nfc;
	il = (size_t)m;
	op = out;
	ol = outsz - 1;
	while (il > 0) {
		if (iconv(cs->enc, &ip, &il, &op, &ol) != (size_t)-1)
			break;
		if (errno != EILSEQ && errno != EINVAL)
			break;		/* E2BIG: stop between characters */
		long r = dec1(ip, il, &cp);
		if (r < 0)
			r = 1;
		if (!degrade(cs, ip, (size_t)r, &op, &ol))
			break;
		ip += r;
		il -= (size_t)r;
	}
	iconv(cs->enc, NULL, NULL, &op, &ol);
	*op = '\0';
	free(nfc);
	return (size_t)(op - out);
}

int charset_to_utf8(struct charset *cs, const char *in, size_t inlen,
		    char *out, size_t outsz)
{
	char *tmp, *ip, *op;
	size_t il, ol, n, i;
	utf8proc_uint8_t *nfc = NULL;
	utf8proc_ssize_t m;
	int32_t cp;

	if (out && outsz)
		out[0] = '\0';
	if (!cs || !out || !outsz)
		return -2;
	if (!in)
		inlen = 0;
	if (inlen && memchr(in, '\0', inlen))
		return -1;
	/* one input byte gives at most one code point (<= 3 UTF-8 bytes here) */
	tmp = malloc(inlen * 4 + 16);
	if (!tmp)
		return -2;
	if (cs->utf8) {
		for (i = 0; i < inlen;) {
			long r = dec1(in + i, inlen - i, &cp);
			if (r < 0) {
				free(tmp);
				return -1;
			}
			i += (size_t)r;
		}
		if (inlen)
			memcpy(tmp, in, inlen);
		n = inlen;
	} else {
		iconv(cs->dec, NULL, NULL, NULL, NULL);
		ip = (char *)in;
		il = inlen;
		op = tmp;
		ol = inlen * 4 + 15;
		if ((inlen && iconv(cs->dec, &ip, &il, &op, &ol) == (size_t)-1) ||
		    iconv(cs->dec, NULL, NULL, &op, &ol) == (size_t)-1) {
			free(tmp);
			return -1;
		}
		n = (size_t)(op - tmp);
	}
	/* U+00D0/U+00F0 (C3 90 / C3 B0) -> U+0110/U+0111 (C4 90 / C4 91) */
	for (i = 0; i + 1 < n; i++) {
		unsigned char c0 = (unsigned char)tmp[i], c1 = (unsigned char)tmp[i + 1];
		if (c0 == 0xC3 && (c1 == 0x90 || c1 == 0xB0)) {
			tmp[i] = (char)0xC4;
			tmp[i + 1] = c1 == 0x90 ? (char)0x90 : (char)0x91;
			i++;
		}
	}
	m = utf8proc_map((const utf8proc_uint8_t *)tmp, (utf8proc_ssize_t)n, &nfc,
			 UTF8PROC_COMPOSE | UTF8PROC_STABLE);
	free(tmp);
	if (m < 0) {
		free(nfc);
		return -1;
	}
	if ((size_t)m >= outsz || m > (utf8proc_ssize_t)0x7fffffff) {
		free(nfc);
		return -2;
	}
	memcpy(out, nfc, (size_t)m + 1);
	free(nfc);
	return (int)m;
}
