/* td-application.c: one process, a window per open database
 *
 * The application owns a TdSession per open database (td-session.c) and
 * keeps it while a window shows it or it still has something to send:
 * closing the last window leaves the sending to the application, held
 * until the outbox is empty. The command line is td-application-cli.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-application"

#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>

#include "td-application.h"
#include "td-application-cli.h"
#include "td-application-private.h"
#include "td-extras.h"
#include "td-gui-util.h"
#include "td-outbox-page.h"
#include "td-session.h"
#include "td-store.h"
#include "td-sync.h"
#include "td-window.h"

struct _TdApplication
{
  AdwApplication parent_instance;

  gboolean       quit_after_first_frame;

  /* TdSession*: one per open database, shown by windows or still sending
   * (td_application_update_session()). */
  GPtrArray     *sessions;
  /* TdSession*: those holding the application: sending, with no window. */
  GPtrArray     *held;
  guint          update_id;
};

G_DEFINE_FINAL_TYPE (TdApplication, td_application, ADW_TYPE_APPLICATION)

TdApplication *
td_application_new (void)
{
  return g_object_new (TD_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

/* The first window showing @session, if any. */
static TdWindow *
td_application_find_window (TdApplication *self,
                            TdSession     *session)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (TD_IS_WINDOW (l->data) && td_window_get_session (l->data) == session)
      return l->data;
  return NULL;
}

static TdSession *
td_application_find_session (TdApplication *self,
                             const char    *path)
{
  for (guint i = 0; i < self->sessions->len; i++)
    {
      TdSession *session = g_ptr_array_index (self->sessions, i);

      if (g_strcmp0 (td_session_get_path (session), path) == 0)
        return session;
    }
  return NULL;
}

/* A database that cannot be opened still gets a window: launched from the
 * desktop, nobody reads stderr. Nor is it a dead end (issue 13): it offers
 * to open another file, or to restore this one from a backup, the file
 * that cannot be opened kept aside (td_store_replace_file()). */

static gboolean td_application_open_database (TdApplication  *self,
                                              const char     *path,
                                              GError        **error);

static void
td_application_open_error_update (GtkWidget    *window,
                                  const char   *path,
                                  const GError *error)
{
  AdwStatusPage *status = g_object_get_data (G_OBJECT (window), "td-status");
  g_autofree char *description = g_strdup_printf ("%s\n\n%s", error->message,
                                                  _("Open another database, or put a backup in this one’s "
                                                    "place: the file that cannot be opened is kept beside it, "
                                                    "not deleted."));

  g_object_set_data_full (G_OBJECT (window), "td-path", g_strdup (path), g_free);
  adw_status_page_set_description (status, description);
}

static void
td_application_open_error_open_file (GtkWidget  *window,
                                     const char *path)
{
  TdApplication *self = TD_APPLICATION (gtk_window_get_application (GTK_WINDOW (window)));
  g_autoptr(GError) error = NULL;

  if (td_application_open_database (self, path, &error))
    gtk_window_destroy (GTK_WINDOW (window));
  else
    td_application_open_error_update (window, path, error);
}

static void
td_application_open_error_restore_from (GtkWidget  *window,
                                        const char *backup)
{
  TdApplication *self = TD_APPLICATION (gtk_window_get_application (GTK_WINDOW (window)));
  g_autofree char *path = g_strdup (g_object_get_data (G_OBJECT (window), "td-path"));
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;

  if (!td_store_replace_file (path, backup, &kept, &error) || !td_application_open_database (self, path, &error))
    {
      adw_status_page_set_title (g_object_get_data (G_OBJECT (window), "td-status"),
                                 _("The Backup Could Not Be Restored"));
      td_application_open_error_update (window, path, error);
      return;
    }
  if (kept != NULL)
    g_message ("The file that could not be opened was kept as %s", kept);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
td_application_open_error_open_chosen_cb (gpointer  owner,
                                          GFile    *file)
{
  g_autofree char *path = file ? g_file_get_path (file) : NULL;

  if (path != NULL)
    td_application_open_error_open_file (owner, path);
}

static void
td_application_open_error_restore_chosen_cb (gpointer  owner,
                                             GFile    *file)
{
  g_autofree char *path = file ? g_file_get_path (file) : NULL;

  if (path != NULL)
    td_application_open_error_restore_from (owner, path);
}

static void
td_application_open_error_choose (GtkWidget *window,
                                  gboolean   restoring)
{
  GtkFileChooserNative *chooser;
  const char *path = g_object_get_data (G_OBJECT (window), "td-path");
  g_autofree char *dir = path ? g_path_get_dirname (path) : NULL;
  g_autoptr(GFile) folder = dir ? g_file_new_for_path (dir) : NULL;

  chooser = td_gui_file_chooser_new (window, restoring ? _("Choose a Backup") : _("Open a Database"),
                                     GTK_FILE_CHOOSER_ACTION_OPEN, restoring ? _("_Restore") : _("_Open"));
  td_gui_file_chooser_add_filter (chooser, _("Training Desk databases"), "*.db", NULL);
  /* Backups are kept beside the database (td_store_daily_backup()). */
  if (folder != NULL && g_file_query_exists (folder, NULL))
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  td_gui_file_chooser_show (chooser, NULL, window,
                            restoring ? td_application_open_error_restore_chosen_cb
                                      : td_application_open_error_open_chosen_cb);
}

static void
td_application_open_error_action_cb (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  GtkWidget *window = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  if (g_str_equal (name, "open-another"))
    td_application_open_error_choose (window, FALSE);
  else if (g_str_equal (name, "restore-backup"))
    td_application_open_error_choose (window, TRUE);
  else if (g_str_equal (name, "open-file"))
    td_application_open_error_open_file (window, g_variant_get_string (parameter, NULL));
  else if (g_str_equal (name, "restore-from"))
    td_application_open_error_restore_from (window, g_variant_get_string (parameter, NULL));
}

static GtkWidget *
td_application_open_error_button (const char *label,
                                  const char *action_name)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_widget_add_css_class (button, "pill");
  return button;
}

GtkWidget *
td_application_show_open_error (TdApplication *self,
                                const char    *path,
                                const GError  *error)
{
  static const GActionEntry entries[] = {
    { "open-another", td_application_open_error_action_cb },
    { "restore-backup", td_application_open_error_action_cb },
    { "open-file", td_application_open_error_action_cb, "s" },
    { "restore-from", td_application_open_error_action_cb, "s" },
  };
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (self));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *status = adw_status_page_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *open_another = td_application_open_error_button (_("_Open Another…"), "dead-end.open-another");
  GtkWidget *restore = td_application_open_error_button (_("_Restore Backup…"), "dead-end.restore-backup");
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), window);
  gtk_widget_insert_action_group (window, "dead-end", G_ACTION_GROUP (group));
  g_object_set_data (G_OBJECT (window), "td-status", status);

  gtk_window_set_title (GTK_WINDOW (window), _("Training Desk"));
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 520);
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "dialog-error-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("The Database Could Not Be Opened"));
  td_application_open_error_update (window, path, error);
  gtk_widget_add_css_class (restore, "suggested-action");
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (buttons), open_another);
  gtk_box_append (GTK_BOX (buttons), restore);
  /* A folder or a file not there has nothing to restore over. */
  gtk_widget_set_visible (restore, path != NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR));
  adw_status_page_set_child (ADW_STATUS_PAGE (status), buttons);
  gtk_widget_set_vexpand (status, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), status);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/* A session lives as long as a window shows it or it has something to
 * send (issue 6): sending goes on after the last window closed, the
 * application held meanwhile, and each outcome is told in a notification.
 * One rule for every session, checked whenever either changes. */

