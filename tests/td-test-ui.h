/* td-test-ui.h: what the UI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void     td_test_ui_init         (void);
gboolean td_test_in_chinese      (void);
void     td_test_iterate         (guint       ms);
void     td_test_save_screenshot (GtkWidget  *widget,
                                  const char *name);
GtkWidget *td_test_find_named        (GtkWidget  *widget,
                                      const char *name);
GtkWidget *td_test_find_descendant   (GtkWidget  *widget,
                                      GType       type);
gpointer   td_test_find_toplevel     (GType       type);
gpointer   td_test_wait_for_toplevel (GType       type);

G_END_DECLS
