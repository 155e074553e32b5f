/* term.h - the terminal boundary: locale, charset and the curses screen.
 *
 * curses always runs in a UTF-8 locale.  The terminal's own charset (from
 * nl_langinfo(CODESET) of the user's locale, or --charset) decides how bytes cross
 * the boundary: a UTF-8 terminal gets curses directly; an 8-bit one (VISCII,
 * TCVN5712-1, CP1258, ASCII ...) gets curses on a pseudo-terminal whose bytes a
 * converter thread translates both ways with src/charset.h (what the terminal cannot
 * show degrades to base letters).  A client that sends LANG=C (codeset ASCII) is
 * assumed to have a UTF-8 terminal, as PuTTY and every modern emulator do; say
 * --charset ascii for text without diacritics.
 */
#ifndef MOTCUA_TERM_H
#define MOTCUA_TERM_H

#include <stddef.h>

struct ui;

/* the terminal charset the user's locale or --charset asks for (call before
 * term_start changes the locale) */
const char *term_charset_name(const char *opt);
/* switch to a UTF-8 locale for curses (if needed); 0 or -1 if none exists */
int term_utf8_locale(void);
/* start curses on the terminal; 0, or -1 with a message */
int term_start(struct ui *ui, const char *charset, char *msg, size_t n);
/* stop curses, drain the converter, restore the terminal */
void term_end(void);
/* the descriptor curses reads keys from */
int term_infd(void);

void manager_signals(void);
int manager_ended(void);

#endif
