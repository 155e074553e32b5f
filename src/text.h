/* text.h - Vietnamese text: validation, normalisation, search folding, safe display.
 *
 * Why: everything typed or imported is untrusted, and Vietnamese arrives as NFC, NFD
 * or legacy 8-bit.  This module owns the rules: stored text is valid UTF-8 NFC without
 * control characters; search keys fold case and diacritics (d-stroke included); text
 * drawn on a terminal never carries a control or bidi character raw.  Pure (uses
 * utf8proc), no curses, no store.
 */
#ifndef MOTCUA_TEXT_H
#define MOTCUA_TEXT_H

#include <stddef.h>

/* 1 if s[0..n) is valid UTF-8 (no overlongs, no surrogates) */
int text_valid_utf8(const char *s, size_t n);

/* Clean one field of user input into out (NFC, trimmed of surrounding spaces).
 * Fails (returns -1 and writes a message "<what> ..." into msg) on invalid UTF-8,
 * control characters (C0, DEL, C1), bidi override/isolate characters, or more than
 * maxchars characters.  U+00D0/U+00F0 (Eth look-alikes from CP1252 data) become
 * U+0110/U+0111.  what names the field in the message ("applicant name"). */
int text_clean(const char *in, const char *what, size_t maxchars,
	       char *out, size_t outsz, char *msg, size_t msgsz);

/* NFC of valid UTF-8 into out; returns -1 if invalid or too long for out */
int text_nfc(const char *in, char *out, size_t outsz);

/* Search key: NFC -> strip marks -> d-stroke to d -> case-fold -> collapse spaces.
 * "Nguyễn Văn Đức" -> "nguyen van duc".  Invalid bytes are dropped. */
void text_fold(const char *in, char *out, size_t outsz);

/* Display-safe copy: C0/C1 controls, DEL, ESC sequences, bidi controls and invalid
 * bytes are replaced by visible escapes (e.g. "\x1b", "<U+202E>", "\xff"); everything
 * else is copied.  Always NUL-terminates; truncates at a character boundary. */
void text_sanitize(const char *in, char *out, size_t outsz);

/* Number of terminal columns s (valid UTF-8) occupies (combining marks 0, wide 2). */
int text_width(const char *s);
/* Copy of s fitted to at most cols terminal columns: cut on a character boundary,
 * by display width, ending with "…" when anything was cut; never padded.  Returns
 * the columns used.  For every table of the CLI and the printed forms. */
int text_fit(const char *s, int cols, char *out, size_t outsz);
/* Number of characters (code points) */
size_t text_chars(const char *s);
/* s (valid UTF-8, NUL-terminated, in a buffer of n bytes) with its first letter in
 * upper case ("đang xử lý" -> "Đang xử lý"), whatever the locale; unchanged if the
 * capital would not fit */
void text_capitalize(char *s, size_t n);

#endif
