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
 * (td-row-model.c). Cells are GtkInscriptions, the cheapest text widget,
 * made by one factory per column; the footer's figures are counted once
 * per change, before the next frame. So 100,000 records list about as fast
 * as a hundred.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-record-page"

#include "config.h"

#include <glib/gi18n.h>

#include "td-chart.h"
#include "td-export.h"
#include "td-import.h"
#include "td-import-dialog.h"
#include "td-record-editor.h"
#include "td-figures.h"
#include "td-record-page-private.h"
#include "td-row-model.h"
#include "td-search-model.h"

/* What the page says, per kind. */
static const struct {
  const char *kind;
  const char *icon_name;
  const char *empty_title;
  const char *empty_description;
  const char *add_label;
  const char *add_tooltip;
  const char *search_placeholder;
} texts[] = {
  { "programmes", "view-list-bullet-symbolic",
    N_("No Programmes Yet"),
    N_("Add the training programmes the school offers with Ctrl+N, or import a spreadsheet. Yearly results refer to them."),
    N_("_Add a Programme"), N_("Add a Programme (Ctrl+N)"), N_("Search programmes") },
  { "trainers", "system-users-symbolic",
    N_("No Trainers Yet"),
    N_("Add one with Ctrl+N or import a spreadsheet."),
    N_("_Add a Trainer"), N_("Add a Trainer (Ctrl+N)"), N_("Search trainers") },
  { "equipment", "applications-engineering-symbolic",
    N_("No Equipment Yet"),
    N_("Add an item with Ctrl+N or import a spreadsheet. Add the venues first to say where each item stands."),
    N_("_Add an Item"), N_("Add an Equipment Item (Ctrl+N)"), N_("Search equipment") },
  { "venues", "mark-location-symbolic",
    N_("No Venues Yet"),
    N_("Add the classrooms, training bases, workshops and online platforms with Ctrl+N, or import a spreadsheet."),
    N_("_Add a Venue"), N_("Add a Venue (Ctrl+N)"), N_("Search venues") },
  { "guarantees", "security-high-symbolic",
    N_("No Guarantees Yet"),
    N_("Add the rules and arrangements that guarantee training quality with Ctrl+N, or import a spreadsheet."),
    N_("_Add a Guarantee"), N_("Add a Guarantee (Ctrl+N)"), N_("Search guarantees") },
  { "results", "x-office-spreadsheet-symbolic",
    N_("No Results Yet"),
    N_("A result is one year of one programme: add the programmes and trainers first, then the results with Ctrl+N, or import a spreadsheet."),
    N_("_Add a Result"), N_("Add a Result (Ctrl+N)"), N_("Search results") },
};

typedef struct
{
  TdRecordPage *page;
  guint         field;
} Column;

struct _TdRecordPage
{
  AdwBin              parent_instance;

  TdRecordList       *list;
  const TdRecordKind *kind;
  gboolean            exporting;
  char               *export_path;
  guint               text;        /* index in texts[] */
  GtkSortListModel   *sorted;
  TdSearchModel      *shown;
  TdRowModel         *rows;
  GtkMultiSelection  *selection;
  Column             *columns;
  char               *query;       /* NULL: no search */
  TdDeletion         *deletion;    /* the last one, for Undo */
  AdwToast           *undo_toast;  /* weak */
  TdRecordEditor     *editor;      /* weak */
  GtkFileChooserNative *chooser;
  TdImport           *import;      /* being previewed or committed */
  TdImportDialog     *import_dialog; /* weak */
  gboolean            committing;
  GCancellable       *cancellable;
  char               *footer_text;
  guint               footer_id;
  double              footer_ratio; /* Results: the full-time-student basis the footer states */
  int                 cell_height;

  /* Trainers: each one's training hours in the latest year with results,
   * which the notice counts in performance reviews; read on a worker
   * thread after each change of the store. */
  GtkColumnViewColumn *hours_column;
  GtkSorter          *hours_sorter;
  GHashTable         *hours;        /* gint64* trainer id -> double* hours */
  GHashTable         *hours_cells;  /* GtkListItem*, bound */
  int                 hours_year;   /* 0: no results yet */
  gboolean            hours_reading;
  gboolean            hours_again;  /* the store changed while they were read */

  GtkWidget          *toolbar;
  GtkSearchEntry     *search_entry;
  GtkWidget          *add_button;
  GtkWidget          *delete_button;
  GtkWidget          *menu_button;
  AdwToastOverlay    *toast_overlay;
  GtkStack           *content_stack;
  GtkColumnView      *column_view;
  AdwStatusPage      *empty_status;
  GtkWidget          *empty_add_button;
  AdwStatusPage      *no_results_status;
  GtkWidget          *footer_separator;
  GtkLabel           *footer;

  /* td_record_page_show_only(): the bar saying the list is narrowed. */
  GtkWidget          *only_bar;
  GtkLabel           *only_label;
};

