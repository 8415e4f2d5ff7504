-- SPDX-License-Identifier: GPL-3.0-or-later
-- Migration 10: training classes, their rosters, sessions, attendance,
-- assessment and follow-up (issue 15). See docs/classes.md.
--
-- Sizes that decided the layout (a large school: 1,500 classes and 50,000
-- trainees a year, three years ≈ 3,000,000 attendance marks):
-- * attendance is WITHOUT ROWID with integer keys and no uuid: a mark is
--   ~10 bytes, and a table without uuid/updated_at gets no audit triggers
--   (3 million audit rows would triple the file);
-- * each enrolment's attended hours are kept by triggers in
--   enrolment_hours, so a year's results read 50,000 enrolments, not a
--   million marks;
-- * ID numbers and phones live in trainee_identity, which the generic audit
--   triggers skip (no uuid): its own triggers below log that they were set
--   or changed, never the number.

-- One person across classes and years, keyed by the ID number.
-- name is '' and removed_on set once removed on request: the enrolments
-- stay, so the yearly counts do, but no one can be named from them.
CREATE TABLE trainee (
  id          INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE DEFAULT (@UUID@),
  name        TEXT NOT NULL,
  gender      TEXT NOT NULL DEFAULT '' CHECK (gender IN ('', 'female', 'male')),
  birth_date  TEXT CHECK (birth_date IS NULL OR date (birth_date) = birth_date),
  removed_on  TEXT CHECK (removed_on IS NULL OR date (removed_on) = removed_on),
  created_at  TEXT NOT NULL DEFAULT (@NOW@),
  updated_at  TEXT NOT NULL DEFAULT (@NOW@),
  CHECK ((removed_on IS NULL) = (length (trim (name)) > 0))
) STRICT;
CREATE INDEX trainee_name ON trainee (name);

CREATE TABLE trainee_identity (
  trainee_id  INTEGER PRIMARY KEY REFERENCES trainee (id) ON DELETE CASCADE,
  id_number   TEXT NOT NULL UNIQUE CHECK (length (id_number) = 18),
  phone       TEXT NOT NULL DEFAULT '' CHECK (phone NOT GLOB '*[^0-9+-]*')
) STRICT;
CREATE INDEX trainee_identity_phone ON trainee_identity (phone) WHERE phone != '';

CREATE TRIGGER classes_audit_identity_insert AFTER INSERT ON trainee_identity BEGIN
  INSERT INTO audit_log (table_name, row_uuid, action, field, new_value)
  SELECT 'trainee', uuid, 'update', 'id_number', 'set' FROM trainee WHERE id = NEW.trainee_id;
  INSERT INTO audit_log (table_name, row_uuid, action, field, new_value)
  SELECT 'trainee', uuid, 'update', 'phone', 'set' FROM trainee WHERE id = NEW.trainee_id AND NEW.phone != '';
END;
CREATE TRIGGER classes_audit_identity_update AFTER UPDATE ON trainee_identity BEGIN
  INSERT INTO audit_log (table_name, row_uuid, action, field, old_value, new_value)
  SELECT 'trainee', uuid, 'update', 'id_number', 'hidden', 'changed' FROM trainee
   WHERE id = NEW.trainee_id AND OLD.id_number IS NOT NEW.id_number;
  INSERT INTO audit_log (table_name, row_uuid, action, field, old_value, new_value)
  SELECT 'trainee', uuid, 'update', 'phone', 'hidden', 'changed' FROM trainee
   WHERE id = NEW.trainee_id AND OLD.phone IS NOT NEW.phone;
END;
CREATE TRIGGER classes_audit_identity_delete AFTER DELETE ON trainee_identity BEGIN
  INSERT INTO audit_log (table_name, row_uuid, action, field, old_value, new_value)
  SELECT 'trainee', uuid, 'update', 'id_number', 'hidden', 'removed' FROM trainee WHERE id = OLD.trainee_id;
END;

