-- 0004: sealed exports. Each user's signing identity (key + certificate) lives in the encrypted
-- vault; a replaced identity is retired, never deleted, so older exports can still be matched.
CREATE TABLE signing_identity (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES app_user(id),
    private_key BLOB NOT NULL,          -- PKCS#8 DER, inside the encrypted vault only
    certificate BLOB NOT NULL,          -- DER
    chain TEXT NOT NULL DEFAULT '[]',   -- issuing certificates (hex DER) of an imported PKCS#12
    fingerprint TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('self_signed', 'pkcs12')),
    created_at TEXT NOT NULL,
    retired_at TEXT
);
CREATE UNIQUE INDEX signing_identity_current ON signing_identity(user_id) WHERE retired_at IS NULL;
CREATE TRIGGER signing_identity_immutable
BEFORE UPDATE OF user_id, private_key, certificate, fingerprint, source ON signing_identity
BEGIN SELECT RAISE(ABORT, 'signing identities are immutable; import a new one'); END;

-- One row per sealed file that left the vault: what, for whom, why, and its fingerprint.
CREATE TABLE export_record (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES case_file(id),
    recipient_id TEXT NOT NULL REFERENCES recipient(id),
    purpose TEXT NOT NULL,
    protection TEXT NOT NULL CHECK (protection IN ('certificate', 'password')),
    file_sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    pages INTEGER NOT NULL,
    decisions TEXT NOT NULL,            -- JSON: what was withheld, and why (message keys)
    embedded TEXT NOT NULL DEFAULT '[]',-- JSON: SHA-256 of evidence files carried inside
    override_justification TEXT,
    signer_fingerprint TEXT NOT NULL,
    audit_head_seq INTEGER NOT NULL,
    audit_head_hash TEXT NOT NULL,
    exported_by TEXT NOT NULL REFERENCES app_user(id),
    exported_at TEXT NOT NULL
);
CREATE INDEX export_record_case ON export_record(case_id, exported_at);
CREATE INDEX export_record_file ON export_record(file_sha256);
CREATE TRIGGER export_record_immutable BEFORE UPDATE ON export_record
BEGIN SELECT RAISE(ABORT, 'export records are immutable'); END;
CREATE TRIGGER export_record_kept BEFORE DELETE ON export_record
BEGIN SELECT RAISE(ABORT, 'export records are kept'); END;
