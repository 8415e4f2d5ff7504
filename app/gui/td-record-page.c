/* td-record-page.c: the records of one kind, listed, searched and edited
 *
 * The list is the kind's TdRecordList, sorted by the column headers, then
 * filtered by the search, then selected:
 *
 *   TdRecordList → GtkSortListModel → TdSearchModel → TdRowModel → GtkMultiSelection
 *
 * The filter comes after the sort so that a keystroke never sorts again;
 * the search itself is the list's (td_record_list_set_query()), and the
 * filter only asks whether each record matched. TdSearchModel is a filter
 * model whose items are found by index (see td-search-model.c for why not
 * GtkFilterListModel). TdRowModel keeps the rows a search or a sort
 * changes, giving them other records, instead of GTK making them again
 * (td-row-model.c). A row is one widget drawing its columns' texts
 * (td-record-row.c) under a column view without rows, whose titles sort,
 * resize and show the columns; the footer's figures are counted once per
 * change, before the next frame. So 100,000 records list about as fast as
 * a hundred.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-record-page"

#include "config.h"

#include <glib/gi18n.h>

#include "td-chart.h"
#include "td-record-page-private.h"
#include "td-record-row.h"
#include "td-results-charts.h"
#include "td-row-model.h"
#include "td-search-model.h"

G_DEFINE_FINAL_TYPE (TdRecordPage, td_record_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_KIND_ID,
  PROP_LIST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * td_record_page_new:
 * @session: the open database
 * @kind_id: a kind of td_record_kinds()
 *
 * The page is a view of @session's list of @kind_id; a kind with charts
 * (td-record-kind.h) has them above its list.
 *
 * Returns: the page of the records of @kind_id; if they cannot be read, a
 *   status page that says why.
 */
GtkWidget *
td_record_page_new (TdSession  *session,
                    const char *kind_id)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *status;

  g_return_val_if_fail (TD_IS_SESSION (session), NULL);
  g_return_val_if_fail (td_record_kind_lookup (kind_id) != NULL, NULL);

  /* Read here, where a failure can still be a page of its own. */
  if (td_session_get_records (session, kind_id, &error) != NULL)
    return g_object_new (TD_TYPE_RECORD_PAGE, "session", session, "kind-id", kind_id, NULL);

  status = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "dialog-error-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("The Records Could Not Be Read"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status), error->message);
  return status;
}

TdRecordList *
td_record_page_get_list (TdRecordPage *self)
{
  g_return_val_if_fail (TD_IS_RECORD_PAGE (self), NULL);

  return self->list;
}

/**
 * td_record_page_set_header:
 * @header: (transfer floating) (nullable): shown between the toolbar and
 *   the list (the Results page's charts), or nothing
 *
 * A slot for what a kind of record adds above its list, so the page need
 * not know about it.
 */
void
td_record_page_set_header (TdRecordPage *self,
                           GtkWidget    *header)
{
  GtkWidget *box;

  g_return_if_fail (TD_IS_RECORD_PAGE (self));

  box = gtk_widget_get_parent (self->toolbar);
  if (self->header != NULL)
    gtk_box_remove (GTK_BOX (box), self->header);
  self->header = header;
  if (header != NULL)
    gtk_box_insert_child_after (GTK_BOX (box), header, self->toolbar);
}

static gboolean
td_record_page_is_numeric (const TdField *field)
{
  return field->type == TD_FIELD_INTEGER || field->type == TD_FIELD_NUMBER;
}

static void
td_record_page_update_state (TdRecordPage *self)
{
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->shown));

  if (total == 0 && self->query == NULL)
    gtk_stack_set_visible_child_name (self->content_stack, "empty");
  else if (shown == 0)
    {
      g_autofree char *title = g_strdup_printf (_("No Results for “%s”"), self->query ? self->query : "");

      adw_status_page_set_title (self->no_results_status, title);
      /* Set late: GTK's own copy of this icon, which tests fall back to,
       * is loaded even for a page not shown. */
      adw_status_page_set_icon_name (self->no_results_status, "edit-find-symbolic");
      gtk_stack_set_visible_child_name (self->content_stack, "no-results");
    }
  else
    gtk_stack_set_visible_child_name (self->content_stack, "list");
  /* Nothing to count on an empty page. */
  gtk_widget_set_visible (GTK_WIDGET (self->footer), total > 0);
  gtk_widget_set_visible (self->footer_separator, total > 0);
  /* Nothing to search yet; but a search typed stays changeable. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_entry), total > 0 || self->query != NULL);
}

static guint
td_record_page_n_selected (TdRecordPage *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  return (guint)MIN (gtk_bitset_get_size (selected), G_MAXUINT);
}

void
td_record_page_actions_update (TdRecordPage *self)
{
  guint selected = td_record_page_n_selected (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "records.edit", selected > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "records.delete", selected > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "records.undo", self->deletion != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "records.import", self->import == NULL && self->chooser == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "records.export",
                                 self->chooser == NULL && !self->exporting &&
                                 g_list_model_get_n_items (G_LIST_MODEL (self->shown)) > 0);
}

/* Before the sort model hears of a change: a search in force is run again,
 * so a new or changed record is judged by what it now holds. */
