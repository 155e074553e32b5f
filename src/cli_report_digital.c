/* cli_report_digital.c - `motcua report digital`: the Decision 766 digitisation
 * indicators (report_digital.h) for a period, as text (with the formulas), CSV or JSON.
 * Named periods are calendar ones here: the 766 engine counts any chosen date range,
 * not the 15th-14th reporting regime. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "forms.h"
#include "i18n.h"
#include "report.h"
#include "report_digital.h"

int cmd_report_digital(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"from", 1, 0, 'f'}, {"to", 1, 0, 't'}, {"period", 1, 0, 'p'},
					     {"format", 1, 0, 'o'}, {"out", 1, 0, 'O'}, {0, 0, 0, 0}};
	const char *from = NULL, *to = NULL, *period = NULL, *out = NULL, *format = cli->json ? "json" : "text";
	int o;
	/* options after "digital" */
	argc--;
	argv++;
	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'p': period = optarg; break;
		case 'O': out = optarg; break;
		case 'o': format = optarg; break;
		default: return cli_usage("report", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("report", "unexpected argument '%.40s'", argv[optind]);
	if (strcmp(format, "text") && strcmp(format, "csv") && strcmp(format, "json"))
		return cli_usage("report", "unknown format '%.40s': text, csv or json", format);
	int64_t p0, p1;
	if (report_period(period, from, to, 1, &p0, &p1, &cli->err))
		return cli->err.code == MC_USAGE ? cli_usage("report", "%s", cli->err.msg) : cli_fail(&cli->err);
	if (cli_open(cli, 0))
		return cli->err.code ? cli->err.code : 1;
	if (core_identify(&cli->core, cli->as, &cli->err))
		return cli_fail(&cli->err);
	struct digital_report r;
	if (report_digital(&cli->core, p0, p1, &r, &cli->err))
		return cli_fail(&cli->err);
	char *text = NULL;
	if (!strcmp(format, "json")) {
		text = report_digital_json(&r);
	} else {
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		if (f) {
			if (!strcmp(format, "csv"))
				report_digital_csv(&r, f);
			else
				report_digital_text(&r, f);
			fclose(f);
		}
	}
	report_digital_free(&r);
	if (!text) {
		err_set(&cli->err, MC_STORE, "out of memory");
		return cli_fail(&cli->err);
	}
	int rc = 0;
	if (!out && !strcmp(format, "json"))
		puts(text); /* every string in it went through form_safe */
	else if (forms_output(&cli->core, text, NULL, out, 0, &cli->err))
		rc = cli_fail(&cli->err);
	free(text);
	return rc;
}
