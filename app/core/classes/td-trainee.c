/* td-trainee.c: trainees, their protected identity, and rosters in files
 *
 * Personal data (issue 15): an ID number or phone leaves the core masked
 * (td_id_number_mask(): 3701**********1234) unless a caller asks for it
 * in full, as td_roster_export() does with full_identity. Both live in
 * trainee_identity, apart from the audited tables, and its own triggers
 * log only that they were set, changed or removed. A search takes the full
 * number (an indexed lookup), a phone, or the beginning of a name (an
 * indexed range), and returns at most TD_TRAINEE_SEARCH_MAX people: 16 ms
 * is the bound at 150,000 trainees (bench/classes-school).
 *
 * Removal on request keeps the enrolments, so every yearly count stays as
 * it was, and takes away everything that names the person: the name, the
 * ID number and phone, the birth date, employers and certificate
 * numbers, in the tables and in the audit log's copies of them.
 *
 * Rosters are read with the import's readers (td-csv.c: UTF-8, UTF-16 or
 * GB18030; td-xlsx.c) and written all or nothing: every row is checked
 * first, and one bad row means nothing is enrolled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-trainee"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "td-classes.h"
#include "td-csv.h"
#include "td-id-number.h"
#include "td-store-private.h"
#include "td-trainee.h"
#include "td-xlsx.h"

void
td_trainee_hit_free (TdTraineeHit *hit)
{
  g_free (hit->uuid);
  g_free (hit->name);
  g_free (hit->id_number_masked);
  g_free (hit->phone_masked);
  g_free (hit->gender);
  g_free (hit->birth_date);
  g_free (hit);
}

#define TD_TRAINEE_HIT_COLUMNS \
  "SELECT t.uuid, t.name, i.id_number, i.phone, t.gender, t.birth_date, " \
  "       (SELECT count (*) FROM enrolment e WHERE e.trainee_id = t.id) " \
  "FROM trainee t JOIN trainee_identity i ON i.trainee_id = t.id "

/**
 * td_trainee_search:
 * @query: a full ID number, a phone number, or the beginning of a name
 * @limit: at most this many (capped at TD_TRAINEE_SEARCH_MAX)
 *
 * Returns: (transfer full) (element-type TdTraineeHit): those found, with
 *   their numbers masked; removed trainees are never found.
 */
GPtrArray *
td_trainee_search (TdStore     *store,
                   const char  *query,
                   guint        limit,
                   GError     **error)
{
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify)td_trainee_hit_free);
  g_autofree char *q = NULL;
  sqlite3_stmt *stmt;
  TdIdNumber id;
  gsize len;
  int rc;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  q = g_strstrip (g_strdup (query));
  len = strlen (q);
  limit = CLAMP (limit, 1, TD_TRAINEE_SEARCH_MAX);
  if (len == 0)
    return g_steal_pointer (&hits);

  if (td_id_number_parse (q, &id, NULL))
    {
      stmt = td_store_prepare (store, TD_TRAINEE_HIT_COLUMNS "WHERE i.id_number = ?1", error);
      if (stmt)
        sqlite3_bind_text (stmt, 1, id.number, -1, SQLITE_TRANSIENT);
    }
  else if (strspn (q, "0123456789+-") == len)
    {
      stmt = td_store_prepare (store,
                               TD_TRAINEE_HIT_COLUMNS "WHERE i.phone = ?1 AND i.phone != '' LIMIT ?2",
                               error);
      if (stmt)
        sqlite3_bind_text (stmt, 1, q, -1, SQLITE_TRANSIENT);
    }
  else
    {
      /* A prefix as a range on the name's index: names sort by code
       * point (BINARY), and U+10FFFF sorts after every continuation. */
      g_autofree char *upper = g_strconcat (q, "\xf4\x8f\xbf\xbf", NULL);

      stmt = td_store_prepare (store,
                               TD_TRAINEE_HIT_COLUMNS "WHERE t.name >= ?1 AND t.name < ?3 "
                               "ORDER BY t.name, t.id LIMIT ?2",
                               error);
      if (stmt)
        {
          sqlite3_bind_text (stmt, 1, q, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 3, upper, -1, SQLITE_TRANSIENT);
        }
    }
  if (stmt == NULL)
    return NULL;
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_int (stmt, 2, (int)limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TdTraineeHit *hit = g_new0 (TdTraineeHit, 1);

      hit->uuid = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      hit->name = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      hit->id_number_masked = td_id_number_mask ((const char *)sqlite3_column_text (stmt, 2));
      hit->phone_masked = td_phone_mask ((const char *)sqlite3_column_text (stmt, 3));
      hit->gender = g_strdup ((const char *)sqlite3_column_text (stmt, 4));
      hit->birth_date = g_strdup ((const char *)sqlite3_column_text (stmt, 5));
      hit->enrolments = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (hits, hit);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&hits);
}

