-- training-desk-receiver's database: the schools that may upload, and what
-- they uploaded (docs/upload-protocol.md). Stored submissions never change.

CREATE TABLE IF NOT EXISTS school (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  -- SHA-256 of the bearer token, in hexadecimal: the token itself is only
  -- printed once, by --add-school.
  token_sha256 TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS submission (
  -- The sequence number of the receipt.
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
  received_at      TEXT NOT NULL
);

CREATE INDEX IF NOT EXISTS submission_by_school ON submission (school_id, campaign, signed_at);

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

PRAGMA user_version = 1;
