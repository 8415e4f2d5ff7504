/* td-receiver-db-web.h: what the web pages read and write (the catalogue,
 * the desk) in the receiver's database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "td-receiver-db.h"

G_BEGIN_DECLS

/* A registered school, its latest submission's id and what the desk
 * shows of it. */
typedef struct
{
  gint64  school_id;
  char   *name;
  char   *public_key;      /* the key bound now, or NULL */
  char   *city;            /* where the province registered it, or NULL */
  char   *county;
  gint64  latest_id;       /* 0: nothing sent */
  char   *first_received_at;
  gint64  n_submissions;
  char   *refused_word;    /* its latest refused message, or NULL */
  char   *refused_reason;
  char   *refused_reason_zh;
  char   *refused_at;
} TdWebSchool;

/* A stored submission's metadata and form. */
typedef struct
{
  gint64  id;
  char   *uuid;
  char   *campaign;
  gint64  number;
  char   *signer;
  char   *signed_at;
  char   *public_key;      /* the key it was signed with */
  char   *received_at;
  char   *channel;
  char   *pdf_sha256;
  gint64  pdf_size;
  GBytes *form_json;
} TdWebSubmission;

gboolean         td_receiver_db_web_begin        (TdReceiverDb *self,
                                                  GError      **error);
void             td_receiver_db_web_end          (TdReceiverDb *self);
gint64           td_receiver_db_web_data_version (TdReceiverDb *self,
                                                  GError      **error);
GPtrArray       *td_receiver_db_web_schools      (TdReceiverDb *self,
                                                  const char   *campaign,
                                                  GError      **error);
TdWebSubmission *td_receiver_db_web_submission   (TdReceiverDb *self,
                                                  gint64        id,
                                                  GError      **error);
GBytes          *td_receiver_db_web_pdf          (TdReceiverDb *self,
                                                  gint64        id,
                                                  GError      **error);
gboolean         td_receiver_db_web_add_staff    (TdReceiverDb *self,
                                                  const char   *name,
                                                  const char   *password_hash,
                                                  GError      **error);
char            *td_receiver_db_web_staff_hash   (TdReceiverDb *self,
                                                  const char   *name,
                                                  GError      **error);

void             td_web_school_free              (TdWebSchool     *school);
void             td_web_submission_free          (TdWebSubmission *submission);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdWebSubmission, td_web_submission_free)

G_END_DECLS
