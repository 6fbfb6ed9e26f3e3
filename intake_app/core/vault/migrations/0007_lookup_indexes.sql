-- 0007: indexes for lookups that scanned a whole table on every call, so that they grew with
-- the vault (found by checking the plan of every statement the services run; see benchmarks/).
-- An interview's breaks (every pause, resume and end of a session):
CREATE INDEX session_break_session ON session_break(session_id, started_at);
-- A referral's history:
CREATE INDEX referral_transition_referral ON referral_transition(referral_id, at);
-- The follow-up dashboard's updates awaiting acknowledgement:
CREATE INDEX liaison_update_status ON liaison_update(status, updated_at);
