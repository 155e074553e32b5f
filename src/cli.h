/* cli.h - what the command files of the scriptable CLI share.
 *
 * The CLI is `motcua [--db PATH] [--json] [--as USER] COMMAND ...`.  main.c parses
 * the global options (opts.h) and calls cli_run.  One table in cli.c lists every
 * command with its usage and one-line help; `motcua --help`, each command's --help
 * and the manual's command list come from it (plus the UI's `keys`, handed over by
 * main).  Each command lives in a cli_*.c file next to the module it drives, and
 * returns an exit code.  The CLI reads and writes only through core calls.
 */
#ifndef MOTCUA_CLI_H
#define MOTCUA_CLI_H

#include <jansson.h>
#include <stdio.h>
#include "core.h"
#include "opts.h"

struct cli {
	char db[4096];
	const char *as;        /* --as USER (root only) */
	int json;              /* --json */
	const char *charset;   /* --charset for the terminal UI */
	struct core core;
	int opened;
	struct err err;
};

struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *usage;     /* arguments after the command name */
	const char *help;      /* one line */
};

extern const struct command cli_commands[];

/* open the store (create: for init/demo); prints the error and returns non-zero */
int cli_open(struct cli *cli, int create);
/* open and log in as the acting user */
int cli_login(struct cli *cli);
/* open; require root or the admin role */
int cli_admin(struct cli *cli);
/* print e as "motcua: message" to stderr (err_print), then the CLI's words for its
 * hint (the flag or command to use), and return its exit code */
int cli_fail(const struct err *e);
/* run the command argv[0] (from cli_commands[] or extra) with the global options o */
int cli_run(const struct opts *o, const struct command *extra, int argc, char **argv);
/* `motcua --help`: the global options and every command */
void cli_usage_all(FILE *f, const struct command *extra);
/* usage error for a command */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* `CMD SUB [options] [words]` (cli_args.c): SUB, argv[1] if it is a word (NULL if it
 * is absent or an option); *argc and *argv moved past the command word when it is
 * there, and getopt_long restarted, so that it parses the options after SUB */
const char *cli_subcommand(int *argc, char ***argv);
/* the usage error for the option getopt_long just refused */
int cli_bad_option(const char *cmd, char **argv);
/* --help: 1 if argv asks for help (and printed it) */
int cli_help_requested(const char *cmd, int argc, char **argv);
/* a formatted line to stderr through the sanitiser (it may quote untrusted text) */
void cli_print_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* print text to stdout through the sanitiser (never raw) */
void cli_print_safe(const char *label, const char *text);
/* label padded with spaces to cols terminal columns (by display width, so that a
 * Vietnamese label lines up as an English one does); buf holds the result */
const char *cli_pad(const char *label, int cols, char *buf, size_t n);
void cli_json_print(json_t *j);  /* prints and releases */
json_t *cli_dossier_json(struct cli *cli, const struct dossier *d);

/* command implementations */
int cmd_init(struct cli *, int, char **);
int cmd_demo(struct cli *, int, char **);
int cmd_catalog(struct cli *, int, char **);
int cmd_holidays(struct cli *, int, char **);
/* after a sync: say which years' calendars central changed (cli_calendar.c) */
int64_t cli_calendar_mark(struct cli *cli);
void cli_calendar_after_sync(struct cli *cli, int64_t mark);
int cmd_users(struct cli *, int, char **);
int cmd_office(struct cli *, int, char **);
int cmd_part(struct cli *, int, char **);   /* cli_lienthong.c */
int cmd_user(struct cli *, int, char **);
int cmd_receive(struct cli *, int, char **);
int cmd_step(struct cli *, int, char **);
int cmd_show(struct cli *, int, char **);
int cmd_history(struct cli *, int, char **);
int cmd_search(struct cli *, int, char **);
int cmd_queue(struct cli *, int, char **);
int cmd_whoami(struct cli *, int, char **);
int cmd_check(struct cli *, int, char **);
int cmd_report(struct cli *, int, char **);     /* cli_report.c */
int cmd_form(struct cli *, int, char **);
int cmd_dashboard(struct cli *, int, char **);
int cmd_sync(struct cli *, int, char **);       /* cli_sync.c */
int cmd_central(struct cli *, int, char **);
int cmd_conflicts(struct cli *, int, char **);
struct central;
int cli_central_admin(struct cli *cli, struct central *cen, const char *sub); /* cli_sync.c */
/* central at url opened for `sub` by its administrator (as `central SUB` opens it): NULL
 * with *rc the exit code after printing why */
struct central *cli_central_open(struct cli *cli, const char *url, const char *sub, int *rc); /* cli_sync.c */
int cli_central_province(struct cli *cli, const char *sub, int argc, char **argv); /* cli_province.c */
/* a statistics report (report.h) as `report` writes it: format text|csv|json, in
 * encoding (NULL: UTF-8), to out (NULL: stdout); cli_report.c */
struct report;
int cli_report_output(struct cli *cli, const struct report *r, const char *format, const char *encoding, const char *out);
/* 0 if the encoding is known, else the exit code after printing why (before any work) */
int cli_encoding_check(struct cli *cli, const char *encoding);
int cli_central_keys(struct cli *cli, int argc, char **argv); /* cli_keys.c */
int cli_central_verify(struct cli *cli, int argc, char **argv); /* cli_keys.c */
int cli_sync_key(struct cli *cli);
int cmd_portal(struct cli *, int, char **);     /* cli_portal.c */
int cmd_fee(struct cli *, int, char **);        /* cli_fees.c */
int cmd_key(struct cli *, int, char **);        /* cli_security.c */
int cmd_verify(struct cli *, int, char **);
int cmd_signature(struct cli *, int, char **);
int cmd_audit(struct cli *, int, char **);
int cmd_attach(struct cli *, int, char **);     /* cli_files.c */
int cmd_files(struct cli *, int, char **);
int cmd_links(struct cli *, int, char **);     /* cli_links.c */
int cmd_reuse(struct cli *, int, char **);      /* cli_reuse.c */
int cmd_file(struct cli *, int, char **);
int cmd_trust(struct cli *, int, char **);       /* cli_trust.c */
int cmd_cert(struct cli *, int, char **);
int cmd_token(struct cli *, int, char **);
int cli_verify_cms(struct cli *cli, const char *code, const char *dir, int export);

#endif