static void
td_record_page_list_items_changed_cb (TdRecordPage *self,
                                      guint         position,
                                      guint         removed,
                                      guint         added,
                                      GListModel   *list)
{
  if (self->query != NULL)
    td_record_list_set_query (self->list, self->query);
}

static void
td_record_page_shown_items_changed_cb (TdRecordPage *self,
                                       guint         position,
                                       guint         removed,
                                       guint         added,
                                       GListModel   *shown)
{
  /* The rows now show other records: what was selected is not. */
  if (removed + added > TD_ROW_MODEL_BULK)
    gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  td_record_page_update_state (self);
  td_record_page_update_footer (self);
  td_record_page_actions_update (self);
}

static void
td_record_page_selection_changed_cb (TdRecordPage *self)
{
  td_record_page_actions_update (self);
}

static void
td_record_page_scroll_to (TdRecordPage *self,
                          guint         position)
{
  /* GTK 4.8 has no gtk_list_view_scroll_to(): the list view has the action. */
  if (position < g_list_model_get_n_items (G_LIST_MODEL (self->shown)))
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
}

static void
td_record_page_search_changed_cb (TdRecordPage   *self,
                                  GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *old = g_steal_pointer (&self->query);
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  if (stripped[0] != '\0')
    self->query = g_strdup (text);
  td_record_list_set_query (self->list, self->query);

  /* Typing on narrows (every word must appear), deleting widens: the
   * filter then looks only at the records that can change. */
  if (self->query == NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  else if (old == NULL || g_str_has_prefix (self->query, old))
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (g_str_has_prefix (old, self->query))
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  td_search_model_refilter (self->shown, change);
  /* A changed filter that changed no row says nothing: the title might. */
  td_record_page_update_state (self);
  /* A new search shows its first matches. */
  td_record_page_scroll_to (self, 0);
}

static void
td_record_page_stop_search_cb (TdRecordPage   *self,
                               GtkSearchEntry *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

/* Selects @record, and scrolls to it, if the list shows it. */
static void
td_record_page_reveal_record (TdRecordPage *self,
                              TdRecord     *record)
{
  GListModel *shown = G_LIST_MODEL (self->shown);
  guint n = g_list_model_get_n_items (shown);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TdRecord) item = g_list_model_get_item (shown, i);

      if (item != record)
        continue;
      gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), i, TRUE);
      td_record_page_scroll_to (self, i);
      return;
    }
}

static void td_record_page_forget_deletion (TdRecordPage *self);

static void
td_record_page_editor_saved_cb (TdRecordPage   *self,
                                TdRecord       *record,
                                TdRecordEditor *editor)
{
  /* A new record may take the id of one deleted last (SQLite reuses the
   * highest), and undoing that deletion would then fail: it is no longer
   * offered. */
  if (td_record_editor_get_record (editor) == NULL)
    td_record_page_forget_deletion (self);
  td_record_page_reveal_record (self, record);
  td_record_page_actions_update (self);
}

static void
td_record_page_open_editor (TdRecordPage *self,
                            TdRecord     *record)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  TdRecordEditor *editor;

  if (self->editor != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->editor));
      return;
    }

  editor = td_record_editor_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                 self->session, self->kind->id, record);
  g_signal_connect_object (editor, "saved", G_CALLBACK (td_record_page_editor_saved_cb), self, G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->editor, editor);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
td_record_page_add_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  td_record_page_open_editor (TD_RECORD_PAGE (widget), NULL);
}

static void
td_record_page_edit_position (TdRecordPage *self,
                              guint         position)
{
  g_autoptr(TdRecord) record = g_list_model_get_item (G_LIST_MODEL (self->shown), position);

  if (record != NULL)
    td_record_page_open_editor (self, record);
}

static void
td_record_page_edit_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  TdRecordPage *self = TD_RECORD_PAGE (widget);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  if (!gtk_bitset_is_empty (selected))
    td_record_page_edit_position (self, gtk_bitset_get_minimum (selected));
}

static void
td_record_page_list_view_activate_cb (TdRecordPage *self,
                                      guint         position,
                                      GtkListView  *list_view)
{
  td_record_page_edit_position (self, position);
}

