/* cli_steps.c - the lifecycle commands: receive and every step on a dossier. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "i18n.h"
#include "dossier.h"
#include "office.h"
#include "receive.h"
#include "sign.h"
#include "sign_cms.h"
#include "token.h"
#include "workflow.h"

/* cli_security.c: the passphrase from a file, a descriptor or the terminal (no echo) */
int cli_passphrase(const char *file, int fd, int confirm, char *buf, size_t n, struct err *e);
int cli_passphrase_fd(const char *arg, int *fd);
int cli_pin(const char *file, char *buf, size_t n, struct err *e);
/* cli_reuse.c: receive --reuse */
int cli_receive_reuse(struct cli *cli, const struct receive_req *r, const char *which, struct receive_result *out);
void cli_receive_reused(struct cli *cli, const char *code);

static int done(struct cli *cli, int rc, const struct dossier *d, const char *what)
{
	if (rc)
		return cli_fail(&cli->err);
	if (cli->json) {
		cli_json_print(cli_dossier_json(cli, d));
		return 0;
	}
	char due[24] = "-";
	if (d->due_at)
		cal_format(d->due_at, 1, due, sizeof due);
	const char *ev = workflow_event_of(what);
	printf(_("%s %s: %s (status %d); appointment %s\n"), ev ? event_label(ev) : what, d->code,
	       _(stage_name(d->stage)), d->status, due);
	return 0;
}

/* --components: "all" is every component of the procedure (receive reports an
 * unknown procedure) */
static int parse_components(const char *s, const char *proc, struct cli *cli, uint32_t *out)
{
	if (components_parse(s, out))
		return -1;
	if (*out != COMPONENTS_ALL)
		return 0;
	*out = 0;
	struct procedure *p = malloc(sizeof *p);
	if (p && office_procedure(&cli->core, proc, p) == 0)
		for (int i = 0; i < p->ncomponents; i++)
			*out |= 1u << i;
	free(p);
	return 0;
}

int cmd_receive(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"procedure", 1, 0, 'p'}, {"name", 1, 0, 'n'}, {"id", 1, 0, 'i'}, {"business", 0, 0, 'b'},
		{"phone", 1, 0, 't'}, {"address", 1, 0, 'A'}, {"channel", 1, 0, 'c'},
		{"components", 1, 0, 'C'}, {"outcome", 1, 0, 'o'}, {"reason", 1, 0, 'r'},
		{"resolver", 1, 0, 'R'}, {"return-at", 1, 0, 'T'}, {"email", 1, 0, 'E'}, {"proxy-name", 1, 0, 1},
		{"proxy-id", 1, 0, 2}, {"proxy-address", 1, 0, 3}, {"proxy-phone", 1, 0, 4}, {"proxy-email", 1, 0, 5},
		{"proxy-doc", 1, 0, 6}, {"reuse", 1, 0, 7}, {0, 0, 0, 0}};
	struct receive_req r = {0};
	const char *comps = "all", *reuse = NULL;
	int o;
	r.kind = AK_PERSON;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'p': r.procedure = optarg; break;
		case 'n': r.name = optarg; break;
		case 'i': r.idno = optarg; break;
		case 'b': r.kind = AK_BUSINESS; break;
		case 't': r.phone = optarg; break;
		case 'A': r.address = optarg; break;
		case 'c':
			if (!(r.channel = channel_parse(optarg)))
				return cli_usage("receive", "unknown channel '%.20s' (direct, postal, online)", optarg);
			break;
		case 'C': comps = optarg; break;
		case 'o':
			r.outcome = !strcmp(optarg, "accept") ? OUT_ACCEPT : !strcmp(optarg, "supplement") ? OUT_SUPPLEMENT :
				    !strcmp(optarg, "refuse") ? OUT_REFUSE : 0;
			if (!r.outcome)
				return cli_usage("receive", "unknown outcome '%.20s' (accept, supplement, refuse)", optarg);
			break;
		case 'r': r.reason = optarg; break;
		case 'R': r.resolver = optarg; break;
		case 'T': r.return_at = optarg; break;
		case 'E': r.email = optarg; break;
		case 1: r.proxy_name = optarg; break;
		case 2: r.proxy_idno = optarg; break;
		case 3: r.proxy_address = optarg; break;
		case 4: r.proxy_phone = optarg; break;
		case 5: r.proxy_email = optarg; break;
		case 6: r.proxy_doc = optarg; break;
		case 7: reuse = optarg; break;
		default: return cli_usage("receive", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("receive", "unexpected argument '%.40s'", argv[optind]);
	if (!r.procedure || !r.name || !r.idno)
		return cli_usage("receive", "--procedure, --name and --id are required");
	int rc = cli_login(cli);
	if (rc)
		return rc;
	if (parse_components(comps, r.procedure, cli, &r.components))
		return cli_usage("receive", "--components takes numbers like 1,2,3 or 'all'");
	struct receive_result *res = malloc(sizeof *res);
	if (!res)
		return MC_STORE;
	/* the setting receive.transfer decides; the command does not transfer where it is not set */
	rc = reuse ? cli_receive_reuse(cli, &r, reuse, res) : receive_dossier(&cli->core, &r, 0, res, &cli->err);
	rc = done(cli, rc, &res->d, "receive");
	if (!rc && reuse)
		cli_receive_reused(cli, res->d.code);
	if (!rc && res->transferred && !cli->json)
		cli_print_safe(_("transferred to"), res->dept.name);
	free(res);
	return rc;
}

