/* td-class-edit.c: changing a class after it is made, and reading one
 * class, session or enrolment back for an editor
 *
 * Apart from td-classes.c, which makes things (a class, a session, an
 * enrolment), because an office mostly edits: the GUI opens a class, a
 * session or a trainee's outcome, changes a field and saves, each save one
 * transaction. The checks are td-classes.c's (td-classes-private.h), so a
 * refusal reads the same whether the row is new or edited.
 *
 * The audit log: class, class_session, session_trainer and enrolment have
 * the store's generic triggers, which log every changed field; none of
 * them holds an ID number or a phone (those are in trainee_identity,
 * docs/classes.md). Attendance marks have no log rows of their own (three
 * million of them would be most of the file), so an attendance import
 * writes one line under its class: how many marks, from a file.
 *
 * A deleted session is handed back with its trainers and marks, so the
 * page's Undo puts it back whole, under the same uuid.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-class-edit"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "td-class-edit.h"
#include "td-class-list.h"
#include "td-classes-private.h"
#include "td-csv.h"
#include "td-id-number.h"
#include "td-store-private.h"
#include "td-uuid.h"
#include "td-xlsx.h"

static char *
td_class_edit_text (sqlite3_stmt *stmt,
                    int           column)
{
  const char *text = (const char *)sqlite3_column_text (stmt, column);

  return g_strdup (text != NULL ? text : "");
}

/* NULL for SQL NULL. */
static char *
td_class_edit_text_or_null (sqlite3_stmt *stmt,
                            int           column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

static gboolean
td_class_edit_not_found (TdStore     *store,
                         int          rc,
                         const char  *what,
                         GError     **error)
{
  if (rc == SQLITE_DONE)
    g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_NOT_FOUND,
                 _("There is no such %s: it may have been deleted."), what);
  else
    td_store_set_error (store, rc, error);
  return FALSE;
}

/* Classes */

void
td_class_record_free (TdClassRecord *record)
{
  g_free (record->uuid);
  g_free ((char *)record->info.name);
  g_free ((char *)record->info.programme_uuid);
  g_free ((char *)record->info.category);
  g_free ((char *)record->info.key_group);
  g_free ((char *)record->info.mode);
  g_free ((char *)record->info.venue_uuid);
  g_free ((char *)record->info.starts_on);
  g_free ((char *)record->info.ends_on);
  g_free ((char *)record->info.subsidy_source);
  g_free ((char *)record->info.status);
  g_free (record);
}

typedef struct
{
  const char        *uuid;
  const TdClassInfo *info;
} TdClassEditUpdate;

