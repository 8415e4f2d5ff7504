/* td-classes.c: training classes, sessions, rosters, attendance,
 * assessment and follow-up (issue 15)
 *
 * Every write is one transaction, checked here first so that a refusal
 * names the value and the reason (the schema's CHECKs are the second
 * line, for rows any other tool writes). Trainees are found by their ID
 * number: enrolling the same number again, in another class or year, is
 * the same person (td-trainee.c keeps their identity apart from the
 * audited tables). Attendance is stored per session as small integers
 * and each enrolment's attended hours are kept by triggers
 * (sql/0010-classes.sql), so completion and the yearly results never
 * re-add a million marks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-classes"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "td-classes.h"
#include "td-classes-private.h"
#include "td-id-number.h"
#include "td-store-private.h"
#include "td-uuid.h"

G_DEFINE_QUARK (td-classes-error-quark, td_classes_error)

const char * const td_key_groups[TD_N_KEY_GROUPS] = {
  "graduates", "veterans", "migrant-workers", "laid-off", "registered-poor", "disabled",
};

const char * const td_classes_categories[] = { "enterprise-staff", "key-groups", "unemployed", NULL };
const char * const td_classes_modes[] = { "offline", "online", "blended", NULL };
const char * const td_classes_statuses[] = { "planned", "running", "finished", NULL };
const char * const td_classes_employments[] = { "", "employed", "unemployed", "student", "other", NULL };
const char * const td_classes_results[] = { "", "passed", "failed", "absent", NULL };
const char * const td_classes_certificates[] = {
  "", "vocational-qualification", "skill-level", "special-ability", "training-completion", NULL,
};

gboolean
td_classes_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

gboolean
td_classes_check_choice (const char         *value,
                         const char * const *choices,
                         const char         *what,
                         GError            **error)
{
  if (value != NULL && g_strv_contains (choices, value))
    return TRUE;
  g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID,
               /* Translators: the first %s is a field ("status"), the second what was given */
               _("The %s “%s” is not one of those Training Desk knows."), what, value ? value : "");
  return FALSE;
}

gboolean
td_classes_check_key_group (const char  *value,
                            GError     **error)
{
  if (value == NULL || *value == '\0')
    return TRUE;
  for (guint i = 0; i < TD_N_KEY_GROUPS; i++)
    if (g_str_equal (value, td_key_groups[i]))
      return TRUE;
  return td_classes_check_choice (value, (const char * const[]) { NULL }, _("key group"), error);
}

gboolean
td_classes_check_date (const char  *date,
                       const char  *what,
                       GError     **error)
{
  int y, m, d;
  char end;

  if (date != NULL && strlen (date) == 10 &&
      sscanf (date, "%4d-%2d-%2d%c", &y, &m, &d, &end) == 3 &&
      date[4] == '-' && date[7] == '-' && y >= 1990 && y <= 2200 && g_date_valid_dmy (d, m, y))
    return TRUE;
  g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID,
               /* Translators: %s is a field ("start date"), then the value given */
               _("The %s “%s” is not a date: write it as 2025-03-01."), what, date ? date : "");
  return FALSE;
}

gboolean
td_classes_check_time (const char  *time,
                       GError     **error)
{
  int h, m;
  char end;

  if (time != NULL && strlen (time) == 5 && time[2] == ':' &&
      sscanf (time, "%2d:%2d%c", &h, &m, &end) == 2 && h >= 0 && h < 24 && m >= 0 && m < 60)
    return TRUE;
  g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID,
               _("“%s” is not a time of day: write it as 08:30."), time ? time : "");
  return FALSE;
}

gboolean
td_classes_check_number (double       value,
                         double       min,
                         double       max,
                         const char  *what,
                         GError     **error)
{
  if (isfinite (value) && value >= min && value <= max)
    return TRUE;
  g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID,
               /* Translators: %s is a field ("planned hours") */
               _("The %s must be between %g and %g, not %g."), what, min, max, value);
  return FALSE;
}

