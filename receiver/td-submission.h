/* td-submission.h: a signed revision as a school uploads it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "td-answer.h"
#include "td-form.h"

G_BEGIN_DECLS

typedef struct
{
  /* signature.json's members */
  char    *revision;
  gint64   number;
  char    *campaign;
  char    *signer;
  char    *signed_at;
  char    *claimed_form_sha256;
  char    *claimed_pdf_sha256;
  char    *public_key;          /* base64, as sent */

  /* The three parts, as sent, and their SHA-256 */
  GBytes  *form_json;
  GBytes  *pdf;
  GBytes  *signature_json;
  char    *form_sha256;
  char    *pdf_sha256;
  char    *signature_sha256;

  /* What the signature is checked with */
  GBytes  *public_key_bytes;
  GBytes  *signature_bytes;
  char    *statement;
  gsize    statement_length;
  TdForm  *form;
} TdSubmission;

/* How far after the receiver's time signed_at may be: a day, for clocks
 * and time zones set wrong by hours. */
#define TD_SUBMISSION_MAX_AHEAD_S (24 * 60 * 60)

TdSubmission *td_submission_new_from_parts (GBytes    *form_json,
                                            GBytes    *pdf,
                                            GBytes    *signature_json,
                                            TdAnswer **refusal);
TdSubmission *td_submission_parse  (const char    *content_type,
                                    const char    *idempotency_key,
                                    GBytes        *body,
                                    TdAnswer     **refusal);
gboolean      td_submission_verify (TdSubmission  *self,
                                    TdAnswer     **refusal);
void          td_submission_free   (TdSubmission  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdSubmission, td_submission_free)

G_END_DECLS
