-- 0002: full-text search inside the vault, kept in step by triggers.
-- kind: reference | person | statement | answers. The index is derived data (no row digests).
CREATE VIRTUAL TABLE search_index USING fts5(
    case_id UNINDEXED, kind UNINDEXED, source_id UNINDEXED, body,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER search_case_insert AFTER INSERT ON case_file BEGIN
    INSERT INTO search_index(case_id, kind, source_id, body) VALUES (NEW.id, 'reference', NEW.id, NEW.reference);
END;
CREATE TRIGGER search_case_delete AFTER DELETE ON case_file BEGIN
    DELETE FROM search_index WHERE source_id = OLD.id;
END;

CREATE TRIGGER search_person_insert AFTER INSERT ON person BEGIN
    INSERT INTO search_index(case_id, kind, source_id, body)
    VALUES (NEW.case_id, 'person', NEW.id, coalesce(NEW.legal_name, '') || ' ' || NEW.pseudonym);
END;
CREATE TRIGGER search_person_update AFTER UPDATE OF legal_name, pseudonym ON person BEGIN
    DELETE FROM search_index WHERE source_id = OLD.id;
    INSERT INTO search_index(case_id, kind, source_id, body)
    VALUES (NEW.case_id, 'person', NEW.id, coalesce(NEW.legal_name, '') || ' ' || NEW.pseudonym);
END;
CREATE TRIGGER search_person_delete AFTER DELETE ON person BEGIN
    DELETE FROM search_index WHERE source_id = OLD.id;
END;

CREATE TRIGGER search_version_insert AFTER INSERT ON statement_version BEGIN
    INSERT INTO search_index(case_id, kind, source_id, body)
    VALUES ((SELECT case_id FROM statement WHERE id = NEW.statement_id), 'statement', NEW.id,
            NEW.text || ' ' || coalesce(NEW.translation, ''));
END;
CREATE TRIGGER search_version_update AFTER UPDATE OF text, translation ON statement_version BEGIN
    DELETE FROM search_index WHERE source_id = OLD.id;
    INSERT INTO search_index(case_id, kind, source_id, body)
    VALUES ((SELECT case_id FROM statement WHERE id = NEW.statement_id), 'statement', NEW.id,
            NEW.text || ' ' || coalesce(NEW.translation, ''));
END;
CREATE TRIGGER search_version_delete AFTER DELETE ON statement_version BEGIN
    DELETE FROM search_index WHERE source_id = OLD.id;
END;

CREATE TRIGGER search_answers_insert AFTER INSERT ON form_response BEGIN
    INSERT INTO search_index(case_id, kind, source_id, body)
    VALUES (NEW.case_id, 'answers', NEW.id,
            coalesce((SELECT group_concat(value, ' ') FROM json_tree(NEW.answers) WHERE type = 'text'), ''));
END;
CREATE TRIGGER search_answers_update AFTER UPDATE OF answers ON form_response BEGIN
    DELETE FROM search_index WHERE source_id = OLD.id;
    INSERT INTO search_index(case_id, kind, source_id, body)
    VALUES (NEW.case_id, 'answers', NEW.id,
            coalesce((SELECT group_concat(value, ' ') FROM json_tree(NEW.answers) WHERE type = 'text'), ''));
END;
CREATE TRIGGER search_answers_delete AFTER DELETE ON form_response BEGIN
    DELETE FROM search_index WHERE source_id = OLD.id;
END;
