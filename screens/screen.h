/* screen.h - the one interface every screen implements, the UI context they share,
 * and the small widgets (line edit, form, list rows, safe text drawing).
 *
 * HOW TO WRITE A SCREEN (e.g. screens/dashboard.c, screens/sync.c)
 *
 *   struct my_state { ... };                    // private state, zeroed by the manager
 *   static int my_open(struct ui *ui, void *st, const char *arg);
 *   static void my_draw(struct ui *ui, void *st, WINDOW *w);
 *   static int my_key(struct ui *ui, void *st, const struct key *k);
 *   static void my_done(struct ui *ui, void *st);
 *   const struct screen_ops dashboard_screen = {
 *       .name = "dashboard", .title = N_("Dashboard"), .state_size = sizeof(struct my_state),
 *       .open = my_open, .draw = my_draw, .key = my_key, .done = my_done,
 *       .footer = (const int[]){A_HELP, A_BACK, A_REDRAW, A_NONE},
 *   };
 *
 * - open(ui, st, arg): st is calloc'd state_size bytes; arg is an optional string (a
 *   dossier code for dossier screens, NULL otherwise).  Load data here.  Return 0, or
 *   non-zero after ui_error()/ui_status() to refuse (the screen is not pushed).
 * - draw(ui, st, w): paint the body window w (getmaxy/getmaxx give its size; it is
 *   already erased).  Draw only through ui_put()/ui_putf() (they sanitise: nothing from
 *   the store or the user reaches the terminal raw) and ui_row() for list rows.  Draw
 *   is called after every key, so it must be cheap: read from st, not from the store.
 *   ncurses sends only what changed; never call clear()/refresh() here.
 * - key(ui, st, k): k->action is the action of the key table (keys.h) or A_NONE;
 *   k->ch the character / curses key.  Return SCR_HANDLED if used (plus SCR_CLOSE to
 *   pop this screen, SCR_QUIT to leave the UI), or 0 to let the manager apply the
 *   global actions (help, back, quit, receive, search ...).
 * - done(ui, st): release what open took (st itself is freed by the manager).  Called
 *   on close AND when the UI ends on SIGHUP/SIGTERM/EOF, so save drafts here.
 * - tick(ui, st) (optional): called about once a second while keys are idle (drafts).
 * - reload(ui, st) (optional): called before draw when ui->gen changed since the
 *   screen last saw it (another screen committed a step): reload lists/counts.
 * - footer: the actions shown in the footer, A_NONE-terminated; put -1 first when a
 *   text field has the focus (the footer then shows Ctrl/F-keys instead of letters).
 *   footer_fn, if set, overrides it (for footers that depend on the state).
 *
 * State changes go through src/dossier.h only, and reads through core calls too
 * (view.h, queue.h, office.h, draft.h, ...): screens never include a store header
 * nor call the store (tests/cli/layering.sh checks).  Set
 * ui->c->expect_version to the version you displayed before a step, so that a
 * concurrent change is refused (MC_CONFLICT) and ui_error() says so.
 */
#ifndef MOTCUA_SCREEN_H
#define MOTCUA_SCREEN_H

#include <curses.h>
#include <libintl.h>
#include <stddef.h>
#include <stdint.h>
#include "core.h"
#include "keys.h"

#define _(s) gettext(s)

enum { SCR_HANDLED = 1, SCR_REDRAW = 2, SCR_CLOSE = 4, SCR_QUIT = 8 };

struct key {
	int action;     /* enum action or A_NONE */
	int ch;         /* character (wint) or curses KEY_ code */
	int is_key;     /* ch is a curses KEY_ code */
};

struct ui;

struct screen_ops {
	const char *name;
	const char *title;      /* msgid */
	size_t state_size;
	int (*open)(struct ui *ui, void *st, const char *arg);
	void (*draw)(struct ui *ui, void *st, WINDOW *w);
	int (*key)(struct ui *ui, void *st, const struct key *k);
	void (*done)(struct ui *ui, void *st);
	void (*tick)(struct ui *ui, void *st);
	void (*reload)(struct ui *ui, void *st);
	const int *footer;
	const int *(*footer_fn)(struct ui *ui, void *st);
};

/* colour/attribute roles (colors.c: one row each, colour and monochrome) */
enum ui_color { UC_NORMAL, UC_TITLE, UC_STATUS, UC_ERROR, UC_FOOTER, UC_SELECTED, UC_HEADER,
	UC_LABEL, UC_FIELD, UC_FOCUS, UC_OVERDUE, UC_OK, UC_DIM, UC_COUNT };

/* line-drawing and marker glyphs: UTF-8 or ASCII */
struct ui_glyphs { const char *hline, *vline, *arrow, *check_on, *check_off, *ellipsis, *bullet; };

/* the status line's sync marker (syncmark.c): figures read from the store at a
 * refresh (start, after a step or sync, every few idle seconds), never per key */
