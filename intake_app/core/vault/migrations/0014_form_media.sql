-- 0014: the media files a form reads (CSV and XML lists, pulldata tables), kept with its version
-- in one canonical JSON document (core/forms/media.py): as immutable as the workbook itself,
-- and covered by the row's digest (row layout 2 of form_definition).
ALTER TABLE form_definition ADD COLUMN media BLOB;
DROP TRIGGER form_definition_immutable;
CREATE TRIGGER form_definition_immutable
BEFORE UPDATE OF form_id, version, source, sha256, source_name, media ON form_definition
BEGIN SELECT RAISE(ABORT, 'form versions are immutable; add a new version'); END;
