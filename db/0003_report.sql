-- 0003_report.sql - what the statistics report (src/store_report.c) needs to stay fast
-- on a store of millions of dossiers.  No summary table: every figure is computed from
-- the dossier rows (the projection of the events) when it is asked for, so it cannot
-- drift from the events.
--
-- The finish instant of a dossier: when the leader signed (resolved_at), else when it
-- entered a final stage (refused, withdrawn, stopped), else never (still open).  The
-- report finds what was finished in a period, and what was still open at a period's
-- start, by a range on this expression.  store_report.c repeats it word for word
-- (SQLite uses an expression index only for the identical expression).
CREATE INDEX dossiers_finished ON dossiers(
	(CASE WHEN resolved_at > 0 THEN resolved_at WHEN stage >= 90 THEN stage_since
	 ELSE 9223372036854775807 END),
	received_at);
