-- Destinations follow the form, the same bytes on every retry (issue 10).
--
-- The mail message of an outbox item, built on its first try and stored
-- before anything is sent: every later try sends these bytes, its Date
-- header and all, so a receiver that got the first try and the second
-- reads the same message twice (and keeps it once, by its Message-ID). No
-- uuid column, so no audit triggers: a 20 MB message is not copied into
-- the log. Written once, never changed.
CREATE TABLE outbox_message (
  outbox_id   INTEGER PRIMARY KEY REFERENCES outbox (id) ON DELETE CASCADE,
  message     BLOB NOT NULL,
  created_at  TEXT NOT NULL DEFAULT (@NOW@)
) STRICT;

CREATE TRIGGER outbox_message_frozen
BEFORE UPDATE ON outbox_message
BEGIN
  SELECT RAISE (ABORT, 'an outbox item''s message is never changed');
END;
