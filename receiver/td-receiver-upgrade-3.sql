-- From schema 2 to 3 (issue 10): the messages --fetch-imap took. The new
-- table (imap_message) is made by td-receiver-schema.sql, run after this
-- in the same transaction; nothing older changes.
SELECT 1;
