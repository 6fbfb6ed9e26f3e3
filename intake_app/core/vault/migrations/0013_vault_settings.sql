-- 0013: settings a coordinator chooses for the whole vault (the first: how many minutes without
-- input lock the window). One row per setting, its id the setting's name; digested like every
-- record, and changed only through an audited write (services/admin.py).
CREATE TABLE vault_setting (
    id TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    set_by TEXT REFERENCES app_user(id),
    set_at TEXT NOT NULL
);
