/* td-example-classes.c: generated classes for the example school
 *
 * Classes, sessions, rosters, attendance, assessments and follow-up drawn
 * from one GRand, over the programmes, trainers and venues the store has
 * (td_example_fill() first). For demonstrations and the large school of
 * bench/classes-school: 1,500 classes a year of 33 trainees and 20
 * sessions is a million attendance marks a year. Rows are inserted
 * through cached statements in one transaction, so the triggers keep the
 * audit log and each enrolment's hours exactly as the app's own writes
 * do. ID numbers are valid (GB 11643) and unique: the birth date and
 * sequence number are drawn from the person's index.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-example-classes"

#include "config.h"

#include <string.h>

#include "td-example-classes.h"
#include "td-id-number.h"
#include "td-store-private.h"
#include "td-uuid.h"

static const char * const td_example_classes_surnames[] = {
  "王", "张", "李", "刘", "赵", "孙", "陈", "杨", "徐", "高", "马", "于", "郭", "宋", "周",
};
static const char * const td_example_classes_given[] = {
  "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
  "明", "超", "霞", "平", "刚", "华", "玉", "兰", "萍", "红", "鹏", "飞", "辉", "斌", "宁",
};
static const char * const td_example_classes_regions[] = {
  "370102", "370103", "370104", "370105", "370112", "370124", "371302", "370831",
};
static const char * const td_example_classes_groups[] = {
  "graduates", "veterans", "migrant-workers", "laid-off", "registered-poor", "disabled",
};

typedef struct
{
  const TdExampleClasses *size;
  GRand                  *rand;
  GArray                 *programmes;   /* gint64 ids */
  GPtrArray              *programme_names;
  GPtrArray              *programme_categories;
  GArray                 *trainers;
  GArray                 *venues;
  gint64                  people;       /* trainees made so far */
} TdExampleClassesFill;

static gboolean
td_example_classes_ids (TdStore     *store,
                        const char  *sql,
                        GArray      *ids,
                        GError     **error)
{
  sqlite3_stmt *stmt = td_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      return FALSE;
    }
  return TRUE;
}

static gint64
td_example_classes_pick (GRand  *rand,
                         GArray *ids)
{
  if (ids->len == 0)
    return 0;
  return g_array_index (ids, gint64, g_rand_int_range (rand, 0, (gint32)ids->len));
}

static void
td_example_classes_bind_id (sqlite3_stmt *stmt,
                            int           column,
                            gint64        id)
{
  if (id == 0)
    sqlite3_bind_null (stmt, column);
  else
    sqlite3_bind_int64 (stmt, column, id);
}

/* Person @n's ID number: unique for n < 1,000 × 200 (a sequence number
 * and one of 200 birth dates 97 days apart), valid, from the region. */
static void
td_example_classes_id_number (GRand  *rand,
                              gint64  n,
                              char    out[19])
{
  g_autoptr(GDate) date = g_date_new_dmy (1, G_DATE_JANUARY, 1962);
  char first[18];

  g_date_add_days (date, (guint)((n / 1000) % 200) * 97);
  g_snprintf (first, sizeof first, "%s%04u%02u%02u%03u",
              td_example_classes_regions[g_rand_int_range (rand, 0, G_N_ELEMENTS (td_example_classes_regions))],
              g_date_get_year (date), g_date_get_month (date), g_date_get_day (date), (guint)(n % 1000));
  memcpy (out, first, 17);
  out[17] = td_id_number_check_digit (first);
  out[18] = '\0';
}

