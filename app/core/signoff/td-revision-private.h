/* td-revision-private.h: what td-revision.c and its PDF stream share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <nettle/sha2.h>

#include "td-revision.h"

G_BEGIN_DECLS

char         *td_revision_sha256_digest_hex      (struct sha256_ctx *ctx);
void          td_revision_set_pdf_altered_error  (GError           **error,
                                                  gint64             number);
GInputStream *td_revision_pdf_stream_new         (TdStore           *reader,
                                                  gint64             pdf_id,
                                                  const char        *expected_sha256,
                                                  gint64             revision_number,
                                                  GError           **error);

G_END_DECLS
