-- 0009: the words of the search index, in order, so that a prefix (basem*) can be searched as the
-- few words it begins (services/search.py). FTS5's own prefix search merges the whole list of
-- records of every matching word first: 400 ms at 62,000 cases. A vocabulary table stores
-- nothing: it reads the index itself, and costs nothing to create on any size of vault.
CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_index, row);
