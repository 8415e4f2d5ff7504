-- The outbox (issue 6): each try of an item, with what was sent and what
-- came back; why an item needs the user.

-- What kind of failure the last error was: 'auth' (credentials refused),
-- 'settings' (the destination is not set up), 'tls' (certificate refused),
-- 'refused' (the receiver said no, for good), 'verification' (the revision
-- no longer matches its signature), 'cancelled' (by the user); NULL else.
ALTER TABLE outbox ADD COLUMN error_code TEXT;

CREATE TABLE outbox_attempt (
  id           INTEGER PRIMARY KEY,
  uuid         TEXT NOT NULL UNIQUE DEFAULT (@UUID@),
  outbox_id    INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
  number       INTEGER NOT NULL CHECK (number > 0),
  started_at   TEXT NOT NULL,
  finished_at  TEXT,
  outcome      TEXT CHECK (outcome IN ('delivered', 'retrying', 'failed')),
  error        TEXT,
  receipt      TEXT,
  -- For mail: the message as sent (.eml), byte for byte.
  message      BLOB,
  created_at   TEXT NOT NULL DEFAULT (@NOW@),
  updated_at   TEXT NOT NULL DEFAULT (@NOW@),
  UNIQUE (outbox_id, number)
) STRICT;
