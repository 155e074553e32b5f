-- 0008_rules.sql - a dossier refused after processing is resolved with a negative
-- result (src/dossier.c, "signed"): its national status is 9 until the one-stop returns
-- the written refusal (10), never 3, which means "not received" and belongs to intake.
-- Rows projected before this rule kept a signed refusal at stage 92 (status 3); they
-- now wait at the one-stop for their return, as replaying their events gives.
UPDATE dossiers SET stage = 60, status = 9
 WHERE stage = 92 AND resolved_at > 0;
