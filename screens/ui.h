/* ui.h - the terminal UI's entry points, called by main.c: the UI itself when no
 * command is given, and the `keys` command it hands to the CLI. */
#ifndef MOTCUA_UI_H
#define MOTCUA_UI_H
struct cli;
struct opts;
/* open the store named by o, say who acts, run the screens; returns the exit code */
int ui_main(const struct opts *o);
/* `motcua --central URL`: the province seen from central (screens/province.c) */
int ui_central(const struct opts *o);
/* `motcua keys [--man]`: the key table (keys.c) */
int cmd_keys(struct cli *cli, int argc, char **argv);
/* gettext set-up for the UI's language (en: English, else Vietnamese) */
#endif
