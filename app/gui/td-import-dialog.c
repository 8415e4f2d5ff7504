/* td-import-dialog.c: which column fills which field, and what importing will do
 *
 * The step between choosing a file and writing it: each column of the file
 * with its header, a few of its values and a drop-down of the kind's
 * fields (or Ignore), as td_import_new() mapped them. Each change runs the
 * preview again on a worker thread (td_import_preview_async()): how many
 * rows are new, change a record or are already there, the first rows as
 * they would be stored, and every row refused with its line, column and
 * reason. Nothing is written here: Import hands the import back to the
 * page ("commit"), which writes every row in one transaction.
 *
 * A change made while a preview runs is applied when it ends, and the
 * preview run again: the worker reads the mapping, so it is never changed
 * under it.
 *
 * Import keeps the dialog open while the page writes the rows on a worker
 * thread (td_import_commit_async()): a progress bar, read from the import
 * ten times a second (td_import_get_progress() may be read from any
 * thread; a timer costs less than an idle per row), and Cancel, which
 * stops the worker between rows (td_import_cancel()) so that its
 * transaction rolls back: nothing is written. The page closes the dialog
 * when the commit has ended.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-import-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "td-chart.h"
#include "td-import-dialog.h"

/* Values shown under a column's header; rows and problems listed. */
#define SAMPLES_SHOWN 3
#define ROWS_SHOWN 5
#define PROBLEMS_SHOWN 50

struct _TdImportDialog
{
  AdwWindow            parent_instance;

  TdImport            *import;
  int                 *mapping;       /* per column: the field chosen, or -1 */
  GPtrArray           *drop_downs;    /* GtkDropDown*, per column */
  GPtrArray           *shown;         /* rows of the last preview, to take away */
  GCancellable        *cancellable;
  char                *summary;
  guint                n_problems_shown;
  gboolean             previewing;
  gboolean             again;         /* the mapping changed during the preview */
  gboolean             can_import;
  gboolean             syncing;       /* a drop-down set by the dialog, not the user */
  gboolean             committing;    /* Import pressed: the page writes */
  guint                progress_id;

  AdwWindowTitle      *window_title;
  GtkWidget           *import_button;
  AdwPreferencesGroup *columns_group;
  AdwPreferencesGroup *preview_group;
  AdwPreferencesGroup *rows_group;
  AdwPreferencesGroup *problems_group;
  AdwPreferencesGroup *fixes_group;
  GtkWidget           *create_switch;
  GPtrArray           *choice_rows;   /* AdwComboRow*, per unknown choice value */
  GtkSpinner          *spinner;
  GtkLabel            *summary_label;
  GtkProgressBar      *progress_bar;
};

G_DEFINE_FINAL_TYPE (TdImportDialog, td_import_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_IMPORT,
  N_PROPS
};

enum {
  COMMIT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

TdImportDialog *
td_import_dialog_new (GtkWindow *parent,
                      TdImport  *import)
{
  g_return_val_if_fail (TD_IS_IMPORT (import), NULL);

  return g_object_new (TD_TYPE_IMPORT_DIALOG,
                       "transient-for", parent,
                       "import", import,
                       NULL);
}

TdImport *
td_import_dialog_get_import (TdImportDialog *self)
{
  g_return_val_if_fail (TD_IS_IMPORT_DIALOG (self), NULL);

  return self->import;
}

static void
td_import_dialog_actions_update (TdImportDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.commit",
                                 self->can_import && !self->previewing && !self->committing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.save-problems", !self->committing);
}

static const char *
td_import_dialog_action_text (TdImportAction action)
{
  switch (action)
    {
    case TD_IMPORT_NEW:
      return _("New record");
    case TD_IMPORT_UPDATE:
      return _("Changes a record");
    case TD_IMPORT_UNCHANGED:
      return _("Already there, unchanged");
    case TD_IMPORT_REPLACED:
      return _("Repeated further down: the later row is kept");
    case TD_IMPORT_BAD:
    default:
      return _("Has problems");
    }
}

static void
td_import_dialog_forget_shown (TdImportDialog *self)
{
  for (guint i = 0; i < self->shown->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->shown, i);

      adw_preferences_group_remove (g_object_get_data (G_OBJECT (row), "td-group"), row);
    }
  g_ptr_array_set_size (self->shown, 0);
}

