/* ui.h - the terminal UI's entry point, called by the CLI when no command is given. */
#ifndef MOTCUA_UI_H
#define MOTCUA_UI_H
struct cli;
int ui_main(struct cli *cli);
/* gettext set-up for the UI's language (en: English, else Vietnamese) */
#endif
