/* td-gui-module.c: the entry point of libtraining-desk-gui.so
 *
 * The executable (app/main.c) holds the core and the command line, and
 * opens this module only when a window is needed: loading GTK, libadwaita
 * and what they link was the largest part of what `--sync` did more than
 * curl (issue 17). The module's references to the core resolve to the
 * executable's copy (it is linked with --export-dynamic), so the core's
 * types exist once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-application"

#include "config.h"

#include <gmodule.h>

#include "td-application.h"
#include "td-gui-module.h"

G_MODULE_EXPORT int
td_gui_module_run (int    argc,
                   char **argv)
{
  g_autoptr(TdApplication) app = td_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
