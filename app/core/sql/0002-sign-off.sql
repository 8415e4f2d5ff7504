-- Sign-off (issue 5): the school's signing key, the lock after wrong
-- passphrases, and signed revisions made read-only (docs/signing.md).

-- One row: the principal's passphrase as an Argon2id hash, and the school's
-- Ed25519 key pair, its secret key sealed under a key derived from the
-- passphrase. No uuid column, so no audit triggers: nothing of it is copied
-- into the log.
CREATE TABLE signing_key (
  id                 INTEGER PRIMARY KEY CHECK (id = 1),
  public_key         BLOB NOT NULL CHECK (length (public_key) = 32),
  passphrase_hash    TEXT NOT NULL CHECK (passphrase_hash GLOB '$argon2id$*'),
  kdf_salt           BLOB NOT NULL CHECK (length (kdf_salt) = 16),
  kdf_opslimit       INTEGER NOT NULL CHECK (kdf_opslimit > 0),
  kdf_memlimit       INTEGER NOT NULL CHECK (kdf_memlimit > 0),
  nonce              BLOB NOT NULL CHECK (length (nonce) = 24),
  sealed_secret_key  BLOB NOT NULL CHECK (length (sealed_secret_key) = 80),
  created_at         TEXT NOT NULL DEFAULT (@NOW@),
  updated_at         TEXT NOT NULL DEFAULT (@NOW@)
) STRICT;

-- Wrong passphrases in a row, and until when sign-off is locked.
CREATE TABLE sign_off_lock (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  failures      INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
  locked_until  TEXT
) STRICT;

-- A signed revision carries everything that was signed.
CREATE TRIGGER form_revision_signed_complete
BEFORE INSERT ON form_revision
WHEN NEW.state <> 'draft'
 AND (NEW.pdf IS NULL OR NEW.json_sha256 IS NULL OR NEW.pdf_sha256 IS NULL
      OR NEW.signer IS NULL OR NEW.signed_at IS NULL
      OR NEW.signature IS NULL OR NEW.public_key IS NULL)
BEGIN
  SELECT RAISE (ABORT, 'a signed revision needs its PDF, hashes, signer, time, signature and key');
END;

-- Signed revisions are read-only: their content never changes, and their
-- state only moves forward (signed -> sent -> delivered).
CREATE TRIGGER form_revision_frozen
BEFORE UPDATE ON form_revision
WHEN OLD.state <> 'draft'
BEGIN
  SELECT RAISE (ABORT, 'a signed revision cannot be changed')
  WHERE NEW.id IS NOT OLD.id
     OR NEW.uuid IS NOT OLD.uuid
     OR NEW.campaign IS NOT OLD.campaign
     OR NEW.number IS NOT OLD.number
     OR NEW.form_json IS NOT OLD.form_json
     OR NEW.pdf IS NOT OLD.pdf
     OR NEW.json_sha256 IS NOT OLD.json_sha256
     OR NEW.pdf_sha256 IS NOT OLD.pdf_sha256
     OR NEW.signer IS NOT OLD.signer
     OR NEW.signed_at IS NOT OLD.signed_at
     OR NEW.signature IS NOT OLD.signature
     OR NEW.public_key IS NOT OLD.public_key
     OR NEW.created_at IS NOT OLD.created_at
     OR NOT (NEW.state = OLD.state
             OR (OLD.state = 'signed' AND NEW.state IN ('sent', 'delivered'))
             OR (OLD.state = 'sent' AND NEW.state = 'delivered'));
END;

CREATE TRIGGER form_revision_frozen_delete
BEFORE DELETE ON form_revision
WHEN OLD.state <> 'draft'
BEGIN
  SELECT RAISE (ABORT, 'a signed revision cannot be deleted');
END;
