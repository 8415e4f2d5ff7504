/* td-uuid.h: time-ordered row keys (UUID version 7)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *td_uuid7_new      (void);
char     *td_uuid7_new_at   (gint64      unix_ms);
gboolean  td_uuid_is_v7     (const char *uuid);
gint64    td_uuid7_get_ms   (const char *uuid);

G_END_DECLS
