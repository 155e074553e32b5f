/* manager.c - the screen stack and the one event loop of the terminal UI.
 *
 * Owns: pushing/popping screens (screen.h), the frame (title bar, body, status line
 * with the sync marker of syncmark.c, footer generated from the key table), key
 * dispatch (resize first, then the top screen, then the global actions), and ending
 * cleanly.
 *
 * Frames: werase + draw + wnoutrefresh + doupdate; ncurses sends only the cells that
 * changed (never clear() per frame).  The loop waits in poll() on the terminal, so a
 * signal (SIGHUP on an SSH drop, SIGTERM) wakes it at once; a hang-up, a read error or
 * end of input (getch ERR while poll says readable) ends the loop instead of spinning.
 * Ending always runs every screen's done() (drafts saved) before curses stops; the
 * caller closes the store.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "screen.h"
#include "term.h"
#include "text.h"

#define STACK_MAX 16

struct frame {
	const struct screen_ops *ops;
	void *st;
	unsigned gen;
};

static struct frame stack[STACK_MAX];
static int depth;
static volatile sig_atomic_t sig_end;

static void on_end(int sig) { sig_end = sig; }

static void signals_init(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_end;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/* installed before curses starts, so ncurses leaves these signals to us */
void manager_signals(void) { signals_init(); }
int manager_ended(void) { return sig_end != 0; }

static void frame_free(struct ui *ui, struct frame *f)
{
	if (f->ops->done)
		f->ops->done(ui, f->st);
	free(f->st);
	f->st = NULL;
}

int ui_push(struct ui *ui, const struct screen_ops *ops, const char *arg)
{
	if (depth >= STACK_MAX) {
		ui_status(ui, "%s", _("Too many screens open: close one with Esc"));
		return -1;
	}
	void *st = calloc(1, ops->state_size ? ops->state_size : 1);
	if (!st) {
		ui_status(ui, "%s", _("Out of memory"));
		return -1;
	}
	if (ops->open && ops->open(ui, st, arg)) {
		free(st);
		return -1;
	}
	stack[depth].ops = ops;
	stack[depth].st = st;
	stack[depth].gen = ui->gen;
	depth++;
	return 0;
}

static void pop(struct ui *ui)
{
	if (depth > 0)
		frame_free(ui, &stack[--depth]);
}

int ui_replace(struct ui *ui, const struct screen_ops *ops, const char *arg)
{
	pop(ui);
	return ui_push(ui, ops, arg);
}

void ui_status(struct ui *ui, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ui->status, sizeof ui->status, fmt, ap);
	va_end(ap);
	ui->status_err = 0;
}

/* the UI's own words for a core message's hint (err.h); the CLI names its flags */
static const char *const hint_words[HINT_COUNT] = {
	[HINT_DEPARTMENT] = N_("ask the administrator to give the procedure a competent department of this office"),
	[HINT_PRINTER] = N_("ask the administrator to configure a printer"),
	[HINT_PRINT_FILE] = N_("ask the administrator to install the printing service"),
	[HINT_KEY_CREATE] = N_("a signing key must be created first"),
	[HINT_CENTRAL_URL] = N_("ask the administrator to set the central database"),
	[HINT_CENTRAL_INIT] = N_("the central database must be initialised by its administrator"),
	[HINT_USERS_LIST] = N_("ask the administrator for your account"),
};

void ui_error(struct ui *ui, const struct err *e)
{
	const char *hint = e->hint > HINT_NONE && e->hint < HINT_COUNT && hint_words[e->hint] ? _(hint_words[e->hint]) : NULL;
	if (e->code == MC_CONFLICT)
		snprintf(ui->status, sizeof ui->status, "%s (%s)",
			 _("Someone else changed this dossier meanwhile: it was reloaded, check and try again"), e->msg);
	else if (hint)
		snprintf(ui->status, sizeof ui->status, "%s; %s", e->msg, hint);
	else
		snprintf(ui->status, sizeof ui->status, "%s", e->msg);
	ui->status_err = 1;
}

void ui_changed(struct ui *ui) { ui->gen++; }

/* the status message in lines of at most width columns, broken after a space (or at
 * a character boundary inside a longer word); returns the number of lines */
#define STATUS_LINES 8
static int status_wrap(const char *s, int width, char out[][512], int max)
{
	int n = 0;
	while (*s && n < max) {
		while (*s == ' ')
			s++;
		const char *p = s, *brk = NULL;
		int w = 0;
		while (*p) {
			size_t len = 1;
			while (p[len] && ((unsigned char)p[len] & 0xc0) == 0x80 && len < 4)
				len++;
			char ch[8];
			memcpy(ch, p, len);
			ch[len] = 0;
			int cw = text_width(ch);
			if (w + cw > width)
				break;
			if (*p == ' ')
				brk = p;
			w += cw;
			p += len;
		}
		if (*p && brk && brk > s)
			p = brk;
		if (p == s)
			break; /* a character wider than the line */
		size_t l = (size_t)(p - s) < 511 ? (size_t)(p - s) : 511;
		memcpy(out[n], s, l);
		out[n][l] = 0;
		n++;
		s = p;
	}
	return n;
}

