-- 0008: while someone types, a draft's search entry waits for the next pause.
-- Replacing an index entry with FTS5's secure-delete rewrites about one index page per distinct
-- word of the old text: ~25 ms for a 4 KB draft in a vault of 10,000 cases, too slow for an
-- autosave every second. An autosave made while typing goes on lists the version here and updates
-- only the record (which is what must survive a crash); its search entry is brought up to date,
-- old words securely removed, at the next pause, save, seal, lock or backup, and at the next
-- unlock after a crash (`vault/search_index.py`).
CREATE TABLE search_deferred (source_id TEXT PRIMARY KEY) WITHOUT ROWID;

DROP TRIGGER search_version_update;
CREATE TRIGGER search_version_update AFTER UPDATE OF text, translation ON statement_version
WHEN NOT EXISTS (SELECT 1 FROM search_deferred WHERE source_id = NEW.id) BEGIN
    UPDATE search_index SET body = NEW.text || ' ' || coalesce(NEW.translation, '')
    WHERE rowid = (SELECT fts_rowid FROM search_source WHERE source_id = OLD.id);
END;
DROP TRIGGER search_version_delete;
CREATE TRIGGER search_version_delete AFTER DELETE ON statement_version BEGIN
    DELETE FROM search_index WHERE rowid = (SELECT fts_rowid FROM search_source WHERE source_id = OLD.id);
    DELETE FROM search_source WHERE source_id = OLD.id;
    DELETE FROM search_deferred WHERE source_id = OLD.id;
END;