/* The integer key of a row by its uuid; 0 and an error when there is none. */
gint64
td_classes_lookup_id (TdStore     *store,
                      const char  *table,
                      const char  *uuid,
                      GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  const char *what = NULL;
  gint64 id = 0;
  int rc;

  if (g_str_equal (table, "class"))
    stmt = td_store_prepare (store, "SELECT id FROM class WHERE uuid = ?", error), what = _("class");
  else if (g_str_equal (table, "class_session"))
    stmt = td_store_prepare (store, "SELECT id FROM class_session WHERE uuid = ?", error), what = _("session");
  else if (g_str_equal (table, "enrolment"))
    stmt = td_store_prepare (store, "SELECT id FROM enrolment WHERE uuid = ?", error), what = _("enrolment");
  else if (g_str_equal (table, "trainee"))
    stmt = td_store_prepare (store, "SELECT id FROM trainee WHERE uuid = ?", error), what = _("trainee");
  else if (g_str_equal (table, "trainer"))
    stmt = td_store_prepare (store, "SELECT id FROM trainer WHERE uuid = ?", error), what = _("trainer");
  else if (g_str_equal (table, "venue"))
    stmt = td_store_prepare (store, "SELECT id FROM venue WHERE uuid = ?", error), what = _("venue");
  else if (g_str_equal (table, "programme"))
    stmt = td_store_prepare (store, "SELECT id FROM programme WHERE uuid = ?", error), what = _("programme");
  else
    g_return_val_if_reached (0);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, uuid ? uuid : "", -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  else if (rc == SQLITE_DONE)
    g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_NOT_FOUND,
                 /* Translators: %s is a kind of record ("class") */
                 _("There is no such %s: it may have been deleted."), what);
  else
    td_store_set_error (store, rc, error);
  sqlite3_reset (stmt);
  return id;
}

/* An optional reference: NULL or "" is none (0), else it must exist. */
gboolean
td_classes_lookup_optional (TdStore     *store,
                            const char  *table,
                            const char  *uuid,
                            gint64      *id,
                            GError     **error)
{
  *id = 0;
  if (uuid == NULL || *uuid == '\0')
    return TRUE;
  *id = td_classes_lookup_id (store, table, uuid, error);
  return *id != 0;
}

void
td_classes_bind_id (sqlite3_stmt *stmt,
                    int           column,
                    gint64        id)
{
  if (id == 0)
    sqlite3_bind_null (stmt, column);
  else
    sqlite3_bind_int64 (stmt, column, id);
}

/* A class's fields, as parameters 2–15 of an INSERT or UPDATE of the
 * class table in its columns' order (td_class_insert(), td_class_update()),
 * with the defaults of TdClassInfo's NULL and 0. */
void
td_classes_bind_info (sqlite3_stmt      *stmt,
                      const TdClassInfo *info,
                      gint64             programme_id,
                      gint64             venue_id)
{
  td_classes_bind_id (stmt, 2, programme_id);
  sqlite3_bind_text (stmt, 3, info->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, info->category, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, info->key_group ? info->key_group : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, info->mode ? info->mode : "offline", -1, SQLITE_TRANSIENT);
  td_classes_bind_id (stmt, 7, venue_id);
  sqlite3_bind_text (stmt, 8, info->starts_on, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, info->ends_on, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double (stmt, 10, info->planned_hours);
  sqlite3_bind_int64 (stmt, 11, info->capacity);
  sqlite3_bind_double (stmt, 12, info->fee);
  sqlite3_bind_text (stmt, 13, info->subsidy_source ? info->subsidy_source : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 14, info->status ? info->status : "planned", -1, SQLITE_TRANSIENT);
  sqlite3_bind_double (stmt, 15, info->completion_percent > 0 ? info->completion_percent : 80.0);
}

static char *
td_classes_last_uuid (TdStore    *store,
                      const char *sql)
{
  sqlite3_stmt *stmt = td_store_prepare (store, sql, NULL);
  char *uuid = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, sqlite3_last_insert_rowid (td_store_get_db (store)));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    uuid = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return uuid;
}

/* Classes */

typedef struct
{
  const TdClassInfo *info;
  char              *uuid;
} TdClassesInsert;

