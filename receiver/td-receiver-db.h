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
  TD_RECEIVER_DB_ERROR_KEY_MISMATCH, /* signed by a key other than the school's; message: its fingerprint */
  TD_RECEIVER_DB_ERROR_NO_SCHOOL, /* no school of that name */
  TD_RECEIVER_DB_ERROR_EXISTS,    /* a school of that name already (the desk's registering) */
} TdReceiverDbError;

typedef enum
{
  TD_ADD_SCHOOL_ANY,              /* new, or a new token for one known */
  TD_ADD_SCHOOL_NEW,              /* only a new school */
  TD_ADD_SCHOOL_EXISTING,         /* only a new token for one known */
} TdAddSchoolMode;

/* A school as --list shows it. */
typedef struct
{
  char   *name;
  char   *public_key;   /* base64, or NULL: none bound yet */
  char   *key_set_at;
  char   *key_set_by;   /* "province", "upload", "mail" */
  gint64  submissions;
} TdSchoolRow;

/* A message --import-mail or --fetch-imap did not store. */
typedef struct
{
  char *sha256;       /* of the whole message */
  char *source;
  char *message_id;   /* nullable, as the next three */
  char *revision;
  char *school;
  char *word;
  char *reason;
  char *reason_zh;
  char *refused_at;
} TdRefused;

/* A school's latest revision, for the catalogue. */
typedef struct
{
  char   *school;     /* the registered name */
  GBytes *form_json;
} TdLatest;

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

/* One submission of a group commit (td_receiver_db_store_batch()). */
typedef struct
{
  /* in */
  gint64        school_id;
  TdSubmission *submission;     /* verified */
  const char   *channel;
  gint64        quota;
  /* out */
  TdStored     *stored;         /* new or earlier; NULL with @error */
  gboolean      inserted;
  GError       *error;
  gint64        used;           /* the school's stored bytes, with TD_RECEIVER_DB_ERROR_QUOTA */
} TdStoreItem;

GQuark        td_receiver_db_error_quark  (void);

/* The log's size, in pages, past which a checkpoint is due (SQLite's
 * automatic checkpoint's). */
#define TD_RECEIVER_DB_CHECKPOINT_FRAMES 1000

TdReceiverDb *td_receiver_db_open         (const char    *path,
                                           guint          busy_timeout_ms,
                                           GError       **error);
void          td_receiver_db_close        (TdReceiverDb  *self);
void          td_receiver_db_defer_checkpoints (TdReceiverDb *self,
                                           void         (*func) (gpointer data),
                                           gpointer       data);
gboolean      td_receiver_db_checkpoint   (TdReceiverDb  *self,
                                           GError       **error);

char         *td_receiver_db_add_school   (TdReceiverDb  *self,
                                           const char    *name,
                                           const char    *public_key,
                                           gboolean      *replaced,
                                           GError       **error);
char         *td_receiver_db_add_school_full (TdReceiverDb *self,
                                           const char    *name,
                                           const char    *public_key,
                                           const char    *city,
                                           const char    *county,
                                           TdAddSchoolMode mode,
                                           gboolean      *replaced,
                                           GError       **error);
gboolean      td_receiver_db_find_school  (TdReceiverDb  *self,
                                           const char    *token,
                                           gint64        *school_id,
                                           char         **name,
                                           GError       **error);
gboolean      td_receiver_db_find_school_by_name (TdReceiverDb *self,
                                           const char    *name,
                                           gint64        *school_id,
                                           char         **registered,
                                           GError       **error);
gboolean      td_receiver_db_reset_key    (TdReceiverDb  *self,
                                           const char    *name,
                                           GError       **error);
GPtrArray    *td_receiver_db_list_schools (TdReceiverDb  *self,
                                           GError       **error);
gboolean      td_receiver_db_refuse       (TdReceiverDb  *self,
                                           const TdRefused *refused,
                                           GError       **error);
GPtrArray    *td_receiver_db_list_refused (TdReceiverDb  *self,
                                           GError       **error);
TdStored     *td_receiver_db_lookup       (TdReceiverDb  *self,
                                           const char    *uuid,
                                           GError       **error);
TdStored     *td_receiver_db_store        (TdReceiverDb  *self,
                                           gint64         school_id,
                                           TdSubmission  *submission,
                                           const char    *channel,
                                           gint64         quota,
                                           gboolean      *inserted,
                                           GError       **error);
gboolean      td_receiver_db_store_batch  (TdReceiverDb  *self,
                                           TdStoreItem  **items,
                                           guint          n_items,
                                           GError       **error);
void          td_store_item_clear         (TdStoreItem   *item);
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
char         *td_receiver_school_key      (const char    *name);
GBytes       *td_receiver_decode_key      (const char    *base64);
void          td_stored_free              (TdStored      *stored);
void          td_school_row_free          (TdSchoolRow   *row);
void          td_refused_free             (TdRefused     *refused);
void          td_latest_free              (TdLatest      *latest);

typedef struct sqlite3 sqlite3;
sqlite3      *td_receiver_db_get_sqlite   (TdReceiverDb  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdReceiverDb, td_receiver_db_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdStored, td_stored_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdRefused, td_refused_free)

G_END_DECLS
