/* td-test-ui.c: what the UI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "td-test-ui.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

/* Registered a second time with TD_TEST_LANGUAGE=zh_CN (tests/meson.build):
 * then the system's locale must be Chinese, and the build's translations
 * (TD_LOCALEDIR) are used. */
void
td_test_ui_test_init (int    *argc,
                      char ***argv)
{
  const char *localedir = g_getenv ("TD_LOCALEDIR");

  if (td_test_in_chinese () && setlocale (LC_ALL, "") == NULL)
    g_error ("The zh_CN.UTF-8 locale is not installed (locale-gen zh_CN.UTF-8).");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
}

void
td_test_ui_main_init (int    *argc,
                      char ***argv)
{
  td_test_ui_test_init (argc, argv);
  td_test_ui_init ();
}

/* GTK and libadwaita as the application sets them up: GtkApplication adds
 * its resources' icons to the icon theme, and the tests make no application.
 * The tests isolate the data directories, so the MIME database is named
 * here: without it no symbolic SVG icon loads (GTK wraps it in a document
 * starting "<?xml", which image loaders recognise only by MIME magic). */
void
td_test_ui_init (void)
{
  static const char * const mime_dirs[] = { "/usr/share/mime", NULL };

  g_content_type_set_mime_dirs (mime_dirs);
  gtk_init ();
  adw_init ();
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/io/github/vocedu/TrainingDesk/icons");
  /* No transitions: a screenshot shows the page, not a cross-fade. Without
   * a window manager, a blinking cursor in a window that lost the focus to
   * a dialog makes GtkText warn ("did not receive a focus-out event"),
   * which G_DEBUG=fatal-warnings turns into a crash. */
  g_object_set (gtk_settings_get_default (),
                "gtk-enable-animations", FALSE,
                "gtk-cursor-blink", FALSE,
                NULL);
}

void
td_test_ui_load_style (void)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (css, RESOURCE_PATH "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

gboolean
td_test_in_chinese (void)
{
  return g_strcmp0 (g_getenv ("TD_TEST_LANGUAGE"), "zh_CN") == 0;
}

/* Lets the main loop run for @ms: for drawing, never as an assertion. */
void
td_test_iterate (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* With TD_SCREENSHOT_DIR set, saves what @widget shows as a PNG there
 * (NAME-LANGUAGE-light|dark.png), for people to look at; otherwise nothing. */
void
td_test_save_screenshot (GtkWidget  *widget,
                         const char *name)
{
  const char *dir = g_getenv ("TD_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  gint64 give_up = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  GdkRGBA background;
  int width, height;

  if (dir == NULL)
    return;

  /* A toplevel paints nothing into a paintable of itself: take its content. */
  if (ADW_IS_APPLICATION_WINDOW (widget))
    widget = adw_application_window_get_content (ADW_APPLICATION_WINDOW (widget));
  else if (ADW_IS_WINDOW (widget))
    widget = adw_window_get_content (ADW_WINDOW (widget));
  else if (GTK_IS_WINDOW (widget))
    widget = gtk_window_get_child (GTK_WINDOW (widget)) ? gtk_window_get_child (GTK_WINDOW (widget))
                                                        : gtk_widget_get_first_child (widget);

  td_test_iterate (300);
  while (gtk_widget_get_width (widget) == 0 && g_get_monotonic_time () < give_up)
    g_main_context_iteration (NULL, FALSE);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  /* The window's background belongs to the toplevel, not its content. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), "window_bg_color", &background))
    gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  G_GNUC_END_IGNORE_DEPRECATIONS
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strdup_printf ("%s-%s-%s.png", name, td_test_in_chinese () ? "zh_CN" : "en",
                          adw_style_manager_get_dark (adw_style_manager_get_default ()) ? "dark" : "light");
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* The first widget under @widget (itself included), depth first, that
 * @match says is the one (given @data), or NULL. */
GtkWidget *
td_test_find_widget (GtkWidget      *widget,
                     TdTestMatchFunc match,
                     gconstpointer   data)
{
  if (match (widget, data))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = td_test_find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
td_test_is_named (GtkWidget     *widget,
                  gconstpointer  name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

/* The first widget named @name (gtk_widget_set_name(), or a template's
 * id where the code names it) under @widget, depth first, or NULL. */
GtkWidget *
td_test_find_named (GtkWidget  *widget,
                    const char *name)
{
  return td_test_find_widget (widget, td_test_is_named, name);
}

static gboolean
td_test_is_of_type (GtkWidget     *widget,
                    gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

/* The first widget of @type under @widget (itself included), depth
 * first, or NULL. */
GtkWidget *
td_test_find_descendant (GtkWidget *widget,
                         GType      type)
{
  return td_test_find_widget (widget, td_test_is_of_type, GSIZE_TO_POINTER (type));
}

/* A visible toplevel of @type now, or NULL. */
gpointer
td_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) item = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (item, type) && gtk_widget_get_visible (item))
        return item;
    }
  return NULL;
}

/* How many visible toplevels of @type there are now. */
guint
td_test_count_toplevels (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) item = g_list_model_get_item (toplevels, i);

      n += G_TYPE_CHECK_INSTANCE_TYPE (item, type) && gtk_widget_get_visible (item);
    }
  return n;
}

/* A visible toplevel of @type, waited for up to 30 s of the main loop;
 * fails the test if none comes. */
gpointer
td_test_wait_for_toplevel (GType type)
{
  gint64 give_up = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gpointer found;

  while ((found = td_test_find_toplevel (type)) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, FALSE);
    }
  return found;
}

