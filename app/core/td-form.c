/* td-form.c: the intent form, assembled from the school's records
 *
 * Fields 1–5 and 10 come from the school profile; the categories (6) are
 * those of the programmes; the main fields (7) the programmes' fields, most
 * frequent first. The two texts (8, 9) are drafted in Chinese from the
 * records' real figures, sentence by sentence in order of importance, each
 * sentence (or list item) kept only while the text stays within 500
 * characters: a draft never needs cutting.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-form"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "td-divisions.h"
#include "td-figures.h"
#include "td-form.h"
#include "td-record-kind.h"
#include "td-school.h"
#include "td-store-private.h"
#include "td-validate.h"

/* How many fields (7) the form names at most. */
#define MAX_FIELDS 6

struct _TdForm
{
  GObject  parent_instance;

  char    *campaign_id;
  int      first_year;
  int      last_year;
  char    *values[TD_FORM_N_FIELDS];
  /* Fields 6–9 as the office edited them, and the records' revision then. */
  gboolean edited[TD_FORM_N_FIELDS];
  gint64   edited_at_revision[TD_FORM_N_FIELDS];
  gint64   records_revision;
  /* 申报单位意见, given at sign-off (td_form_set_opinion()): NULL before. */
  char    *opinion;
  char    *opinion_date;
};

G_DEFINE_FINAL_TYPE (TdForm, td_form, G_TYPE_OBJECT)

static void
td_form_finalize (GObject *object)
{
  TdForm *self = (TdForm *)object;

  g_free (self->campaign_id);
  for (guint i = 0; i < TD_FORM_N_FIELDS; i++)
    g_free (self->values[i]);
  g_free (self->opinion);
  g_free (self->opinion_date);

  G_OBJECT_CLASS (td_form_parent_class)->finalize (object);
}

static void
td_form_class_init (TdFormClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = td_form_finalize;
}

static void
td_form_init (TdForm *self)
{
  for (guint i = 0; i < TD_FORM_N_FIELDS; i++)
    self->values[i] = g_strdup ("");
}

/**
 * td_form_new:
 * @campaign_id: the campaign the form answers
 * @first_year: the first of the years field 9 covers
 * @last_year: the last of them
 *
 * An empty form, to be filled in with td_form_set() (an import, a test).
 *
 * Returns: (transfer full): a form with every field empty
 */
TdForm *
td_form_new (const char *campaign_id,
             int         first_year,
             int         last_year)
{
  TdForm *self = g_object_new (TD_TYPE_FORM, NULL);

  self->campaign_id = g_strdup (campaign_id ? campaign_id : "");
  self->first_year = first_year;
  self->last_year = last_year;
  return self;
}

const char *
td_form_get (TdForm      *self,
             TdFormField  field)
{
  g_return_val_if_fail (field < TD_FORM_N_FIELDS, NULL);

  return self->values[field];
}

void
td_form_set (TdForm      *self,
             TdFormField  field,
             const char  *value)
{
  char *copy = g_strdup (value ? value : "");

  g_return_if_fail (field < TD_FORM_N_FIELDS);

  /* @value may be the field's own text (td_form_get()): copied first. */
  g_free (self->values[field]);
  self->values[field] = copy;
}

/**
 * td_form_set_opinion:
 * @text: (nullable): the school's opinion (申报单位意见), "同意申报。"; %NULL
 *   for none (a form not signed off)
 * @date: (nullable): the day it was given, "2026-12-05" (the day of
 *   sign-off); %NULL with @text
 *
 * The opinion is not one of the fields drafted or edited on the form: the
 * principal confirms it at sign-off, and it is signed with the form
 * (docs/form-json.md, member `opinion`).
 */
void
td_form_set_opinion (TdForm     *self,
                     const char *text,
                     const char *date)
{
  char *text_copy = g_strdup (text);
  char *date_copy = text ? g_strdup (date ? date : "") : NULL;

  g_return_if_fail (TD_IS_FORM (self));

  g_free (self->opinion);
  g_free (self->opinion_date);
  self->opinion = text_copy;
  self->opinion_date = date_copy;
}