void
td_record_page_show_error (TdRecordPage *self,
                           const char   *heading,
                           const GError *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
td_record_page_forget_deletion (TdRecordPage *self)
{
  g_clear_pointer (&self->deletion, td_deletion_free);
  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
  g_clear_weak_pointer (&self->undo_toast);
}

static void
td_record_page_delete_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  TdRecordPage *self = TD_RECORD_PAGE (widget);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  TdDeletion *deletion;
  GtkBitsetIter iter;
  AdwToast *toast;
  guint position;

  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position);
       more;
       more = gtk_bitset_iter_next (&iter, &position))
    g_ptr_array_add (records, g_list_model_get_item (G_LIST_MODEL (self->shown), position));
  if (records->len == 0)
    return;

  deletion = td_record_list_delete (self->list, (TdRecord **)records->pdata, records->len, &error);
  if (deletion == NULL)
    {
      td_record_page_show_error (self, _("Could Not Delete"), error);
      return;
    }

  td_record_page_forget_deletion (self);
  self->deletion = deletion;

  {
    guint n = td_deletion_get_count (deletion);
    /* A thousand rows at once: grouped as the footer groups them. */
    g_autofree char *number = td_format_count (n);

    message = td_plural_format (&self->kind->deleted, n, number);
  }
  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 10);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "records.undo");
  g_set_weak_pointer (&self->undo_toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  td_record_page_actions_update (self);
}

static void
td_record_page_undo_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  TdRecordPage *self = TD_RECORD_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (self->deletion == NULL)
    return;

  if (!td_record_list_undo_delete (self->list, self->deletion, &error))
    td_record_page_show_error (self, _("The Deletion Could Not Be Undone"), error);
  td_record_page_forget_deletion (self);
  td_record_page_actions_update (self);
}

static void
td_record_page_search_focus_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  TdRecordPage *self = TD_RECORD_PAGE (widget);

  if (gtk_widget_get_sensitive (GTK_WIDGET (self->search_entry)))
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Cells. */

/* In average characters: a Chinese one is two. */
static guint
td_record_page_text_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return width;
}

/* An inscription is as tall as a line of the interface's font; Chinese
 * names in an English interface come from a taller font and would be cut
 * off at the bottom. Rows are as tall as a line with both. */
int
td_record_page_cell_height (TdRecordPage *self)
{
  if (self->cell_height == 0)
    {
      PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->list_view), "Ag中文");
      int height;

      pango_layout_get_pixel_size (layout, NULL, &height);
      g_object_unref (layout);
      self->cell_height = MAX (height, 1);
    }
  return self->cell_height;
}

/* How wide a column is, in average characters (a Chinese one is about two). */
static guint
td_record_page_column_chars (const TdField *field)
{
  switch (field->type)
    {
    case TD_FIELD_INTEGER:
    case TD_FIELD_NUMBER:
      return 8;
    case TD_FIELD_BOOLEAN:
      return 4;
    case TD_FIELD_DATE:
      return 10;
    case TD_FIELD_REFERENCE:
      return 20;
    case TD_FIELD_CHOICE:
      {
        guint longest = 4;

        for (const TdChoice *c = field->choices; c->id; c++)
          longest = MAX (longest, td_record_page_text_width (g_dgettext (GETTEXT_PACKAGE, c->label)));
        return MIN (longest, 24);
      }
    case TD_FIELD_CHOICE_SET:
      return 24;
    case TD_FIELD_TEXT:
    case TD_FIELD_MULTILINE:
    case TD_FIELD_TEACHING:
    default:
      return CLAMP (field->max_chars / 3, 8, 24);
    }
}


/* Capture phase on the list, added before the search entry's key capture
 * controller on the same widget, so that it runs first. */
static void
td_record_page_add_list_shortcuts (TdRecordPage *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  const guint keys[] = { GDK_KEY_Delete, GDK_KEY_KP_Delete };

  gtk_event_controller_set_name (controller, "td-list-delete");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (keys[i], 0),
                                                            gtk_named_action_new ("records.delete")));
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), controller);
}

/* A figure in a cell as the footer writes it: digits grouped as the
 * user's locale groups them, money with ¥ (years are no figures). */
static char *
td_record_page_format_cell (const TdField *field,
                            const char    *stored,
                            char          *display)
{
  char *end = NULL;
  double value;
  g_autofree char *amount = NULL;

  if ((field->type != TD_FIELD_NUMBER && field->type != TD_FIELD_INTEGER) ||
      stored == NULL || stored[0] == '\0' || field->min >= 1900)
    return display;
  value = g_ascii_strtod (stored, &end);
  if (end == stored || *end != '\0')
    return display;
  amount = td_record_page_format_amount (value);
  g_free (display);
  if (g_strcmp0 (field->unit, "yuan") == 0)
    return g_strdup_printf ("¥%s", amount);
  return g_steal_pointer (&amount);
}

/* Rows: each one widget drawing the texts of its record's columns. */

