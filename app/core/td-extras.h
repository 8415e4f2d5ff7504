/* td-extras.h: the mail, the drawing and the spreadsheets, as a module
 *
 * `training-desk` does not link GMime, libcurl, cairo, Pango, HarfBuzz,
 * fontconfig, libzip or libxlsxwriter: `--sync` to an endpoint never
 * calls them, and loading them was two thirds of the libraries it loaded
 * at start (issue 17). Their users in the core, the command line and the
 * GTK layer call the functions as declared in td-mail.h, td-form-render.h,
 * td-form.h, td-trainer-sheet.h and td-xlsx.h; in the executable those are
 * the stubs of td-extras.c, which open libtraining-desk-extras.so on the
 * first call. Tests, the receiver and the benchmarks link the real ones.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The module's file: app/core/ beside the executable in the build tree,
 * TD_MODULE_DIR, where both modules are installed (td_module_dup_path()). */
#define TD_EXTRAS_MODULE_NAME "libtraining-desk-extras.so"

char *td_module_dup_path (const char *build_dir,
                          const char *file_name);

/* Where the extras are linked in (libtd_core: tests, receiver,
 * benchmarks), nothing to load: %TRUE, and the handler is never called
 * (td-extras-linked.c). */
gboolean td_extras_preload (GError **error);

/* Called, from the thread that called one of the module's functions, when
 * the module cannot be loaded; it must not return (the function cannot
 * be called). Without one, the reason is printed and the process exits. */
typedef void (*TdExtrasFailedFunc) (const GError *error);
void td_extras_set_failed_func (TdExtrasFailedFunc func);

G_END_DECLS
