/* catalog_fetch.c - `catalog fetch`: the national catalogue (LayThuTuc,
 * LayDanhSachTTHC; both transport profiles in portal_http.c) read into the procedure
 * catalog through the same core path as the CSV import (procver_put): a new
 * procedure is added, a changed one gets a new version, an unchanged one nothing.
 *
 * Mapping (DVCQG.md §7.2): MATTHC the national code (the local procedure whose
 * national code it is, else a new one with it as its code), TENTTHC the name,
 * LINHVUCTHUCHIEN[0] the field (MALINHVUC its national code), CAPTHUCHIEN the level
 * of a new procedure (0 ministry and 1 province: 1, 2 district: 2, 3 commune: 3),
 * CACHTHUCTHUCHIEN by KENH (1 direct, 2 online; online defaults to direct) the
 * statutory time (THOIGIANGIAIQUYET in DONVITINH: days, or hours when the unit says
 * giờ; half days become hours), its PHILEPHI the fee lines (kept as given; the first
 * SOTIEN, "50.000" or "Không", is the fee), THANHPHANHOSO[0].GIAYTO the components.
 * Keys are read whatever their case.  The committed time is the province's: a new
 * procedure commits its statutory time, a known one keeps its own unless the new
 * statutory time is shorter.  Every answer is read and checked before the store is
 * touched; one bad answer, or the portal not answering, changes nothing.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "catalog_fetch.h"
#include "portal.h"
#include "procver.h"
#include "store.h"
#include "store_portal.h"
#include "store_procver.h"
#include "text.h"

/* o[k] whatever the key's case ("URL" / "Url") */
static json_t *jget(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	if (v || !json_is_object(o))
		return v;
	const char *kk;
	json_object_foreach(o, kk, v)
		if (!strcasecmp(kk, k))
			return v;
	return NULL;
}

