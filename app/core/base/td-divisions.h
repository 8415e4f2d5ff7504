/* td-divisions.h: China's administrative divisions (GB/T 2260)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *code;    /* 2 digits: province; 4: city; 6: county-level */
  const char *name;
  const char *parent;  /* the code of the division above, or NULL */
} TdDivision;

const TdDivision *td_divisions_lookup    (const char *code);
GPtrArray        *td_divisions_children  (const char *parent_code);
gboolean          td_divisions_is_child  (const char *parent_code,
                                          const char *code);

G_END_DECLS
