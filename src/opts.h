/* opts.h - motcua's global options, parsed once by main.c and handed to the front end
 * it runs: the CLI (cli_run) or the terminal UI (ui_main).
 *
 *   motcua [--db PATH] [--json] [--as USER] [--charset CS] [COMMAND ...]
 *
 * Global options may also follow the command; main moves them to the front.
 */
#ifndef MOTCUA_OPTS_H
#define MOTCUA_OPTS_H

struct opts {
	char db[4096];         /* --db, else core_default_path */
	const char *as;        /* --as USER (root only) */
	int json;              /* --json */
	const char *charset;   /* --charset for the terminal UI */
	const char *central;   /* --central URL without a command: the province's UI on central */
};

#endif
