/* td-intake.h: a parsed submission checked and stored, whatever its channel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-answer.h"
#include "td-receiver-db.h"
#include "td-submission.h"

G_BEGIN_DECLS

#define TD_INTAKE_UPLOAD "upload"
#define TD_INTAKE_MAIL "mail"

TdAnswer *td_intake_submit            (TdReceiverDb  *db,
                                       gint64         school_id,
                                       const char    *school,
                                       TdSubmission  *submission,
                                       const char    *channel,
                                       gint64         quota);
TdAnswer *td_intake_check             (TdReceiverDb  *db,
                                       gint64         school_id,
                                       const char    *school,
                                       TdSubmission  *submission,
                                       const char    *channel);
TdAnswer *td_intake_store_answer      (TdReceiverDb  *db,
                                       TdStoreItem   *item,
                                       const char    *school);
TdAnswer *td_intake_stored_answer     (TdStored      *stored,
                                       guint          status,
                                       const char    *word);
TdAnswer *td_intake_over_quota        (gint64         quota,
                                       gint64         used);
TdAnswer *td_intake_server_error      (void);
TdAnswer *td_intake_database_trouble  (const GError  *error);

G_END_DECLS