enum syncmark_state { SM_SYNCED, SM_NO_CENTRAL, SM_NEVER, SM_FAILED, SM_STALE };
#define SYNCMARK_STALE_HOURS 24     /* no success for this long: offline */
struct syncmark {
	int known;              /* the store has a sync state */
	int counted;            /* pending is known (0: a long count waits for an idle moment) */
	int state;              /* enum syncmark_state */
	int64_t pending;        /* own events central has not acknowledged */
	int64_t push_seq;       /* the push cursor pending was counted from */
	int64_t seen_seq;       /* events up to this seq are in pending */
	int64_t conflicts, last_ok_at;
	int64_t checked_us;     /* monotonic time of the last refresh */
	unsigned gen;           /* ui->gen at the last refresh */
	int cal_warn;           /* next year's calendar is still provisional (from 1 October; admin, supervisor) */
};

struct ui {
	struct core *c;
	int utf8;               /* the terminal shows UTF-8 (else converted or ASCII) */
	const char *charset;    /* terminal charset name */
	int color;              /* colour in use */
	int arrow;              /* arrow cursor */
	int telex;              /* Telex input mode */
	int rows, cols;
	int cursor_y, cursor_x; /* where a focused field wants the cursor (stdscr rows/cols); -1 none */
	WINDOW *body;
	struct ui_glyphs g;
	char status[1024];
	int status_err;
	unsigned gen;           /* bumped after every committed step */
	int demo;               /* demo store: user picker */
	int quit;
	struct syncmark mark;
};

