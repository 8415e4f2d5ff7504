/* td-classes-page-actions.c: running a class from its page
 *
 * What an office does to a class once it exists, each an action of the
 * page with its key: edit the class (Ctrl+E), add a session (Ctrl+T),
 * edit one (Enter on its row) or delete it (asked first, then Undo: the
 * core hands the session back with its trainers and marks), enrol a
 * trainee by hand (Ctrl+R) or import a roster (Ctrl+I), a trainee's
 * assessment and follow-up (Enter on the roster row), attendance from a
 * spreadsheet (Ctrl+Shift+I) and the roster with full ID numbers
 * (Ctrl+Shift+E), which says first that the file holds personal data.
 *
 * Every write is the core's, one transaction each (td-class-edit.c,
 * td-classes.c, td-trainee.c); the page reads again after the store's
 * "changed", so what is shown — hours, completion, the year's counts —
 * is what was computed from the rows just written. Rosters and attendance
 * files are written on a worker, as a record page's import is
 * (td_import_commit_async), the window insensitive meanwhile so that
 * nothing else uses the store: a class-sized file is quick (measured on
 * the shared build machine: a 60-row roster 19–24 ms, a 60 × 40
 * attendance sheet of 2,400 marks 49–62 ms), but a roster at
 * TD_ROSTER_MAX_ROWS (5,000) takes 1.0–1.4 s, which would freeze the
 * window on the main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-classes-page"

#include "config.h"

#include <glib/gi18n.h>

#include "td-class-edit.h"
#include "td-class-editor.h"
#include "td-classes-page-private.h"
#include "td-enrol-dialog.h"
#include "td-gui-util.h"
#include "td-outcome-dialog.h"
#include "td-session-editor.h"
#include "td-trainee.h"

static GtkWindow *
td_classes_page_actions_window (TdClassesPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* Enabled where they apply: a class's own actions on its detail. */
void
td_classes_page_actions_update (TdClassesPage *self)
{
  static const char * const detail_actions[] = {
    "classes.add-session", "classes.enrol", "classes.import-roster", "classes.import-attendance",
    "classes.export-roster",
  };
  gboolean detail = self->detail_uuid != NULL;

  for (guint i = 0; i < G_N_ELEMENTS (detail_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), detail_actions[i], detail);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "classes.undo", self->deleted_session != NULL);
}

static void
td_classes_page_actions_toast_cb (TdClassesPage *self,
                                  const char    *uuid)
{
  g_assert (TD_IS_CLASSES_PAGE (self));

  td_gui_toast (self->toast_overlay, _("Saved"), 3);
}

/* The class */

