/* td-extras.c: the executable's stubs for libtraining-desk-extras.so
 *
 * The mail (td-mail.c: GMime, libcurl and what it links, Kerberos, LDAP,
 * SSH…), the drawing (td-form-render.c, td-pdf-file.c, td-font-subset.c,
 * td-form-count.c, td-trainer-sheet.c: cairo, Pango, HarfBuzz, fontconfig)
 * and the spreadsheets (td-xlsx*.c: libzip, libxlsxwriter) are a module
 * (app/core/meson.build). This file, linked into `training-desk` only,
 * defines each of their functions that is called from outside them — by
 * the core, the command line or the GTK layer, whose module resolves them
 * against the executable — and forwards it to the module's, which it opens
 * on the first call from any thread. So `--sync` to an endpoint loads none
 * of those libraries (issue 17).
 *
 * The module is linked with -Bsymbolic: its own calls stay inside it, and
 * only its references to the rest of the core go to the executable.
 * tests/check-extras-module.sh fails when a function is missing here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-extras"

#include "config.h"

#include <stdlib.h>

#include <glib/gi18n-lib.h>
#include <gmodule.h>

#include "td-extras.h"
#include "td-form.h"
#include "td-form-render.h"
#include "td-mail.h"
#include "td-trainer-sheet.h"
#include "td-xlsx.h"

/* Each function once: F (return type, name, (parameters), (arguments)),
 * V for those returning nothing. The compiler checks each line against
 * the function's declaration in its header. */
#define TD_EXTRAS_FUNCTIONS(F, V) \
  F (guint, td_form_count_characters, \
     (const char *text, gssize length), \
     (text, length)) \
  F (TdFormRender *, td_form_render_new, \
     (TdForm *form, TdCampaign *campaign, const TdFormRenderOptions *options), \
     (form, campaign, options)) \
  F (guint, td_form_render_count_pages, \
     (TdFormRender *self), \
     (self)) \
  V (void, td_form_render_page, \
     (TdFormRender *self, guint page, cairo_t *cr), \
     (self, page, cr)) \
  F (gboolean, td_form_render_write_pdf, \
     (TdFormRender *self, GOutputStream *stream, GCancellable *cancellable, GError **error), \
     (self, stream, cancellable, error)) \
  F (gboolean, td_form_render_pdf, \
     (TdForm *form, TdCampaign *campaign, const TdFormRenderOptions *options, const char *path, \
      GError **error), \
     (form, campaign, options, path, error)) \
  F (TdTrainerSheet *, td_trainer_sheet_read, \
     (TdStore *store, const char *trainer_uuid, int year, GError **error), \
     (store, trainer_uuid, year, error)) \
  V (void, td_trainer_sheet_free, \
     (TdTrainerSheet *sheet), \
     (sheet)) \
  F (gboolean, td_trainer_sheet_save_pdf, \
     (TdTrainerSheet *sheet, const char *path, GError **error), \
     (sheet, path, error)) \
  F (TdMailSettings *, td_mail_settings_new, \
     (const char *host, guint16 port, TdMailSecurity security, const char *username), \
     (host, port, security, username)) \
  V (void, td_mail_settings_free, \
     (TdMailSettings *settings), \
     (settings)) \
  F (GBytes *, td_mail_build_message, \
     (const TdMailSubmission *submission, GError **error), \
     (submission, error)) \
  F (char *, td_mail_normalize_address, \
     (const char *text), \
     (text)) \
  F (char *, td_mail_send, \
     (const TdMailSettings *settings, const char *password, const char *from, const char *recipient, \
      GBytes *message, GCancellable *cancellable, GError **error), \
     (settings, password, from, recipient, message, cancellable, error)) \
  V (void, td_mail_send_async, \
     (const TdMailSettings *settings, const char *password, const char *from, const char *recipient, \
      GBytes *message, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data), \
     (settings, password, from, recipient, message, cancellable, callback, user_data)) \
  F (char *, td_mail_send_finish, \
     (GAsyncResult *result, GError **error), \
     (result, error)) \
  F (TdTable *, td_xlsx_read, \
     (const char *path, GError **error), \
     (path, error)) \
  F (gboolean, td_xlsx_write, \
     (TdTable *table, const char *path, const char *sheet_name, const gboolean *numeric, GError **error), \
     (table, path, sheet_name, numeric, error)) \
  F (TdXlsxReader *, td_xlsx_reader_new, \
     (const char *path, GError **error), \
     (path, error)) \
  V (void, td_xlsx_reader_free, \
     (TdXlsxReader *reader), \
     (reader)) \
  F (gboolean, td_xlsx_reader_rewind, \
     (TdXlsxReader *reader, GError **error), \
     (reader, error)) \
  F (gboolean, td_xlsx_reader_next, \
     (TdXlsxReader *reader, const char * const **cells, guint *n_cells, guint *line, GError **error), \
     (reader, cells, n_cells, line, error)) \
  F (double, td_xlsx_reader_get_fraction, \
     (TdXlsxReader *reader), \
     (reader))