-- A class (培训班): one run of a programme.
CREATE TABLE class (
  id                  INTEGER PRIMARY KEY,
  uuid                TEXT NOT NULL UNIQUE DEFAULT (@UUID@),
  programme_id        INTEGER REFERENCES programme (id) ON DELETE RESTRICT,
  name                TEXT NOT NULL CHECK (length (trim (name)) > 0),
  category            TEXT NOT NULL CHECK (category IN ('enterprise-staff', 'key-groups', 'unemployed')),
  key_group           TEXT NOT NULL DEFAULT ''
                      CHECK (key_group IN ('', 'graduates', 'veterans', 'migrant-workers',
                                           'laid-off', 'registered-poor', 'disabled')),
  mode                TEXT NOT NULL DEFAULT 'offline' CHECK (mode IN ('offline', 'online', 'blended')),
  venue_id            INTEGER REFERENCES venue (id) ON DELETE RESTRICT,
  starts_on           TEXT NOT NULL CHECK (date (starts_on) = starts_on),
  ends_on             TEXT NOT NULL CHECK (date (ends_on) = ends_on AND ends_on >= starts_on),
  planned_hours       REAL NOT NULL CHECK (planned_hours > 0),
  capacity            INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
  fee                 REAL NOT NULL DEFAULT 0 CHECK (fee >= 0),
  subsidy_source      TEXT NOT NULL DEFAULT '',
  status              TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'running', 'finished')),
  completion_percent  REAL NOT NULL DEFAULT 80 CHECK (completion_percent > 0 AND completion_percent <= 100),
  assessed_on         TEXT CHECK (assessed_on IS NULL OR date (assessed_on) = assessed_on),
  followed_up_on      TEXT CHECK (followed_up_on IS NULL OR date (followed_up_on) = followed_up_on),
  created_at          TEXT NOT NULL DEFAULT (@NOW@),
  updated_at          TEXT NOT NULL DEFAULT (@NOW@)
) STRICT;
CREATE INDEX class_ends ON class (ends_on);
CREATE INDEX class_programme ON class (programme_id);
CREATE INDEX class_venue ON class (venue_id);

CREATE TABLE class_session (
  id          INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE DEFAULT (@UUID@),
  class_id    INTEGER NOT NULL REFERENCES class (id) ON DELETE CASCADE,
  held_on     TEXT NOT NULL CHECK (date (held_on) = held_on),
  starts_at   TEXT NOT NULL CHECK (time (starts_at || ':00') = starts_at || ':00'),
  ends_at     TEXT NOT NULL CHECK (time (ends_at || ':00') = ends_at || ':00' AND ends_at > starts_at),
  hours       REAL NOT NULL CHECK (hours > 0 AND hours <= 24),
  venue_id    INTEGER REFERENCES venue (id) ON DELETE RESTRICT,
  created_at  TEXT NOT NULL DEFAULT (@NOW@),
  updated_at  TEXT NOT NULL DEFAULT (@NOW@)
) STRICT;
CREATE INDEX class_session_class ON class_session (class_id, held_on);
CREATE INDEX class_session_day ON class_session (held_on, starts_at);
CREATE INDEX class_session_venue ON class_session (venue_id);

-- Who taught a session, and for how many of its hours.
CREATE TABLE session_trainer (
  id          INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE DEFAULT (@UUID@),
  session_id  INTEGER NOT NULL REFERENCES class_session (id) ON DELETE CASCADE,
  trainer_id  INTEGER NOT NULL REFERENCES trainer (id) ON DELETE RESTRICT,
  hours       REAL NOT NULL CHECK (hours >= 0 AND hours <= 24),
  created_at  TEXT NOT NULL DEFAULT (@NOW@),
  updated_at  TEXT NOT NULL DEFAULT (@NOW@),
  UNIQUE (session_id, trainer_id)
) STRICT;
CREATE INDEX session_trainer_trainer ON session_trainer (trainer_id);