static GtkWidget *
td_import_dialog_add_row (TdImportDialog      *self,
                          AdwPreferencesGroup *group,
                          const char          *title,
                          const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* Text from the file: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  g_object_set_data (G_OBJECT (row), "td-group", group);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->shown, row);
  return row;
}

/* The first rows of the file, as they would be stored. */
static void
td_import_dialog_show_rows (TdImportDialog *self)
{
  const TdRecordKind *kind = td_record_list_get_kind (td_import_get_list (self->import));
  guint n_rows = td_import_get_n_rows (self->import);

  for (guint r = 0; r < MIN (n_rows, ROWS_SHOWN); r++)
    {
      g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *values = NULL;
      g_autofree char *line = NULL;
      GtkWidget *row;

      for (guint f = 0; f < kind->n_fields; f++)
        {
          g_autofree char *value = NULL;

          if (td_import_get_field_column (self->import, f) < 0)
            continue;
          value = td_import_dup_row_display (self->import, r, f);
          if (value[0] == '\0')
            continue;
          /* Translators: a field and its value in the import's first rows */
          g_ptr_array_add (parts, g_strdup_printf (_("%s: %s"), g_dgettext (GETTEXT_PACKAGE, kind->fields[f].label),
                                                   value));
        }
      g_ptr_array_add (parts, NULL);
      values = g_strjoinv (_(" · "), (char **)parts->pdata);
      /* Translators: a row of an imported file: its line, then what importing does with it */
      line = g_strdup_printf (_("Line %u · %s"), td_import_get_row_line (self->import, r),
                              td_import_dialog_action_text (td_import_get_row_action (self->import, r)));
      row = td_import_dialog_add_row (self, self->rows_group, values[0] ? values : _("Nothing in the columns imported"), line);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->rows_group), n_rows > 0);
}

/* Every refused row with its line, its column and why. */
static void
td_import_dialog_show_problems (TdImportDialog *self)
{
  guint n_problems = td_import_get_n_problems (self->import) + td_import_get_n_problems_left_out (self->import);

  self->n_problems_shown = MIN (n_problems, PROBLEMS_SHOWN);
  for (guint i = 0; i < self->n_problems_shown; i++)
    {
      const TdImportProblem *problem = td_import_get_problem (self->import, i);
      g_autofree char *title = NULL;
      GtkWidget *row;

      /* Translators: a bad row of an imported file: its line, column and the reason */
      title = g_strdup_printf (_("Line %u, %s: %s"), problem->line, problem->column ? problem->column : "",
                               problem->message);
      row = td_import_dialog_add_row (self, self->problems_group, title, NULL);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      gtk_widget_add_css_class (row, "error");
    }
  if (n_problems > PROBLEMS_SHOWN)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "…and %u more problem",
                                                            "…and %u more problems", n_problems - PROBLEMS_SHOWN),
                                               n_problems - PROBLEMS_SHOWN);

      td_import_dialog_add_row (self, self->problems_group, more, NULL);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->problems_group), n_problems > 0);
}

static void td_import_dialog_start_preview (TdImportDialog *self);

static void
td_import_dialog_create_missing_cb (GtkSwitch      *button,
                                    GParamSpec     *pspec,
                                    TdImportDialog *self)
{
  g_assert (TD_IS_IMPORT_DIALOG (self));

  if (self->syncing)
    return;
  td_import_set_create_missing (self->import, gtk_switch_get_active (button));
  td_import_dialog_start_preview (self);
}

static void
td_import_dialog_choice_chosen_cb (AdwComboRow    *row,
                                   GParamSpec     *pspec,
                                   TdImportDialog *self)
{
  const TdRecordKind *kind = td_record_list_get_kind (td_import_get_list (self->import));
  guint field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "td-field"));
  const char *value = g_object_get_data (G_OBJECT (row), "td-value");
  guint selected = adw_combo_row_get_selected (row);

  g_assert (TD_IS_IMPORT_DIALOG (self));

  if (self->syncing)
    return;
  td_import_set_choice_mapping (self->import, field, value,
                                selected > 0 ? kind->fields[field].choices[selected - 1].id : NULL);
  td_import_dialog_start_preview (self);
}

