/* td-class-list.c: what the classes' pages show, read in one query each
 *
 * The pages never run SQL: they read these on a worker
 * (td_store_read_async). A year's list reads class_totals, which the
 * triggers keep, not the enrolments: 1,500 rows for a large school's
 * year. ID numbers and phones leave here masked (docs/classes.md,
 * "Personal data").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-class-list"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "td-class-list.h"
#include "td-classes.h"
#include "td-id-number.h"
#include "td-record-kind.h"
#include "td-store-private.h"

/* "" for none, then td_key_groups' ids, in its order, with the texts of
 * the programmes' target groups (td_target_groups(): the one table of
 * groups, whose first TD_N_KEY_GROUPS are these); made by
 * td_class_key_groups(). */
static TdChoice key_groups[TD_N_KEY_GROUPS + 2];

static const TdChoice statuses[] = {
  { "planned", N_("Planned"), "计划中" },
  { "running", N_("Running"), "进行中" },
  { "finished", N_("Finished"), "已结束" },
  { NULL }
};

static const TdChoice results[] = {
  { "", N_("Not assessed"), "未考核" },
  { "passed", N_("Passed"), "合格" },
  { "failed", N_("Failed"), "不合格" },
  { "absent", N_("Absent from the assessment"), "缺考" },
  { NULL }
};

static const TdChoice certificates[] = {
  { "", N_("No certificate"), "无证书" },
  { "vocational-qualification", N_("Vocational qualification"), "职业资格" },
  { "skill-level", N_("Vocational skill level"), "职业技能等级" },
  { "special-ability", N_("Special ability"), "专项能力" },
  { "training-completion", N_("Training completion"), "培训合格" },
  { NULL }
};

static const TdChoice employments[] = {
  { "", N_("Not given"), "未填写" },
  { "employed", N_("Employed"), "在职" },
  { "unemployed", N_("Unemployed"), "失业" },
  { "student", N_("Student"), "在校学生" },
  { "other", N_("Other"), "其他" },
  { NULL }
};

const TdChoice *
td_class_key_groups (void)
{
  static gsize made;

  if (g_once_init_enter (&made))
    {
      const TdChoice *groups = td_target_groups ();

      key_groups[0] = (TdChoice) { "", N_("None"), "" };
      for (guint i = 0; i < TD_N_KEY_GROUPS; i++)
        key_groups[i + 1] = (TdChoice) { td_key_groups[i], groups[i].label, groups[i].header };
      g_once_init_leave (&made, 1);
    }
  return key_groups;
}

/* The categories and modes are the programmes' own (td-record-kind.c). */
const TdChoice *td_class_categories (void) { return td_training_categories (); }
const TdChoice *td_class_modes (void) { return td_training_modes (); }
const TdChoice *td_class_statuses (void) { return statuses; }
const TdChoice *td_class_results (void) { return results; }
const TdChoice *td_class_certificates (void) { return certificates; }
const TdChoice *td_class_employments (void) { return employments; }

/* The translated label of @id among @choices, or @id itself. */
const char *
td_class_choice_label (const TdChoice *choices,
                       const char     *id)
{
  for (guint i = 0; choices[i].id != NULL; i++)
    if (g_strcmp0 (choices[i].id, id) == 0)
      return g_dgettext (GETTEXT_PACKAGE, choices[i].label);
  return id;
}

static char *
td_class_list_text (sqlite3_stmt *stmt,
                    int           column)
{
  const char *text = (const char *)sqlite3_column_text (stmt, column);

  return g_strdup (text != NULL ? text : "");
}

/* Steps @stmt, handing each row to @row; resets it. */
static gboolean
td_class_list_run (TdStore       *store,
                   sqlite3_stmt  *stmt,
                   GPtrArray     *list,
                   gpointer     (*row) (sqlite3_stmt *stmt),
                   GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      return FALSE;
    }
  return TRUE;
}

