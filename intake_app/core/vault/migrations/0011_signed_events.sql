-- 0011: signed audit events (S37). Each event from now on carries the public key it was signed
-- with and an Ed25519 signature over its hash, made with the acting user's own key (derived from
-- their key slot, so the vault's key alone cannot make one). The log itself is not a digested
-- table, so adding its columns changes no recorded digest. audit_signer lists the keys already
-- registered in the chain: a lookup for the unlock, never what verification trusts (that is
-- rebuilt from the signed events themselves).
ALTER TABLE audit_event ADD COLUMN signer TEXT;
ALTER TABLE audit_event ADD COLUMN signature TEXT;
CREATE TABLE audit_signer (
    public_key TEXT PRIMARY KEY,
    user_id TEXT,
    seq INTEGER NOT NULL
);