static void
td_classes_page_edit_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  TdClassesPage *self = TD_CLASSES_PAGE (widget);
  const char *uuid = td_classes_page_current_uuid (self);
  g_autoptr(GError) error = NULL;
  TdClassEditor *editor;

  if (uuid == NULL)
    return;
  editor = td_class_editor_new_for_class (self->store, td_classes_page_actions_window (self), uuid, &error);
  if (editor == NULL)
    {
      td_gui_show_error (widget, _("The Class Could Not Be Opened"), error);
      return;
    }
  g_signal_connect_object (editor, "saved", G_CALLBACK (td_classes_page_actions_toast_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

/* Sessions */

static void
td_classes_page_session_added_cb (TdClassesPage *self,
                                  const char    *uuid)
{
  g_assert (TD_IS_CLASSES_PAGE (self));

  td_gui_toast (self->toast_overlay, _("Session added"), 3);
}

static void
td_classes_page_add_session_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  TdClassesPage *self = TD_CLASSES_PAGE (widget);
  TdSessionEditor *editor;

  if (self->detail_uuid == NULL)
    return;
  editor = td_session_editor_new (self->store, td_classes_page_actions_window (self), self->detail_uuid);
  g_signal_connect_object (editor, "saved", G_CALLBACK (td_classes_page_session_added_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
td_classes_page_edit_session_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  TdClassesPage *self = TD_CLASSES_PAGE (widget);
  g_autoptr(GError) error = NULL;
  TdSessionEditor *editor;

  editor = td_session_editor_new_for_session (self->store, td_classes_page_actions_window (self),
                                              g_variant_get_string (parameter, NULL), &error);
  if (editor == NULL)
    {
      td_gui_show_error (widget, _("The Session Could Not Be Opened"), error);
      return;
    }
  g_signal_connect_object (editor, "saved", G_CALLBACK (td_classes_page_actions_toast_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
td_classes_page_undo_dismissed_cb (TdClassesPage *self,
                                   AdwToast      *toast)
{
  g_assert (TD_IS_CLASSES_PAGE (self));

  /* Only the newest deletion can be undone, while its toast is shown. */
  if (self->undo_toast != toast)
    return;
  self->undo_toast = NULL;
  g_clear_pointer (&self->deleted_session, td_class_session_record_free);
  td_classes_page_actions_update (self);
}

typedef struct
{
  GWeakRef  page;
  char     *uuid;
} TdClassesPageSessionDelete;

static void
td_classes_page_delete_session_response_cb (AdwMessageDialog *dialog,
                                            const char       *response,
                                            gpointer          user_data)
{
  TdClassesPageSessionDelete *del = user_data;
  g_autoptr(TdClassesPage) self = g_weak_ref_get (&del->page);
  g_autoptr(GError) error = NULL;
  TdClassSessionRecord *deleted = NULL;

  if (self != NULL && g_strcmp0 (response, "delete") == 0)
    {
      if (!td_class_session_delete (self->store, del->uuid, &deleted, &error))
        td_gui_show_error (GTK_WIDGET (self), _("The Session Could Not Be Deleted"), error);
      else
        {
          AdwToast *toast = adw_toast_new (_("Session deleted"));

          g_clear_pointer (&self->deleted_session, td_class_session_record_free);
          self->deleted_session = deleted;
          adw_toast_set_button_label (toast, _("_Undo"));
          adw_toast_set_action_name (toast, "classes.undo");
          adw_toast_set_timeout (toast, 10);
          g_signal_connect_object (toast, "dismissed", G_CALLBACK (td_classes_page_undo_dismissed_cb), self,
                                   G_CONNECT_SWAPPED);
          self->undo_toast = toast;
          adw_toast_overlay_add_toast (self->toast_overlay, toast);
          td_classes_page_actions_update (self);
        }
    }
  g_weak_ref_clear (&del->page);
  g_free (del->uuid);
  g_free (del);
}

static void
td_classes_page_delete_session_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  TdClassesPage *self = TD_CLASSES_PAGE (widget);
  const char *uuid = g_variant_get_string (parameter, NULL);
  g_autoptr(TdClassSessionRecord) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *heading = NULL;
  TdClassesPageSessionDelete *del;
  GtkWidget *dialog;

  if (!(session = td_class_session_read (self->store, uuid, &error)))
    {
      td_gui_show_error (widget, _("The Session Could Not Be Deleted"), error);
      return;
    }
  /* Translators: a session's day and times */
  heading = g_strdup_printf (_("Delete the Session of %s, %s–%s?"), session->held_on, session->starts_at,
                             session->ends_at);
  dialog = adw_message_dialog_new (td_classes_page_actions_window (self), heading,
                                   _("Its attendance marks and its trainers’ hours go with it; each trainee’s hours "
                                     "and completion are counted again. Undo puts it back."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  del = g_new0 (TdClassesPageSessionDelete, 1);
  g_weak_ref_init (&del->page, self);
  del->uuid = g_strdup (uuid);
  g_signal_connect (dialog, "response", G_CALLBACK (td_classes_page_delete_session_response_cb), del);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
td_classes_page_undo_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  TdClassesPage *self = TD_CLASSES_PAGE (widget);
  g_autoptr(TdClassSessionRecord) deleted = g_steal_pointer (&self->deleted_session);
  g_autoptr(GError) error = NULL;

  if (self->undo_toast != NULL)
    {
      AdwToast *toast = g_steal_pointer (&self->undo_toast);

      adw_toast_dismiss (toast);
    }
  td_classes_page_actions_update (self);
  if (deleted == NULL)
    return;
  if (!td_class_session_restore (self->store, deleted, &error))
    td_gui_show_error (widget, _("The Session Could Not Be Put Back"), error);
  else
    td_gui_toast (self->toast_overlay, _("Session restored"), 3);
}

/* The roster */

static void
td_classes_page_enrolled_cb (TdClassesPage *self,
                             const char    *uuid,
                             const char    *name)
{
  /* Translators: a trainee's name */
  g_autofree char *message = g_strdup_printf (_("%s enrolled"), name);

  g_assert (TD_IS_CLASSES_PAGE (self));

  td_gui_toast (self->toast_overlay, message, 3);
}

static void
td_classes_page_enrol_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  TdClassesPage *self = TD_CLASSES_PAGE (widget);
  TdEnrolDialog *dialog;

  if (self->detail_uuid == NULL)
    return;
  dialog = td_enrol_dialog_new (self->store, td_classes_page_actions_window (self), self->detail_uuid);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (td_classes_page_enrolled_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
td_classes_page_edit_outcome_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  TdClassesPage *self = TD_CLASSES_PAGE (widget);
  g_autoptr(GError) error = NULL;
  TdOutcomeDialog *dialog;

  dialog = td_outcome_dialog_new (self->store, td_classes_page_actions_window (self),
                                  g_variant_get_string (parameter, NULL), &error);
  if (dialog == NULL)
    {
      td_gui_show_error (widget, _("The Trainee Could Not Be Opened"), error);
      return;
    }
  g_signal_connect_object (dialog, "saved", G_CALLBACK (td_classes_page_actions_toast_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  TdStore  *store;
  char     *class_uuid;
  char     *path;
  gboolean  attendance;
  guint     n;
} TdClassesPageImport;

static void
td_classes_page_import_free (gpointer data)
{
  TdClassesPageImport *imp = data;

  g_clear_object (&imp->store);
  g_free (imp->class_uuid);
  g_free (imp->path);
  g_free (imp);
}

static void
td_classes_page_import_thread (GTask        *task,
                               gpointer      source_object,
                               gpointer      task_data,
                               GCancellable *cancellable)
{
  TdClassesPageImport *imp = task_data;
  GError *error = NULL;
  gboolean done;

  if (imp->attendance)
    done = td_attendance_import (imp->store, imp->class_uuid, imp->path, &imp->n, &error);
  else
    done = td_roster_import (imp->store, imp->class_uuid, imp->path, &imp->n, &error);
  if (done)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
td_classes_page_import_done_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  TdClassesPage *self = TD_CLASSES_PAGE (object);
  TdClassesPageImport *imp = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  GtkWindow *window = td_classes_page_actions_window (self);

  self->importing = FALSE;
  if (window != NULL)
    gtk_widget_set_sensitive (GTK_WIDGET (window), TRUE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      td_gui_show_error (GTK_WIDGET (self),
                         imp->attendance ? _("The Attendance Was Not Imported") : _("The Roster Was Not Imported"),
                         error);
      return;
    }
  if (imp->attendance)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u attendance mark recorded",
                                            "%u attendance marks recorded", imp->n), imp->n);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u trainee enrolled", "%u trainees enrolled", imp->n),
                               imp->n);
  td_gui_toast (self->toast_overlay, message, 4);
}

static void
td_classes_page_import_from (TdClassesPage *self,
                             const char    *path,
                             gboolean       attendance)
{
  g_autoptr(GTask) task = NULL;
  TdClassesPageImport *imp;
  GtkWindow *window = td_classes_page_actions_window (self);

  if (self->detail_uuid == NULL || self->importing)
    return;
  imp = g_new0 (TdClassesPageImport, 1);
  imp->store = g_object_ref (self->store);
  imp->class_uuid = g_strdup (self->detail_uuid);
  imp->path = g_strdup (path);
  imp->attendance = attendance;
  /* Nothing else uses the store until it is written: the window waits,
   * as it does behind a record page's modal import. */
  self->importing = TRUE;
  if (window != NULL)
    gtk_widget_set_sensitive (GTK_WIDGET (window), FALSE);
  task = g_task_new (self, NULL, td_classes_page_import_done_cb, NULL);
  g_task_set_source_tag (task, td_classes_page_import_from);
  g_task_set_task_data (task, imp, td_classes_page_import_free);
  g_task_run_in_thread (task, td_classes_page_import_thread);
}

/**
 * td_classes_page_import_roster_from:
 *
 * Enrols the trainees of a roster file in the class shown, all or none,
 * on a worker, as Ctrl+I does once a file is chosen; says how many, or
 * shows the refusal. td_classes_page_is_busy() until done.
 */
void
td_classes_page_import_roster_from (TdClassesPage *self,
                                    const char    *path)
{
  g_return_if_fail (TD_IS_CLASSES_PAGE (self));

  td_classes_page_import_from (self, path, FALSE);
}

/**
 * td_classes_page_import_attendance_from:
 *
 * Records the class shown's attendance from a file, all or nothing, on a
 * worker, as Ctrl+Shift+I does.
 */
void
td_classes_page_import_attendance_from (TdClassesPage *self,
                                        const char    *path)
{
  g_return_if_fail (TD_IS_CLASSES_PAGE (self));

  td_classes_page_import_from (self, path, TRUE);
}

/**
 * td_classes_page_export_roster_to:
 *
 * Writes the class shown's roster with full ID numbers and phones, as
 * Ctrl+Shift+E does once asked and a file is chosen.
 */
gboolean
td_classes_page_export_roster_to (TdClassesPage *self,
                                  const char    *path)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (TD_IS_CLASSES_PAGE (self), FALSE);

  if (self->detail_uuid == NULL)
    return FALSE;
  if (!td_roster_export (self->store, self->detail_uuid, path, TRUE, &error))
    {
      td_gui_show_error (GTK_WIDGET (self), _("The Roster Was Not Exported"), error);
      return FALSE;
    }
  td_gui_toast (self->toast_overlay, _("Roster exported with ID numbers: keep the file safe"), 6);
  return TRUE;
}

static void
td_classes_page_roster_chosen_cb (gpointer  owner,
                                  GFile    *file)
{
  g_autofree char *path = file ? g_file_get_path (file) : NULL;

  if (path != NULL)
    td_classes_page_import_roster_from (owner, path);
}

static void
td_classes_page_attendance_chosen_cb (gpointer  owner,
                                      GFile    *file)
{
  g_autofree char *path = file ? g_file_get_path (file) : NULL;

  if (path != NULL)
    td_classes_page_import_attendance_from (owner, path);
}

static void
td_classes_page_export_chosen_cb (gpointer  owner,
                                  GFile    *file)
{
  g_autofree char *path = file ? g_file_get_path (file) : NULL;

  if (path != NULL)
    td_classes_page_export_roster_to (owner, path);
}

static void
td_classes_page_choose_file (TdClassesPage     *self,
                             const char        *title,
                             TdGuiFileCallback  callback)
{
  GtkFileChooserNative *chooser;

  if (self->detail_uuid == NULL || self->chooser != NULL)
    return;
  chooser = td_gui_file_chooser_new (GTK_WIDGET (self), title, GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"));
  td_gui_file_chooser_add_filter (chooser, _("Spreadsheets (CSV, XLSX)"), "*.csv", "*.CSV", "*.xlsx", "*.XLSX", NULL);
  td_gui_file_chooser_show (chooser, &self->chooser, self, callback);
}

static void
td_classes_page_import_roster_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  td_classes_page_choose_file (TD_CLASSES_PAGE (widget), _("Import a Roster"), td_classes_page_roster_chosen_cb);
}

static void
td_classes_page_import_attendance_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter)
{
  td_classes_page_choose_file (TD_CLASSES_PAGE (widget), _("Import Attendance"),
                               td_classes_page_attendance_chosen_cb);
}

static void
td_classes_page_export_response_cb (AdwMessageDialog *dialog,
                                    const char       *response,
                                    gpointer          user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(TdClassesPage) self = g_weak_ref_get (ref);

  g_weak_ref_clear (ref);
  g_free (ref);
  if (self != NULL && g_strcmp0 (response, "export") == 0 && self->detail_uuid != NULL && self->chooser == NULL)
    {
      GtkFileChooserNative *chooser = td_gui_file_chooser_new (GTK_WIDGET (self), _("Export the Roster With ID Numbers"),
                                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"));
      g_autofree char *name = g_strdup_printf ("%s.csv", gtk_label_get_text (self->detail_title));

      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
      td_gui_file_chooser_show (chooser, &self->chooser, self, td_classes_page_export_chosen_cb);
    }
}

static void
td_classes_page_export_roster_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  TdClassesPage *self = TD_CLASSES_PAGE (widget);
  GWeakRef *ref;
  GtkWidget *dialog;

  if (self->detail_uuid == NULL)
    return;
  dialog = adw_message_dialog_new (td_classes_page_actions_window (self),
                                   _("Export the Roster With Full ID Numbers?"),
                                   _("The file will hold each trainee’s full ID number and phone: personal "
                                     "information. Keep it where only those who need it can read it, and delete it "
                                     "when it has served. Lists in the app show the numbers masked."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "export", _("_Export With ID Numbers"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "export", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  g_signal_connect (dialog, "response", G_CALLBACK (td_classes_page_export_response_cb), ref);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
td_classes_page_actions_dispose (TdClassesPage *self)
{
  td_gui_file_chooser_clear (&self->chooser);
  self->undo_toast = NULL;
  g_clear_pointer (&self->deleted_session, td_class_session_record_free);
}

void
td_classes_page_actions_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "classes.edit", NULL, td_classes_page_edit_action);
  gtk_widget_class_install_action (widget_class, "classes.add-session", NULL, td_classes_page_add_session_action);
  gtk_widget_class_install_action (widget_class, "classes.edit-session", "s", td_classes_page_edit_session_action);
  gtk_widget_class_install_action (widget_class, "classes.delete-session", "s",
                                   td_classes_page_delete_session_action);
  gtk_widget_class_install_action (widget_class, "classes.undo", NULL, td_classes_page_undo_action);
  gtk_widget_class_install_action (widget_class, "classes.enrol", NULL, td_classes_page_enrol_action);
  gtk_widget_class_install_action (widget_class, "classes.edit-outcome", "s", td_classes_page_edit_outcome_action);
  gtk_widget_class_install_action (widget_class, "classes.import-roster", NULL, td_classes_page_import_roster_action);
  gtk_widget_class_install_action (widget_class, "classes.import-attendance", NULL,
                                   td_classes_page_import_attendance_action);
  gtk_widget_class_install_action (widget_class, "classes.export-roster", NULL, td_classes_page_export_roster_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "classes.edit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "classes.add-session", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "classes.enrol", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "classes.import-roster", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_I, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "classes.import-attendance", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_E, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "classes.export-roster", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "classes.undo", NULL);
}