G_DEFINE_FINAL_TYPE (TdRecordPage, td_record_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_LIST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
td_record_page_new (TdRecordList *list)
{
  return g_object_new (TD_TYPE_RECORD_PAGE, "list", list, NULL);
}

/**
 * td_record_page_new_for_kind:
 *
 * Returns: the page of the records of @kind_id in @store; if they cannot
 *   be read, a status page that says why.
 */
GtkWidget *
td_record_page_new_for_kind (TdStore    *store,
                             const char *kind_id)
{
  g_autoptr(GError) error = NULL;
  TdRecordList *list = td_record_list_get (store, kind_id, &error);
  GtkWidget *status;

  if (list != NULL)
    return td_record_page_new (list);

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
  GtkWidget *old;

  g_return_if_fail (TD_IS_RECORD_PAGE (self));

  box = gtk_widget_get_parent (self->toolbar);
  old = gtk_widget_get_next_sibling (self->toolbar);
  if (old != NULL && g_object_get_data (G_OBJECT (old), "td-record-page-header") != NULL)
    gtk_box_remove (GTK_BOX (box), old);
  if (header == NULL)
    return;
  g_object_set_data (G_OBJECT (header), "td-record-page-header", GINT_TO_POINTER (TRUE));
  gtk_box_insert_child_after (GTK_BOX (box), header, self->toolbar);
}

static gboolean
is_numeric (const TdField *field)
{
  return field->type == TD_FIELD_INTEGER || field->type == TD_FIELD_NUMBER;
}

/* "12 trainers": the count, its number already formatted. */
static char *
count_text (const char *kind,
            guint       n,
            const char *number)
{
  if (g_str_equal (kind, "programmes"))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s programme", "%s programmes", n), number);
  if (g_str_equal (kind, "trainers"))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s trainer", "%s trainers", n), number);
  if (g_str_equal (kind, "equipment"))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s item", "%s items", n), number);
  if (g_str_equal (kind, "venues"))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s venue", "%s venues", n), number);
  if (g_str_equal (kind, "guarantees"))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s guarantee", "%s guarantees", n), number);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s result", "%s results", n), number);
}

static char *
deleted_text (const char *kind,
              guint       n)
{
  /* A thousand rows at once: grouped as the footer groups them. */
  g_autofree char *number = td_format_count (n);

  if (g_str_equal (kind, "programmes"))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Deleted %s programme", "Deleted %s programmes", n), number);
  if (g_str_equal (kind, "trainers"))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Deleted %s trainer", "Deleted %s trainers", n), number);
  if (g_str_equal (kind, "equipment"))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Deleted %s equipment item", "Deleted %s equipment items", n), number);
  if (g_str_equal (kind, "venues"))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Deleted %s venue", "Deleted %s venues", n), number);
  if (g_str_equal (kind, "guarantees"))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Deleted %s guarantee", "Deleted %s guarantees", n), number);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Deleted %s result", "Deleted %s results", n), number);
}

/* A figure as the user's locale groups digits, and with "," where the
 * locale groups nothing (C): "834248" is hard to read in any language.
 * Two decimals at most. */
static char *
format_amount (double value)
{
  return td_format_decimal (value, value == (double)(gint64)value ? 0 : 2);
}

/* The n that picks a plural form for a sum. */
static gulong
plural (double value)
{
  return value >= 0 && value < (double) G_MAXULONG ? (gulong)value : G_MAXULONG;
}

static int
field_index (TdRecordPage *self,
             const char   *column)
{
  return td_record_kind_field_index (self->kind, column);
}