/* Returns: (nullable): the opinion, %NULL when none was given */
const char *
td_form_get_opinion (TdForm *self)
{
  g_return_val_if_fail (TD_IS_FORM (self), NULL);

  return self->opinion;
}

/* Returns: (nullable): its day, "2026-12-05"; %NULL without an opinion */
const char *
td_form_get_opinion_date (TdForm *self)
{
  g_return_val_if_fail (TD_IS_FORM (self), NULL);

  return self->opinion_date;
}

const char *
td_form_get_campaign_id (TdForm *self)
{
  return self->campaign_id;
}

int
td_form_get_first_year (TdForm *self)
{
  return self->first_year;
}

int
td_form_get_last_year (TdForm *self)
{
  return self->last_year;
}

gboolean
td_form_has_category (TdForm     *self,
                      const char *category)
{
  g_auto(GStrv) ids = g_strsplit (self->values[TD_FORM_CATEGORIES], ",", -1);

  return g_strv_contains ((const char * const *)ids, category);
}

/* Appends @piece if the text stays within the form's limit. */
static gboolean
td_form_append_if_fits (GString    *text,
                        const char *piece)
{
  if (td_form_count_characters (text->str, text->len) + td_form_count_characters (piece, -1) > TD_FORM_TEXT_LIMIT)
    return FALSE;
  g_string_append (text, piece);
  return TRUE;
}

/* "PREFIX《A》《B》SUFFIX" with as many items as fit; nothing if none does. */
static void
td_form_append_list (GString    *text,
                     const char *prefix,
                     GPtrArray  *items,
                     const char *open,
                     const char *close,
                     const char *separator,
                     const char *suffix)
{
  g_autoptr(GString) piece = NULL;
  guint used = 0;

  for (guint n = items->len; n > 0; n--)
    {
      g_string_truncate (piece ? piece : (piece = g_string_new (NULL)), 0);
      g_string_append (piece, prefix);
      for (guint i = 0; i < n; i++)
        g_string_append_printf (piece, "%s%s%s%s", i ? separator : "", open,
                                (const char *)g_ptr_array_index (items, i), close);
      g_string_append (piece, suffix);
      if (td_form_count_characters (text->str, text->len) + td_form_count_characters (piece->str, piece->len)
          <= TD_FORM_TEXT_LIMIT)
        {
          used = n;
          break;
        }
    }
  if (used > 0)
    g_string_append (text, piece->str);
}

static GPtrArray *
td_form_query_strings (TdStore     *store,
                       const char  *sql,
                       int          a,
                       int          b,
                       GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = td_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, a);
  sqlite3_bind_int (stmt, 2, b);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* The texts' numbers are the figure set's values, printed as it prints
 * them (docs/figures.md): the basis list finds each of them there. */
#define V(id) td_figure_set_value (set, id)