static void
td_record_page_show_row (TdRecordPage *self,
                         GtkListItem  *item)
{
  TdRecord *record = td_row_get_record (gtk_list_item_get_item (item));
  GListModel *view_columns = gtk_column_view_get_columns (self->column_view);
  guint n = self->row_columns.n_columns;
  char **texts = g_new0 (char *, n + 1);
  g_autoptr(GString) label = g_string_new (NULL);

  for (guint c = 0; c < n; c++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (view_columns, c);
      int field = self->row_fields[c];

      if (field < 0)
        texts[c] = td_record_page_hours_text (self, record);
      else
        texts[c] = td_record_page_format_cell (&self->kind->fields[field], td_record_get (record, field),
                                               td_record_list_display (self->list, record, field));
      /* A screen reader reads the columns shown, each with its title. */
      if (texts[c][0] != '\0' && gtk_column_view_column_get_visible (column))
        {
          if (label->len > 0)
            /* Translators: between two columns of a row as a screen reader reads it */
            g_string_append (label, C_("columns of a row", ", "));
          /* Translators: a column of a row as a screen reader reads it: its title and text */
          g_string_append_printf (label, _("%s: %s"), gtk_column_view_column_get_title (column), texts[c]);
        }
    }
  td_record_row_set_texts (TD_RECORD_ROW (gtk_list_item_get_child (item)), texts, label->str);
}

/* The row kept, another record in it (see td-row-model.c). */
static void
td_record_page_row_record_changed_cb (TdRow       *row,
                                      GParamSpec  *pspec,
                                      GtkListItem *item)
{
  td_record_page_show_row (g_object_get_data (G_OBJECT (item), "td-page"), item);
}

static void
td_record_page_setup_row_cb (GtkSignalListItemFactory *factory,
                             GtkListItem              *item,
                             TdRecordPage             *self)
{
  gtk_list_item_set_child (item, td_record_row_new (&self->row_columns));
  g_object_set_data (G_OBJECT (item), "td-page", self);
}

static void
td_record_page_bind_row_cb (GtkSignalListItemFactory *factory,
                            GtkListItem              *item,
                            TdRecordPage             *self)
{
  td_record_page_show_row (self, item);
  g_signal_connect (gtk_list_item_get_item (item), "notify::record", G_CALLBACK (td_record_page_row_record_changed_cb), item);
  g_hash_table_add (self->bound_items, item);
}

static void
td_record_page_unbind_row_cb (GtkSignalListItemFactory *factory,
                              GtkListItem              *item,
                              TdRecordPage             *self)
{
  g_hash_table_remove (self->bound_items, item);
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (item), td_record_page_row_record_changed_cb, item);
}

/* What the rows show changed (the trainers' hours, the columns' titles). */
void
td_record_page_show_rows_again (TdRecordPage *self)
{
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, self->bound_items);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    td_record_page_show_row (self, item);
}

/* Sort keys, made once per record and sort (GtkSortKeys), not per
 * comparison: the closures return what the cell shows, or its number. */
static void
td_record_page_display_marshal (GClosure     *closure,
                                GValue       *return_value,
                                guint         n_param_values,
                                const GValue *param_values,
                                gpointer      invocation_hint,
                                gpointer      marshal_data)
{
  TdRecordPageColumn *column = closure->data;
  TdRecord *record = g_value_get_object (&param_values[0]);

  g_value_take_string (return_value, td_record_list_display (column->page->list, record, column->field));
}

static void
td_record_page_number_marshal (GClosure     *closure,
                               GValue       *return_value,
                               guint         n_param_values,
                               const GValue *param_values,
                               gpointer      invocation_hint,
                               gpointer      marshal_data)
{
  TdRecordPageColumn *column = closure->data;
  TdRecord *record = g_value_get_object (&param_values[0]);
  const char *stored = td_record_get (record, column->field);

  /* Empty before zero. */
  g_value_set_double (return_value, stored[0] ? td_record_get_number (record, column->field) : -G_MAXDOUBLE);
}

static void
td_record_page_unused_callback (void)
{
}

static GtkSorter *
td_record_page_create_sorter (TdRecordPageColumn *column)
{
  const TdField *field = &column->page->kind->fields[column->field];
  GtkExpression *expression;

  if (td_record_page_is_numeric (field))
    {
      expression = gtk_cclosure_expression_new (G_TYPE_DOUBLE, td_record_page_number_marshal, 0, NULL,
                                                G_CALLBACK (td_record_page_unused_callback), column, NULL);
      return GTK_SORTER (gtk_numeric_sorter_new (expression));
    }
  expression = gtk_cclosure_expression_new (G_TYPE_STRING, td_record_page_display_marshal, 0, NULL,
                                            G_CALLBACK (td_record_page_unused_callback), column, NULL);
  return GTK_SORTER (gtk_string_sorter_new (expression));
}