/* ---- manager (manager.c) ---- */
int ui_push(struct ui *ui, const struct screen_ops *ops, const char *arg);
/* replace the top screen with another one */
int ui_replace(struct ui *ui, const struct screen_ops *ops, const char *arg);
int ui_run(struct ui *ui);         /* the loop; returns when the UI ends */
void ui_status(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ui_error(struct ui *ui, const struct err *e);
void ui_changed(struct ui *ui);    /* a step was committed: lists reload */

/* ---- drawing (colors.c) ---- */
void colors_init(struct ui *ui);
int ui_attr(const struct ui *ui, int role);
/* draw text (sanitised) at y,x in at most width columns; returns the columns used */
int ui_put(struct ui *ui, WINDOW *w, int y, int x, int width, int role, const char *text);
int ui_putf(struct ui *ui, WINDOW *w, int y, int x, int width, int role, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
/* a list row: full-row highlight or arrow cursor */
void ui_row(struct ui *ui, WINDOW *w, int y, int selected, int role, const char *text);
void ui_hline(struct ui *ui, WINDOW *w, int y, int x, int n);
/* copy of text fitted to exactly cols columns (sanitised, padded or cut with an ellipsis) */
void ui_fit(const struct ui *ui, const char *text, int cols, char *out, size_t n);

/* ---- sync marker (syncmark.c) ---- */
/* re-read the figures; slow_ok: a long count is allowed (idle), else it waits */
void syncmark_refresh(struct ui *ui, int slow_ok);
/* a refresh is due (stale for a few seconds, or the count still waits) */
int syncmark_due(const struct ui *ui);
/* draw the marker ending before column x_end of row y if it fits in room columns
 * (the full form, else without the office code); w NULL only measures; returns
 * the columns it takes, 0 when it does not fit */
int syncmark_draw(struct ui *ui, WINDOW *w, int y, int x_end, int room);
/* enum syncmark_state of these figures at time now */
int syncmark_state(int has_central, int64_t last_ok_at, int64_t last_error_at, const char *last_error, int64_t now);
/* why offline, translated ('' when synced) */
const char *syncmark_reason(int state, char *buf, size_t n);
/* "HH:MM" today, else "dd/mm HH:MM" */
void syncmark_when(const struct ui *ui, int64_t t, char *buf, size_t n);

/* ---- line edit (input.c) ---- */
#define INPUT_MAX 4096
struct input {
	char buf[INPUT_MAX];
	size_t len, cur;        /* bytes; cur is always on a character boundary */
	int maxchars;
	int secret;
	int changed;
};
void input_set(struct input *in, const char *text);
/* handle a key; SCR_HANDLED if it was for the field */
int input_key(struct ui *ui, struct input *in, const struct key *k);
/* draw in width columns at y,x; sets the terminal cursor there if focus */
void input_draw(struct ui *ui, struct input *in, WINDOW *w, int y, int x, int width, int focus);

/* ---- forms (form.c) ---- */
enum field_kind { FK_TEXT, FK_CHOICE, FK_CHECK, FK_INFO };
#define FORM_MAX 32
struct field {
	int kind;
	const char *label;      /* msgid, or data when raw_label */
	int raw_label;
	struct input in;        /* FK_TEXT */
	const char *const *choices; /* FK_CHOICE: msgids */
	int nchoices, value;    /* FK_CHOICE index; FK_CHECK 0/1 */
	int hidden;             /* not shown, skipped */
	int err_field;          /* enum err_field (err.h): the core's messages about it */
};
struct form {
	struct field f[FORM_MAX];
	int n, cur, top;
	int label_cols;
	int changed;            /* some field changed since last cleared */
};
struct field *form_add(struct form *fm, int kind, const char *label);
/* SCR_HANDLED if used; A_SUBMIT is left to the screen; Enter on the last field
 * returns SCR_HANDLED with fm->submit set */
int form_key(struct ui *ui, struct form *fm, const struct key *k, int *submit);
void form_draw(struct ui *ui, struct form *fm, WINDOW *w, int y0, int h);
int form_has_text_focus(const struct form *fm);
/* the footer of a screen that is one form: submit, next, back and help, with Telex
 * while a text field has the focus, with toggle while a choice has it */
const int *form_footer(const struct form *fm);
/* a core message about one input (e->field): move the focus to the field tagged
 * with it; 1 if moved */
int form_focus_err(struct form *fm, const struct err *e);

/* ---- dossier helpers (common.c) ---- */
const char *ui_status_name(const struct ui *ui, int status);
const char *ui_tl_name(int tl);    /* translated timeliness */
const char *ui_event_name(const char *kind);
/* open the screen of an action on dossier code (detail, assign, sign, ...) or run a
 * one-key step (accept, transfer, resume); SCR_HANDLED or 0 if not a dossier action */
int ui_dossier_action(struct ui *ui, int action, const char *code, int version);
/* take a one-key step (accept, transfer, resume) on dossier code now, as shown at
 * version; the outcome goes to the status line */
int ui_step_now(struct ui *ui, int action, const char *code, int version);
/* append to acts (at *n, up to max entries) the step actions (accept, assign, ...,
 * extend, withdraw, stop) that the acting user's roles allow on a dossier in stage
 * (workflow_allows, the check the core makes, scope aside): what a footer offers */
void ui_step_actions(const struct ui *ui, int stage, int *acts, int *n, int max);
/* read dossier code into d; with step >= 0 also check the actor may take that step
 * (enum step of workflow.h).  0, or -1 with the reason in the status line */
int ui_load_dossier(struct ui *ui, const char *code, struct dossier *d, int step);
/* a step on d failed: say why; on a conflict reload d (its new version) */
void ui_step_failed(struct ui *ui, const struct err *e, struct dossier *d);
/* a one-line summary "code  due  status  name" fitted to cols */
void ui_dossier_line(struct ui *ui, const struct dossier *d, int cols, char *out, size_t n);
/* a new appointment as it is typed (extend, the liên thông apology): into becomes, what
 * it becomes (written by when) or why it will be refused: not a date, not later than
 * after and than now (after < 0: no such rule), not a working day; *until gets the
 * instant, or 0 if it will be refused.  The core checks it again and decides. */
void ui_typed_appointment(struct ui *ui, const char *typed, int64_t after, void (*when)(int64_t t, char *buf, size_t n),
			  struct input *becomes, int64_t *until);

/* compact list row of a dossier, for lists */
struct drow {
	char code[CODE_LEN];
	char line[512];
	int overdue;
	int stage;
	int version;
	int back;               /* the signer sent it back to the specialist */
	char why[400];          /* and why (its reason, fitted to 70 columns) */
};
#define DROW_NAME_COLS 17       /* the applicant's column: what is left of 78 */
void ui_drow_fill(struct ui *ui, struct drow *r, const struct dossier *d);

/* ---- printing (print.c) ---- */
/* send text (UTF-8) to the configured printer; what names it on the status line
 * ("Form 01 of CODE"); 0, or -1 with the reason on the status line */
int ui_print_text(struct ui *ui, const char *text, const char *what);
/* print form ("01".."06") of dossier code */
int ui_print_form(struct ui *ui, const char *form, const char *code);

/* ---- list cursor (common.c) ---- */
struct list { int n, sel, top; };
/* move for UP/DOWN/PGUP/PGDN/FIRST/LAST in a list of h visible rows; SCR_HANDLED if moved */
int list_key(struct list *l, int action, int h);
void list_fix(struct list *l, int h);   /* keep sel in range and visible */
/* keep sel in range after the rows were reloaded, without scrolling rows above the
 * cursor out of view (the next draw fits it to the screen's height) */
void list_clamp(struct list *l);

/* ---- screens ---- */
extern const struct screen_ops login_screen, home_screen, receive_screen, intake_screen,
	assign_screen, process_screen, sign_screen, return_screen, detail_screen,
	search_screen, help_screen, dashboard_screen, sync_screen, refuse_screen,
	withdraw_screen, stop_screen, extend_screen, confirm_screen, print_screen, settings_screen,
	resume_screen;
extern const struct screen_ops cashier_screen, pay_screen, refund_screen; /* cashier.c: fees */
extern const struct screen_ops apology_screen; /* apology.c: a late liên thông part's apology */

#endif
