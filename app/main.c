/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "td-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TdApplication) app = NULL;
  const char *localedir = g_getenv ("TD_LOCALEDIR");

  /* TD_LOCALEDIR: the build tree's translations, for tests and bench. */
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = td_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