/* The footer: counts and sums of what the list shows, for the kind. */
static char *
footer_text (TdRecordPage *self)
{
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->shown));
  const char *kind = self->kind->id;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *sums = g_new0 (double, self->kind->n_fields);
  guint by_choice[8] = { 0 };
  double product = 0;
  int kind_field = -1, dual = -1, a = -1, b = -1;

  if (g_str_equal (kind, "trainers"))
    {
      kind_field = field_index (self, "kind");
      dual = field_index (self, "dual_qualified");
    }
  else if (g_str_equal (kind, "equipment"))
    {
      a = field_index (self, "quantity");
      b = field_index (self, "unit_value");
    }
  else if (g_str_equal (kind, "results"))
    {
      a = field_index (self, "participants");
      b = field_index (self, "hours_per_participant");
    }

  /* Everything shown: the list's own totals, kept as it changes (a pass
   * over 100,000 records takes 20 ms, too long between two frames). */
  if (n == total)
    {
      for (guint f = 0; f < self->kind->n_fields; f++)
        if (self->kind->fields[f].flags & TD_FIELD_SUMMED)
          sums[f] = td_record_list_get_sum (self->list, f);
      if (kind_field >= 0)
        {
          guint c = 0;

          for (const TdChoice *choice = self->kind->fields[kind_field].choices; choice->id && c < 7; choice++, c++)
            by_choice[c] = td_record_list_count_choice (self->list, kind_field, choice->id);
          by_choice[7] = (guint)td_record_list_get_sum (self->list, dual);
        }
      if (a >= 0 && b >= 0)
        product = td_record_list_get_sum_product (self->list, a, b);
      n = 0;
    }

  /* Otherwise one pass over the records shown. */
  for (guint i = 0; i < n; i++)
    {
      TdRecord *record = td_search_model_peek (self->shown, i);

      for (guint f = 0; f < self->kind->n_fields; f++)
        if (self->kind->fields[f].flags & TD_FIELD_SUMMED)
          sums[f] += td_record_get_number (record, f);
      if (kind_field >= 0)
        {
          const char *id = td_record_get (record, kind_field);
          guint c = 0;

          for (const TdChoice *choice = self->kind->fields[kind_field].choices; choice->id && c < 7; choice++, c++)
            if (g_str_equal (choice->id, id))
              break;
          by_choice[c]++;
          if (g_str_equal (td_record_get (record, dual), "1"))
            by_choice[7]++;
        }
      if (a >= 0 && b >= 0)
        product += td_record_get_number (record, a) * td_record_get_number (record, b);
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->shown));
  {
    g_autofree char *number = format_amount (n);
    g_autofree char *count = count_text (kind, n, number);

    if (self->query != NULL && n != total)
      {
        g_autofree char *all = format_amount (total);

        /* Translators: "12 trainers (of 1,234)": how many there are without the search */
        g_ptr_array_add (parts, g_strdup_printf (_("%s (of %s)"), count, all));
      }
    else
      g_ptr_array_add (parts, g_steal_pointer (&count));
  }

  if (kind_field >= 0)
    {
      g_autofree char *full = format_amount (by_choice[0]);
      g_autofree char *part = format_amount (by_choice[1]);
      g_autofree char *experts = format_amount (by_choice[2]);
      g_autofree char *dual_text = format_amount (by_choice[7]);

      g_ptr_array_add (parts, g_strdup_printf (_("%s full-time"), full));
      g_ptr_array_add (parts, g_strdup_printf (_("%s part-time"), part));
      g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s enterprise expert",
                                                            "%s enterprise experts", by_choice[2]),
                                               experts));
      g_ptr_array_add (parts, g_strdup_printf (_("%s dual-qualified"), dual_text));
    }
  else if (g_str_equal (kind, "equipment"))
    {
      g_autofree char *quantity = format_amount (sums[a]);
      g_autofree char *value = format_amount (product);

      g_ptr_array_add (parts, g_strdup_printf (_("total quantity %s"), quantity));
      g_ptr_array_add (parts, g_strdup_printf (_("total value ¥%s"), value));
    }
  else if (g_str_equal (kind, "venues"))
    {
      g_autofree char *area = format_amount (sums[field_index (self, "area")]);
      g_autofree char *capacity = format_amount (sums[field_index (self, "capacity")]);

      g_ptr_array_add (parts, g_strdup_printf (_("total area %s m²"), area));
      g_ptr_array_add (parts, g_strdup_printf (_("capacity %s"), capacity));
    }
  else if (g_str_equal (kind, "results"))
    {
      g_autofree char *participants = format_amount (sums[a]);
      g_autofree char *certificates = format_amount (sums[field_index (self, "certificates")]);
      g_autofree char *employed = format_amount (sums[field_index (self, "employed")]);
      g_autofree char *hours = format_amount (product);

      g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s participant", "%s participants",
                                                            plural (sums[a])),
                                               participants));
      g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s certificate", "%s certificates",
                                                            plural (sums[field_index (self, "certificates")])),
                                               certificates));
      g_ptr_array_add (parts, g_strdup_printf (_("%s employed"), employed));
      g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s person-hour", "%s person-hours",
                                                            plural (product)),
                                               hours));
      /* The notice's conversion, at the school's own ratio (Overview),
       * which the footer names: a count of students means little
       * without what one student stands for. */
      {
        double ratio = td_figures_get_fte_hours (td_record_list_get_store (self->list));
        g_autofree char *fte = td_format_count (td_figures_fte_persons (product, ratio));
        g_autofree char *basis = td_format_decimal (ratio, ratio == (double)(gint64)ratio ? 0 : 1);

        self->footer_ratio = ratio;

        /* Translators: "61 full-time students at 1200 person-hours a student a year" */
        g_ptr_array_add (parts, g_strdup_printf (_("%s full-time students at %s person-hours a student a year"),
                                                 fte, basis));
      }
    }
  else
    for (guint f = 0; f < self->kind->n_fields; f++)
      if (self->kind->fields[f].flags & TD_FIELD_SUMMED)
        {
          g_autofree char *sum = format_amount (sums[f]);

          /* Translators: a field and its sum in the list's footer */
          g_ptr_array_add (parts, g_strdup_printf (_("%s: %s"),
                                                   g_dgettext (GETTEXT_PACKAGE, self->kind->fields[f].label),
                                                   sum));
        }

  g_ptr_array_add (parts, NULL);
  /* Translators: between the figures of the list's footer */
  return g_strjoinv (_(" · "), (char **)parts->pdata);
}

static gboolean
footer_idle_cb (gpointer user_data)
{
  TdRecordPage *self = user_data;

  self->footer_id = 0;
  g_free (self->footer_text);
  self->footer_text = footer_text (self);
  gtk_label_set_text (self->footer, self->footer_text);
  return G_SOURCE_REMOVE;
}

/* Once for all the changes of one main loop turn (deleting a thousand
 * rows is a thousand changes), and before the next frame. */
static void
update_footer (TdRecordPage *self)
{
  if (self->footer_id == 0)
    self->footer_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, footer_idle_cb, self, NULL);
}

/* Results: the ratio is set on the Overview or the Intent Form page, not
 * here; the footer states it, so it follows the store. One indexed read a
 * commit, and no count again unless the ratio changed. */
static void
td_record_page_store_changed_cb (TdRecordPage *self)
{
  g_assert (TD_IS_RECORD_PAGE (self));

  if (td_figures_get_fte_hours (td_record_list_get_store (self->list)) != self->footer_ratio)
    update_footer (self);
}

static void
update_state (TdRecordPage *self)
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
n_selected (TdRecordPage *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  return (guint)MIN (gtk_bitset_get_size (selected), G_MAXUINT);
}