/* What the file needs before it can be imported, and the dialog can do:
 * the records its rows name that do not exist yet, created with the rows;
 * a choice value the app does not know, read as one it does. */
static void
td_import_dialog_show_fixes (TdImportDialog *self)
{
  const TdRecordKind *kind = td_record_list_get_kind (td_import_get_list (self->import));
  guint n_missing = td_import_get_n_missing (self->import);
  guint n_unknown = td_import_get_n_unknown_choices (self->import);

  self->syncing = TRUE;
  self->create_switch = NULL;
  g_ptr_array_set_size (self->choice_rows, 0);
  if (n_missing > 0)
    {
      g_autoptr(GString) names = g_string_new (NULL);
      g_autofree char *title = NULL;
      const char *kind_id = NULL;
      GtkWidget *row;

      for (guint i = 0; i < n_missing && i < 20; i++)
        g_string_append_printf (names, "%s%s", i ? g_dpgettext2 (GETTEXT_PACKAGE, "list separator", ", ") : "",
                                td_import_get_missing (self->import, i, &kind_id));
      if (n_missing > 20)
        g_string_append (names, "…");
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Create the %u missing record (%s)",
                                            "Create the %u missing records (%s)", n_missing),
                               n_missing, g_dgettext (GETTEXT_PACKAGE, td_record_kind_lookup (kind_id)->title));
      row = td_import_dialog_add_row (self, self->fixes_group, title, names->str);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      self->create_switch = gtk_switch_new ();
      gtk_widget_set_valign (self->create_switch, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (self->create_switch), td_import_get_create_missing (self->import));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->create_switch),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
      g_signal_connect (self->create_switch, "notify::active", G_CALLBACK (td_import_dialog_create_missing_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->create_switch);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), self->create_switch);
    }
  for (guint i = 0; i < n_unknown; i++)
    {
      guint field;
      const char *value = td_import_get_unknown_choice (self->import, i, &field);
      const char *mapped = td_import_get_choice_mapping (self->import, field, value);
      g_autoptr(GtkStringList) choices = gtk_string_list_new (NULL);
      g_autofree char *title = NULL;
      GtkWidget *row = adw_combo_row_new ();
      guint selected = 0, n = 1;

      gtk_string_list_append (choices, _("Not mapped (refused)"));
      for (const TdChoice *c = kind->fields[field].choices; c->id; c++, n++)
        {
          gtk_string_list_append (choices, g_dgettext (GETTEXT_PACKAGE, c->label));
          if (g_strcmp0 (c->id, mapped) == 0)
            selected = n;
        }
      /* Translators: a value of an imported file the app does not know, then its column */
      title = g_strdup_printf (_("“%s” in %s means"), value, kind->fields[field].header);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (choices));
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
      g_object_set_data (G_OBJECT (row), "td-field", GUINT_TO_POINTER (field));
      g_object_set_data_full (G_OBJECT (row), "td-value", g_strdup (value), g_free);
      g_signal_connect (row, "notify::selected", G_CALLBACK (td_import_dialog_choice_chosen_cb), self);
      g_object_set_data (G_OBJECT (row), "td-group", self->fixes_group);
      adw_preferences_group_add (self->fixes_group, row);
      g_ptr_array_add (self->shown, row);
      g_ptr_array_add (self->choice_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->fixes_group), n_missing + n_unknown > 0);
  self->syncing = FALSE;
}

