/* core.c - the core context: open the store, load the office, settings and calendar,
 * establish who is acting (see core.h). */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "core.h"
#include "holidays.h"
#include "privilege.h"
#include "store.h"
#include "text.h"

static int load_settings(struct core *c, struct err *e)
{
	char buf[64];
	free(c->cal.days);
	c->cal.days = NULL;
	cal_cover_free(c->cal.cover);
	c->cal.cover = NULL;
	if (store_calendar_load(c->st, &c->cal))
		return err_set(e, MC_STORE, "cannot load the working calendar");
	c->supplement_restart = store_setting_get(c->st, "supplement.mode", buf, sizeof buf) == 0 &&
				strcmp(buf, "restart") == 0;
	/* Decree 118/2025 Art. 11: a supplement is requested once; a province whose rules
	 * differ sets supplement.limit (a number; 0: no limit) */
	c->supplement_limit = 1;
	if (store_setting_get(c->st, "supplement.limit", buf, sizeof buf) == 0 && atoi(buf) >= 0)
		c->supplement_limit = atoi(buf);
	static const int def[4] = {5, 10, 55, 20};
	static const char *keys[4] = {"step.accepted", "step.department", "step.processing", "step.signing"};
	for (int i = 0; i < 4; i++) {
		c->step_share[i] = def[i];
		if (store_setting_get(c->st, keys[i], buf, sizeof buf) == 0 && atoi(buf) > 0 && atoi(buf) <= 100)
			c->step_share[i] = atoi(buf);
	}
	c->demo = store_setting_get(c->st, "demo", buf, sizeof buf) == 0 && !strcmp(buf, "1");
	memset(&c->office, 0, sizeof c->office);
	if (store_setting_get(c->st, "office", buf, sizeof buf) == 0)
		store_office_by_code(c->st, buf, &c->office);
	return 0;
}

int core_open(struct core *c, const char *path, int flags, struct err *e)
{
	memset(c, 0, sizeof *c);
	_Static_assert((int)CORE_CREATE == (int)STORE_CREATE, "core_open passes its flags to store_open");
	c->st = store_open(path, flags, e);
	if (!c->st)
		return e->code;
	/* a bulk load that did not finish leaves a store that must not be used (store.h) */
	char mark[8];
	int unfinished = store_setting_get(c->st, STORE_BULK_MARK, mark, sizeof mark) == 0;
	if (unfinished)
		err_set(e, MC_STORE, "the store %s was left unfinished by an interrupted 'motcua demo': remove it and build it again",
			path);
	/* the shipped schedules and this year's and next year's calendar (holidays.h) */
	if (unfinished || load_settings(c, e) || (!(flags & STORE_READONLY) && holidays_open(c, e))) {
		store_close(c->st);
		c->st = NULL;
		return e->code;
	}
	return 0;
}

int core_reload(struct core *c, struct err *e) { return load_settings(c, e); }

void core_close(struct core *c)
{
	store_close(c->st);
	free(c->cal.days);
	cal_cover_free(c->cal.cover);
	memset(c, 0, sizeof *c);
}

int64_t core_now(const struct core *c) { return c->now ? c->now : (int64_t)time(NULL); }

int core_identify(struct core *c, const char *as_account, struct err *e)
{
	uid_t uid = getuid();
	struct passwd *pw = getpwuid(uid);
	if (!pw)
		return err_set(e, MC_DENIED, "your user id %u has no account name", (unsigned)uid);
	snprintf(c->os_account, sizeof c->os_account, "%s", pw->pw_name);
	c->is_root = uid == 0;
	c->acting_as = as_account != NULL;
	memset(&c->actor, 0, sizeof c->actor);
	const char *who = as_account ? as_account : pw->pw_name;
	if (as_account && !c->is_root)
		return err_set(e, MC_DENIED, "only root may act for another user; you act as %s", pw->pw_name);
	if (store_user_by_account(c->st, who, &c->actor) != 0) {
		memset(&c->actor, 0, sizeof c->actor);
		if (as_account)
			return err_set_hint(e, MC_DENIED, HINT_USERS_LIST, "'%s' is not a motcua user of this store", as_account);
	}
	return 0;
}

int core_require(const struct core *c, unsigned roles, int what, struct err *e)
{
	if (c->is_root && !c->acting_as)
		return 0;
	if (!c->actor.id || !c->actor.active)
		return err_set(e, MC_DENIED, "'%s' is not an active motcua user of this store", c->os_account);
	if (c->actor.roles & roles)
		return 0;
	if (what == CORE_FOR_DASHBOARD)
		return err_set(e, MC_DENIED, "the dashboard is for supervisors, leaders, department heads and administrators");
	return err_set(e, MC_DENIED, "reports are for supervisors, leaders, department heads and administrators");
}

const char *core_sqlite_version(int *wal_bug) { return store_sqlite_version(wal_bug); }

int core_check(struct core *c, struct err *e)
{
	char msg[400];
	if (store_integrity_check(c->st, msg, sizeof msg))
		return err_set(e, MC_STORE, "integrity check failed: %s", msg);
	return 0;
}

int core_login(struct core *c, const char *as_account, struct err *e)
{
	if (core_identify(c, as_account, e))
		return e->code;
	if (!c->actor.id)
		return err_set_hint(e, MC_DENIED, c->is_root ? HINT_ACT_AS : HINT_NONE,
				    "the account '%s' is not a motcua user of this store: ask the administrator to add it",
				    c->os_account);
	if (!c->actor.active)
		return err_set(e, MC_DENIED, "the motcua user '%s' is deactivated", c->actor.account);
	return 0;
}