static void
actions_update (TdRecordPage *self)
{
  guint selected = n_selected (self);

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
list_items_changed_cb (TdRecordPage *self,
                       guint         position,
                       guint         removed,
                       guint         added,
                       GListModel   *list)
{
  if (self->query != NULL)
    td_record_list_set_query (self->list, self->query);
}

static void
shown_items_changed_cb (TdRecordPage *self,
                        guint         position,
                        guint         removed,
                        guint         added,
                        GListModel   *shown)
{
  /* The rows now show other records: what was selected is not. */
  if (removed + added > TD_ROW_MODEL_BULK)
    gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  update_state (self);
  update_footer (self);
  actions_update (self);
}

static void
selection_changed_cb (TdRecordPage *self)
{
  actions_update (self);
}

static GtkWidget *
find_list_view (GtkColumnView *column_view)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;
  return NULL;
}

static void
scroll_to (TdRecordPage *self,
           guint         position)
{
  GtkWidget *list_view = find_list_view (self->column_view);

  /* GTK 4.8 has no gtk_column_view_scroll_to(): its list view has the action. */
  if (list_view != NULL && position < g_list_model_get_n_items (G_LIST_MODEL (self->shown)))
    gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", position);
}

static void
search_changed_cb (TdRecordPage   *self,
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
  update_state (self);
  /* A new search shows its first matches. */
  scroll_to (self, 0);
}

static void
stop_search_cb (TdRecordPage   *self,
                GtkSearchEntry *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

/* Selects @record, and scrolls to it, if the list shows it. */
static void
reveal_record (TdRecordPage *self,
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
      scroll_to (self, i);
      return;
    }
}

static void forget_deletion (TdRecordPage *self);

static void
editor_saved_cb (TdRecordPage   *self,
                 TdRecord       *record,
                 TdRecordEditor *editor)
{
  /* A new record may take the id of one deleted last (SQLite reuses the
   * highest), and undoing that deletion would then fail: it is no longer
   * offered. */
  if (td_record_editor_get_record (editor) == NULL)
    forget_deletion (self);
  reveal_record (self, record);
  actions_update (self);
}

static void
open_editor (TdRecordPage *self,
             TdRecord     *record)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  TdRecordEditor *editor;

  if (self->editor != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->editor));
      return;
    }

  editor = td_record_editor_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->list, record);
  g_signal_connect_object (editor, "saved", G_CALLBACK (editor_saved_cb), self, G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->editor, editor);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  open_editor (TD_RECORD_PAGE (widget), NULL);
}

static void
edit_position (TdRecordPage *self,
               guint         position)
{
  g_autoptr(TdRecord) record = g_list_model_get_item (G_LIST_MODEL (self->shown), position);

  if (record != NULL)
    open_editor (self, record);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TdRecordPage *self = TD_RECORD_PAGE (widget);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  if (!gtk_bitset_is_empty (selected))
    edit_position (self, gtk_bitset_get_minimum (selected));
}

static void
column_view_activate_cb (TdRecordPage  *self,
                         guint          position,
                         GtkColumnView *column_view)
{
  edit_position (self, position);
}

static void
show_error (TdRecordPage *self,
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
forget_deletion (TdRecordPage *self)
{
  g_clear_pointer (&self->deletion, td_deletion_free);
  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
  g_clear_weak_pointer (&self->undo_toast);
}

static void
delete_action (GtkWidget  *widget,
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
      show_error (self, _("Could Not Delete"), error);
      return;
    }

  forget_deletion (self);
  self->deletion = deletion;

  message = deleted_text (self->kind->id, td_deletion_get_count (deletion));
  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 10);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "records.undo");
  g_set_weak_pointer (&self->undo_toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  actions_update (self);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TdRecordPage *self = TD_RECORD_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (self->deletion == NULL)
    return;

  if (!td_record_list_undo_delete (self->list, self->deletion, &error))
    show_error (self, _("The Deletion Could Not Be Undone"), error);
  forget_deletion (self);
  actions_update (self);
}

static void
search_focus_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TdRecordPage *self = TD_RECORD_PAGE (widget);

  if (gtk_widget_get_sensitive (GTK_WIDGET (self->search_entry)))
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Import and export: the core's (td-import.h, td-export.h), the import's
 * column mapping and preview in TdImportDialog. */

static void
add_file_filters (GtkFileChooser *chooser)
{
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) xlsx = gtk_file_filter_new ();

  gtk_file_filter_set_name (all, _("Spreadsheets (.xlsx, .csv)"));
  gtk_file_filter_add_pattern (all, "*.[xX][lL][sS][xX]");
  gtk_file_filter_add_pattern (all, "*.[cC][sS][vV]");
  gtk_file_filter_set_name (xlsx, _("Excel workbooks (.xlsx)"));
  gtk_file_filter_add_pattern (xlsx, "*.[xX][lL][sS][xX]");
  gtk_file_filter_set_name (csv, _("CSV files (.csv)"));
  gtk_file_filter_add_pattern (csv, "*.[cC][sS][vV]");
  gtk_file_chooser_add_filter (chooser, all);
  gtk_file_chooser_add_filter (chooser, xlsx);
  gtk_file_chooser_add_filter (chooser, csv);
}

static GtkFileChooserNative *
new_chooser (TdRecordPage         *self,
             const char           *title,
             GtkFileChooserAction  action,
             const char           *accept)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         action, accept, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  add_file_filters (GTK_FILE_CHOOSER (chooser));
  return chooser;
}

