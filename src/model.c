/* model.c - names of roles, stages, statuses and channels, and component lists (see
 * model.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

static const struct { unsigned bit; const char *name; } roles[] = {
	{ROLE_CLERK, "clerk"}, {ROLE_HEAD, "head"}, {ROLE_SPECIALIST, "specialist"},
	{ROLE_LEADER, "leader"}, {ROLE_SUPERVISOR, "supervisor"}, {ROLE_ADMIN, "admin"},
};

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
	case SG_ONLINE: return "online, to accept";
	case SG_INTAKE_SUPPL: return "incomplete, waiting for the applicant";
	case SG_ACCEPTED: return "accepted, to transfer";
	case SG_DEPT: return "at the department, to assign";
	case SG_PROCESSING: return "processing";
	case SG_SIGNING: return "waiting for signature";
	case SG_SUPPLEMENT: return "waiting for a supplement";
	case SG_RESULT: return "result ready, to return";
	case SG_RETURNED: return "returned";
	case SG_REFUSED: return "refused";
	case SG_WITHDRAWN: return "withdrawn";
	case SG_STOPPED: return "stopped";
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

const char *status_name_vi(int s)
{
	static const char *n[] = {"?", "Mới đăng ký", "Đã tiếp nhận", "Từ chối", "Đang xử lý",
		"Yêu cầu bổ sung", "Chờ thanh toán", "Rút hồ sơ", "Dừng xử lý",
		"Đã giải quyết", "Đã trả kết quả"};
	return s >= 1 && s <= 10 ? n[s] : n[0];
}

const char *channel_name(int ch)
{
	switch (ch) {
	case CH_DIRECT: return "direct";
	case CH_POSTAL: return "postal";
	case CH_ONLINE: return "online";
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