/* Removal on request */

typedef struct
{
  const char *uuid;
  const char *today;
} TdTraineeRemove;

static gboolean
td_trainee_remove_cb (TdStore  *store,
                      gpointer  user_data,
                      GError  **error)
{
  TdTraineeRemove *r = user_data;
  gint64 id = td_classes_lookup_id (store, "trainee", r->uuid, error);
  /* In this order: the updates log the old values, which the last two
   * statements then take out of the audit log with the insert's copy. */
  static const char * const steps[] = {
    "DELETE FROM trainee_identity WHERE trainee_id = ?1",
    "UPDATE enrolment SET employer = '', employed_by = '', certificate_number = '' WHERE trainee_id = ?1",
    "UPDATE trainee SET name = '', gender = '', birth_date = NULL, removed_on = ?2 WHERE id = ?1",
    "UPDATE audit_log SET old_value = CASE WHEN old_value IS NULL THEN NULL ELSE 'removed on request' END, "
    "                     new_value = CASE WHEN new_value IS NULL THEN NULL ELSE 'removed on request' END "
    " WHERE table_name = 'trainee' AND row_uuid = (SELECT uuid FROM trainee WHERE id = ?1) "
    "   AND (field IS NULL OR field IN ('name', 'gender', 'birth_date'))",
    "UPDATE audit_log SET "
    "  old_value = CASE WHEN field IS NULL AND old_value IS NOT NULL "
    "                   THEN json_set (old_value, '$.employer', '', '$.employed_by', '', '$.certificate_number', '') "
    "                   WHEN field IS NOT NULL AND old_value IS NOT NULL THEN 'removed on request' "
    "                   ELSE old_value END, "
    "  new_value = CASE WHEN field IS NULL AND new_value IS NOT NULL "
    "                   THEN json_set (new_value, '$.employer', '', '$.employed_by', '', '$.certificate_number', '') "
    "                   WHEN field IS NOT NULL AND new_value IS NOT NULL THEN 'removed on request' "
    "                   ELSE new_value END "
    " WHERE table_name = 'enrolment' AND row_uuid IN (SELECT uuid FROM enrolment WHERE trainee_id = ?1) "
    "   AND (field IS NULL OR field IN ('employer', 'employed_by', 'certificate_number'))",
  };

  if (id == 0)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      sqlite3_stmt *stmt = td_store_prepare (store, steps[i], error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      if (sqlite3_bind_parameter_count (stmt) >= 2)
        sqlite3_bind_text (stmt, 2, r->today, -1, SQLITE_TRANSIENT);
      if (!td_store_step_done (store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * td_trainee_remove:
 * @today: the date of the request, YYYY-MM-DD
 *
 * Removes a trainee on their request: nothing that names them is kept,
 * their enrolments stay as anonymous counts in every year's results.
 */
gboolean
td_trainee_remove (TdStore     *store,
                   const char  *trainee_uuid,
                   const char  *today,
                   GError     **error)
{
  TdTraineeRemove r = { trainee_uuid, today };

  g_return_val_if_fail (TD_IS_STORE (store), FALSE);

  return td_classes_check_date (today, _("removal date"), error) &&
         td_store_transaction (store, td_trainee_remove_cb, &r, error);
}

/* Roster import */

enum { COL_NAME, COL_ID, COL_PHONE, COL_GROUP, COL_EMPLOYMENT, COL_EMPLOYER, N_COLS };

/* Headings as offices' spreadsheets have them, and this app's export. */
static const char * const td_trainee_headings[N_COLS][6] = {
  [COL_NAME] = { "姓名", "name", "学员姓名", NULL },
  [COL_ID] = { "身份证号", "身份证号码", "公民身份号码", "id number", "证件号码", NULL },
  [COL_PHONE] = { "手机", "手机号", "手机号码", "联系电话", "phone", NULL },
  [COL_GROUP] = { "重点人群", "人员类别", "key group", NULL },
  [COL_EMPLOYMENT] = { "就业状态", "employment", "就业情况", NULL },
  [COL_EMPLOYER] = { "工作单位", "employer", "单位", NULL },
};

static const struct { const char *label; const char *value; } td_trainee_values[] = {
  { "高校毕业生", "graduates" }, { "退役军人", "veterans" }, { "农民工", "migrant-workers" },
  { "去产能分流职工", "laid-off" }, { "建档立卡贫困劳动力", "registered-poor" }, { "残疾人", "disabled" },
  { "在职", "employed" }, { "已就业", "employed" }, { "失业", "unemployed" }, { "未就业", "unemployed" },
  { "在校学生", "student" }, { "学生", "student" }, { "其他", "other" },
};

static const char *
td_trainee_map_value (const char *cell)
{
  for (guint i = 0; i < G_N_ELEMENTS (td_trainee_values); i++)
    if (g_str_equal (cell, td_trainee_values[i].label))
      return td_trainee_values[i].value;
  return cell;
}

static int
td_trainee_heading_column (const char *cell)
{
  g_autofree char *folded = g_utf8_casefold (cell, -1);
  g_autofree char *stripped = g_strstrip (g_strdup (folded));

  for (int c = 0; c < N_COLS; c++)
    for (guint i = 0; td_trainee_headings[c][i]; i++)
      if (g_str_equal (stripped, td_trainee_headings[c][i]))
        return c;
  return -1;
}

static TdTable *
td_trainee_read_table (const char  *path,
                       GError     **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".xlsx"))
    return td_xlsx_read (path, error);
  return td_csv_read_file (path, error);
}

typedef struct
{
  gint64       class_id;
  TdTable     *table;
  int          columns[N_COLS];
  guint        first_row;
  guint        enrolled;
} TdTraineeImport;

static void
td_trainee_row_info (TdTraineeImport *imp,
                     guint            row,
                     TdEnrolInfo     *info)
{
  const char *cells[N_COLS] = { NULL };

  for (int c = 0; c < N_COLS; c++)
    if (imp->columns[c] >= 0)
      cells[c] = td_table_get_cell (imp->table, row, (guint)imp->columns[c]);
  info->name = cells[COL_NAME];
  info->id_number = cells[COL_ID];
  info->phone = cells[COL_PHONE];
  info->key_group = cells[COL_GROUP] ? td_trainee_map_value (cells[COL_GROUP]) : NULL;
  info->employment = cells[COL_EMPLOYMENT] ? td_trainee_map_value (cells[COL_EMPLOYMENT]) : NULL;
  info->employer = cells[COL_EMPLOYER];
}

static gboolean
td_trainee_import_cb (TdStore  *store,
                      gpointer  user_data,
                      GError  **error)
{
  TdTraineeImport *imp = user_data;
  guint n_rows = td_table_get_n_rows (imp->table);

  for (guint row = imp->first_row; row < n_rows; row++)
    {
      TdEnrolInfo info;
      g_autoptr(GError) local_error = NULL;

      if (td_table_row_is_blank (imp->table, row))
        continue;
      td_trainee_row_info (imp, row, &info);
      if (!td_classes_enrol_in_transaction (store, imp->class_id, &info, NULL, &local_error))
        {
          g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_IMPORT,
                       _("Nothing was imported: line %u: %s"),
                       td_table_get_line (imp->table, row), local_error->message);
          return FALSE;
        }
      imp->enrolled++;
    }
  return TRUE;
}

/**
 * td_roster_import:
 * @path: a CSV (UTF-8, UTF-16 or GB18030) or XLSX file whose first row
 *   names the columns: 姓名, 身份证号 and any of 手机, 重点人群, 就业状态,
 *   工作单位
 * @n_enrolled: (out) (optional)
 *
 * Enrols every row of the file in the class, or none: a file with any bad
 * row changes nothing, and the error lists the rows and what is wrong.
 */
gboolean
td_roster_import (TdStore     *store,
                  const char  *class_uuid,
                  const char  *path,
                  guint       *n_enrolled,
                  GError     **error)
{
  g_autoptr(TdTable) table = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  TdTraineeImport imp = { 0 };
  guint n_rows, n_problems = 0;
  const char * const *header;
  guint n_header;

  g_return_val_if_fail (TD_IS_STORE (store), FALSE);

  if (!(table = td_trainee_read_table (path, error)))
    return FALSE;
  n_rows = td_table_get_n_rows (table);
  if (n_rows == 0)
    {
      g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_IMPORT, _("The roster file is empty."));
      return FALSE;
    }
  if (n_rows - 1 > TD_ROSTER_MAX_ROWS)
    {
      g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_IMPORT,
                   _("The roster has %u rows; a class roster has at most %u. Nothing was imported."),
                   n_rows - 1, (guint)TD_ROSTER_MAX_ROWS);
      return FALSE;
    }

  for (int c = 0; c < N_COLS; c++)
    imp.columns[c] = -1;
  header = td_table_get_row (table, 0, &n_header);
  for (guint i = 0; i < n_header; i++)
    {
      int c = td_trainee_heading_column (header[i]);

      if (c >= 0 && imp.columns[c] < 0)
        imp.columns[c] = (int)i;
    }
  if (imp.columns[COL_NAME] < 0 || imp.columns[COL_ID] < 0)
    {
      g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_IMPORT,
                   _("The roster's first row must name its columns, among them “姓名” (name) and "
                     "“身份证号” (ID number). Nothing was imported."));
      return FALSE;
    }
  imp.table = table;
  imp.first_row = 1;

  /* Every row checked before anything is written. */
  for (guint row = 1; row < n_rows; row++)
    {
      TdEnrolInfo info;
      TdIdNumber id;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *masked = NULL;

      if (td_table_row_is_blank (table, row))
        continue;
      td_trainee_row_info (&imp, row, &info);
      if (!td_id_number_parse (info.id_number ? info.id_number : "", &id, &local_error))
        ;
      else if (!g_hash_table_add (seen, g_strdup (id.number)))
        {
          masked = td_id_number_mask (id.number);
          g_set_error (&local_error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID,
                       _("the ID number %s is on an earlier row too"), masked);
        }
      else if (info.name == NULL || *info.name == '\0')
        g_set_error (&local_error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID, _("A trainee needs a name."));
      if (local_error == NULL)
        continue;
      if (++n_problems <= TD_ROSTER_PROBLEMS_LISTED)
        g_string_append_printf (problems, _("Line %u: %s\n"), td_table_get_line (table, row),
                                local_error->message);
    }
  if (n_problems > 0)
    {
      if (n_problems > TD_ROSTER_PROBLEMS_LISTED)
        g_string_append_printf (problems,
                                g_dngettext (GETTEXT_PACKAGE, "…and %u more problem.\n",
                                             "…and %u more problems.\n",
                                             n_problems - TD_ROSTER_PROBLEMS_LISTED),
                                n_problems - TD_ROSTER_PROBLEMS_LISTED);
      g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_IMPORT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Nothing was imported: %u row has a problem.\n%s",
                                "Nothing was imported: %u rows have problems.\n%s", n_problems),
                   n_problems, problems->str);
      return FALSE;
    }

  if (!(imp.class_id = td_classes_lookup_id (store, "class", class_uuid, error)) ||
      !td_store_transaction (store, td_trainee_import_cb, &imp, error))
    return FALSE;
  if (n_enrolled != NULL)
    *n_enrolled = imp.enrolled;
  return TRUE;
}

