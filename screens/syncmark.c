/* syncmark.c - the sync marker at the right of the status line: this office's code,
 * whether it is offline, how many of its events wait to be sent to central, and the
 * open conflicts a supervisor must settle ("000.00.17.H45 · offline · 37 waiting");
 * for an administrator or supervisor, from 1 October, that next year's calendar is
 * still provisional (holidays.h: "lịch 2027 tạm tính").
 *
 * It reads through sync_glance (src/sync_glance.h), not sync_status(), which counts
 * every unsent event each time.  The marker keeps the count and adds only the events
 * written since it last looked (events.seq only grows); it counts from the push
 * cursor again only when the cursor moved (a sync ran, here or from cron), and does
 * a long count only in an idle moment, never in the frame after a key.
 *
 * Offline means: no central database set, never synced, the last attempt failed
 * (a success clears the last error), or no success for SYNCMARK_STALE_HOURS.
 *
 * The manager refreshes it at start, after a committed step or a sync (ui->gen) and
 * every SYNCMARK_EVERY_S idle seconds; drawing reads only struct syncmark, so a
 * cursor move repaints nothing here (ncurses sends only cells that changed).
 */
#include <libintl.h>
#include <string.h>
#include <time.h>
#include "holidays.h"
#include "screen.h"
#include "sync_glance.h"
#include "text.h"

/* own events the refresh after a key may scan (about 4 ms); more waits for idleness */
#define SYNCMARK_CHEAP 20000
#define SYNCMARK_EVERY_S 5

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int syncmark_state(int has_central, int64_t last_ok_at, int64_t last_error_at, const char *last_error, int64_t now)
{
	if (!has_central)
		return SM_NO_CENTRAL;
	if ((last_error && last_error[0]) || last_error_at > last_ok_at)
		return SM_FAILED;
	if (!last_ok_at)
		return SM_NEVER;
	if (now - last_ok_at > (int64_t)SYNCMARK_STALE_HOURS * 3600)
		return SM_STALE;
	return SM_SYNCED;
}

const char *syncmark_reason(int state, char *buf, size_t n)
{
	switch (state) {
	case SM_NO_CENTRAL: snprintf(buf, n, "%s", _("offline: no central database set")); break;
	case SM_FAILED: snprintf(buf, n, "%s", _("offline: the last sync failed")); break;
	case SM_NEVER: snprintf(buf, n, "%s", _("offline: never synced")); break;
	case SM_STALE: snprintf(buf, n, _("offline: no successful sync for %d hours"), SYNCMARK_STALE_HOURS); break;
	default: buf[0] = 0;
	}
	return buf;
}

void syncmark_when(const struct ui *ui, int64_t t, char *buf, size_t n)
{
	char full[24];
	cal_format(t, 1, full, sizeof full);   /* YYYY-MM-DD HH:MM */
	if (cal_day_of(t) == cal_day_of(core_now(ui->c)))
		snprintf(buf, n, "%.5s", full + 11);
	else
		snprintf(buf, n, "%.2s/%.2s %.5s", full + 8, full + 5, full + 11);
}

void syncmark_refresh(struct ui *ui, int slow_ok)
{
	struct syncmark *m = &ui->mark;
	struct core *c = ui->c;
	struct sync_glance g;
	m->checked_us = mono_us();
	m->gen = ui->gen;
	m->cal_warn = (c->actor.roles & (ROLE_ADMIN | ROLE_SUPERVISOR)) ? holidays_warn_year(c) : 0;
	if (sync_glance(c, &g)) {
		m->known = m->counted = 0;
		return;
	}
	m->known = 1;
	m->state = syncmark_state(g.has_central, g.last_ok_at, g.last_error_at, g.last_error, core_now(c));
	m->last_ok_at = g.last_ok_at;
	m->conflicts = g.conflicts;
	int64_t top = g.top;
	if (top < 0)
		return;
	/* only what was written since the last look, unless the push cursor moved */
	int more = m->counted && g.push_seq == m->push_seq;
	int64_t from = more ? m->seen_seq : g.push_seq;
	if (top - from > SYNCMARK_CHEAP && !slow_ok) {
		if (!more)
			m->counted = 0;    /* unknown until an idle moment */
		return;
	}
	int64_t n = 0, last = 0;
	if (top > from)
		n = sync_glance_pending(c, from, &last);
	m->pending = (more ? m->pending : 0) + n;
	m->seen_seq = top > last ? top : last;
	if (m->seen_seq < from)
		m->seen_seq = from;
	m->push_seq = g.push_seq;
	m->counted = 1;
}

int syncmark_due(const struct ui *ui)
{
	const struct syncmark *m = &ui->mark;
	return !m->counted || mono_us() - m->checked_us >= (int64_t)SYNCMARK_EVERY_S * 1000000;
}

/* the marker's pieces: office, state, waiting, conflicts (empty ones skipped) */
struct piece { char text[128]; int role, width; };

static int pieces(struct ui *ui, struct piece *p, int *office)
{
	const struct syncmark *m = &ui->mark;
	int n = 0;
	char t[24];
	text_sanitize(ui->c->office.agency_code, p[n].text, sizeof p[n].text);
	p[n].role = UC_STATUS;
	*office = p[n].text[0] != 0;
	n += *office;
	if (m->cal_warn) {
		snprintf(p[n].text, sizeof p[n].text, _("calendar %d provisional"), m->cal_warn);
		p[n++].role = UC_OVERDUE;
	}
	if (!m->known)
		goto done;
	if (m->state == SM_SYNCED) {
		syncmark_when(ui, m->last_ok_at, t, sizeof t);
		snprintf(p[n].text, sizeof p[n].text, _("synced %s"), t);
		p[n++].role = UC_OK;
	} else {
		snprintf(p[n].text, sizeof p[n].text, "%s", _("offline"));
		p[n++].role = UC_OVERDUE;
	}
	if (m->counted && (m->pending > 0 || m->state != SM_SYNCED)) {
		snprintf(p[n].text, sizeof p[n].text, _("%lld waiting"), (long long)m->pending);
		p[n++].role = UC_STATUS;
	}
	if (m->conflicts > 0) {
		snprintf(p[n].text, sizeof p[n].text, ngettext("%lld conflict", "%lld conflicts", (unsigned long)m->conflicts),
			 (long long)m->conflicts);
		p[n++].role = UC_ERROR;
	}
done:
	for (int i = 0; i < n; i++)
		p[i].width = text_width(p[i].text);
	return n;
}

int syncmark_draw(struct ui *ui, WINDOW *w, int y, int x_end, int room)
{
	struct piece p[5];
	int office;
	int n = pieces(ui, p, &office);
	const char *sep = ui->g.bullet;
	int sw = text_width(sep) + 2;
	/* the full marker, or without the office code (the title bar shows it too) */
	for (int first = 0; first <= office && first < n; first++) {
		int width = 0;
		for (int i = first; i < n; i++)
			width += p[i].width + (i > first ? sw : 0);
		if (width > room || width == 0)
			continue;
		if (w) {
			int x = x_end - width;
			for (int i = first; i < n; i++) {
				if (i > first) {
					ui_put(ui, w, y, x + 1, sw - 2, UC_STATUS, sep);
					x += sw;
				}
				x += ui_put(ui, w, y, x, p[i].width, p[i].role, p[i].text);
			}
		}
		return width;
	}
	return 0;
}