-- A trainee on a class's roster, with what they were at enrolment, their
-- assessment and certificate, and the follow-up.
CREATE TABLE enrolment (
  id                  INTEGER PRIMARY KEY,
  uuid                TEXT NOT NULL UNIQUE DEFAULT (@UUID@),
  class_id            INTEGER NOT NULL REFERENCES class (id) ON DELETE CASCADE,
  trainee_id          INTEGER NOT NULL REFERENCES trainee (id) ON DELETE RESTRICT,
  key_group           TEXT NOT NULL DEFAULT ''
                      CHECK (key_group IN ('', 'graduates', 'veterans', 'migrant-workers',
                                           'laid-off', 'registered-poor', 'disabled')),
  employment          TEXT NOT NULL DEFAULT ''
                      CHECK (employment IN ('', 'employed', 'unemployed', 'student', 'other')),
  employer            TEXT NOT NULL DEFAULT '',
  result              TEXT NOT NULL DEFAULT '' CHECK (result IN ('', 'passed', 'failed', 'absent')),
  certificate_kind    TEXT NOT NULL DEFAULT ''
                      CHECK (certificate_kind IN ('', 'vocational-qualification', 'skill-level',
                                                  'special-ability', 'training-completion')),
  certificate_level   TEXT NOT NULL DEFAULT '',
  certificate_number  TEXT NOT NULL DEFAULT '',
  certificate_on      TEXT CHECK (certificate_on IS NULL OR date (certificate_on) = certificate_on),
  employed_on         TEXT CHECK (employed_on IS NULL OR date (employed_on) = employed_on),
  employed_by         TEXT NOT NULL DEFAULT '',
  self_employed       INTEGER NOT NULL DEFAULT 0 CHECK (self_employed IN (0, 1)),
  created_at          TEXT NOT NULL DEFAULT (@NOW@),
  updated_at          TEXT NOT NULL DEFAULT (@NOW@),
  UNIQUE (class_id, trainee_id),
  CHECK ((certificate_kind = '') = (certificate_on IS NULL))
) STRICT;
CREATE INDEX enrolment_trainee ON enrolment (trainee_id);

-- 0 present, 1 absent, 2 excused.
CREATE TABLE attendance (
  enrolment_id  INTEGER NOT NULL REFERENCES enrolment (id) ON DELETE CASCADE,
  session_id    INTEGER NOT NULL REFERENCES class_session (id) ON DELETE CASCADE,
  status        INTEGER NOT NULL CHECK (status IN (0, 1, 2)),
  PRIMARY KEY (enrolment_id, session_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX attendance_session ON attendance (session_id);

-- Hours each enrolment attended (present), kept by the triggers below.
CREATE TABLE enrolment_hours (
  enrolment_id  INTEGER PRIMARY KEY REFERENCES enrolment (id) ON DELETE CASCADE,
  attended      REAL NOT NULL DEFAULT 0
) STRICT;

CREATE TRIGGER classes_enrolment_hours AFTER INSERT ON enrolment BEGIN
  INSERT INTO enrolment_hours (enrolment_id) VALUES (NEW.id);
END;
CREATE TRIGGER classes_attendance_insert AFTER INSERT ON attendance WHEN NEW.status = 0 BEGIN
  UPDATE enrolment_hours
     SET attended = attended + (SELECT hours FROM class_session WHERE id = NEW.session_id)
   WHERE enrolment_id = NEW.enrolment_id;
END;
CREATE TRIGGER classes_attendance_delete AFTER DELETE ON attendance WHEN OLD.status = 0 BEGIN
  UPDATE enrolment_hours
     SET attended = attended - (SELECT hours FROM class_session WHERE id = OLD.session_id)
   WHERE enrolment_id = OLD.enrolment_id;
END;
CREATE TRIGGER classes_attendance_update AFTER UPDATE ON attendance
WHEN (OLD.status = 0) != (NEW.status = 0) OR OLD.session_id != NEW.session_id
  OR OLD.enrolment_id != NEW.enrolment_id BEGIN
  UPDATE enrolment_hours
     SET attended = attended - (SELECT hours FROM class_session WHERE id = OLD.session_id)
   WHERE enrolment_id = OLD.enrolment_id AND OLD.status = 0;
  UPDATE enrolment_hours
     SET attended = attended + (SELECT hours FROM class_session WHERE id = NEW.session_id)
   WHERE enrolment_id = NEW.enrolment_id AND NEW.status = 0;
END;
CREATE TRIGGER classes_session_hours AFTER UPDATE OF hours ON class_session
WHEN OLD.hours != NEW.hours BEGIN
  UPDATE enrolment_hours
     SET attended = attended + NEW.hours - OLD.hours
   WHERE enrolment_id IN (SELECT enrolment_id FROM attendance
                           WHERE session_id = NEW.id AND status = 0);
END;