/* a scalar as text (strings as they are, numbers written out) */
static void jtext(json_t *o, const char *k, char *out, size_t n)
{
	json_t *v = jget(o, k);
	if (json_is_string(v))
		snprintf(out, n, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(out, n, "%g", json_real_value(v));
	else
		out[0] = 0;
}

/* SOTIEN: 50000, "50.000", "50,000 đồng", "Không" -> 0; -1 if no number */
static long long amount_of(json_t *line)
{
	char s[128], digits[32];
	size_t k = 0;
	jtext(line, "SOTIEN", s, sizeof s);
	for (const char *q = s; *q && k < sizeof digits - 1; q++) {
		if (isdigit((unsigned char)*q))
			digits[k++] = *q;
		else if (*q != '.' && *q != ',' && *q != ' ' && k)
			break; /* "50.000 đồng": the unit after the number */
	}
	digits[k] = 0;
	return k ? atoll(digits) : 0;
}

/* the channel (KENH 1 direct, 2 online) of CACHTHUCTHUCHIEN, else NULL */
static json_t *channel(json_t *ways, int kenh)
{
	size_t i;
	json_t *w;
	char k[16];
	json_array_foreach(ways, i, w) {
		jtext(w, "KENH", k, sizeof k);
		if (atoi(k) == kenh)
			return w;
	}
	return NULL;
}

/* a channel's time as working minutes' unit and amount: *hours 1 when counted in
 * hours; 0, or -1 (no time) / -2 (a unit motcua cannot count, in unit) */
static int time_of(json_t *way, int *hours, double *amount, char *unit, size_t un)
{
	json_t *t = json_array_get(jget(way, "THOIGIAN"), 0);
	char num[64], fold[128];
	jtext(t, "THOIGIANGIAIQUYET", num, sizeof num);
	jtext(t, "DONVITINH", unit, un);
	for (char *q = num; *q; q++)
		if (*q == ',')
			*q = '.';
	char *end;
	double v = strtod(num, &end);
	if (!t || !num[0] || *end || v <= 0 || v > 10000)
		return -1;
	text_fold(unit, fold, sizeof fold);
	if (strstr(fold, "gio"))
		*hours = 1;
	else if (!fold[0] || strstr(fold, "ngay"))
		*hours = 0;
	else
		return -2;
	*amount = v;
	return 0;
}

/* a field by its national code (or as a local code), else a new one; *id */
static int field_of(struct core *c, const char *nat, const char *name, int64_t *id, struct err *e)
{
	if (store_field_by_national(c->st, nat, id) == 0 || store_field_by_code(c->st, nat, id, NULL, 0) == 0)
		return 0;
	return store_field_add(c->st, nat, name, id, e);
}

int catalog_fetch_map(struct core *c, json_t *tt, struct procedure *p, char *nat, size_t natn, char *fnat, size_t fnatn,
		      char **fees, struct err *e)
{
	char buf[4096], msg[300], code[64];
	memset(p, 0, sizeof *p);
	*fees = NULL;
	jtext(tt, "MATTHC", code, sizeof code);
	if (!catalog_national_code_ok(code))
		return err_set(e, MC_INVALID, "the national catalogue gave a procedure code '%.40s' that is not a national code like 1.004552", code);
	snprintf(nat, natn, "%s", code);
	/* the local procedure this national code belongs to, else one with it as its code */
	struct procedure *old = malloc(sizeof *old);
	if (!old)
		return err_set(e, MC_STORE, "out of memory");
	char local[32];
	int known = store_procedure_by_national(c->st, code, local, sizeof local) == 0 &&
		    procver_latest(c, local, old) == 0;
	snprintf(p->code, sizeof p->code, "%s", known ? local : code);
	jtext(tt, "TENTTHC", buf, sizeof buf);
	char capped[1024];
	portal_cap(buf, 190, capped, sizeof capped);
	if (text_clean(capped, "TENTTHC", 190, p->name, sizeof p->name, msg, sizeof msg) || !p->name[0]) {
		free(old);
		return err_set(e, MC_INVALID, "the national catalogue's procedure %s has no valid name (TENTTHC)", code);
	}
	/* the field */
	json_t *lv = json_array_get(jget(tt, "LINHVUCTHUCHIEN"), 0);
	char fcode[64], fname[512], fclean[256];
	jtext(lv, "MALINHVUC", fcode, sizeof fcode);
	jtext(lv, "TENLINHVUC", fname, sizeof fname);
	portal_cap(fname, 60, capped, sizeof capped);
	if (!fcode[0] || strlen(fcode) > 30 || text_clean(fcode, "MALINHVUC", 30, fnat, fnatn, msg, sizeof msg) ||
	    text_clean(capped, "TENLINHVUC", 60, fclean, sizeof fclean, msg, sizeof msg)) {
		free(old);
		return err_set(e, MC_INVALID, "the national catalogue's procedure %s has no valid field (LINHVUCTHUCHIEN)", code);
	}
	if (field_of(c, fnat, fclean[0] ? fclean : fnat, &p->field_id, e)) {
		free(old);
		return e->code;
	}
	/* time limits by channel */
	json_t *ways = jget(tt, "CACHTHUCTHUCHIEN");
	json_t *direct = channel(ways, 1), *online = channel(ways, 2);
	if (!direct)
		direct = json_array_get(ways, 0);
	if (!online)
		online = direct;
	int hd = 0, ho = 0;
	double vd = 0, vo = 0;
	char unit[128];
	int t1 = time_of(direct, &hd, &vd, unit, sizeof unit), t2 = t1 ? t1 : time_of(online, &ho, &vo, unit, sizeof unit);
	if (t1 == -2 || t2 == -2) {
		free(old);
		return err_set(e, MC_INVALID, "the national catalogue's procedure %s counts its time in '%.40s': motcua counts working days or hours", code, unit);
	}
	if (t1 || t2) {
		free(old);
		return err_set(e, MC_INVALID, "the national catalogue's procedure %s has no time limit (THOIGIANGIAIQUYET)", code);
	}
	/* one unit for both channels; a half day is four working hours */
	p->hours = hd || ho || vd != (double)(long)vd || vo != (double)(long)vo;
	double sd = p->hours && !hd ? vd * 8 : vd, so = p->hours && !ho ? vo * 8 : vo;
	if (sd != (double)(long)sd || so != (double)(long)so || sd < 1 || so < 1) {
		free(old);
		return err_set(e, MC_INVALID, "the national catalogue's procedure %s has a time limit motcua cannot count in whole working hours", code);
	}
	p->statutory_direct = (int)sd;
	p->statutory_online = (int)so;
	/* the province's commitment: kept, unless the new statutory time is shorter */
	int same_unit = known && old->hours == p->hours;
	p->committed_direct = same_unit && old->committed_direct < p->statutory_direct ? old->committed_direct : p->statutory_direct;
	p->committed_online = same_unit && old->committed_online < p->statutory_online ? old->committed_online : p->statutory_online;
	/* fee lines as the portal gave them; the first amount is the fee */
	json_t *lines = jget(json_array_get(jget(direct, "THOIGIAN"), 0), "PHILEPHI");
	if (json_is_array(lines) && json_array_size(lines)) {
		*fees = json_dumps(lines, JSON_COMPACT | JSON_SORT_KEYS);
		p->fee = amount_of(json_array_get(lines, 0));
		if (!*fees || strlen(*fees) >= 4096) {
			free(*fees);
			*fees = NULL;
			free(old);
			return err_set(e, MC_INVALID, "the national catalogue's procedure %s has more fee lines than motcua keeps", code);
		}
	}
	/* components: the first case's documents, each required */
	json_t *docs = jget(json_array_get(jget(tt, "THANHPHANHOSO"), 0), "GIAYTO");
	size_t i;
	json_t *g;
	json_array_foreach(docs, i, g) {
		if (p->ncomponents == MAX_COMPONENTS) {
			free(*fees);
			*fees = NULL;
			free(old);
			return err_set(e, MC_INVALID, "the national catalogue's procedure %s has more than %d components", code, MAX_COMPONENTS);
		}
		jtext(g, "TENGIAYTO", buf, sizeof buf);
		portal_cap(buf, 95, capped, sizeof capped);
		struct component *cp = &p->components[p->ncomponents];
		if (text_clean(capped, "TENGIAYTO", 95, cp->name, sizeof cp->name, msg, sizeof msg)) {
			free(*fees);
			*fees = NULL;
			free(old);
			return err_set(e, MC_INVALID, "the national catalogue's procedure %s has a component whose name is not valid text", code);
		}
		if (!cp->name[0])
			continue;
		cp->required = 1;
		p->ncomponents++;
	}
	/* what the national catalogue does not say stays the province's */
	if (known) {
		p->level = old->level;
		p->dept_id = old->dept_id;
		p->full_online = old->full_online;
		p->cutoff = old->cutoff;
	} else {
		char cap[16];
		jtext(json_array_get(jget(tt, "CAPTHUCHIEN"), 0), "CAPTHUCHIEN", cap, sizeof cap);
		p->level = atoi(cap) >= 2 && atoi(cap) <= 3 ? atoi(cap) : 1;
	}
	free(old);
	return 0;
}

/* why a call failed, as an error (code NULL: the list of procedures) */
static int call_failed(struct err *e, int rc, const char *code, const char *msg)
{
	if (rc == PORTAL_DOWN)
		return err_set(e, MC_IO, "the national portal is not answering (%s): nothing was changed; try again later", msg);
	if (!code)
		return err_set(e, MC_INVALID, "the national portal refused its list of procedures, LayDanhSachTTHC (%s): nothing was changed", msg);
	return err_set(e, MC_INVALID, "the national portal refused to give procedure %s (%s): nothing was changed", code, msg);
}

/* the codes LayDanhSachTTHC lists for a field (when its entries name one), else all */
static int list_codes(struct portal_http *h, json_t **out, struct err *e)
{
	char msg[300];
	int rc = portal_http_catalog(h, NULL, out, msg, sizeof msg);
	return rc ? call_failed(e, rc, NULL, msg) : 0;
}

static int field_matches(json_t *tt, const char *field)
{
	size_t i;
	json_t *lv;
	char f[64];
	json_array_foreach(jget(tt, "LINHVUCTHUCHIEN"), i, lv) {
		jtext(lv, "MALINHVUC", f, sizeof f);
		if (!strcmp(f, field))
			return 1;
	}
	jtext(tt, "MALINHVUC", f, sizeof f);
	return !strcmp(f, field);
}

int catalog_fetch(struct core *c, struct portal_http *h, const char *const *codes, int n, const char *field,
		  int64_t effective_from, struct catalog_result *r, struct err *e)
{
	json_t *entries = json_array(), *list = NULL;
	char msg[300];
	int rc = 0;
	if (!entries)
		return err_set(e, MC_STORE, "out of memory");
	/* 1. read everything from the portal, outside any transaction */
	if (field) {
		if ((rc = list_codes(h, &list, e)))
			goto out;
		size_t i;
		json_t *it;
		json_array_foreach(list, i, it) {
			char code[64];
			jtext(it, "MATTHC", code, sizeof code);
			if (!code[0] || (jget(it, "LINHVUCTHUCHIEN") || jget(it, "MALINHVUC") ? !field_matches(it, field) : 0))
				continue;
			json_t *res = NULL;
			if ((rc = portal_http_catalog(h, code, &res, msg, sizeof msg))) {
				rc = call_failed(e, rc, code, msg);
				goto out;
			}
			json_t *tt = json_array_get(res, 0);
			if (json_is_object(tt) && field_matches(tt, field))
				json_array_append(entries, tt);
			json_decref(res);
		}
		if (!json_array_size(entries)) {
			rc = err_set(e, MC_NOTFOUND, "the national catalogue lists no procedure of field %.40s", field);
			goto out;
		}
	}
	for (int i = 0; i < n; i++) {
		json_t *res = NULL;
		if ((rc = portal_http_catalog(h, codes[i], &res, msg, sizeof msg))) {
			rc = call_failed(e, rc, codes[i], msg);
			goto out;
		}
		json_t *tt = json_array_get(res, 0);
		if (!json_is_object(tt)) {
			json_decref(res);
			rc = err_set(e, MC_NOTFOUND, "the national catalogue has no procedure %.40s", codes[i]);
			goto out;
		}
		json_array_append(entries, tt);
		json_decref(res);
	}
	/* 2. map and write them all in one transaction */
	if ((rc = store_begin(c->st, e)))
		goto out;
	size_t i;
	json_t *tt;
	struct procedure *p = malloc(sizeof *p);
	if (!p)
		rc = err_set(e, MC_STORE, "out of memory");
	json_array_foreach(entries, i, tt) {
		if (rc)
			break;
		char nat[64], fnat[64], *fees = NULL;
		if ((rc = catalog_fetch_map(c, tt, p, nat, sizeof nat, fnat, sizeof fnat, &fees, e)))
			break;
		for (int k = 0; k < r->n && !rc; k++)
			if (!strcmp(r->list[k].code, p->code))
				rc = err_set(e, MC_INVALID, "the national catalogue gave procedure %s twice", p->code);
		struct procver_req q = {.p = p, .national = nat, .field_national = fnat, .effective_from = effective_from,
					.source = "portal", .fees = fees};
		struct procver_out o;
		if (!rc && !(rc = procver_put(c, &q, &o, e)))
			rc = catalog_result_add(r, p->code, &o, e);
		free(fees);
	}
	free(p);
	if (rc)
		store_rollback(c->st);
	else
		rc = store_commit(c->st, e);
out:
	json_decref(list);
	json_decref(entries);
	return rc;
}
