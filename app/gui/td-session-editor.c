/* td-session-editor.c: a class's session, new or edited, with its trainers
 *
 * One dialog for both: td_class_session_add() or td_class_session_update()
 * (td-class-edit.c), one transaction each. The trainers are a row each
 * where the hours they taught are typed, blank for those who did not
 * teach: a school has tens of trainers, a session one or two, and typing
 * a number is quicker than choosing a trainer and then the hours. The
 * hours default to the span between the times, as most sessions are
 * counted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-session-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "td-class-edit.h"
#include "td-class-list.h"
#include "td-class-rows.h"
#include "td-session-editor.h"

struct _TdSessionEditor
{
  AdwWindow            parent_instance;

  TdStore             *store;
  char                *class_uuid;     /* a new session's class */
  char                *session_uuid;   /* the session edited, or NULL */
  GPtrArray           *venues;         /* TdNamedRow; position 0 of the row is the class's */
  GPtrArray           *trainers;       /* TdTrainerChoice */
  GPtrArray           *trainer_rows;   /* AdwEntryRow, as trainers */

  GtkLabel            *error_label;
  AdwPreferencesPage  *page;
  AdwEntryRow         *day_row;
  AdwEntryRow         *starts_row;
  AdwEntryRow         *ends_row;
  AdwEntryRow         *hours_row;
  AdwComboRow         *venue_row;
  AdwPreferencesGroup *trainers_group;
};

G_DEFINE_FINAL_TYPE (TdSessionEditor, td_session_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Minutes since midnight of "HH:MM", or -1. */
static int
td_session_editor_minutes (const char *time)
{
  int h, m;
  char end;

  if (sscanf (time, "%2d:%2d%c", &h, &m, &end) != 2 || h < 0 || h > 23 || m < 0 || m > 59)
    return -1;
  return h * 60 + m;
}

static void
td_session_editor_save_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  TdSessionEditor *self = TD_SESSION_EDITOR (widget);
  g_autofree char *day = td_class_rows_text (self->day_row);
  g_autofree char *starts = td_class_rows_text (self->starts_row);
  g_autofree char *ends = td_class_rows_text (self->ends_row);
  g_autoptr(GArray) taught = g_array_new (FALSE, FALSE, sizeof (TdSessionTrainer));
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  guint venue = adw_combo_row_get_selected (self->venue_row);
  TdClassSessionInfo info;
  double hours;
  gboolean saved;
  int from, to;

  td_class_rows_clear (self->error_label, GTK_WIDGET (self->page));
  if (day[0] == '\0')
    {
      td_class_rows_refuse (self->error_label, self->day_row, _("Give the session’s day, as 2025-03-01."));
      return;
    }
  from = td_session_editor_minutes (starts);
  to = td_session_editor_minutes (ends);
  if (from >= 0 && to >= 0 && to <= from)
    {
      g_autofree char *message = g_strdup_printf (_("The session ends (%s) before it starts (%s)."), ends, starts);

      td_class_rows_refuse (self->error_label, self->ends_row, message);
      return;
    }
  if (!td_class_rows_number (self->error_label, self->hours_row, from >= 0 && to > from ? (to - from) / 60.0 : 0,
                             &hours))
    return;
  for (guint i = 0; i < self->trainer_rows->len; i++)
    {
      AdwEntryRow *row = g_ptr_array_index (self->trainer_rows, i);
      g_autofree char *text = td_class_rows_text (row);
      TdSessionTrainer t;

      if (text[0] == '\0')
        continue;
      t.trainer_uuid = ((TdTrainerChoice *)g_ptr_array_index (self->trainers, i))->uuid;
      if (!td_class_rows_number (self->error_label, row, 0, &t.hours))
        return;
      g_array_append_val (taught, t);
    }

  info = (TdClassSessionInfo) {
    .held_on = day, .starts_at = starts, .ends_at = ends, .hours = hours,
    .venue_uuid = venue != GTK_INVALID_LIST_POSITION && venue > 0 && venue <= self->venues->len
                  ? ((TdNamedRow *)g_ptr_array_index (self->venues, venue - 1))->uuid : NULL,
    .trainers = (const TdSessionTrainer *)(gpointer)taught->data,
    .n_trainers = taught->len,
  };
  if (self->session_uuid != NULL)
    {
      saved = td_class_session_update (self->store, self->session_uuid, &info, &error);
      uuid = g_strdup (self->session_uuid);
    }
  else
    saved = td_class_session_add (self->store, self->class_uuid, &info, &uuid, &error);
  if (!saved)
    {
      /* The core names the value it refuses: mark its row. */
      AdwEntryRow *row = NULL;

      if (strstr (error->message, day) != NULL)
        row = self->day_row;
      else if (starts[0] != '\0' && strstr (error->message, starts) != NULL)
        row = self->starts_row;
      else if (ends[0] != '\0' && strstr (error->message, ends) != NULL)
        row = self->ends_row;
      td_class_rows_refuse (self->error_label, row, error->message);
      return;
    }
  g_signal_emit (self, signals[SAVED], 0, uuid);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
td_session_editor_cancel_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  gtk_window_destroy (GTK_WINDOW (widget));
}

