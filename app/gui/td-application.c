/* td-application.c: one process, a window per open database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-application"

#include "config.h"

#include <glib/gi18n.h>

#include "td-application.h"
#include "td-store.h"
#include "td-window.h"

struct _TdApplication
{
  AdwApplication parent_instance;

  gboolean       quit_after_first_frame;
};

G_DEFINE_FINAL_TYPE (TdApplication, td_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Open the database FILE instead of the default one"), N_("FILE") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and exit"), NULL },
  /* For bench/startup: quit once the first frame is drawn, printing when. */
  { "quit-after-first-frame", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, NULL, NULL, NULL },
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

static TdWindow *
find_window_for (TdApplication *self,
                 const char    *path)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      TdStore *store;

      if (!TD_IS_WINDOW (l->data))
        continue;
      store = td_window_get_store (l->data);
      if (store != NULL && g_strcmp0 (td_store_get_path (store), path) == 0)
        return l->data;
    }
  return NULL;
}

/* A database that cannot be opened still gets a window: launched from the
 * desktop, nobody reads stderr. */
static void
show_open_error (TdApplication *self,
                 const GError  *error)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (self));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *status = adw_status_page_new ();

  gtk_window_set_title (GTK_WINDOW (window), _("Training Desk"));
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 480);
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "dialog-error-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("The Database Could Not Be Opened"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status), error->message);
  gtk_widget_set_vexpand (status, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), status);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
}

static gboolean
open_database (TdApplication  *self,
               const char     *path,
               GError        **error)
{
  g_autoptr(TdStore) store = NULL;
  TdWindow *window;

  if ((window = find_window_for (self, path)))
    {
      gtk_window_present (GTK_WINDOW (window));
      return TRUE;
    }

  if (!(store = td_store_open (path, error)))
    return FALSE;

  window = td_window_new (self, store);
  if (self->quit_after_first_frame)
    td_window_quit_after_first_frame (window);
  gtk_window_present (GTK_WINDOW (window));
  return TRUE;
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
      show_open_error (self, error);
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
    show_open_error (TD_APPLICATION (app), error);
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

static const GActionEntry app_actions[] = {
  { "about", about_action },
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
    { "window.close", { "<Primary>w", NULL } },
    { "win.backup", { "<Primary><Shift>s", NULL } },
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
td_application_class_init (TdApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = td_application_activate;
  app_class->command_line = td_application_command_line;
  app_class->handle_local_options = td_application_handle_local_options;
  app_class->startup = td_application_startup;
}

static void
td_application_init (TdApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Keep the school’s training records and send the province’s intent form."));
}
