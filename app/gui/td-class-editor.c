/* td-class-editor.c: a class, new or edited, its fields in one dialog
 *
 * Writes through td_class_insert() or, for a class that exists,
 * td_class_update() (td-class-edit.c), each one transaction. Numbers are read
 * here, so a refusal names the row it is about and marks it; what the
 * core refuses (a date, an end before the start) is said above the rows
 * in the core's words, which name the value. The programmes and venues
 * offered are read once when it opens: a school has tens of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-class-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "td-class-edit.h"
#include "td-class-editor.h"
#include "td-class-list.h"
#include "td-class-rows.h"
#include "td-classes.h"
#include "td-gui-util.h"

struct _TdClassEditor
{
  AdwWindow     parent_instance;

  TdStore      *store;
  char         *class_uuid;    /* the class edited, or NULL for a new one */
  GPtrArray    *programmes;    /* TdNamedRow; position 0 of the row is "None" */
  GPtrArray    *venues;

  GtkLabel     *error_label;
  AdwEntryRow  *name_row;
  AdwComboRow  *programme_row;
  AdwComboRow  *category_row;
  AdwComboRow  *key_group_row;
  AdwComboRow  *mode_row;
  AdwComboRow  *venue_row;
  AdwEntryRow  *starts_row;
  AdwEntryRow  *ends_row;
  AdwEntryRow  *hours_row;
  AdwEntryRow  *completion_row;
  AdwEntryRow  *capacity_row;
  AdwEntryRow  *fee_row;
  AdwEntryRow  *subsidy_row;
  AdwComboRow  *status_row;
};

G_DEFINE_FINAL_TYPE (TdClassEditor, td_class_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
td_class_editor_fill_choices (AdwComboRow    *row,
                              const TdChoice *choices)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (guint i = 0; choices[i].id != NULL; i++)
    gtk_string_list_append (list, g_dgettext (GETTEXT_PACKAGE, choices[i].label));
  adw_combo_row_set_model (row, G_LIST_MODEL (list));
}

static void
td_class_editor_fill_named (AdwComboRow *row,
                            GPtrArray   *rows)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, _("None"));
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    gtk_string_list_append (list, ((TdNamedRow *)g_ptr_array_index (rows, i))->name);
  adw_combo_row_set_model (row, G_LIST_MODEL (list));
}

static const char *
td_class_editor_choice_id (AdwComboRow    *row,
                           const TdChoice *choices)
{
  guint i = adw_combo_row_get_selected (row);

  return i == GTK_INVALID_LIST_POSITION ? choices[0].id : choices[i].id;
}

static TdNamedRow *
td_class_editor_named (AdwComboRow *row,
                       GPtrArray   *rows)
{
  guint i = adw_combo_row_get_selected (row);

  if (i == GTK_INVALID_LIST_POSITION || i == 0 || rows == NULL || i > rows->len)
    return NULL;
  return g_ptr_array_index (rows, i - 1);
}

static void
td_class_editor_save_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  TdClassEditor *self = TD_CLASS_EDITOR (widget);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  g_autofree char *starts = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->starts_row))));
  g_autofree char *ends = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->ends_row))));
  TdNamedRow *programme = td_class_editor_named (self->programme_row, self->programmes);
  TdNamedRow *venue = td_class_editor_named (self->venue_row, self->venues);
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  double hours, capacity, fee, completion;
  TdClassInfo info;
  gboolean saved;

  td_class_rows_clear (self->error_label, GTK_WIDGET (self));
  /* A class of a programme is called after it unless named. */
  if (name[0] == '\0' && programme != NULL)
    {
      g_free (name);
      name = g_strdup (programme->name);
    }
  if (name[0] == '\0')
    {
      td_class_rows_refuse (self->error_label, self->name_row, _("Name the class, or choose its programme."));
      return;
    }
  if (starts[0] == '\0')
    {
      td_class_rows_refuse (self->error_label, self->starts_row, _("Give the date the class starts on, as 2025-03-01."));
      return;
    }
  if (ends[0] == '\0')
    {
      g_free (ends);
      ends = g_strdup (starts);
    }
  if (!td_class_rows_number (self->error_label, self->hours_row, 0, &hours) ||
      !td_class_rows_number (self->error_label, self->capacity_row, 0, &capacity) ||
      !td_class_rows_number (self->error_label, self->fee_row, 0, &fee) ||
      !td_class_rows_number (self->error_label, self->completion_row, 0, &completion))
    return;
  if (completion > 100)
    {
      td_class_rows_refuse (self->error_label, self->completion_row,
                              _("The completion rule is a share of the planned hours: at most 100 %."));
      return;
    }
  if (hours <= 0)
    {
      td_class_rows_refuse (self->error_label, self->hours_row, _("Give the class’s planned hours: completion is counted against them."));
      return;
    }

  info = (TdClassInfo) {
    .name = name,
    .programme_uuid = programme != NULL ? programme->uuid : NULL,
    .category = td_class_editor_choice_id (self->category_row, td_class_categories ()),
    .key_group = td_class_editor_choice_id (self->key_group_row, td_class_key_groups ()),
    .mode = td_class_editor_choice_id (self->mode_row, td_class_modes ()),
    .venue_uuid = venue != NULL ? venue->uuid : NULL,
    .starts_on = starts,
    .ends_on = ends,
    .planned_hours = hours,
    .capacity = (gint64)capacity,
    .fee = fee,
    .subsidy_source = gtk_editable_get_text (GTK_EDITABLE (self->subsidy_row)),
    .status = td_class_editor_choice_id (self->status_row, td_class_statuses ()),
    .completion_percent = completion,
  };
  if (self->class_uuid != NULL)
    {
      saved = td_class_update (self->store, self->class_uuid, &info, &error);
      uuid = g_strdup (self->class_uuid);
    }
  else
    saved = td_class_insert (self->store, &info, &uuid, &error);
  if (!saved)
    {
      /* The core names the value; a date it refuses is most likely. */
      AdwEntryRow *row = NULL;

      if (strstr (error->message, starts) != NULL)
        row = self->starts_row;
      else if (strstr (error->message, ends) != NULL)
        row = self->ends_row;
      td_class_rows_refuse (self->error_label, row, error->message);
      return;
    }
  g_signal_emit (self, signals[SAVED], 0, uuid, ends);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