/* The error domain is only a name: the outbox tells a mail error from an
 * upload's without the module (G_DEFINE_QUARK, as in td-mail.c). */
G_DEFINE_QUARK (td-mail-error-quark, td_mail_error)

typedef struct
{
#define TD_EXTRAS_POINTER(type, name, params, args) __typeof__ (name) *name;
  TD_EXTRAS_FUNCTIONS (TD_EXTRAS_POINTER, TD_EXTRAS_POINTER)
#undef TD_EXTRAS_POINTER
} TdExtras;

/**
 * td_module_dup_path:
 * @build_dir: the module's folder in the build tree, beside the executable
 *   ("gui", "core")
 * @file_name: the module's file
 *
 * Returns: (transfer full): where the executable's module is: in the build
 *   tree when the executable runs from there, else in the modules' install
 *   folder (both modules are installed in the same one).
 */
char *
td_module_dup_path (const char *build_dir,
                    const char *file_name)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = exe ? g_path_get_dirname (exe) : NULL;
  g_autofree char *uninstalled = dir ? g_build_filename (dir, build_dir, file_name, NULL) : NULL;

  if (uninstalled != NULL && g_file_test (uninstalled, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&uninstalled);
  return g_build_filename (TD_MODULE_DIR, file_name, NULL);
}

static gboolean
td_extras_load (TdExtras  *extras,
                GError   **error)
{
  g_autofree char *path = td_module_dup_path ("core", TD_EXTRAS_MODULE_NAME);
  /* Local: the module's symbols never take the place of the executable's. */
  GModule *module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  const char *missing = NULL;

  g_debug ("Opening %s", path);
#define TD_EXTRAS_LOOKUP(type, name, params, args) \
  if (module != NULL && missing == NULL && !g_module_symbol (module, #name, (gpointer *)&extras->name)) \
    missing = #name;
  TD_EXTRAS_FUNCTIONS (TD_EXTRAS_LOOKUP, TD_EXTRAS_LOOKUP)
#undef TD_EXTRAS_LOOKUP

  if (module == NULL || missing != NULL)
    {
      /* Translators: the first %s is a file, the second the system's reason */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Training Desk could not load its part for mail, PDF files and spreadsheets from %s (%s). "
                     "Reinstall Training Desk to send by mail, make PDF files or read and write "
                     "spreadsheets."),
                   path, g_module_error ());
      return FALSE;
    }
  /* Never closed: the process exits with it. */
  return TRUE;
}

/* Loaded once a process, from any thread; %NULL and why if it could not be. */
static const TdExtras *
td_extras_ensure (GError **error)
{
  static TdExtras extras;
  static GError *failed;
  static gsize loaded = 0;

  if (g_once_init_enter (&loaded))
    {
      td_extras_load (&extras, &failed);
      g_once_init_leave (&loaded, 1);
    }
  if (failed != NULL)
    {
      if (error != NULL)
        *error = g_error_copy (failed);
      return NULL;
    }
  return &extras;
}

static TdExtrasFailedFunc failed_func;   /* atomic */

/**
 * td_extras_set_failed_func:
 *
 * The window's way to say why in a dialog, rather than end the process
 * with a line on a terminal nobody reads (td-application.c).
 */
void
td_extras_set_failed_func (TdExtrasFailedFunc func)
{
  g_atomic_pointer_set (&failed_func, func);
}

static const TdExtras *
td_extras_get (void)
{
  g_autoptr(GError) error = NULL;
  const TdExtras *extras = td_extras_ensure (&error);
  TdExtrasFailedFunc func;

  /* No way on without the function: say what to do, and stop. */
  if (extras == NULL)
    {
      func = g_atomic_pointer_get (&failed_func);
      if (func != NULL)
        func (error);
      g_printerr ("%s\n", error->message);
      exit (1);
    }
  return extras;
}

/**
 * td_extras_preload:
 *
 * Opens the module now, from any thread, rather than at the first call of
 * one of its functions: the window does it in the background after its
 * first frame, so that the first character count or PDF does not wait
 * ~25 ms for it, and so that a module that cannot be loaded is said before
 * any work is started, rather than ending the process at that first call.
 *
 * Returns: %TRUE if the module's functions can be called; else %FALSE and
 *   why (the same every time: it is tried once)
 */
gboolean
td_extras_preload (GError **error)
{
  return td_extras_ensure (error) != NULL;
}

#define TD_EXTRAS_FORWARD(type, name, params, args) \
  type name params { return td_extras_get ()->name args; }
#define TD_EXTRAS_FORWARD_VOID(type, name, params, args) \
  type name params { td_extras_get ()->name args; }
TD_EXTRAS_FUNCTIONS (TD_EXTRAS_FORWARD, TD_EXTRAS_FORWARD_VOID)
