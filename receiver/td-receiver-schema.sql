-- training-desk-receiver's database: the schools that may send, their
-- keys, what they sent (docs/upload-protocol.md), and the messages refused.
-- Stored submissions never change. A database of an earlier schema is
-- brought here first by td-receiver-upgrade-*.sql (td-receiver-db.c).

CREATE TABLE IF NOT EXISTS school (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  -- SHA-256 of the bearer token, in hexadecimal: the token itself is only
  -- printed once, by --add-school.
  token_sha256 TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL,
  -- The school's Ed25519 public key, base64 as in signature.json: set by
  -- --add-school --key, or by the first submission accepted; NULL after
  -- --reset-key (schema 2).
  public_key  TEXT,
  key_set_at  TEXT,
  key_set_by  TEXT             -- 'province', 'upload', 'mail'
);

CREATE TABLE IF NOT EXISTS submission (
  -- The sequence number of the receipt: the receiver's own order.
  id               INTEGER PRIMARY KEY,
  uuid             TEXT NOT NULL UNIQUE,
  school_id        INTEGER NOT NULL REFERENCES school (id),
  campaign         TEXT NOT NULL,
  number           INTEGER NOT NULL,
  signer           TEXT NOT NULL,
  signed_at        TEXT NOT NULL,
  form_json        BLOB NOT NULL,
  pdf              BLOB NOT NULL,
  signature_json   BLOB NOT NULL,
  form_sha256      TEXT NOT NULL,
  pdf_sha256       TEXT NOT NULL,
  signature_sha256 TEXT NOT NULL,
  public_key       TEXT NOT NULL,
  receipt          TEXT NOT NULL UNIQUE,
  received_at      TEXT NOT NULL,
  channel          TEXT NOT NULL DEFAULT 'upload'   -- 'upload' or 'mail' (schema 2)
);

-- "Latest" is by the revision number within the school, then receipt
-- order: never by the client's signed_at (schema 2).
CREATE INDEX IF NOT EXISTS submission_by_number ON submission (school_id, campaign, number);

-- Messages --import-mail or --fetch-imap did not store, and why (schema 2).
-- One row a message (its SHA-256); taken again, the row says the latest.
CREATE TABLE IF NOT EXISTS refused_message (
  id           INTEGER PRIMARY KEY,
  sha256       TEXT NOT NULL UNIQUE,
  source       TEXT NOT NULL,      -- the file, or the mailbox and UID
  message_id   TEXT,
  revision     TEXT,
  school       TEXT,
  word         TEXT NOT NULL,      -- the status word: key-mismatch, unverified, …
  reason       TEXT NOT NULL,
  reason_zh    TEXT NOT NULL,
  refused_at   TEXT NOT NULL
);

CREATE TRIGGER IF NOT EXISTS submission_frozen
BEFORE UPDATE ON submission
BEGIN
  SELECT RAISE (ABORT, 'a stored submission does not change');
END;

CREATE TRIGGER IF NOT EXISTS submission_kept
BEFORE DELETE ON submission
BEGIN
  SELECT RAISE (ABORT, 'a stored submission is not deleted');
END;

-- Messages --fetch-imap took from a mailbox (schema 3): a message is
-- known by its mailbox (the URL without credentials), the mailbox's
-- UIDVALIDITY and its UID. The row is written in the transaction that
-- stores or refuses the message (td-receiver-db-imap.c), so a message is
-- never taken twice, whatever its \Seen flag says.
CREATE TABLE IF NOT EXISTS imap_message (
  id           INTEGER PRIMARY KEY,
  mailbox      TEXT NOT NULL,
  uidvalidity  INTEGER NOT NULL,
  uid          INTEGER NOT NULL,
  outcome      TEXT NOT NULL,      -- 'stored', 'already-stored', 'refused'
  revision     TEXT,
  taken_at     TEXT NOT NULL,
  UNIQUE (mailbox, uidvalidity, uid)
);

-- The province's web pages (issue 16; docs/catalogue.md): its staff, who
-- log in to /desk, and where each registered school is, so that one not
-- yet sent shows under its city. Added to schema 3 without a new version:
-- only new tables and an index, made here on every open; a receiver of
-- schema 3 without them opens the database still, and nothing else changes.
CREATE TABLE IF NOT EXISTS staff (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  -- crypto_pwhash_str (Argon2id): salt and costs inside
  password_hash TEXT NOT NULL,
  created_at    TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS school_place (
  school_id   INTEGER PRIMARY KEY REFERENCES school (id),
  city        TEXT,
  county      TEXT
);

-- The desk shows each school's latest refusal; the catalogue reads each
-- school's latest submission, first arrival and count from an index, not
-- from rows whose columns lie past their blobs (bench/catalogue.c: 11,000
-- schools read again in half the time).
CREATE INDEX IF NOT EXISTS refused_by_school ON refused_message (school);
CREATE INDEX IF NOT EXISTS submission_web ON submission (school_id, campaign, number, public_key, received_at);

PRAGMA user_version = 3;
