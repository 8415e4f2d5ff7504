-- From schema 1 to 2 (issue 10): each school's key, the channel a
-- submission came by, "latest" by number. The rest of schema 2 (the
-- refused messages) comes from td-receiver-schema.sql, run after this in
-- the same transaction. Earlier submissions came by upload.

ALTER TABLE school ADD COLUMN public_key TEXT;
ALTER TABLE school ADD COLUMN key_set_at TEXT;
ALTER TABLE school ADD COLUMN key_set_by TEXT;
ALTER TABLE submission ADD COLUMN channel TEXT NOT NULL DEFAULT 'upload';
DROP INDEX IF EXISTS submission_by_school;
