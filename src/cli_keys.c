/* cli_keys.c - the stores' signing keys as people see them: `motcua sync key` shows
 * the office store's own key, so that an administrator of central can compare it;
 * `motcua central key list|approve|policy` lists the keys central holds, approves an
 * office store's key before its first use, and chooses between trust on first use
 * and approved keys only (src/central_keys.h has the rules). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "calendar.h"
#include "central_keys.h"
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
	char hex[65], at[24];
	hex_encode(k->pub, 32, hex);
	if (k->since >= 0)
		cal_format(k->since, 1, at, sizeof at);
	if (l->arr) {
		json_array_append_new(l->arr, json_pack("{s:s, s:s, s:b, s:I}", "agency", k->agency, "key", hex, "central", k->central,
							"since", (json_int_t)k->since));
		return;
	}
	char line[300];
	snprintf(line, sizeof line, "%-12.32s %s  %s", k->agency, hex,
		 k->central ? gettext("central's own key")
		 : k->since < 0 ? gettext("approved, not used yet") : at);
	cli_print_safe(NULL, line);
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
		if (central_key_approve(cen, argv[optind], pub, &held, e)) {
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
