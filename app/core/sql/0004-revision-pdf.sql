-- A signed revision's PDF in a table of its own (issue 6's benchmark): a
-- row's state changes (signed -> sent -> delivered) and SQLite rewrites the
-- whole row, so a 20 MB PDF in it made each change cost 170 ms on the main
-- loop. The PDF row is written once and never again.

CREATE TABLE revision_pdf (
  id           INTEGER PRIMARY KEY,
  uuid         TEXT NOT NULL UNIQUE DEFAULT (@UUID@),
  revision_id  INTEGER NOT NULL UNIQUE REFERENCES form_revision (id) ON DELETE CASCADE,
  pdf          BLOB NOT NULL,
  created_at   TEXT NOT NULL DEFAULT (@NOW@),
  updated_at   TEXT NOT NULL DEFAULT (@NOW@)
) STRICT;

INSERT INTO revision_pdf (revision_id, pdf)
  SELECT id, pdf FROM form_revision WHERE pdf IS NOT NULL;

-- The column goes: the triggers that name it first (the audit ones are
-- made again after each migration).
DROP TRIGGER form_revision_signed_complete;
DROP TRIGGER form_revision_frozen;
DROP TRIGGER IF EXISTS td_audit_insert_form_revision;
DROP TRIGGER IF EXISTS td_audit_delete_form_revision;
DROP TRIGGER IF EXISTS td_audit_update_form_revision;
DROP TRIGGER IF EXISTS td_touch_form_revision;
ALTER TABLE form_revision DROP COLUMN pdf;

-- A signed revision carries everything that was signed (its PDF follows in
-- revision_pdf, in the same transaction).
CREATE TRIGGER form_revision_signed_complete
BEFORE INSERT ON form_revision
WHEN NEW.state <> 'draft'
 AND (NEW.json_sha256 IS NULL OR NEW.pdf_sha256 IS NULL
      OR NEW.signer IS NULL OR NEW.signed_at IS NULL
      OR NEW.signature IS NULL OR NEW.public_key IS NULL)
BEGIN
  SELECT RAISE (ABORT, 'a signed revision needs its hashes, signer, time, signature and key');
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

-- The PDF of a signed revision is as read-only as the revision.
CREATE TRIGGER revision_pdf_frozen
BEFORE UPDATE ON revision_pdf
WHEN (SELECT state FROM form_revision WHERE id = OLD.revision_id) <> 'draft'
BEGIN
  SELECT RAISE (ABORT, 'a signed revision cannot be changed');
END;

CREATE TRIGGER revision_pdf_frozen_delete
BEFORE DELETE ON revision_pdf
WHEN (SELECT state FROM form_revision WHERE id = OLD.revision_id) <> 'draft'
BEGIN
  SELECT RAISE (ABORT, 'a signed revision cannot be deleted');
END;