/* A column as wide as its texts are, in average characters (as a
 * GtkInscription measures), or as its title, with a cell's padding: as
 * the column view made it when its cells were widgets. */
void
td_record_page_set_column_width (TdRecordPage        *self,
                                 GtkColumnViewColumn *view_column,
                                 guint                chars)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self->list_view));
  PangoFontMetrics *metrics = pango_context_get_metrics (context, NULL, NULL);
  int char_width = MAX (pango_font_metrics_get_approximate_char_width (metrics),
                        pango_font_metrics_get_approximate_digit_width (metrics));
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->list_view),
                                                        gtk_column_view_column_get_title (view_column));
  PangoAttrList *bold = pango_attr_list_new ();
  int title_width;

  /* Titles are bold. */
  pango_attr_list_insert (bold, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (layout, bold);
  pango_attr_list_unref (bold);
  pango_layout_get_pixel_size (layout, &title_width, NULL);
  g_object_unref (layout);
  pango_font_metrics_unref (metrics);
  gtk_column_view_column_set_fixed_width (view_column, MAX ((int)(chars * char_width / PANGO_SCALE), title_width) + 24);
}

static void
td_record_page_add_columns (TdRecordPage *self)
{
  guint n = 0;

  self->columns = g_new0 (TdRecordPageColumn, self->kind->n_fields);

  for (guint i = 0; i < self->kind->n_fields; i++)
    {
      const TdField *field = &self->kind->fields[i];
      TdRecordPageColumn *column = &self->columns[i];
      g_autoptr(GtkColumnViewColumn) view_column = NULL;
      g_autoptr(GtkSorter) sorter = NULL;
      g_autofree char *title = NULL;

      column->page = self;
      column->field = i;
      if (!(field->flags & TD_FIELD_LISTED) || n + 2 > TD_RECORD_ROW_MAX_COLUMNS)
        continue;

      if (field->unit != NULL)
        /* Translators: a column and its unit, e.g. "Unit value (yuan)" */
        title = g_strdup_printf (_("%s (%s)"), g_dgettext (GETTEXT_PACKAGE, field->label),
                                 g_dgettext (GETTEXT_PACKAGE, field->unit));
      else
        title = g_strdup (g_dgettext (GETTEXT_PACKAGE, field->label));

      /* No cells: the rows draw the texts (td_record_page_show_row()). */
      view_column = gtk_column_view_column_new (title, NULL);
      td_record_page_set_column_width (self, view_column, td_record_page_column_chars (field));
      self->row_columns.numeric[n] = td_record_page_is_numeric (field);
      self->row_fields[n++] = i;
      sorter = td_record_page_create_sorter (column);
      gtk_column_view_column_set_sorter (view_column, sorter);
      gtk_column_view_column_set_resizable (view_column, TRUE);
      /* What names a record takes the room left. */
      if (g_strcmp0 (field->column, self->kind->name_column) == 0 && !td_record_page_is_numeric (field))
        gtk_column_view_column_set_expand (view_column, TRUE);
      gtk_column_view_append_column (self->column_view, view_column);
      /* The hours after the short columns, where they are seen. */
      if (g_strcmp0 (field->column, self->kind->hours_after) == 0)
        {
          td_record_page_add_hours_column (self);
          td_record_page_set_column_width (self, self->hours_column, 8);
          self->row_columns.numeric[n] = TRUE;
          self->row_fields[n++] = -1;
        }
    }
  self->row_columns.n_columns = n;
}

/* What the page says: the kind's (td-record-kind.c). */
static void
td_record_page_show_kind_texts (TdRecordPage *self)
{
  const TdRecordKind *kind = self->kind;
  const char *search = g_dgettext (GETTEXT_PACKAGE, kind->search_placeholder);
  const char *add = g_dgettext (GETTEXT_PACKAGE, kind->add_tooltip);

  g_object_set (self->search_entry, "placeholder-text", search, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, search, -1);
  gtk_widget_set_tooltip_text (self->add_button, add);
  /* An icon button: without a label, a screen reader says "image". */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->add_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, add, -1);
  gtk_button_set_label (GTK_BUTTON (self->empty_add_button), g_dgettext (GETTEXT_PACKAGE, kind->add_label));
  adw_status_page_set_icon_name (self->empty_status, kind->icon_name);
  adw_status_page_set_title (self->empty_status, g_dgettext (GETTEXT_PACKAGE, kind->empty_title));
  adw_status_page_set_description (self->empty_status, g_dgettext (GETTEXT_PACKAGE, kind->empty_description));
}

