/* receive.h - receiving at the one-stop as one core step: the dossier is received
 * and, when the setting 'receive.transfer' says so, transferred at once to the
 * competent department, both in one transaction (both events or neither).
 *
 * Why: the UI transferred after receiving in a second transaction and dropped the
 * transfer's error, and `motcua receive` never transferred; both now call this.
 * The setting is "on" or "off"; where it is not set, each front end keeps its own
 * habit (the UI transfers, `motcua receive` does not), passed as transfer_default.
 */
#ifndef MOTCUA_RECEIVE_H
#define MOTCUA_RECEIVE_H

#include "dossier.h"

struct receive_result {
	struct dossier d;           /* as it is after the step */
	int transferred;            /* 1: transferred to dept */
	struct department dept;
};

/* 1 if a dossier accepted at the counter goes on to its department now */
int receive_transfers(struct core *c, int transfer_default);
int receive_dossier(struct core *c, const struct receive_req *r, int transfer_default, struct receive_result *out,
		    struct err *e);

#endif