static void
td_application_session_finished_cb (TdApplication *self,
                                    TdOutboxItem  *item,
                                    TdSync        *sync)
{
  g_autofree char *id = NULL;
  g_autoptr(GNotification) notification = NULL;

  /* A window tells it itself (td-window.c). */
  for (guint i = 0; i < self->held->len; i++)
    if (td_session_get_sync (g_ptr_array_index (self->held, i)) == sync)
      {
        if ((notification = td_outbox_new_notification (item, &id)))
          g_application_send_notification (G_APPLICATION (self), id, notification);
        return;
      }
}

static void
td_application_notify_still_sending (TdApplication *self,
                                     guint          pending)
{
  g_autoptr(GNotification) notification = g_notification_new (_("Still sending"));
  g_autofree char *body = NULL;

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Training Desk keeps running to send %u item, and says so when it is "
                                       "delivered.",
                                       "Training Desk keeps running to send %u items, and says so when they are "
                                       "delivered.",
                                       pending),
                          pending);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_LOW);
  g_application_send_notification (G_APPLICATION (self), "outbox-background", notification);
}

/* Keeps @session while it is shown or sending, holding the application
 * while it sends unshown; lets it go otherwise. */
static void
td_application_update_session (TdApplication *self,
                               TdSession     *session)
{
  gboolean shown = td_application_find_window (self, session) != NULL;
  gboolean sending = td_session_get_pending (session) > 0;
  gboolean held = g_ptr_array_find (self->held, session, NULL);

  if (!shown && sending && !held)
    {
      g_ptr_array_add (self->held, g_object_ref (session));
      g_application_hold (G_APPLICATION (self));
      td_application_notify_still_sending (self, td_session_get_pending (session));
    }
  else if ((shown || !sending) && held)
    {
      g_ptr_array_remove (self->held, session);
      g_application_release (G_APPLICATION (self));
    }

  if (!shown && !sending)
    {
      g_signal_handlers_disconnect_by_data (session, self);
      g_signal_handlers_disconnect_by_data (td_session_get_sync (session), self);
      g_ptr_array_remove (self->sessions, session);
    }
}

