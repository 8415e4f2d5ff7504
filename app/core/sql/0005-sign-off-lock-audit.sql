-- The sign-off lock in the audit log (issue 12): the lock's row has no
-- uuid, so the generated audit triggers never covered it, and a lock lifted
-- by setting the clock forward left no trace. Each change of the count or
-- of the lock's end is logged with the wall-clock time it was made at and
-- the machine's boot clock (boot id and seconds since boot, which no clock
-- setting moves), so an auditor can compare the two.
ALTER TABLE sign_off_lock ADD COLUMN changed_at TEXT;
ALTER TABLE sign_off_lock ADD COLUMN boot_clock TEXT;

CREATE TRIGGER sign_off_lock_audit_insert
AFTER INSERT ON sign_off_lock
BEGIN
  INSERT INTO audit_log (table_name, row_uuid, action, new_value)
  VALUES ('sign_off_lock', 'sign-off-lock', 'insert',
          json_object ('failures', NEW.failures, 'locked_until', NEW.locked_until,
                       'changed_at', NEW.changed_at, 'boot_clock', NEW.boot_clock));
END;

CREATE TRIGGER sign_off_lock_audit_update
AFTER UPDATE ON sign_off_lock
WHEN OLD.failures IS NOT NEW.failures OR OLD.locked_until IS NOT NEW.locked_until
BEGIN
  INSERT INTO audit_log (table_name, row_uuid, action, old_value, new_value)
  VALUES ('sign_off_lock', 'sign-off-lock', 'update',
          json_object ('failures', OLD.failures, 'locked_until', OLD.locked_until,
                       'changed_at', OLD.changed_at, 'boot_clock', OLD.boot_clock),
          json_object ('failures', NEW.failures, 'locked_until', NEW.locked_until,
                       'changed_at', NEW.changed_at, 'boot_clock', NEW.boot_clock));
END;