static char *
td_import_dialog_summary_text (TdImportDialog *self)
{
  TdImport *import = self->import;
  g_autoptr(GString) text = g_string_new (NULL);
  g_auto(GStrv) ignored = td_import_dup_ignored_columns (import);
  guint bad = td_import_get_count (import, TD_IMPORT_BAD);
  /* A sheet of 100,000 rows: the counts grouped as the locale groups. */
  g_autofree char *n_new = td_format_count (td_import_get_count (import, TD_IMPORT_NEW));
  g_autofree char *n_updated = td_format_count (td_import_get_count (import, TD_IMPORT_UPDATE));
  g_autofree char *n_unchanged = td_format_count (td_import_get_count (import, TD_IMPORT_UNCHANGED));
  g_autofree char *n_missing = td_format_count (td_import_get_n_missing (import));
  g_autofree char *n_replaced = td_format_count (td_import_get_count (import, TD_IMPORT_REPLACED));
  g_autofree char *n_bad = td_format_count (bad);

  g_string_append_printf (text, _("New: %s"), n_new);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Updated: %s"), n_updated);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Unchanged: %s"), n_unchanged);
  if (td_import_get_create_missing (import) && td_import_get_n_missing (import) > 0)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Created with them, as they are named: %s"), n_missing);
    }
  if (td_import_get_count (import, TD_IMPORT_REPLACED) > 0)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Repeated further down the file (the later row is kept): %s"), n_replaced);
    }
  if (ignored != NULL && ignored[0] != NULL)
    {
      g_autofree char *list = g_strjoinv (_(", "), ignored);

      g_string_append (text, "\n\n");
      g_string_append_printf (text, _("Columns not imported: %s"), list);
    }
  g_string_append (text, "\n\n");
  if (bad > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                               "%s row has problems, and nothing can be imported until it is corrected:",
                                               "%s rows have problems, and nothing can be imported until they are corrected:",
                                               bad),
                            n_bad);
  else if (self->can_import)
    g_string_append (text, _("Nothing is written until you press Import; then every row goes in at once."));
  else if (td_import_get_n_rows (import) == 0)
    g_string_append (text, _("There are no rows below the header: there is nothing to import."));
  else
    g_string_append (text, _("Every row is already there: there is nothing to import."));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
td_import_dialog_show_preview (TdImportDialog *self,
                               const GError   *error)
{
  td_import_dialog_forget_shown (self);
  g_clear_pointer (&self->summary, g_free);
  self->n_problems_shown = 0;

  if (error != NULL)
    {
      /* A field every row needs has no column: the message says which. */
      self->can_import = FALSE;
      self->summary = g_strdup (error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "error");
      gtk_widget_set_visible (GTK_WIDGET (self->rows_group), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->problems_group), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->fixes_group), FALSE);
      self->create_switch = NULL;
      g_ptr_array_set_size (self->choice_rows, 0);
    }
  else
    {
      self->can_import = td_import_get_count (self->import, TD_IMPORT_BAD) == 0 &&
                         td_import_get_count (self->import, TD_IMPORT_NEW) +
                         td_import_get_count (self->import, TD_IMPORT_UPDATE) > 0;
      self->summary = td_import_dialog_summary_text (self);
      gtk_widget_remove_css_class (GTK_WIDGET (self->summary_label), "error");
      td_import_dialog_show_fixes (self);
      td_import_dialog_show_rows (self);
      td_import_dialog_show_problems (self);
    }
  gtk_label_set_text (self->summary_label, self->summary);
  td_import_dialog_actions_update (self);
}

static void
td_import_dialog_preview_done_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(TdImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = td_import_preview_finish (TD_IMPORT (object), result, &error);

  self->previewing = FALSE;
  /* Closed meanwhile. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  /* Changed meanwhile: what was judged is already stale. */
  if (self->again)
    {
      td_import_dialog_start_preview (self);
      return;
    }
  gtk_spinner_stop (self->spinner);
  td_import_dialog_show_preview (self, ok ? NULL : error);
}

static void
td_import_dialog_start_preview (TdImportDialog *self)
{
  guint n_columns = td_import_get_n_columns (self->import);

  if (self->previewing)
    {
      self->again = TRUE;
      return;
    }

  /* The mapping chosen is one field per column at most: setting the
   * columns in order never undoes one set before. */
  for (guint c = 0; c < n_columns; c++)
    if (td_import_get_column_field (self->import, c) != self->mapping[c])
      td_import_set_column_field (self->import, c, self->mapping[c]);

  self->previewing = TRUE;
  self->again = FALSE;
  gtk_spinner_start (self->spinner);
  td_import_dialog_actions_update (self);
  td_import_preview_async (self->import, self->cancellable, td_import_dialog_preview_done_cb, g_object_ref (self));
}