TdWindow *
td_test_open_window (TdStore *store,
                     int      width,
                     int      height)
{
  TdWindow *window = td_window_new (NULL, store);

  return td_test_present_window (window, width, height);
}

gpointer
td_test_present_window (gpointer window,
                        int      width,
                        int      height)
{
  g_assert (GTK_IS_WINDOW (window));

  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  TD_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));
  return window;
}

/* A destroyed window goes once the reads it started on workers have
 * answered (each holds its page until then): under load that can take
 * longer than a few iterations, so wait for it, up to 30 s, then fail. */
static void
td_test_wait_finalized (gpointer window)
{
  gpointer weak = window;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  g_object_unref (window);
  td_test_iterate (50);
  while (weak != NULL && g_get_monotonic_time () < deadline)
    td_test_iterate (10);
  if (weak != NULL)
    g_object_remove_weak_pointer (G_OBJECT (weak), &weak);
  g_assert_null (weak);
}

void
td_test_close_window (gpointer window)
{
  g_object_ref (window);
  gtk_window_close (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (window));
  td_test_wait_finalized (window);
}

void
td_test_destroy_window (gpointer window)
{
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  td_test_wait_finalized (window);
}

/* The notification server */

static GPtrArray *td_test_notifications;  /* "title\nbody" */

static const char td_test_notifications_xml[] =
  "<node>"
  "  <interface name='org.gtk.Notifications'>"
  "    <method name='AddNotification'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='a{sv}' direction='in'/>"
  "    </method>"
  "    <method name='RemoveNotification'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static void
td_test_notifications_method_cb (GDBusConnection       *connection,
                                 const char            *sender,
                                 const char            *object_path,
                                 const char            *interface_name,
                                 const char            *method_name,
                                 GVariant              *parameters,
                                 GDBusMethodInvocation *invocation,
                                 gpointer               user_data)
{
  if (g_str_equal (method_name, "AddNotification"))
    {
      g_autoptr(GVariant) data = g_variant_get_child_value (parameters, 2);
      const char *title = "", *body = "";

      g_variant_lookup (data, "title", "&s", &title);
      g_variant_lookup (data, "body", "&s", &body);
      g_ptr_array_add (td_test_notifications, g_strdup_printf ("%s\n%s", title, body));
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
td_test_notifications_name_acquired_cb (GDBusConnection *connection,
                                        const char      *name,
                                        gpointer         user_data)
{
  *(gboolean *)user_data = TRUE;
}

GDBusConnection *
td_test_notifications_start (void)
{
  static const GDBusInterfaceVTable vtable = { td_test_notifications_method_cb, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (td_test_notifications_xml, &error);
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  GDBusConnection *connection;
  gboolean owned = FALSE;

  g_assert_no_error (error);
  connection = g_dbus_connection_new_for_address_sync (address,
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (connection, "/org/gtk/Notifications", info->interfaces[0], &vtable,
                                     NULL, NULL, &error);
  g_assert_no_error (error);
  g_bus_own_name_on_connection (connection, "org.gtk.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                                td_test_notifications_name_acquired_cb, NULL, &owned, NULL);
  while (!owned)
    g_main_context_iteration (NULL, TRUE);
  g_clear_pointer (&td_test_notifications, g_ptr_array_unref);
  td_test_notifications = g_ptr_array_new_with_free_func (g_free);
  return connection;
}

void
td_test_notifications_stop (GDBusConnection *connection)
{
  g_clear_pointer (&td_test_notifications, g_ptr_array_unref);
  g_dbus_connection_close_sync (connection, NULL, NULL);
  g_object_unref (connection);
}

guint
td_test_n_notifications (void)
{
  return td_test_notifications ? td_test_notifications->len : 0;
}

gboolean
td_test_notified (const char *title,
                  const char *text)
{
  for (guint i = 0; td_test_notifications && i < td_test_notifications->len; i++)
    {
      const char *n = g_ptr_array_index (td_test_notifications, i);

      if (g_str_has_prefix (n, title) && n[strlen (title)] == '\n' &&
          (text == NULL || strstr (n + strlen (title) + 1, text) != NULL))
        return TRUE;
    }
  return FALSE;
}