static void
toast (TdRecordPage *self,
       const char   *message)
{
  AdwToast *t = adw_toast_new (message);

  adw_toast_set_timeout (t, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static char *
path_of (GtkFileChooserNative *chooser,
         int                   response)
{
  g_autoptr(GFile) file = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return NULL;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  return file ? g_file_get_path (file) : NULL;
}

static void
export_response_cb (TdRecordPage         *self,
                    int                   response,
                    GtkFileChooserNative *chooser)
{
  g_autofree char *path = path_of (chooser, response);

  g_clear_object (&self->chooser);
  actions_update (self);
  if (path != NULL)
    td_record_page_export_to (self, path);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TdRecordPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *display = NULL;
  guint n = 0;

  self->exporting = FALSE;
  actions_update (self);
  if (!td_export_to_file_finish (TD_RECORD_LIST (object), result, &n, &error))
    {
      show_error (self, _("Could Not Export"), error);
      return;
    }
  display = g_filename_display_basename (self->export_path);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u row to “%s”",
                                          "Exported %u rows to “%s”", n),
                             n, display);
  toast (self, message);
}

/* What the list shows, as it is sorted: copied now, written to @path off
 * the main loop (a 100,000-row workbook takes a second). */
void
td_record_page_export_to (TdRecordPage *self,
                          const char   *path)
{
  g_return_if_fail (TD_IS_RECORD_PAGE (self));

  if (self->exporting)
    return;
  self->exporting = TRUE;
  g_free (self->export_path);
  self->export_path = g_strdup (path);
  actions_update (self);
  td_export_to_file_async (self->list, G_LIST_MODEL (self->shown), path, NULL,
                           export_done_cb, g_object_ref (self));
}

gboolean
td_record_page_is_exporting (TdRecordPage *self)
{
  return self->exporting;
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TdRecordPage *self = TD_RECORD_PAGE (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = g_strdup_printf ("%s-%s.xlsx", g_dgettext (GETTEXT_PACKAGE, self->kind->title), date);

  if (self->chooser != NULL)
    return;
  self->chooser = new_chooser (self, _("Export the List"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
  actions_update (self);
}

static void
import_finished (TdRecordPage *self)
{
  self->committing = FALSE;
  g_clear_object (&self->import);
  /* The dialog shows the commit's progress until it ends. */
  if (self->import_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->import_dialog));
  actions_update (self);
}

static void
commit_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TdRecordPage) self = user_data;
  TdImport *import = TD_IMPORT (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!td_import_commit_finish (import, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("Could Not Import"), error);
      import_finished (self);
      return;
    }

  {
    g_autofree char *added = td_format_count (td_import_get_count (import, TD_IMPORT_NEW));
    g_autofree char *updated = td_format_count (td_import_get_count (import, TD_IMPORT_UPDATE));

    /* Translators: after an import: new records, then records changed */
    message = g_strdup_printf (_("Imported: %s new, %s updated"), added, updated);
  }
  toast (self, message);
  import_finished (self);
}

/* Import pressed in the dialog: every row, in one transaction, off the
 * main loop; the toast says how it went. */
static void
import_commit_cb (TdRecordPage   *self,
                  TdImportDialog *dialog)
{
  if (self->import == NULL)
    return;
  self->committing = TRUE;
  td_import_commit_async (self->import, self->cancellable, commit_done_cb, g_object_ref (self));
}

static void
import_dialog_destroy_cb (TdRecordPage   *self,
                          TdImportDialog *dialog)
{
  g_clear_weak_pointer (&self->import_dialog);
  if (!self->committing)
    import_finished (self);
}

static void
import_response_cb (TdRecordPage         *self,
                    int                   response,
                    GtkFileChooserNative *chooser)
{
  g_autofree char *path = path_of (chooser, response);

  g_clear_object (&self->chooser);
  actions_update (self);
  if (path != NULL)
    td_record_page_import_from (self, path);
}

/* Reads @path and asks which column fills which field, with a preview;
 * the user commits from there. */
