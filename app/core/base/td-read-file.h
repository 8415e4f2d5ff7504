/* td-read-file.h: a file read whole, never more than its kind's limit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean td_read_file_check_mode (guint32   mode,
                                  GError  **error);
gboolean td_read_file_limited (GFile         *file,
                               gsize          max_length,
                               char         **contents,
                               gsize         *length,
                               GCancellable  *cancellable,
                               GError       **error);

G_END_DECLS