static gboolean
td_class_edit_update_cb (TdStore  *store,
                         gpointer  user_data,
                         GError  **error)
{
  TdClassEditUpdate *u = user_data;
  const TdClassInfo *info = u->info;
  gint64 id, programme_id, venue_id;
  sqlite3_stmt *stmt;

  if (!(id = td_classes_lookup_id (store, "class", u->uuid, error)) ||
      !td_classes_lookup_optional (store, "programme", info->programme_uuid, &programme_id, error) ||
      !td_classes_lookup_optional (store, "venue", info->venue_uuid, &venue_id, error))
    return FALSE;
  stmt = td_store_prepare (store,
                           "UPDATE class SET programme_id = ?2, name = trim (?3), category = ?4, key_group = ?5, "
                           "  mode = ?6, venue_id = ?7, starts_on = ?8, ends_on = ?9, planned_hours = ?10, "
                           "  capacity = ?11, fee = ?12, subsidy_source = ?13, status = ?14, completion_percent = ?15 "
                           "WHERE id = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  td_classes_bind_info (stmt, info, programme_id, venue_id);
  return td_store_step_done (store, stmt, error);
}

/**
 * td_class_update:
 *
 * Changes every field of a class to @info's, checked as td_class_insert()
 * checks them. A changed completion rule or planned hours recounts who
 * completed (the schema's triggers).
 */
gboolean
td_class_update (TdStore            *store,
                 const char         *class_uuid,
                 const TdClassInfo  *info,
                 GError            **error)
{
  TdClassEditUpdate u = { class_uuid, info };

  g_return_val_if_fail (TD_IS_STORE (store), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  return td_classes_check_class (info, error) &&
         td_store_transaction (store, td_class_edit_update_cb, &u, error);
}

/**
 * td_class_read:
 *
 * Returns: (transfer full) (nullable): the class's fields as stored; NULL
 *   and TD_CLASSES_ERROR_NOT_FOUND when there is no such class
 */
TdClassRecord *
td_class_read (TdStore     *store,
               const char  *class_uuid,
               GError     **error)
{
  TdClassRecord *r;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  stmt = td_store_prepare (store,
                           "SELECT c.uuid, coalesce (p.uuid, ''), c.name, c.category, c.key_group, c.mode, "
                           "       coalesce (v.uuid, ''), c.starts_on, c.ends_on, c.planned_hours, c.capacity, c.fee, "
                           "       c.subsidy_source, c.status, c.completion_percent "
                           "FROM class c LEFT JOIN programme p ON p.id = c.programme_id "
                           "LEFT JOIN venue v ON v.id = c.venue_id WHERE c.uuid = ?",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, class_uuid, -1, SQLITE_TRANSIENT);
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      td_class_edit_not_found (store, rc, _("class"), error);
      return NULL;
    }
  r = g_new0 (TdClassRecord, 1);
  r->uuid = td_class_edit_text (stmt, 0);
  r->info.programme_uuid = td_class_edit_text (stmt, 1);
  r->info.name = td_class_edit_text (stmt, 2);
  r->info.category = td_class_edit_text (stmt, 3);
  r->info.key_group = td_class_edit_text (stmt, 4);
  r->info.mode = td_class_edit_text (stmt, 5);
  r->info.venue_uuid = td_class_edit_text (stmt, 6);
  r->info.starts_on = td_class_edit_text (stmt, 7);
  r->info.ends_on = td_class_edit_text (stmt, 8);
  r->info.planned_hours = sqlite3_column_double (stmt, 9);
  r->info.capacity = sqlite3_column_int64 (stmt, 10);
  r->info.fee = sqlite3_column_double (stmt, 11);
  r->info.subsidy_source = td_class_edit_text (stmt, 12);
  r->info.status = td_class_edit_text (stmt, 13);
  r->info.completion_percent = sqlite3_column_double (stmt, 14);
  sqlite3_reset (stmt);
  return r;
}

/* Sessions */

void
td_session_trainer_hours_free (TdSessionTrainerHours *trainer)
{
  g_free (trainer->trainer_uuid);
  g_free (trainer->name);
  g_free (trainer);
}

void
td_class_session_record_free (TdClassSessionRecord *record)
{
  g_free (record->uuid);
  g_free (record->class_uuid);
  g_free (record->held_on);
  g_free (record->starts_at);
  g_free (record->ends_at);
  g_free (record->venue_uuid);
  g_clear_pointer (&record->trainers, g_ptr_array_unref);
  g_clear_pointer (&record->marks, g_ptr_array_unref);
  g_free (record);
}

void
td_trainer_choice_free (TdTrainerChoice *choice)
{
  g_free (choice->uuid);
  g_free (choice->name);
  g_free (choice);
}

static gboolean
td_class_edit_check_session (const TdClassSessionInfo  *info,
                             GError                   **error)
{
  return td_classes_check_session (info->held_on, info->starts_at, info->ends_at, info->hours,
                                   info->trainers, info->n_trainers, error);
}

/**
 * td_class_session_add:
 * @uuid: (out) (optional): the new session's key
 *
 * td_class_add_session() with its values in one struct.
 */
gboolean
td_class_session_add (TdStore                   *store,
                      const char                *class_uuid,
                      const TdClassSessionInfo  *info,
                      char                     **uuid,
                      GError                   **error)
{
  g_return_val_if_fail (info != NULL, FALSE);

  return td_class_add_session (store, class_uuid, info->held_on, info->starts_at, info->ends_at, info->hours,
                               info->venue_uuid, info->trainers, info->n_trainers, uuid, error);
}

/* The trainers of session @session_id become @trainers (the same trainer
 * twice: their hours added), each row changed only if it differs, so the
 * audit log says what changed. */
static gboolean
td_class_edit_set_trainers (TdStore                 *store,
                            gint64                   session_id,
                            const TdSessionTrainer  *trainers,
                            guint                    n_trainers,
                            GError                 **error)
{
  g_autoptr(GHashTable) hours = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GString) keep = g_string_new ("[");
  GHashTableIter iter;
  gpointer key, value;
  sqlite3_stmt *stmt;

  for (guint i = 0; i < n_trainers; i++)
    {
      gint64 trainer_id = td_classes_lookup_id (store, "trainer", trainers[i].trainer_uuid, error);
      double *sum;

      if (trainer_id == 0)
        return FALSE;
      if ((sum = g_hash_table_lookup (hours, &trainer_id)) != NULL)
        *sum += trainers[i].hours;
      else
        g_hash_table_insert (hours, g_memdup2 (&trainer_id, sizeof trainer_id),
                             g_memdup2 (&trainers[i].hours, sizeof (double)));
    }

  g_hash_table_iter_init (&iter, hours);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_string_append_printf (keep, "%s%" G_GINT64_FORMAT, keep->len > 1 ? "," : "", *(gint64 *)key);
      stmt = td_store_prepare (store,
                               "INSERT INTO session_trainer (session_id, trainer_id, hours) VALUES (?1, ?2, ?3) "
                               "ON CONFLICT (session_id, trainer_id) DO UPDATE SET hours = excluded.hours "
                               "WHERE hours != excluded.hours",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, session_id);
      sqlite3_bind_int64 (stmt, 2, *(gint64 *)key);
      sqlite3_bind_double (stmt, 3, *(double *)value);
      if (!td_store_step_done (store, stmt, error))
        return FALSE;
    }
  g_string_append_c (keep, ']');

  stmt = td_store_prepare (store,
                           "DELETE FROM session_trainer WHERE session_id = ?1 "
                           "AND trainer_id NOT IN (SELECT value FROM json_each (?2))",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, session_id);
  sqlite3_bind_text (stmt, 2, keep->str, -1, SQLITE_TRANSIENT);
  return td_store_step_done (store, stmt, error);
}

typedef struct
{
  const char               *uuid;
  const TdClassSessionInfo *info;
} TdClassEditSession;