/**
 * td_class_list_years:
 *
 * The years classes end in, newest first.
 */
GArray *
td_class_list_years (TdStore  *store,
                     GError  **error)
{
  g_autoptr(GArray) years = g_array_new (FALSE, FALSE, sizeof (int));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  stmt = td_store_prepare (store, "SELECT DISTINCT CAST (substr (ends_on, 1, 4) AS INTEGER) AS y FROM class ORDER BY y DESC",
                           error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int year = sqlite3_column_int (stmt, 0);

      g_array_append_val (years, year);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&years);
}

#define SUMMARY_SQL \
  "SELECT c.uuid, c.name, coalesce (p.name, ''), coalesce (v.name, ''), c.category, c.mode, c.status, " \
  "       c.starts_on, c.ends_on, c.planned_hours, c.completion_percent, c.capacity, " \
  "       coalesce (t.enrolled, 0), coalesce (t.completed, 0) " \
  "FROM class c LEFT JOIN programme p ON p.id = c.programme_id LEFT JOIN venue v ON v.id = c.venue_id " \
  "LEFT JOIN class_totals t ON t.class_id = c.id "

static gpointer
td_class_list_summary_row (sqlite3_stmt *stmt)
{
  TdClassSummary *c = g_new0 (TdClassSummary, 1);

  c->uuid = td_class_list_text (stmt, 0);
  c->name = td_class_list_text (stmt, 1);
  c->programme = td_class_list_text (stmt, 2);
  c->venue = td_class_list_text (stmt, 3);
  c->category = td_class_list_text (stmt, 4);
  c->mode = td_class_list_text (stmt, 5);
  c->status = td_class_list_text (stmt, 6);
  c->starts_on = td_class_list_text (stmt, 7);
  c->ends_on = td_class_list_text (stmt, 8);
  c->planned_hours = sqlite3_column_double (stmt, 9);
  c->completion_percent = sqlite3_column_double (stmt, 10);
  c->capacity = sqlite3_column_int64 (stmt, 11);
  c->enrolled = sqlite3_column_int64 (stmt, 12);
  c->completed = sqlite3_column_int64 (stmt, 13);
  return c;
}

/**
 * td_class_list:
 *
 * The classes that end in @year (as the results count them), by start.
 * Returns: (element-type TdClassSummary)
 */
GPtrArray *
td_class_list (TdStore  *store,
               int       year,
               GError  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)td_class_summary_free);
  g_autofree char *from = g_strdup_printf ("%04d-01-01", year);
  g_autofree char *to = g_strdup_printf ("%04d-12-31", year);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  stmt = td_store_prepare (store, SUMMARY_SQL "WHERE c.ends_on BETWEEN ?1 AND ?2 ORDER BY c.starts_on, c.name, c.id",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, from, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, to, -1, SQLITE_TRANSIENT);
  if (!td_class_list_run (store, stmt, list, td_class_list_summary_row, error))
    return NULL;
  return g_steal_pointer (&list);
}

/* One class, as td_class_list() has it. */
TdClassSummary *
td_class_summary (TdStore     *store,
                  const char  *class_uuid,
                  GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)td_class_summary_free);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  stmt = td_store_prepare (store, SUMMARY_SQL "WHERE c.uuid = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, class_uuid, -1, SQLITE_TRANSIENT);
  if (!td_class_list_run (store, stmt, list, td_class_list_summary_row, error))
    return NULL;
  if (list->len == 0)
    {
      g_set_error (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_NOT_FOUND, _("The class was deleted meanwhile."));
      return NULL;
    }
  return g_ptr_array_steal_index (list, 0);
}

