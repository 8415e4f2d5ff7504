-- SPDX-License-Identifier: GPL-3.0-or-later
-- Migration 1: every record Training Desk keeps.
--
-- Conventions: every table but audit_log has an INTEGER id (for joins), a
-- UUID (the row's identity outside this file: exports, forms, receivers) and
-- created_at/updated_at in UTC ISO 8601. updated_at and the audit log are
-- kept by triggers that the store generates after each migration, so that no
-- writer can forget them. All tables are STRICT.
--
-- The UUID default is a random (version 4) UUID written in SQL, so rows
-- inserted by any tool, not just the app, get one. (Migration 9 makes it
-- a time-ordered, version 7 UUID for new rows.)

CREATE TABLE setting (
  id          INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE DEFAULT (@UUID@),
  key         TEXT NOT NULL UNIQUE,
  value       ANY,
  created_at  TEXT NOT NULL DEFAULT (@NOW@),
  updated_at  TEXT NOT NULL DEFAULT (@NOW@)
) STRICT;

-- The school profile: exactly one row.
CREATE TABLE school (
  id                    INTEGER PRIMARY KEY CHECK (id = 1),
  uuid                  TEXT NOT NULL UNIQUE DEFAULT (@UUID@),
  name                  TEXT NOT NULL DEFAULT '',
  authority             TEXT NOT NULL DEFAULT '',
  school_type           TEXT NOT NULL DEFAULT ''
                        CHECK (school_type IN ('', 'higher-vocational', 'secondary-vocational',
                                               'technical', 'undergraduate')),
  province_code         TEXT NOT NULL DEFAULT '37' CHECK (length (province_code) = 2),
  city_code             TEXT NOT NULL DEFAULT '' CHECK (city_code = '' OR length (city_code) = 4),
  county_code           TEXT NOT NULL DEFAULT '' CHECK (county_code = '' OR length (county_code) = 6),
  street                TEXT NOT NULL DEFAULT '',
  postal_code           TEXT NOT NULL DEFAULT ''
                        CHECK (postal_code = '' OR (length (postal_code) = 6
                                                    AND postal_code NOT GLOB '*[^0-9]*')),
  contact_name          TEXT NOT NULL DEFAULT '',
  phone                 TEXT NOT NULL DEFAULT '' CHECK (phone NOT GLOB '*[^0-9-]*'),
  email                 TEXT NOT NULL DEFAULT '' CHECK (email = '' OR email LIKE '%_@_%'),
  legal_representative  TEXT NOT NULL DEFAULT '',
  created_at            TEXT NOT NULL DEFAULT (@NOW@),
  updated_at            TEXT NOT NULL DEFAULT (@NOW@)
) STRICT;

INSERT INTO school (id) VALUES (1);

-- Training programmes (培训项目). category is one of the form's three boxes.
CREATE TABLE programme (
  id                 INTEGER PRIMARY KEY,
  uuid               TEXT NOT NULL UNIQUE DEFAULT (@UUID@),
  name               TEXT NOT NULL CHECK (length (trim (name)) > 0),
  category           TEXT NOT NULL CHECK (category IN ('enterprise-staff', 'key-groups', 'unemployed')),
  field              TEXT NOT NULL DEFAULT '',
  target_groups      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid (target_groups)),
  mode               TEXT NOT NULL DEFAULT 'offline' CHECK (mode IN ('offline', 'online', 'blended')),
  hours              REAL NOT NULL DEFAULT 0 CHECK (hours >= 0),
  places             INTEGER NOT NULL DEFAULT 0 CHECK (places >= 0),
  certificate        TEXT NOT NULL DEFAULT '',
  certificate_level  TEXT NOT NULL DEFAULT '',
  subsidy_eligible   INTEGER NOT NULL DEFAULT 0 CHECK (subsidy_eligible IN (0, 1)),
  fee                REAL NOT NULL DEFAULT 0 CHECK (fee >= 0),
  created_at         TEXT NOT NULL DEFAULT (@NOW@),
  updated_at         TEXT NOT NULL DEFAULT (@NOW@)
) STRICT;

