/* td-receiver-db.h: the receiver's own database (schools, submissions)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "td-submission.h"

G_BEGIN_DECLS

#define TD_RECEIVER_DB_ERROR (td_receiver_db_error_quark ())

typedef enum
{
  TD_RECEIVER_DB_ERROR_BUSY,      /* another writer holds the database: try again */
  TD_RECEIVER_DB_ERROR_FAILED,
  TD_RECEIVER_DB_ERROR_QUOTA,     /* the school's stored bytes would pass its quota */
} TdReceiverDbError;

/* A stored submission, without its parts. */
typedef struct
{
  gint64  id;
  char   *uuid;
  gint64  school_id;
  char   *school;
  char   *campaign;
  gint64  number;
  char   *signer;
  char   *signed_at;
  char   *form_sha256;
  char   *pdf_sha256;
  char   *signature_sha256;
  gint64  pdf_size;
  char   *receipt;
  char   *received_at;
} TdStored;

typedef struct _TdReceiverDb TdReceiverDb;

GQuark        td_receiver_db_error_quark  (void);

TdReceiverDb *td_receiver_db_open         (const char    *path,
                                           guint          busy_timeout_ms,
                                           GError       **error);
void          td_receiver_db_close        (TdReceiverDb  *self);

char         *td_receiver_db_add_school   (TdReceiverDb  *self,
                                           const char    *name,
                                           gboolean      *replaced,
                                           GError       **error);
gboolean      td_receiver_db_find_school  (TdReceiverDb  *self,
                                           const char    *token,
                                           gint64        *school_id,
                                           char         **name,
                                           GError       **error);
TdStored     *td_receiver_db_lookup       (TdReceiverDb  *self,
                                           const char    *uuid,
                                           GError       **error);
TdStored     *td_receiver_db_store        (TdReceiverDb  *self,
                                           gint64         school_id,
                                           TdSubmission  *submission,
                                           gint64         quota,
                                           gboolean      *inserted,
                                           GError       **error);
gboolean      td_receiver_db_school_bytes (TdReceiverDb  *self,
                                           gint64         school_id,
                                           gint64        *bytes,
                                           GError       **error);
gint64        td_submission_stored_size   (TdSubmission  *submission);
GPtrArray    *td_receiver_db_list         (TdReceiverDb  *self,
                                           const char    *campaign,
                                           GError       **error);
GPtrArray    *td_receiver_db_latest_forms (TdReceiverDb  *self,
                                           const char    *campaign,
                                           GError       **error);

char         *td_receiver_format_now      (void);
void          td_stored_free              (TdStored      *stored);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdReceiverDb, td_receiver_db_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdStored, td_stored_free)

G_END_DECLS
