-- 0005: follow-up. The next date someone must check on a referral (its own table: adding a
-- column to referral would change the audited digest of every existing referral row); a promise is
-- news promised to a survivor by a date (from an update, or said on a call), kept or not.
CREATE TABLE referral_follow_up (
    id TEXT PRIMARY KEY REFERENCES referral(id) ON DELETE CASCADE,  -- the referral's id
    follow_up_at TEXT NOT NULL,
    set_by TEXT NOT NULL REFERENCES app_user(id),
    set_at TEXT NOT NULL
);
CREATE INDEX referral_follow_up_at ON referral_follow_up(follow_up_at);

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
