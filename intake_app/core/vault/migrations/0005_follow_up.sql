-- 0005: follow-up. A referral may carry the next date someone must check on it; a promise is
-- news promised to a survivor by a date (from an update, or said on a call), kept or not.
ALTER TABLE referral ADD COLUMN follow_up_at TEXT;
CREATE INDEX referral_follow_up ON referral(status, follow_up_at);

CREATE TABLE promise (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    update_id TEXT REFERENCES liaison_update(id),
    what TEXT NOT NULL,
    due_at TEXT NOT NULL,
    made_by TEXT NOT NULL REFERENCES app_user(id),
    made_at TEXT NOT NULL,
    kept_at TEXT,
    kept_by TEXT REFERENCES app_user(id),
    kept_note TEXT
);
CREATE INDEX promise_open ON promise(kept_at, due_at);
CREATE INDEX promise_case ON promise(case_id);