static void
td_record_page_constructed (GObject *object)
{
  TdRecordPage *self = TD_RECORD_PAGE (object);
  GtkSorter *sorter;

  G_OBJECT_CLASS (td_record_page_parent_class)->constructed (object);

  g_return_if_fail (TD_IS_SESSION (self->session));

  self->kind = td_record_kind_lookup (self->kind_id);
  self->list = g_object_ref (td_session_get_records (self->session, self->kind_id, NULL));
  g_return_if_fail (TD_IS_RECORD_LIST (self->list));
  self->store_signals = g_signal_group_new (TD_TYPE_STORE);
  self->session_bindings = g_binding_group_new ();
  g_binding_group_bind (self->session_bindings, "store", self->store_signals, "target", G_BINDING_SYNC_CREATE);

  /* First, before the sort model connects: see td_record_page_list_items_changed_cb(). */
  g_signal_connect_object (self->list, "items-changed", G_CALLBACK (td_record_page_list_items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  /* A search left by another page of the same list does not hold here. */
  td_record_list_set_query (self->list, NULL);

  td_record_page_add_columns (self);
  {
    PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->list_view), "Ag中文");

    self->row_columns.text_height = td_record_page_cell_height (self);
    self->row_columns.text_baseline = pango_layout_get_baseline (layout) / PANGO_SCALE;
    g_object_unref (layout);
  }
  sorter = gtk_column_view_get_sorter (self->column_view);
  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->list)), g_object_ref (sorter));
  self->shown = td_search_model_new (G_LIST_MODEL (self->sorted), self->list);
  self->rows = td_row_model_new (G_LIST_MODEL (self->shown));
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->rows)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->shown, "items-changed", G_CALLBACK (td_record_page_shown_items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "selection-changed", G_CALLBACK (td_record_page_selection_changed_cb), self,
                           G_CONNECT_SWAPPED);

  /* Delete, in the list, deletes the selected rows. It has to be caught
   * before the search entry's key capture, which would otherwise take the
   * key to the entry (as it does letters) and delete a character there:
   * the Delete key did nothing in the list (issue 13). */
  td_record_page_add_list_shortcuts (self);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->list_view));
  td_record_page_show_kind_texts (self);

  td_record_page_update_state (self);
  td_record_page_footer_init (self);
  td_record_page_actions_update (self);

  /* The first keystroke finds the search text made. */
  td_record_list_keep_search_ready (self->list);

  if (self->hours_column != NULL)
    g_signal_group_connect_object (self->store_signals, "changed", G_CALLBACK (td_record_page_read_hours), self,
                                   G_CONNECT_SWAPPED);
  g_binding_group_set_source (self->session_bindings, self->session);
  if (self->hours_column != NULL)
    td_record_page_read_hours (self);

  /* The yearly figures as charts above the list (the results'). */
  if (self->kind->charts)
    td_record_page_set_header (self, td_results_charts_new_for_session (self->session));
}

static void
td_record_page_dispose (GObject *object)
{
  TdRecordPage *self = TD_RECORD_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->editor != NULL)
    gtk_window_destroy (GTK_WINDOW (self->editor));
  g_clear_weak_pointer (&self->editor);
  if (self->import_dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->import_dialog, self);
      gtk_window_destroy (GTK_WINDOW (self->import_dialog));
    }
  g_clear_weak_pointer (&self->import_dialog);
  g_clear_weak_pointer (&self->undo_toast);
  g_clear_handle_id (&self->footer_id, g_source_remove);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_RECORD_PAGE);
  self->column_view = NULL;
  g_clear_object (&self->selection);
  g_clear_object (&self->rows);
  g_clear_object (&self->shown);
  g_clear_object (&self->sorted);
  g_clear_object (&self->hours_column);
  g_clear_object (&self->hours_sorter);
  g_clear_object (&self->session_bindings);
  g_clear_object (&self->store_signals);

  G_OBJECT_CLASS (td_record_page_parent_class)->dispose (object);
}

static void
td_record_page_finalize (GObject *object)
{
  TdRecordPage *self = TD_RECORD_PAGE (object);

  g_clear_pointer (&self->deletion, td_deletion_free);
  g_clear_object (&self->import);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->columns, g_free);
  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->footer_text, g_free);
  g_clear_pointer (&self->export_path, g_free);
  g_clear_pointer (&self->hours, g_hash_table_unref);
  g_clear_pointer (&self->bound_items, g_hash_table_unref);
  g_clear_object (&self->list);
  g_clear_object (&self->session);
  g_clear_pointer (&self->kind_id, g_free);

  G_OBJECT_CLASS (td_record_page_parent_class)->finalize (object);
}

static void
td_record_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TdRecordPage *self = TD_RECORD_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_KIND_ID:
      g_value_set_string (value, self->kind_id);
      break;
    case PROP_LIST:
      g_value_set_object (value, self->list);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
td_record_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TdRecordPage *self = TD_RECORD_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_KIND_ID:
      self->kind_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
