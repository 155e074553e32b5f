/* cli_keys.c - the stores' signing keys as people see them: `motcua sync key` shows
 * the office store's own key, so that an administrator of central can compare it;
 * `motcua central key list|approve|policy` lists the keys central holds, approves an
 * office store's key before its first use, and chooses between trust on first use
 * and approved keys only (src/central_keys.h has the rules); `motcua central verify`
 * checks central's events against those keys (src/central_verify.h). */
#include <getopt.h>
#include <jansson.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "calendar.h"
#include "central_keys.h"
#include "central_verify.h"
#include "cli.h"
#include "event.h"
#include "i18n.h"
#include "storekey.h"

int cli_sync_key(struct cli *cli)
{
	struct storekey k;
	char hex[65], at[24];
	if (cli_open(cli, 0))
		return cli->err.code ? cli->err.code : 1;
	if (storekey_own(cli->core.st, cli->core.office.agency_code, time(NULL), &k, &cli->err))
		return cli_fail(&cli->err);
	hex_encode(k.pub, 32, hex);
	cal_format(k.since, 1, at, sizeof at);
	if (cli->json) {
		cli_json_print(json_pack("{s:s, s:s, s:I}", "agency", k.agency, "key", hex, "since", (json_int_t)k.since));
	} else {
		cli_print_safe(_("office"), k.agency);
		cli_print_safe(_("store key"), hex);
		cli_print_safe(_("signing since"), at);
	}
	storekey_free(&k);
	return 0;
}

struct key_list { struct cli *cli; json_t *arr; };

static void print_key(struct key_list *l, const struct storekey_entry *k)
{
	char hex[65], at[24] = "", appr[24] = "";
	hex_encode(k->pub, 32, hex);
	if (k->since >= 0)
		cal_format(k->since, 1, at, sizeof at);
	if (k->approved_at > 0)
		cal_format(k->approved_at, 1, appr, sizeof appr);
	if (l->arr) {
		json_t *o = json_pack("{s:s, s:s, s:b, s:I}", "agency", k->agency, "key", hex, "central", k->central,
				      "since", (json_int_t)k->since);
		if (o && k->approved_at > 0) {
			json_object_set_new(o, "approved_at", json_integer(k->approved_at));
			json_object_set_new(o, "approved_by", json_string(k->approved_by));
		}
		json_array_append_new(l->arr, o);
		return;
	}
	char line[400], who[160] = "";
	if (k->approved_at > 0)
		snprintf(who, sizeof who, gettext("approved %s by %.64s"), appr, k->approved_by);
	snprintf(line, sizeof line, "%-12.32s %s  %s%s%s", k->agency, hex,
		 k->central ? gettext("central's own key")
		 : k->since < 0 ? gettext("approved, not used yet") : at, who[0] ? "  " : "", who);
	cli_print_safe(NULL, line);
}

/* the account an approval is recorded as: the one central_authorize checked */
static const char *approver(const struct cli *cli)
{
	struct passwd *pw = getpwuid(getuid());
	return getuid() == 0 && cli->as ? cli->as : pw ? pw->pw_name : "?";
}

int cli_central_keys(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"central", 1, 0, 'c'}, {0, 0, 0, 0}};
	const char *url = NULL;
	int o;
	const char *sub = cli_subcommand(&argc, &argv); /* argv[0] is "key" */
	if (!sub)
		sub = "list";
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'c': url = optarg; break;
		default: return cli_bad_option("central", argv);
		}
	}
	int words = !strcmp(sub, "approve") ? 2 : !strcmp(sub, "policy") ? 1 : 0;
	if (strcmp(sub, "list") && strcmp(sub, "approve") && strcmp(sub, "policy"))
		return cli_usage("central", "unknown 'central key' subcommand '%.40s' (list, approve AGENCY KEY, policy first-use|approved)", sub);
	if (argc - optind != words)
		return cli_usage("central", "'central key %s' takes %d words: list | approve AGENCY KEY | policy first-use|approved", sub, words);
	if (!url)
		return cli_usage("central", "--central URL is required (sqlite:PATH or postgresql://...)");
	unsigned char pub[32];
	if (!strcmp(sub, "approve") && (strlen(argv[optind + 1]) != 64 || hex_decode(argv[optind + 1], pub, 32)))
		return cli_usage("central", "KEY is the 64 hexadecimal digits 'motcua sync key' shows at the office");
	if (!strcmp(sub, "policy") && strcmp(argv[optind], "first-use") && strcmp(argv[optind], "approved"))
		return cli_usage("central", "the key policy is 'first-use' or 'approved'");
	struct err *e = &cli->err;
	int rc;
	struct central *cen = cli_central_open(cli, url, "key", &rc);
	if (!cen)
		return rc;
	if (!strcmp(sub, "list")) {
		struct storekey_set ks;
		int approved = 0;
		if (central_key_policy(cen, &approved, e) || central_keys_load(cen, &ks, e)) {
			rc = cli_fail(e);
		} else {
			struct key_list l = {cli, cli->json ? json_array() : NULL};
			for (int i = 0; i < ks.n; i++)
				print_key(&l, &ks.k[i]);
			if (l.arr)
				cli_json_print(json_pack("{s:s, s:o}", "policy", approved ? "approved" : "first-use", "keys", l.arr));
			else
				printf(approved ? _("policy: only keys an administrator approved\n")
				       : _("policy: a store's key is trusted on its first sync\n"));
			storekey_set_free(&ks);
		}
	} else if (!strcmp(sub, "approve")) {
		int held = 0;
		char line[300];
		if (central_key_approve(cen, argv[optind], pub, approver(cli), time(NULL), &held, e)) {
			rc = cli_fail(e);
		} else {
			snprintf(line, sizeof line, held ? gettext("central holds this key of office %.32s already")
				 : gettext("key approved for office %.32s: its store may sync with it"), argv[optind]);
			cli_print_safe(NULL, line);
		}
	} else {
		int approved = !strcmp(argv[optind], "approved");
		if (central_key_policy_set(cen, approved, e))
			rc = cli_fail(e);
		else
			printf(approved ? _("from now on central takes only keys an administrator approved\n")
			       : _("from now on central trusts a store's key on its first sync\n"));
	}
	central_close(cen);
	return rc;
}