static void
td_import_dialog_column_changed_cb (GtkDropDown    *drop_down,
                                    GParamSpec     *pspec,
                                    TdImportDialog *self)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (drop_down), "td-column"));
  guint selected = gtk_drop_down_get_selected (drop_down);
  int field = selected == GTK_INVALID_LIST_POSITION ? -1 : (int)selected - 1;

  if (self->syncing || self->mapping[column] == field)
    return;

  /* A field fills from one column: the one that filled it is ignored now. */
  if (field >= 0)
    for (guint c = 0; c < self->drop_downs->len; c++)
      if (c != column && self->mapping[c] == field)
        {
          self->mapping[c] = -1;
          self->syncing = TRUE;
          gtk_drop_down_set_selected (g_ptr_array_index (self->drop_downs, c), 0);
          self->syncing = FALSE;
        }
  self->mapping[column] = field;
  td_import_dialog_start_preview (self);
}

/* What a field is called in the drop-downs: its name, and the header a
 * file gives it when that is another. */
static char *
td_import_dialog_field_text (const TdField *field)
{
  const char *label = g_dgettext (GETTEXT_PACKAGE, field->label);

  if (g_strcmp0 (label, field->header) == 0)
    return g_strdup (label);
  /* Translators: a field to import a column into: its name, then its Chinese header in files */
  return g_strdup_printf (_("%s (%s)"), label, field->header);
}

static void
td_import_dialog_add_columns (TdImportDialog *self)
{
  const TdRecordKind *kind = td_record_list_get_kind (td_import_get_list (self->import));
  guint n_columns = td_import_get_n_columns (self->import);
  g_autoptr(GtkStringList) fields = gtk_string_list_new (NULL);
  g_autofree char *description = NULL;

  gtk_string_list_append (fields, _("Ignore"));
  for (guint f = 0; f < kind->n_fields; f++)
    {
      g_autofree char *text = td_import_dialog_field_text (&kind->fields[f]);

      gtk_string_list_append (fields, text);
    }

  self->mapping = g_new (int, MAX (n_columns, 1));
  for (guint c = 0; c < n_columns; c++)
    {
      const char *header = td_import_get_column_header (self->import, c);
      g_auto(GStrv) samples = td_import_dup_column_samples (self->import, c, SAMPLES_SHOWN);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *label = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *drop_down = gtk_drop_down_new (g_object_ref (G_LIST_MODEL (fields)), NULL);

      self->mapping[c] = td_import_get_column_field (self->import, c);
      /* Translators: a column of an imported file that has no header */
      title = header[0] ? g_strdup (header) : g_strdup_printf (_("Column %u"), c + 1);
      subtitle = samples[0] ? g_strjoinv (_(", "), samples) : g_strdup (_("Empty"));

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);

      gtk_widget_set_valign (drop_down, GTK_ALIGN_CENTER);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), self->mapping[c] + 1);
      /* Translators: what a column's drop-down is called for screen readers */
      label = g_strdup_printf (_("Field filled by the column “%s”"), title);
      gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_object_set_data (G_OBJECT (drop_down), "td-column", GUINT_TO_POINTER (c));
      g_signal_connect (drop_down, "notify::selected", G_CALLBACK (td_import_dialog_column_changed_cb), self);

      adw_action_row_add_suffix (ADW_ACTION_ROW (row), drop_down);
      /* Enter on the row opens its drop-down. */
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), drop_down);
      adw_preferences_group_add (self->columns_group, row);
      g_ptr_array_add (self->drop_downs, drop_down);
    }

  description = g_strdup_printf (_("Line %u of the file names the columns. Choose the field each column fills; "
                                   "a column set to Ignore is not imported."),
                                 td_import_get_header_line (self->import));
  adw_preferences_group_set_description (self->columns_group, description);
}

