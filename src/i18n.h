/* i18n.h - the language of every message a person reads: gettext for the core, the
 * CLI and the UI alike.
 *
 * Why: msgids are English sentences; po/vi.po gives their Vietnamese.  Vietnamese
 * is the default; English only when the locale asks for it (LANGUAGE, LC_ALL,
 * LC_MESSAGES or LANG, the first one set, starting with "en").  err_set translates
 * its format here, so the core writes English and never knows the language.  Legal
 * forms and reports are Vietnamese text by law and do not go through gettext.
 */
#ifndef MOTCUA_I18N_H
#define MOTCUA_I18N_H

#include <libintl.h>

#ifndef _
#define _(s) gettext(s)
#endif
#ifndef N_
#define N_(s) s
#endif

/* picks the language and binds the "motcua" catalog; returns 1 for English */
int i18n_init(void);
/* 1 when messages are English (after i18n_init) */
int i18n_english(void);

#endif
