/* demo.h - the demo store: reference data from db/demo/catalog.sql, generated
 * holidays, and a deterministic history of dossiers walked through the core. */
#ifndef MOTCUA_DEMO_H
#define MOTCUA_DEMO_H
#include "core.h"

/* the demo leaders' signing passphrase (README) */
#define DEMO_PASSPHRASE "motcua-demo"

typedef void (*demo_progress)(long done, long total);
/* ndossiers: the history size (about 8,000 = Q1/2024); seed: the PRNG seed.  Also
 * adds a few dozen open dossiers received during the two weeks before now. */
int demo_build(struct core *c, long ndossiers, unsigned long seed, demo_progress progress, struct err *e);
/* The demo province after the reform of 1 July 2025 (demo --province), on a store
 * demo_build made: the provincial centre and two branches, six departments (this
 * office among them), six commune centres and a vertical agency (db/demo/province.sql),
 * each resolving procedures of its own field; `after` dossiers received from 1 July 2025
 * to two weeks ago and `recent` ones in the last two weeks, at the centre, a branch or a
 * commune centre, resolved at every department, commune and the vertical agency (some
 * with liên thông parts, parallel or sequential), the result returned where the
 * applicant chose.  Each office's events are signed with a key of that office the
 * store knows.  MC_INVALID before 1 July 2025. */
int demo_province(struct core *c, unsigned long seed, long recent, long after, demo_progress progress, struct err *e);
#endif