static char *
td_form_draft_capacity_from (TdStore      *store,
                             TdFigureSet  *set,
                             GError      **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) guarantees = NULL;
  const TdCounts *c = &set->counts;

  if (!(guarantees = td_form_query_strings (store,
                                            "SELECT title FROM guarantee WHERE ?1 = ?2 ORDER BY adopted_on, id",
                                            0, 0, error)))
    return NULL;

  /* 师资 */
  if (c->trainers > 0)
    {
      g_autofree char *piece =
        g_strdup_printf ("师资方面，学校现有培训教师%s人，其中专职%s人、兼职%s人、企业专家%s人；"
                         "具有高级职称%s人（正高级%s人、副高级%s人）、中级职称%s人；"
                         "“双师型”教师%s人，占%s%%。",
                         V ("trainers.total"), V ("trainers.full-time"), V ("trainers.part-time"),
                         V ("trainers.experts"), V ("trainers.senior-titles"), V ("trainers.senior"),
                         V ("trainers.associate-senior"), V ("trainers.intermediate"), V ("trainers.dual"),
                         V ("trainers.dual-share"));
      td_form_append_if_fits (text, piece);
    }
  else
    td_form_append_if_fits (text, "师资方面，学校尚未登记培训教师。");

  /* 设备: what can be used for training; scrapped and broken items are not. */
  if (c->equipment_units > 0)
    {
      g_autofree char *piece =
        g_strdup_printf ("设备方面，拥有在用培训设备%s台（套），共%s种，总值约%s万元。",
                         V ("equipment.units"), V ("equipment.kinds"), V ("equipment.value"));
      td_form_append_if_fits (text, piece);
    }

  /* 场所: rooms on site; an online platform's seats are said apart. */
  if (set->physical_venues > 0 || set->online_platforms > 0)
    {
      g_autoptr(GString) piece = g_string_new (NULL);

      if (set->physical_venues > 0)
        {
          g_autoptr(GString) kinds = g_string_new (NULL);
          static const struct { const char *id; const char *name; const char *unit; } words[] = {
            { "venues.training-bases", "实训基地", "处" }, { "venues.workshops", "车间", "处" },
            { "venues.classrooms", "教室", "间" },
          };

          for (guint i = 0; i < G_N_ELEMENTS (words); i++)
            if (!g_str_equal (V (words[i].id), "0"))
              g_string_append_printf (kinds, "%s%s%s%s", kinds->len ? "、" : "", words[i].name, V (words[i].id),
                                      words[i].unit);
          g_string_append_printf (piece, "场所方面，拥有培训场所%s处（%s），总面积%s平方米，"
                                  "可同时容纳%s人现场培训",
                                  V ("venues.physical"), kinds->str, V ("venues.area"), V ("venues.places"));
          if (set->online_platforms > 0)
            g_string_append_printf (piece, "；另有线上培训平台%s个，可同时在线培训%s人。",
                                    V ("venues.online"), V ("venues.online-seats"));
          else
            g_string_append (piece, "。");
        }
      else
        g_string_append_printf (piece, "场所方面，拥有线上培训平台%s个，可同时在线培训%s人。",
                                V ("venues.online"), V ("venues.online-seats"));
      td_form_append_if_fits (text, piece->str);
    }

  /* 制度保障: as many titles as fit. */
  if (guarantees->len > 0)
    {
      g_autofree char *suffix = g_strdup_printf ("等%s项制度，保障培训规范有序开展。", V ("guarantees.count"));

      td_form_append_list (text, "制度保障方面，制定了", guarantees, "《", "》", "", suffix);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * td_form_draft_capacity:
 *
 * Returns: (transfer full): 培训能力简述 — trainers, equipment, venues and
 *   guarantees, in at most 500 characters.
 */
char *
td_form_draft_capacity (TdStore  *store,
                        GError  **error)
{
  g_autoptr(TdFigureSet) set = td_figure_set_compute (store, 0, 0, error);

  return set ? td_form_draft_capacity_from (store, set, error) : NULL;
}

static char *
td_form_draft_results_from (TdStore      *store,
                            TdFigureSet  *set,
                            GError      **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) programmes = NULL;
  g_autoptr(GPtrArray) partners = NULL;
  int first = set->first_year, last_year = set->last_year;

  /* The programmes of the typed results and of the classes, most
   * participants first; a year with classes counts its classes only. */
  if (!(programmes = td_form_query_strings (store,
                                            "WITH cy AS (SELECT DISTINCT CAST (substr (ends_on, 1, 4) AS INTEGER) AS y "
                                            "              FROM class WHERE status != 'planned'), "
                                            "n AS (SELECT r.programme_id AS id, r.participants AS n FROM result r "
                                            "       WHERE r.year BETWEEN ?1 AND ?2 AND r.year NOT IN (SELECT y FROM cy) "
                                            "      UNION ALL "
                                            "      SELECT c.programme_id, t.participants FROM class c "
                                            "        JOIN class_totals t ON t.class_id = c.id "
                                            "       WHERE c.status != 'planned' AND c.programme_id IS NOT NULL "
                                            "         AND CAST (substr (c.ends_on, 1, 4) AS INTEGER) BETWEEN ?1 AND ?2) "
                                            "SELECT p.name FROM n JOIN programme p ON p.id = n.id GROUP BY p.id "
                                            "ORDER BY sum (n.n) DESC, p.name LIMIT 12",
                                            first, last_year, error)) ||
      !(partners = td_form_query_strings (store,
                                          "SELECT partner FROM result WHERE year BETWEEN ?1 AND ?2 AND partner != '' "
                                          "GROUP BY partner ORDER BY sum (participants) DESC, partner LIMIT 8",
                                          first, last_year, error)))
    return NULL;

  if (set->participants == 0)
    {
      g_autofree char *none = g_strdup_printf ("%s—%s年，学校尚无登记的培训业绩。", V ("years.first"), V ("years.last"));

      td_form_append_if_fits (text, none);
      return g_string_free (g_steal_pointer (&text), FALSE);
    }

  {
    g_autofree char *piece =
      g_strdup_printf ("%s—%s年，学校共开展职业培训%s期、培训%s人次，完成培训量%s人·学时，"
                       "按每生每年%s学时折算，约合%s名全日制学生。",
                       V ("years.first"), V ("years.last"), V ("results.sessions"), V ("results.participants"),
                       V ("results.person-hours"), V ("fte.ratio"), V ("results.fte"));
    td_form_append_if_fits (text, piece);
  }

  /* By category, in the form's order, the ones run. */
  {
    static const struct { const char *id; const char *name; } categories[] = {
      { "results.enterprise-staff", "企业职工技能培训" },
      { "results.key-groups", "重点人群的就业创业培训" },
      { "results.unemployed", "失业人员再就业培训" },
    };
    g_autoptr(GString) piece = g_string_new ("其中");
    guint n = 0;

    for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
      if (set->by_category[i] > 0)
        g_string_append_printf (piece, "%s%s%s人次", n++ ? "，" : "", categories[i].name, V (categories[i].id));
    g_string_append (piece, "。");
    if (n > 0)
      td_form_append_if_fits (text, piece->str);
  }

  /* Effect: certificates per participation, as the participants are
   * counted; employment over job-seekers only (employees are employed). */
  {
    g_autoptr(GString) piece = g_string_new (NULL);

    /* A rate whose classes are not all assessed or followed up is not
     * known yet: the text says so instead of a share of some of them. */
    if (set->not_assessed > 0)
      g_string_append_printf (piece, "学员取得职业资格或职业技能等级证书%s人次，另有%s人次所在培训班尚未完成考核，"
                              "取证率待考核完成后统计",
                              V ("results.certificates"), V ("results.not-assessed"));
    else
      g_string_append_printf (piece, "学员取得职业资格或职业技能等级证书%s人次，占培训人次的%s%%",
                              V ("results.certificates"), V ("results.certificate-share"));
    if (set->jobseekers > 0 && set->not_followed_up > 0)
      g_string_append_printf (piece, "；重点人群和失业人员参训%s人次，经跟踪培训后实现就业%s人次，另有%s人次"
                              "所在培训班尚未完成就业跟踪，就业率待跟踪完成后统计（企业在岗职工不计入）。",
                              V ("results.jobseekers"), V ("results.employed"), V ("results.not-followed-up"));
    else if (set->jobseekers > 0)
      g_string_append_printf (piece, "；重点人群和失业人员参训%s人次，培训后实现就业%s人次，就业率%s%%"
                              "（企业在岗职工不计入）。",
                              V ("results.jobseekers"), V ("results.employed"), V ("results.employment-rate"));
    else
      g_string_append (piece, "。");
    td_form_append_if_fits (text, piece->str);
  }

  /* Year by year. */
  if (last_year - first == 2)
    {
      g_autofree char *piece =
        g_strdup_printf ("分年度看，%s年%s人次、%s年%s人次、%s年%s人次。", V ("years.first"), V ("results.year-1"),
                         V ("years.second"), V ("results.year-2"), V ("years.last"), V ("results.year-3"));

      td_form_append_if_fits (text, piece);
    }

  if (set->satisfaction >= 0)
    {
      g_autofree char *piece = g_strdup_printf ("学员满意度平均为%s%%。", V ("results.satisfaction"));

      td_form_append_if_fits (text, piece);
    }

  td_form_append_list (text, "主要培训项目有", programmes, "", "", "、", "等。");
  td_form_append_list (text, "先后与", partners, "", "", "、", "等单位合作开展培训。");

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * td_form_draft_results:
 * @first_year: the first of the years the text covers
 * @last_year: the last of them
 *
 * Returns: (transfer full): 近三年来主要培训业绩 — programmes run by
 *   category, participants, person-hours, certificates, employment after
 *   training — in at most 500 characters.
 */
char *
td_form_draft_results (TdStore  *store,
                       int       first_year,
                       int       last_year,
                       GError  **error)
{
  g_autoptr(TdFigureSet) set = td_figure_set_compute (store, first_year, last_year, error);

  return set ? td_form_draft_results_from (store, set, error) : NULL;
}

#undef V

/* The programmes' fields, most frequent first: "智能制造、电子商务". */
static char *
td_form_draft_fields (TdStore  *store,
                      GError  **error)
{
  g_autoptr(GPtrArray) fields = td_form_query_strings (store,
                                                       "SELECT field FROM programme WHERE field != '' AND ?1 = ?2 "
                                                       "GROUP BY field ORDER BY count(*) DESC, field",
                                                       0, 0, error);

  if (fields == NULL)
    return NULL;
  if (fields->len > MAX_FIELDS)
    g_ptr_array_set_size (fields, MAX_FIELDS);
  g_ptr_array_add (fields, NULL);
  return g_strjoinv ("、", (char **)fields->pdata);
}

static char *
td_form_draft_categories (TdStore  *store,
                          GError  **error)
{
  g_autoptr(GPtrArray) ids = td_form_query_strings (store,
                                                    "SELECT DISTINCT category FROM programme WHERE ?1 = ?2",
                                                    0, 0, error);
  g_autoptr(GString) out = g_string_new (NULL);
  static const char * const order[] = { "enterprise-staff", "key-groups", "unemployed" };

  if (ids == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    for (guint j = 0; j < ids->len; j++)
      if (g_str_equal (order[i], g_ptr_array_index (ids, j)))
        g_string_append_printf (out, "%s%s", out->len ? "," : "", order[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static const char *
td_form_division_name (const char *code)
{
  const TdDivision *division = td_divisions_lookup (code);

  return division ? division->name : "";
}

/**
 * td_form_assemble:
 * @last_year: the last complete year the results cover
 *
 * Returns: (transfer full): the form as the records fill it in.
 */
TdForm *
td_form_assemble (TdStore     *store,
                  TdCampaign  *campaign,
                  int          last_year,
                  GError     **error)
{
  g_autoptr(TdForm) self = g_object_new (TD_TYPE_FORM, NULL);
  g_autoptr(TdSchool) school = td_school_new (store, error);
  static const struct { TdFormField form; TdSchoolField school; } from_school[] = {
    { TD_FORM_NAME, TD_SCHOOL_NAME },
    { TD_FORM_AUTHORITY, TD_SCHOOL_AUTHORITY },
    { TD_FORM_STREET, TD_SCHOOL_STREET },
    { TD_FORM_POSTAL_CODE, TD_SCHOOL_POSTAL_CODE },
    { TD_FORM_CONTACT_NAME, TD_SCHOOL_CONTACT_NAME },
    { TD_FORM_PHONE, TD_SCHOOL_PHONE },
    { TD_FORM_EMAIL, TD_SCHOOL_EMAIL },
    { TD_FORM_LEGAL_REPRESENTATIVE, TD_SCHOOL_LEGAL_REPRESENTATIVE },
  };
  char *value;

  if (school == NULL)
    return NULL;

  self->campaign_id = g_strdup (td_campaign_get_id (campaign));
  /* As many years as the campaign asks for (three unless it says). */
  self->first_year = last_year - (td_campaign_get_last_year (campaign) - td_campaign_get_first_year (campaign));
  self->last_year = last_year;

  for (guint i = 0; i < G_N_ELEMENTS (from_school); i++)
    td_form_set (self, from_school[i].form, td_school_get (school, from_school[i].school));
  td_form_set (self, TD_FORM_CITY, td_form_division_name (td_school_get (school, TD_SCHOOL_CITY)));
  td_form_set (self, TD_FORM_COUNTY, td_form_division_name (td_school_get (school, TD_SCHOOL_COUNTY)));

  if (!(value = td_form_draft_categories (store, error)))
    return NULL;
  g_free (self->values[TD_FORM_CATEGORIES]);
  self->values[TD_FORM_CATEGORIES] = value;

  if (!(value = td_form_draft_fields (store, error)))
    return NULL;
  g_free (self->values[TD_FORM_FIELDS]);
  self->values[TD_FORM_FIELDS] = value;

  if (!(value = td_form_draft_capacity (store, error)))
    return NULL;
  g_free (self->values[TD_FORM_CAPACITY]);
  self->values[TD_FORM_CAPACITY] = value;

  if (!(value = td_form_draft_results (store, self->first_year, last_year, error)))
    return NULL;
  g_free (self->values[TD_FORM_RESULTS]);
  self->values[TD_FORM_RESULTS] = value;

  return g_steal_pointer (&self);
}

void
td_form_problem_free (TdFormProblem *problem)
{
  g_free (problem->message);
  g_free (problem);
}

static void
td_form_add_problem (GPtrArray   *problems,
                     TdFormField  field,
                     char        *message)
{
  TdFormProblem *p = g_new0 (TdFormProblem, 1);

  p->field = field;
  p->message = message;
  g_ptr_array_add (problems, p);
}

static void
td_form_require (GPtrArray   *problems,
                 TdForm      *self,
                 TdFormField  field,
                 const char  *message)
{
  if (self->values[field][0] == '\0')
    td_form_add_problem (problems, field, g_strdup (message));
}

/**
 * td_form_check:
 *
 * Every rule of the form (FORM.md): what is missing or wrong, field by
 * field, in the form's order. Empty when the form can be signed.
 *
 * Returns: (transfer full) (element-type TdFormProblem)
 */
GPtrArray *
td_form_check (TdForm     *self,
               TdCampaign *campaign)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func ((GDestroyNotify)td_form_problem_free);
  g_autoptr(GError) error = NULL;
  gboolean city_ok = FALSE;

  td_form_require (problems, self, TD_FORM_NAME, _("The school’s full official name is missing (field 1)."));
  td_form_require (problems, self, TD_FORM_AUTHORITY, _("The supervising authority is missing (field 2)."));

  /* The city must be a city of the campaign's province. */
  if (self->values[TD_FORM_CITY][0] == '\0')
    td_form_add_problem (problems, TD_FORM_CITY, g_strdup (_("The city of the address is missing (field 3).")));
  else
    {
      g_autoptr(GPtrArray) cities = td_divisions_children (td_campaign_get_province (campaign));

      for (guint i = 0; i < cities->len; i++)
        city_ok |= g_str_equal (((const TdDivision *)g_ptr_array_index (cities, i))->name,
                                self->values[TD_FORM_CITY]);
      if (!city_ok)
        {
          const TdDivision *province = td_divisions_lookup (td_campaign_get_province (campaign));

          td_form_add_problem (problems, TD_FORM_CITY,
                               g_strdup_printf (_("%s is not a city of %s, the campaign’s province (field 3)."),
                                        self->values[TD_FORM_CITY], province ? province->name : "?"));
        }
    }
  td_form_require (problems, self, TD_FORM_COUNTY, _("The county or district of the address is missing (field 3)."));
  td_form_require (problems, self, TD_FORM_STREET, _("The street of the address is missing (field 3)."));

  if (!td_validate_postal_code (self->values[TD_FORM_POSTAL_CODE], NULL, &error))
    td_form_add_problem (problems, TD_FORM_POSTAL_CODE,
                         g_strdup_printf (_("Postal code (field 4): %s"), error->message));
  g_clear_error (&error);

  td_form_require (problems, self, TD_FORM_CONTACT_NAME, _("The contact person is missing (field 5)."));
  if (!td_validate_phone (self->values[TD_FORM_PHONE], NULL, &error))
    td_form_add_problem (problems, TD_FORM_PHONE, g_strdup_printf (_("Phone (field 5): %s"), error->message));
  g_clear_error (&error);
  if (!td_validate_email (self->values[TD_FORM_EMAIL], FALSE, NULL, &error))
    td_form_add_problem (problems, TD_FORM_EMAIL, g_strdup_printf (_("E-mail (field 5): %s"), error->message));
  g_clear_error (&error);

  td_form_require (problems, self, TD_FORM_CATEGORIES,
                   _("Tick at least one category of training (field 6): add a programme, or tick one."));
  td_form_require (problems, self, TD_FORM_FIELDS, _("The main training fields are missing (field 7)."));

  for (TdFormField f = TD_FORM_CAPACITY; f <= TD_FORM_RESULTS; f++)
    {
      guint length = td_form_count_characters (self->values[f], -1);
      int number = f == TD_FORM_CAPACITY ? 8 : 9;

      if (length == 0)
        td_form_add_problem (problems, f, g_strdup_printf (_("Field %d is empty: redraft it from the records or write it."), number));
      else if (length > TD_FORM_TEXT_LIMIT)
        td_form_add_problem (problems, f,
                             g_strdup_printf (_("Field %d has %u characters; the form allows %u."),
                                      number, length, TD_FORM_TEXT_LIMIT));
    }

  td_form_require (problems, self, TD_FORM_LEGAL_REPRESENTATIVE,
                   _("The legal representative, who signs the form, is missing (field 10)."));
  return problems;
}

/* The fields an office may write over the draft (1–5 and 10 are the
 * school profile's, edited there). */
static const char *
td_form_edit_key (TdFormField field)
{
  switch (field)
    {
    case TD_FORM_CATEGORIES: return "form-edit.categories";
    case TD_FORM_FIELDS: return "form-edit.fields";
    case TD_FORM_CAPACITY: return "form-edit.capacity";
    case TD_FORM_RESULTS: return "form-edit.results";
    default: return NULL;
    }
}

/* The newest change to anything the drafts are made from. */
gint64
td_form_records_revision (TdStore *store)
{
  sqlite3_stmt *stmt = td_store_prepare (store,
                                         "SELECT coalesce (max (id), 0) FROM audit_log WHERE table_name IN "
                                         "('school', 'programme', 'trainer', 'venue', 'equipment', 'guarantee', "
                                         " 'result', 'result_trainer')",
                                         NULL);
  gint64 revision = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    revision = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return revision;
}

/**
 * td_form_load:
 *
 * The form as the office last left it: drafted from the records, with the
 * fields it edited as it edited them.
 *
 * Returns: (transfer full)
 */
TdForm *
td_form_load (TdStore     *store,
              TdCampaign  *campaign,
              int          last_year,
              GError     **error)
{
  g_autoptr(TdForm) self = td_form_assemble (store, campaign, last_year, error);

  if (self == NULL)
    return NULL;

  self->records_revision = td_form_records_revision (store);
  for (TdFormField f = 0; f < TD_FORM_N_FIELDS; f++)
    {
      g_autofree char *saved = td_form_edit_key (f) ? td_store_dup_setting (store, td_form_edit_key (f)) : NULL;
      char *tab;

      /* Stored as "REVISION\tTEXT". */
      if (saved == NULL || !(tab = strchr (saved, '\t')))
        continue;
      *tab = '\0';
      self->edited[f] = TRUE;
      self->edited_at_revision[f] = g_ascii_strtoll (saved, NULL, 10);
      td_form_set (self, f, tab + 1);
    }
  return g_steal_pointer (&self);
}

gboolean
td_form_is_edited (TdForm      *self,
                   TdFormField  field)
{
  return self->edited[field];
}

/* Edited by hand, and the records changed since: the text may say old
 * figures. */
gboolean
td_form_is_stale (TdForm      *self,
                  TdFormField  field)
{
  return self->edited[field] && self->records_revision > self->edited_at_revision[field];
}

/**
 * td_form_save_edit:
 *
 * Keeps the office's text for @field (6–9). A text over the form's limit
 * is refused with its count, never cut.
 */
gboolean
td_form_save_edit (TdStore      *store,
                   TdForm       *form,
                   TdFormField   field,
                   const char   *value,
                   GError      **error)
{
  g_autofree char *stored = NULL;
  gint64 revision = td_form_records_revision (store);
  guint length = td_form_count_characters (value, -1);

  g_return_val_if_fail (td_form_edit_key (field) != NULL, FALSE);

  if ((field == TD_FORM_CAPACITY || field == TD_FORM_RESULTS) && length > TD_FORM_TEXT_LIMIT)
    {
      g_set_error (error, TD_VALIDATE_ERROR, TD_VALIDATE_ERROR_TOO_LONG,
                   _("This text has %u characters; the form allows %u. Shorten it first."),
                   length, TD_FORM_TEXT_LIMIT);
      return FALSE;
    }

  stored = g_strdup_printf ("%" G_GINT64_FORMAT "\t%s", revision, value);
  if (!td_store_set_setting (store, td_form_edit_key (field), stored, error))
    return FALSE;
  td_form_set (form, field, value);
  form->edited[field] = TRUE;
  form->edited_at_revision[field] = revision;
  form->records_revision = revision;
  return TRUE;
}

/* Drops the office's text for @field and drafts it anew from the records. */
gboolean
td_form_redraft (TdStore      *store,
                 TdForm       *form,
                 TdFormField   field,
                 GError      **error)
{
  char *value;

  g_return_val_if_fail (td_form_edit_key (field) != NULL, FALSE);

  switch (field)
    {
    case TD_FORM_CATEGORIES: value = td_form_draft_categories (store, error); break;
    case TD_FORM_FIELDS: value = td_form_draft_fields (store, error); break;
    case TD_FORM_CAPACITY: value = td_form_draft_capacity (store, error); break;
    case TD_FORM_RESULTS: value = td_form_draft_results (store, form->first_year, form->last_year, error); break;
    default: g_assert_not_reached ();
    }
  if (value == NULL || !td_store_set_setting (store, td_form_edit_key (field), NULL, error))
    {
      g_free (value);
      return FALSE;
    }
  g_free (form->values[field]);
  form->values[field] = value;
  form->edited[field] = FALSE;
  form->records_revision = td_form_records_revision (store);
  return TRUE;
}

/**
 * td_form_figures:
 *
 * The figures the form's texts are drafted from, for its years.
 *
 * Returns: (transfer full) (nullable)
 */
TdFigureSet *
td_form_figures (TdStore  *store,
                 TdForm   *form,
                 GError  **error)
{
  return td_figure_set_compute (store, form->first_year, form->last_year, error);
}

/**
 * td_form_unsupported_numbers:
 * @field: %TD_FORM_CAPACITY or %TD_FORM_RESULTS
 *
 * The numbers of @field's text that no figure supports: neither a figure's
 * printed value nor a number of the draft (which also holds the names of
 * programmes, partners and rules). Empty for a text as drafted.
 *
 * Returns: (transfer full) (element-type utf8) (nullable): the numbers, each
 *   once, in the text's order
 */
GPtrArray *
td_form_unsupported_numbers (TdStore      *store,
                             TdForm       *form,
                             TdFigureSet  *set,
                             TdFormField   field,
                             GError      **error)
{
  g_autoptr(GPtrArray) numbers = td_figures_numbers_in (form->values[field]);
  g_autoptr(GPtrArray) drafted = NULL;
  g_autofree char *draft = NULL;
  GPtrArray *unsupported = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (field == TD_FORM_CAPACITY || field == TD_FORM_RESULTS, unsupported);

  if (!form->edited[field] || numbers->len == 0)
    return unsupported;
  draft = field == TD_FORM_CAPACITY ? td_form_draft_capacity_from (store, set, error)
                                    : td_form_draft_results_from (store, set, error);
  if (draft == NULL)
    {
      g_ptr_array_unref (unsupported);
      return NULL;
    }
  drafted = td_figures_numbers_in (draft);
  for (guint i = 0; i < numbers->len; i++)
    {
      const char *n = g_ptr_array_index (numbers, i);
      gboolean known = g_ptr_array_find_with_equal_func (drafted, n, g_str_equal, NULL);

      for (guint j = 0; !known && j < set->figures->len; j++)
        known = g_str_equal (((TdFigure *)g_ptr_array_index (set->figures, j))->value, n);
      if (!known && !g_ptr_array_find_with_equal_func (unsupported, n, g_str_equal, NULL))
        g_ptr_array_add (unsupported, g_strdup (n));
    }
  return unsupported;
}