void
td_record_page_import_from (TdRecordPage *self,
                            const char   *path)
{
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  TdImportDialog *dialog;

  g_return_if_fail (TD_IS_RECORD_PAGE (self));

  if (self->import != NULL)
    return;
  self->import = td_import_new (self->list, path, &error);
  if (self->import == NULL)
    {
      show_error (self, _("Could Not Import"), error);
      import_finished (self);
      return;
    }
  actions_update (self);

  dialog = td_import_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->import);
  g_signal_connect_object (dialog, "commit", G_CALLBACK (import_commit_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (import_dialog_destroy_cb), self, G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->import_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

TdImportDialog *
td_record_page_get_import_dialog (TdRecordPage *self)
{
  g_return_val_if_fail (TD_IS_RECORD_PAGE (self), NULL);

  return self->import_dialog;
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TdRecordPage *self = TD_RECORD_PAGE (widget);

  if (self->chooser != NULL || self->import != NULL)
    return;
  self->chooser = new_chooser (self, _("Import a Spreadsheet"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"));
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (import_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
  actions_update (self);
}

/* Cells. */

/* In average characters: a Chinese one is two. */
static guint
text_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return width;
}

/* An inscription is as tall as a line of the interface's font; Chinese
 * names in an English interface come from a taller font and would be cut
 * off at the bottom. Rows are as tall as a line with both. */
static int
cell_height (TdRecordPage *self)
{
  if (self->cell_height == 0)
    {
      PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->column_view), "Ag中文");
      int height;

      pango_layout_get_pixel_size (layout, NULL, &height);
      g_object_unref (layout);
      self->cell_height = MAX (height, 1);
    }
  return self->cell_height;
}

/* How wide a column is, in average characters (a Chinese one is about two). */
static guint
column_chars (const TdField *field)
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
          longest = MAX (longest, text_width (g_dgettext (GETTEXT_PACKAGE, c->label)));
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


static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               Column                   *column)
{
  const TdField *field = &column->page->kind->fields[column->field];
  GtkWidget *cell = gtk_inscription_new (NULL);

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  /* An inscription measures by characters, not by its text: fast, and
   * the same for every row. */
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (cell), is_numeric (field) ? 4 : 6);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (cell), column_chars (field));
  gtk_widget_set_size_request (cell, -1, cell_height (column->page));
  if (is_numeric (field))
    {
      gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), 1);
      gtk_widget_add_css_class (cell, "numeric");
    }
  gtk_list_item_set_child (item, cell);
  g_object_set_data (G_OBJECT (item), "td-column", column);
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
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), controller);
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
  amount = format_amount (value);
  g_free (display);
  if (g_strcmp0 (field->unit, "yuan") == 0)
    return g_strdup_printf ("¥%s", amount);
  return g_steal_pointer (&amount);
}

static void
show_cell (GtkListItem *item)
{
  Column *column = g_object_get_data (G_OBJECT (item), "td-column");
  TdRecord *record = td_row_get_record (gtk_list_item_get_item (item));
  g_autofree char *text = td_record_page_format_cell (&column->page->kind->fields[column->field],
                                                      td_record_get (record, column->field),
                                                      td_record_list_display (column->page->list, record,
                                                                              column->field));

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)), text);
}

/* The row kept, another record in it (see td-row-model.c). */
static void
row_record_changed_cb (TdRow       *row,
                       GParamSpec  *pspec,
                       GtkListItem *item)
{
  show_cell (item);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              Column                   *column)
{
  show_cell (item);
  g_signal_connect (gtk_list_item_get_item (item), "notify::record", G_CALLBACK (row_record_changed_cb), item);
}

static void
unbind_cell_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                Column                   *column)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (item), row_record_changed_cb, item);
  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)), NULL);
}

/* Sort keys, made once per record and sort (GtkSortKeys), not per
 * comparison: the closures return what the cell shows, or its number. */
static void
display_marshal (GClosure     *closure,
                 GValue       *return_value,
                 guint         n_param_values,
                 const GValue *param_values,
                 gpointer      invocation_hint,
                 gpointer      marshal_data)
{
  Column *column = closure->data;
  TdRecord *record = g_value_get_object (&param_values[0]);

  g_value_take_string (return_value, td_record_list_display (column->page->list, record, column->field));
}

static void
number_marshal (GClosure     *closure,
                GValue       *return_value,
                guint         n_param_values,
                const GValue *param_values,
                gpointer      invocation_hint,
                gpointer      marshal_data)
{
  Column *column = closure->data;
  TdRecord *record = g_value_get_object (&param_values[0]);
  const char *stored = td_record_get (record, column->field);

  /* Empty before zero. */
  g_value_set_double (return_value, stored[0] ? td_record_get_number (record, column->field) : -G_MAXDOUBLE);
}

static void
unused_callback (void)
{
}

static GtkSorter *
create_sorter (Column *column)
{
  const TdField *field = &column->page->kind->fields[column->field];
  GtkExpression *expression;

  if (is_numeric (field))
    {
      expression = gtk_cclosure_expression_new (G_TYPE_DOUBLE, number_marshal, 0, NULL,
                                                G_CALLBACK (unused_callback), column, NULL);
      return GTK_SORTER (gtk_numeric_sorter_new (expression));
    }
  expression = gtk_cclosure_expression_new (G_TYPE_STRING, display_marshal, 0, NULL,
                                            G_CALLBACK (unused_callback), column, NULL);
  return GTK_SORTER (gtk_string_sorter_new (expression));
}

/* Training hours (trainers). */

typedef struct
{
  int         year;
  GHashTable *hours;   /* gint64* -> double* */
} Hours;

static void
hours_free (Hours *hours)
{
  g_clear_pointer (&hours->hours, g_hash_table_unref);
  g_free (hours);
}

static double
hours_of (TdRecordPage *self,
          TdRecord     *record)
{
  gint64 id = td_record_get_id (record);
  double *hours = self->hours ? g_hash_table_lookup (self->hours, &id) : NULL;

  return hours ? *hours : 0;
}

static char *
hours_text (TdRecordPage *self,
            TdRecord     *record)
{
  return format_amount (hours_of (self, record));
}

/* A connection of its own: the main loop never waits for the sums, and
 * the task holds neither the page nor the store (see td-overview-page.c). */