td_class_editor_cancel_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  gtk_window_destroy (GTK_WINDOW (widget));
}

/* A class of a programme is of the programme's category, unless changed. */
static void
td_class_editor_programme_changed_cb (TdClassEditor *self)
{
  TdNamedRow *programme = td_class_editor_named (self->programme_row, self->programmes);
  const TdChoice *categories = td_class_categories ();

  g_assert (TD_IS_CLASS_EDITOR (self));

  if (programme == NULL)
    return;
  for (guint i = 0; categories[i].id != NULL; i++)
    if (g_str_equal (categories[i].id, programme->category))
      adw_combo_row_set_selected (self->category_row, i);
}

static void
td_class_editor_finalize (GObject *object)
{
  TdClassEditor *self = TD_CLASS_EDITOR (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->class_uuid, g_free);
  g_clear_pointer (&self->programmes, g_ptr_array_unref);
  g_clear_pointer (&self->venues, g_ptr_array_unref);

  G_OBJECT_CLASS (td_class_editor_parent_class)->finalize (object);
}

static void
td_class_editor_class_init (TdClassEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = td_class_editor_finalize;

  /**
   * TdClassEditor::saved:
   * @uuid: the new class's
   * @ends_on: its last day (the year it counts in)
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/td-class-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, TdClassEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, TdClassEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, TdClassEditor, programme_row);
  gtk_widget_class_bind_template_child (widget_class, TdClassEditor, category_row);
  gtk_widget_class_bind_template_child (widget_class, TdClassEditor, key_group_row);
  gtk_widget_class_bind_template_child (widget_class, TdClassEditor, mode_row);
  gtk_widget_class_bind_template_child (widget_class, TdClassEditor, venue_row);
  gtk_widget_class_bind_template_child (widget_class, TdClassEditor, starts_row);
  gtk_widget_class_bind_template_child (widget_class, TdClassEditor, ends_row);
  gtk_widget_class_bind_template_child (widget_class, TdClassEditor, hours_row);
  gtk_widget_class_bind_template_child (widget_class, TdClassEditor, completion_row);
  gtk_widget_class_bind_template_child (widget_class, TdClassEditor, capacity_row);
  gtk_widget_class_bind_template_child (widget_class, TdClassEditor, fee_row);
  gtk_widget_class_bind_template_child (widget_class, TdClassEditor, subsidy_row);
  gtk_widget_class_bind_template_child (widget_class, TdClassEditor, status_row);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, td_class_editor_save_action);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, td_class_editor_cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
}

static void
td_class_editor_init (TdClassEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  td_class_editor_fill_choices (self->category_row, td_class_categories ());
  td_class_editor_fill_choices (self->key_group_row, td_class_key_groups ());
  td_class_editor_fill_choices (self->mode_row, td_class_modes ());
  td_class_editor_fill_choices (self->status_row, td_class_statuses ());
  gtk_editable_set_text (GTK_EDITABLE (self->starts_row), "");
}

/**
 * td_class_editor_new:
 *
 * A dialog for a new class of @store, over @parent. Emits ::saved once
 * the class is written, and closes.
 */
TdClassEditor *
td_class_editor_new (TdStore   *store,
                     GtkWindow *parent)
{
  TdClassEditor *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  self = g_object_new (TD_TYPE_CLASS_EDITOR, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  if (!(self->programmes = td_class_programmes (store, &error)) ||
      !(self->venues = td_class_venues (store, &error)))
    td_class_rows_refuse (self->error_label, NULL, error->message);
  td_class_editor_fill_named (self->programme_row, self->programmes);
  td_class_editor_fill_named (self->venue_row, self->venues);
  g_signal_connect_object (self->programme_row, "notify::selected",
                           G_CALLBACK (td_class_editor_programme_changed_cb), self, G_CONNECT_SWAPPED);
  return self;
}

static void
td_class_editor_select_id (AdwComboRow    *row,
                           const TdChoice *choices,
                           const char     *id)
{
  for (guint i = 0; choices[i].id != NULL; i++)
    if (g_strcmp0 (choices[i].id, id) == 0)
      adw_combo_row_set_selected (row, i);
}

static void
td_class_editor_select_named (AdwComboRow *row,
                              GPtrArray   *rows,
                              const char  *uuid)
{
  adw_combo_row_set_selected (row, 0);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    if (g_strcmp0 (((TdNamedRow *)g_ptr_array_index (rows, i))->uuid, uuid) == 0)
      adw_combo_row_set_selected (row, i + 1);
}

static void
td_class_editor_set_number (AdwEntryRow *row,
                            double       value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  gtk_editable_set_text (GTK_EDITABLE (row), g_ascii_formatd (text, sizeof text, "%g", value));
}

/**
 * td_class_editor_new_for_class:
 *
 * The dialog over @class_uuid's fields as stored; Save changes them.
 * Returns: (nullable): NULL, @error set, when the class cannot be read
 */
TdClassEditor *
td_class_editor_new_for_class (TdStore     *store,
                               GtkWindow   *parent,
                               const char  *class_uuid,
                               GError     **error)
{
  g_autoptr(TdClassRecord) r = NULL;
  TdClassEditor *self;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);
  g_return_val_if_fail (class_uuid != NULL, NULL);

  if (!(r = td_class_read (store, class_uuid, error)))
    return NULL;
  self = td_class_editor_new (store, parent);
  self->class_uuid = g_strdup (class_uuid);
  gtk_window_set_title (GTK_WINDOW (self), _("Edit Class"));
  /* The programme first: choosing it chooses a category, which the
   * class's own then overrides. */
  td_class_editor_select_named (self->programme_row, self->programmes, r->info.programme_uuid);
  td_class_editor_select_named (self->venue_row, self->venues, r->info.venue_uuid);
  td_class_editor_select_id (self->category_row, td_class_categories (), r->info.category);
  td_class_editor_select_id (self->key_group_row, td_class_key_groups (), r->info.key_group);
  td_class_editor_select_id (self->mode_row, td_class_modes (), r->info.mode);
  td_class_editor_select_id (self->status_row, td_class_statuses (), r->info.status);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), r->info.name);
  gtk_editable_set_text (GTK_EDITABLE (self->starts_row), r->info.starts_on);
  gtk_editable_set_text (GTK_EDITABLE (self->ends_row), r->info.ends_on);
  gtk_editable_set_text (GTK_EDITABLE (self->subsidy_row), r->info.subsidy_source);
  td_class_editor_set_number (self->hours_row, r->info.planned_hours);
  td_class_editor_set_number (self->completion_row, r->info.completion_percent);
  td_class_editor_set_number (self->capacity_row, (double)r->info.capacity);
  td_class_editor_set_number (self->fee_row, r->info.fee);
  return self;
}