static int too_small(const struct ui *ui) { return ui->rows < 24 || ui->cols < 80; }

static void layout(struct ui *ui)
{
	getmaxyx(stdscr, ui->rows, ui->cols);
	if (ui->body)
		delwin(ui->body);
	ui->body = NULL;
	if (!too_small(ui))
		ui->body = derwin(stdscr, ui->rows - 3, ui->cols, 1, 0);
}

static void draw_frame(struct ui *ui)
{
	werase(stdscr);
	if (too_small(ui) || !ui->body) {
		char msg[160];
		snprintf(msg, sizeof msg, _("terminal too small (needs 80x24, now %dx%d)"), ui->cols, ui->rows);
		ui_put(ui, stdscr, ui->rows / 2, 0, ui->cols, UC_ERROR, msg);
		ui_put(ui, stdscr, ui->rows / 2 + 1, 0, ui->cols, UC_NORMAL, _("q: quit"));
		curs_set(0);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	struct frame *top = &stack[depth - 1];
	/* title bar */
	char title[512];
	const struct user *u = &ui->c->actor;
	wattrset(stdscr, ui_attr(ui, UC_TITLE));
	wmove(stdscr, 0, 0);
	whline(stdscr, ' ', ui->cols);
	snprintf(title, sizeof title, "motcua %s %s", ui->g.bullet, _(top->ops->title));
	int used = ui_put(ui, stdscr, 0, 1, ui->cols / 2, UC_TITLE, title);
	if (u->id) {
		snprintf(title, sizeof title, "%s (%s) %s %s", u->name, u->account, ui->g.bullet, ui->c->office.agency_code);
		int w = text_width(title);
		if (w > ui->cols - used - 3)
			w = ui->cols - used - 3;
		ui_put(ui, stdscr, 0, ui->cols - w - 1, w, UC_TITLE, title);
	}
	/* body */
	ui->cursor_y = -1;
	top->ops->draw(ui, top->st, ui->body);
	/* status line: message left; sync marker and input mode right.  The marker
	 * gives way to a long message (shorter without the office code, else hidden) */
	const char *mode = ui->telex ? _("[Telex on]") : "";
	int mw = text_width(mode);
	int end = ui->cols - mw - 1;   /* the right part ends before this column */
	int msgw = ui->status[0] ? text_width(ui->status) : 0;
	int role = ui->status_err ? UC_ERROR : UC_STATUS;
	if (msgw <= end) {
		int kw = syncmark_draw(ui, NULL, 0, end, end - (msgw ? msgw + 2 : 0));
		ui_put(ui, stdscr, ui->rows - 2, 0, kw ? end - kw - 2 : end, role, ui->status);
		if (kw)
			syncmark_draw(ui, stdscr, ui->rows - 2, end, kw);
		if (mw)
			ui_put(ui, stdscr, ui->rows - 2, ui->cols - mw, mw, UC_STATUS, mode);
	} else {
		/* a message longer than the line is never cut: it wraps upwards over the
		 * bottom of the body, as many lines as it needs */
		char safe[2048], lines[STATUS_LINES][512];
		text_sanitize(ui->status, safe, sizeof safe);
		int n = status_wrap(safe, end, lines, STATUS_LINES);
		for (int i = 0; i < n; i++) {
			int y = ui->rows - 1 - n + i;
			wattrset(stdscr, ui_attr(ui, role));
			wmove(stdscr, y, 0);
			whline(stdscr, ' ', ui->cols);
			ui_put(ui, stdscr, y, 0, end, role, lines[i]);
		}
		if (mw)
			ui_put(ui, stdscr, ui->rows - 2, ui->cols - mw, mw, UC_STATUS, mode);
		if (ui->cursor_y >= ui->rows - 1 - n)
			ui->cursor_y = -1; /* the field under the message: the message wins */
	}
	/* footer from the key table */
	const int *acts = top->ops->footer_fn ? top->ops->footer_fn(ui, top->st) : top->ops->footer;
	static const int def[] = {A_HELP, A_BACK, A_QUIT, A_NONE};
	char foot[512];
	keys_footer(acts ? acts : def, ui->cols - 1, foot, sizeof foot);
	wattrset(stdscr, ui_attr(ui, UC_FOOTER));
	wmove(stdscr, ui->rows - 1, 0);
	whline(stdscr, ' ', ui->cols);
	ui_put(ui, stdscr, ui->rows - 1, 0, ui->cols - 1, UC_FOOTER, foot);
	wattrset(stdscr, A_NORMAL);
	if (ui->cursor_y >= 0) {
		curs_set(1);
		leaveok(stdscr, FALSE);
		wmove(stdscr, ui->cursor_y, ui->cursor_x);
	} else {
		curs_set(0);
		leaveok(stdscr, TRUE);
	}
	wnoutrefresh(stdscr);
	doupdate();
}

static int global_key(struct ui *ui, const struct key *k)
{
	const struct screen_ops *top = stack[depth - 1].ops;
	switch (k->action) {
	case A_HELP:
		if (top != &help_screen)
			ui_push(ui, &help_screen, NULL);
		return 1;
	case A_BACK:
		if (depth > 1)
			pop(ui);
		return 1;
	case A_QUIT:
		ui->quit = 1;
		return 1;
	case A_REDRAW:
		ui_changed(ui);
		clearok(curscr, TRUE);
		return 1;
	case A_TELEX:
		ui->telex = !ui->telex;
		ui_status(ui, "%s", ui->telex ? _("Telex input on: aa=â aw=ă ee=ê oo=ô ow=ơ uw=ư dd=đ, tones s f r x j, z clears")
					      : _("Telex input off"));
		return 1;
	case A_ARROW:
		ui->arrow = !ui->arrow;
		return 1;
	case A_RECEIVE: return ui_push(ui, &receive_screen, NULL), 1;
	case A_SEARCH: return ui_push(ui, &search_screen, NULL), 1;
	case A_INTAKE: return ui_push(ui, &intake_screen, NULL), 1;
	case A_DASHBOARD: return ui_push(ui, &dashboard_screen, NULL), 1;
	case A_SYNC: return ui_push(ui, &sync_screen, NULL), 1;
	case A_CASHIER: return ui_push(ui, &cashier_screen, NULL), 1;
	case A_SETTINGS: return ui_push(ui, &settings_screen, NULL), 1;
	}
	return 0;
}

static void handle_key(struct ui *ui, int ch, int is_key)
{
	if (is_key && ch == KEY_RESIZE) {
		layout(ui);
		return;
	}
	struct key k = {keys_action(ch, is_key), ch, is_key};
	if (too_small(ui)) {
		if (k.action == A_QUIT)
			ui->quit = 1;
		return;
	}
	ui->status[0] = 0;
	ui->status_err = 0;
	if (k.action == A_REDRAW)
		syncmark_refresh(ui, 0);   /* "reload the data", even where a screen takes the key */
	struct frame *top = &stack[depth - 1];
	int r = top->ops->key ? top->ops->key(ui, top->st, &k) : 0;
	if (r & SCR_QUIT)
		ui->quit = 1;
	if (r & SCR_CLOSE) {
		/* the screen may have pushed another one: close the one that answered */
		for (int i = depth - 1; i >= 0; i--)
			if (stack[i].st == top->st) {
				frame_free(ui, &stack[i]);
				memmove(&stack[i], &stack[i + 1], sizeof stack[0] * (size_t)(depth - 1 - i));
				depth--;
				break;
			}
	}
	if (!(r & SCR_HANDLED))
		global_key(ui, &k);
}

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int ui_run(struct ui *ui)
{
	layout(ui);
	int empty = 0;
	time_t last_key = time(NULL);
	/* benchmark aid: MOTCUA_FRAME_LOG=FILE gets one line per frame drawn after keys:
	 * the microseconds from reading the key to the end of the frame's doupdate */
	const char *flog = getenv("MOTCUA_FRAME_LOG");
	FILE *frames = flog && *flog && getuid() == geteuid() ? fopen(flog, "a") : NULL;
	int64_t key_at = 0;
	syncmark_refresh(ui, 0);
	while (depth > 0 && !ui->quit && !sig_end) {
		struct frame *top = &stack[depth - 1];
		if (top->gen != ui->gen) {
			top->gen = ui->gen;
			if (top->ops->reload)
				top->ops->reload(ui, top->st);
		}
		if (ui->mark.gen != ui->gen)
			syncmark_refresh(ui, 0);   /* a step or a sync was committed */
		draw_frame(ui);
		if (key_at && frames) {
			fprintf(frames, "%lld\n", (long long)(now_us() - key_at));
			fflush(frames);
		}
		key_at = 0;
		struct pollfd p = {term_infd(), POLLIN, 0};
		int r = poll(&p, 1, 1000);
		if (sig_end)
			break;
		if (r < 0 && errno != EINTR)
			break;
		if (r == 0) {
			if (time(NULL) - last_key >= 1 && top->ops->tick)
				top->ops->tick(ui, top->st);
			if (syncmark_due(ui))
				syncmark_refresh(ui, 1);   /* idle: a long count may run now */
			continue;
		}
		if (r > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)) && !(p.revents & POLLIN))
			break;
		int got = 0, rc;
		wint_t ch;
		nodelay(stdscr, TRUE);
		while (!ui->quit && !sig_end && depth > 0 && (rc = wget_wch(stdscr, &ch)) != ERR) {
			if (!got++)
				key_at = now_us();
			handle_key(ui, (int)ch, rc == KEY_CODE_YES);
		}
		if (got) {
			empty = 0;
			last_key = time(NULL);
		} else if (r > 0 && ++empty >= 3) {
			break; /* readable but nothing to read: end of input */
		}
	}
	while (depth > 0)
		pop(ui);
	if (frames)
		fclose(frames);
	return sig_end ? 128 + sig_end : 0;
}