-- Trainers (师资).
CREATE TABLE trainer (
  id              INTEGER PRIMARY KEY,
  uuid            TEXT NOT NULL UNIQUE DEFAULT (@UUID@),
  name            TEXT NOT NULL CHECK (length (trim (name)) > 0),
  kind            TEXT NOT NULL CHECK (kind IN ('full-time', 'part-time', 'enterprise-expert')),
  title           TEXT NOT NULL DEFAULT 'none'
                  CHECK (title IN ('senior', 'associate-senior', 'intermediate', 'junior', 'none')),
  dual_qualified  INTEGER NOT NULL DEFAULT 0 CHECK (dual_qualified IN (0, 1)),
  qualifications  TEXT NOT NULL DEFAULT '',
  fields          TEXT NOT NULL DEFAULT '',
  created_at      TEXT NOT NULL DEFAULT (@NOW@),
  updated_at      TEXT NOT NULL DEFAULT (@NOW@)
) STRICT;

-- Venues (场所).
CREATE TABLE venue (
  id          INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE DEFAULT (@UUID@),
  name        TEXT NOT NULL CHECK (length (trim (name)) > 0),
  kind        TEXT NOT NULL CHECK (kind IN ('classroom', 'training-base', 'workshop', 'online-platform')),
  area        REAL NOT NULL DEFAULT 0 CHECK (area >= 0),
  capacity    INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
  address     TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL DEFAULT (@NOW@),
  updated_at  TEXT NOT NULL DEFAULT (@NOW@)
) STRICT;

-- Equipment (设备). unit_value in yuan.
CREATE TABLE equipment (
  id             INTEGER PRIMARY KEY,
  uuid           TEXT NOT NULL UNIQUE DEFAULT (@UUID@),
  name           TEXT NOT NULL CHECK (length (trim (name)) > 0),
  model          TEXT NOT NULL DEFAULT '',
  quantity       INTEGER NOT NULL DEFAULT 1 CHECK (quantity >= 0),
  unit_value     REAL NOT NULL DEFAULT 0 CHECK (unit_value >= 0),
  venue_id       INTEGER REFERENCES venue (id) ON DELETE SET NULL,
  year_acquired  INTEGER CHECK (year_acquired IS NULL OR year_acquired BETWEEN 1900 AND 2200),
  state          TEXT NOT NULL DEFAULT 'in-use' CHECK (state IN ('in-use', 'idle', 'repair', 'retired')),
  created_at     TEXT NOT NULL DEFAULT (@NOW@),
  updated_at     TEXT NOT NULL DEFAULT (@NOW@)
) STRICT;
CREATE INDEX equipment_venue ON equipment (venue_id);

-- Institutional guarantees (制度保障).
CREATE TABLE guarantee (
  id          INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE DEFAULT (@UUID@),
  title       TEXT NOT NULL CHECK (length (trim (title)) > 0),
  kind        TEXT NOT NULL DEFAULT '',
  adopted_on  TEXT CHECK (adopted_on IS NULL OR date (adopted_on) = adopted_on),
  body        TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL DEFAULT (@NOW@),
  updated_at  TEXT NOT NULL DEFAULT (@NOW@)
) STRICT;

