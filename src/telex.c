/* telex.c - Telex input engine (see telex.h for the key rules and tone style).
 *
 * Why: terminal users have no Vietnamese input method; the UI feeds keys through
 * this engine when Telex is switched on.  It owns the Telex key rules, Vietnamese
 * syllable shape (initial consonant, vowel nucleus, final consonant) and tone
 * placement.  It keeps no state: on every key the word at the end of the buffer is
 * decomposed with utf8proc into letters + modifier + tone, changed, checked to
 * still look like a Vietnamese syllable, re-toned and recomposed (NFC).
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "telex.h"

#define TX_MAXW 10		/* longest word handled ("nghiêng" has 7 letters) */

enum { MOD_NONE, MOD_CIRC, MOD_BREVE, MOD_HORN, MOD_STROKE };
enum { TONE_NONE, TONE_S, TONE_F, TONE_R, TONE_X, TONE_J };

/* combining marks for MOD_* and TONE_* (index 0 unused) */
static const int32_t mod_mark[] = { 0, 0x0302, 0x0306, 0x031B, 0 };
static const int32_t tone_mark[] = { 0, 0x0301, 0x0300, 0x0309, 0x0303, 0x0323 };

struct letter {
	char base;		/* 'a'..'z' */
	unsigned char mod;	/* MOD_* */
	unsigned char up;	/* upper case */
};

struct word {
	struct letter l[TX_MAXW + 1];
	int n;
	int tone;		/* TONE_* of the whole word */
	int tpos;		/* letter carrying it as found in the buffer, or -1 */
};

/* nucleus [nb, ne) of a word that looks like a Vietnamese syllable */
struct syl {
	int nb, ne;
};

/* Valid initial and final consonant clusters ('D' stands for đ).  Every prefix of
 * a valid initial is itself valid, so words being typed pass. */
static const char *const initials[] = {
	"", "b", "c", "ch", "d", "D", "g", "gh", "h", "k", "kh", "l", "m", "n",
	"ng", "ngh", "nh", "p", "ph", "q", "r", "s", "t", "th", "tr", "v", "x", NULL
};
static const char *const finals[] = {
	"", "c", "ch", "m", "n", "ng", "nh", "p", "t", NULL
};

/* Vowel nuclei of Vietnamese, two characters per vowel: the letter and its
 * modifier ('.' none, '^' circumflex, '(' breve, '+' horn). */
static const char *const nuclei[] = {
	"a.", "a(", "a^", "e.", "e^", "i.", "o.", "o^", "o+", "u.", "u+", "y.",
	"a.i.", "a.o.", "a.u.", "a.y.", "a^u.", "a^y.", "e.o.", "e^u.", "i.a.",
	"i.e^", "i.u.", "o.a.", "o.a(", "o.e.", "o.i.", "o.o.", "o^i.", "o+i.",
	"u.a.", "u.a^", "u.e^", "u.i.", "u.o^", "u.o+", "u.y.", "u+a.", "u+i.",
	"u+u.", "u+o+", "y.e^",
	"i.e^u.", "o.a.i.", "o.a.y.", "o.a.o.", "o.e.o.", "u.a^y.", "u.o^i.",
	"u+o+i.", "u+o+u.", "u.y.a.", "u.y.e^", "u.y.u.", "y.e^u.", NULL
};
static const char mod_char[] = { '.', '^', '(', '+', '-' };

static int is_vowel(const struct letter *L)
{
	return L->base && strchr("aeiouy", L->base) != NULL;
}

static int in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return 1;
	return 0;
}

/* v[0..n) matches a known nucleus: a vowel without modifier matches any modifier
 * (it may still get one).  Without exact, v may be the start of a longer one. */
static int nucleus_ok(const struct letter *v, int n, int exact)
{
	if (n == 0)
		return 1;
	for (const char *const *p = nuclei; *p; p++) {
		size_t len = strlen(*p);
		int i;
		if (len < (size_t)n * 2 || (exact && len != (size_t)n * 2))
			continue;
		for (i = 0; i < n; i++) {
			if ((*p)[2 * i] != v[i].base)
				break;
			if (v[i].mod != MOD_NONE && (*p)[2 * i + 1] != mod_char[v[i].mod])
				break;
		}
		if (i == n)
			return 1;
	}
	return 0;
}

static char cons_char(const struct letter *L)
{
	return L->mod == MOD_STROKE ? 'D' : L->base;
}

