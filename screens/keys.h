/* keys.h - the one action table of the terminal UI.
 *
 * Why: the footer, the help screen and the key list of the manual (motcua keys --man)
 * all come from ACTIONS below, so they cannot drift from what the keys really do
 * (the idea of tig's REQ_INFO).  Each row is
 *     _(NAME, key1, key2, key3, "footer label", "help text")
 * keys are curses key codes (KEY_F(1), KEY_UP), control keys (CTRL('o')) or plain
 * characters; 0 fills unused slots.  Every function key has a letter or Ctrl
 * alternative on the same row (PuTTY sends F1-F4 that xterm's terminfo does not
 * know), and every Ctrl key a second one (on a VISCII terminal some Ctrl bytes are
 * letters, see keys_set_letters).  Labels and help texts are gettext msgids (English; po/vi.po translates).
 *
 * Letters act only where no text field has the focus: a form takes printable keys
 * as text first (htop's "what a panel ignores falls through" rule), so every action
 * a form needs has a Ctrl or function key.
 */
#ifndef MOTCUA_KEYS_H
#define MOTCUA_KEYS_H

#include <stdio.h>

#ifndef CTRL
#define CTRL(c) ((c) & 0x1f)
#endif
#define KEY_ESCAPE 27

#define N_(s) s

#define ACTIONS(_) \
	/* global */ \
	_(HELP,      KEY_F(1), '?', CTRL('g'), N_("Help"), N_("Show this list of keys")) \
	_(BACK,      KEY_ESCAPE, KEY_F(3), KEY_LEFT, N_("Back"), N_("Close this screen (a half-filled form is kept as a draft)")) \
	_(QUIT,      KEY_F(10), 'q', CTRL('c'), N_("Quit"), N_("Leave motcua (drafts are kept)")) \
	_(REDRAW,    CTRL('l'), 0, 0, N_("Redraw"), N_("Reload the data and repaint the screen")) \
	_(TELEX,     KEY_F(6), CTRL('t'), CTRL('v'), N_("Telex"), N_("Telex input on/off (type aa, dd, ow, s f r x j)")) \
	_(ARROW,     KEY_F(7), 'A', 0, N_("Arrow"), N_("Arrow cursor (few bytes on slow links) or highlighted row")) \
	/* moving */ \
	_(UP,        KEY_UP, CTRL('p'), 0, N_("Up"), N_("Previous row or field")) \
	_(DOWN,      KEY_DOWN, CTRL('n'), 0, N_("Down"), N_("Next row or field")) \
	_(PGUP,      KEY_PPAGE, CTRL('b'), 0, N_("PgUp"), N_("Previous page")) \
	_(PGDN,      KEY_NPAGE, CTRL('f'), ' ', N_("PgDn"), N_("Next page (Space in lists)")) \
	_(FIRST,     KEY_HOME, 'g', 0, N_("First"), N_("First row")) \
	_(LAST,      KEY_END, 'G', 0, N_("Last"), N_("Last row")) \
	_(NEXT,      '\t', 0, 0, N_("Next"), N_("Next field, or the next queue on the home screen")) \
	_(PREV,      KEY_BTAB, 0, 0, N_("Prev"), N_("Previous field or queue")) \
	_(ENTER,     '\n', '\r', KEY_ENTER, N_("Open"), N_("Open the selected dossier; choose; next field")) \
	_(SUBMIT,    KEY_F(2), CTRL('o'), 0, N_("Confirm"), N_("Confirm the form (receive, assign, sign ...)")) \
	_(DISCARD,   KEY_F(8), CTRL('r'), 0, N_("Discard"), N_("Discard the half-filled form and its draft (press twice)")) \
	/* screens */ \
	_(RECEIVE,   KEY_F(4), 'n', 0, N_("Receive"), N_("Receive a new dossier at the one-stop")) \
	_(SEARCH,    KEY_F(5), '/', 's', N_("Search"), N_("Search by code, name, ID number or phone (no diacritics needed)")) \
	_(INTAKE,    KEY_F(9), 'o', 0, N_("Online"), N_("Dossiers filed online, to accept or refuse")) \
	_(DASHBOARD, KEY_F(11), 'd', 0, N_("Dashboard"), N_("Dashboard: today's queues (the whole office; a department head's own department)")) \
	_(SYNC,      KEY_F(12), 'y', 0, N_("Sync"), N_("Sync status and conflicts")) \
	_(CASHIER,   'v', '$', 0, N_("Cashier"), N_("Cashier: dossiers awaiting payment of fees; record a payment, print its receipt, refund")) \
	/* steps on the selected dossier */ \
	_(ACCEPT,    'c', 0, 0, N_("Accept"), N_("Accept a dossier filed online (shows its components and asks first)")) \
	_(REFUSE,    'x', 0, 0, N_("Refuse"), N_("Refuse a dossier at intake (asks the reason)")) \
	_(TRANSFER,  'f', 0, 0, N_("Transfer"), N_("Transfer to the competent department (asks first)")) \
	_(ASSIGN,    'a', 0, 0, N_("Assign"), N_("Assign to a specialist (department head)")) \
	_(PROCESS,   'p', 0, 0, N_("Process"), N_("Propose approve/refuse or request a supplement (specialist)")) \
	_(SIGN,      'k', 0, 0, N_("Sign"), N_("Review and sign, or send back (leader)")) \
	_(RESUME,    'u', 0, 0, N_("Resumed"), N_("The supplement arrived: the clock runs again")) \
	_(RETURN,    't', 0, 0, N_("Return"), N_("Return the result: who collected it, rating")) \
	_(EXTEND,    'e', 0, 0, N_("Extend"), N_("Extend the deadline: a new appointment and a reason; the apology letter (form 04) follows")) \
	_(WITHDRAW,  'w', 0, 0, N_("Withdraw"), N_("The applicant withdraws the dossier (asks the reason; notice form 05)")) \
	_(STOP,      'h', 0, 0, N_("Stop"), N_("Halt processing, e.g. the applicant died or the law changed (leader; asks the reason)")) \
	_(PAY,       'r', '+', 0, N_("Pay"), N_("Record a payment of fees (cash or bank transfer) with a numbered receipt")) \
	_(REFUND,    'z', '-', 0, N_("Refund"), N_("Refund fees against one receipt, with a reason (leader or supervisor)")) \
	_(APOLOGY,   'j', 0, 0, N_("Apology"), N_("Liên thông: the late part's agency apologises with a new appointment (its leader, form 04); at the lead, record the appointment it proposes")) \
	/* paper and settings */ \
	_(PRINT,     'i', 0, 0, N_("Print"), N_("Print: the slip just made, a form of this dossier (a menu of those that apply), or the report on screen")) \
	_(FILES,     'b', 0, 0, N_("Files"), N_("Attached files: attach a scan from the scanner's folder, check, export or print a file")) \
	_(EXPORT,    'l', 0, 0, N_("Save CSV"), N_("Save the report on screen as a CSV file (UTF-8, for Excel or LibreOffice)")) \
	_(SETTINGS,  'm', 0, 0, N_("Settings"), N_("Settings: your signing key (leader), the printer and the central server (administrator)")) \
	/* choices inside a form */ \
	_(TICKALL,   CTRL('d'), 0, 0, N_("Tick required"), N_("Tick every required component at once (receive form)")) \
	_(TOGGLE,    KEY_RIGHT, CTRL('x'), 0, N_("Change"), N_("Next choice; tick or untick a component (Space in a checklist)"))