gboolean
td_classes_check_class (const TdClassInfo  *info,
                        GError            **error)
{
  if (td_classes_is_blank (info->name))
    {
      g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID, _("A class needs a name."));
      return FALSE;
    }
  if (!td_classes_check_choice (info->category, td_classes_categories, _("category"), error) ||
      !td_classes_check_key_group (info->key_group, error) ||
      !td_classes_check_choice (info->mode ? info->mode : "offline", td_classes_modes, _("mode"), error) ||
      !td_classes_check_choice (info->status ? info->status : "planned", td_classes_statuses, _("status"), error) ||
      !td_classes_check_date (info->starts_on, _("start date"), error) ||
      !td_classes_check_date (info->ends_on, _("end date"), error) ||
      !td_classes_check_number (info->planned_hours, 0.5, 10000, _("planned hours"), error) ||
      !td_classes_check_number ((double)info->capacity, 0, 100000, _("capacity"), error) ||
      !td_classes_check_number (info->fee, 0, 1e7, _("fee"), error) ||
      !td_classes_check_number (info->completion_percent, 0, 100, _("completion percentage"), error))
    return FALSE;
  if (strcmp (info->ends_on, info->starts_on) < 0)
    {
      g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID,
                   _("The class ends (%s) before it starts (%s)."), info->ends_on, info->starts_on);
      return FALSE;
    }
  return TRUE;
}