/* 1 if w looks like (the beginning of) a Vietnamese syllable; fills s */
static int syllable(const struct word *w, struct syl *s)
{
	char c[8];
	int i = 0, k = 0;

	while (i < w->n && !is_vowel(&w->l[i])) {
		if (k >= 3)
			return 0;
		c[k++] = cons_char(&w->l[i++]);
	}
	c[k] = '\0';
	if (!in_list(initials, c))
		return 0;
	if (!strcmp(c, "q")) {
		/* qu: the u belongs to the consonant */
		if (i < w->n) {
			if (w->l[i].base != 'u' || w->l[i].mod != MOD_NONE)
				return 0;
			i++;
		}
	} else if (!strcmp(c, "g") && i + 1 < w->n && w->l[i].base == 'i' &&
		   w->l[i].mod == MOD_NONE && is_vowel(&w->l[i + 1])) {
		i++;		/* gi + vowel: the i belongs to the consonant */
	}
	s->nb = i;
	while (i < w->n && is_vowel(&w->l[i]))
		i++;
	s->ne = i;
	for (k = 0; i < w->n; i++) {
		if (is_vowel(&w->l[i]) || k >= 2)
			return 0;
		c[k++] = cons_char(&w->l[i]);
	}
	c[k] = '\0';
	if (!in_list(finals, c) || (k > 0 && s->nb == s->ne))
		return 0;
	for (i = s->nb; i < s->ne; i++)
		if (w->l[i].mod == MOD_STROKE)
			return 0;
	return nucleus_ok(w->l + s->nb, s->ne - s->nb, k > 0);
}

/* Which letter carries the tone (classic style, see telex.h); -1 if no vowel */
static int tone_pos(const struct word *w, const struct syl *s)
{
	int k = s->ne - s->nb;

	if (k == 0)
		return -1;
	for (int i = s->ne - 1; i >= s->nb; i--)
		if (w->l[i].mod != MOD_NONE)
			return i;
	if (k == 1)
		return s->nb;
	if (s->ne < w->n)
		return s->ne - 1;	/* cluster + final consonant: last vowel */
	if (k == 3)
		return s->nb + 1;
	return s->nb;			/* classic: hòa, thủy, mùa */
}

/* "uơ" is only written at the end of a syllable; with anything after it is "ươ" */
static void fix_uo(struct word *w, const struct syl *s)
{
	for (int i = s->nb; i + 1 < s->ne; i++)
		if (w->l[i].base == 'u' && w->l[i].mod == MOD_NONE &&
		    w->l[i + 1].base == 'o' && w->l[i + 1].mod == MOD_HORN &&
		    i + 2 < w->n)
			w->l[i].mod = MOD_HORN;
}

static int push(struct word *w, char base, int mod, int up)
{
	if (w->n >= TX_MAXW)
		return 0;
	w->l[w->n].base = base;
	w->l[w->n].mod = (unsigned char)mod;
	w->l[w->n].up = (unsigned char)up;
	w->n++;
	return 1;
}

/* Classify one code point: 1 Vietnamese letter (filled in, *tone set),
 * 0 word boundary, -1 digit or foreign letter (leave the word alone). */
static int classify(int32_t cp, struct letter *L, int *tone)
{
	int32_t d[8];
	int bc = 0;
	utf8proc_ssize_t r;

	*tone = TONE_NONE;
	L->mod = MOD_NONE;
	L->up = 0;
	if (cp < 0x80) {
		if (cp >= '0' && cp <= '9')
			return -1;
		if (cp >= 'A' && cp <= 'Z') {
			L->base = (char)(cp - 'A' + 'a');
			L->up = 1;
			return 1;
		}
		if (cp >= 'a' && cp <= 'z') {
			L->base = (char)cp;
			return 1;
		}
		return 0;
	}
	if (cp == 0x0110 || cp == 0x0111) {
		L->base = 'd';
		L->mod = MOD_STROKE;
		L->up = cp == 0x0110;
		return 1;
	}
	r = utf8proc_decompose_char(cp, d, 8, UTF8PROC_DECOMPOSE, &bc);
	if (r >= 2 && r <= 3 && d[0] < 0x80 &&
	    ((d[0] >= 'a' && d[0] <= 'z') || (d[0] >= 'A' && d[0] <= 'Z'))) {
		L->up = d[0] < 'a';
		L->base = (char)(L->up ? d[0] - 'A' + 'a' : d[0]);
		for (int i = 1; i < r; i++) {
			int found = 0;
			for (int m = MOD_CIRC; m <= MOD_HORN; m++)
				if (d[i] == mod_mark[m] && L->mod == MOD_NONE) {
					L->mod = (unsigned char)m;
					found = 1;
				}
			for (int t = TONE_S; t <= TONE_J; t++)
				if (d[i] == tone_mark[t] && *tone == TONE_NONE) {
					*tone = t;
					found = 1;
				}
			if (!found)
				return -1;
		}
		if (!is_vowel(L) ||
		    (L->mod == MOD_CIRC && !strchr("aeo", L->base)) ||
		    (L->mod == MOD_BREVE && L->base != 'a') ||
		    (L->mod == MOD_HORN && !strchr("ou", L->base)))
			return -1;
		return 1;
	}
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
		return -1;
	default:
		return 0;
	}
}