/* ---- `motcua central verify [--since POS] [--format text|json]` (central_verify.h) --- */

struct verify_out { json_t *arr; };

static int verify_found(const struct central_verify_finding *f, void *ctx)
{
	struct verify_out *o = ctx;
	if (o->arr) {
		json_array_append_new(o->arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:s, s:s}", "pos", (json_int_t)f->pos, "id", f->id,
							"office", f->origin, "routed_to", f->office, "dossier", f->dossier_code,
							"dseq", f->dseq, "kind", f->kind, "reason",
							central_verify_reason_word(f->reason)));
		return 0;
	}
	char line[600];
	const char *fmt = f->reason == CV_BAD_HASH
		? gettext("position %lld: event %.32s of office %.32s on dossier %.48s has a hash that does not match its content (altered or corrupted)")
		: f->reason == CV_FORGED
		? gettext("position %lld: event %.32s of office %.32s on dossier %.48s is signed by no key of that office (forged or altered)")
		: f->reason == CV_ID_TWICE
		? gettext("position %lld: event %.32s of office %.32s on dossier %.48s has the id of an earlier event of another dossier or step (forged or copied)")
		: gettext("position %lld: event %.32s of office %.32s on dossier %.48s is not signed, though that office signs every event it writes (forged)");
	snprintf(line, sizeof line, fmt, (long long)f->pos, f->id, f->origin, f->dossier_code);
	cli_print_safe(NULL, line);
	return 0;
}

int cli_central_verify(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"central", 1, 0, 'c'}, {"since", 1, 0, 's'}, {"format", 1, 0, 'F'}, {0, 0, 0, 0}};
	const char *url = NULL, *format = cli->json ? "json" : "text";
	long long since = -1;
	int o;
	/* argv[0] is "verify" */
	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'c': url = optarg; break;
		case 's': {
			char *end;
			since = strtoll(optarg, &end, 10);
			if (!optarg[0] || *end || since < 0)
				return cli_usage("central", "--since takes a log position: a whole number, 0 or more");
			break;
		}
		case 'F': format = optarg; break;
		default: return cli_bad_option("central", argv);
		}
	}
	if (optind < argc)
		return cli_usage("central", "unexpected '%.40s' after 'central verify'", argv[optind]);
	if (strcmp(format, "text") && strcmp(format, "json"))
		return cli_usage("central", "unknown format '%.40s': text or json", format);
	if (!url)
		return cli_usage("central", "--central URL is required (sqlite:PATH or postgresql://...)");
	int rc;
	struct central *cen = cli_central_open(cli, url, "verify", &rc);
	if (!cen)
		return rc;
	struct verify_out out = {!strcmp(format, "json") ? json_array() : NULL};
	struct central_verify_result r;
	if (central_verify(cen, since, approver(cli), time(NULL), verify_found, &out, &r, &cli->err)) {
		rc = cli_fail(&cli->err);
		json_decref(out.arr);
		central_close(cen);
		return rc;
	}
	central_close(cen);
	if (out.arr) {
		cli_json_print(json_pack("{s:I, s:I, s:I, s:I, s:I, s:o, s:I, s:I}", "from", (json_int_t)r.from, "to", (json_int_t)r.to,
					 "checked", (json_int_t)r.checked, "signed", (json_int_t)r.signed_ok, "before",
					 (json_int_t)r.before, "found", out.arr, "recorded", (json_int_t)r.recorded, "mark",
					 (json_int_t)r.mark));
	} else {
		printf(_("checked %lld events at central after position %lld up to %lld: %lld signed, %lld unsigned from before their office began signing\n"),
		       (long long)r.checked, (long long)r.from, (long long)r.to, (long long)r.signed_ok, (long long)r.before);
		if (r.found)
			printf(_("%lld events are forged, unsigned or altered: they are recorded in central's table c_verify_found (%lld rows in all); compare them with the offices' stores\n"),
			       (long long)r.found, (long long)r.recorded);
		else
			printf(_("no forged, unsigned or altered event found (%lld found earlier are recorded in c_verify_found)\n"),
			       (long long)r.recorded);
		if (r.mark_moved)
			printf(_("checked up to position %lld: the next run without --since starts there\n"), (long long)r.mark);
		else
			printf(_("the checked-up-to mark stays at position %lld: this run began after it\n"), (long long)r.mark);
	}
	return r.found ? MC_INVALID : 0;
}