static void
td_session_editor_finalize (GObject *object)
{
  TdSessionEditor *self = TD_SESSION_EDITOR (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->class_uuid, g_free);
  g_clear_pointer (&self->session_uuid, g_free);
  g_clear_pointer (&self->venues, g_ptr_array_unref);
  g_clear_pointer (&self->trainers, g_ptr_array_unref);
  g_clear_pointer (&self->trainer_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (td_session_editor_parent_class)->finalize (object);
}

static void
td_session_editor_class_init (TdSessionEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = td_session_editor_finalize;

  /**
   * TdSessionEditor::saved:
   * @uuid: the session's
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/td-session-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, TdSessionEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, TdSessionEditor, page);
  gtk_widget_class_bind_template_child (widget_class, TdSessionEditor, day_row);
  gtk_widget_class_bind_template_child (widget_class, TdSessionEditor, starts_row);
  gtk_widget_class_bind_template_child (widget_class, TdSessionEditor, ends_row);
  gtk_widget_class_bind_template_child (widget_class, TdSessionEditor, hours_row);
  gtk_widget_class_bind_template_child (widget_class, TdSessionEditor, venue_row);
  gtk_widget_class_bind_template_child (widget_class, TdSessionEditor, trainers_group);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, td_session_editor_save_action);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, td_session_editor_cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
}

static void
td_session_editor_init (TdSessionEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->trainer_rows = g_ptr_array_new ();
}

static TdSessionEditor *
td_session_editor_create (TdStore   *store,
                          GtkWindow *parent)
{
  TdSessionEditor *self = g_object_new (TD_TYPE_SESSION_EDITOR, "transient-for", parent, NULL);
  g_autoptr(GtkStringList) venues = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;

  self->store = g_object_ref (store);
  if (!(self->venues = td_class_venues (store, &error)) ||
      !(self->trainers = td_class_trainer_choices (store, &error)))
    {
      td_class_rows_refuse (self->error_label, NULL, error->message);
      if (self->venues == NULL)
        self->venues = g_ptr_array_new ();
      if (self->trainers == NULL)
        self->trainers = g_ptr_array_new ();
    }
  gtk_string_list_append (venues, _("The class’s venue"));
  for (guint i = 0; i < self->venues->len; i++)
    gtk_string_list_append (venues, ((TdNamedRow *)g_ptr_array_index (self->venues, i))->name);
  adw_combo_row_set_model (self->venue_row, G_LIST_MODEL (venues));

  for (guint i = 0; i < self->trainers->len; i++)
    {
      GtkWidget *row = adw_entry_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     ((TdTrainerChoice *)g_ptr_array_index (self->trainers, i))->name);
      adw_preferences_group_add (self->trainers_group, row);
      g_ptr_array_add (self->trainer_rows, row);
    }
  if (self->trainers->len == 0)
    adw_preferences_group_set_description (self->trainers_group,
                                           _("No trainers yet: add them on the Trainers page, then here."));
  return self;
}

/**
 * td_session_editor_new:
 *
 * A dialog for a new session of @class_uuid. Emits ::saved once it is
 * written, and closes.
 */
TdSessionEditor *
td_session_editor_new (TdStore    *store,
                       GtkWindow  *parent,
                       const char *class_uuid)
{
  TdSessionEditor *self;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);
  g_return_val_if_fail (class_uuid != NULL, NULL);

  self = td_session_editor_create (store, parent);
  self->class_uuid = g_strdup (class_uuid);
  return self;
}

/**
 * td_session_editor_new_for_session:
 *
 * Returns: (nullable): the dialog over the session as stored; NULL, and
 *   @error set, when it cannot be read
 */
TdSessionEditor *
td_session_editor_new_for_session (TdStore     *store,
                                   GtkWindow   *parent,
                                   const char  *session_uuid,
                                   GError     **error)
{
  g_autoptr(TdClassSessionRecord) r = NULL;
  TdSessionEditor *self;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  if (!(r = td_class_session_read (store, session_uuid, error)))
    return NULL;
  self = td_session_editor_create (store, parent);
  self->session_uuid = g_strdup (session_uuid);
  self->class_uuid = g_strdup (r->class_uuid);
  gtk_window_set_title (GTK_WINDOW (self), _("Edit Session"));
  gtk_editable_set_text (GTK_EDITABLE (self->day_row), r->held_on);
  gtk_editable_set_text (GTK_EDITABLE (self->starts_row), r->starts_at);
  gtk_editable_set_text (GTK_EDITABLE (self->ends_row), r->ends_at);
  td_class_rows_set_number (self->hours_row, r->hours);
  for (guint i = 0; i < self->venues->len; i++)
    if (g_str_equal (((TdNamedRow *)g_ptr_array_index (self->venues, i))->uuid, r->venue_uuid))
      adw_combo_row_set_selected (self->venue_row, i + 1);
  for (guint t = 0; t < r->trainers->len; t++)
    {
      const TdSessionTrainerHours *taught = g_ptr_array_index (r->trainers, t);

      for (guint i = 0; i < self->trainers->len; i++)
        if (g_str_equal (((TdTrainerChoice *)g_ptr_array_index (self->trainers, i))->uuid, taught->trainer_uuid))
          td_class_rows_set_number (g_ptr_array_index (self->trainer_rows, i), taught->hours);
    }
  return self;
}

/* For the tests: what a person types: "day", "starts-at", "ends-at" or
 * "hours". */
void
td_session_editor_set_text (TdSessionEditor *self,
                            const char      *field,
                            const char      *text)
{
  AdwEntryRow *row = NULL;

  g_return_if_fail (TD_IS_SESSION_EDITOR (self));

  if (g_str_equal (field, "day"))
    row = self->day_row;
  else if (g_str_equal (field, "starts-at"))
    row = self->starts_row;
  else if (g_str_equal (field, "ends-at"))
    row = self->ends_row;
  else if (g_str_equal (field, "hours"))
    row = self->hours_row;
  g_return_if_fail (row != NULL);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

/* For the tests: the hours of the @index-th trainer (by name). */
void
td_session_editor_set_trainer_hours (TdSessionEditor *self,
                                     guint            index,
                                     const char      *text)
{
  g_return_if_fail (TD_IS_SESSION_EDITOR (self));
  g_return_if_fail (index < self->trainer_rows->len);

  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (self->trainer_rows, index)), text);
}

const char *
td_session_editor_get_error (TdSessionEditor *self)
{
  g_return_val_if_fail (TD_IS_SESSION_EDITOR (self), NULL);

  return td_class_rows_get_error (self->error_label);
}