static gboolean
td_classes_insert_cb (TdStore  *store,
                      gpointer  user_data,
                      GError  **error)
{
  TdClassesInsert *insert = user_data;
  const TdClassInfo *info = insert->info;
  gint64 programme_id, venue_id;
  sqlite3_stmt *stmt;

  if (!td_classes_lookup_optional (store, "programme", info->programme_uuid, &programme_id, error) ||
      !td_classes_lookup_optional (store, "venue", info->venue_uuid, &venue_id, error))
    return FALSE;

  stmt = td_store_prepare (store,
                           "INSERT INTO class (uuid, programme_id, name, category, key_group, mode, venue_id, "
                           "  starts_on, ends_on, planned_hours, capacity, fee, subsidy_source, status, "
                           "  completion_percent) "
                           "VALUES (?1, ?2, trim (?3), ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                           error);
  if (stmt == NULL)
    return FALSE;
  insert->uuid = td_uuid7_new ();
  sqlite3_bind_text (stmt, 1, insert->uuid, -1, SQLITE_TRANSIENT);
  td_classes_bind_info (stmt, info, programme_id, venue_id);
  return td_store_step_done (store, stmt, error);
}

/**
 * td_class_insert:
 * @uuid: (out) (optional): the new class's key
 */
gboolean
td_class_insert (TdStore            *store,
                 const TdClassInfo  *info,
                 char              **uuid,
                 GError            **error)
{
  TdClassesInsert insert = { info, NULL };

  g_return_val_if_fail (TD_IS_STORE (store), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  if (!td_classes_check_class (info, error) ||
      !td_store_transaction (store, td_classes_insert_cb, &insert, error))
    {
      g_free (insert.uuid);
      return FALSE;
    }
  if (uuid != NULL)
    *uuid = g_steal_pointer (&insert.uuid);
  g_free (insert.uuid);
  return TRUE;
}

typedef struct
{
  const char *class_uuid;
  const char *value;
  int         which;  /* 0 status, 1 assessed_on, 2 followed_up_on, 3 delete */
} TdClassesSet;

static gboolean
td_classes_set_cb (TdStore  *store,
                   gpointer  user_data,
                   GError  **error)
{
  TdClassesSet *set = user_data;
  gint64 id = td_classes_lookup_id (store, "class", set->class_uuid, error);
  sqlite3_stmt *stmt = NULL;

  if (id == 0)
    return FALSE;
  switch (set->which)
    {
    case 0:
      stmt = td_store_prepare (store, "UPDATE class SET status = ?2 WHERE id = ?1", error);
      break;
    case 1:
      stmt = td_store_prepare (store, "UPDATE class SET assessed_on = ?2 WHERE id = ?1", error);
      break;
    case 2:
      stmt = td_store_prepare (store, "UPDATE class SET followed_up_on = ?2 WHERE id = ?1", error);
      break;
    default:
      stmt = td_store_prepare (store, "DELETE FROM class WHERE id = ?1", error);
      break;
    }
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (set->which < 3)
    sqlite3_bind_text (stmt, 2, set->value, -1, SQLITE_TRANSIENT);
  return td_store_step_done (store, stmt, error);
}

gboolean
td_class_set_status (TdStore     *store,
                     const char  *class_uuid,
                     const char  *status,
                     GError     **error)
{
  TdClassesSet set = { class_uuid, status, 0 };

  g_return_val_if_fail (TD_IS_STORE (store), FALSE);
  return td_classes_check_choice (status, td_classes_statuses, _("status"), error) &&
         td_store_transaction (store, td_classes_set_cb, &set, error);
}

/**
 * td_class_set_assessed:
 * @date: (nullable): when the class's assessment was completed; NULL when
 *   it is not yet: its certificate rate is then unknown
 */
gboolean
td_class_set_assessed (TdStore     *store,
                       const char  *class_uuid,
                       const char  *date,
                       GError     **error)
{
  TdClassesSet set = { class_uuid, date, 1 };

  g_return_val_if_fail (TD_IS_STORE (store), FALSE);
  return (date == NULL || td_classes_check_date (date, _("assessment date"), error)) &&
         td_store_transaction (store, td_classes_set_cb, &set, error);
}

/**
 * td_class_set_followed_up:
 * @date: (nullable): when the follow-up of the class's trainees was
 *   completed; NULL while it is not: its employment rate is then unknown
 */
gboolean
td_class_set_followed_up (TdStore     *store,
                          const char  *class_uuid,
                          const char  *date,
                          GError     **error)
{
  TdClassesSet set = { class_uuid, date, 2 };

  g_return_val_if_fail (TD_IS_STORE (store), FALSE);
  return (date == NULL || td_classes_check_date (date, _("follow-up date"), error)) &&
         td_store_transaction (store, td_classes_set_cb, &set, error);
}

gboolean
td_class_delete (TdStore     *store,
                 const char  *class_uuid,
                 GError     **error)
{
  TdClassesSet set = { class_uuid, NULL, 3 };

  g_return_val_if_fail (TD_IS_STORE (store), FALSE);
  return td_store_transaction (store, td_classes_set_cb, &set, error);
}

/* Sessions */

typedef struct
{
  const char             *class_uuid;
  const char             *held_on, *starts_at, *ends_at;
  double                  hours;
  const char             *venue_uuid;
  const TdSessionTrainer *trainers;
  guint                   n_trainers;
  char                   *uuid;
} TdClassesSession;

static gboolean
td_classes_session_cb (TdStore  *store,
                       gpointer  user_data,
                       GError  **error)
{
  TdClassesSession *s = user_data;
  gint64 class_id, venue_id, session_id;
  sqlite3_stmt *stmt;

  if (!(class_id = td_classes_lookup_id (store, "class", s->class_uuid, error)) ||
      !td_classes_lookup_optional (store, "venue", s->venue_uuid, &venue_id, error))
    return FALSE;

  stmt = td_store_prepare (store,
                           "INSERT INTO class_session (uuid, class_id, held_on, starts_at, ends_at, hours, venue_id) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, coalesce (?7, (SELECT venue_id FROM class WHERE id = ?2)))",
                           error);
  if (stmt == NULL)
    return FALSE;
  s->uuid = td_uuid7_new ();
  sqlite3_bind_text (stmt, 1, s->uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, class_id);
  sqlite3_bind_text (stmt, 3, s->held_on, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, s->starts_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, s->ends_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double (stmt, 6, s->hours);
  td_classes_bind_id (stmt, 7, venue_id);
  if (!td_store_step_done (store, stmt, error))
    return FALSE;
  session_id = sqlite3_last_insert_rowid (td_store_get_db (store));

  for (guint i = 0; i < s->n_trainers; i++)
    {
      gint64 trainer_id = td_classes_lookup_id (store, "trainer", s->trainers[i].trainer_uuid, error);

      if (trainer_id == 0)
        return FALSE;
      stmt = td_store_prepare (store,
                               "INSERT INTO session_trainer (session_id, trainer_id, hours) VALUES (?, ?, ?) "
                               "ON CONFLICT (session_id, trainer_id) DO UPDATE SET hours = hours + excluded.hours",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, session_id);
      sqlite3_bind_int64 (stmt, 2, trainer_id);
      sqlite3_bind_double (stmt, 3, s->trainers[i].hours);
      if (!td_store_step_done (store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* A session's values, before anything is written. */
gboolean
td_classes_check_session (const char              *held_on,
                          const char              *starts_at,
                          const char              *ends_at,
                          double                   hours,
                          const TdSessionTrainer  *trainers,
                          guint                    n_trainers,
                          GError                 **error)
{
  if (!td_classes_check_date (held_on, _("session date"), error) ||
      !td_classes_check_time (starts_at, error) ||
      !td_classes_check_time (ends_at, error) ||
      !td_classes_check_number (hours, 0.5, 24, _("session hours"), error))
    return FALSE;
  if (strcmp (ends_at, starts_at) <= 0)
    {
      g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID,
                   _("The session ends (%s) before it starts (%s)."), ends_at, starts_at);
      return FALSE;
    }
  for (guint i = 0; i < n_trainers; i++)
    if (!td_classes_check_number (trainers[i].hours, 0, hours, _("trainer's hours"), error))
      return FALSE;
  return TRUE;
}

/**
 * td_class_add_session:
 * @venue_uuid: (nullable): where, when not the class's venue
 * @trainers: (array length=n_trainers): who taught, and their hours
 * @uuid: (out) (optional): the new session's key
 *
 * A trainer booked elsewhere at the same time, or a venue over its
 * capacity, is not refused (the office may know better): they are
 * flagged by td_class_conflicts().
 */
gboolean
td_class_add_session (TdStore                 *store,
                      const char              *class_uuid,
                      const char              *held_on,
                      const char              *starts_at,
                      const char              *ends_at,
                      double                   hours,
                      const char              *venue_uuid,
                      const TdSessionTrainer  *trainers,
                      guint                    n_trainers,
                      char                   **uuid,
                      GError                 **error)
{
  TdClassesSession s = { class_uuid, held_on, starts_at, ends_at, hours, venue_uuid, trainers, n_trainers, NULL };

  g_return_val_if_fail (TD_IS_STORE (store), FALSE);

  if (!td_classes_check_session (held_on, starts_at, ends_at, hours, trainers, n_trainers, error))
    return FALSE;
  if (!td_store_transaction (store, td_classes_session_cb, &s, error))
    {
      g_free (s.uuid);
      return FALSE;
    }
  if (uuid != NULL)
    *uuid = g_steal_pointer (&s.uuid);
  g_free (s.uuid);
  return TRUE;
}

/* Rosters */

static gboolean
td_classes_check_enrol (const TdEnrolInfo  *info,
                        TdIdNumber         *id,
                        GError            **error)
{
  if (td_classes_is_blank (info->name))
    {
      g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID, _("A trainee needs a name."));
      return FALSE;
    }
  if (g_utf8_strlen (info->name, -1) > 100)
    {
      g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID,
                   _("A name has at most 100 characters."));
      return FALSE;
    }
  if (!td_id_number_parse (info->id_number ? info->id_number : "", id, error))
    return FALSE;
  if (info->phone != NULL && *info->phone != '\0' &&
      (strlen (info->phone) > 20 || strspn (info->phone, "0123456789+-") != strlen (info->phone)))
    {
      g_autofree char *masked = td_phone_mask (info->phone);

      g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID,
                   _("“%s” is not a phone number: use digits only."), masked);
      return FALSE;
    }
  return td_classes_check_key_group (info->key_group, error) &&
         td_classes_check_choice (info->employment ? info->employment : "", td_classes_employments,
                                  _("employment status"), error);
}

/* Finds the trainee by ID number, or adds them; then enrols them. The
 * name, phone given replace what was kept (the newest roster is right). */
gboolean
td_classes_enrol_in_transaction (TdStore            *store,
                                 gint64              class_id,
                                 const TdEnrolInfo  *info,
                                 gint64             *enrolment_id,
                                 GError            **error)
{
  TdIdNumber id;
  g_autofree char *name = NULL;
  sqlite3_stmt *stmt;
  gint64 trainee_id = 0;
  int rc;

  if (!td_classes_check_enrol (info, &id, error))
    return FALSE;
  name = g_strstrip (g_strdup (info->name));

  stmt = td_store_prepare (store, "SELECT trainee_id FROM trainee_identity WHERE id_number = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id.number, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    trainee_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      return FALSE;
    }

  if (trainee_id == 0)
    {
      g_autofree char *uuid = td_uuid7_new ();

      stmt = td_store_prepare (store,
                               "INSERT INTO trainee (uuid, name, gender, birth_date) VALUES (?, ?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, id.gender == TD_GENDER_MALE ? "male" : "female", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, id.birth_date, -1, SQLITE_TRANSIENT);
      if (!td_store_step_done (store, stmt, error))
        return FALSE;
      trainee_id = sqlite3_last_insert_rowid (td_store_get_db (store));
      stmt = td_store_prepare (store,
                               "INSERT INTO trainee_identity (trainee_id, id_number, phone) VALUES (?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, trainee_id);
      sqlite3_bind_text (stmt, 2, id.number, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, info->phone ? info->phone : "", -1, SQLITE_TRANSIENT);
      if (!td_store_step_done (store, stmt, error))
        return FALSE;
    }
  else
    {
      stmt = td_store_prepare (store, "UPDATE trainee SET name = ?2 WHERE id = ?1 AND name != ?2", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, trainee_id);
      sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
      if (!td_store_step_done (store, stmt, error))
        return FALSE;
      if (info->phone != NULL && *info->phone != '\0')
        {
          stmt = td_store_prepare (store,
                                   "UPDATE trainee_identity SET phone = ?2 WHERE trainee_id = ?1 AND phone != ?2",
                                   error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, trainee_id);
          sqlite3_bind_text (stmt, 2, info->phone, -1, SQLITE_TRANSIENT);
          if (!td_store_step_done (store, stmt, error))
            return FALSE;
        }
    }

  stmt = td_store_prepare (store,
                           "INSERT INTO enrolment (uuid, class_id, trainee_id, key_group, employment, employer) "
                           "VALUES (?1, ?2, ?3, coalesce (nullif (?4, ''), (SELECT key_group FROM class WHERE id = ?2)), ?5, ?6) "
                           "ON CONFLICT (class_id, trainee_id) DO NOTHING",
                           error);
  if (stmt == NULL)
    return FALSE;
  {
    g_autofree char *uuid = td_uuid7_new ();

    sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 2, class_id);
    sqlite3_bind_int64 (stmt, 3, trainee_id);
    sqlite3_bind_text (stmt, 4, info->key_group ? info->key_group : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 5, info->employment ? info->employment : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 6, info->employer ? info->employer : "", -1, SQLITE_TRANSIENT);
    if (!td_store_step_done (store, stmt, error))
      return FALSE;
  }
  if (sqlite3_changes (td_store_get_db (store)) == 0)
    {
      g_autofree char *masked = td_id_number_mask (id.number);

      g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID,
                   _("%s (%s) is on this class's roster already."), name, masked);
      return FALSE;
    }
  if (enrolment_id != NULL)
    *enrolment_id = sqlite3_last_insert_rowid (td_store_get_db (store));
  return TRUE;
}

typedef struct
{
  const char        *class_uuid;
  const TdEnrolInfo *info;
  char              *uuid;
} TdClassesEnrol;

static gboolean
td_classes_enrol_cb (TdStore  *store,
                     gpointer  user_data,
                     GError  **error)
{
  TdClassesEnrol *e = user_data;
  gint64 class_id = td_classes_lookup_id (store, "class", e->class_uuid, error);

  if (class_id == 0 || !td_classes_enrol_in_transaction (store, class_id, e->info, NULL, error))
    return FALSE;
  e->uuid = td_classes_last_uuid (store, "SELECT uuid FROM enrolment WHERE id = ?");
  return TRUE;
}

/**
 * td_class_enrol:
 * @enrolment_uuid: (out) (optional)
 *
 * Puts a trainee on a class's roster; the same ID number is the same
 * person in every class.
 */
gboolean
td_class_enrol (TdStore            *store,
                const char         *class_uuid,
                const TdEnrolInfo  *info,
                char              **enrolment_uuid,
                GError            **error)
{
  TdClassesEnrol e = { class_uuid, info, NULL };

  g_return_val_if_fail (TD_IS_STORE (store), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  if (!td_store_transaction (store, td_classes_enrol_cb, &e, error))
    {
      g_free (e.uuid);
      return FALSE;
    }
  if (enrolment_uuid != NULL)
    *enrolment_uuid = g_steal_pointer (&e.uuid);
  g_free (e.uuid);
  return TRUE;
}

/* Attendance */

typedef struct
{
  const char         *session_uuid;
  const char * const *enrolment_uuids;
  const TdAttendance *marks;
  guint               n_marks;
} TdClassesAttendance;

static gboolean
td_classes_attendance_cb (TdStore  *store,
                          gpointer  user_data,
                          GError  **error)
{
  TdClassesAttendance *a = user_data;
  gint64 session_id = td_classes_lookup_id (store, "class_session", a->session_uuid, error);

  if (session_id == 0)
    return FALSE;
  for (guint i = 0; i < a->n_marks; i++)
    {
      sqlite3_stmt *stmt;

      /* Only an enrolment of the session's own class may be marked. */
      stmt = td_store_prepare (store,
                               "INSERT INTO attendance (enrolment_id, session_id, status) "
                               "SELECT e.id, s.id, ?3 FROM enrolment e JOIN class_session s ON s.class_id = e.class_id "
                               " WHERE e.uuid = ?1 AND s.id = ?2 "
                               "ON CONFLICT (enrolment_id, session_id) DO UPDATE SET status = excluded.status",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, a->enrolment_uuids[i], -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, session_id);
      sqlite3_bind_int (stmt, 3, a->marks[i]);
      if (!td_store_step_done (store, stmt, error))
        return FALSE;
      if (sqlite3_changes (td_store_get_db (store)) == 0)
        {
          g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_NOT_FOUND,
                       _("Attendance names a trainee who is not on this session's class roster: "
                         "nothing was recorded."));
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * td_attendance_record:
 * @enrolment_uuids: (array length=n_marks)
 * @marks: (array length=n_marks)
 *
 * Marks trainees present, absent or excused at one session, all or none.
 */
gboolean
td_attendance_record (TdStore             *store,
                      const char          *session_uuid,
                      const char * const  *enrolment_uuids,
                      const TdAttendance  *marks,
                      guint                n_marks,
                      GError             **error)
{
  TdClassesAttendance a = { session_uuid, enrolment_uuids, marks, n_marks };

  g_return_val_if_fail (TD_IS_STORE (store), FALSE);

  for (guint i = 0; i < n_marks; i++)
    if (marks[i] != TD_ATTENDANCE_PRESENT && marks[i] != TD_ATTENDANCE_ABSENT &&
        marks[i] != TD_ATTENDANCE_EXCUSED)
      {
        g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID,
                     _("An attendance mark is present, absent or excused."));
        return FALSE;
      }
  return td_store_transaction (store, td_classes_attendance_cb, &a, error);
}

/**
 * td_completion_reached:
 *
 * The class's rule: a trainee completes who attended at least
 * @completion_percent of the planned hours. Hours are sums of halves and
 * quarters; the margin absorbs a sum's rounding, never a real shortfall.
 */
gboolean
td_completion_reached (double attended_hours,
                       double planned_hours,
                       double completion_percent)
{
  return attended_hours * 100.0 >= planned_hours * completion_percent - 1e-6;
}

void
td_completion_free (TdCompletion *completion)
{
  g_free (completion->enrolment_uuid);
  g_free (completion->trainee_name);
  g_free (completion);
}

/**
 * td_class_completion:
 *
 * Returns: (transfer full) (element-type TdCompletion): the roster in
 *   name order, with the hours each attended and whether they completed.
 */
GPtrArray *
td_class_completion (TdStore     *store,
                     const char  *class_uuid,
                     GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)td_completion_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  stmt = td_store_prepare (store,
                           "SELECT e.uuid, t.name, h.attended, c.planned_hours, c.completion_percent "
                           "FROM class c JOIN enrolment e ON e.class_id = c.id "
                           "JOIN enrolment_hours h ON h.enrolment_id = e.id JOIN trainee t ON t.id = e.trainee_id "
                           "WHERE c.uuid = ? ORDER BY t.name, e.id",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, class_uuid, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TdCompletion *c = g_new0 (TdCompletion, 1);

      c->enrolment_uuid = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      c->trainee_name = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      c->attended_hours = sqlite3_column_double (stmt, 2);
      c->completed = td_completion_reached (c->attended_hours, sqlite3_column_double (stmt, 3),
                                            sqlite3_column_double (stmt, 4));
      g_ptr_array_add (list, c);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* Assessment and follow-up */

typedef struct
{
  const char *enrolment_uuid;
  const char *a, *b, *c, *d, *e;
  gboolean    flag;
  gboolean    follow_up;
} TdClassesEnrolmentSet;

static gboolean
td_classes_enrolment_set_cb (TdStore  *store,
                             gpointer  user_data,
                             GError  **error)
{
  TdClassesEnrolmentSet *s = user_data;
  gint64 id = td_classes_lookup_id (store, "enrolment", s->enrolment_uuid, error);
  sqlite3_stmt *stmt;

  if (id == 0)
    return FALSE;
  if (s->follow_up)
    {
      stmt = td_store_prepare (store,
                               "UPDATE enrolment SET employed_on = ?2, employed_by = ?3, self_employed = ?4 "
                               "WHERE id = ?1",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, s->a, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, s->b ? s->b : "", -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 4, s->flag ? 1 : 0);
    }
  else
    {
      stmt = td_store_prepare (store,
                               "UPDATE enrolment SET result = ?2, certificate_kind = ?3, certificate_level = ?4, "
                               "  certificate_number = ?5, certificate_on = ?6 WHERE id = ?1",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, s->a, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, s->b, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, s->c ? s->c : "", -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, s->d ? s->d : "", -1, SQLITE_TRANSIENT);
      if (*s->b == '\0')
        sqlite3_bind_null (stmt, 6);
      else
        sqlite3_bind_text (stmt, 6, s->e, -1, SQLITE_TRANSIENT);
    }
  return td_store_step_done (store, stmt, error);
}

/**
 * td_enrolment_set_assessment:
 * @result: "", passed, failed or absent
 * @certificate_kind: "" (none), vocational-qualification, skill-level,
 *   special-ability or training-completion
 * @certificate_on: the certificate's date; required with a certificate
 */
gboolean
td_enrolment_set_assessment (TdStore     *store,
                             const char  *enrolment_uuid,
                             const char  *result,
                             const char  *certificate_kind,
                             const char  *certificate_level,
                             const char  *certificate_number,
                             const char  *certificate_on,
                             GError     **error)
{
  TdClassesEnrolmentSet s = { enrolment_uuid, result, certificate_kind ? certificate_kind : "",
                              certificate_level, certificate_number, certificate_on, FALSE, FALSE };

  g_return_val_if_fail (TD_IS_STORE (store), FALSE);

  if (!td_classes_check_choice (result, td_classes_results, _("assessment result"), error) ||
      !td_classes_check_choice (s.b, td_classes_certificates, _("certificate kind"), error))
    return FALSE;
  if (*s.b != '\0' && !td_classes_check_date (certificate_on, _("certificate date"), error))
    return FALSE;
  if (*s.b != '\0' && g_strcmp0 (result, "passed") != 0)
    {
      g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID,
                   _("A certificate is only given to a trainee who passed the assessment."));
      return FALSE;
    }
  return td_store_transaction (store, td_classes_enrolment_set_cb, &s, error);
}

/**
 * td_enrolment_set_follow_up:
 * @employed_on: (nullable): when the trainee found work after the class;
 *   NULL when they have not (as far as the follow-up found)
 */
gboolean
td_enrolment_set_follow_up (TdStore     *store,
                            const char  *enrolment_uuid,
                            const char  *employed_on,
                            const char  *employed_by,
                            gboolean     self_employed,
                            GError     **error)
{
  TdClassesEnrolmentSet s = { enrolment_uuid, employed_on, employed_by, NULL, NULL, NULL, self_employed, TRUE };

  g_return_val_if_fail (TD_IS_STORE (store), FALSE);

  if (employed_on != NULL && !td_classes_check_date (employed_on, _("employment date"), error))
    return FALSE;
  if (employed_on == NULL && (self_employed || (employed_by != NULL && *employed_by != '\0')))
    {
      g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_INVALID,
                   _("Employment after training needs the date it began."));
      return FALSE;
    }
  return td_store_transaction (store, td_classes_enrolment_set_cb, &s, error);
}
