/* td-record-page-hours.c: the trainers' training hours, a column of their list
 *
 * Each trainer's hours in the latest year with results, which the notice
 * counts in performance reviews. They are no field of the trainer but the
 * results' (td_figures_trainer_hours()), read on a worker thread after each
 * change of the store; the column stays hidden until they are read, and
 * while there are no results.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-record-page"

#include "config.h"

#include <glib/gi18n.h>

#include "td-figures.h"
#include "td-record-page-private.h"
#include "td-store-read.h"
#include "td-row-model.h"

typedef struct
{
  int         year;
  GHashTable *hours;   /* gint64* -> double* */
} Hours;

static void
td_record_page_hours_free (Hours *hours)
{
  g_clear_pointer (&hours->hours, g_hash_table_unref);
  g_free (hours);
}

static double
td_record_page_hours_of (TdRecordPage *self,
                         TdRecord     *record)
{
  gint64 id = td_record_get_id (record);
  double *hours = self->hours ? g_hash_table_lookup (self->hours, &id) : NULL;

  return hours ? *hours : 0;
}

char *
td_record_page_hours_text (TdRecordPage *self,
                           TdRecord     *record)
{
  return td_record_page_format_amount (td_record_page_hours_of (self, record));
}

/* In a worker, on a connection of its own (td_store_read_async()): the
 * main loop never waits for the sums, and the read holds neither the page
 * nor the store. */
static gpointer
td_record_page_read_hours_worker (TdStore       *reader,
                                  gpointer       data,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  g_autoptr(GPtrArray) list = NULL;
  Hours *hours;
  int year = 0;

  if (!td_figures_latest_year (reader, &year, error) ||
      (year > 0 && !(list = td_figures_trainer_hours (reader, year, error))))
    return NULL;

  hours = g_new0 (Hours, 1);
  hours->year = year;
  hours->hours = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      TdTrainerHours *h = g_ptr_array_index (list, i);

      g_hash_table_insert (hours->hours, g_memdup2 (&h->trainer_id, sizeof h->trainer_id),
                           g_memdup2 (&h->hours, sizeof h->hours));
    }
  return hours;
}

static void
td_record_page_apply_hours (TdRecordPage *self,
                            Hours        *hours)
{
  g_clear_pointer (&self->hours, g_hash_table_unref);
  self->hours = g_steal_pointer (&hours->hours);
  self->hours_year = hours->year;

  if (self->hours_year > 0)
    {
      /* Translators: a column of the trainers' list: their training hours in a year */
      g_autofree char *title = g_strdup_printf (_("Training hours (%d)"), self->hours_year);

      /* As wide as its new title, if that is a new year. */
      if (g_strcmp0 (title, gtk_column_view_column_get_title (self->hours_column)) != 0)
        {
          gtk_column_view_column_set_title (self->hours_column, title);
          td_record_page_set_column_width (self, self->hours_column, 8);
        }
    }
  /* No results, nothing to count. */
  gtk_column_view_column_set_visible (self->hours_column, self->hours_year > 0);

  td_record_page_show_rows_again (self);
  gtk_sorter_changed (self->hours_sorter, GTK_SORTER_CHANGE_DIFFERENT);
}

static void
td_record_page_hours_read_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdRecordPage) self = g_weak_ref_get (user_data);
  Hours *hours = td_store_read_finish (result, &error);

  g_weak_ref_clear (user_data);
  g_free (user_data);
  /* Gone, or going. */
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_pointer (&hours, td_record_page_hours_free);
      return;
    }

  self->hours_reading = FALSE;
  if (hours == NULL)
    g_warning ("Could not read the trainers' hours: %s", error->message);
  else
    {
      td_record_page_apply_hours (self, hours);
      td_record_page_hours_free (hours);
    }
  if (self->hours_again)
    td_record_page_read_hours (self);
}

/* Reads them anew, off the main loop; changes meanwhile make one more read. */
void
td_record_page_read_hours (TdRecordPage *self)
{
  GWeakRef *ref;

  if (self->hours_reading)
    {
      self->hours_again = TRUE;
      return;
    }
  self->hours_reading = TRUE;
  self->hours_again = FALSE;

  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  td_store_read_async (td_session_get_store (self->session), NULL, td_record_page_read_hours_worker,
                       NULL, NULL, (GDestroyNotify)td_record_page_hours_free, self->cancellable,
                       td_record_page_hours_read_cb, ref);
}

static void
td_record_page_hours_marshal (GClosure     *closure,
                              GValue       *return_value,
                              guint         n_param_values,
                              const GValue *param_values,
                              gpointer      invocation_hint,
                              gpointer      marshal_data)
{
  TdRecordPage *self = closure->data;

  g_value_set_double (return_value, td_record_page_hours_of (self, g_value_get_object (&param_values[0])));
}

static void
td_record_page_hours_unused_cb (void)
{
}

/* Hidden until the hours are read, and while there are no results. */
void
td_record_page_add_hours_column (TdRecordPage *self)
{
  GtkExpression *expression;

  expression = gtk_cclosure_expression_new (G_TYPE_DOUBLE, td_record_page_hours_marshal, 0, NULL,
                                            G_CALLBACK (td_record_page_hours_unused_cb), self, NULL);
  self->hours_sorter = GTK_SORTER (gtk_numeric_sorter_new (expression));
  /* Its texts are the rows' (td_record_page_hours_text()). */
  self->hours_column = gtk_column_view_column_new (_("Training hours"), NULL);
  gtk_column_view_column_set_sorter (self->hours_column, self->hours_sorter);
  gtk_column_view_column_set_resizable (self->hours_column, TRUE);
  gtk_column_view_column_set_visible (self->hours_column, FALSE);
  gtk_column_view_append_column (self->column_view, self->hours_column);
}
