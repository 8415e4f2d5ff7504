-- How an office's own choice values read (issue 13): an import that meets
-- a value its field does not know ("实训室" as a venue's type) asks once
-- which of the app's choices it means, and the answer is kept here per
-- kind, column header (as the file writes it) and value, so that the next
-- import of the same sheet asks nothing. choice is a choice id.
CREATE TABLE import_choice_maps (
  kind          TEXT NOT NULL,
  column_header TEXT NOT NULL,
  value         TEXT NOT NULL,
  choice        TEXT NOT NULL,
  PRIMARY KEY (kind, column_header, value)
) WITHOUT ROWID;