int cmd_step(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"department", 1, 0, 'D'}, {"to", 1, 0, 'T'}, {"decision", 1, 0, 'd'}, {"note", 1, 0, 'n'},
		{"reason", 1, 0, 'r'}, {"collected-by", 1, 0, 'c'}, {"rating", 1, 0, 'R'}, {"until", 1, 0, 'u'},
		{"expect-version", 1, 0, 'v'}, {"passphrase-file", 1, 0, 'P'}, {"passphrase-fd", 1, 0, 'F'},
		{"components", 1, 0, 'C'}, {"pin-file", 1, 0, 'N'}, {"decision-no", 1, 0, 'o'}, {0, 0, 0, 0}};
	const char *cmd = argv[0], *dept = NULL, *to = NULL, *decision = NULL, *note = "", *reason = NULL;
	const char *collected = NULL, *until = NULL, *pass_file = NULL, *comps = NULL, *pin_file = NULL, *decision_no = NULL;
	int rating = 0, o, expect = 0, pass_fd = -1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'D': dept = optarg; break;
		case 'T': to = optarg; break;
		case 'd': decision = optarg; break;
		case 'n': note = optarg; break;
		case 'r': reason = optarg; break;
		case 'c': collected = optarg; break;
		case 'R': rating = atoi(optarg); break;
		case 'u': until = optarg; break;
		case 'v': expect = atoi(optarg); break;
		case 'P': pass_file = optarg; break;
		case 'C': comps = optarg; break;
		case 'N': pin_file = optarg; break;
		case 'o': decision_no = optarg; break;
		case 'F':
			if (cli_passphrase_fd(optarg, &pass_fd))
				return cli_usage(cmd, "--passphrase-fd takes a descriptor number");
			break;
		default: return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cli_usage(cmd, "give exactly one dossier code");
	const char *code = argv[optind];
	struct err *e = &cli->err;
	int rc = cli_login(cli);
	if (rc)
		return rc;
	cli->core.expect_version = expect;
	struct core *c = &cli->core;
	struct dossier *d = calloc(1, sizeof *d);
	if (!strcmp(cmd, "accept"))
		rc = dossier_accept(c, code, d, e);
	else if (!strcmp(cmd, "transfer"))
		rc = dossier_transfer(c, code, dept, d, e);
	else if (!strcmp(cmd, "assign"))
		rc = to ? dossier_assign(c, code, to, d, e) : err_set(e, MC_USAGE, "assign needs --to ACCOUNT");
	else if (!strcmp(cmd, "propose")) {
		int dec = decision && !strcmp(decision, "approve") ? DEC_APPROVE : decision && !strcmp(decision, "refuse") ? DEC_REFUSE : 0;
		rc = dec ? dossier_propose(c, code, dec, note, d, e) : err_set(e, MC_USAGE, "propose needs --decision approve|refuse");
	} else if (!strcmp(cmd, "send-back"))
		rc = dossier_send_back(c, code, reason, d, e);
	else if (!strcmp(cmd, "sign") && sign_cms_user(c, c->actor.account)) {
		/* a certificate on a token: the PIN is read now, never stored */
		char pin[TOKEN_PIN_MAX + 2] = "";
		struct sign_cms_opts so = {.decision_no = decision_no};
		rc = sign_cms_ready(c, code, e);
		if (!rc)
			rc = cli_pin(pin_file, pin, sizeof pin, e);
		if (!rc)
			rc = sign_cms_dossier(c, code, pin, &so, d, e);
		explicit_bzero(pin, sizeof pin);
	} else if (!strcmp(cmd, "sign")) {
		/* the passphrase is read now: the store is open, the set-group-id privilege gone */
		char pass[SIGN_PASS_MAX + 2] = "";
		rc = sign_ready(c, code, e);
		if (!rc)
			rc = cli_passphrase(pass_file, pass_fd, 0, pass, sizeof pass, e);
		if (!rc)
			rc = sign_dossier(c, code, pass, d, e);
		explicit_bzero(pass, sizeof pass);
	}
	else if (!strcmp(cmd, "return"))
		rc = dossier_return(c, code, collected, rating, d, e);
	else if (!strcmp(cmd, "supplement"))
		rc = dossier_supplement(c, code, reason, d, e);
	else if (!strcmp(cmd, "resume")) {
		/* --components: those the supplement brought ('all': every component of the procedure) */
		uint32_t brought = 0;
		struct dossier cur;
		if (comps && !strcmp(comps, "all") && dossier_get(c, code, &cur, e) == 0) {
			struct procedure *p = malloc(sizeof *p);
			if (p && office_dossier_procedure(c, &cur, p) == 0)
				for (int i = 0; i < p->ncomponents; i++)
					brought |= 1u << i;
			free(p);
		} else if (comps && parse_components(comps, NULL, cli, &brought)) {
			free(d);
			return cli_usage(cmd, "--components takes numbers like 1,2,3 or 'all'");
		}
		rc = dossier_resume(c, code, brought, d, e);
	} else if (!strcmp(cmd, "issue-extension"))
		rc = dossier_extend_issue(c, code, d, e);
	else if (!strcmp(cmd, "refuse"))
		rc = dossier_refuse(c, code, reason, d, e);
	else if (!strcmp(cmd, "withdraw"))
		rc = dossier_withdraw(c, code, reason, d, e);
	else if (!strcmp(cmd, "stop"))
		rc = dossier_stop(c, code, reason, d, e);
	else if (!strcmp(cmd, "extend")) {
		int64_t t;
		if (!until || cal_parse_appointment(&c->cal, until, &t))
			rc = err_set(e, MC_USAGE, "extend needs --until YYYY-MM-DD or DD/MM/YYYY[ HH:MM] (the new appointment; a date alone is the end of that working day)");
		else
			rc = dossier_extend(c, code, t, reason, d, e);
	} else
		rc = err_set(e, MC_USAGE, "unknown step %s", cmd);
	char what[32];
	snprintf(what, sizeof what, "%s:", cmd);
	rc = done(cli, rc, d, cmd);
	free(d);
	return rc;
}