/* Parse the word ending at buf[len]; *ws gets its first byte.  0 = leave alone. */
static int parse_word(const char *buf, size_t len, size_t *ws, struct word *w)
{
	struct letter rev[TX_MAXW];
	int n = 0, tone = TONE_NONE, trev = -1;
	size_t end = len;

	while (end > 0) {
		size_t st = end;
		int32_t cp;
		struct letter L;
		int t, c;

		do
			st--;
		while (st > 0 && end - st < 4 && ((unsigned char)buf[st] & 0xC0) == 0x80);
		if (utf8proc_iterate((const utf8proc_uint8_t *)buf + st,
				     (utf8proc_ssize_t)(end - st), &cp) !=
		    (utf8proc_ssize_t)(end - st))
			break;		/* invalid bytes end the word */
		c = classify(cp, &L, &t);
		if (c == 0)
			break;
		if (c < 0 || n >= TX_MAXW)
			return 0;
		if (t != TONE_NONE) {
			if (tone != TONE_NONE)
				return 0;
			tone = t;
			trev = n;
		}
		rev[n++] = L;
		end = st;
	}
	*ws = end;
	w->n = n;
	for (int i = 0; i < n; i++)
		w->l[i] = rev[n - 1 - i];
	w->tone = tone;
	w->tpos = trev < 0 ? -1 : n - 1 - trev;
	return 1;
}

