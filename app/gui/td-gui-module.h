/* td-gui-module.h: the GTK layer as a module the executable opens
 *
 * GTK-free on purpose: app/main.c includes it without linking GTK.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The module's file (app/gui/ in the build tree, TD_MODULE_DIR
 * installed) and the one symbol the executable looks up in it. */
#define TD_GUI_MODULE_NAME   "libtraining-desk-gui.so"
#define TD_GUI_MODULE_SYMBOL "td_gui_module_run"

typedef int (*TdGuiModuleRun) (int    argc,
                               char **argv);

int td_gui_module_run (int    argc,
                       char **argv);

G_END_DECLS
