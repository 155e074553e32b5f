/* charset.h - UTF-8 <-> legacy charsets (terminal output, file export/import).
 *
 * Why: some offices still run VISCII, TCVN3 or Windows-1258 terminals and exchange
 * files in those encodings.  Internally all text is UTF-8 NFC; this module owns
 * the conversion at the edges (glibc iconv), including the awkward parts: NFC
 * before encoding, graceful degradation for characters a charset lacks, CP1258's
 * combining tone marks and Eth look-alikes on the way in.
 *
 * Names (case-insensitive):
 *   UTF-8       utf-8, utf8
 *   VISCII      viscii
 *   TCVN5712-1  tcvn5712-1, tcvn5712, tcvn
 *   CP1258      cp1258, windows-1258
 *   CP1252      cp1252, windows-1252
 *   ISO-8859-1  iso-8859-1, iso8859-1, latin1
 *   ASCII       ascii, us-ascii, ansi_x3.4-1968 (what nl_langinfo(CODESET)
 *               reports in the C locale)
 * Each struct charset owns its iconv handles: use one per thread.
 */
#ifndef MOTCUA_CHARSET_H
#define MOTCUA_CHARSET_H

#include <stddef.h>

struct charset;

/* Open a converter; NULL with a message in msg for an unknown name or when the
 * system lacks the converter.  Unknown: "unknown encoding 'x' (known: utf-8,
 * viscii, tcvn5712-1, cp1258)". */
struct charset *charset_open(const char *name, char *msg, size_t msgsz);
void charset_close(struct charset *cs);

int charset_is_utf8(const struct charset *cs);
/* canonical name: "UTF-8", "VISCII", "TCVN5712-1", "CP1258", ... */
const char *charset_name(const struct charset *cs);

/* UTF-8 -> charset.  The input is NFC-normalised first; invalid UTF-8 bytes become
 * '?'.  A character the charset cannot encode degrades to its base letters (marks
 * stripped, compatibility forms expanded, đ -> d, Đ -> D) and failing that to '?';
 * other characters are never touched.  Output is NUL-terminated and truncated
 * only between characters.  Returns the bytes written, NUL excluded. */
size_t charset_from_utf8(struct charset *cs, const char *in, char *out, size_t outsz);

/* charset in[0..inlen) -> UTF-8 NFC, NUL-terminated; U+00D0/U+00F0 become Đ/đ.
 * Returns the bytes written (NUL excluded), -1 if in holds bytes invalid in that
 * charset (or a NUL byte), -2 if out is too small (out is then ""). */
int charset_to_utf8(struct charset *cs, const char *in, size_t inlen,
		    char *out, size_t outsz);

#endif
