-- 0006: the search index is kept in step by rowid.
-- Until now every trigger deleted the old entry with `WHERE source_id = ?`; source_id is an
-- UNINDEXED FTS5 column, so each autosave scanned the whole index (35 ms at 1,000 cases, growing
-- with the vault). search_source maps each record to its index rowid: deletes are one lookup.
-- FTS5's secure-delete removes a deleted entry's tokens from the index at once (S3), so corrected
-- or struck words no longer wait for a full 'optimize' at lock. The optimize below runs once, to
-- purge what older vaults kept in superseded segments.
CREATE TABLE search_source (
    source_id TEXT PRIMARY KEY,
    fts_rowid INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO search_source(source_id, fts_rowid) SELECT source_id, rowid FROM search_index;
INSERT INTO search_index(search_index, rank) VALUES ('secure-delete', 1);
INSERT INTO search_index(search_index) VALUES ('optimize');

DROP TRIGGER search_case_insert;
DROP TRIGGER search_case_delete;
DROP TRIGGER search_person_insert;
DROP TRIGGER search_person_update;
DROP TRIGGER search_person_delete;
DROP TRIGGER search_version_insert;
DROP TRIGGER search_version_update;
DROP TRIGGER search_version_delete;
DROP TRIGGER search_answers_insert;
DROP TRIGGER search_answers_update;
DROP TRIGGER search_answers_delete;

-- Inside a trigger, last_insert_rowid() is the rowid of the index entry just inserted.
CREATE TRIGGER search_case_insert AFTER INSERT ON case_file BEGIN
    INSERT INTO search_index(case_id, kind, source_id, body) VALUES (NEW.id, 'reference', NEW.id, NEW.reference);
    INSERT INTO search_source(source_id, fts_rowid) VALUES (NEW.id, last_insert_rowid());
END;
CREATE TRIGGER search_case_delete AFTER DELETE ON case_file BEGIN
    DELETE FROM search_index WHERE rowid = (SELECT fts_rowid FROM search_source WHERE source_id = OLD.id);
    DELETE FROM search_source WHERE source_id = OLD.id;
END;

CREATE TRIGGER search_person_insert AFTER INSERT ON person BEGIN
    INSERT INTO search_index(case_id, kind, source_id, body)
    VALUES (NEW.case_id, 'person', NEW.id, coalesce(NEW.legal_name, '') || ' ' || NEW.pseudonym);
    INSERT INTO search_source(source_id, fts_rowid) VALUES (NEW.id, last_insert_rowid());
END;
CREATE TRIGGER search_person_update AFTER UPDATE OF legal_name, pseudonym ON person BEGIN
    UPDATE search_index SET body = coalesce(NEW.legal_name, '') || ' ' || NEW.pseudonym
    WHERE rowid = (SELECT fts_rowid FROM search_source WHERE source_id = OLD.id);
END;
CREATE TRIGGER search_person_delete AFTER DELETE ON person BEGIN
    DELETE FROM search_index WHERE rowid = (SELECT fts_rowid FROM search_source WHERE source_id = OLD.id);
    DELETE FROM search_source WHERE source_id = OLD.id;
END;

CREATE TRIGGER search_version_insert AFTER INSERT ON statement_version BEGIN
    INSERT INTO search_index(case_id, kind, source_id, body)
    VALUES ((SELECT case_id FROM statement WHERE id = NEW.statement_id), 'statement', NEW.id,
            NEW.text || ' ' || coalesce(NEW.translation, ''));
    INSERT INTO search_source(source_id, fts_rowid) VALUES (NEW.id, last_insert_rowid());
END;
CREATE TRIGGER search_version_update AFTER UPDATE OF text, translation ON statement_version BEGIN
    UPDATE search_index SET body = NEW.text || ' ' || coalesce(NEW.translation, '')
    WHERE rowid = (SELECT fts_rowid FROM search_source WHERE source_id = OLD.id);
END;
CREATE TRIGGER search_version_delete AFTER DELETE ON statement_version BEGIN
    DELETE FROM search_index WHERE rowid = (SELECT fts_rowid FROM search_source WHERE source_id = OLD.id);
    DELETE FROM search_source WHERE source_id = OLD.id;
END;

CREATE TRIGGER search_answers_insert AFTER INSERT ON form_response BEGIN
    INSERT INTO search_index(case_id, kind, source_id, body)
    VALUES (NEW.case_id, 'answers', NEW.id,
            coalesce((SELECT group_concat(value, ' ') FROM json_tree(NEW.answers) WHERE type = 'text'), ''));
    INSERT INTO search_source(source_id, fts_rowid) VALUES (NEW.id, last_insert_rowid());
END;
CREATE TRIGGER search_answers_update AFTER UPDATE OF answers ON form_response BEGIN
    UPDATE search_index
    SET body = coalesce((SELECT group_concat(value, ' ') FROM json_tree(NEW.answers) WHERE type = 'text'), '')
    WHERE rowid = (SELECT fts_rowid FROM search_source WHERE source_id = OLD.id);
END;
CREATE TRIGGER search_answers_delete AFTER DELETE ON form_response BEGIN
    DELETE FROM search_index WHERE rowid = (SELECT fts_rowid FROM search_source WHERE source_id = OLD.id);
    DELETE FROM search_source WHERE source_id = OLD.id;
END;
