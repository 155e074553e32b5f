/* term.c - the terminal boundary (see term.h): UTF-8 locale for curses, and for 8-bit
 * terminals a pseudo-terminal with a converter thread.
 *
 * Converter: curses writes UTF-8 to the pty slave; the thread reads the master,
 * passes ASCII bytes (escape sequences) through untouched and converts each run of
 * non-ASCII UTF-8 with charset_from_utf8 (an incomplete character at the end of a
 * read waits for the next read).  Keys go the other way: bytes >= 0x80 from the
 * terminal become UTF-8 (charset_to_utf8), and so do the control bytes the charset
 * uses for letters (VISCII's Ẳ Ẵ Ẫ Ỷ Ỹ Ỵ; keys.c then ignores them as Ctrl keys); the
 * rest pass.  PuTTY's default F1-F4 sequences are taught to curses at start.  The window size follows
 * the real terminal: a SIGWINCH handler copies it to the slave, then calls the
 * handler ncurses installed.  The thread blocks all signals, so SIGHUP/SIGTERM wake
 * the main loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <pthread.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include "charset.h"
#include "screen.h"
#include "term.h"

static SCREEN *scr;
static FILE *fout, *fin;
static int in_fd;
static int master = -1, slave = -1;
static pthread_t pump_thread;
static int pumping;
static struct termios saved_tio;
static int tio_saved;
static char cs_name[32];
static struct sigaction old_winch;
static unsigned ctrl_letters;   /* control bytes that are letters in the terminal's charset */

/* the bytes below 0x20 that the charset maps to letters (VISCII: Ẳ 0x02, Ẵ 0x05,
 * Ẫ 0x06, Ỷ 0x14, Ỹ 0x19, Ỵ 0x1E); never ESC, Tab, Enter or Backspace */
static unsigned letters_of(struct charset *cs)
{
	unsigned mask = 0;
	if (charset_is_utf8(cs))
		return 0;
	for (int b = 1; b < 32; b++) {
		if (b == 0x1B || b == '\t' || b == '\n' || b == '\r' || b == 0x08)
			continue;
		char in = (char)b, out[16];
		if (charset_to_utf8(cs, &in, 1, out, sizeof out) > 0 && (unsigned char)out[0] >= 0x80)
			mask |= 1u << b;
	}
	return mask;
}

const char *term_charset_name(const char *opt)
{
	if (opt && *opt)
		return opt;
	const char *cs = nl_langinfo(CODESET);
	/* LANG=C or unset: assume a UTF-8 terminal (documented in term.h) */
	if (!cs || !*cs || !strcmp(cs, "ANSI_X3.4-1968") || !strcmp(cs, "ASCII"))
		return "UTF-8";
	return cs;
}

int term_utf8_locale(void)
{
	const char *cs = nl_langinfo(CODESET);
	if (cs && !strcmp(cs, "UTF-8"))
		return 0;
	static const char *try[] = {"C.UTF-8", "C.utf8", "en_US.UTF-8", "vi_VN.UTF-8"};
	for (size_t i = 0; i < sizeof try / sizeof try[0]; i++)
		if (setlocale(LC_ALL, try[i])) {
			setlocale(LC_NUMERIC, "C");
			return 0;
		}
	return -1;
}

int term_infd(void) { return in_fd; }

