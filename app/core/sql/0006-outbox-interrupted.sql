-- The outbox's crash-loop guard (issue 12): how many tries of an item in a
-- row were cut off by Training Desk stopping (a crash, a kill, a power
-- cut) — found unfinished when the item was next begun. A try that ends,
-- however it ends, sets it back to 0. At TD_OUTBOX_MAX_INTERRUPTED the item
-- is no longer tried automatically: error_code 'interrupted', it waits for
-- "Send Now".
ALTER TABLE outbox ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0 CHECK (interrupted >= 0);
