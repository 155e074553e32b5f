/* text.c - Vietnamese text rules: strict UTF-8, field cleaning, search folding,
 * terminal-safe display copies, widths.
 *
 * Why: every string that reaches the store or the screen passes through here, so the
 * invariants live in one place: stored text is valid UTF-8 NFC without control,
 * bidi or BOM characters (text_clean); search keys ignore case, diacritics and the
 * d-stroke (text_fold); nothing raw that a terminal would interpret is ever drawn
 * (text_sanitize).  Anything text_clean accepts, text_sanitize copies unchanged.
 * All Unicode data (decomposition, case folding, widths) comes from utf8proc.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "i18n.h"
#include "text.h"

/* Decode one code point from s[0..n); returns its length, or -1 if the bytes at s
 * do not start a valid sequence (utf8proc_iterate rejects overlongs, surrogates,
 * values above U+10FFFF and truncated sequences). */
static long dec(const char *s, size_t n, int32_t *cp)
{
	utf8proc_ssize_t r = utf8proc_iterate((const utf8proc_uint8_t *)s,
					      (utf8proc_ssize_t)n, cp);
	return r > 0 ? (long)r : -1;
}

static int is_bidi(int32_t c)
{
	return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
	       c == 0x200E || c == 0x200F || c == 0x061C;
}

/* Code points that must never reach a terminal raw and are never stored. */
static int is_c0_or_del(int32_t c) { return c < 0x20 || c == 0x7F; }
static int is_c1(int32_t c) { return c >= 0x80 && c <= 0x9F; }

int text_valid_utf8(const char *s, size_t n)
{
	size_t i = 0;
	int32_t cp;

	if (!s)
		return n == 0;
	while (i < n) {
		long r = dec(s + i, n - i, &cp);
		if (r < 0)
			return 0;
		i += (size_t)r;
	}
	return 1;
}

__attribute__((format(printf, 3, 4)))
static int clean_fail(char *msg, size_t msgsz, const char *fmt, ...)
{
	if (msg && msgsz) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, msgsz, gettext(fmt), ap); /* translated: see i18n.h */
		va_end(ap);
	}
	return -1;
}

/* NFC of s[0..n) (valid UTF-8) as a malloc'd string, NULL on failure. */
static char *nfc_dup(const char *s, size_t n)
{
	utf8proc_uint8_t *o = NULL;
	utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s,
					  (utf8proc_ssize_t)n, &o,
					  UTF8PROC_COMPOSE | UTF8PROC_STABLE);
	if (r < 0) {
		free(o);
		return NULL;
	}
	return (char *)o;
}

int text_clean(const char *in, const char *what, size_t maxchars,
	       char *out, size_t outsz, char *msg, size_t msgsz)
{
	size_t n, i, b, e, nchars;
	int32_t cp;
	char *tmp, *nfc;

	/* what: an N_() label ("applicant name"), shown in the reader's language */
	what = what ? gettext(what) : _("text");
	if (msg && msgsz)
		msg[0] = '\0';
	if (out && outsz)
		out[0] = '\0';
	if (!in)
		in = "";
	n = strlen(in);

	for (i = 0; i < n;) {
		long r = dec(in + i, n - i, &cp);
		if (r < 0)
			return clean_fail(msg, msgsz, "%s: invalid UTF-8 at byte %zu",
				    what, i + 1);
		if (is_c0_or_del(cp) || is_c1(cp))
			return clean_fail(msg, msgsz,
				    "%s: control character U+%04X not allowed",
				    what, (unsigned)cp);
		if (is_bidi(cp))
			return clean_fail(msg, msgsz,
				    "%s: bidirectional control character U+%04X not allowed",
				    what, (unsigned)cp);
		if ((cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF))
			return clean_fail(msg, msgsz,
				    "%s: noncharacter U+%04X not allowed",
				    what, (unsigned)cp);
		if (cp == 0xFEFF)
			return clean_fail(msg, msgsz,
				    "%s: invisible character U+FEFF (byte order mark) not allowed",
				    what);
		i += (size_t)r;
	}

	for (b = 0; b < n && in[b] == ' '; b++)
		;
	for (e = n; e > b && in[e - 1] == ' '; e--)
		;

	tmp = malloc(e - b + 1);
	if (!tmp)
		return clean_fail(msg, msgsz, "%s: out of memory", what);
	memcpy(tmp, in + b, e - b);
	tmp[e - b] = '\0';
	/* U+00D0/U+00F0 (C3 90 / C3 B0) -> U+0110/U+0111 (C4 90 / C4 91): same length */
	for (i = 0; i + 1 < e - b; i++) {
		unsigned char c0 = (unsigned char)tmp[i], c1 = (unsigned char)tmp[i + 1];
		if (c0 == 0xC3 && c1 == 0x90) {
			tmp[i] = (char)0xC4;
			i++;
		} else if (c0 == 0xC3 && c1 == 0xB0) {
			tmp[i] = (char)0xC4;
			tmp[i + 1] = (char)0x91;
			i++;
		}
	}
	nfc = nfc_dup(tmp, e - b);
	free(tmp);
	if (!nfc)
		return clean_fail(msg, msgsz, "%s: cannot normalise text", what);

	nchars = text_chars(nfc);
	if (maxchars && nchars > maxchars) {
		free(nfc);
		return clean_fail(msg, msgsz, "%s: too long (%zu characters, at most %zu)",
			    what, nchars, maxchars);
	}
	n = strlen(nfc);
	if (!out || n >= outsz) {
		free(nfc);
		return clean_fail(msg, msgsz, "%s: too long (%zu bytes, at most %zu)",
			    what, n, outsz ? outsz - 1 : 0);
	}
	memcpy(out, nfc, n + 1);
	free(nfc);
	return 0;
}