static void on_winch(int sig)
{
	int e = errno;
	struct winsize ws;
	if (slave >= 0 && ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
		ioctl(slave, TIOCSWINSZ, &ws);
	if ((old_winch.sa_flags & SA_SIGINFO) && old_winch.sa_sigaction)
		old_winch.sa_sigaction(sig, NULL, NULL);
	else if (old_winch.sa_handler != SIG_DFL && old_winch.sa_handler != SIG_IGN && old_winch.sa_handler)
		old_winch.sa_handler(sig);
	errno = e;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* bytes of an incomplete UTF-8 character at the end of b[0..n) */
static size_t utf8_tail(const unsigned char *b, size_t n)
{
	for (size_t k = 1; k <= 3 && k <= n; k++) {
		unsigned char c = b[n - k];
		if ((c & 0xC0) == 0x80)
			continue;
		size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		return need > k ? k : 0;
	}
	return 0;
}

static void *pump(void *arg)
{
	struct charset *cs = arg;
	char buf[4096 + 4], run[4096 + 4], conv[4 * 4096 + 16];
	size_t pend = 0;
	int in_open = 1;
	for (;;) {
		struct pollfd p[2] = {{STDIN_FILENO, POLLIN, 0}, {master, POLLIN, 0}};
		int r = poll(p + !in_open, in_open ? 2 : 1, -1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (in_open && p[0].revents) {
			unsigned char k[256];
			ssize_t n = read(STDIN_FILENO, k, sizeof k);
			if (n <= 0) {
				in_open = 0; /* the terminal is gone: SIGHUP ends the UI */
			} else {
				char out[256 * 8];
				size_t o = 0;
				for (ssize_t i = 0; i < n; i++) {
					/* a control byte that is a letter here is typed text */
					int letter = k[i] < 32 && (ctrl_letters & (1u << k[i]));
					if (k[i] < 0x80 && !letter) {
						out[o++] = (char)k[i];
						continue;
					}
					int w = charset_to_utf8(cs, (const char *)&k[i], 1, out + o, sizeof out - o);
					if (w > 0)
						o += (size_t)w;
				}
				write_all(master, out, o);
			}
		}
		if (p[1].revents) {
			ssize_t n = read(master, buf + pend, 4096);
			if (n <= 0)
				break; /* every slave descriptor closed: curses has ended */
			size_t len = pend + (size_t)n;
			pend = utf8_tail((unsigned char *)buf, len);
			size_t end = len - pend, i = 0;
			while (i < end) {
				size_t j = i;
				if ((unsigned char)buf[i] < 0x80) {
					while (j < end && (unsigned char)buf[j] < 0x80)
						j++;
					write_all(STDOUT_FILENO, buf + i, j - i);
				} else {
					while (j < end && (unsigned char)buf[j] >= 0x80)
						j++;
					memcpy(run, buf + i, j - i);
					run[j - i] = 0;
					size_t w = charset_from_utf8(cs, run, conv, sizeof conv);
					write_all(STDOUT_FILENO, conv, w);
				}
				i = j;
			}
			memmove(buf, buf + end, pend);
		}
	}
	charset_close(cs);
	return NULL;
}

static int start_pty(const char *name, char *msg, size_t n)
{
	char m[256];
	struct charset *cs = charset_open(name, m, sizeof m);
	if (!cs) {
		snprintf(msg, n, "%s", m);
		return -1;
	}
	struct winsize ws;
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) != 0) {
		ws.ws_row = 24;
		ws.ws_col = 80;
		ws.ws_xpixel = ws.ws_ypixel = 0;
	}
	struct termios tio;
	if (tcgetattr(STDIN_FILENO, &tio) == 0) {
		saved_tio = tio;
		tio_saved = 1;
	}
	if (openpty(&master, &slave, NULL, tio_saved ? &tio : NULL, &ws) != 0) {
		snprintf(msg, n, _("cannot open a pseudo-terminal for charset conversion: %s"), strerror(errno));
		charset_close(cs);
		return -1;
	}
	fcntl(master, F_SETFD, FD_CLOEXEC);
	fcntl(slave, F_SETFD, FD_CLOEXEC);
	if (tio_saved) {
		struct termios raw = saved_tio;
		cfmakeraw(&raw);
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int rc = pthread_create(&pump_thread, NULL, pump, cs);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		snprintf(msg, n, "%s", _("cannot start the charset converter"));
		charset_close(cs);
		return -1;
	}
	pumping = 1;
	fout = fdopen(dup(slave), "w");
	fin = fdopen(dup(slave), "r");
	in_fd = fin ? fileno(fin) : -1;
	return fout && fin ? 0 : -1;
}

int term_start(struct ui *ui, const char *charset, char *msg, size_t n)
{
	char m[256];
	struct charset *cs = charset_open(charset, m, sizeof m);
	if (!cs) {
		snprintf(msg, n, "%s", m);
		return -1;
	}
	snprintf(cs_name, sizeof cs_name, "%s", charset_name(cs));
	ui->utf8 = charset_is_utf8(cs);
	ctrl_letters = letters_of(cs);
	keys_set_letters(ctrl_letters);
	ui->charset = cs_name;
	charset_close(cs);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(msg, n, "%s", _("the terminal interface needs a terminal (see 'motcua --help' for commands)"));
		return -1;
	}
	if (ui->utf8) {
		fout = stdout;
		fin = stdin;
		in_fd = STDIN_FILENO;
	} else if (start_pty(cs_name, msg, n)) {
		return -1;
	}
	scr = newterm(NULL, fout, fin);
	if (!scr) {
		snprintf(msg, n, _("cannot start the terminal interface (TERM=%s unknown?)"), getenv("TERM") ? getenv("TERM") : "");
		term_end();
		return -1;
	}
	set_term(scr);
	if (slave >= 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_winch;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGWINCH, &sa, &old_winch);
	}
	set_escdelay(50);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	intrflush(stdscr, FALSE);
	/* PuTTY's default F1-F4 (ESC [ 11~ ... 14~), which xterm's terminfo lacks */
	for (int f = 1; f <= 4; f++) {
		char seq[8];
		snprintf(seq, sizeof seq, "\033[%d~", 10 + f);
		if (key_defined(seq) <= 0)
			define_key(seq, KEY_F(f));
	}
	return 0;
}

void term_end(void)
{
	if (scr) {
		endwin();
		fflush(fout);
		delscreen(scr);
		scr = NULL;
	}
	if (pumping) {
		if (fout)
			fclose(fout);
		if (fin)
			fclose(fin);
		fout = fin = NULL;
		close(slave);
		slave = -1;
		pthread_join(pump_thread, NULL);
		pumping = 0;
		close(master);
		master = -1;
		if (tio_saved)
			tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
		signal(SIGWINCH, SIG_DFL);
	}
}
