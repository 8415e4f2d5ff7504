-- SPDX-License-Identifier: GPL-3.0-or-later
-- Migration 9: new rows get time-ordered (version 7) UUIDs (issue 17).
--
-- With random (version 4) keys every insert lands on a random page of the
-- UNIQUE index on uuid and of the audit log's (table_name, row_uuid)
-- index; once they outgrow the page cache, each insert misses it (a
-- 1,000,000-row import: 70–85 s). Version 7 keys begin with the time, so
-- inserts append. Rows keep the UUIDs they have: a UUID is a row's
-- identity outside this file.
--
-- SQLite cannot ALTER a column's DEFAULT. Of the two documented ways
-- (https://www.sqlite.org/lang_altertable.html §7), this takes the one
-- that the page names for "changing default values on a column": the
-- text of each CREATE TABLE is edited in sqlite_schema, which changes
-- nothing stored on disk. Rebuilding every table instead would have to
-- drop tables that others refer to with ON DELETE CASCADE while this
-- migration's transaction keeps foreign keys on: a drop would delete
-- their children. The edit replaces exactly the text that schemas 1-8
-- wrote (SQL_UUID_V4 in td-store.c) and nothing else; RESET makes this connection
-- read the schema again, and the triggers that the store recreates after
-- every migration change the schema cookie, so any other connection does
-- too. The store's tests check a migrated file with integrity_check and
-- insert into it from the sqlite3 shell.

PRAGMA writable_schema = ON;

UPDATE sqlite_schema
   SET sql = replace (sql, @UUID_V4_TEXT@, @UUID_TEXT@)
 WHERE type = 'table' AND instr (sql, @UUID_V4_TEXT@) > 0;

PRAGMA writable_schema = RESET;