static gboolean
td_application_update_cb (gpointer user_data)
{
  TdApplication *self = user_data;

  self->update_id = 0;
  for (guint i = self->sessions->len; i > 0; i--)
    td_application_update_session (self, g_ptr_array_index (self->sessions, i - 1));
  return G_SOURCE_REMOVE;
}

/* Later, not now: the last item's "item-finished" comes after "pending"
 * changed, and a window is removed before it is gone. */
static void
td_application_update_later (TdApplication *self)
{
  if (self->update_id == 0)
    self->update_id = g_idle_add (td_application_update_cb, self);
}

static void
td_application_add_session (TdApplication *self,
                            TdSession     *session)
{
  if (g_ptr_array_find (self->sessions, session, NULL))
    return;
  g_ptr_array_add (self->sessions, g_object_ref (session));
  g_signal_connect_object (session, "notify::pending", G_CALLBACK (td_application_update_later), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (td_session_get_sync (session), "item-finished",
                           G_CALLBACK (td_application_session_finished_cb), self, G_CONNECT_SWAPPED);
}

static void
td_application_window_added (GtkApplication *app,
                             GtkWindow      *window)
{
  TdApplication *self = TD_APPLICATION (app);

  GTK_APPLICATION_CLASS (td_application_parent_class)->window_added (app, window);

  if (TD_IS_WINDOW (window))
    {
      TdSession *session = td_window_get_session (TD_WINDOW (window));

      td_application_add_session (self, session);
      td_application_update_session (self, session);
    }
}

static void
td_application_window_removed (GtkApplication *app,
                               GtkWindow      *window)
{
  TdApplication *self = TD_APPLICATION (app);
  TdSession *session = TD_IS_WINDOW (window) ? td_window_get_session (TD_WINDOW (window)) : NULL;

  GTK_APPLICATION_CLASS (td_application_parent_class)->window_removed (app, window);

  /* Now: the hold must come before the last window's release. */
  if (session != NULL && g_ptr_array_find (self->sessions, session, NULL))
    td_application_update_session (self, session);
}

static gboolean
td_application_open_database (TdApplication  *self,
                              const char     *path,
                              GError        **error)
{
  g_autoptr(TdStore) store = NULL;
  g_autoptr(TdSession) session = NULL;
  TdSession *open;
  TdWindow *window;

  if ((open = td_application_find_session (self, path)))
    {
      if ((window = td_application_find_window (self, open)))
        {
          gtk_window_present (GTK_WINDOW (window));
          return TRUE;
        }
      session = g_object_ref (open);
    }
  else if (!(store = td_store_open (path, error)))
    return FALSE;
  else
    session = td_session_new (store);

  window = td_window_new_for_session (self, session);
  if (self->quit_after_first_frame)
    td_window_quit_after_first_frame (window);
  gtk_window_present (GTK_WINDOW (window));
  return TRUE;
}

static int
td_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  /* Before GTK starts: no display needed. */
  return td_application_cli_run (options);
}

