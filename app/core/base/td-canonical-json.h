/* td-canonical-json.h: JSON in one byte form (RFC 8785), for hashes and signatures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "td-limits.h"

G_BEGIN_DECLS

#define TD_CANONICAL_JSON_ERROR (td_canonical_json_error_quark ())

typedef enum
{
  TD_CANONICAL_JSON_ERROR_INVALID,      /* not JSON, or beyond a limit (td-limits.h) */
  TD_CANONICAL_JSON_ERROR_UNSUPPORTED,  /* a fraction, a number too large, a name twice */
  TD_CANONICAL_JSON_ERROR_NOT_CANONICAL /* valid, but not in canonical form */
} TdCanonicalJsonError;

GQuark  td_canonical_json_error_quark   (void);
gboolean td_json_check_limits           (const char  *data,
                                         gsize        length,
                                         gsize        max_length,
                                         GError     **error);

char   *td_canonical_json_from_node     (JsonNode    *node,
                                         gsize       *length,
                                         GError     **error);
char   *td_canonical_json_from_string   (const char  *json,
                                         gssize       length,
                                         gsize       *out_length,
                                         GError     **error);
gboolean td_canonical_json_check        (const char  *json,
                                         gsize        length,
                                         GError     **error);

G_END_DECLS
