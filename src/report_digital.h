/* report_digital.h - the digitisation indicators of Decision 766/QĐ-TTg (group 4,
 * "Số hóa hồ sơ") per field and period, from the `attached` events.
 *
 * Why: the Government scores provinces on digitising dossiers at receipt and issuing
 * electronic results, and an inspector checks an office's figures against its papers.
 * The formulas follow the national engine as the law notes describe it (README,
 * "Digitisation indicators"); each is printed with the report.  The population is
 * the dossiers the office accepted in the period ("Ngày tiếp nhận" in the period;
 * online dossiers not yet accepted and those refused at intake are not received), each
 * judged as it stood at the period's end (files attached before the end count):
 *
 *   4.1 electronic result = dossiers with a result document attached
 *                           / dossiers received (every procedure of the catalog issues
 *                             a written result)
 *   4.2 digitised         = dossiers whose every received component has a file (at
 *                           least one component file) and that, once the leader has
 *                           signed, have the result document attached
 *                           / dossiers received
 *   4.3 reused            = dossiers with at least one component reused (reuse.h)
 *                           / dossiers received
 * and, besides, the share of components reused (components reused / components
 * received) and of signed results issued as a document (result documents / signed).
 * Rates are percentages rounded to 2 decimals, "-" when nothing was received.
 */
#ifndef MOTCUA_REPORT_DIGITAL_H
#define MOTCUA_REPORT_DIGITAL_H

#include <stdint.h>
#include <stdio.h>
#include "core.h"

struct digital_row {
	char key[32];            /* field code, "total" */
	char name[256];          /* field name */
	long received;           /* the denominator of 4.1-4.3 */
	long result_file;        /* 4.1 */
	long digitised;          /* 4.2 */
	long reused;             /* 4.3 */
	long components, components_reused;
	long signed_results;     /* results the leader signed before the end */
};

struct digital_report {
	int64_t from, to;        /* [from, to) */
	char office[256];
	struct digital_row *rows;
	int nrows;
	struct digital_row total;
};

/* the report of the acting user's office (REPORT_ROLES, report.h); [from, to) */
int report_digital(struct core *c, int64_t from, int64_t to, struct digital_report *r, struct err *e);
void report_digital_free(struct digital_report *r);
/* num / den in percent rounded to 2 decimals; -1 when den is 0 */
double report_digital_rate(long num, long den);
/* the portal's points for a rate: max when rate >= threshold (0: none), else linear */
double report_digital_points(double rate, double max, double threshold);

/* output (UTF-8; the text is at most 80 columns) */
void report_digital_text(const struct digital_report *r, FILE *f);
void report_digital_csv(const struct digital_report *r, FILE *f);
char *report_digital_json(const struct digital_report *r);   /* caller frees */

#endif
