/* td-mail-intake.h: e-mailed submissions, read as docs/mail.md says
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-answer.h"
#include "td-receiver-db.h"

G_BEGIN_DECLS

/* MIME nesting and leaves a message may have: the app's has one
 * multipart/mixed and four leaves. */
#define TD_MAIL_INTAKE_MAX_MULTIPARTS 8
#define TD_MAIL_INTAKE_MAX_PARTS 32

typedef struct
{
  char   *message_id;   /* nullable, as the rest */
  char   *revision;     /* X-Training-Desk-Revision */
  GBytes *pdf;
  GBytes *form_json;
  GBytes *signature_json;
} TdMailParts;

typedef enum
{
  TD_MAIL_INTAKE_STORED,
  TD_MAIL_INTAKE_ALREADY_STORED,
  TD_MAIL_INTAKE_REFUSED,     /* recorded in refused_message */
  TD_MAIL_INTAKE_FAILED,      /* the receiver's trouble (busy, disk): take it again later */
} TdMailIntakeResult;

void               td_mail_parts_clear (TdMailParts  *parts);
gboolean           td_mail_intake_parse (GBytes      *message,
                                         gint64       max_size,
                                         TdMailParts *parts,
                                         TdAnswer   **refusal);
TdMailIntakeResult td_mail_intake      (TdReceiverDb *db,
                                        GBytes       *message,
                                        const char   *source,
                                        gint64        max_size,
                                        gint64        quota,
                                        TdAnswer    **answer);

G_END_DECLS
