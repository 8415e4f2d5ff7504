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

static void td_record_page_show_hours_cell (GtkListItem *item);

static void
td_record_page_apply_hours (TdRecordPage *self,
                            Hours        *hours)
{
  GHashTableIter iter;
  gpointer item;

  g_clear_pointer (&self->hours, g_hash_table_unref);
  self->hours = g_steal_pointer (&hours->hours);
  self->hours_year = hours->year;

  if (self->hours_year > 0)
    {
      /* Translators: a column of the trainers' list: their training hours in a year */
      g_autofree char *title = g_strdup_printf (_("Training hours (%d)"), self->hours_year);

      gtk_column_view_column_set_title (self->hours_column, title);
    }
  /* No results, nothing to count. */
  gtk_column_view_column_set_visible (self->hours_column, self->hours_year > 0);

  g_hash_table_iter_init (&iter, self->hours_cells);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    td_record_page_show_hours_cell (item);
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
td_record_page_show_hours_cell (GtkListItem *item)
{
  TdRecordPage *self = g_object_get_data (G_OBJECT (item), "td-page");
  TdRecord *record = td_row_get_record (gtk_list_item_get_item (item));
  g_autofree char *text = td_record_page_hours_text (self, record);

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)), text);
}

static void
td_record_page_hours_row_changed_cb (TdRow       *row,
                                     GParamSpec  *pspec,
                                     GtkListItem *item)
{
  td_record_page_show_hours_cell (item);
}

static void
td_record_page_setup_hours_cb (GtkSignalListItemFactory *factory,
                               GtkListItem              *item,
                               TdRecordPage             *self)
{
  GtkWidget *cell = gtk_inscription_new (NULL);

  gtk_inscription_set_min_chars (GTK_INSCRIPTION (cell), 4);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (cell), 8);
  gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), 1);
  gtk_widget_add_css_class (cell, "numeric");
  gtk_widget_set_size_request (cell, -1, td_record_page_cell_height (self));
  gtk_list_item_set_child (item, cell);
  g_object_set_data (G_OBJECT (item), "td-page", self);
}

static void
td_record_page_bind_hours_cb (GtkSignalListItemFactory *factory,
                              GtkListItem              *item,
                              TdRecordPage             *self)
{
  td_record_page_show_hours_cell (item);
  g_signal_connect (gtk_list_item_get_item (item), "notify::record", G_CALLBACK (td_record_page_hours_row_changed_cb), item);
  g_hash_table_add (self->hours_cells, item);
}

static void
td_record_page_unbind_hours_cb (GtkSignalListItemFactory *factory,
                                GtkListItem              *item,
                                TdRecordPage             *self)
{
  g_hash_table_remove (self->hours_cells, item);
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (item), td_record_page_hours_row_changed_cb, item);
  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)), NULL);
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
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkExpression *expression;

  g_signal_connect (factory, "setup", G_CALLBACK (td_record_page_setup_hours_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (td_record_page_bind_hours_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (td_record_page_unbind_hours_cb), self);
  self->hours_cells = g_hash_table_new (NULL, NULL);

  expression = gtk_cclosure_expression_new (G_TYPE_DOUBLE, td_record_page_hours_marshal, 0, NULL,
                                            G_CALLBACK (td_record_page_hours_unused_cb), self, NULL);
  self->hours_sorter = GTK_SORTER (gtk_numeric_sorter_new (expression));
  self->hours_column = gtk_column_view_column_new (_("Training hours"), g_object_ref (factory));
  gtk_column_view_column_set_sorter (self->hours_column, self->hours_sorter);
  gtk_column_view_column_set_resizable (self->hours_column, TRUE);
  gtk_column_view_column_set_visible (self->hours_column, FALSE);
  gtk_column_view_append_column (self->column_view, self->hours_column);
}
