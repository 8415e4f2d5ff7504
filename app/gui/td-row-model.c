/* td-row-model.c: the rows of a list view, over a model of records
 *
 * GTK 4.8's list item manager keeps a row's widgets only for the same
 * item: when a search or a sort replaces what the list shows, every
 * visible row of a GtkColumnView (a dozen widgets each) is destroyed and
 * made again, 40–70 ms a keystroke. Here each position has a TdRow whose
 * record can change: a change of many records (more than
 * TD_ROW_MODEL_BULK) keeps the rows already shown, gives them their new
 * records (they notify "record", their cells show it), and announces only
 * the rows added or removed at the end. A small change (a record added,
 * edited or deleted) is passed on as it is, the rows moving with their
 * records, so selection and focus follow them. After a bulk change the
 * positions mean other records: the owner clears its selection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-row-model"

#include "config.h"

#include <string.h>

#include "td-row-model.h"

struct _TdRow
{
  GObject   parent_instance;

  TdRecord *record;
};

G_DEFINE_FINAL_TYPE (TdRow, td_row, G_TYPE_OBJECT)

enum {
  ROW_PROP_0,
  ROW_PROP_RECORD,
  ROW_N_PROPS
};

static GParamSpec *row_properties[ROW_N_PROPS];

TdRecord *
td_row_get_record (TdRow *self)
{
  g_return_val_if_fail (TD_IS_ROW (self), NULL);

  return self->record;
}

static void
td_row_set_record (TdRow    *self,
                   TdRecord *record)
{
  if (g_set_object (&self->record, record))
    g_object_notify_by_pspec (G_OBJECT (self), row_properties[ROW_PROP_RECORD]);
}

static void
td_row_finalize (GObject *object)
{
  g_clear_object (&TD_ROW (object)->record);

  G_OBJECT_CLASS (td_row_parent_class)->finalize (object);
}

static void
td_row_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  switch (prop_id)
    {
    case ROW_PROP_RECORD:
      g_value_set_object (value, TD_ROW (object)->record);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
td_row_class_init (TdRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = td_row_finalize;
  object_class->get_property = td_row_get_property;

  row_properties[ROW_PROP_RECORD] =
    g_param_spec_object ("record", NULL, NULL,
                         TD_TYPE_RECORD,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, ROW_N_PROPS, row_properties);
}

static void
td_row_init (TdRow *self)
{
}

struct _TdRowModel
{
  GObject     parent_instance;

  GListModel *records;
  GPtrArray  *rows;      /* TdRow* or NULL (not asked for yet), one per record */
  guint       notify_id;
  GQuark      record_quark;
};

static void td_row_model_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TdRowModel, td_row_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, td_row_model_model_init))

static GType
td_row_model_get_item_type (GListModel *model)
{
  return TD_TYPE_ROW;
}

static guint
td_row_model_get_n_items (GListModel *model)
{
  return TD_ROW_MODEL (model)->rows->len;
}

static gpointer
td_row_model_get_item (GListModel *model,
                       guint       position)
{
  TdRowModel *self = TD_ROW_MODEL (model);
  TdRow *row;

  if (position >= self->rows->len)
    return NULL;

  row = g_ptr_array_index (self->rows, position);
  if (row == NULL)
    {
      row = g_object_new (TD_TYPE_ROW, NULL);
      row->record = g_list_model_get_item (self->records, position);
      g_ptr_array_index (self->rows, position) = row;
    }
  return g_object_ref (row);
}

static void
td_row_model_row_free (gpointer row)
{
  if (row != NULL)
    g_object_unref (row);
}

static void
td_row_model_model_init (GListModelInterface *iface)
{
  iface->get_item_type = td_row_model_get_item_type;
  iface->get_n_items = td_row_model_get_n_items;
  iface->get_item = td_row_model_get_item;
}

/* Inserts @n empty places at @position. */
static void
td_row_model_insert_empty (GPtrArray *rows,
                           guint      position,
                           guint      n)
{
  guint old_len = rows->len;

  g_ptr_array_set_size (rows, old_len + n);
  memmove (rows->pdata + position + n, rows->pdata + position, (old_len - position) * sizeof (gpointer));
  memset (rows->pdata + position, 0, n * sizeof (gpointer));
}

static void
td_row_model_records_changed_cb (TdRowModel *self,
                                 guint       position,
                                 guint       removed,
                                 guint       added,
                                 GListModel *records)
{
  guint old_len = self->rows->len;
  guint new_len = old_len - removed + added;

  if (removed + added <= TD_ROW_MODEL_BULK)
    {
      /* As it is: the rows move with their records. */
      if (removed > 0)
        g_ptr_array_remove_range (self->rows, position, removed);
      td_row_model_insert_empty (self->rows, position, added);
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
      return;
    }

  /* A new list from @position on: the rows stay where they are and show
   * other records. Rows shown in a list (their "record" watched) get
   * theirs now; the others are dropped and made again when asked for. */
  for (guint i = position; i < MIN (old_len, new_len); i++)
    {
      TdRow *row = g_ptr_array_index (self->rows, i);

      if (row == NULL)
        continue;
      if (g_signal_has_handler_pending (row, self->notify_id, self->record_quark, FALSE))
        {
          g_autoptr(TdRecord) record = g_list_model_get_item (records, i);

          td_row_set_record (row, record);
        }
      else
        {
          g_object_unref (row);
          g_ptr_array_index (self->rows, i) = NULL;
        }
    }

  if (new_len < old_len)
    {
      g_ptr_array_remove_range (self->rows, new_len, old_len - new_len);
      g_list_model_items_changed (G_LIST_MODEL (self), new_len, old_len - new_len, 0);
    }
  else if (new_len > old_len)
    {
      td_row_model_insert_empty (self->rows, old_len, new_len - old_len);
      g_list_model_items_changed (G_LIST_MODEL (self), old_len, 0, new_len - old_len);
    }
}

static void
td_row_model_dispose (GObject *object)
{
  TdRowModel *self = TD_ROW_MODEL (object);

  if (self->records != NULL)
    g_signal_handlers_disconnect_by_func (self->records, td_row_model_records_changed_cb, self);
  g_clear_object (&self->records);

  G_OBJECT_CLASS (td_row_model_parent_class)->dispose (object);
}

static void
td_row_model_finalize (GObject *object)
{
  TdRowModel *self = TD_ROW_MODEL (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (td_row_model_parent_class)->finalize (object);
}

static void
td_row_model_class_init (TdRowModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = td_row_model_dispose;
  object_class->finalize = td_row_model_finalize;
}

static void
td_row_model_init (TdRowModel *self)
{
  /* Places not asked for yet are NULL. */
  self->rows = g_ptr_array_new_with_free_func (td_row_model_row_free);
  self->notify_id = g_signal_lookup ("notify", G_TYPE_OBJECT);
  self->record_quark = g_quark_from_static_string ("record");
}

/**
 * td_row_model_new:
 * @records: the records, one row each
 */
TdRowModel *
td_row_model_new (GListModel *records)
{
  TdRowModel *self = g_object_new (TD_TYPE_ROW_MODEL, NULL);

  self->records = g_object_ref (records);
  g_ptr_array_set_size (self->rows, g_list_model_get_n_items (records));
  g_signal_connect_swapped (records, "items-changed", G_CALLBACK (td_row_model_records_changed_cb), self);
  return self;
}
