/* td-application-cli.h: the command line (td-application-cli.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void td_application_cli_add_options (GApplication *app);
int  td_application_cli_run         (GVariantDict *options);

G_END_DECLS
