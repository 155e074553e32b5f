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
#endif