static gint64
td_example_classes_new_trainee (TdStore               *store,
                                TdExampleClassesFill  *fill,
                                GError               **error)
{
  GRand *rand = fill->rand;
  g_autofree char *uuid = td_uuid7_new ();
  g_autofree char *name = NULL;
  char number[19];
  char phone[12];
  TdIdNumber id;
  sqlite3_stmt *stmt;
  gint64 trainee_id;

  td_example_classes_id_number (rand, fill->people++, number);
  td_id_number_parse (number, &id, NULL);
  name = g_strconcat (td_example_classes_surnames[g_rand_int_range (rand, 0, G_N_ELEMENTS (td_example_classes_surnames))],
                      td_example_classes_given[g_rand_int_range (rand, 0, G_N_ELEMENTS (td_example_classes_given))],
                      g_rand_boolean (rand) ? td_example_classes_given[g_rand_int_range (rand, 0, G_N_ELEMENTS (td_example_classes_given))] : "",
                      NULL);
  /* 170: a virtual operators' range; reaches no one. */
  g_snprintf (phone, sizeof phone, "170%08" G_GINT64_FORMAT, fill->people);

  stmt = td_store_prepare (store, "INSERT INTO trainee (uuid, name, gender, birth_date) VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, id.gender == TD_GENDER_MALE ? "male" : "female", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, id.birth_date, -1, SQLITE_TRANSIENT);
  if (!td_store_step_done (store, stmt, error))
    return 0;
  trainee_id = sqlite3_last_insert_rowid (td_store_get_db (store));
  stmt = td_store_prepare (store, "INSERT INTO trainee_identity (trainee_id, id_number, phone) VALUES (?, ?, ?)",
                           error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, trainee_id);
  sqlite3_bind_text (stmt, 2, number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, phone, -1, SQLITE_TRANSIENT);
  if (!td_store_step_done (store, stmt, error))
    return 0;
  return trainee_id;
}

static gboolean
td_example_classes_class (TdStore               *store,
                          TdExampleClassesFill  *fill,
                          int                    year,
                          GError               **error)
{
  const TdExampleClasses *size = fill->size;
  GRand *rand = fill->rand;
  static const char * const categories[] = { "enterprise-staff", "key-groups", "unemployed" };
  /* A programme's class is of the programme's category, and named after it. */
  gint32 programme = fill->programmes->len > 0 ? g_rand_int_range (rand, 0, (gint32)fill->programmes->len) : -1;
  const char *category = programme >= 0 ? g_ptr_array_index (fill->programme_categories, programme)
                                        : categories[g_rand_int_range (rand, 0, 3)];
  const char *group = g_str_equal (category, "key-groups")
                      ? td_example_classes_groups[g_rand_int_range (rand, 0, G_N_ELEMENTS (td_example_classes_groups))]
                      : "";
  /* A lead trainer and a second, who takes every third session. */
  gint64 lead = td_example_classes_pick (rand, fill->trainers);
  gint64 second = td_example_classes_pick (rand, fill->trainers);
  /* Job-seekers of the last year: follow-up still under way for some. */
  gboolean followed_up = year != size->last_year || g_rand_boolean (rand);
  g_autoptr(GDate) start = g_date_new_dmy (1, G_DATE_JANUARY, (GDateYear)year);
  g_autoptr(GDate) end = NULL;
  g_autoptr(GArray) sessions = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) enrolments = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *uuid = td_uuid7_new ();
  g_autofree char *name = NULL;
  char starts_on[11], ends_on[11], followed[11];
  gint64 class_id, venue_id = td_example_classes_pick (rand, fill->venues);
  gboolean morning = g_rand_boolean (rand);
  sqlite3_stmt *stmt;

  g_date_add_days (start, (guint)g_rand_int_range (rand, 0, 330));
  end = g_date_copy (start);
  g_date_add_days (end, size->sessions_per_class > 0 ? size->sessions_per_class - 1 : 0);
  if (g_date_get_year (end) != (GDateYear)year)
    g_date_set_dmy (end, 31, G_DATE_DECEMBER, (GDateYear)year);
  g_date_strftime (starts_on, sizeof starts_on, "%Y-%m-%d", start);
  g_date_strftime (ends_on, sizeof ends_on, "%Y-%m-%d", end);
  g_snprintf (followed, sizeof followed, "%04d-12-31", year);
  if (programme >= 0)
    {
      const char *course = g_ptr_array_index (fill->programme_names, programme);

      /* "维修电工再就业培训" makes "维修电工再就业培训班", not "…培训培训班". */
      name = g_strdup_printf ("%s%s（%d年第%u期）", course, g_str_has_suffix (course, "培训") ? "班" : "培训班",
                              year, (guint)g_rand_int_range (rand, 1, 13));
    }
  else
    name = g_strdup_printf ("%d年第%u期%s培训班", year, (guint)g_rand_int_range (rand, 1, 60),
                            g_str_equal (category, "enterprise-staff") ? "企业职工技能" :
                            g_str_equal (category, "key-groups") ? "重点人群就业创业" : "失业人员再就业");

  stmt = td_store_prepare (store,
                           "INSERT INTO class (uuid, programme_id, name, category, key_group, venue_id, starts_on, "
                           "  ends_on, planned_hours, capacity, fee, subsidy_source, status, assessed_on, "
                           "  followed_up_on) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'finished', ?8, ?13)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  td_example_classes_bind_id (stmt, 2, programme >= 0 ? g_array_index (fill->programmes, gint64, programme) : 0);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, category, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, group, -1, SQLITE_STATIC);
  td_example_classes_bind_id (stmt, 6, venue_id);
  sqlite3_bind_text (stmt, 7, starts_on, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, ends_on, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double (stmt, 9, 3.0 * MAX (size->sessions_per_class, 1));
  sqlite3_bind_int64 (stmt, 10, size->trainees_per_class + 10);
  sqlite3_bind_double (stmt, 11, g_str_equal (category, "enterprise-staff") ? 800 : 0);
  sqlite3_bind_text (stmt, 12, g_str_equal (category, "enterprise-staff") ? "企业" : "职业技能提升行动专账资金",
                     -1, SQLITE_STATIC);
  if (followed_up)
    sqlite3_bind_text (stmt, 13, followed, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 13);
  if (!td_store_step_done (store, stmt, error))
    return FALSE;
  class_id = sqlite3_last_insert_rowid (td_store_get_db (store));

  for (guint s = 0; s < size->sessions_per_class; s++)
    {
      g_autoptr(GDate) day = g_date_copy (start);
      g_autofree char *session_uuid = td_uuid7_new ();
      char held_on[11];
      gint64 session_id;

      g_date_add_days (day, s);
      if (g_date_compare (day, end) > 0)
        g_date_set_julian (day, g_date_get_julian (end));
      g_date_strftime (held_on, sizeof held_on, "%Y-%m-%d", day);
      stmt = td_store_prepare (store,
                               "INSERT INTO class_session (uuid, class_id, held_on, starts_at, ends_at, hours, venue_id) "
                               "VALUES (?, ?, ?, ?, ?, 3, ?)",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, session_uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, class_id);
      sqlite3_bind_text (stmt, 3, held_on, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, morning ? "08:30" : "14:00", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, morning ? "11:30" : "17:00", -1, SQLITE_STATIC);
      td_example_classes_bind_id (stmt, 6, venue_id);
      if (!td_store_step_done (store, stmt, error))
        return FALSE;
      session_id = sqlite3_last_insert_rowid (td_store_get_db (store));
      g_array_append_val (sessions, session_id);
      if (fill->trainers->len > 0)
        {
          stmt = td_store_prepare (store,
                                   "INSERT OR IGNORE INTO session_trainer (session_id, trainer_id, hours) VALUES (?, ?, 3)",
                                   error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, session_id);
          sqlite3_bind_int64 (stmt, 2, s % 3 == 2 ? second : lead);
          if (!td_store_step_done (store, stmt, error))
            return FALSE;
        }
    }

  for (guint t = 0; t < size->trainees_per_class; t++)
    {
      g_autofree char *enrolment_uuid = td_uuid7_new ();
      gboolean again = fill->people > 0 && g_rand_double (rand) < size->returning;
      gint64 trainee_id;
      gint64 enrolment_id;
      gboolean passed = g_rand_double (rand) < 0.8;

      if (again)
        trainee_id = 1 + g_rand_int_range (rand, 0, (gint32)MIN (fill->people, G_MAXINT32));
      else if (!(trainee_id = td_example_classes_new_trainee (store, fill, error)))
        return FALSE;
      stmt = td_store_prepare (store,
                               "INSERT OR IGNORE INTO enrolment (uuid, class_id, trainee_id, key_group, employment, result, "
                               "  certificate_kind, certificate_level, certificate_number, certificate_on, employed_on) "
                               "SELECT ?1, ?2, t.id, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11 FROM trainee t WHERE t.id = ?3",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, enrolment_uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, class_id);
      sqlite3_bind_int64 (stmt, 3, trainee_id);
      sqlite3_bind_text (stmt, 4, group, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, g_str_equal (category, "enterprise-staff") ? "employed" : "unemployed", -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, passed ? "passed" : "failed", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, passed ? "skill-level" : "", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, passed ? "四级" : "", -1, SQLITE_STATIC);
      if (passed)
        {
          g_autofree char *number = g_strdup_printf ("S%d%07" G_GINT64_FORMAT, year, class_id * 100 + t);

          sqlite3_bind_text (stmt, 9, number, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 10, ends_on, -1, SQLITE_TRANSIENT);
        }
      else
        {
          sqlite3_bind_text (stmt, 9, "", -1, SQLITE_STATIC);
          sqlite3_bind_null (stmt, 10);
        }
      /* Employment is known once the class is followed up. */
      if (followed_up && !g_str_equal (category, "enterprise-staff") && g_rand_double (rand) < 0.7)
        sqlite3_bind_text (stmt, 11, ends_on, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (stmt, 11);
      if (!td_store_step_done (store, stmt, error))
        return FALSE;
      if (sqlite3_changes (td_store_get_db (store)) == 0)
        continue;   /* drawn twice for one class */
      enrolment_id = sqlite3_last_insert_rowid (td_store_get_db (store));
      g_array_append_val (enrolments, enrolment_id);
    }

  for (guint e = 0; e < enrolments->len; e++)
    for (guint s = 0; s < sessions->len; s++)
      {
        double r = g_rand_double (rand);

        stmt = td_store_prepare (store,
                                 "INSERT INTO attendance (enrolment_id, session_id, status) VALUES (?, ?, ?)",
                                 error);
        if (stmt == NULL)
          return FALSE;
        sqlite3_bind_int64 (stmt, 1, g_array_index (enrolments, gint64, e));
        sqlite3_bind_int64 (stmt, 2, g_array_index (sessions, gint64, s));
        sqlite3_bind_int (stmt, 3, r < 0.92 ? 0 : r < 0.97 ? 1 : 2);
        if (!td_store_step_done (store, stmt, error))
          return FALSE;
      }
  return TRUE;
}

static gboolean
td_example_classes_programmes (TdStore               *store,
                               TdExampleClassesFill  *fill,
                               GError               **error)
{
  sqlite3_stmt *stmt = td_store_prepare (store, "SELECT id, name, category FROM programme ORDER BY id", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (fill->programmes, id);
      g_ptr_array_add (fill->programme_names, g_strdup ((const char *)sqlite3_column_text (stmt, 1)));
      g_ptr_array_add (fill->programme_categories, g_strdup ((const char *)sqlite3_column_text (stmt, 2)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
td_example_classes_fill_cb (TdStore  *store,
                            gpointer  user_data,
                            GError  **error)
{
  TdExampleClassesFill *fill = user_data;
  const TdExampleClasses *size = fill->size;

  if (!td_example_classes_programmes (store, fill, error) ||
      !td_example_classes_ids (store, "SELECT id FROM trainer ORDER BY id", fill->trainers, error) ||
      !td_example_classes_ids (store, "SELECT id FROM venue WHERE kind != 'online-platform' ORDER BY id",
                               fill->venues, error))
    return FALSE;
  fill->people = 0;
  {
    sqlite3_stmt *stmt = td_store_prepare (store, "SELECT coalesce (max (id), 0) FROM trainee", error);

    if (stmt == NULL)
      return FALSE;
    if (sqlite3_step (stmt) == SQLITE_ROW)
      fill->people = sqlite3_column_int64 (stmt, 0);
    sqlite3_reset (stmt);
  }
  for (guint y = 0; y < size->years; y++)
    for (guint c = 0; c < size->classes_per_year; c++)
      if (!td_example_classes_class (store, fill, size->last_year - (int)size->years + 1 + (int)y, error))
        return FALSE;
  return TRUE;
}

static gboolean
td_example_classes_run (TdStore                 *store,
                        const TdExampleClasses  *size,
                        gboolean                 in_transaction,
                        GError                 **error)
{
  TdExampleClassesFill fill = { size, g_rand_new_with_seed (size->seed),
                                g_array_new (FALSE, FALSE, sizeof (gint64)),
                                g_ptr_array_new_with_free_func (g_free),
                                g_ptr_array_new_with_free_func (g_free),
                                g_array_new (FALSE, FALSE, sizeof (gint64)),
                                g_array_new (FALSE, FALSE, sizeof (gint64)), 0 };
  gboolean ret;

  g_return_val_if_fail (TD_IS_STORE (store), FALSE);
  g_return_val_if_fail (size->last_year >= 1990 && size->last_year <= 2200, FALSE);

  if (in_transaction)
    ret = td_example_classes_fill_cb (store, &fill, error);
  else
    ret = td_store_transaction (store, td_example_classes_fill_cb, &fill, error);
  g_rand_free (fill.rand);
  g_array_unref (fill.programmes);
  g_ptr_array_unref (fill.programme_names);
  g_ptr_array_unref (fill.programme_categories);
  g_array_unref (fill.trainers);
  g_array_unref (fill.venues);
  return ret;
}

/**
 * td_example_classes_fill:
 *
 * Adds @size's classes, all or nothing, in one transaction.
 */
gboolean
td_example_classes_fill (TdStore                 *store,
                         const TdExampleClasses  *size,
                         GError                 **error)
{
  return td_example_classes_run (store, size, FALSE, error);
}

/**
 * td_example_classes_fill_in_transaction:
 *
 * Adds @size's classes within the transaction under way (the example
 * school's, td_example_fill()).
 */
gboolean
td_example_classes_fill_in_transaction (TdStore                 *store,
                                        const TdExampleClasses  *size,
                                        GError                 **error)
{
  return td_example_classes_run (store, size, TRUE, error);
}
