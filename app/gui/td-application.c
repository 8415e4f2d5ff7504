/* td-application.c: one process, a window per open database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-application"

#include "config.h"

#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "td-application.h"
#include "td-application-private.h"
#include "td-example.h"
#include "td-export.h"
#include "td-figures.h"
#include "td-form-json.h"
#include "td-form-render.h"
#include "td-gui-util.h"
#include "td-import.h"
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

static const GOptionEntry option_entries[] = {
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Open the database FILE instead of the default one"), N_("FILE") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and exit"), NULL },
  /* For bench/startup: quit once the first frame is drawn, printing when. */
  { "quit-after-first-frame", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, NULL, NULL, NULL },
  /* Translators: KIND and FILE as in "--import KIND FILE" */
  { "import", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Import FILE (.csv or .xlsx) into the records of KIND and exit, writing nothing if a row is bad. "
       "KIND: programmes, trainers, equipment, venues, guarantees or results"), N_("KIND FILE") },
  { "export", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Export the records of KIND to FILE (.csv or .xlsx) and exit"), N_("KIND FILE") },
  { "load-example", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Fill an empty database with a generated example school and exit"), NULL },
  { "export-pdf", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write the intent form as a PDF to FILE and exit (refused while the form is incomplete)"), N_("FILE") },
  { "export-json", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write the intent form as JSON to FILE and exit"), N_("FILE") },
  { "export-row", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write the intent form as one catalogue row to FILE (.csv or .xlsx) and exit"), N_("FILE") },
  /* The intent form's data, read back: a campaign, a form. */
  { "import-campaign", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Import the campaign in FILE (JSON) and exit: the intent form answers it from then on"), N_("FILE") },
  { "import-json", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Import the intent form in FILE (JSON, as --export-json writes it) into the database and exit"), N_("FILE") },
  /* Sending, for scripts and a scheduler (cron, a systemd timer). */
  { "sync", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Send what is due in the outbox and exit: 0 when all of it was delivered (or nothing was due), "
       "1 when an item needs attention, 3 when an item waits to be retried"), NULL },
  /* The FILE of --import and --export. */
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, NULL },
  { NULL }
};

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

static gboolean open_database (TdApplication  *self,
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

  if (open_database (self, path, &error))
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

  if (!td_store_replace_file (path, backup, &kept, &error) || !open_database (self, path, &error))
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
open_error_action_cb (GSimpleAction *action,
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
    { "open-another", open_error_action_cb },
    { "restore-backup", open_error_action_cb },
    { "open-file", open_error_action_cb, "s" },
    { "restore-from", open_error_action_cb, "s" },
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
open_database (TdApplication  *self,
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

/* The command line: --import and --export, run here and exiting. */
enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2, CLI_PENDING = 3 };

/* UTF-8 as it is where the terminal takes it (or nothing better can be
 * had: the C locale), else in the locale's charset. */
static void
cli_write (FILE       *stream,
           const char *text)
{
  const char *charset = NULL;

  if (g_get_charset (&charset) || g_str_equal (charset, "ANSI_X3.4-1968") ||
      g_ascii_strcasecmp (charset, "US-ASCII") == 0)
    fputs (text, stream);
  else
    {
      g_autofree char *converted = g_convert_with_fallback (text, -1, charset, "UTF-8", "?", NULL, NULL, NULL);

      fputs (converted ? converted : text, stream);
    }
}

G_GNUC_PRINTF (1, 2)
static void
cli_print (const char *format,
           ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  cli_write (stdout, text);
}

G_GNUC_PRINTF (1, 2)
static void
cli_printerr (const char *format,
              ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  cli_write (stderr, text);
}

static char *
cli_kinds (void)
{
  g_autoptr(GString) s = g_string_new (NULL);
  guint n_kinds;
  const TdRecordKind **kinds = td_record_kinds (&n_kinds);

  for (guint i = 0; i < n_kinds; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", kinds[i]->id);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* A percentage on the terminal, rewritten in place; never into a file or
 * a pipe (stderr is then read by a program, not a person). */
static int cli_progress_shown = -1;

static void
cli_progress_cb (TdImport *import,
                 double    fraction,
                 gpointer  user_data)
{
  int percent = (int)(fraction * 100);

  if (percent == cli_progress_shown && fraction < 1.0)
    return;
  cli_progress_shown = fraction < 1.0 ? percent : -1;
  cli_printerr ("\r%s %3d%%%s", (const char *)user_data, percent, fraction < 1.0 ? "" : "\n");
}

/* Ends a percentage cut short, before a message. */
static void
cli_progress_end (void)
{
  if (cli_progress_shown >= 0)
    cli_printerr ("\n");
  cli_progress_shown = -1;
}

static int
cli_import (TdRecordList *list,
            const char   *path)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdImport) import = NULL;
  g_auto(GStrv) ignored = NULL;
  g_autoptr(GString) replaced = g_string_new (NULL);
  const TdRecordKind *kind = td_record_list_get_kind (list);
  guint n_problems, n_bad, n_replaced, shown = 0;

  if (!(import = td_import_new (list, path, &error)))
    {
      cli_printerr ("%s\n", error->message);
      return CLI_FAILED;
    }

  ignored = td_import_dup_ignored_columns (import);
  if (ignored[0])
    {
      g_autofree char *joined = g_strjoinv (_(", "), ignored);

      cli_printerr (_("%s: these columns are not imported: %s\n"), display, joined);
    }

  if (isatty (STDERR_FILENO))
    td_import_set_progress_func (import, cli_progress_cb, _("Checking"));
  if (!td_import_preview (import, &error))
    {
      cli_progress_end ();
      cli_printerr ("%s\n", error->message);
      return CLI_FAILED;
    }

  n_problems = td_import_get_n_problems (import);
  n_bad = td_import_get_count (import, TD_IMPORT_BAD);
  for (guint i = 0; i < n_problems; i++)
    {
      const TdImportProblem *problem = td_import_get_problem (import, i);

      /* As compilers write it, so editors and scripts can jump there. */
      cli_printerr ("%s:%u: %s: %s\n", display, problem->line, problem->column, problem->message);
    }
  if (td_import_get_n_problems_left_out (import) > 0)
    cli_printerr (g_dngettext (GETTEXT_PACKAGE, "%s: …and %u more problem, not listed.\n",
                               "%s: …and %u more problems, not listed.\n",
                               td_import_get_n_problems_left_out (import)),
                  display, td_import_get_n_problems_left_out (import));
  if (n_bad > 0)
    {
      cli_printerr (g_dngettext (GETTEXT_PACKAGE,
                                 "%s: %u row has problems, so nothing was imported. Correct it and run the import again.\n",
                                 "%s: %u rows have problems, so nothing was imported. Correct them and run the import again.\n",
                                 n_bad),
                    display, n_bad);
      return CLI_FAILED;
    }

  /* Which rows lost to a later one with the same key, while rows are there. */
  n_replaced = td_import_get_count (import, TD_IMPORT_REPLACED);
  for (; shown < MIN (n_replaced, 10); shown++)
    {
      guint by, line = td_import_get_replaced (import, shown, &by);

      g_string_append_printf (replaced, "%s%u→%u", shown ? _(", ") : "", line, by);
    }
  if (shown < n_replaced)
    g_string_append (replaced, "…");

  if (isatty (STDERR_FILENO))
    td_import_set_progress_func (import, cli_progress_cb, _("Importing"));
  /* This process exits next: the records need not be loaded again. */
  td_import_set_reload (import, FALSE);
  if (!td_import_commit (import, &error))
    {
      cli_progress_end ();
      cli_printerr ("%s: %s\n", display, error->message);
      return CLI_FAILED;
    }

  /* Translators: the file, then the kind of records, e.g. "Equipment" */
  cli_print (_("Imported %s into %s:\n"), display, g_dgettext (GETTEXT_PACKAGE, kind->title));
  cli_print (_("  new:        %u\n"), td_import_get_count (import, TD_IMPORT_NEW));
  cli_print (_("  updated:    %u\n"), td_import_get_count (import, TD_IMPORT_UPDATE));
  cli_print (_("  unchanged:  %u\n"), td_import_get_count (import, TD_IMPORT_UNCHANGED));
  cli_print (_("  duplicates: %u\n"), n_replaced);
  if (n_replaced > 0)
    cli_print (_("Rows left out because a later row has the same key (line → line kept): %s\n"),
               replaced->str);
  return CLI_OK;
}

static int
cli_export (TdRecordList *list,
            const char   *path)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (!td_export_to_file (list, NULL, path, &n, &error))
    {
      cli_printerr ("%s\n", error->message);
      return CLI_FAILED;
    }
  cli_print (g_dngettext (GETTEXT_PACKAGE, "Exported %u record to %s.\n", "Exported %u records to %s.\n", n),
             n, display);
  return CLI_OK;
}

/* The campaign answered, read as the windows read it. */
static TdCampaign *
cli_load_campaign (TdStore  *store,
                   GError  **error)
{
  g_autoptr(TdSession) session = td_session_new (store);

  return td_session_load_campaign (session, error);
}

/* training-desk [--database DB] --import KIND FILE | --export KIND FILE */
/* The database of --database (or the default one), opened for the command
 * line; NULL, with the reason printed, when it cannot be. A command that
 * only reads opens a file it cannot write read-only. */
static TdStore *
cli_open_store_full (GVariantDict *options,
                     gboolean      must_exist,
                     gboolean      only_reads)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  const char *db_arg = NULL;
  TdStore *store;

  if (g_variant_dict_lookup (options, "database", "^&ay", &db_arg))
    db_path = g_canonicalize_filename (db_arg, NULL);
  else
    db_path = td_store_dup_default_path ();

  if (must_exist && !g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *display = g_filename_display_name (db_path);

      cli_printerr (_("There is no database “%s”. Give the right file with --database.\n"), display);
      return NULL;
    }
  if (only_reads)
    store = td_store_open_for_reading (db_path, &error);
  else
    store = td_store_open (db_path, &error);
  if (store == NULL)
    cli_printerr ("%s\n", error->message);
  return store;
}

static TdStore *
cli_open_store (GVariantDict *options,
                gboolean      must_exist)
{
  return cli_open_store_full (options, must_exist, FALSE);
}

static int
cli_transfer (GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = NULL;
  g_autofree const char **rest = NULL;
  g_autofree char *kinds = cli_kinds ();
  gboolean importing = g_variant_dict_contains (options, "import");
  const char *option = importing ? "--import" : "--export";
  const char *kind_id = NULL;
  TdRecordList *list;

  if (importing && g_variant_dict_contains (options, "export"))
    {
      cli_printerr (_("Use either --import or --export, not both.\n"));
      return CLI_USAGE;
    }
  g_variant_dict_lookup (options, importing ? "import" : "export", "&s", &kind_id);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &rest);
  if (rest == NULL || rest[0] == NULL || rest[1] != NULL)
    {
      /* Translators: the option (--import or --export), then the kinds */
      cli_printerr (_("Usage: training-desk [--database DB] %s KIND FILE\n"
                      "KIND is one of: %s. FILE ends in .csv or .xlsx.\n"),
                    option, kinds);
      return CLI_USAGE;
    }
  if (td_record_kind_lookup (kind_id) == NULL)
    {
      cli_printerr (_("There are no records of the kind “%s”. Use one of: %s.\n"), kind_id, kinds);
      return CLI_FAILED;
    }

  /* An export reads: it must not make an empty database on the way. */
  if (!(store = cli_open_store_full (options, !importing, !importing)))
    return CLI_FAILED;
  if (!(list = td_record_list_get (store, kind_id, &error)))
    {
      cli_printerr ("%s\n", error->message);
      return CLI_FAILED;
    }

  return importing ? cli_import (list, rest[0]) : cli_export (list, rest[0]);
}

/* --load-example: a generated school in an empty database. */
static int
cli_load_example (GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = cli_open_store (options, FALSE);
  TdCounts counts;

  if (store == NULL)
    return CLI_FAILED;
  if (!td_figures_counts (store, &counts, &error))
    {
      cli_printerr ("%s\n", error->message);
      return CLI_FAILED;
    }
  if (counts.programmes + counts.trainers + counts.venues + counts.equipment_items +
      counts.guarantees + counts.results > 0)
    {
      cli_printerr (_("This database already holds records: the example school goes only into an empty one.\n"));
      return CLI_FAILED;
    }
  if (!td_example_fill (store, &td_example_school_size, &error) ||
      !td_figures_counts (store, &counts, &error))
    {
      cli_printerr ("%s\n", error->message);
      /* Disk full, say: a database made for the example goes again. */
      if (td_store_was_created (store))
        {
          g_autofree char *path = g_strdup (td_store_get_path (store));

          g_clear_object (&store);
          td_store_remove_files (path);
        }
      return CLI_FAILED;
    }
  /* long long, not G_GINT64_FORMAT: a translatable string is one literal. */
  cli_print (_("Loaded an example school: %lld programmes, %lld trainers, %lld venues, "
               "%lld equipment items, %lld guarantees, %lld results.\n"),
             (long long)counts.programmes, (long long)counts.trainers, (long long)counts.venues,
             (long long)counts.equipment_items, (long long)counts.guarantees, (long long)counts.results);
  return CLI_OK;
}

/* --export-pdf, --export-json, --export-row: the intent form, only when
 * nothing is missing from it. */
static int
cli_export_form (GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = cli_open_store (options, TRUE);
  g_autoptr(TdCampaign) campaign = NULL;
  g_autoptr(TdForm) form = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  const char *pdf = NULL, *json = NULL, *row = NULL;

  g_variant_dict_lookup (options, "export-pdf", "^&ay", &pdf);
  g_variant_dict_lookup (options, "export-json", "^&ay", &json);
  g_variant_dict_lookup (options, "export-row", "^&ay", &row);

  if (store == NULL)
    return CLI_FAILED;
  if (!(campaign = cli_load_campaign (store, &error)) ||
      !(form = td_form_load (store, campaign, td_campaign_get_last_year (campaign), &error)))
    {
      cli_printerr ("%s\n", error->message);
      return CLI_FAILED;
    }

  problems = td_form_check (form, campaign);
  if (problems->len > 0)
    {
      cli_printerr (g_dngettext (GETTEXT_PACKAGE,
                                 "The intent form is not complete; %u thing to do first:\n",
                                 "The intent form is not complete; %u things to do first:\n",
                                 problems->len),
                    problems->len);
      for (guint i = 0; i < problems->len; i++)
        cli_printerr ("  %s\n", ((TdFormProblem *)g_ptr_array_index (problems, i))->message);
      return CLI_FAILED;
    }

  if (pdf != NULL && !td_form_render_pdf (form, campaign, NULL, pdf, &error))
    {
      cli_printerr ("%s\n", error->message);
      return CLI_FAILED;
    }
  if (json != NULL)
    {
      gsize length;
      g_autofree char *text = td_form_to_json (form, &length);

      if (!g_file_set_contents (json, text, length, &error))
        {
          cli_printerr ("%s\n", error->message);
          return CLI_FAILED;
        }
    }
  if (row != NULL && !td_form_write_catalogue (form, row, &error))
    {
      cli_printerr ("%s\n", error->message);
      return CLI_FAILED;
    }

  if (pdf)
    cli_print (_("Wrote %s\n"), pdf);
  if (json)
    cli_print (_("Wrote %s\n"), json);
  if (row)
    cli_print (_("Wrote %s\n"), row);
  return CLI_OK;
}

/* --import-campaign and --import-json: the file is read and checked
 * before the database is opened, and nothing is written unless all of it
 * is right. */

/* A database this command made, on the way to a failure, is removed again:
 * a bad file leaves no trace. */
static void
cli_remove_new_database (TdStore    **store,
                         const char  *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  g_clear_object (store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
}

static char *
cli_database_path (GVariantDict *options)
{
  const char *db_arg = NULL;

  if (g_variant_dict_lookup (options, "database", "^&ay", &db_arg))
    return g_canonicalize_filename (db_arg, NULL);
  return td_store_dup_default_path ();
}

static int
cli_import_campaign (GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = NULL;
  g_autoptr(TdCampaign) campaign = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *db_path = cli_database_path (options);
  gboolean existed = g_file_test (db_path, G_FILE_TEST_EXISTS);
  const char *path = NULL;
  char deadline[32];

  g_variant_dict_lookup (options, "import-campaign", "^&ay", &path);
  file = g_file_new_for_commandline_arg (path);
  if (!(campaign = td_campaign_new_from_file (file, NULL, &error)))
    {
      cli_printerr ("%s\n", error->message);
      return CLI_FAILED;
    }

  if (!(store = cli_open_store (options, FALSE)))
    return CLI_FAILED;
  if (!td_campaign_make_current (store, campaign, &error))
    {
      cli_printerr ("%s\n", error->message);
      if (!existed)
        cli_remove_new_database (&store, db_path);
      return CLI_FAILED;
    }

  g_date_strftime (deadline, sizeof deadline, "%Y-%m-%d", td_campaign_get_deadline (campaign));
  /* Translators: the campaign's id, its form's title, the notice's number, the deadline */
  cli_print (_("Imported the campaign %s (%s, %s), due %s: the intent form answers it from now on.\n"),
             td_campaign_get_id (campaign), td_campaign_get_title (campaign), td_campaign_get_notice (campaign),
             deadline);
  return CLI_OK;
}

static int
cli_import_json (GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = NULL;
  g_autoptr(TdCampaign) campaign = NULL;
  g_autoptr(TdForm) form = NULL;
  g_autoptr(TdForm) checked = NULL;
  g_autofree char *db_path = cli_database_path (options);
  g_autofree char *contents = NULL;
  g_autofree char *display = NULL;
  gboolean existed = g_file_test (db_path, G_FILE_TEST_EXISTS);
  const char *path = NULL;
  int last_year;
  gsize length;

  g_variant_dict_lookup (options, "import-json", "^&ay", &path);
  display = g_filename_display_name (path);
  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      cli_printerr ("%s\n", error->message);
      return CLI_FAILED;
    }
  /* The document's structure, before the database is touched. */
  if (!(checked = td_form_new_from_json (contents, length, &error)))
    {
      cli_printerr (_("%s: %s\n"), display, error->message);
      return CLI_FAILED;
    }

  if (!(store = cli_open_store (options, FALSE)))
    return CLI_FAILED;
  if (!(campaign = cli_load_campaign (store, &error)) ||
      !(form = td_form_import_json (store, campaign, contents, length, &error)))
    {
      cli_printerr (_("%s: %s\n"), display, error->message);
      if (!existed)
        cli_remove_new_database (&store, db_path);
      return CLI_FAILED;
    }

  last_year = td_campaign_get_last_year (campaign);
  cli_print (_("Imported the intent form of %s from %s: the school profile and fields 6–9.\n"),
             td_form_get (form, TD_FORM_NAME)[0] ? td_form_get (form, TD_FORM_NAME) : _("(no name)"), display);
  /* The years are the campaign's: a difference is said, not refused. */
  if (td_form_get_last_year (form) != last_year)
    cli_print (_("Note: this form covers %d–%d; the campaign of this database asks for %d–%d. "
                 "Check field 9’s figures.\n"),
               td_form_get_first_year (form), td_form_get_last_year (form),
               td_campaign_get_first_year (campaign), last_year);
  return CLI_OK;
}

/* training-desk [--database DB] --sync: the outbox's due items, each tried
 * once, off the main loop as in the app; the exit status says what became
 * of them. */
typedef struct
{
  gboolean       done;
  gboolean       ok;
  TdSyncSummary  summary;
  GError        *error;
} CliSync;

static void
cli_sync_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CliSync *run = user_data;

  run->ok = td_sync_run_due_finish (TD_SYNC (source), result, &run->summary, &run->error);
  run->done = TRUE;
}

static void
cli_sync_item_cb (TdSync       *sync,
                  TdOutboxItem *item,
                  gpointer      user_data)
{
  if (td_outbox_item_get_state (item) == TD_OUTBOX_DELIVERED)
    /* Translators: revision number, destination (E-mail or Upload), recipient, receipt */
    cli_print (_("Revision %lld → %s %s: delivered (%s).\n"),
               (long long)td_outbox_item_get_revision_number (item),
               td_destination_label (td_outbox_item_get_destination (item)),
               td_outbox_item_get_recipient (item), td_outbox_item_get_receipt (item));
  else
    cli_printerr (_("Revision %lld → %s %s: not sent: %s\n"),
                  (long long)td_outbox_item_get_revision_number (item),
                  td_destination_label (td_outbox_item_get_destination (item)),
                  td_outbox_item_get_recipient (item), td_outbox_item_get_last_error (item));
}

static int
cli_sync (GVariantDict *options)
{
  g_autoptr(TdStore) store = cli_open_store (options, TRUE);
  g_autoptr(TdSync) sync = NULL;
  CliSync run = { 0 };

  if (store == NULL)
    return CLI_FAILED;

  sync = td_sync_new (store, NULL);
  g_signal_connect (sync, "item-finished", G_CALLBACK (cli_sync_item_cb), NULL);
  td_sync_run_due_async (sync, NULL, cli_sync_cb, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);

  if (!run.ok)
    {
      cli_printerr ("%s\n", run.error->message);
      g_clear_error (&run.error);
      return CLI_FAILED;
    }
  if (run.summary.delivered + run.summary.failed + run.summary.retrying == 0)
    cli_print (_("Nothing is due in the outbox.\n"));
  else if (run.summary.retrying > 0)
    cli_printerr (g_dngettext (GETTEXT_PACKAGE,
                               "%u item waits to be retried: run --sync again later, or leave Training Desk open.\n",
                               "%u items wait to be retried: run --sync again later, or leave Training Desk open.\n",
                               run.summary.retrying),
                  run.summary.retrying);
  /* The worker threads let go of the store before it closes. */
  td_sync_stop (sync);
  g_clear_object (&sync);
  while (G_OBJECT (store)->ref_count > 1)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  if (run.summary.failed > 0)
    return CLI_FAILED;
  if (run.summary.retrying > 0)
    return CLI_PENDING;
  return CLI_OK;
}

static int
td_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", "training-desk", PACKAGE_VERSION);
      return 0;
    }
  /* Before GTK starts: no display needed. */
  if (g_variant_dict_contains (options, "import") || g_variant_dict_contains (options, "export"))
    return cli_transfer (options);
  if (g_variant_dict_contains (options, "load-example"))
    return cli_load_example (options);
  if (g_variant_dict_contains (options, "sync"))
    return cli_sync (options);
  if (g_variant_dict_contains (options, "import-campaign") || g_variant_dict_contains (options, "import-json"))
    {
      if (g_variant_dict_contains (options, "import-campaign") && g_variant_dict_contains (options, "import-json"))
        {
          cli_printerr (_("Use either --import-campaign or --import-json, not both: import the campaign first.\n"));
          return CLI_USAGE;
        }
      if (g_variant_dict_contains (options, "export-pdf") || g_variant_dict_contains (options, "export-json") ||
          g_variant_dict_contains (options, "export-row"))
        {
          cli_printerr (_("Import and export in two commands: the import first.\n"));
          return CLI_USAGE;
        }
      return g_variant_dict_contains (options, "import-campaign") ? cli_import_campaign (options)
                                                                 : cli_import_json (options);
    }
  if (g_variant_dict_contains (options, "export-pdf") || g_variant_dict_contains (options, "export-json") ||
      g_variant_dict_contains (options, "export-row"))
    return cli_export_form (options);
  if (g_variant_dict_contains (options, G_OPTION_REMAINING))
    {
      g_autofree const char **rest = NULL;

      g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &rest);
      cli_printerr (_("Unexpected argument “%s”. See “training-desk --help”.\n"), rest && rest[0] ? rest[0] : "");
      return CLI_USAGE;
    }
  return -1;
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

  if (!open_database (self, path, &error))
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

  if (!open_database (TD_APPLICATION (app), path, &error))
    td_application_show_open_error (TD_APPLICATION (app), path, error);
}

static void
about_action (GSimpleAction *action,
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
                         "comments", _("Keep the school’s training records and send the province’s intent form."),
                         "developers", developers,
                         "translator-credits", _("translator-credits"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

static void
quit_action (GSimpleAction *action,
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
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  if (TD_IS_WINDOW (window))
    gtk_widget_activate_action (GTK_WIDGET (window), "win.preferences", NULL);
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "preferences", preferences_action },
  { "quit", quit_action },
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
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Keep the school’s training records and send the province’s intent form."));
}
