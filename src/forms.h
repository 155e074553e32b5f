/* forms.h - the printable forms 01-07 as plain text fitted to 80 columns, and the text
 * layout helpers the reports share (fit, pad, wrap by display columns).
 *
 * Why: the one-stop hands paper to the citizen (receipt and appointment slip, supplement
 * request, refusal, apology, notice of stopping), files a process-control sheet with
 * each dossier and keeps a register.  Printers at district offices are old: plain text,
 * 80 columns, often a legacy 8-bit encoding.  This module owns the content and layout of
 * each form; every piece of stored text goes through text_sanitize before it is laid out,
 * every line is at most FORM_COLS display columns (text_width), and the encoding happens
 * only at the edge (charset.h) in forms_output.
 *
 *   01 receipt and appointment slip     (Giấy tiếp nhận hồ sơ và hẹn trả kết quả)
 *   02 supplement request               (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ)
 *   03 refusal                          (Phiếu từ chối tiếp nhận giải quyết hồ sơ)
 *   04 apology and new appointment      (Phiếu xin lỗi và hẹn lại ngày trả kết quả)
 *   05 notice of stopping               (Thông báo dừng xử lý / rút hồ sơ)
 *   06 process-control sheet            (Phiếu kiểm soát quá trình giải quyết hồ sơ)
 *   07 dossier register for a period    (Sổ theo dõi hồ sơ)
 */
#ifndef MOTCUA_FORMS_H
#define MOTCUA_FORMS_H

#include <stddef.h>
#include <stdint.h>
#include "core.h"
#include "strbuf.h"

#define FORM_COLS 80

/* a form's text is a strbuf of UTF-8 lines; append one line (a newline is added); s must already be safe and fit */
void ftext_line(struct strbuf *t, const char *s);
void ftext_linef(struct strbuf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* display-safe copy of stored/untrusted text (text_sanitize), tabs and newlines too */
void form_safe(const char *in, char *out, size_t n);
/* the longest prefix of s (safe text) that fits in cols columns; returns its width */
int form_fit(const char *s, int cols, char *out, size_t n);
/* s fitted and padded with spaces to exactly cols columns (right-aligned if right) */
void form_pad(const char *s, int cols, int right, char *out, size_t n);
/* "label" then text wrapped at width columns, continuation lines indented to the
 * label's width (label may be ""); text is sanitised here */
void form_wrap(struct strbuf *t, const char *label, const char *text, int width);
/* a table of n (at most FORM_GRID_MAX) columns of widths w: one row, every cell
 * wrapped in its column (a '\n' in a cell starts a new line; text sanitised here),
 * and the rule +---+---+ between rows */
#define FORM_GRID_MAX 11
void ftext_grid_row(struct strbuf *t, int n, const int *w, const char *const *cells);
void ftext_grid_rule(struct strbuf *t, int n, const int *w);
/* s centred in width columns (cut if longer); text is sanitised here */
void form_center(struct strbuf *t, const char *s, int width);
/* two texts on one line: left centred in lw columns, right centred in the rest
 * (a form's header); text is sanitised here */
void form_two_cols(struct strbuf *t, const char *left, const char *right, int lw);
/* the display width of s (safe text) */
int form_width(const char *s);

/* Build form `form` ("01".."07"; "1".."7" accepted) for dossier `code` (forms 01-06) or
 * for the period [from, to) (form 07).  MC_USAGE for an unknown form, MC_NOTFOUND for
 * an unknown dossier, MC_STATE when the dossier has nothing for that form (e.g. an
 * apology for a dossier never extended). */
int forms_build(struct core *c, const char *form, const char *code, int64_t from, int64_t to,
		struct strbuf *out, struct err *e);

/* a form's number for its stable key (RECEIPT, SUPPLEMENT_REQUEST, REFUSAL,
 * APOLOGY_EXTENSION, STOP_NOTICE, CONTROL_SHEET, REGISTER, or motcua's 01-07) under
 * Circular 03/2025 (v2025) or 01/2018; NULL if that version has no such form */
const char *forms_number(const char *key, int v2025);
/* 1 July 2025 00:00, Vietnam time: dossiers received from then on take the 2025 forms */
int64_t forms_reform_instant(void);
/* "PLACE, ngày D tháng M năm YYYY" as Decree 30/2020 writes it (zero only for days
 * 1-9 and months 1-2); place may be NULL or "" */
void forms_date_vn(const char *place, int64_t t, char *out, size_t n);

/* a number as Vietnamese writes it: dots between thousands, a decimal comma
 * (1.234,5); decimals 0-6, rounded */
void forms_number_vn(double v, int decimals, char *out, size_t n);
/* an amount: "1.500.000 đồng" */
void forms_money_vn(int64_t v, char *out, size_t n);
/* The dossier's entry in the receiving office's register (Circular 01/2018 Art. 10,
 * kept by Circular 03/2025): its number through the year (0 if the code has no year)
 * and the book it is in, "NN/YYYY" (a new book every register.book_entries entries,
 * the numbering continuing; one book a year when that setting is 0 or unset). */
int forms_register_entry(struct core *c, const char *code, char *book, size_t n);

/* Send text (UTF-8) out in `encoding` (NULL: UTF-8): to file path out_file, else to the
 * printer when print (lpr -P <printer>, printer from the setting 'printer' or $PRINTER;
 * MC_INVALID when none is configured), else to stdout. */
int forms_output(struct core *c, const char *text, const char *encoding, const char *out_file,
		 int print, struct err *e);

/* the printer to use: setting 'printer', else $PRINTER; 0 if one is configured */
int forms_printer(struct core *c, char *buf, size_t n);

#endif