static gpointer
td_class_list_roster_row (sqlite3_stmt *stmt)
{
  TdRosterEntry *e = g_new0 (TdRosterEntry, 1);
  const char *id = (const char *)sqlite3_column_text (stmt, 2);
  const char *phone = (const char *)sqlite3_column_text (stmt, 3);

  e->enrolment_uuid = td_class_list_text (stmt, 0);
  e->name = td_class_list_text (stmt, 1);
  /* Removed on request: no number, no phone. */
  e->id_number = id != NULL ? td_id_number_mask (id) : g_strdup ("");
  e->phone = phone != NULL && phone[0] ? td_phone_mask (phone) : g_strdup ("");
  e->attended_hours = sqlite3_column_double (stmt, 4);
  e->completed = td_completion_reached (e->attended_hours, sqlite3_column_double (stmt, 5),
                                        sqlite3_column_double (stmt, 6));
  e->result = td_class_list_text (stmt, 7);
  e->certificate_kind = td_class_list_text (stmt, 8);
  e->certificate_level = td_class_list_text (stmt, 9);
  e->employed_on = td_class_list_text (stmt, 10);
  e->self_employed = sqlite3_column_int (stmt, 11) != 0;
  return e;
}

/**
 * td_class_roster:
 *
 * The class's trainees by name, ID numbers and phones masked.
 * Returns: (element-type TdRosterEntry)
 */
GPtrArray *
td_class_roster (TdStore     *store,
                 const char  *class_uuid,
                 GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)td_roster_entry_free);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  stmt = td_store_prepare (store,
                           "SELECT e.uuid, t.name, i.id_number, i.phone, h.attended, c.planned_hours, "
                           "       c.completion_percent, e.result, e.certificate_kind, e.certificate_level, "
                           "       e.employed_on, e.self_employed "
                           "FROM class c JOIN enrolment e ON e.class_id = c.id JOIN trainee t ON t.id = e.trainee_id "
                           "JOIN enrolment_hours h ON h.enrolment_id = e.id "
                           "LEFT JOIN trainee_identity i ON i.trainee_id = t.id "
                           "WHERE c.uuid = ?1 ORDER BY t.name, e.id",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, class_uuid, -1, SQLITE_TRANSIENT);
  if (!td_class_list_run (store, stmt, list, td_class_list_roster_row, error))
    return NULL;
  return g_steal_pointer (&list);
}

static gpointer
td_class_list_session_row (sqlite3_stmt *stmt)
{
  TdSessionSummary *s = g_new0 (TdSessionSummary, 1);

  s->uuid = td_class_list_text (stmt, 0);
  s->held_on = td_class_list_text (stmt, 1);
  s->starts_at = td_class_list_text (stmt, 2);
  s->ends_at = td_class_list_text (stmt, 3);
  s->hours = sqlite3_column_double (stmt, 4);
  s->venue = td_class_list_text (stmt, 5);
  s->trainers = td_class_list_text (stmt, 6);
  return s;
}

/**
 * td_class_sessions:
 *
 * The class's sessions by date, with their venue and trainers' names.
 * Returns: (element-type TdSessionSummary)
 */
GPtrArray *
td_class_sessions (TdStore     *store,
                   const char  *class_uuid,
                   GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)td_session_summary_free);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  stmt = td_store_prepare (store,
                           "SELECT s.uuid, s.held_on, s.starts_at, s.ends_at, s.hours, coalesce (v.name, ''), "
                           "       coalesce ((SELECT group_concat (r.name, ', ') FROM session_trainer st "
                           "                  JOIN trainer r ON r.id = st.trainer_id WHERE st.session_id = s.id), '') "
                           "FROM class c JOIN class_session s ON s.class_id = c.id "
                           "LEFT JOIN venue v ON v.id = s.venue_id "
                           "WHERE c.uuid = ?1 ORDER BY s.held_on, s.starts_at, s.id",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, class_uuid, -1, SQLITE_TRANSIENT);
  if (!td_class_list_run (store, stmt, list, td_class_list_session_row, error))
    return NULL;
  return g_steal_pointer (&list);
}

