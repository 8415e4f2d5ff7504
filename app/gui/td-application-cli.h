/* td-application-cli.h: the command line (td-application-cli.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What --help says the app is for, and the About window's comment: one
 * text for the executable (app/main.c) and the application. */
#define TD_APPLICATION_SUMMARY N_("Keep the school’s training records and send the province’s intent form.")

void td_application_cli_add_options (GApplication *app);
int  td_application_cli_run         (GVariantDict *options);

G_END_DECLS