static int
td_application_command_line (GApplication            *app,
                             GApplicationCommandLine *cmdline)
{
  TdApplication *self = TD_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *arg = NULL;

  self->quit_after_first_frame = g_variant_dict_contains (options, "quit-after-first-frame");

  if (g_variant_dict_lookup (options, "database", "^&ay", &arg))
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline, arg);
      path = g_file_get_path (file);
    }
  else
    path = td_store_dup_default_path ();

  if (!td_application_open_database (self, path, &error))
    {
      g_application_command_line_printerr (cmdline, "%s\n", error->message);
      td_application_show_open_error (self, path, error);
      return 1;
    }
  return 0;
}

static void
td_application_activate (GApplication *app)
{
  g_autofree char *path = td_store_dup_default_path ();
  g_autoptr(GError) error = NULL;

  if (!td_application_open_database (TD_APPLICATION (app), path, &error))
    td_application_show_open_error (TD_APPLICATION (app), path, error);
}

static void
td_application_about_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  const char *developers[] = { _("Training Desk developers"), NULL };
  GtkApplication *app = user_data;

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Training Desk"),
                         "application-icon", APP_ID,
                         "developer-name", _("Training Desk developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _(TD_APPLICATION_SUMMARY),
                         "developers", developers,
                         "translator-credits", _("translator-credits"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

static void
td_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  GtkApplication *app = user_data;
  GList *windows = g_list_copy (gtk_application_get_windows (app));

  /* Closing (not destroying) lets each window save what is pending. */
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

/* The preferences of the active window's database. */
static void
td_application_preferences_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  if (TD_IS_WINDOW (window))
    gtk_widget_activate_action (GTK_WIDGET (window), "win.preferences", NULL);
}

/* The extras module (td-extras.c) cannot be loaded: its functions
 * cannot be called, so the process ends, but first says why in a dialog
 * over the window, where a person reads it. Once, whoever comes first. */
static void
td_application_extras_failed_response_cb (AdwMessageDialog *dialog,
                                          const char       *response,
                                          gpointer          user_data)
{
  exit (1);
}

static gboolean
td_application_extras_failed_cb (gpointer user_data)
{
  g_autoptr(GError) error = user_data;
  GApplication *app = g_application_get_default ();
  GtkWindow *parent = GTK_IS_APPLICATION (app) ? gtk_application_get_active_window (GTK_APPLICATION (app)) : NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  g_printerr ("%s\n", error->message);
  /* Translators: the first %s is why (a whole sentence or two) */
  body = g_strdup_printf (_("%s\n\nTraining Desk closes now, before any work is lost. The command-line "
                            "options (--help) still work."),
                          error->message);
  dialog = adw_message_dialog_new (parent, _("A Part of Training Desk Cannot Be Loaded"), body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  g_signal_connect (dialog, "response", G_CALLBACK (td_application_extras_failed_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  return G_SOURCE_REMOVE;
}

/**
 * td_application_say_extras_failed:
 *
 * Shows why in a dialog whose Close ends the process (from any thread; the
 * dialog on the main one, once). Returns at once.
 */
void
td_application_say_extras_failed (const GError *error)
{
  static gint said;

  if (g_atomic_int_compare_and_exchange (&said, FALSE, TRUE))
    g_main_context_invoke (NULL, td_application_extras_failed_cb, g_error_copy (error));
}

/* td_extras_set_failed_func()'s: the caller cannot go on. On the main
 * thread the dialog runs here until it ends the process; a worker thread
 * waits for that end. */
static void
td_application_extras_failed (const GError *error)
{
  td_application_say_extras_failed (error);
  if (g_main_context_is_owner (g_main_context_default ()))
    for (;;)
      g_main_context_iteration (NULL, TRUE);
  for (;;)
    g_usleep (G_USEC_PER_SEC);
}

static const GActionEntry app_actions[] = {
  { "about", td_application_about_action },
  { "preferences", td_application_preferences_action },
  { "quit", td_application_quit_action },
};

static void
td_application_startup (GApplication *app)
{
  static const struct {
    const char *action;
    const char *accels[2];
  } accels[] = {
    { "app.quit", { "<Primary>q", NULL } },
    { "app.preferences", { "<Primary>comma", NULL } },
    { "window.close", { "<Primary>w", NULL } },
    { "win.backup", { "<Primary><Shift>s", NULL } },
    { "win.help", { "F1", NULL } },
    { "win.show-shortcuts", { "<Primary>question", NULL } },
    { "win.navigate-back", { "<Alt>Left", NULL } },
    { "win.show-page('overview')", { "<Alt>1", NULL } },
    { "win.show-page('school')", { "<Alt>2", NULL } },
    { "win.show-page('programmes')", { "<Alt>3", NULL } },
    { "win.show-page('trainers')", { "<Alt>4", NULL } },
    { "win.show-page('equipment')", { "<Alt>5", NULL } },
    { "win.show-page('guarantees')", { "<Alt>6", NULL } },
    { "win.show-page('results')", { "<Alt>7", NULL } },
    { "win.show-page('form')", { "<Alt>8", NULL } },
    { "win.show-page('outbox')", { "<Alt>9", NULL } },
  };

  G_APPLICATION_CLASS (td_application_parent_class)->startup (app);
  td_extras_set_failed_func (td_application_extras_failed);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app),
                                           accels[i].action, accels[i].accels);
}

static void
td_application_finalize (GObject *object)
{
  TdApplication *self = TD_APPLICATION (object);

  g_clear_handle_id (&self->update_id, g_source_remove);
  g_clear_pointer (&self->held, g_ptr_array_unref);
  g_clear_pointer (&self->sessions, g_ptr_array_unref);

  G_OBJECT_CLASS (td_application_parent_class)->finalize (object);
}

static void
td_application_class_init (TdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_app_class = GTK_APPLICATION_CLASS (klass);

  object_class->finalize = td_application_finalize;
  gtk_app_class->window_added = td_application_window_added;
  gtk_app_class->window_removed = td_application_window_removed;

  app_class->activate = td_application_activate;
  app_class->command_line = td_application_command_line;
  app_class->handle_local_options = td_application_handle_local_options;
  app_class->startup = td_application_startup;
}

static void
td_application_init (TdApplication *self)
{
  self->sessions = g_ptr_array_new_with_free_func (g_object_unref);
  self->held = g_ptr_array_new_with_free_func (g_object_unref);
  td_application_cli_add_options (G_APPLICATION (self));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _(TD_APPLICATION_SUMMARY));
}
