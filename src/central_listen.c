/* central_listen.c - LISTEN on a PostgreSQL central for an office's channel.
 *
 * Why: polling every few seconds from 150 offices is load on central and still
 * seconds of lag; central notifies each office concerned when a write to its log
 * commits (a batch: src/central_pg.c; a delivery: trigger c_notify in
 * db/central/pg_0001_central.sql), so a watching office pulls at once.  One extra connection per watching office, idle but for the
 * notifications; it holds session state (LISTEN), so it must reach PostgreSQL
 * directly or through a pooler in session mode (README).  Losing it only slows the
 * office down to polling.
 */
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "central_listen.h"
#include "central_rls.h"

struct central_listen { PGconn *conn; };

static void quiet(void *arg, const char *msg) { (void)arg; (void)msg; }

struct central_listen *central_listen_open(const char *url, const char *office, struct err *e)
{
	if (!url || !*url || !strncmp(url, "sqlite:", 7)) {
		err_set(e, MC_USAGE, "only a PostgreSQL central can notify an office");
		return NULL;
	}
	struct central_listen *l = calloc(1, sizeof *l);
	if (!l) {
		err_set(e, MC_STORE, "out of memory");
		return NULL;
	}
	l->conn = PQconnectdb(url);
	if (!l->conn || PQstatus(l->conn) != CONNECTION_OK) {
		err_set(e, MC_IO, "cannot listen to central: %s", l->conn ? PQerrorMessage(l->conn) : "out of memory");
		central_listen_close(l);
		return NULL;
	}
	PQsetNoticeProcessor(l->conn, quiet, NULL);
	char chan[80];
	central_office_role_name(office, chan, sizeof chan);
	char *id = PQescapeIdentifier(l->conn, chan, strlen(chan));
	char sql[200];
	snprintf(sql, sizeof sql, "LISTEN %s", id ? id : "\"motcua\"");
	PQfreemem(id);
	PGresult *r = PQexec(l->conn, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	if (!ok) {
		err_set(e, MC_IO, "cannot listen to central: %s", PQerrorMessage(l->conn));
		central_listen_close(l);
		return NULL;
	}
	return l;
}

int central_listen_wait(struct central_listen *l, int timeout_ms)
{
	struct pollfd p = {PQsocket(l->conn), POLLIN, 0};
	if (p.fd < 0)
		return -1;
	int n = poll(&p, 1, timeout_ms);
	if (n < 0)
		return 0; /* a signal: the caller looks at its stop flag */
	if (n == 0)
		return 0;
	if (!PQconsumeInput(l->conn) || PQstatus(l->conn) != CONNECTION_OK)
		return -1;
	int got = 0;
	PGnotify *nt;
	while ((nt = PQnotifies(l->conn))) {
		got = 1;
		PQfreemem(nt);
	}
	return got;
}

void central_listen_close(struct central_listen *l)
{
	if (!l)
		return;
	if (l->conn)
		PQfinish(l->conn);
	free(l);
}
