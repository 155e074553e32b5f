-- 0006_snapshot.sql - dossiers this office took from central's snapshot instead of
-- replaying their whole history (see src/snapshot.h).

-- One row per dossier loaded from the snapshot: the base its local history starts
-- from.  Only the head event (dseq, hash) is stored in events; the older events stay
-- at central.  state: the dossier as projected at central up to that head (JSON, with
-- codes and accounts instead of local ids); pos: central's log position the snapshot
-- row covered (events of the dossier at or below it are in the state).  A dossier
-- whose older events are fetched ('motcua sync fetch CODE') loses its row.
CREATE TABLE snapshot_base (
	dossier_code TEXT PRIMARY KEY,
	dseq         INTEGER NOT NULL,
	hash         BLOB NOT NULL,
	pos          INTEGER NOT NULL,
	state        TEXT NOT NULL
);

-- One row while (and after) a first sync loads central's snapshot: pos is the
-- snapshot's log position (the pull cursor once done), after the last dossier code
-- loaded (chunks go in code order), done 1 when every row is in.
CREATE TABLE snapshot_load (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	pos   INTEGER NOT NULL,
	after TEXT NOT NULL DEFAULT '',
	done  INTEGER NOT NULL DEFAULT 0
);
