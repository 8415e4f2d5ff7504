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
--   enrolment_hours, and each class's totals (participants, hours,
--   completions, certificates, employed, key groups) in class_totals, so a
--   year's results read 1,500 rows, not 50,000 enrolments or a million
--   marks (reading the enrolments took 190 ms under load, the bound is
--   200 ms);
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
-- Covers a year's trainer hours (sessions by day, then their trainers and
-- hours) without reading the rows: 25 → 11 ms of CPU at 30,000 sessions.
CREATE INDEX session_trainer_hours ON session_trainer (session_id, trainer_id, hours);

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
-- A session's marks go before it does, while its hours can still be read
-- (the cascade would delete them after the session).
CREATE TRIGGER classes_session_delete BEFORE DELETE ON class_session BEGIN
  DELETE FROM attendance WHERE session_id = OLD.id;
END;
CREATE TRIGGER classes_session_hours AFTER UPDATE OF hours ON class_session
WHEN OLD.hours != NEW.hours BEGIN
  UPDATE enrolment_hours
     SET attended = attended + NEW.hours - OLD.hours
   WHERE enrolment_id IN (SELECT enrolment_id FROM attendance
                           WHERE session_id = NEW.id AND status = 0);
END;

-- An enrolment stays in its class and with its trainee: the totals below
-- are kept per class.
CREATE TRIGGER classes_enrolment_fixed BEFORE UPDATE OF class_id, trainee_id ON enrolment
WHEN OLD.class_id != NEW.class_id OR OLD.trainee_id != NEW.trainee_id BEGIN
  SELECT RAISE (ABORT, 'an enrolment cannot move to another class or trainee');
END;

-- Each class's totals, kept by the triggers below; participants are the
-- enrolments that attended at least once, and certificates, employed and
-- the key groups count participants only (docs/figures.md).
CREATE TABLE class_totals (
  class_id         INTEGER PRIMARY KEY REFERENCES class (id) ON DELETE CASCADE,
  enrolled         INTEGER NOT NULL DEFAULT 0,
  participants     INTEGER NOT NULL DEFAULT 0,
  completed        INTEGER NOT NULL DEFAULT 0,
  person_hours     REAL NOT NULL DEFAULT 0,
  certificates     INTEGER NOT NULL DEFAULT 0,
  employed         INTEGER NOT NULL DEFAULT 0,
  graduates        INTEGER NOT NULL DEFAULT 0,
  veterans         INTEGER NOT NULL DEFAULT 0,
  migrant_workers  INTEGER NOT NULL DEFAULT 0,
  laid_off         INTEGER NOT NULL DEFAULT 0,
  registered_poor  INTEGER NOT NULL DEFAULT 0,
  disabled         INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TRIGGER classes_totals_class AFTER INSERT ON class BEGIN
  INSERT INTO class_totals (class_id) VALUES (NEW.id);
END;
CREATE TRIGGER classes_totals_rule AFTER UPDATE OF planned_hours, completion_percent ON class BEGIN
  UPDATE class_totals
     SET completed = (SELECT count (*) FROM enrolment e JOIN enrolment_hours h ON h.enrolment_id = e.id
                       WHERE e.class_id = NEW.id
                         AND h.attended * 100.0 >= NEW.planned_hours * NEW.completion_percent - 1e-6)
   WHERE class_id = NEW.id;
END;
CREATE TRIGGER classes_totals_enrol AFTER INSERT ON enrolment BEGIN
  UPDATE class_totals SET enrolled = enrolled + 1 WHERE class_id = NEW.class_id;
END;
-- Attended hours back to 0 first: the triggers on enrolment_hours take the
-- enrolment's share out of its class's totals.
CREATE TRIGGER classes_totals_unenrol BEFORE DELETE ON enrolment BEGIN
  UPDATE enrolment_hours SET attended = 0 WHERE enrolment_id = OLD.id;
  UPDATE class_totals SET enrolled = enrolled - 1 WHERE class_id = OLD.class_id;
END;
CREATE TRIGGER classes_totals_hours AFTER UPDATE OF attended ON enrolment_hours
WHEN OLD.attended IS NOT NEW.attended BEGIN
  UPDATE class_totals
     SET person_hours = person_hours + NEW.attended - OLD.attended,
         completed = completed
           + (SELECT (NEW.attended * 100.0 >= c.planned_hours * c.completion_percent - 1e-6)
                   - (OLD.attended * 100.0 >= c.planned_hours * c.completion_percent - 1e-6)
                FROM class c WHERE c.id = class_totals.class_id)
   WHERE class_id = (SELECT class_id FROM enrolment WHERE id = NEW.enrolment_id);
END;
CREATE TRIGGER classes_totals_participant AFTER UPDATE OF attended ON enrolment_hours
WHEN (OLD.attended > 0) != (NEW.attended > 0) BEGIN
  UPDATE class_totals
     SET participants = participants + d.delta,
         certificates = certificates + d.delta * (d.certificate_kind != ''),
         employed = employed + d.delta * (d.employed_on IS NOT NULL),
         graduates = graduates + d.delta * (d.key_group = 'graduates'),
         veterans = veterans + d.delta * (d.key_group = 'veterans'),
         migrant_workers = migrant_workers + d.delta * (d.key_group = 'migrant-workers'),
         laid_off = laid_off + d.delta * (d.key_group = 'laid-off'),
         registered_poor = registered_poor + d.delta * (d.key_group = 'registered-poor'),
         disabled = disabled + d.delta * (d.key_group = 'disabled')
    FROM (SELECT class_id, certificate_kind, employed_on, key_group,
                 CASE WHEN NEW.attended > 0 THEN 1 ELSE -1 END AS delta
            FROM enrolment WHERE id = NEW.enrolment_id) AS d
   WHERE class_totals.class_id = d.class_id;
END;
CREATE TRIGGER classes_totals_outcome AFTER UPDATE OF certificate_kind, employed_on, key_group ON enrolment
WHEN (SELECT attended > 0 FROM enrolment_hours WHERE enrolment_id = NEW.id) BEGIN
  UPDATE class_totals
     SET certificates = certificates + (NEW.certificate_kind != '') - (OLD.certificate_kind != ''),
         employed = employed + (NEW.employed_on IS NOT NULL) - (OLD.employed_on IS NOT NULL),
         graduates = graduates + (NEW.key_group = 'graduates') - (OLD.key_group = 'graduates'),
         veterans = veterans + (NEW.key_group = 'veterans') - (OLD.key_group = 'veterans'),
         migrant_workers = migrant_workers + (NEW.key_group = 'migrant-workers') - (OLD.key_group = 'migrant-workers'),
         laid_off = laid_off + (NEW.key_group = 'laid-off') - (OLD.key_group = 'laid-off'),
         registered_poor = registered_poor + (NEW.key_group = 'registered-poor') - (OLD.key_group = 'registered-poor'),
         disabled = disabled + (NEW.key_group = 'disabled') - (OLD.key_group = 'disabled')
   WHERE class_id = NEW.class_id;
END;
