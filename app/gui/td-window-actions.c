/* td-window-actions.c: what the window's menu and shortcuts do
 *
 * The win.* actions, apart from the window that builds the pages: back up
 * and restore (the file chooser through td-gui-util.c), the dialogs that
 * sign, compare and change the passphrase, the preferences and the help.
 * The window's state is in td-window-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-window"

#include "config.h"

#include <glib/gi18n.h>

#include "td-gui-util.h"
#include "td-passphrase-dialog.h"
#include "td-preferences-window.h"
#include "td-record-page.h"
#include "td-revisions-dialog.h"
#include "td-school-page.h"
#include "td-signoff-dialog.h"
#include "td-trainer-sheet-dialog.h"
#include "td-window-private.h"

static void
td_window_actions_show_page (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  td_window_show_page (TD_WINDOW (widget), g_variant_get_string (parameter, NULL), TRUE);
}

/* The record page of @kind within @widget (a kind's own page, or a tab of
 * the page it shares). */
static TdRecordPage *
td_window_actions_find_record_page (GtkWidget  *widget,
                                    const char *kind)
{
  if (TD_IS_RECORD_PAGE (widget))
    {
      TdRecordList *list = td_record_page_get_list (TD_RECORD_PAGE (widget));

      return g_str_equal (td_record_list_get_kind (list)->id, kind) ? TD_RECORD_PAGE (widget) : NULL;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      TdRecordPage *found = td_window_actions_find_record_page (child, kind);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* win.show-records (kind, label, uuids): those records of a kind on its
 * page and nothing else, under @label (what a figure of the form counts:
 * td_record_page_show_only()). */
static void
td_window_actions_show_records (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  TdWindow *self = TD_WINDOW (widget);
  const char *kind_id, *label;
  g_autofree const char **uuids = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  const TdRecordKind *kind;
  const char *page_name;
  TdRecordPage *record_page;
  GtkWidget *page, *parent;
  gsize n = 0;

  g_variant_get (parameter, "(&s&s^a&s)", &kind_id, &label, &uuids);
  if (!(kind = td_record_kind_lookup (kind_id)))
    return;
  /* Venues are listed beside the equipment (td-record-kind.c). */
  page_name = td_record_kind_get_page (kind);
  if (!(page = td_window_get_page_widget (self, page_name)) ||
      !(record_page = td_window_actions_find_record_page (page, kind_id)))
    return;
  for (n = 0; uuids[n] != NULL; n++)
    g_ptr_array_add (list, (gpointer)uuids[n]);
  parent = gtk_widget_get_parent (GTK_WIDGET (record_page));
  if (parent != NULL && ADW_IS_VIEW_STACK (parent))
    adw_view_stack_set_visible_child (ADW_VIEW_STACK (parent), GTK_WIDGET (record_page));
  td_record_page_show_only (record_page, list, label);
  td_window_show_page (self, page_name, TRUE);
}

/* Start This Year's Campaign… from anywhere (the Overview's passed
 * deadline): the dialog belongs to the Intent Form page, which is shown
 * behind it so that the new campaign's form is what the user sees after. */
static void
td_window_actions_new_campaign (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  TdWindow *self = TD_WINDOW (widget);

  td_window_show_page (self, "form", TRUE);
  gtk_widget_activate_action (td_window_ensure_page (self, td_window_page_index ("form")), "form.new-campaign", NULL);
}

static void
td_window_actions_navigate_back (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  TdWindow *self = TD_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
td_window_actions_backup_done_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(TdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;
  g_autofree char *message = NULL;

  if (!td_store_backup_to_finish (TD_STORE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        td_gui_show_error (GTK_WIDGET (self), _("Backup Failed"), error);
      return;
    }

  display = g_filename_display_name (self->backup_path);
  message = g_strdup_printf (_("Backed up to “%s”"), display);
  td_window_toast (self, message);
}

static void
td_window_actions_backup_chosen_cb (gpointer  owner,
                                    GFile    *file)
{
  TdWindow *self = TD_WINDOW (owner);
  g_autofree char *path = file ? g_file_get_path (file) : NULL;

  if (path == NULL)
    return;

  if (self->school_page != NULL)
    td_school_page_flush (self->school_page);
  g_free (self->backup_path);
  self->backup_path = g_strdup (path);
  td_store_backup_to_async (self->store, path, self->cancellable, td_window_actions_backup_done_cb,
                            g_object_ref (self));
}

static GtkFileChooserNative *
td_window_actions_new_chooser (TdWindow             *self,
                               const char           *title,
                               GtkFileChooserAction  action,
                               const char           *accept)
{
  GtkFileChooserNative *chooser = td_gui_file_chooser_new (GTK_WIDGET (self), title, action, accept);

  td_gui_file_chooser_add_filter (chooser, _("Training Desk databases"), "*.db", NULL);
  return chooser;
}

static void
td_window_actions_backup (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  TdWindow *self = TD_WINDOW (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "training-desk-%Y-%m-%d.db");
  g_autofree char *dir = g_path_get_dirname (td_store_get_path (self->store));
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;

  chooser = td_window_actions_new_chooser (self, _("Back Up the Database"), GTK_FILE_CHOOSER_ACTION_SAVE,
                                           _("_Back Up"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  td_gui_file_chooser_show (chooser, &self->chooser, self, td_window_actions_backup_chosen_cb);
}

static void
td_window_actions_restore_done_cb (GObject      *object,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  g_autoptr(TdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  gboolean undoing = self->undoing_restore;
  AdwToast *t;

  gtk_widget_set_sensitive (GTK_WIDGET (self->leaflet), TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restore", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-restore", TRUE);

  if (!td_store_restore_finish (TD_STORE (object), result, &kept, &error))
    {
      td_gui_show_error (GTK_WIDGET (self), _("Restore Failed"), error);
      return;
    }

  if (undoing)
    {
      td_window_toast (self, _("The restore was undone."));
      return;
    }

  {
    g_autofree char *display = g_filename_display_name (kept);
    g_autofree char *message = g_strdup_printf (_("Restored. What was there before is kept in “%s”."), display);

    t = adw_toast_new (message);
  }
  adw_toast_set_timeout (t, 10);
  adw_toast_set_button_label (t, _("_Undo"));
  adw_toast_set_action_name (t, "win.undo-restore");
  adw_toast_set_action_target_value (t, g_variant_new_string (kept));
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

/* Replaces the content from @path off the main loop; the window waits. */
static void
td_window_actions_restore_from (TdWindow   *self,
                                const char *path,
                                gboolean    undoing)
{
  if (self->school_page != NULL)
    td_school_page_flush (self->school_page);
  /* Focus leaves first: a focused entry must not turn insensitive. */
  gtk_root_set_focus (GTK_ROOT (self), NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->leaflet), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restore", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-restore", FALSE);
  self->undoing_restore = undoing;
  td_store_restore_async (self->store, path, NULL, td_window_actions_restore_done_cb, g_object_ref (self));
}

static void
td_window_actions_restore_confirmed_cb (AdwMessageDialog *dialog,
                                        const char       *response,
                                        TdWindow         *self)
{
  if (g_strcmp0 (response, "restore") == 0)
    td_window_actions_restore_from (self, g_object_get_data (G_OBJECT (dialog), "td-path"), FALSE);
}

/* The content restored over is kept as a backup: undoing restores it. */
static void
td_window_actions_undo_restore (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  td_window_actions_restore_from (TD_WINDOW (widget), g_variant_get_string (parameter, NULL), TRUE);
}

static void
td_window_actions_restore_chosen_cb (gpointer  owner,
                                     GFile    *file)
{
  TdWindow *self = TD_WINDOW (owner);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = file ? g_file_get_path (file) : NULL;
  g_autofree char *display = NULL;
  GtkWidget *dialog;

  if (path == NULL)
    return;

  /* Check first, so a bad file is refused before anything is asked. */
  if (!td_store_check_file (path, &error))
    {
      td_gui_show_error (GTK_WIDGET (self), _("This File Cannot Be Restored"), error);
      return;
    }

  display = g_filename_display_name (path);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Restore From This Backup?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Everything in Training Desk will be replaced by the content of “%s”. "
                                    "What is there now is kept as a backup next to the database first."),
                                  display);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "restore",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "td-path", g_steal_pointer (&path), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (td_window_actions_restore_confirmed_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
td_window_actions_restore (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  TdWindow *self = TD_WINDOW (widget);
  g_autofree char *dir = g_path_get_dirname (td_store_get_path (self->store));
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;

  chooser = td_window_actions_new_chooser (self, _("Restore From a Backup"), GTK_FILE_CHOOSER_ACTION_OPEN,
                                           _("_Open"));
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  td_gui_file_chooser_show (chooser, &self->chooser, self, td_window_actions_restore_chosen_cb);
}

/* Sign-off (issue 5): each dialog says what it did, for a toast. */
static void
td_window_actions_dialog_finished_cb (TdWindow   *self,
                                      const char *message)
{
  td_window_toast (self, message);
}

static void
td_window_actions_present_dialog (TdWindow  *self,
                                  GtkWidget *dialog)
{
  g_signal_connect_object (dialog, "finished", G_CALLBACK (td_window_actions_dialog_finished_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
td_window_actions_sign_off (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  TdWindow *self = TD_WINDOW (widget);
  TdSignoffDialog *dialog;

  td_window_flush_pages (self);
  dialog = td_signoff_dialog_new (GTK_WINDOW (self), self->session);
  g_signal_connect_object (dialog, "signed", G_CALLBACK (td_window_send_revision), self, G_CONNECT_SWAPPED);
  td_window_actions_present_dialog (self, GTK_WIDGET (dialog));
}

static void
td_window_actions_revisions (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  TdWindow *self = TD_WINDOW (widget);

  td_window_flush_pages (self);
  gtk_window_present (GTK_WINDOW (td_revisions_dialog_new (GTK_WINDOW (self), self->session)));
}

static void
td_window_actions_trainer_sheet (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  TdWindow *self = TD_WINDOW (widget);

  /* Edits in progress count: the sheet reads what is saved. */
  td_window_flush_pages (self);
  gtk_window_present (GTK_WINDOW (td_trainer_sheet_dialog_new (GTK_WINDOW (self), self->store)));
}

static void
td_window_actions_change_passphrase (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  TdWindow *self = TD_WINDOW (widget);

  td_window_flush_pages (self);
  td_window_actions_present_dialog (self, GTK_WIDGET (td_passphrase_dialog_new (GTK_WINDOW (self), self->store)));
}

static void
td_window_actions_preferences (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  TdWindow *self = TD_WINDOW (widget);

  if (self->preferences == NULL)
    {
      self->preferences = GTK_WINDOW (td_preferences_window_new_for_session (GTK_WINDOW (self), self->session));
      g_object_add_weak_pointer (G_OBJECT (self->preferences), (gpointer *)&self->preferences);
    }
  gtk_window_present (self->preferences);
}

/* Ctrl+? and Keyboard Shortcuts: the shortcuts window, built the first
 * time it is asked for rather than with every window as GTK does for a
 * resource at gtk/help-overlay.ui (some 12 ms of each start). Given to
 * the window as its help overlay, so that the shortcuts named by action
 * show the application's accelerators. */
static void
td_window_actions_show_shortcuts (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (widget);

  if (gtk_application_window_get_help_overlay (window) == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_PATH "/td-shortcuts-window.ui");

      gtk_application_window_set_help_overlay (window,
                                               GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
    }
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
}

/* F1 and Help: the help (Mallard, help/) in the desktop's help viewer, at
 * the page about what the window shows. Launched with GIO rather than
 * gtk_show_uri(), which only logs a failure: without a viewer for help:
 * URIs (yelp is not installed) the window says so. The help is installed
 * under the base app id, also for the .Devel flavour. */
#define TD_WINDOW_HELP_ID "io.github.vocedu.TrainingDesk"

static const char *
td_window_actions_help_topic (const char *page)
{
  static const struct {
    const char *page;
    const char *topic;
  } topics[] = {
    { "overview", "overview" },
    { "school", "school-profile" },
    { "classes", "classes" },
    { "form", "intent-form" },
    { "outbox", "outbox" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (topics); i++)
    if (g_strcmp0 (page, topics[i].page) == 0)
      return topics[i].topic;
  /* Every kind's page. */
  if (td_window_page_shows_records (page))
    return "records";
  return NULL;
}

static void
td_window_actions_help_launched_cb (GObject      *source,
                                    GAsyncResult *result,
                                    gpointer      user_data)
{
  g_autoptr(TdWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (TD_IS_WINDOW (self));

  /* The window may have closed meanwhile (the cancellable says so). */
  if (g_app_info_launch_default_for_uri_finish (result, &error)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_cancellable_is_cancelled (self->cancellable))
    return;

  g_debug ("Help not shown: %s", error->message);
  td_window_toast (self, _("The help could not be opened: install the help viewer “Help” (the package yelp)."));
}

static void
td_window_actions_help (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TdWindow *self = TD_WINDOW (widget);
  const char *topic = td_window_actions_help_topic (td_window_get_page (self));
  g_autofree char *uri = NULL;
  g_autoptr(GdkAppLaunchContext) context = NULL;

  uri = topic ? g_strdup_printf ("help:%s/%s", TD_WINDOW_HELP_ID, topic)
              : g_strdup ("help:" TD_WINDOW_HELP_ID);
  context = gdk_display_get_app_launch_context (gtk_widget_get_display (widget));
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), self->cancellable,
                                           td_window_actions_help_launched_cb, g_object_ref (self));
}

void
td_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", td_window_actions_show_page);
  gtk_widget_class_install_action (widget_class, "win.show-records", "(ssas)", td_window_actions_show_records);
  gtk_widget_class_install_action (widget_class, "win.navigate-back", NULL, td_window_actions_navigate_back);
  gtk_widget_class_install_action (widget_class, "win.backup", NULL, td_window_actions_backup);
  gtk_widget_class_install_action (widget_class, "win.restore", NULL, td_window_actions_restore);
  gtk_widget_class_install_action (widget_class, "win.undo-restore", "s", td_window_actions_undo_restore);
  gtk_widget_class_install_action (widget_class, "win.sign-off", NULL, td_window_actions_sign_off);
  gtk_widget_class_install_action (widget_class, "win.revisions", NULL, td_window_actions_revisions);
  gtk_widget_class_install_action (widget_class, "win.trainer-sheet", NULL, td_window_actions_trainer_sheet);
  gtk_widget_class_install_action (widget_class, "win.change-passphrase", NULL,
                                   td_window_actions_change_passphrase);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, td_window_actions_preferences);
  gtk_widget_class_install_action (widget_class, "win.help", NULL, td_window_actions_help);
  gtk_widget_class_install_action (widget_class, "win.show-shortcuts", NULL, td_window_actions_show_shortcuts);
  gtk_widget_class_install_action (widget_class, "win.new-campaign", NULL, td_window_actions_new_campaign);

  /* Not Ctrl+Shift+S: the application gives that to win.backup. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_ALT_MASK, "win.sign-off", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F1, 0, "win.help", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.trainer-sheet", NULL);
}
