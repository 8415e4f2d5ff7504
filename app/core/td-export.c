/* td-export.c: a list of records as a CSV or xlsx file
 *
 * The file is what td-import reads back: the Chinese headers in the
 * kind's field order and each value as td_record_list_export() writes it
 * (the Chinese names of choices, 是/否, names for references), so that an
 * export imported again changes nothing. In CSV, a text that a
 * spreadsheet would run as a formula is written with a quote before it
 * (td_csv_write_full()), which importing takes off again; numbers in
 * numeric columns are written as numbers, negative ones too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-export"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "td-export.h"
#include "td-import.h"
#include "td-xlsx.h"

/**
 * td_export_table:
 * @records: (nullable): the records to export, of @list's kind; %NULL
 *   for all of @list
 *
 * Returns: (transfer full): the header row and a row per record.
 */
TdTable *
td_export_table (TdRecordList *list,
                 GListModel   *records)
{
  const TdRecordKind *kind = td_record_list_get_kind (list);
  TdTable *table = td_table_new ();
  GListModel *model = records ? records : G_LIST_MODEL (list);
  guint n = g_list_model_get_n_items (model);

  td_table_add_row (table, 1);
  for (guint f = 0; f < kind->n_fields; f++)
    td_table_add_cell (table, kind->fields[f].header);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TdRecord) record = g_list_model_get_item (model, i);

      td_table_add_row (table, i + 2);
      for (guint f = 0; f < kind->n_fields; f++)
        {
          g_autofree char *value = td_record_list_export (list, record, f);

          td_table_add_cell (table, value);
        }
    }
  return table;
}

/* Numbers as numbers, so that Excel adds them up; all else text (and in
 * CSV, neutralised where a spreadsheet would run it as a formula). */
static gboolean *
td_export_numeric_columns (const TdRecordKind *kind)
{
  gboolean *numeric = g_new0 (gboolean, kind->n_fields);

  for (guint f = 0; f < kind->n_fields; f++)
    numeric[f] = kind->fields[f].type == TD_FIELD_INTEGER || kind->fields[f].type == TD_FIELD_NUMBER;
  return numeric;
}

/**
 * td_export_to_file:
 * @records: (nullable): the records to export; %NULL for all of @list
 * @path: a file ending in .csv or .xlsx
 * @n_exported: (out) (optional): how many records were written
 *
 * Writes the records to @path, replacing it whole or not at all.
 */
gboolean
td_export_to_file (TdRecordList  *list,
                   GListModel    *records,
                   const char    *path,
                   guint         *n_exported,
                   GError       **error)
{
  const TdRecordKind *kind = td_record_list_get_kind (list);
  g_autofree char *lower = g_ascii_strdown (path, -1);
  g_autoptr(TdTable) table = NULL;
  g_autofree gboolean *numeric = NULL;
  gboolean ok;

  if (!g_str_has_suffix (lower, ".csv") && !g_str_has_suffix (lower, ".xlsx"))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, TD_IMPORT_ERROR, TD_IMPORT_ERROR_FORMAT,
                   _("Cannot export to “%s”: give the file a name ending in .csv or .xlsx."),
                   display);
      return FALSE;
    }

  table = td_export_table (list, records);
  numeric = td_export_numeric_columns (kind);
  if (g_str_has_suffix (lower, ".csv"))
    ok = td_csv_write_full (table, path, numeric, error);
  else
    ok = td_xlsx_write (table, path, g_dgettext (GETTEXT_PACKAGE, kind->title), numeric, error);

  if (ok && n_exported)
    *n_exported = td_table_get_n_rows (table) - 1;
  return ok;
}

typedef struct
{
  TdTable  *table;
  char     *path;
  char     *sheet;
  gboolean *numeric;
  gboolean  xlsx;
} WriteJob;

static void
td_export_write_job_free (WriteJob *job)
{
  td_table_free (job->table);
  g_free (job->path);
  g_free (job->sheet);
  g_free (job->numeric);
  g_free (job);
}

static void
td_export_write_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  WriteJob *job = task_data;
  GError *error = NULL;
  gboolean ok = job->xlsx ? td_xlsx_write (job->table, job->path, job->sheet, job->numeric, &error)
                          : td_csv_write_full (job->table, job->path, job->numeric, &error);

  if (ok)
    g_task_return_int (task, td_table_get_n_rows (job->table) - 1);
  else
    g_task_return_error (task, error);
}

/**
 * td_export_to_file_async:
 *
 * td_export_to_file() with the writing, the slow part, on a worker thread:
 * the records are copied into a table first, here, so the list may change
 * while the file is written.
 */
void
td_export_to_file_async (TdRecordList        *list,
                         GListModel          *records,
                         const char          *path,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  const TdRecordKind *kind = td_record_list_get_kind (list);
  g_autoptr(GTask) task = g_task_new (list, cancellable, callback, user_data);
  g_autofree char *lower = g_ascii_strdown (path, -1);
  WriteJob *job;

  g_task_set_source_tag (task, td_export_to_file_async);
  if (!g_str_has_suffix (lower, ".csv") && !g_str_has_suffix (lower, ".xlsx"))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_task_return_new_error (task, TD_IMPORT_ERROR, TD_IMPORT_ERROR_FORMAT,
                               _("Cannot export to “%s”: give the file a name ending in .csv or .xlsx."),
                               display);
      return;
    }

  job = g_new0 (WriteJob, 1);
  job->table = td_export_table (list, records);
  job->path = g_strdup (path);
  job->numeric = td_export_numeric_columns (kind);
  job->xlsx = g_str_has_suffix (lower, ".xlsx");
  if (job->xlsx)
    job->sheet = g_strdup (g_dgettext (GETTEXT_PACKAGE, kind->title));
  g_task_set_task_data (task, job, (GDestroyNotify)td_export_write_job_free);
  g_task_run_in_thread (task, td_export_write_thread);
}

gboolean
td_export_to_file_finish (TdRecordList  *list,
                          GAsyncResult  *result,
                          guint         *n_exported,
                          GError       **error)
{
  gssize n = g_task_propagate_int (G_TASK (result), error);

  if (n < 0)
    return FALSE;
  if (n_exported)
    *n_exported = n;
  return TRUE;
}