static gboolean
td_class_edit_session_update_cb (TdStore  *store,
                                 gpointer  user_data,
                                 GError  **error)
{
  TdClassEditSession *s = user_data;
  const TdClassSessionInfo *info = s->info;
  gint64 id, venue_id;
  sqlite3_stmt *stmt;

  if (!(id = td_classes_lookup_id (store, "class_session", s->uuid, error)) ||
      !td_classes_lookup_optional (store, "venue", info->venue_uuid, &venue_id, error))
    return FALSE;
  stmt = td_store_prepare (store,
                           "UPDATE class_session SET held_on = ?2, starts_at = ?3, ends_at = ?4, hours = ?5, "
                           "  venue_id = coalesce (?6, (SELECT c.venue_id FROM class c WHERE c.id = class_session.class_id)) "
                           "WHERE id = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, info->held_on, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, info->starts_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, info->ends_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double (stmt, 5, info->hours);
  td_classes_bind_id (stmt, 6, venue_id);
  return td_store_step_done (store, stmt, error) &&
         td_class_edit_set_trainers (store, id, info->trainers, info->n_trainers, error);
}

/**
 * td_class_session_update:
 *
 * Changes a session's day, times, hours, venue and trainers. Changed hours
 * change what each trainee present attended (the schema's triggers).
 */
gboolean
td_class_session_update (TdStore                   *store,
                         const char                *session_uuid,
                         const TdClassSessionInfo  *info,
                         GError                   **error)
{
  TdClassEditSession s = { session_uuid, info };

  g_return_val_if_fail (TD_IS_STORE (store), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  return td_class_edit_check_session (info, error) &&
         td_store_transaction (store, td_class_edit_session_update_cb, &s, error);
}

static GPtrArray *
td_class_edit_read_trainers (TdStore     *store,
                             const char  *session_uuid,
                             GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)td_session_trainer_hours_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = td_store_prepare (store,
                           "SELECT t.uuid, t.name, st.hours FROM class_session s "
                           "JOIN session_trainer st ON st.session_id = s.id JOIN trainer t ON t.id = st.trainer_id "
                           "WHERE s.uuid = ? ORDER BY t.name, t.id",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, session_uuid, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TdSessionTrainerHours *t = g_new0 (TdSessionTrainerHours, 1);

      t->trainer_uuid = td_class_edit_text (stmt, 0);
      t->name = td_class_edit_text (stmt, 1);
      t->hours = sqlite3_column_double (stmt, 2);
      g_ptr_array_add (list, t);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/**
 * td_class_session_trainers:
 *
 * Returns: (transfer full) (element-type TdSessionTrainerHours): who
 *   taught the session and their hours, by name
 */
GPtrArray *
td_class_session_trainers (TdStore     *store,
                           const char  *session_uuid,
                           GError     **error)
{
  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  if (td_classes_lookup_id (store, "class_session", session_uuid, error) == 0)
    return NULL;
  return td_class_edit_read_trainers (store, session_uuid, error);
}

/**
 * td_class_session_read:
 *
 * Returns: (transfer full) (nullable): the session with its trainers
 *   (marks NULL)
 */
TdClassSessionRecord *
td_class_session_read (TdStore     *store,
                       const char  *session_uuid,
                       GError     **error)
{
  g_autoptr(TdClassSessionRecord) r = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  stmt = td_store_prepare (store,
                           "SELECT s.uuid, c.uuid, s.held_on, s.starts_at, s.ends_at, s.hours, coalesce (v.uuid, '') "
                           "FROM class_session s JOIN class c ON c.id = s.class_id "
                           "LEFT JOIN venue v ON v.id = s.venue_id WHERE s.uuid = ?",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, session_uuid, -1, SQLITE_TRANSIENT);
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      td_class_edit_not_found (store, rc, _("session"), error);
      return NULL;
    }
  r = g_new0 (TdClassSessionRecord, 1);
  r->uuid = td_class_edit_text (stmt, 0);
  r->class_uuid = td_class_edit_text (stmt, 1);
  r->held_on = td_class_edit_text (stmt, 2);
  r->starts_at = td_class_edit_text (stmt, 3);
  r->ends_at = td_class_edit_text (stmt, 4);
  r->hours = sqlite3_column_double (stmt, 5);
  r->venue_uuid = td_class_edit_text (stmt, 6);
  sqlite3_reset (stmt);
  if (!(r->trainers = td_class_edit_read_trainers (store, session_uuid, error)))
    return NULL;
  return g_steal_pointer (&r);
}

static gboolean
td_class_edit_read_marks (TdStore               *store,
                          TdClassSessionRecord  *r,
                          GError               **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = td_store_prepare (store,
                           "SELECT e.uuid, a.status FROM class_session s JOIN attendance a ON a.session_id = s.id "
                           "JOIN enrolment e ON e.id = a.enrolment_id WHERE s.uuid = ?",
                           error);
  if (stmt == NULL)
    return FALSE;
  r->marks = g_ptr_array_new_with_free_func ((GDestroyNotify)td_mark_free);
  sqlite3_bind_text (stmt, 1, r->uuid, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TdMark *m = g_new0 (TdMark, 1);

      m->enrolment_uuid = td_class_edit_text (stmt, 0);
      m->session_uuid = g_strdup (r->uuid);
      m->status = sqlite3_column_int (stmt, 1);
      g_ptr_array_add (r->marks, m);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const char           *uuid;
  TdClassSessionRecord *deleted;
} TdClassEditDelete;

static gboolean
td_class_edit_session_delete_cb (TdStore  *store,
                                 gpointer  user_data,
                                 GError  **error)
{
  TdClassEditDelete *d = user_data;
  sqlite3_stmt *stmt;

  if (!(d->deleted = td_class_session_read (store, d->uuid, error)) ||
      !td_class_edit_read_marks (store, d->deleted, error))
    return FALSE;
  stmt = td_store_prepare (store, "DELETE FROM class_session WHERE uuid = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, d->uuid, -1, SQLITE_TRANSIENT);
  return td_store_step_done (store, stmt, error);
}

/**
 * td_class_session_delete:
 * @deleted: (out) (optional) (transfer full): the session as it was, with
 *   its trainers and marks, for td_class_session_restore()
 *
 * Deletes a session with its trainers' hours and its attendance marks.
 */
gboolean
td_class_session_delete (TdStore                *store,
                         const char             *session_uuid,
                         TdClassSessionRecord  **deleted,
                         GError                **error)
{
  TdClassEditDelete d = { session_uuid, NULL };

  g_return_val_if_fail (TD_IS_STORE (store), FALSE);

  if (!td_store_transaction (store, td_class_edit_session_delete_cb, &d, error))
    {
      g_clear_pointer (&d.deleted, td_class_session_record_free);
      return FALSE;
    }
  if (deleted != NULL)
    *deleted = g_steal_pointer (&d.deleted);
  g_clear_pointer (&d.deleted, td_class_session_record_free);
  return TRUE;
}

static gboolean
td_class_edit_session_restore_cb (TdStore  *store,
                                  gpointer  user_data,
                                  GError  **error)
{
  const TdClassSessionRecord *r = user_data;
  gint64 class_id, venue_id, session_id;
  sqlite3_stmt *stmt;

  if (!(class_id = td_classes_lookup_id (store, "class", r->class_uuid, error)) ||
      !td_classes_lookup_optional (store, "venue", r->venue_uuid, &venue_id, error))
    return FALSE;
  stmt = td_store_prepare (store,
                           "INSERT INTO class_session (uuid, class_id, held_on, starts_at, ends_at, hours, venue_id) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, r->uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, class_id);
  sqlite3_bind_text (stmt, 3, r->held_on, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, r->starts_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, r->ends_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double (stmt, 6, r->hours);
  td_classes_bind_id (stmt, 7, venue_id);
  if (!td_store_step_done (store, stmt, error))
    return FALSE;
  session_id = sqlite3_last_insert_rowid (td_store_get_db (store));

  for (guint i = 0; r->trainers != NULL && i < r->trainers->len; i++)
    {
      const TdSessionTrainerHours *t = g_ptr_array_index (r->trainers, i);
      gint64 trainer_id = td_classes_lookup_id (store, "trainer", t->trainer_uuid, error);

      if (trainer_id == 0)
        return FALSE;
      stmt = td_store_prepare (store, "INSERT INTO session_trainer (session_id, trainer_id, hours) VALUES (?, ?, ?)",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, session_id);
      sqlite3_bind_int64 (stmt, 2, trainer_id);
      sqlite3_bind_double (stmt, 3, t->hours);
      if (!td_store_step_done (store, stmt, error))
        return FALSE;
    }
  /* A trainee taken off the roster meanwhile has no marks to put back. */
  for (guint i = 0; r->marks != NULL && i < r->marks->len; i++)
    {
      const TdMark *m = g_ptr_array_index (r->marks, i);

      stmt = td_store_prepare (store,
                               "INSERT INTO attendance (enrolment_id, session_id, status) "
                               "SELECT id, ?2, ?3 FROM enrolment WHERE uuid = ?1 AND class_id = ?4",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, m->enrolment_uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, session_id);
      sqlite3_bind_int (stmt, 3, m->status);
      sqlite3_bind_int64 (stmt, 4, class_id);
      if (!td_store_step_done (store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * td_class_session_restore:
 * @deleted: what td_class_session_delete() handed back
 *
 * Puts a deleted session back, under its uuid, with its trainers and the
 * marks of the trainees still on the roster.
 */
gboolean
td_class_session_restore (TdStore                     *store,
                          const TdClassSessionRecord  *deleted,
                          GError                     **error)
{
  g_return_val_if_fail (TD_IS_STORE (store), FALSE);
  g_return_val_if_fail (deleted != NULL, FALSE);

  return td_store_transaction (store, td_class_edit_session_restore_cb, (gpointer)deleted, error);
}

/**
 * td_class_trainer_choices:
 *
 * Returns: (transfer full) (element-type TdTrainerChoice): the school's
 *   trainers by name, for a session's editor
 */
GPtrArray *
td_class_trainer_choices (TdStore  *store,
                          GError  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)td_trainer_choice_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  stmt = td_store_prepare (store, "SELECT uuid, name FROM trainer ORDER BY name, id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TdTrainerChoice *t = g_new0 (TdTrainerChoice, 1);

      t->uuid = td_class_edit_text (stmt, 0);
      t->name = td_class_edit_text (stmt, 1);
      g_ptr_array_add (list, t);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* Enrolments */

void
td_enrolment_record_free (TdEnrolmentRecord *record)
{
  g_free (record->uuid);
  g_free (record->class_uuid);
  g_free (record->trainee_uuid);
  g_free (record->name);
  g_free (record->id_number_masked);
  g_free (record->phone_masked);
  g_free (record->key_group);
  g_free (record->employment);
  g_free (record->employer);
  g_free ((char *)record->outcome.result);
  g_free ((char *)record->outcome.certificate_kind);
  g_free ((char *)record->outcome.certificate_level);
  g_free ((char *)record->outcome.certificate_number);
  g_free ((char *)record->outcome.certificate_on);
  g_free ((char *)record->outcome.employed_on);
  g_free ((char *)record->outcome.employed_by);
  g_free (record);
}

static const char *
td_class_edit_or_empty (const char *text)
{
  return text != NULL ? text : "";
}

/**
 * td_enrolment_check_outcome:
 * @field: (out) (optional): on a refusal, the part of @outcome it is about
 *
 * The checks td_enrolment_set_outcome() makes before writing, for a
 * dialog to mark the part to correct.
 */
gboolean
td_enrolment_check_outcome (const TdEnrolmentOutcome  *o,
                            TdOutcomeField            *field,
                            GError                   **error)
{
  const char *kind = td_class_edit_or_empty (o->certificate_kind);
  const char *result = td_class_edit_or_empty (o->result);
  TdOutcomeField refused = TD_OUTCOME_FIELD_NONE;

  if (!td_classes_check_choice (result, td_classes_results, _("assessment result"), error))
    refused = TD_OUTCOME_FIELD_RESULT;
  else if (!td_classes_check_choice (kind, td_classes_certificates, _("certificate kind"), error))
    refused = TD_OUTCOME_FIELD_CERTIFICATE_KIND;
  else if (*kind != '\0' && !g_str_equal (result, "passed"))
    {
      g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID,
                   _("A certificate is only given to a trainee who passed the assessment."));
      refused = TD_OUTCOME_FIELD_RESULT;
    }
  else if (*kind != '\0' && !td_classes_check_date (o->certificate_on, _("certificate date"), error))
    refused = TD_OUTCOME_FIELD_CERTIFICATE_ON;
  else if (*kind == '\0' && (!td_classes_is_blank (o->certificate_number) || !td_classes_is_blank (o->certificate_level)))
    {
      g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID,
                   _("A certificate’s level or number needs the kind of certificate."));
      refused = TD_OUTCOME_FIELD_CERTIFICATE_KIND;
    }
  else if (o->employed_on != NULL && !td_classes_check_date (o->employed_on, _("employment date"), error))
    refused = TD_OUTCOME_FIELD_EMPLOYED_ON;
  else if (o->employed_on == NULL && (o->self_employed || !td_classes_is_blank (o->employed_by)))
    {
      g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID,
                   _("Employment after training needs the date it began."));
      refused = TD_OUTCOME_FIELD_EMPLOYED_ON;
    }
  else if (o->self_employed && !td_classes_is_blank (o->employed_by))
    {
      g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID,
                   _("A self-employed trainee has no employer: clear one or the other."));
      refused = TD_OUTCOME_FIELD_EMPLOYED_BY;
    }

  if (field)
    *field = refused;
  return refused == TD_OUTCOME_FIELD_NONE;
}

typedef struct
{
  const char               *uuid;
  const TdEnrolmentOutcome *outcome;
} TdClassEditOutcome;

static gboolean
td_class_edit_outcome_cb (TdStore  *store,
                          gpointer  user_data,
                          GError  **error)
{
  TdClassEditOutcome *e = user_data;
  const TdEnrolmentOutcome *o = e->outcome;
  gint64 id = td_classes_lookup_id (store, "enrolment", e->uuid, error);
  g_autofree char *level = NULL;
  g_autofree char *number = NULL;
  g_autofree char *employer = NULL;
  sqlite3_stmt *stmt;

  if (id == 0)
    return FALSE;
  level = g_strstrip (g_strdup (td_class_edit_or_empty (o->certificate_level)));
  number = g_strstrip (g_strdup (td_class_edit_or_empty (o->certificate_number)));
  employer = g_strstrip (g_strdup (td_class_edit_or_empty (o->employed_by)));
  stmt = td_store_prepare (store,
                           "UPDATE enrolment SET result = ?2, certificate_kind = ?3, certificate_level = ?4, "
                           "  certificate_number = ?5, certificate_on = ?6, employed_on = ?7, employed_by = ?8, "
                           "  self_employed = ?9 WHERE id = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, td_class_edit_or_empty (o->result), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, td_class_edit_or_empty (o->certificate_kind), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, level, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, number, -1, SQLITE_TRANSIENT);
  if (td_class_edit_or_empty (o->certificate_kind)[0] == '\0')
    sqlite3_bind_null (stmt, 6);
  else
    sqlite3_bind_text (stmt, 6, o->certificate_on, -1, SQLITE_TRANSIENT);
  if (o->employed_on == NULL)
    sqlite3_bind_null (stmt, 7);
  else
    sqlite3_bind_text (stmt, 7, o->employed_on, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, employer, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 9, o->self_employed ? 1 : 0);
  return td_store_step_done (store, stmt, error);
}

/**
 * td_enrolment_set_outcome:
 *
 * Sets what became of a trainee — the assessment result, the certificate
 * (kind, level, number, date) and the employment after training — all at
 * once, in one transaction: an editor saves them together.
 */
gboolean
td_enrolment_set_outcome (TdStore                   *store,
                          const char                *enrolment_uuid,
                          const TdEnrolmentOutcome  *outcome,
                          GError                   **error)
{
  TdClassEditOutcome e = { enrolment_uuid, outcome };

  g_return_val_if_fail (TD_IS_STORE (store), FALSE);
  g_return_val_if_fail (outcome != NULL, FALSE);

  return td_enrolment_check_outcome (outcome, NULL, error) &&
         td_store_transaction (store, td_class_edit_outcome_cb, &e, error);
}

/**
 * td_enrolment_read:
 *
 * Returns: (transfer full) (nullable): the enrolment, its trainee (ID
 *   number and phone masked), hours, completion and outcome
 */
TdEnrolmentRecord *
td_enrolment_read (TdStore     *store,
                   const char  *enrolment_uuid,
                   GError     **error)
{
  TdEnrolmentRecord *r;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  stmt = td_store_prepare (store,
                           "SELECT e.uuid, c.uuid, t.uuid, t.name, coalesce (i.id_number, ''), coalesce (i.phone, ''), "
                           "       e.key_group, e.employment, e.employer, h.attended, c.planned_hours, "
                           "       c.completion_percent, e.result, e.certificate_kind, e.certificate_level, "
                           "       e.certificate_number, e.certificate_on, e.employed_on, e.employed_by, e.self_employed "
                           "FROM enrolment e JOIN class c ON c.id = e.class_id JOIN trainee t ON t.id = e.trainee_id "
                           "JOIN enrolment_hours h ON h.enrolment_id = e.id "
                           "LEFT JOIN trainee_identity i ON i.trainee_id = t.id WHERE e.uuid = ?",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, enrolment_uuid, -1, SQLITE_TRANSIENT);
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      td_class_edit_not_found (store, rc, _("enrolment"), error);
      return NULL;
    }
  r = g_new0 (TdEnrolmentRecord, 1);
  r->uuid = td_class_edit_text (stmt, 0);
  r->class_uuid = td_class_edit_text (stmt, 1);
  r->trainee_uuid = td_class_edit_text (stmt, 2);
  r->name = td_class_edit_text (stmt, 3);
  r->id_number_masked = td_id_number_mask ((const char *)sqlite3_column_text (stmt, 4));
  r->phone_masked = td_phone_mask ((const char *)sqlite3_column_text (stmt, 5));
  r->key_group = td_class_edit_text (stmt, 6);
  r->employment = td_class_edit_text (stmt, 7);
  r->employer = td_class_edit_text (stmt, 8);
  r->attended_hours = sqlite3_column_double (stmt, 9);
  r->completed = td_completion_reached (r->attended_hours, sqlite3_column_double (stmt, 10),
                                        sqlite3_column_double (stmt, 11));
  r->outcome.result = td_class_edit_text (stmt, 12);
  r->outcome.certificate_kind = td_class_edit_text (stmt, 13);
  r->outcome.certificate_level = td_class_edit_text (stmt, 14);
  r->outcome.certificate_number = td_class_edit_text (stmt, 15);
  r->outcome.certificate_on = td_class_edit_text_or_null (stmt, 16);
  r->outcome.employed_on = td_class_edit_text_or_null (stmt, 17);
  r->outcome.employed_by = td_class_edit_text (stmt, 18);
  r->outcome.self_employed = sqlite3_column_int (stmt, 19) != 0;
  sqlite3_reset (stmt);
  return r;
}

/* Attendance from a file */

/* A cell's mark: -1 for none (blank), -2 for not a mark. */
static int
td_class_edit_parse_mark (const char *cell)
{
  static const struct { const char *text; int mark; } words[] = {
    { "p", TD_ATTENDANCE_PRESENT }, { "present", TD_ATTENDANCE_PRESENT }, { "出", TD_ATTENDANCE_PRESENT },
    { "出勤", TD_ATTENDANCE_PRESENT }, { "到", TD_ATTENDANCE_PRESENT }, { "√", TD_ATTENDANCE_PRESENT },
    { "✓", TD_ATTENDANCE_PRESENT }, { "✔", TD_ATTENDANCE_PRESENT }, { "1", TD_ATTENDANCE_PRESENT },
    { "a", TD_ATTENDANCE_ABSENT }, { "absent", TD_ATTENDANCE_ABSENT }, { "缺", TD_ATTENDANCE_ABSENT },
    { "缺勤", TD_ATTENDANCE_ABSENT }, { "×", TD_ATTENDANCE_ABSENT }, { "✗", TD_ATTENDANCE_ABSENT },
    { "0", TD_ATTENDANCE_ABSENT },
    { "e", TD_ATTENDANCE_EXCUSED }, { "excused", TD_ATTENDANCE_EXCUSED }, { "假", TD_ATTENDANCE_EXCUSED },
    { "请假", TD_ATTENDANCE_EXCUSED },
  };
  g_autofree char *folded = g_utf8_casefold (cell != NULL ? cell : "", -1);

  g_strstrip (folded);
  if (folded[0] == '\0')
    return -1;
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (g_str_equal (folded, words[i].text))
      return words[i].mark;
  return -2;
}

typedef struct
{
  gint64  id;
  char   *held_on;
  char   *starts_at;
} TdClassEditSessionKey;

static void
td_class_edit_session_key_free (TdClassEditSessionKey *key)
{
  g_free (key->held_on);
  g_free (key->starts_at);
  g_free (key);
}

/* The session a column heading names: "2025-03-01 08:00" (what the
 * grid shows), or "2025-03-01" when the class met once that day. 0 and
 * @looks_like_date FALSE for a heading that names no day (序号, 手机…). */
static gint64
td_class_edit_heading_session (GPtrArray  *sessions,
                               const char *heading,
                               gboolean   *looks_like_date,
                               gboolean   *ambiguous)
{
  g_autofree char *text = g_strstrip (g_strdup (heading));
  char day[11] = { 0 };
  const char *time = NULL;
  gint64 found = 0;
  guint n = 0;

  g_strlcpy (day, text, sizeof day);
  *looks_like_date = td_classes_check_date (day, "", NULL);
  *ambiguous = FALSE;
  if (!*looks_like_date)
    return 0;
  if (strlen (text) > 10)
    {
      time = text + 10;
      while (*time == ' ')
        time++;
    }
  for (guint i = 0; i < sessions->len; i++)
    {
      TdClassEditSessionKey *s = g_ptr_array_index (sessions, i);

      if (!g_str_equal (s->held_on, day))
        continue;
      if (time != NULL && *time != '\0' && !g_str_has_prefix (time, s->starts_at))
        continue;
      found = s->id;
      n++;
    }
  if (n > 1)
    {
      *ambiguous = TRUE;
      return 0;
    }
  return found;
}

typedef struct
{
  const char *class_uuid;
  TdTable    *table;
  guint       n_marks;
} TdClassEditImport;

static gboolean
td_class_edit_import_read (TdStore     *store,
                           gint64       class_id,
                           GPtrArray   *sessions,
                           GHashTable  *by_number,
                           GHashTable  *by_name,
                           GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = td_store_prepare (store, "SELECT id, held_on, starts_at FROM class_session WHERE class_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TdClassEditSessionKey *s = g_new0 (TdClassEditSessionKey, 1);

      s->id = sqlite3_column_int64 (stmt, 0);
      s->held_on = td_class_edit_text (stmt, 1);
      s->starts_at = td_class_edit_text (stmt, 2);
      g_ptr_array_add (sessions, s);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return td_class_edit_not_found (store, rc, "", error);

  stmt = td_store_prepare (store,
                           "SELECT e.id, coalesce (i.id_number, ''), t.name FROM enrolment e "
                           "JOIN trainee t ON t.id = e.trainee_id LEFT JOIN trainee_identity i ON i.trainee_id = t.id "
                           "WHERE e.class_id = ?",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *number = (const char *)sqlite3_column_text (stmt, 1);
      const char *name = (const char *)sqlite3_column_text (stmt, 2);

      if (number != NULL && *number != '\0')
        g_hash_table_insert (by_number, g_strdup (number), GINT_TO_POINTER ((int)id));
      /* A name twice on the roster finds nobody: 0. */
      if (name != NULL && *name != '\0')
        g_hash_table_insert (by_name, g_strdup (name),
                             g_hash_table_contains (by_name, name) ? GINT_TO_POINTER (0) : GINT_TO_POINTER ((int)id));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return td_class_edit_not_found (store, rc, "", error);
  return TRUE;
}

static void
td_class_edit_problem (GString    *problems,
                       guint      *n_problems,
                       guint       line,
                       const char *message)
{
  if (++*n_problems <= 20)
    g_string_append_printf (problems, _("Line %u: %s\n"), line, message);
}

static gboolean
td_class_edit_import_cb (TdStore  *store,
                         gpointer  user_data,
                         GError  **error)
{
  TdClassEditImport *imp = user_data;
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func ((GDestroyNotify)td_class_edit_session_key_free);
  g_autoptr(GHashTable) by_number = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GArray) columns = g_array_new (FALSE, FALSE, sizeof (gint64));  /* session id per column, or 0 */
  g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (gint64));    /* enrolment, session, mark */
  g_autoptr(GString) problems = g_string_new (NULL);
  guint n_rows = td_table_get_n_rows (imp->table);
  guint n_problems = 0, n_header, n_session_columns = 0;
  const char * const *header;
  int name_column = -1, id_column = -1;
  gint64 class_id = td_classes_lookup_id (store, "class", imp->class_uuid, error);
  sqlite3_stmt *stmt;

  if (class_id == 0 || !td_class_edit_import_read (store, class_id, sessions, by_number, by_name, error))
    return FALSE;

  header = td_table_get_row (imp->table, 0, &n_header);
  for (guint c = 0; c < n_header; c++)
    {
      g_autofree char *folded = g_utf8_casefold (header[c], -1);
      gboolean is_date, ambiguous;
      gint64 session_id;

      g_strstrip (folded);
      session_id = td_class_edit_heading_session (sessions, header[c], &is_date, &ambiguous);
      g_array_append_val (columns, session_id);
      if (session_id != 0)
        n_session_columns++;
      else if (ambiguous)
        {
          g_autofree char *message =
            g_strdup_printf (_("the column “%s” names a day with more than one session: add the start time, "
                               "as “%s 08:00”"), header[c], header[c]);

          td_class_edit_problem (problems, &n_problems, td_table_get_line (imp->table, 0), message);
        }
      else if (is_date)
        {
          g_autofree char *message =
            g_strdup_printf (_("the column “%s” names no session of this class"), header[c]);

          td_class_edit_problem (problems, &n_problems, td_table_get_line (imp->table, 0), message);
        }
      else if (name_column < 0 && (g_str_equal (folded, "姓名") || g_str_equal (folded, "name") ||
                                   g_str_equal (folded, "学员姓名")))
        name_column = (int)c;
      else if (id_column < 0 && (g_str_equal (folded, "身份证号") || g_str_equal (folded, "身份证号码") ||
                                 g_str_equal (folded, "公民身份号码") || g_str_equal (folded, "id number") ||
                                 g_str_equal (folded, "证件号码")))
        id_column = (int)c;
    }
  if ((name_column < 0 && id_column < 0) || (n_session_columns == 0 && n_problems == 0))
    {
      g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_IMPORT,
                   _("The attendance file’s first row must name its columns: “身份证号” (ID number) or "
                     "“姓名” (name), then one column per session, headed by its day and start time "
                     "(2025-03-01 08:00). Nothing was imported."));
      return FALSE;
    }

  for (guint row = 1; row < n_rows; row++)
    {
      const char *number = id_column >= 0 ? td_table_get_cell (imp->table, row, (guint)id_column) : NULL;
      const char *name = name_column >= 0 ? td_table_get_cell (imp->table, row, (guint)name_column) : NULL;
      guint line = td_table_get_line (imp->table, row);
      gint64 enrolment_id = 0;
      TdIdNumber id;

      if (td_table_row_is_blank (imp->table, row))
        continue;
      if (number != NULL && *number != '\0')
        {
          g_autoptr(GError) local_error = NULL;

          if (!td_id_number_parse (number, &id, &local_error))
            {
              td_class_edit_problem (problems, &n_problems, line, local_error->message);
              continue;
            }
          enrolment_id = GPOINTER_TO_INT (g_hash_table_lookup (by_number, id.number));
          if (enrolment_id == 0)
            {
              g_autofree char *masked = td_id_number_mask (id.number);
              g_autofree char *message = g_strdup_printf (_("%s is not on this class’s roster"), masked);

              td_class_edit_problem (problems, &n_problems, line, message);
              continue;
            }
        }
      else if (name != NULL && *name != '\0')
        {
          g_autofree char *stripped = g_strstrip (g_strdup (name));

          if (!g_hash_table_lookup_extended (by_name, stripped, NULL, NULL))
            {
              g_autofree char *message = g_strdup_printf (_("%s is not on this class’s roster"), stripped);

              td_class_edit_problem (problems, &n_problems, line, message);
              continue;
            }
          enrolment_id = GPOINTER_TO_INT (g_hash_table_lookup (by_name, stripped));
          if (enrolment_id == 0)
            {
              g_autofree char *message =
                g_strdup_printf (_("two trainees on the roster are called %s: give their ID numbers"), stripped);

              td_class_edit_problem (problems, &n_problems, line, message);
              continue;
            }
        }
      else
        {
          td_class_edit_problem (problems, &n_problems, line, _("the row names no trainee"));
          continue;
        }
      if (!g_hash_table_add (seen, GINT_TO_POINTER ((int)enrolment_id)))
        {
          td_class_edit_problem (problems, &n_problems, line, _("this trainee is on an earlier row too"));
          continue;
        }
      for (guint c = 0; c < columns->len; c++)
        {
          gint64 session_id = g_array_index (columns, gint64, c);
          const char *cell;
          int m;

          if (session_id == 0)
            continue;
          cell = td_table_get_cell (imp->table, row, c);
          m = td_class_edit_parse_mark (cell);
          if (m == -2)
            {
              g_autofree char *message =
                g_strdup_printf (_("“%s” under “%s” is not a mark: write 出 (present), 缺 (absent) or 假 (excused), "
                                   "or P, A or E"), cell, header[c]);

              td_class_edit_problem (problems, &n_problems, line, message);
            }
          else if (m >= 0)
            {
              gint64 triple[3] = { enrolment_id, session_id, m };

              g_array_append_vals (marks, triple, 3);
            }
        }
    }
  if (n_problems > 0)
    {
      if (n_problems > 20)
        g_string_append_printf (problems,
                                g_dngettext (GETTEXT_PACKAGE, "…and %u more problem.\n",
                                             "…and %u more problems.\n", n_problems - 20),
                                n_problems - 20);
      g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_IMPORT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Nothing was imported: %u row has a problem.\n%s",
                                "Nothing was imported: %u rows have problems.\n%s", n_problems),
                   n_problems, problems->str);
      return FALSE;
    }

  for (guint i = 0; i + 2 < marks->len; i += 3)
    {
      stmt = td_store_prepare (store,
                               "INSERT INTO attendance (enrolment_id, session_id, status) VALUES (?1, ?2, ?3) "
                               "ON CONFLICT (enrolment_id, session_id) DO UPDATE SET status = excluded.status",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, g_array_index (marks, gint64, i));
      sqlite3_bind_int64 (stmt, 2, g_array_index (marks, gint64, i + 1));
      sqlite3_bind_int (stmt, 3, (int)g_array_index (marks, gint64, i + 2));
      if (!td_store_step_done (store, stmt, error))
        return FALSE;
      imp->n_marks++;
    }

  /* Marks have no log rows of their own: one line says they came in. */
  stmt = td_store_prepare (store,
                           "INSERT INTO audit_log (table_name, row_uuid, action, field, new_value) "
                           "VALUES ('class', ?1, 'update', 'attendance', json_object ('imported', ?2))",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, imp->class_uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, (int)imp->n_marks);
  return td_store_step_done (store, stmt, error);
}

/**
 * td_attendance_import:
 * @path: a CSV (UTF-8, UTF-16 or GB18030) or XLSX file: a row per
 *   trainee, found by “身份证号” (ID number) or else “姓名” (name), and a
 *   column per session headed by its day and start time, “2025-03-01
 *   08:00” (the day alone when the class met once that day); cells 出 /
 *   缺 / 假 or P / A / E, blank for no mark
 * @n_marks: (out) (optional): how many marks were written
 *
 * Records a class's attendance from a file, all or nothing: any bad row
 * or column, and nothing is written; the error lists them by line.
 */
gboolean
td_attendance_import (TdStore     *store,
                      const char  *class_uuid,
                      const char  *path,
                      guint       *n_marks,
                      GError     **error)
{
  g_autoptr(TdTable) table = NULL;
  g_autofree char *lower = NULL;
  TdClassEditImport imp = { class_uuid, NULL, 0 };

  g_return_val_if_fail (TD_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  lower = g_ascii_strdown (path, -1);
  table = g_str_has_suffix (lower, ".xlsx") ? td_xlsx_read (path, error) : td_csv_read_file (path, error);
  if (table == NULL)
    return FALSE;
  if (td_table_get_n_rows (table) < 2)
    {
      g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_IMPORT,
                   _("The attendance file has no trainees in it. Nothing was imported."));
      return FALSE;
    }
  if (td_table_get_n_rows (table) - 1 > TD_ATTENDANCE_MAX_ROWS)
    {
      g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_IMPORT,
                   _("The attendance file has %u rows; a class has at most %u trainees. Nothing was imported."),
                   td_table_get_n_rows (table) - 1, (guint)TD_ATTENDANCE_MAX_ROWS);
      return FALSE;
    }
  imp.table = table;
  if (!td_store_transaction (store, td_class_edit_import_cb, &imp, error))
    return FALSE;
  if (n_marks != NULL)
    *n_marks = imp.n_marks;
  return TRUE;
}
