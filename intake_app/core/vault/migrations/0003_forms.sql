-- 0003: form definitions kept in the vault, one row per (form, version). A response stays tied
-- to the exact version it was answered with, even after newer versions arrive.
CREATE TABLE form_definition (
    id TEXT PRIMARY KEY,
    form_id TEXT NOT NULL,
    version TEXT NOT NULL,
    title TEXT NOT NULL,
    languages TEXT NOT NULL DEFAULT '[]',
    source_name TEXT NOT NULL,
    source BLOB NOT NULL,
    sha256 TEXT NOT NULL,
    shipped INTEGER NOT NULL DEFAULT 0 CHECK (shipped IN (0, 1)),
    added_by TEXT NOT NULL REFERENCES app_user(id),
    added_at TEXT NOT NULL,
    retired_at TEXT,
    UNIQUE (form_id, version)
);
CREATE TRIGGER form_definition_immutable
BEFORE UPDATE OF form_id, version, source, sha256, source_name ON form_definition
BEGIN SELECT RAISE(ABORT, 'form versions are immutable; add a new version'); END;
