/* model.c - names of roles, stages, statuses and channels, and component lists (see
 * model.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "i18n.h"
#include "model.h"

/* name: the identifier of --roles and JSON; label: N_() what a person reads */
static const struct { unsigned bit; const char *name, *label; } roles[] = {
	{ROLE_CLERK, "clerk", N_("one-stop clerk")}, {ROLE_HEAD, "head", N_("department head")},
	{ROLE_SPECIALIST, "specialist", N_("specialist")}, {ROLE_LEADER, "leader", N_("leader")},
	{ROLE_SUPERVISOR, "supervisor", N_("supervisor")}, {ROLE_ADMIN, "admin", N_("administrator")},
};

const char *role_label(unsigned role)
{
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (roles[i].bit == role)
			return _(roles[i].label);
	return "?";
}

void roles_label(unsigned r, char *buf, size_t n)
{
	size_t o = 0;
	buf[0] = 0;
	for (size_t i = 0; i < sizeof roles / sizeof roles[0] && o < n; i++)
		if (r & roles[i].bit)
			o += (size_t)snprintf(buf + o, n - o, "%s%s", o ? ", " : "", _(roles[i].label));
}

const char *role_name(unsigned role)
{
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (roles[i].bit == role)
			return roles[i].name;
	return "?";
}

int role_parse(const char *s, unsigned *out)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", s);
	*out = 0;
	for (char *save = NULL, *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		size_t i;
		for (i = 0; i < sizeof roles / sizeof roles[0]; i++)
			if (strcmp(t, roles[i].name) == 0)
				break;
		if (i == sizeof roles / sizeof roles[0])
			return -1;
		*out |= roles[i].bit;
	}
	return *out ? 0 : -1;
}

void roles_format(unsigned r, char *buf, size_t n)
{
	size_t o = 0;
	buf[0] = 0;
	for (size_t i = 0; i < sizeof roles / sizeof roles[0] && o < n; i++)
		if (r & roles[i].bit)
			o += (size_t)snprintf(buf + o, n - o, "%s%s", o ? "," : "", roles[i].name);
}

const char *stage_name(int stage)
{
	switch (stage) {
	case SG_ONLINE: return N_("online, to accept");
	case SG_INTAKE_SUPPL: return N_("incomplete, waiting for the applicant");
	case SG_ACCEPTED: return N_("accepted, to transfer");
	case SG_DEPT: return N_("at the department, to assign");
	case SG_PROCESSING: return N_("processing");
	case SG_SIGNING: return N_("waiting for signature");
	case SG_SUPPLEMENT: return N_("waiting for a supplement");
	case SG_RESULT: return N_("result ready, to return");
	case SG_RETURNED: return N_("returned");
	case SG_REFUSED: return N_("refused");
	case SG_WITHDRAWN: return N_("withdrawn");
	case SG_STOPPED: return N_("stopped");
	}
	return "?";
}

int stage_status(int stage)
{
	switch (stage) {
	case SG_ONLINE: return ST_REGISTERED;
	case SG_INTAKE_SUPPL: case SG_SUPPLEMENT: return ST_SUPPLEMENT;
	case SG_ACCEPTED: return ST_ACCEPTED;
	case SG_DEPT: case SG_PROCESSING: case SG_SIGNING: return ST_IN_PROGRESS;
	case SG_RESULT: return ST_RESOLVED;
	case SG_RETURNED: return ST_RETURNED;
	case SG_REFUSED: return ST_REFUSED;
	case SG_WITHDRAWN: return ST_WITHDRAWN;
	case SG_STOPPED: return ST_STOPPED;
	}
	return 0;
}

const char *status_name(int s)
{
	static const char *n[] = {"?", "newly registered", "accepted", "refused", "in progress",
		"supplement requested", "payment required", "withdrawn", "processing stopped",
		"resolved", "result returned"};
	return s >= 1 && s <= 10 ? n[s] : n[0];
}

const char *status_label(int s)
{
	/* the national status list (DVCQG TrangThai 1-10): vi.po gives its official
	 * wording ("Được tiếp nhận", "Đã xử lý xong", ...) */
	static const char *n[] = {"?", N_("newly registered"), N_("received for processing"), N_("not received"),
		N_("being processed"), N_("additional documents requested"), N_("financial obligation to be met"),
		N_("the citizen asked to withdraw the dossier"), N_("processing stopped"),
		N_("processing completed"), N_("result returned")};
	return s >= 1 && s <= 10 ? _(n[s]) : n[0];
}

const char *event_label(const char *kind)
{
	static const struct { const char *kind, *name; } names[] = {
		{"received", N_("received")}, {"accepted", N_("accepted")},
		{"transferred", N_("transferred")}, {"assigned", N_("assigned")},
		{"proposed", N_("proposed")}, {"sent_back", N_("sent back")},
		{"signed", N_("signed")}, {"returned", N_("returned")},
		{"supplement_requested", N_("supplement requested")},
		{"supplement_received", N_("supplement received")},
		{"refused", N_("refused")}, {"withdrawn", N_("withdrawn")},
		{"stopped", N_("stopped")}, {"extended", N_("extended")},
		{"rerouted", N_("re-routed")}, {"conflict_resolved", N_("conflict decided")},
		{"routed", N_("sent on")},
		{"fee_paid", N_("fees paid")}, {"fee_refunded", N_("fees refunded")},
		{"lt_opened", N_("parts opened")}, {"part_taken", N_("part taken")}, {"part_returned", N_("part handed back")},
		{"part_apology", N_("apology for a late part")},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(names[i].kind, kind))
			return _(names[i].name);
	return kind;
}

const char *channel_name(int ch)
{
	switch (ch) {
	case CH_DIRECT: return N_("direct");
	case CH_POSTAL: return N_("postal");
	case CH_ONLINE: return N_("online");
	}
	return "?";
}

int channel_parse(const char *s)
{
	if (!strcmp(s, "direct")) return CH_DIRECT;
	if (!strcmp(s, "postal")) return CH_POSTAL;
	if (!strcmp(s, "online")) return CH_ONLINE;
	return 0;
}

int components_parse(const char *s, uint32_t *out)
{
	*out = 0;
	if (!strcmp(s, "all")) {
		*out = COMPONENTS_ALL;
		return 0;
	}
	while (*s) {
		char *end;
		long v = strtol(s, &end, 10);
		if (end == s || v < 1 || v > MAX_COMPONENTS || (*end && *end != ','))
			return -1;
		*out |= 1u << (v - 1);
		s = *end ? end + 1 : end;
	}
	return 0;
}
