/* main.c: the command line without GTK, the windows from a module
 *
 * `--sync` from a timer, `--import` from a script: none of them draws, yet
 * loading GTK, libadwaita and what they link was a fifth of `--sync`'s CPU
 * time (issue 17). So this executable holds the core and the command line
 * (td-application-cli.c) only; it parses the options as the application
 * does, runs a command-line command itself, and opens the GTK layer,
 * libtraining-desk-gui.so (td-gui-module.c), only when a window is needed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-application"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>
#include <gmodule.h>

#include "td-application-cli.h"
#include "td-extras.h"
#include "td-gui-module.h"

static int
td_main_handle_local_options_cb (GApplication *app,
                                 GVariantDict *options,
                                 gpointer      user_data)
{
  gboolean *wants_window = user_data;
  int status = td_application_cli_run (options);

  if (status >= 0)
    return status;
  *wants_window = TRUE;
  /* Stop here: the module's application runs the window. */
  return 0;
}

static int
td_main_run_window (int    argc,
                    char **argv)
{
  g_autofree char *extras = td_module_dup_path ("core", TD_EXTRAS_MODULE_NAME);
  g_autofree char *path = NULL;
  GModule *module = NULL;
  TdGuiModuleRun run = NULL;

  /* The window calls the extras module from its first pages on (the form's
   * character counts, the PDF, spreadsheets), and a call that cannot load
   * it ends the process (td-extras.c). Without it, say so before any work
   * can be started, rather than close the window in the middle of it. */
  if (!g_file_test (extras, G_FILE_TEST_IS_REGULAR))
    {
      /* Translators: %s is a file */
      g_printerr (_("Training Desk’s part for mail, PDF files and spreadsheets is missing (%s): its window "
                    "cannot be opened. The command-line options (--help) still work; reinstall Training "
                    "Desk to open its window.\n"),
                  extras);
      return 1;
    }

  path = td_module_dup_path ("gui", TD_GUI_MODULE_NAME);
  module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL || !g_module_symbol (module, TD_GUI_MODULE_SYMBOL, (gpointer *)&run))
    {
      /* Translators: the first %s is a file, the second the system's reason */
      g_printerr (_("Training Desk’s windows could not be loaded from %s (%s). The command-line options "
                    "(--help) still work; reinstall Training Desk to open its window.\n"),
                  path, g_module_error ());
      return 1;
    }
  /* Never closed: the process exits with it. */
  return run (argc, argv);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GApplication) app = NULL;
  const char *localedir = g_getenv ("TD_LOCALEDIR");
  gboolean wants_window = FALSE;
  int status;

  /* GTK set the locale when it was linked here; the command line needs it
   * as much (translations, the terminal's charset). */
  setlocale (LC_ALL, "");
  /* TD_LOCALEDIR: the build tree's translations, for tests and bench. */
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* The same options as the application's (td_application_init()), parsed
   * the same way; no application id: nothing is registered on the bus. */
  app = g_application_new (NULL, G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  td_application_cli_add_options (app);
  g_application_set_option_context_summary (app, _(TD_APPLICATION_SUMMARY));
  g_signal_connect (app, "handle-local-options", G_CALLBACK (td_main_handle_local_options_cb), &wants_window);
  status = g_application_run (app, argc, argv);
  g_clear_object (&app);

  if (!wants_window)
    return status;
  return td_main_run_window (argc, argv);
}
