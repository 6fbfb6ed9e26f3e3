-- 0001: the relational core. Identifiers are UUID text; times are UTC ISO-8601 text.
CREATE TABLE app_user (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('advocate', 'investigator', 'liaison', 'coordinator')),
    created_at TEXT NOT NULL,
    removed_at TEXT
);

CREATE TABLE case_file (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('open', 'active', 'closed', 'archived')),
    tags TEXT NOT NULL DEFAULT '[]',
    languages TEXT NOT NULL DEFAULT '[]',
    created_by TEXT NOT NULL REFERENCES app_user(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX case_file_updated ON case_file(updated_at DESC);
CREATE INDEX case_file_status ON case_file(status);

CREATE TABLE case_assignment (
    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES app_user(id),
    PRIMARY KEY (case_id, user_id)
);

CREATE TABLE person (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('survivor', 'guardian', 'witness', 'representative', 'other')),
    legal_name TEXT,
    pseudonym TEXT NOT NULL,
    date_of_birth TEXT,
    age_range TEXT,
    gender TEXT,
    languages TEXT NOT NULL DEFAULT '[]',
    is_minor INTEGER NOT NULL DEFAULT 0 CHECK (is_minor IN (0, 1)),
    notes TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX person_case ON person(case_id);

CREATE TABLE form_response (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    form_id TEXT NOT NULL,
    form_version TEXT NOT NULL,
    languages TEXT NOT NULL DEFAULT '[]',
    answers TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL CHECK (status IN ('draft', 'complete')),
    created_by TEXT NOT NULL REFERENCES app_user(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX form_response_case ON form_response(case_id);

CREATE TABLE interview_session (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    interviewer_id TEXT NOT NULL REFERENCES app_user(id),
    interpreter TEXT,
    persons_present TEXT NOT NULL DEFAULT '[]',
    location TEXT,
    status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'ended')),
    started_at TEXT NOT NULL,
    ended_at TEXT,
    stopped_early INTEGER NOT NULL DEFAULT 0 CHECK (stopped_early IN (0, 1)),
    survivor_instruction TEXT
);
CREATE INDEX interview_session_case ON interview_session(case_id);

CREATE TABLE session_break (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES interview_session(id) ON DELETE CASCADE,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    reason TEXT NOT NULL
);

CREATE TABLE statement (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    person_id TEXT REFERENCES person(id),
    title TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES app_user(id),
    created_at TEXT NOT NULL
);
CREATE INDEX statement_case ON statement(case_id);

CREATE TABLE statement_version (
    id TEXT PRIMARY KEY,
    statement_id TEXT NOT NULL REFERENCES statement(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    session_id TEXT REFERENCES interview_session(id),
    language TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    translation TEXT,
    translation_language TEXT,
    translator TEXT,
    status TEXT NOT NULL CHECK (status IN ('draft', 'sealed')),
    sha256 TEXT,
    sealed_by TEXT REFERENCES app_user(id),
    sealed_at TEXT,
    readback TEXT CHECK (readback IN ('confirmed', 'declined', 'not_possible')),
    readback_note TEXT,
    supersedes_id TEXT REFERENCES statement_version(id),
    amendment_reason TEXT,
    created_by TEXT NOT NULL REFERENCES app_user(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (statement_id, number)
);

-- Sealed testimony is immutable: enforced here as well as in the services.
CREATE TRIGGER statement_version_sealed_no_update BEFORE UPDATE ON statement_version
WHEN OLD.status = 'sealed'
BEGIN SELECT RAISE(ABORT, 'sealed statement versions are immutable'); END;
CREATE TRIGGER statement_version_sealed_no_delete BEFORE DELETE ON statement_version
WHEN OLD.status = 'sealed'
BEGIN SELECT RAISE(ABORT, 'sealed statement versions are immutable'); END;
CREATE TRIGGER statement_version_seal_needs_hash BEFORE UPDATE OF status ON statement_version
WHEN NEW.status = 'sealed' AND (NEW.sha256 IS NULL OR NEW.sealed_by IS NULL OR NEW.sealed_at IS NULL)
BEGIN SELECT RAISE(ABORT, 'sealing needs a hash, a sealer and a time'); END;

CREATE TABLE attachment (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    derived_from TEXT REFERENCES attachment(id),
    description TEXT,
    created_by TEXT NOT NULL REFERENCES app_user(id),
    created_at TEXT NOT NULL
);
CREATE INDEX attachment_case ON attachment(case_id);
CREATE TABLE attachment_chunk (
    attachment_id TEXT NOT NULL REFERENCES attachment(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (attachment_id, seq)
);
CREATE TRIGGER attachment_immutable BEFORE UPDATE OF filename, media_type, size, sha256, derived_from, case_id ON attachment
BEGIN SELECT RAISE(ABORT, 'attachments are immutable'); END;
CREATE TRIGGER attachment_chunk_immutable BEFORE UPDATE ON attachment_chunk
BEGIN SELECT RAISE(ABORT, 'attachments are immutable'); END;

-- The consent ledger: decisions are never edited; a new decision supersedes; withdrawal is set once.
CREATE TABLE consent (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    person_id TEXT REFERENCES person(id),
    purpose TEXT NOT NULL,
    scope TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('granted', 'refused', 'not_asked')),
    basis TEXT NOT NULL DEFAULT 'consent' CHECK (basis IN ('consent', 'other_legal_basis')),
    justification TEXT,
    override_by TEXT REFERENCES app_user(id),
    given_by TEXT NOT NULL CHECK (given_by IN ('survivor', 'guardian', 'representative', 'not_applicable')),
    child_assent TEXT CHECK (child_assent IN ('given', 'refused', 'not_asked')),
    explained_language TEXT,
    interpreter TEXT,
    notes TEXT,
    recorded_by TEXT NOT NULL REFERENCES app_user(id),
    recorded_at TEXT NOT NULL,
    expires_at TEXT,
    withdrawn_at TEXT,
    withdrawn_by TEXT REFERENCES app_user(id),
    withdrawal_reason TEXT,
    CHECK (basis = 'consent' OR (justification IS NOT NULL AND override_by IS NOT NULL))
);
CREATE INDEX consent_case ON consent(case_id, purpose, scope);
CREATE TRIGGER consent_ledger_no_edit BEFORE UPDATE ON consent
WHEN OLD.withdrawn_at IS NOT NULL
  OR NEW.id IS NOT OLD.id OR NEW.case_id IS NOT OLD.case_id OR NEW.person_id IS NOT OLD.person_id
  OR NEW.purpose IS NOT OLD.purpose OR NEW.scope IS NOT OLD.scope OR NEW.decision IS NOT OLD.decision
  OR NEW.basis IS NOT OLD.basis OR NEW.justification IS NOT OLD.justification
  OR NEW.given_by IS NOT OLD.given_by OR NEW.child_assent IS NOT OLD.child_assent
  OR NEW.explained_language IS NOT OLD.explained_language OR NEW.interpreter IS NOT OLD.interpreter
  OR NEW.recorded_by IS NOT OLD.recorded_by OR NEW.recorded_at IS NOT OLD.recorded_at
  OR NEW.expires_at IS NOT OLD.expires_at
BEGIN SELECT RAISE(ABORT, 'consent decisions are never edited; record a new decision'); END;

CREATE TABLE service_provider (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    organisation TEXT NOT NULL,
    contact TEXT,
    languages TEXT NOT NULL DEFAULT '[]',
    locations TEXT,
    notes TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE referral (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    provider_id TEXT NOT NULL REFERENCES service_provider(id),
    service_type TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'accepted', 'declined', 'completed', 'revoked')),
    needs TEXT,
    due_at TEXT,
    decline_reason TEXT,
    outcome TEXT,
    revoke_reason TEXT,
    override_justification TEXT,
    created_by TEXT NOT NULL REFERENCES app_user(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX referral_case ON referral(case_id);
CREATE INDEX referral_open_due ON referral(status, due_at);

CREATE TABLE referral_transition (
    id TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referral(id) ON DELETE CASCADE,
    from_status TEXT,
    to_status TEXT NOT NULL,
    at TEXT NOT NULL,
    by_user TEXT NOT NULL REFERENCES app_user(id),
    note TEXT
);

CREATE TABLE contact_plan (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL UNIQUE REFERENCES case_file(id) ON DELETE CASCADE,
    safe_channels TEXT NOT NULL DEFAULT '[]',
    unsafe_channels TEXT NOT NULL DEFAULT '[]',
    safe_times TEXT,
    code_word TEXT,
    intermediary TEXT,
    preferred_language TEXT,
    notes TEXT,
    updated_by TEXT NOT NULL REFERENCES app_user(id),
    updated_at TEXT NOT NULL
);

CREATE TABLE liaison_update (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('hearing', 'arrest', 'extradition_request', 'decision', 'referral_outcome', 'general')),
    channel TEXT NOT NULL,
    language TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('prepared', 'sent', 'delivered', 'acknowledged', 'failed')),
    feedback_due TEXT,
    failure_reason TEXT,
    prepared_by TEXT NOT NULL REFERENCES app_user(id),
    prepared_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX liaison_update_case ON liaison_update(case_id);

CREATE TABLE recipient (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    organisation TEXT NOT NULL,
    role TEXT,
    language TEXT,
    certificate BLOB,
    fingerprint TEXT,
    created_at TEXT NOT NULL,
    removed_at TEXT
);

-- The audit chain: append-only, hash-chained. details never carry content.
CREATE TABLE audit_event (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id TEXT,
    action TEXT NOT NULL,
    entity TEXT,
    entity_id TEXT,
    details TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_event_entity ON audit_event(entity_id, seq);
-- The digest of every row a write left behind, so an older page spliced in is caught (S6).
CREATE TABLE audit_row_state (
    seq INTEGER NOT NULL REFERENCES audit_event(seq),
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    digest TEXT,
    PRIMARY KEY (tbl, row_id, seq)
);
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_row_state_no_update BEFORE UPDATE ON audit_row_state
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_row_state_no_delete BEFORE DELETE ON audit_row_state
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