/* The commit's progress, as the worker last reported it. */
static gboolean
td_import_dialog_progress_cb (gpointer user_data)
{
  TdImportDialog *self = user_data;
  double fraction = td_import_get_progress (self->import);
  g_autofree char *text = NULL;

  g_assert (TD_IS_IMPORT_DIALOG (self));

  /* Translators: the import's progress; %d%% is e.g. "42%" */
  text = g_strdup_printf (_("Importing… %d%%"), (int)(fraction * 100));
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  gtk_progress_bar_set_text (self->progress_bar, text);
  return G_SOURCE_CONTINUE;
}

static void
td_import_dialog_commit_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  TdImportDialog *self = TD_IMPORT_DIALOG (widget);

  if (!self->can_import || self->previewing || self->committing)
    return;
  self->committing = TRUE;
  td_import_dialog_actions_update (self);
  /* The mapping stays as it is written. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->columns_group), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->fixes_group), FALSE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, _("Importing…"));
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  self->progress_id = g_timeout_add (100, td_import_dialog_progress_cb, self);
  g_signal_emit (self, signals[COMMIT], 0);
}

static void
td_import_dialog_save_problems_response_cb (GtkNativeDialog *chooser,
                                            int              response,
                                            TdImportDialog  *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (TD_IS_IMPORT_DIALOG (self));

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      (path = g_file_get_path (file)) != NULL &&
      !td_import_save_problems (self->import, path, &error))
    {
      gtk_label_set_text (self->summary_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "error");
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

/* The rows with problems, as a file to keep or hand on. */
static void
td_import_dialog_save_problems_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  TdImportDialog *self = TD_IMPORT_DIALOG (widget);
  g_autofree char *base = g_path_get_basename (td_import_get_file_name (self->import));
  g_autofree char *stem = g_strdup (base);
  g_autofree char *name = NULL;
  char *dot = strrchr (stem, '.');
  GtkFileChooserNative *chooser;

  if (dot)
    *dot = '\0';
  /* Translators: the file name for an import's problems; %s is the imported file's name */
  name = g_strdup_printf (_("%s – problems.csv"), stem);
  chooser = gtk_file_chooser_native_new (_("Save the Rows with Problems"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (td_import_dialog_save_problems_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* While the page writes: stops it, between two rows, and nothing is
 * written (the page, told so, says nothing). */
static void
td_import_dialog_cancel_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  TdImportDialog *self = TD_IMPORT_DIALOG (widget);

  if (self->committing)
    td_import_cancel (self->import);
  gtk_window_destroy (GTK_WINDOW (widget));
}

static void
td_import_dialog_constructed (GObject *object)
{
  TdImportDialog *self = TD_IMPORT_DIALOG (object);
  const TdRecordKind *kind;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  G_OBJECT_CLASS (td_import_dialog_parent_class)->constructed (object);

  g_return_if_fail (TD_IS_IMPORT (self->import));

  kind = td_record_list_get_kind (td_import_get_list (self->import));
  name = g_path_get_basename (td_import_get_file_name (self->import));
  /* Translators: the import dialog's title; the file's name */
  title = g_strdup_printf (_("Import “%s”"), name);
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, g_dgettext (GETTEXT_PACKAGE, kind->title));
  gtk_window_set_title (GTK_WINDOW (self), title);

  td_import_dialog_add_columns (self);
  if (self->drop_downs->len > 0)
    gtk_window_set_focus (GTK_WINDOW (self), g_ptr_array_index (self->drop_downs, 0));
  gtk_window_set_default_widget (GTK_WINDOW (self), self->import_button);
  td_import_dialog_start_preview (self);
}

static void
td_import_dialog_dispose (GObject *object)
{
  TdImportDialog *self = TD_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  /* Closed with its window while writing: as Cancel (after the end of
   * the commit this does nothing). */
  if (self->committing && self->import != NULL)
    td_import_cancel (self->import);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  g_ptr_array_set_size (self->shown, 0);
  g_ptr_array_set_size (self->drop_downs, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), TD_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (td_import_dialog_parent_class)->dispose (object);
}

static void
td_import_dialog_finalize (GObject *object)
{
  TdImportDialog *self = TD_IMPORT_DIALOG (object);

  g_clear_object (&self->import);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->mapping, g_free);
  g_clear_pointer (&self->drop_downs, g_ptr_array_unref);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_pointer (&self->choice_rows, g_ptr_array_unref);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (td_import_dialog_parent_class)->finalize (object);
}