static gpointer
td_class_list_mark_row (sqlite3_stmt *stmt)
{
  TdMark *m = g_new0 (TdMark, 1);

  m->enrolment_uuid = td_class_list_text (stmt, 0);
  m->session_uuid = td_class_list_text (stmt, 1);
  m->status = sqlite3_column_int (stmt, 2);
  return m;
}

/**
 * td_class_marks:
 *
 * The class's attendance marks (a session × trainee without one is not
 * marked yet).
 * Returns: (element-type TdMark)
 */
GPtrArray *
td_class_marks (TdStore     *store,
                const char  *class_uuid,
                GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)td_mark_free);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  stmt = td_store_prepare (store,
                           "SELECT e.uuid, s.uuid, a.status FROM class c "
                           "JOIN class_session s ON s.class_id = c.id "
                           "JOIN attendance a ON a.session_id = s.id "
                           "JOIN enrolment e ON e.id = a.enrolment_id "
                           "WHERE c.uuid = ?1",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, class_uuid, -1, SQLITE_TRANSIENT);
  if (!td_class_list_run (store, stmt, list, td_class_list_mark_row, error))
    return NULL;
  return g_steal_pointer (&list);
}

static gpointer
td_class_list_named_row (sqlite3_stmt *stmt)
{
  TdNamedRow *r = g_new0 (TdNamedRow, 1);

  r->uuid = td_class_list_text (stmt, 0);
  r->name = td_class_list_text (stmt, 1);
  r->category = td_class_list_text (stmt, 2);
  return r;
}

static GPtrArray *
td_class_list_named_rows (TdStore     *store,
                          const char  *sql,
                          GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)td_named_row_free);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);

  if (!(stmt = td_store_prepare (store, sql, error)) ||
      !td_class_list_run (store, stmt, list, td_class_list_named_row, error))
    return NULL;
  return g_steal_pointer (&list);
}

/**
 * td_class_programmes:
 *
 * The programmes a class may be of, by name.
 * Returns: (element-type TdNamedRow)
 */
GPtrArray *
td_class_programmes (TdStore  *store,
                     GError  **error)
{
  return td_class_list_named_rows (store, "SELECT uuid, name, category FROM programme ORDER BY name, id", error);
}

/**
 * td_class_venues:
 *
 * The venues a class may be held at, by name.
 * Returns: (element-type TdNamedRow)
 */
GPtrArray *
td_class_venues (TdStore  *store,
                 GError  **error)
{
  return td_class_list_named_rows (store, "SELECT uuid, name, '' FROM venue ORDER BY name, id", error);
}

void
td_class_summary_free (TdClassSummary *c)
{
  if (c == NULL)
    return;
  g_free (c->uuid); g_free (c->name); g_free (c->programme); g_free (c->venue);
  g_free (c->category); g_free (c->mode); g_free (c->status);
  g_free (c->starts_on); g_free (c->ends_on);
  g_free (c);
}

void
td_roster_entry_free (TdRosterEntry *e)
{
  if (e == NULL)
    return;
  g_free (e->enrolment_uuid); g_free (e->name); g_free (e->id_number); g_free (e->phone);
  g_free (e->result); g_free (e->certificate_kind); g_free (e->certificate_level); g_free (e->employed_on);
  g_free (e);
}

void
td_session_summary_free (TdSessionSummary *s)
{
  if (s == NULL)
    return;
  g_free (s->uuid); g_free (s->held_on); g_free (s->starts_at); g_free (s->ends_at);
  g_free (s->venue); g_free (s->trainers);
  g_free (s);
}

void
td_mark_free (TdMark *m)
{
  if (m == NULL)
    return;
  g_free (m->enrolment_uuid); g_free (m->session_uuid);
  g_free (m);
}

void
td_named_row_free (TdNamedRow *r)
{
  if (r == NULL)
    return;
  g_free (r->uuid); g_free (r->name); g_free (r->category);
  g_free (r);
}