td_record_page_class_init (TdRecordPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = td_record_page_constructed;
  object_class->dispose = td_record_page_dispose;
  object_class->finalize = td_record_page_finalize;
  object_class->get_property = td_record_page_get_property;
  object_class->set_property = td_record_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TD_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND_ID] =
    g_param_spec_string ("kind-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The session's list of the kind. */
  properties[PROP_LIST] =
    g_param_spec_object ("list", NULL, NULL,
                         TD_TYPE_RECORD_LIST,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/td-record-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, toolbar);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, delete_button);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, menu_button);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, header_scrolled);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, list_scrolled);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, empty_add_button);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, no_results_status);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, footer_separator);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, footer);
  gtk_widget_class_bind_template_callback (widget_class, td_record_page_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, td_record_page_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, td_record_page_list_view_activate_cb);

  gtk_widget_class_install_action (widget_class, "records.add", NULL, td_record_page_add_action);
  gtk_widget_class_install_action (widget_class, "records.edit", NULL, td_record_page_edit_action);
  gtk_widget_class_install_action (widget_class, "records.delete", NULL, td_record_page_delete_action);
  gtk_widget_class_install_action (widget_class, "records.undo", NULL, td_record_page_undo_action);
  gtk_widget_class_install_action (widget_class, "records.search-focus", NULL, td_record_page_search_focus_action);
  gtk_widget_class_install_action (widget_class, "records.import", NULL, td_record_page_import_action);
  gtk_widget_class_install_action (widget_class, "records.export", NULL, td_record_page_export_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "records.add", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "records.search-focus", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "records.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "records.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "records.undo", NULL);
}

/* Ctrl+N, Ctrl+F and Ctrl+Z also work while the focus is outside the page
 * (in the sidebar, say): the window runs these for the page it shows, as
 * GTK runs a global controller's shortcuts only while its widget is
 * mapped. Delete stays local: it must not delete from the sidebar. */
