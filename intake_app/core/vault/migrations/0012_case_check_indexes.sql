-- 0012: what S35's check of one case (vault/case_check.py) looks up, so that it costs the same in
-- any size of vault. Before an export uses a case, every row the audit log says belongs to the case
-- is checked, deleted ones included: the case's events are found by the case they name (the
-- reference in their details) and by the record they are about (audit_event_entity), and the rows
-- each event recorded by its seq. Without these two indexes both lookups read the whole log.
CREATE INDEX audit_event_case ON audit_event(json_extract(details, '$.case'));
CREATE INDEX audit_row_state_seq ON audit_row_state(seq);