static void
td_import_dialog_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TdImportDialog *self = TD_IMPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_IMPORT:
      g_value_set_object (value, self->import);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
td_import_dialog_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TdImportDialog *self = TD_IMPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_IMPORT:
      self->import = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
td_import_dialog_class_init (TdImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = td_import_dialog_constructed;
  object_class->dispose = td_import_dialog_dispose;
  object_class->finalize = td_import_dialog_finalize;
  object_class->get_property = td_import_dialog_get_property;
  object_class->set_property = td_import_dialog_set_property;

  properties[PROP_IMPORT] =
    g_param_spec_object ("import", NULL, NULL,
                         TD_TYPE_IMPORT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TdImportDialog::commit:
   *
   * The user pressed Import on a preview without problems: the import,
   * mapped as shown, is to be written. The dialog stays, showing the
   * progress and offering Cancel, until the handler closes it.
   */
  signals[COMMIT] =
    g_signal_new ("commit",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/td-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TdImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, TdImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, TdImportDialog, columns_group);
  gtk_widget_class_bind_template_child (widget_class, TdImportDialog, preview_group);
  gtk_widget_class_bind_template_child (widget_class, TdImportDialog, rows_group);
  gtk_widget_class_bind_template_child (widget_class, TdImportDialog, problems_group);
  gtk_widget_class_bind_template_child (widget_class, TdImportDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, TdImportDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, TdImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TdImportDialog, fixes_group);

  gtk_widget_class_install_action (widget_class, "import.commit", NULL, td_import_dialog_commit_action);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, td_import_dialog_cancel_action);
  gtk_widget_class_install_action (widget_class, "import.save-problems", NULL, td_import_dialog_save_problems_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "import.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "import.commit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "import.commit", NULL);
}

static void
td_import_dialog_init (TdImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->drop_downs = g_ptr_array_new ();
  self->shown = g_ptr_array_new ();
  self->choice_rows = g_ptr_array_new ();
  gtk_widget_set_visible (GTK_WIDGET (self->rows_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_group), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.commit", FALSE);
}

GtkDropDown *
td_import_dialog_get_drop_down (TdImportDialog *self,
                                guint           column)
{
  g_return_val_if_fail (TD_IS_IMPORT_DIALOG (self), NULL);
  g_return_val_if_fail (column < self->drop_downs->len, NULL);

  return g_ptr_array_index (self->drop_downs, column);
}

/* Whether a preview is under way. */
gboolean
td_import_dialog_is_busy (TdImportDialog *self)
{
  g_return_val_if_fail (TD_IS_IMPORT_DIALOG (self), FALSE);

  return self->previewing;
}

gboolean
td_import_dialog_get_can_import (TdImportDialog *self)
{
  g_return_val_if_fail (TD_IS_IMPORT_DIALOG (self), FALSE);

  return self->can_import && !self->previewing;
}

const char *
td_import_dialog_get_summary (TdImportDialog *self)
{
  g_return_val_if_fail (TD_IS_IMPORT_DIALOG (self), NULL);

  return self->summary;
}

guint
td_import_dialog_get_n_problems_shown (TdImportDialog *self)
{
  g_return_val_if_fail (TD_IS_IMPORT_DIALOG (self), 0);

  return self->n_problems_shown;
}

/* The switch that creates the missing records, or %NULL when none. */
GtkSwitch *
td_import_dialog_get_create_switch (TdImportDialog *self)
{
  g_return_val_if_fail (TD_IS_IMPORT_DIALOG (self), NULL);

  return GTK_SWITCH (self->create_switch);
}

/* The row mapping the @index-th unknown choice value, or %NULL. */
AdwComboRow *
td_import_dialog_get_choice_row (TdImportDialog *self,
                                 guint           index)
{
  g_return_val_if_fail (TD_IS_IMPORT_DIALOG (self), NULL);

  return index < self->choice_rows->len ? g_ptr_array_index (self->choice_rows, index) : NULL;
}
