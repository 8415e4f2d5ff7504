/* td-store.h: the open Training Desk database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TD_STORE_ERROR (td_store_error_quark ())

typedef enum
{
  TD_STORE_ERROR_IS_DIRECTORY,
  TD_STORE_ERROR_NOT_READABLE,
  TD_STORE_ERROR_NOT_A_DATABASE,
  TD_STORE_ERROR_FOREIGN_DATABASE,
  TD_STORE_ERROR_DAMAGED,
  TD_STORE_ERROR_TOO_NEW,
  TD_STORE_ERROR_LOCKED,
  TD_STORE_ERROR_CONSTRAINT,
  TD_STORE_ERROR_FAILED,
  TD_STORE_ERROR_REPLACED,
  TD_STORE_ERROR_READ_ONLY,
  TD_STORE_ERROR_FULL,
} TdStoreError;

/* The schema version this build knows (PRAGMA user_version). */
#define TD_STORE_SCHEMA_VERSION 10
/* PRAGMA application_id of every Training Desk file: "TDsk". */
#define TD_STORE_APPLICATION_ID 0x54447363
/* Daily backups kept next to the database. */
#define TD_STORE_BACKUPS_KEPT 7

#define TD_TYPE_STORE (td_store_get_type ())
G_DECLARE_FINAL_TYPE (TdStore, td_store, TD, STORE, GObject)

typedef gboolean (*TdStoreFunc) (TdStore  *store,
                                 gpointer  user_data,
                                 GError  **error);

GQuark      td_store_error_quark           (void);
gboolean    td_store_error_is_the_file     (const GError         *error);
char       *td_store_dup_default_path      (void);

TdStore    *td_store_open                  (const char           *path,
                                            GError              **error);
gboolean    td_store_check_file            (const char           *path,
                                            GError              **error);
TdStore    *td_store_open_reader           (const char           *path,
                                            GError              **error);
TdStore    *td_store_open_for_reading      (const char           *path,
                                            GError              **error);
gboolean    td_store_is_read_only          (TdStore              *self);
gboolean    td_store_was_created           (TdStore              *self);
void        td_store_remove_files          (const char           *path);
const char *td_store_get_path              (TdStore              *self);
int         td_store_get_schema_version    (TdStore              *self);

gboolean    td_store_transaction           (TdStore              *self,
                                            TdStoreFunc           func,
                                            gpointer              user_data,
                                            GError              **error);

char       *td_store_dup_setting           (TdStore              *self,
                                            const char           *key);
gboolean    td_store_set_setting           (TdStore              *self,
                                            const char           *key,
                                            const char           *value,
                                            GError              **error);
gint64      td_store_count_audit           (TdStore              *self,
                                            const char           *table_name);

gboolean    td_store_backup_to             (TdStore              *self,
                                            const char           *dest_path,
                                            GError              **error);
char       *td_store_dup_daily_backup_path (TdStore              *self,
                                            GDateTime            *day);
gboolean    td_store_daily_backup          (TdStore              *self,
                                            GDateTime            *now,
                                            char                **made_path,
                                            GError              **error);
void        td_store_daily_backup_async    (TdStore              *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
char       *td_store_daily_backup_finish   (TdStore              *self,
                                            GAsyncResult         *result,
                                            GError              **error);
void        td_store_backup_to_async       (TdStore              *self,
                                            const char           *dest_path,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean    td_store_backup_to_finish      (TdStore              *self,
                                            GAsyncResult         *result,
                                            GError              **error);
gboolean    td_store_replace_file          (const char           *path,
                                            const char           *source_path,
                                            char                **kept_path,
                                            GError              **error);
gboolean    td_store_restore_from          (TdStore              *self,
                                            const char           *source_path,
                                            char                **kept_path,
                                            GError              **error);
void        td_store_restore_async         (TdStore              *self,
                                            const char           *source_path,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean    td_store_restore_finish        (TdStore              *self,
                                            GAsyncResult         *result,
                                            char                **kept_path,
                                            GError              **error);

G_END_DECLS
