/* td-search-model.c: the records of a model that match the list's search
 *
 * What GtkFilterListModel with a GtkCustomFilter does, for one reason:
 * GTK 4.8's filter model finds its n-th item by counting through a bitset,
 * so each g_list_model_get_item() costs time in proportion to the position,
 * and a list view asks for every item added by a change (to find the rows
 * it already shows). Refiltering 100,000 records then took 100–250 ms in
 * GTK alone. Here the matching records are kept in an array, in the
 * source's order, with their positions in the source: get_item() is an
 * index, and a change is announced as the smallest range that changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-search-model"

#include "config.h"

#include <string.h>

#include "td-search-model.h"

struct _TdSearchModel
{
  GObject       parent_instance;

  GListModel   *source;
  TdRecordList *list;
  GPtrArray    *items;      /* TdRecord*, owned */
  GArray       *positions;  /* guint: each item's position in source */
};

static void td_search_model_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TdSearchModel, td_search_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, td_search_model_model_init))

static GType
td_search_model_get_item_type (GListModel *model)
{
  return TD_TYPE_RECORD;
}

static guint
td_search_model_get_n_items (GListModel *model)
{
  return TD_SEARCH_MODEL (model)->items->len;
}

static gpointer
td_search_model_get_item (GListModel *model,
                          guint       position)
{
  TdSearchModel *self = TD_SEARCH_MODEL (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
td_search_model_model_init (GListModelInterface *iface)
{
  iface->get_item_type = td_search_model_get_item_type;
  iface->get_n_items = td_search_model_get_n_items;
  iface->get_item = td_search_model_get_item;
}

/* The first item whose source position is @position or after. */
static guint
td_search_model_lower_bound (TdSearchModel *self,
                             guint          position)
{
  guint lo = 0, hi = self->positions->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->positions, guint, mid) < position)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
td_search_model_source_items_changed_cb (TdSearchModel *self,
                                         guint          position,
                                         guint          removed,
                                         guint          added,
                                         GListModel    *source)
{
  guint first = td_search_model_lower_bound (self, position);
  guint last = td_search_model_lower_bound (self, position + removed);
  g_autoptr(GPtrArray) new_items = g_ptr_array_new ();
  g_autoptr(GArray) new_positions = g_array_new (FALSE, FALSE, sizeof (guint));
  guint old_len;

  if (last > first)
    {
      g_ptr_array_remove_range (self->items, first, last - first);
      g_array_remove_range (self->positions, first, last - first);
    }
  for (guint i = first; i < self->positions->len; i++)
    g_array_index (self->positions, guint, i) = g_array_index (self->positions, guint, i) - removed + added;

  for (guint i = 0; i < added; i++)
    {
      TdRecord *record = g_list_model_get_item (source, position + i);
      guint at = position + i;

      if (td_record_list_matches (self->list, record))
        {
          g_ptr_array_add (new_items, record);
          g_array_append_val (new_positions, at);
        }
      else
        g_object_unref (record);
    }

  /* In at @first, all at once. */
  old_len = self->items->len;
  g_ptr_array_set_size (self->items, old_len + new_items->len);
  memmove (self->items->pdata + first + new_items->len, self->items->pdata + first,
           (old_len - first) * sizeof (gpointer));
  if (new_items->len > 0)
    memcpy (self->items->pdata + first, new_items->pdata, new_items->len * sizeof (gpointer));
  g_array_insert_vals (self->positions, first, new_positions->data, new_positions->len);

  if (last > first || new_items->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), first, last - first, new_items->len);
}

/**
 * td_search_model_refilter:
 * @change: how the search changed: %GTK_FILTER_CHANGE_MORE_STRICT looks
 *   only at the records shown
 *
 * Asks each record again whether it matches (td_record_list_matches()).
 */
void
td_search_model_refilter (TdSearchModel   *self,
                          GtkFilterChange  change)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (guint));
  guint old_len = self->items->len;
  guint prefix = 0, suffix = 0;

  g_return_if_fail (TD_IS_SEARCH_MODEL (self));

  if (change == GTK_FILTER_CHANGE_MORE_STRICT)
    for (guint i = 0; i < self->items->len; i++)
      {
        TdRecord *record = g_ptr_array_index (self->items, i);

        if (td_record_list_matches (self->list, record))
          {
            g_ptr_array_add (items, g_object_ref (record));
            g_array_append_val (positions, g_array_index (self->positions, guint, i));
          }
      }
  else
    for (guint i = 0, n = g_list_model_get_n_items (self->source); i < n; i++)
      {
        TdRecord *record = g_list_model_get_item (self->source, i);

        if (td_record_list_matches (self->list, record))
          {
            g_ptr_array_add (items, record);
            g_array_append_val (positions, i);
          }
        else
          g_object_unref (record);
      }

  /* Announce only what changed: the rows before and after stay. */
  while (prefix < old_len && prefix < items->len &&
         g_ptr_array_index (self->items, prefix) == g_ptr_array_index (items, prefix))
    prefix++;
  while (suffix < old_len - prefix && suffix < items->len - prefix &&
         g_ptr_array_index (self->items, old_len - 1 - suffix) == g_ptr_array_index (items, items->len - 1 - suffix))
    suffix++;

  g_ptr_array_unref (self->items);
  self->items = g_steal_pointer (&items);
  g_array_unref (self->positions);
  self->positions = g_steal_pointer (&positions);

  if (prefix + suffix < old_len || prefix + suffix < self->items->len)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                                old_len - prefix - suffix, self->items->len - prefix - suffix);
}

/* The record at @position, not referenced: for a quick pass over them. */
TdRecord *
td_search_model_peek (TdSearchModel *self,
                      guint          position)
{
  g_return_val_if_fail (TD_IS_SEARCH_MODEL (self), NULL);
  g_return_val_if_fail (position < self->items->len, NULL);

  return g_ptr_array_index (self->items, position);
}

static void
td_search_model_dispose (GObject *object)
{
  TdSearchModel *self = TD_SEARCH_MODEL (object);

  if (self->source != NULL)
    g_signal_handlers_disconnect_by_func (self->source, td_search_model_source_items_changed_cb, self);
  g_clear_object (&self->source);
  g_clear_object (&self->list);

  G_OBJECT_CLASS (td_search_model_parent_class)->dispose (object);
}

static void
td_search_model_finalize (GObject *object)
{
  TdSearchModel *self = TD_SEARCH_MODEL (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->positions, g_array_unref);

  G_OBJECT_CLASS (td_search_model_parent_class)->finalize (object);
}

static void
td_search_model_class_init (TdSearchModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = td_search_model_dispose;
  object_class->finalize = td_search_model_finalize;
}

static void
td_search_model_init (TdSearchModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->positions = g_array_new (FALSE, FALSE, sizeof (guint));
}

/**
 * td_search_model_new:
 * @source: records, in the order to show them
 * @list: the list whose search (td_record_list_set_query()) decides
 */
TdSearchModel *
td_search_model_new (GListModel   *source,
                     TdRecordList *list)
{
  TdSearchModel *self = g_object_new (TD_TYPE_SEARCH_MODEL, NULL);

  self->source = g_object_ref (source);
  self->list = g_object_ref (list);
  g_signal_connect_swapped (source, "items-changed", G_CALLBACK (td_search_model_source_items_changed_cb), self);
  td_search_model_refilter (self, GTK_FILTER_CHANGE_DIFFERENT);
  return self;
}