/**
 * td_roster_export:
 * @full_identity: write ID numbers and phones in full; otherwise masked
 *
 * Writes a class's roster, with hours attended and results, as CSV.
 */
gboolean
td_roster_export (TdStore     *store,
                  const char  *class_uuid,
                  const char  *path,
                  gboolean     full_identity,
                  GError     **error)
{
  g_autoptr(TdTable) table = td_table_new ();
  const char *header[] = {
    _("Name"), _("Gender"), _("Birth date"), _("ID number"), _("Phone"), _("Key group"),
    _("Employment"), _("Hours attended"), _("Completed"), _("Result"), _("Certificate"),
  };
  sqlite3_stmt *stmt;
  guint line = 1;
  int rc;

  g_return_val_if_fail (TD_IS_STORE (store), FALSE);

  if (td_classes_lookup_id (store, "class", class_uuid, error) == 0)
    return FALSE;
  stmt = td_store_prepare (store,
                           "SELECT t.name, t.gender, coalesce (t.birth_date, ''), coalesce (i.id_number, ''), "
                           "       coalesce (i.phone, ''), e.key_group, e.employment, h.attended, "
                           "       c.planned_hours, c.completion_percent, e.result, e.certificate_kind "
                           "FROM class c JOIN enrolment e ON e.class_id = c.id "
                           "JOIN enrolment_hours h ON h.enrolment_id = e.id JOIN trainee t ON t.id = e.trainee_id "
                           "LEFT JOIN trainee_identity i ON i.trainee_id = t.id "
                           "WHERE c.uuid = ? ORDER BY t.name, e.id",
                           error);
  if (stmt == NULL)
    return FALSE;
  td_table_add_cells (table, line++, header, G_N_ELEMENTS (header));
  sqlite3_bind_text (stmt, 1, class_uuid, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id_number = (const char *)sqlite3_column_text (stmt, 3);
      const char *phone = (const char *)sqlite3_column_text (stmt, 4);
      g_autofree char *id_shown = full_identity ? g_strdup (id_number) : td_id_number_mask (id_number);
      g_autofree char *phone_shown = full_identity ? g_strdup (phone) : td_phone_mask (phone);
      g_autofree char *hours = g_strdup_printf ("%g", sqlite3_column_double (stmt, 7));
      gboolean completed = td_completion_reached (sqlite3_column_double (stmt, 7),
                                                  sqlite3_column_double (stmt, 8),
                                                  sqlite3_column_double (stmt, 9));
      const char *cells[] = {
        (const char *)sqlite3_column_text (stmt, 0), (const char *)sqlite3_column_text (stmt, 1),
        (const char *)sqlite3_column_text (stmt, 2), id_shown, phone_shown,
        (const char *)sqlite3_column_text (stmt, 5), (const char *)sqlite3_column_text (stmt, 6),
        hours, completed ? "1" : "0",
        (const char *)sqlite3_column_text (stmt, 10), (const char *)sqlite3_column_text (stmt, 11),
      };

      td_table_add_cells (table, line++, cells, G_N_ELEMENTS (cells));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      return FALSE;
    }
  return td_csv_write (table, path, error);
}