/* the shared store of a set-group-id install (README; `make install` sets it) */
#ifndef MOTCUA_SYSTEM_DB
#define MOTCUA_SYSTEM_DB "/var/lib/motcua/motcua.db"
#endif

void core_default_path(char *buf, size_t n)
{
	if (privilege_setid() || getuid() != geteuid() || getgid() != getegid()) {
		snprintf(buf, n, "%s", MOTCUA_SYSTEM_DB);
		return;
	}
	const char *db = secure_getenv("MOTCUA_DB");
	if (db && *db) {
		snprintf(buf, n, "%s", db);
		return;
	}
	const char *x = secure_getenv("XDG_DATA_HOME");
	if (x && *x) {
		snprintf(buf, n, "%s/motcua/motcua.db", x);
		return;
	}
	const char *home = secure_getenv("HOME");
	if (!home || !*home) {
		struct passwd *pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : "/tmp";
	}
	snprintf(buf, n, "%s/.local/share/motcua/motcua.db", home);
}

int64_t core_allowed_minutes(const struct core *c, const struct procedure *p, int channel)
{
	int t = channel == CH_ONLINE ? p->committed_online : p->committed_direct;
	return p->hours ? (int64_t)t * 60 : (int64_t)t * cal_day_minutes(&c->cal);
}

int64_t core_appointment(const struct core *c, const struct procedure *p, int channel, int64_t at)
{
	/* a cut-off (same-day procedures): after it, the time counts from the next working day */
	return cal_add_with_cutoff(&c->cal, at, core_allowed_minutes(c, p, channel), p->cutoff, !p->hours);
}

int core_timeliness(const struct core *c, const struct dossier *d)
{
	if (!d->orig_due_at)
		return 0;
	switch (d->stage) {
	case SG_RESULT: case SG_RETURNED:
		return cal_timeliness(d->orig_due_at, d->resolved_at, core_now(c));
	case SG_SUPPLEMENT:
		return cal_timeliness(d->orig_due_at, 0, d->paused_at);
	case SG_ACCEPTED: case SG_DEPT: case SG_PROCESSING: case SG_SIGNING:
		return cal_timeliness(d->orig_due_at, 0, core_now(c));
	}
	return 0;
}

int core_setting_get(struct core *c, const char *key, char *buf, size_t n)
{
	return store_setting_get(c->st, key, buf, n) == 0 ? 0 : 1;
}

int core_setting_put(struct core *c, const char *key, const char *value, struct err *e)
{
	char clean[1024], msg[256];
	if (!(c->actor.roles & ROLE_ADMIN) && !(c->is_root && !c->actor.id))
		return err_set(e, MC_DENIED, "only an administrator may change the setting %s", key);
	int url = !strcmp(key, "central.url");
	int service = !strcmp(key, "tsa.url") || !strcmp(key, "ocsp.url"), module = !strcmp(key, "pkcs11.module");
	if (!url && !service && !module && strcmp(key, "printer"))
		return err_set(e, MC_INVALID, "the setting %s cannot be changed here", key);
	if (text_clean(value ? value : "", key, 1000, clean, sizeof clean, msg, sizeof msg))
		return err_set(e, MC_INVALID, "%s", msg);
	if (service && clean[0] && strcmp(clean, "aia") && strncmp(clean, "http://", 7) && strncmp(clean, "https://", 8))
		return err_set(e, MC_INVALID, "the address '%.60s' for %s is not valid: use an http:// or https:// URL", clean, key);
	if (module && clean[0] != '/')
		return err_set(e, MC_INVALID, "the PKCS#11 module '%.60s' is not valid: give the absolute path of the module's .so file", clean);
	if (url && clean[0] && strncmp(clean, "sqlite:", 7) && strncmp(clean, "postgresql://", 13) &&
	    strncmp(clean, "postgres://", 11))
		return err_set(e, MC_INVALID, "central address '%.60s' is not valid: use sqlite:PATH or postgresql://HOST/DB", clean);
	if (!url && !service && !module && (clean[0] == '-' || strpbrk(clean, " /")))
		return err_set(e, MC_INVALID, "printer name '%.40s' is not valid: use the name of a CUPS queue", clean);
	int rc = store_begin(c->st, e);
	if (rc)
		return rc;
	if ((rc = store_setting_set(c->st, key, clean, e)) || (rc = store_commit(c->st, e))) {
		store_rollback(c->st);
		return rc;
	}
	return 0;
}

struct applicant_find { const char *idno; struct dossier *out; int found; };

static int applicant_one(const struct dossier *d, void *ctx)
{
	struct applicant_find *f = ctx;
	if (strcmp(d->applicant_idno, f->idno))
		return 0;
	*f->out = *d;
	f->found = 1;
	return 1; /* newest first: the first one is it */
}

int core_applicant_last(struct core *c, const char *idno, struct dossier *out)
{
	char folded[64];
	if (!idno || !*idno || strlen(idno) >= 32)
		return MC_NOTFOUND;
	text_fold(idno, folded, sizeof folded);
	struct applicant_find f = {idno, out, 0};
	store_search(c->st, folded, 20, applicant_one, &f);
	return f.found ? 0 : MC_NOTFOUND;
}