static void
read_hours_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) reader = td_store_open_reader (path, &error);
  g_autoptr(GPtrArray) list = NULL;
  Hours *hours;
  int year = 0;

  if (reader == NULL || !td_figures_latest_year (reader, &year, &error) ||
      (year > 0 && !(list = td_figures_trainer_hours (reader, year, &error))))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  hours = g_new0 (Hours, 1);
  hours->year = year;
  hours->hours = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      TdTrainerHours *h = g_ptr_array_index (list, i);

      g_hash_table_insert (hours->hours, g_memdup2 (&h->trainer_id, sizeof h->trainer_id),
                           g_memdup2 (&h->hours, sizeof h->hours));
    }
  g_task_return_pointer (task, hours, (GDestroyNotify)hours_free);
}

static void show_hours_cell (GtkListItem *item);
static void read_hours (TdRecordPage *self);

static void
apply_hours (TdRecordPage *self,
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
    show_hours_cell (item);
  gtk_sorter_changed (self->hours_sorter, GTK_SORTER_CHANGE_DIFFERENT);
}

static void
hours_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdRecordPage) self = g_weak_ref_get (user_data);
  Hours *hours = g_task_propagate_pointer (G_TASK (result), &error);

  g_weak_ref_clear (user_data);
  g_free (user_data);
  /* Gone, or going. */
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_pointer (&hours, hours_free);
      return;
    }

  self->hours_reading = FALSE;
  if (hours == NULL)
    g_warning ("Could not read the trainers' hours: %s", error->message);
  else
    {
      apply_hours (self, hours);
      hours_free (hours);
    }
  if (self->hours_again)
    read_hours (self);
}

/* Reads them anew, off the main loop; changes meanwhile make one more read. */
static void
read_hours (TdRecordPage *self)
{
  g_autoptr(GTask) task = NULL;
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
  task = g_task_new (NULL, self->cancellable, hours_read_cb, ref);
  g_task_set_source_tag (task, read_hours);
  g_task_set_task_data (task, g_strdup (td_store_get_path (td_record_list_get_store (self->list))), g_free);
  g_task_run_in_thread (task, read_hours_thread);
}

static void
show_hours_cell (GtkListItem *item)
{
  TdRecordPage *self = g_object_get_data (G_OBJECT (item), "td-page");
  TdRecord *record = td_row_get_record (gtk_list_item_get_item (item));
  g_autofree char *text = hours_text (self, record);

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)), text);
}

static void
hours_row_changed_cb (TdRow       *row,
                      GParamSpec  *pspec,
                      GtkListItem *item)
{
  show_hours_cell (item);
}

static void
setup_hours_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                TdRecordPage             *self)
{
  GtkWidget *cell = gtk_inscription_new (NULL);

  gtk_inscription_set_min_chars (GTK_INSCRIPTION (cell), 4);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (cell), 8);
  gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), 1);
  gtk_widget_add_css_class (cell, "numeric");
  gtk_widget_set_size_request (cell, -1, cell_height (self));
  gtk_list_item_set_child (item, cell);
  g_object_set_data (G_OBJECT (item), "td-page", self);
}

static void
bind_hours_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               TdRecordPage             *self)
{
  show_hours_cell (item);
  g_signal_connect (gtk_list_item_get_item (item), "notify::record", G_CALLBACK (hours_row_changed_cb), item);
  g_hash_table_add (self->hours_cells, item);
}

static void
unbind_hours_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 TdRecordPage             *self)
{
  g_hash_table_remove (self->hours_cells, item);
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (item), hours_row_changed_cb, item);
  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)), NULL);
}

static void
hours_marshal (GClosure     *closure,
               GValue       *return_value,
               guint         n_param_values,
               const GValue *param_values,
               gpointer      invocation_hint,
               gpointer      marshal_data)
{
  TdRecordPage *self = closure->data;

  g_value_set_double (return_value, hours_of (self, g_value_get_object (&param_values[0])));
}

static void unused_callback (void);

/* Hidden until the hours are read, and while there are no results. */
static void
add_hours_column (TdRecordPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkExpression *expression;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_hours_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_hours_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_hours_cb), self);
  self->hours_cells = g_hash_table_new (NULL, NULL);

  expression = gtk_cclosure_expression_new (G_TYPE_DOUBLE, hours_marshal, 0, NULL,
                                            G_CALLBACK (unused_callback), self, NULL);
  self->hours_sorter = GTK_SORTER (gtk_numeric_sorter_new (expression));
  self->hours_column = gtk_column_view_column_new (_("Training hours"), g_object_ref (factory));
  gtk_column_view_column_set_sorter (self->hours_column, self->hours_sorter);
  gtk_column_view_column_set_resizable (self->hours_column, TRUE);
  gtk_column_view_column_set_visible (self->hours_column, FALSE);
  gtk_column_view_append_column (self->column_view, self->hours_column);
}

static void
add_columns (TdRecordPage *self)
{
  self->columns = g_new0 (Column, self->kind->n_fields);

  for (guint i = 0; i < self->kind->n_fields; i++)
    {
      const TdField *field = &self->kind->fields[i];
      Column *column = &self->columns[i];
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) view_column = NULL;
      g_autoptr(GtkSorter) sorter = NULL;
      g_autofree char *title = NULL;

      column->page = self;
      column->field = i;
      if (!(field->flags & TD_FIELD_LISTED))
        continue;

      if (field->unit != NULL)
        /* Translators: a column and its unit, e.g. "Unit value (yuan)" */
        title = g_strdup_printf (_("%s (%s)"), g_dgettext (GETTEXT_PACKAGE, field->label),
                                 g_dgettext (GETTEXT_PACKAGE, field->unit));
      else
        title = g_strdup (g_dgettext (GETTEXT_PACKAGE, field->label));

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), column);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), column);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell_cb), column);

      view_column = gtk_column_view_column_new (title, g_object_ref (factory));
      sorter = create_sorter (column);
      gtk_column_view_column_set_sorter (view_column, sorter);
      gtk_column_view_column_set_resizable (view_column, TRUE);
      /* What names a record takes the room left. */
      if (g_strcmp0 (field->column, self->kind->name_column) == 0 && !is_numeric (field))
        gtk_column_view_column_set_expand (view_column, TRUE);
      gtk_column_view_append_column (self->column_view, view_column);
      /* The hours after the short columns, where they are seen. */
      if (g_str_equal (self->kind->id, "trainers") && g_str_equal (field->column, "dual_qualified"))
        add_hours_column (self);
    }
}