-- Yearly training results (培训业绩). A result keeps its programme: deleting a
-- programme that has results is refused.
CREATE TABLE result (
  id                    INTEGER PRIMARY KEY,
  uuid                  TEXT NOT NULL UNIQUE DEFAULT (@UUID@),
  year                  INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2200),
  programme_id          INTEGER REFERENCES programme (id) ON DELETE RESTRICT,
  category              TEXT NOT NULL CHECK (category IN ('enterprise-staff', 'key-groups', 'unemployed')),
  target_group          TEXT NOT NULL DEFAULT '',
  sessions              INTEGER NOT NULL DEFAULT 1 CHECK (sessions >= 0),
  participants          INTEGER NOT NULL DEFAULT 0 CHECK (participants >= 0),
  hours_per_participant REAL NOT NULL DEFAULT 0 CHECK (hours_per_participant >= 0),
  certificates          INTEGER NOT NULL DEFAULT 0 CHECK (certificates >= 0),
  employed              INTEGER NOT NULL DEFAULT 0 CHECK (employed >= 0),
  satisfaction          REAL CHECK (satisfaction IS NULL OR satisfaction BETWEEN 0 AND 100),
  revenue               REAL NOT NULL DEFAULT 0 CHECK (revenue >= 0),
  partner               TEXT NOT NULL DEFAULT '',
  created_at            TEXT NOT NULL DEFAULT (@NOW@),
  updated_at            TEXT NOT NULL DEFAULT (@NOW@)
) STRICT;
CREATE INDEX result_year ON result (year);
CREATE INDEX result_programme ON result (programme_id);

-- Who taught a result, and for how many hours.
CREATE TABLE result_trainer (
  id          INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE DEFAULT (@UUID@),
  result_id   INTEGER NOT NULL REFERENCES result (id) ON DELETE CASCADE,
  trainer_id  INTEGER NOT NULL REFERENCES trainer (id) ON DELETE RESTRICT,
  hours       REAL NOT NULL DEFAULT 0 CHECK (hours >= 0),
  created_at  TEXT NOT NULL DEFAULT (@NOW@),
  updated_at  TEXT NOT NULL DEFAULT (@NOW@),
  UNIQUE (result_id, trainer_id)
) STRICT;
CREATE INDEX result_trainer_trainer ON result_trainer (trainer_id);

-- Revisions of the intent form: drafts, then signed, sent, delivered.
CREATE TABLE form_revision (
  id           INTEGER PRIMARY KEY,
  uuid         TEXT NOT NULL UNIQUE DEFAULT (@UUID@),
  campaign     TEXT NOT NULL,
  number       INTEGER NOT NULL CHECK (number > 0),
  state        TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'signed', 'sent', 'delivered')),
  form_json    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (form_json)),
  pdf          BLOB,
  json_sha256  TEXT,
  pdf_sha256   TEXT,
  signer       TEXT,
  signed_at    TEXT,
  signature    BLOB,
  public_key   BLOB,
  created_at   TEXT NOT NULL DEFAULT (@NOW@),
  updated_at   TEXT NOT NULL DEFAULT (@NOW@),
  UNIQUE (campaign, number)
) STRICT;

-- What is to be sent, and what became of it.
CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY,
  uuid             TEXT NOT NULL UNIQUE DEFAULT (@UUID@),
  revision_id      INTEGER NOT NULL REFERENCES form_revision (id) ON DELETE RESTRICT,
  destination      TEXT NOT NULL CHECK (destination IN ('smtp', 'https')),
  recipient        TEXT NOT NULL,
  state            TEXT NOT NULL DEFAULT 'queued'
                   CHECK (state IN ('queued', 'sending', 'retrying', 'delivered', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  TEXT,
  last_error       TEXT,
  receipt          TEXT,
  created_at       TEXT NOT NULL DEFAULT (@NOW@),
  updated_at       TEXT NOT NULL DEFAULT (@NOW@),
  UNIQUE (revision_id, destination, recipient)
) STRICT;
CREATE INDEX outbox_state ON outbox (state, next_attempt_at);

-- Every change to every table above: one row per inserted or deleted record
-- (its values as JSON) and one row per changed field.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL DEFAULT (@NOW@),
  table_name  TEXT NOT NULL,
  row_uuid    TEXT NOT NULL,
  action      TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
  field       TEXT,
  old_value   ANY,
  new_value   ANY
) STRICT;
CREATE INDEX audit_log_row ON audit_log (table_name, row_uuid);
