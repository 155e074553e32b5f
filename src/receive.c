/* receive.c - receive, and transfer when the setting says so, in one transaction
 * (see receive.h). */
#include <string.h>
#include "office.h"
#include "receive.h"
#include "store.h"

int receive_transfers(struct core *c, int transfer_default)
{
	char v[16];
	if (store_setting_get(c->st, "receive.transfer", v, sizeof v) != 0)
		return transfer_default;
	return !strcmp(v, "on") || !strcmp(v, "1") || !strcmp(v, "yes");
}

int receive_dossier(struct core *c, const struct receive_req *r, int transfer_default, struct receive_result *out,
		    struct err *e)
{
	memset(out, 0, sizeof *out);
	int accepted = !r->pending && (r->outcome == 0 || r->outcome == OUT_ACCEPT);
	if (!accepted || !receive_transfers(c, transfer_default))
		return dossier_receive(c, r, &out->d, e);
	if (store_begin(c->st, e))
		return e->code;
	/* a dossier sent on to another agency at receipt (org.h) is that agency's to transfer */
	if (dossier_receive(c, r, &out->d, e) ||
	    (out->d.office_id == c->office.id && dossier_transfer(c, out->d.code, NULL, &out->d, e))) {
		store_rollback(c->st);
		return e->code;
	}
	if (store_commit(c->st, e))
		return e->code;
	out->transferred = out->d.office_id == c->office.id;
	if (office_department(c, out->d.dept_id, &out->dept))
		memset(&out->dept, 0, sizeof out->dept);
	return 0;
}