/* UTF-8 NFC of w with the tone on letter tpos; returns length or -1 */
static int render(const struct word *w, int tpos, char *out, size_t outsz)
{
	utf8proc_uint8_t raw[TX_MAXW * 12 + 1], *nfc = NULL;
	utf8proc_ssize_t n = 0, r;

	for (int i = 0; i < w->n; i++) {
		const struct letter *L = &w->l[i];
		int32_t c = L->up ? L->base - 'a' + 'A' : L->base;
		if (L->mod == MOD_STROKE)
			c = L->up ? 0x0110 : 0x0111;
		n += utf8proc_encode_char(c, raw + n);
		if (L->mod != MOD_NONE && L->mod != MOD_STROKE)
			n += utf8proc_encode_char(mod_mark[L->mod], raw + n);
		if (i == tpos && w->tone != TONE_NONE)
			n += utf8proc_encode_char(tone_mark[w->tone], raw + n);
	}
	r = utf8proc_map(raw, n, &nfc, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
	if (r < 0 || (size_t)r >= outsz) {
		free(nfc);
		return -1;
	}
	memcpy(out, nfc, (size_t)r + 1);
	free(nfc);
	return (int)r;
}

/* aa ee oo: circumflex on the nucleus vowel k; 1 done, 2 undone, 0 not applicable */
static int key_circ(struct word *w, const struct syl *s, char k, int up)
{
	struct syl ts;

	for (int i = s->ne - 1; i >= s->nb; i--) {
		if (w->l[i].base != k)
			continue;
		if (w->l[i].mod == MOD_CIRC) {
			w->l[i].mod = MOD_NONE;
			return push(w, k, MOD_NONE, up) ? 2 : -1;
		}
		struct word t = *w;
		t.l[i].mod = MOD_CIRC;
		if (syllable(&t, &ts)) {
			*w = t;
			return 1;
		}
	}
	return 0;
}

/* w: horn on u/o (uo -> ươ), breve on a, alone -> ư; 1 done, 2 undone, 0 n/a */
static int key_w(struct word *w, const struct syl *s, int up)
{
	struct syl ts;
	struct word t;
	int i;

	for (i = s->nb; i + 1 < s->ne; i++) {
		if (w->l[i].base != 'u' || w->l[i + 1].base != 'o')
			continue;
		if (w->l[i + 1].mod == MOD_HORN) {
			w->l[i].mod = w->l[i + 1].mod = MOD_NONE;
			return push(w, 'w', MOD_NONE, up) ? 2 : -1;
		}
		t = *w;
		t.l[i + 1].mod = MOD_HORN;
		if (i + 2 < t.n)
			t.l[i].mod = MOD_HORN;
		if (syllable(&t, &ts)) {
			*w = t;
			return 1;
		}
		break;
	}
	for (i = s->ne - 1; i >= s->nb; i--)
		if (w->l[i].mod == MOD_HORN || w->l[i].mod == MOD_BREVE) {
			w->l[i].mod = MOD_NONE;
			return push(w, 'w', MOD_NONE, up) ? 2 : -1;
		}
	for (const char *c = "uoa"; *c; c++)
		for (i = s->nb; i < s->ne; i++) {
			if (w->l[i].base != *c)
				continue;
			t = *w;
			t.l[i].mod = *c == 'a' ? MOD_BREVE : MOD_HORN;
			if (syllable(&t, &ts)) {
				*w = t;
				return 1;
			}
		}
	if (s->nb == s->ne && (w->n == 0 || !is_vowel(&w->l[w->n - 1]))) {
		t = *w;
		if (push(&t, 'u', MOD_HORN, up) && syllable(&t, &ts)) {
			*w = t;
			return 1;
		}
	}
	return 0;
}

static int tone_of(char k)
{
	switch (k) {
	case 's': return TONE_S;
	case 'f': return TONE_F;
	case 'r': return TONE_R;
	case 'x': return TONE_X;
	case 'j': return TONE_J;
	default: return TONE_NONE;
	}
}

int telex_apply(char *buf, size_t bufsz, uint32_t key)
{
	struct word w, nw;
	struct syl s, ns;
	size_t len, ws;
	char k, word[TX_MAXW * 12 + 1];
	int up, r = 0, raw = 0, tpos, n;

	if (!buf || !bufsz)
		return 0;
	if (key >= 'A' && key <= 'Z') {
		k = (char)(key - 'A' + 'a');
		up = 1;
	} else if (key >= 'a' && key <= 'z') {
		k = (char)key;
		up = 0;
	} else {
		return 0;
	}
	len = strnlen(buf, bufsz);
	if (len >= bufsz)
		return 0;
	if (!parse_word(buf, len, &ws, &w) || !syllable(&w, &s))
		return 0;
	nw = w;

	switch (k) {
	case 's': case 'f': case 'r': case 'x': case 'j':
		if (tone_pos(&w, &s) < 0)
			break;
		if (w.tone == tone_of(k)) {
			nw.tone = TONE_NONE;
			r = push(&nw, k, MOD_NONE, up) ? 2 : -1;
		} else {
			nw.tone = tone_of(k);
			r = 1;
		}
		break;
	case 'z':
		if (w.tone != TONE_NONE) {
			nw.tone = TONE_NONE;
			r = 1;
		}
		break;
	case 'd':
		if (w.n > 0 && w.l[0].base == 'd') {
			if (w.l[0].mod == MOD_STROKE) {
				nw.l[0].mod = MOD_NONE;
				r = push(&nw, 'd', MOD_NONE, up) ? 2 : -1;
			} else {
				nw.l[0].mod = MOD_STROKE;
				r = 1;
			}
		}
		break;
	case 'a': case 'e': case 'o':
		r = key_circ(&nw, &s, k, up);
		break;
	case 'w':
		r = key_w(&nw, &s, up);
		break;
	default:
		break;
	}
	if (r < 0)
		return 0;
	if (r == 0) {		/* an ordinary letter: append it, re-place the tone */
		if (!push(&nw, k, MOD_NONE, up) || !syllable(&nw, &ns))
			return 0;
	}
	raw = r == 2;

	if (syllable(&nw, &ns)) {
		fix_uo(&nw, &ns);
		tpos = tone_pos(&nw, &ns);
		if (tpos < 0)
			tpos = w.tpos;
	} else if (raw) {
		tpos = w.tpos;	/* undo made a non-word: leave the tone where it was */
	} else {
		return 0;
	}
	n = render(&nw, tpos, word, sizeof word);
	if (n < 0)
		return 0;
	/* unchanged apart from the key itself: let the caller insert it */
	if ((size_t)n == len - ws + 1 && !memcmp(word, buf + ws, len - ws) &&
	    word[n - 1] == (char)key)
		return 0;
	if (ws + (size_t)n >= bufsz)
		return 0;
	memcpy(buf + ws, word, (size_t)n + 1);
	return 1;
}

int telex_apply_at(char *buf, size_t bufsz, size_t *cursor, uint32_t key)
{
	size_t len, tail;
	char *save;
	int r;

	if (!buf || !bufsz || !cursor)
		return 0;
	len = strnlen(buf, bufsz);
	if (len >= bufsz || *cursor > len ||
	    ((unsigned char)buf[*cursor] & 0xC0) == 0x80)	/* inside a character */
		return 0;
	tail = len - *cursor;
	if (tail == 0)
		return telex_apply(buf, bufsz, key) ? (*cursor = strlen(buf), 1) : 0;
	save = malloc(tail + 1);
	if (!save)
		return 0;
	memcpy(save, buf + *cursor, tail + 1);
	buf[*cursor] = '\0';
	r = telex_apply(buf, bufsz - tail, key);
	if (r) {
		*cursor = strlen(buf);
		memcpy(buf + *cursor, save, tail + 1);
	} else {
		memcpy(buf + *cursor, save, tail + 1);
	}
	free(save);
	return r;
}