static void
td_record_page_constructed (GObject *object)
{
  TdRecordPage *self = TD_RECORD_PAGE (object);
  GtkSorter *sorter;

  G_OBJECT_CLASS (td_record_page_parent_class)->constructed (object);

  g_return_if_fail (TD_IS_RECORD_LIST (self->list));

  self->kind = td_record_list_get_kind (self->list);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (g_str_equal (texts[i].kind, self->kind->id))
      self->text = i;

  /* First, before the sort model connects: see list_items_changed_cb(). */
  g_signal_connect_object (self->list, "items-changed", G_CALLBACK (list_items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  /* A search left by another page of the same list does not hold here. */
  td_record_list_set_query (self->list, NULL);

  add_columns (self);
  sorter = gtk_column_view_get_sorter (self->column_view);
  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->list)), g_object_ref (sorter));
  self->shown = td_search_model_new (G_LIST_MODEL (self->sorted), self->list);
  self->rows = td_row_model_new (G_LIST_MODEL (self->shown));
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->rows)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->shown, "items-changed", G_CALLBACK (shown_items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb), self,
                           G_CONNECT_SWAPPED);

  /* Delete, in the list, deletes the selected rows. It has to be caught
   * before the search entry's key capture, which would otherwise take the
   * key to the entry (as it does letters) and delete a character there:
   * the Delete key did nothing in the list (issue 13). */
  td_record_page_add_list_shortcuts (self);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->column_view));
  g_object_set (self->search_entry, "placeholder-text", _(texts[self->text].search_placeholder), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _(texts[self->text].search_placeholder),
                                  -1);
  gtk_widget_set_tooltip_text (self->add_button, _(texts[self->text].add_tooltip));
  /* An icon button: without a label, a screen reader says "image". */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->add_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _(texts[self->text].add_tooltip), -1);
  gtk_button_set_label (GTK_BUTTON (self->empty_add_button), _(texts[self->text].add_label));
  adw_status_page_set_icon_name (self->empty_status, texts[self->text].icon_name);
  adw_status_page_set_title (self->empty_status, _(texts[self->text].empty_title));
  adw_status_page_set_description (self->empty_status, _(texts[self->text].empty_description));

  update_state (self);
  footer_idle_cb (self);
  actions_update (self);

  /* The first keystroke finds the search text made. */
  td_record_list_keep_search_ready (self->list);

  if (self->hours_column != NULL)
    {
      g_signal_connect_object (td_record_list_get_store (self->list), "changed", G_CALLBACK (read_hours), self,
                               G_CONNECT_SWAPPED);
      read_hours (self);
    }
  if (g_str_equal (self->kind->id, "results"))
    g_signal_connect_object (td_record_list_get_store (self->list), "changed",
                             G_CALLBACK (td_record_page_store_changed_cb), self, G_CONNECT_SWAPPED);
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
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_RECORD_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->rows);
  g_clear_object (&self->shown);
  g_clear_object (&self->sorted);
  g_clear_object (&self->hours_column);
  g_clear_object (&self->hours_sorter);

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
  g_clear_pointer (&self->hours_cells, g_hash_table_unref);
  g_clear_object (&self->list);

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
    case PROP_LIST:
      self->list = g_value_dup_object (value);
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

  properties[PROP_LIST] =
    g_param_spec_object ("list", NULL, NULL,
                         TD_TYPE_RECORD_LIST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/td-record-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, toolbar);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, delete_button);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, menu_button);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, empty_add_button);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, no_results_status);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, footer_separator);
  gtk_widget_class_bind_template_child (widget_class, TdRecordPage, footer);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, column_view_activate_cb);

  gtk_widget_class_install_action (widget_class, "records.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "records.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "records.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "records.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "records.search-focus", NULL, search_focus_action);
  gtk_widget_class_install_action (widget_class, "records.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "records.export", NULL, export_action);

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
add_window_shortcuts (TdRecordPage *self)
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
  gtk_widget_init_template (GTK_WIDGET (self));
  add_window_shortcuts (self);
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

GtkColumnView *
td_record_page_get_column_view (TdRecordPage *self)
{
  g_return_val_if_fail (TD_IS_RECORD_PAGE (self), NULL);

  return self->column_view;
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

  return hours_text (self, record);
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
  update_state (self);
  scroll_to (self, 0);
}

/* Whether the list is narrowed by td_record_page_show_only(). */
gboolean
td_record_page_is_showing_only (TdRecordPage *self)
{
  g_return_val_if_fail (TD_IS_RECORD_PAGE (self), FALSE);

  return td_record_list_get_only_count (self->list) >= 0;
}