int text_nfc(const char *in, char *out, size_t outsz)
{
	size_t n;
	char *nfc;

	if (out && outsz)
		out[0] = '\0';
	if (!in || !out)
		return -1;
	n = strlen(in);
	if (!text_valid_utf8(in, n))
		return -1;
	nfc = nfc_dup(in, n);
	if (!nfc)
		return -1;
	n = strlen(nfc);
	if (n >= outsz) {
		free(nfc);
		return -1;
	}
	memcpy(out, nfc, n + 1);
	free(nfc);
	return 0;
}

/* utf8proc custom mapping for folding: every d-stroke / eth look-alike is 'd'. */
static utf8proc_int32_t fold_map(utf8proc_int32_t c, void *data)
{
	(void)data;
	if (c == 0x0110 || c == 0x0111 || c == 0x00D0 || c == 0x00F0)
		return 'd';
	return c;
}

static int fold_space(int32_t c)
{
	if (c < 0x20 || c == 0x7F || is_c1(c))
		return 1;
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		return 1;
	default:
		return 0;
	}
}

void text_fold(const char *in, char *out, size_t outsz)
{
	size_t n, i, k = 0, o = 0;
	int32_t cp;
	char *valid;
	utf8proc_uint8_t *m = NULL;
	utf8proc_ssize_t mlen;
	int pending = 0;

	if (!out || !outsz)
		return;
	out[0] = '\0';
	if (!in)
		return;
	n = strlen(in);
	valid = malloc(n + 1);
	if (!valid)
		return;
	for (i = 0; i < n;) {		/* drop invalid bytes */
		long r = dec(in + i, n - i, &cp);
		if (r < 0) {
			i++;
			continue;
		}
		memcpy(valid + k, in + i, (size_t)r);
		k += (size_t)r;
		i += (size_t)r;
	}
	mlen = utf8proc_map_custom((const utf8proc_uint8_t *)valid,
				   (utf8proc_ssize_t)k, &m,
				   UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK |
				   UTF8PROC_CASEFOLD | UTF8PROC_IGNORE |
				   UTF8PROC_STABLE, fold_map, NULL);
	free(valid);
	if (mlen < 0) {
		free(m);
		return;
	}
	for (i = 0; i < (size_t)mlen;) {
		long r = dec((const char *)m + i, (size_t)mlen - i, &cp);
		if (r < 0)
			break;
		if (fold_space(cp)) {
			pending = o > 0;
		} else {
			size_t need = (size_t)r + (pending ? 1 : 0);
			if (o + need >= outsz)
				break;
			if (pending)
				out[o++] = ' ';
			pending = 0;
			memcpy(out + o, m + i, (size_t)r);
			o += (size_t)r;
		}
		i += (size_t)r;
	}
	out[o] = '\0';
	free(m);
}

