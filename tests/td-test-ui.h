/* td-test-ui.h: what the UI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "td-store.h"
#include "td-window.h"

G_BEGIN_DECLS

/* Waits for @condition, the main loop running; gives up (fails) after 60 s. */
#define TD_TEST_WAIT_UNTIL(condition)                                       \
  G_STMT_START {                                                            \
    gint64 give_up_ = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;        \
    while (!(condition))                                                    \
      {                                                                     \
        if (g_get_monotonic_time () > give_up_)                             \
          g_error ("Gave up waiting for: %s", #condition);                  \
        g_main_context_iteration (NULL, FALSE);                             \
        g_usleep (500);                                                     \
      }                                                                     \
  } G_STMT_END

/* A UI test's main(): the locale and translations (Chinese under
 * TD_TEST_LANGUAGE=zh_CN), g_test_init() with isolated directories, then
 * td_test_ui_init(). td_test_ui_test_init() stops before GTK, for tests
 * that start a keyring or a bus first. */
void     td_test_ui_main_init    (int         *argc,
                                  char      ***argv);
void     td_test_ui_test_init    (int         *argc,
                                  char      ***argv);
void     td_test_ui_init         (void);
/* The application's style sheet, which AdwApplication would load. */
void     td_test_ui_load_style   (void);
gboolean td_test_in_chinese      (void);
void     td_test_iterate         (guint       ms);
void     td_test_save_screenshot (GtkWidget  *widget,
                                  const char *name);
typedef gboolean (*TdTestMatchFunc) (GtkWidget     *widget,
                                     gconstpointer  data);
GtkWidget *td_test_find_widget       (GtkWidget      *widget,
                                      TdTestMatchFunc match,
                                      gconstpointer   data);
GtkWidget *td_test_find_named        (GtkWidget  *widget,
                                      const char *name);
GtkWidget *td_test_find_descendant   (GtkWidget  *widget,
                                      GType       type);
gpointer   td_test_find_toplevel     (GType       type);
guint      td_test_count_toplevels   (GType       type);
gpointer   td_test_wait_for_toplevel (GType       type);

/* A window on @store, presented at @width × @height (0: its default) and
 * mapped. */
TdWindow  *td_test_open_window       (TdStore    *store,
                                      int         width,
                                      int         height);
/* Presents @window at @width × @height (0: its default), waits until it
 * is mapped, and returns it. */
gpointer   td_test_present_window    (gpointer    window,
                                      int         width,
                                      int         height);
/* Closes @window as a user would, destroys it and checks it finalizes. */
void       td_test_close_window      (gpointer    window);
/* Destroys @window without asking it to close, and checks it finalizes. */
void       td_test_destroy_window    (gpointer    window);

/* The desktop's notification server (org.gtk.Notifications, as GTK's
 * backend talks to it), played by the test on the session bus: what the
 * application said is kept until td_test_notifications_stop(). */
GDBusConnection *td_test_notifications_start (void);
void       td_test_notifications_stop (GDBusConnection *connection);
guint      td_test_n_notifications   (void);
/* Whether a notification titled @title was sent, with @text in its body
 * (%NULL: any body). */
gboolean   td_test_notified          (const char *title,
                                      const char *text);

G_END_DECLS