static AdwEntryRow *
td_class_editor_entry (TdClassEditor *self,
                       const char    *field)
{
  struct { const char *field; AdwEntryRow *row; } rows[] = {
    { "name", self->name_row }, { "starts-on", self->starts_row }, { "ends-on", self->ends_row },
    { "planned-hours", self->hours_row }, { "completion", self->completion_row }, { "capacity", self->capacity_row }, { "fee", self->fee_row },
    { "subsidy-source", self->subsidy_row },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (g_str_equal (rows[i].field, field))
      return rows[i].row;
  g_return_val_if_reached (NULL);
}

/* For the tests: what a person types into a row. */
void
td_class_editor_set_text (TdClassEditor *self,
                          const char    *field,
                          const char    *text)
{
  g_return_if_fail (TD_IS_CLASS_EDITOR (self));

  gtk_editable_set_text (GTK_EDITABLE (td_class_editor_entry (self, field)), text);
}

/* For the tests: a choice ("programme-row", "category-row",
 * "key-group-row", "mode-row", "venue-row", "status-row") by its position
 * in the list. */
void
td_class_editor_set_choice (TdClassEditor *self,
                            const char    *field,
                            guint          position)
{
  struct { const char *field; AdwComboRow *row; } rows[] = {
    { "programme-row", self->programme_row }, { "category-row", self->category_row },
    { "key-group-row", self->key_group_row }, { "mode-row", self->mode_row },
    { "venue-row", self->venue_row }, { "status-row", self->status_row },
  };

  g_return_if_fail (TD_IS_CLASS_EDITOR (self));

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (g_str_equal (rows[i].field, field))
      adw_combo_row_set_selected (rows[i].row, position);
}

/* What the dialog says is wrong, or NULL. */
const char *
td_class_editor_get_error (TdClassEditor *self)
{
  g_return_val_if_fail (TD_IS_CLASS_EDITOR (self), NULL);

  return td_class_rows_get_error (self->error_label);
}