enum action {
	A_NONE = 0,
#define A_ENUM(name, k1, k2, k3, label, help) A_##name,
	ACTIONS(A_ENUM)
#undef A_ENUM
	A_COUNT
};

struct action_info {
	int action;
	const char *id;        /* "HELP" */
	int keys[3];
	const char *label;     /* msgid */
	const char *help;      /* msgid */
};

extern const struct action_info key_table[A_COUNT];

/* the control bytes (bit b for byte b < 32) that are letters on this terminal (VISCII
 * puts Ẳ Ẵ Ẫ Ỷ Ỹ Ỵ there): they act as no key, and the footer and help show the
 * action's other keys */
void keys_set_letters(unsigned mask);
/* the action a key code means (is_key: a curses KEY_ code from wget_wch), or A_NONE */
int keys_action(int ch, int is_key);
/* human name of a key: "F1", "^G", "Esc", "Enter", "q" */
const char *keys_name(int key, char *buf, size_t n);
/* "F1/?/^G" for an action */
const char *keys_of(int action, char *buf, size_t n);
/* footer text for a list of actions (ended by A_NONE), fitted to cols columns */
void keys_footer(const int *actions, int cols, char *buf, size_t n);
/* the key list as man-page roff (for motcua.1) or as plain text */
void keys_print(FILE *f, int man);

#endif