static void
td_record_page_add_window_shortcuts (TdRecordPage *self)
{
  static const struct {
    guint            key;
    const char      *action;
  } shortcuts[] = {
    { GDK_KEY_n, "records.add" },
    { GDK_KEY_f, "records.search-focus" },
    { GDK_KEY_z, "records.undo" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller), GTK_SHORTCUT_SCOPE_GLOBAL);
  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (shortcuts[i].key, GDK_CONTROL_MASK),
                                                            gtk_named_action_new (shortcuts[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
td_record_page_init (TdRecordPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) no_rows = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The header: a column view without rows (td-record-row.c); its titles
   * are not in the focus chain, as a column view's are not in GTK 4.8. */
  self->column_view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  no_rows = gtk_no_selection_new (G_LIST_MODEL (g_list_store_new (TD_TYPE_ROW)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (no_rows));
  gtk_column_view_set_reorderable (self->column_view, FALSE);
  gtk_widget_set_can_focus (GTK_WIDGET (self->column_view), FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->column_view), "data-table");
  gtk_widget_add_css_class (GTK_WIDGET (self->column_view), "record-list");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->header_scrolled),
                                 td_record_header_new (self->column_view, &self->row_columns));
  /* The titles scroll sideways with the rows. */
  gtk_scrolled_window_set_hadjustment (GTK_SCROLLED_WINDOW (self->header_scrolled),
                                       gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (self->list_scrolled)));
  self->row_columns.list = GTK_WIDGET (self->list_view);
  self->bound_items = g_hash_table_new (NULL, NULL);
  g_signal_connect (factory, "setup", G_CALLBACK (td_record_page_setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (td_record_page_bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (td_record_page_unbind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);

  td_record_page_add_window_shortcuts (self);
  self->cancellable = g_cancellable_new ();
}

GtkEditable *
td_record_page_get_search_entry (TdRecordPage *self)
{
  g_return_val_if_fail (TD_IS_RECORD_PAGE (self), NULL);

  return GTK_EDITABLE (self->search_entry);
}

/* What the list shows: sorted, filtered by the search. */
GListModel *
td_record_page_get_shown (TdRecordPage *self)
{
  g_return_val_if_fail (TD_IS_RECORD_PAGE (self), NULL);

  return G_LIST_MODEL (self->shown);
}

GtkSelectionModel *
td_record_page_get_selection (TdRecordPage *self)
{
  g_return_val_if_fail (TD_IS_RECORD_PAGE (self), NULL);

  return GTK_SELECTION_MODEL (self->selection);
}

/* The header: a column view without rows, its columns the list's. */
GtkColumnView *
td_record_page_get_column_view (TdRecordPage *self)
{
  g_return_val_if_fail (TD_IS_RECORD_PAGE (self), NULL);

  return self->column_view;
}

/* The rows (TdRecordRows). */
GtkListView *
td_record_page_get_list_view (TdRecordPage *self)
{
  g_return_val_if_fail (TD_IS_RECORD_PAGE (self), NULL);

  return self->list_view;
}

TdRecordEditor *
td_record_page_get_editor (TdRecordPage *self)
{
  g_return_val_if_fail (TD_IS_RECORD_PAGE (self), NULL);

  return self->editor;
}

const char *
td_record_page_get_footer (TdRecordPage *self)
{
  g_return_val_if_fail (TD_IS_RECORD_PAGE (self), NULL);

  return self->footer_text;
}

/* "list", "empty" or "no-results". */
const char *
td_record_page_get_state (TdRecordPage *self)
{
  g_return_val_if_fail (TD_IS_RECORD_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->content_stack);
}

/* Trainers: the training hours column, NULL for other kinds. */
GtkColumnViewColumn *
td_record_page_get_hours_column (TdRecordPage *self)
{
  g_return_val_if_fail (TD_IS_RECORD_PAGE (self), NULL);

  return self->hours_column;
}

/* What the training hours column shows for @record. */
char *
td_record_page_dup_hours_text (TdRecordPage *self,
                               TdRecord     *record)
{
  g_return_val_if_fail (TD_IS_RECORD_PAGE (self), NULL);

  return td_record_page_hours_text (self, record);
}

/* What the cell of @field shows for @record. */
char *
td_record_page_dup_cell_text (TdRecordPage *self,
                              TdRecord     *record,
                              guint         field)
{
  g_return_val_if_fail (TD_IS_RECORD_PAGE (self), NULL);
  g_return_val_if_fail (field < self->kind->n_fields, NULL);

  return td_record_page_format_cell (&self->kind->fields[field], td_record_get (record, field),
                                     td_record_list_display (self->list, record, field));
}

/* Showing only the records behind a figure.
 *
 * The Intent Form page's basis list (依据) opens the records one figure
 * counts (docs/figures.md): the list is narrowed to their UUIDs on top of
 * any search (td_record_list_set_only()), and a bar above the list says so
 * and offers them all back. Kept in this block so that the rest of the
 * page need not know. */

static void
td_record_page_show_all_cb (TdRecordPage *self)
{
  g_assert (TD_IS_RECORD_PAGE (self));

  td_record_page_show_only (self, NULL, NULL);
}

static void
td_record_page_ensure_only_bar (TdRecordPage *self)
{
  GtkWidget *button;

  if (self->only_bar != NULL)
    return;
  self->only_bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  self->only_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->only_label, TRUE);
  gtk_label_set_xalign (self->only_label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->only_label), TRUE);
  button = gtk_button_new_with_mnemonic (_("Show _All"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Show every record again"));
  g_signal_connect_object (button, "clicked", G_CALLBACK (td_record_page_show_all_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (self->only_bar), GTK_WIDGET (self->only_label));
  gtk_box_append (GTK_BOX (self->only_bar), button);
  gtk_widget_add_css_class (self->only_bar, "toolbar");
  gtk_widget_add_css_class (self->only_bar, "record-only-bar");
  gtk_widget_set_margin_start (self->only_bar, 6);
  gtk_widget_set_margin_end (self->only_bar, 6);
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (self->toolbar)), self->only_bar, self->toolbar);
}

/**
 * td_record_page_show_only:
 * @uuids: (nullable) (element-type utf8): the records to show; %NULL shows
 *   them all again
 * @label: (nullable): what they are, as the bar names them ("Equipment
 *   units")
 *
 * Narrows the list to @uuids, with a bar that says how many and why, and
 * a button that shows all the records again.
 */
void
td_record_page_show_only (TdRecordPage *self,
                          GPtrArray    *uuids,
                          const char   *label)
{
  g_return_if_fail (TD_IS_RECORD_PAGE (self));

  td_record_page_ensure_only_bar (self);
  td_record_list_set_only (self->list, uuids);
  if (uuids != NULL)
    {
      g_autofree char *text = NULL;

      /* Translators: %d records, %s the figure they are counted in */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Showing the %d record behind “%s”.",
                                           "Showing the %d records behind “%s”.", uuids->len),
                              (int)uuids->len, label ? label : "");
      gtk_label_set_text (self->only_label, text);
    }
  gtk_widget_set_visible (self->only_bar, uuids != NULL);
  td_search_model_refilter (self->shown, GTK_FILTER_CHANGE_DIFFERENT);
  td_record_page_update_state (self);
  td_record_page_scroll_to (self, 0);
}

/* Whether the list is narrowed by td_record_page_show_only(). */
gboolean
td_record_page_is_showing_only (TdRecordPage *self)
{
  g_return_val_if_fail (TD_IS_RECORD_PAGE (self), FALSE);

  return td_record_list_get_only_count (self->list) >= 0;
}