void text_sanitize(const char *in, char *out, size_t outsz)
{
	size_t n, i, o = 0;
	int32_t cp;
	char esc[16];

	if (!out || !outsz)
		return;
	out[0] = '\0';
	if (!in)
		return;
	n = strlen(in);
	for (i = 0; i < n;) {
		long r = dec(in + i, n - i, &cp);
		const char *piece;
		size_t plen;

		if (r < 0) {
			snprintf(esc, sizeof esc, "\\x%02x", (unsigned char)in[i]);
			r = 1;
			piece = esc;
		} else if (is_c0_or_del(cp)) {
			snprintf(esc, sizeof esc, "\\x%02x", (unsigned)cp);
			piece = esc;
		} else if (is_c1(cp) || is_bidi(cp) || cp == 0xFEFF) {
			snprintf(esc, sizeof esc, "<U+%04X>", (unsigned)cp);
			piece = esc;
		} else {
			piece = in + i;
		}
		plen = piece == esc ? strlen(esc) : (size_t)r;
		if (o + plen >= outsz)
			break;
		memcpy(out + o, piece, plen);
		o += plen;
		i += (size_t)r;
	}
	out[o] = '\0';
}

int text_width(const char *s)
{
	size_t n, i;
	int32_t cp;
	int w = 0;

	if (!s)
		return 0;
	n = strlen(s);
	for (i = 0; i < n;) {
		long r = dec(s + i, n - i, &cp);
		if (r < 0) {		/* invalid byte: counts as one column */
			w++;
			i++;
			continue;
		}
		int cw = utf8proc_charwidth(cp);
		if (cw > 0)
			w += cw;
		i += (size_t)r;
	}
	return w;
}

size_t text_chars(const char *s)
{
	size_t n, i, c = 0;
	int32_t cp;

	if (!s)
		return 0;
	n = strlen(s);
	for (i = 0; i < n; c++) {
		long r = dec(s + i, n - i, &cp);
		i += r < 0 ? 1 : (size_t)r;	/* an invalid byte counts as one */
	}
	return c;
}

void text_capitalize(char *s, size_t n)
{
	utf8proc_int32_t cp;
	size_t len = strlen(s);
	utf8proc_ssize_t r = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &cp);
	if (r <= 0)
		return;
	utf8proc_uint8_t up[4];
	utf8proc_ssize_t k = utf8proc_encode_char(utf8proc_toupper(cp), up);
	if (k <= 0 || len - (size_t)r + (size_t)k + 1 > n)
		return;
	memmove(s + k, s + r, len - (size_t)r + 1);
	memcpy(s, up, (size_t)k);
}

/* bytes of s[0..n) that fit in cols columns, stopping before the character that does
 * not fit (and before the last whole character that fits in outsz) */
static size_t fit_prefix(const char *s, size_t n, int cols, size_t outsz, int *used)
{
	size_t i = 0;
	int w = 0;
	while (i < n) {
		int32_t cp;
		long r = dec(s + i, n - i, &cp);
		int cw = 1;
		if (r < 0)
			r = 1;
		else if ((cw = utf8proc_charwidth(cp)) < 0)
			cw = 0;
		if (w + cw > cols || i + (size_t)r + 1 > outsz)
			break;
		w += cw;
		i += (size_t)r;
	}
	*used = w;
	return i;
}

int text_fit(const char *s, int cols, char *out, size_t outsz)
{
	static const char ell[] = "\xe2\x80\xa6"; /* U+2026, one column */
	if (!outsz)
		return 0;
	if (!s || cols <= 0) {
		out[0] = 0;
		return 0;
	}
	size_t n = strlen(s);
	int used;
	size_t b = fit_prefix(s, n, cols, outsz, &used);
	if (b == n) {
		memcpy(out, s, b);
		out[b] = 0;
		return used;
	}
	/* cut: room for the ellipsis */
	b = fit_prefix(s, n, cols - 1, outsz > 3 ? outsz - 3 : 0, &used);
	memcpy(out, s, b);
	if (b + sizeof ell <= outsz) {
		memcpy(out + b, ell, sizeof ell);
		used++;
	} else {
		out[b] = 0;
	}
	return used;
}
