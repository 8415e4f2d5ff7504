/* td-record-kind.c: the six kinds of record the training office keeps
 *
 * The Chinese headers are the import/export format documented in
 * docs/import.md; English labels are accepted as headers too.
 *
 * Each kind's entry (kinds[] below) also says how the interface shows it:
 * names, icon, sidebar page, empty state, editor titles, plural texts, the
 * figures of its list's footer and its line on the Overview. It used to be
 * six tables, five of them in the GUI keyed by the kind's name, and they
 * drifted; now the GUI names no kind (tests/check-kind-literals.sh), and
 * adding one is adding its entry and its fields.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-record-kind"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "td-record-kind.h"

#define REQ    TD_FIELD_REQUIRED
#define KEY    TD_FIELD_KEY
#define LISTED TD_FIELD_LISTED

/* The form's three categories (field 6). */
static const TdChoice categories[] = {
  { "enterprise-staff", N_("Skills training for enterprise employees"), "企业职工技能培训" },
  { "key-groups", N_("Employment and entrepreneurship training for key groups"), "重点人群的就业创业培训" },
  { "unemployed", N_("Re-employment training for the unemployed"), "失业人员再就业培训" },
  { NULL }
};

/* The form's categories and the ways training is given, for what else
 * names them (the classes of classes/td-class-list.c). */
const TdChoice *
td_training_categories (void)
{
  return categories;
}

/* The notice's key groups (section 二), the unemployed and employees: the
 * one table of groups. The ids are the notice's own words: they are what
 * the programmes' and results' records hold. The first TD_N_KEY_GROUPS are
 * the key groups a class is given, in the order of the classes' ids
 * (td_key_groups, classes/td-classes.c), which take these texts
 * (td_class_key_groups()). */
static const TdChoice target_groups[] = {
  { "高校毕业生", N_("College graduates"), "高校毕业生" },
  { "退役军人", N_("Veterans"), "退役军人" },
  { "农民工", N_("Migrant workers"), "农民工" },
  { "去产能分流职工", N_("Workers displaced by capacity cuts"), "去产能分流职工" },
  { "建档立卡贫困劳动力", N_("Registered poor labourers"), "建档立卡贫困劳动力" },
  { "残疾人", N_("People with disabilities"), "残疾人" },
  { "失业人员", N_("The unemployed"), "失业人员" },
  { "企业职工", N_("Enterprise employees"), "企业职工" },
  { NULL }
};

static const TdChoice modes[] = {
  { "offline", N_("In person"), "线下" },
  { "online", N_("Online"), "线上" },
  { "blended", N_("Blended"), "线上线下结合" },
  { NULL }
};

const TdChoice *
td_training_modes (void)
{
  return modes;
}

const TdChoice *
td_target_groups (void)
{
  return target_groups;
}

static const TdChoice trainer_kinds[] = {
  { "full-time", N_("Full-time"), "专职" },
  { "part-time", N_("Part-time"), "兼职" },
  { "enterprise-expert", N_("Enterprise expert"), "企业专家" },
  { NULL }
};

static const TdChoice titles[] = {
  { "senior", N_("Senior"), "正高级" },
  { "associate-senior", N_("Associate senior"), "副高级" },
  { "intermediate", N_("Intermediate"), "中级" },
  { "junior", N_("Junior"), "初级" },
  { "none", N_("None"), "无" },
  { NULL }
};

static const TdChoice venue_kinds[] = {
  { "classroom", N_("Classroom"), "教室" },
  { "training-base", N_("Training base"), "实训基地" },
  { "workshop", N_("Workshop"), "车间" },
  { "online-platform", N_("Online platform"), "线上平台" },
  { NULL }
};

static const TdChoice equipment_states[] = {
  { "in-use", N_("In use"), "在用" },
  { "idle", N_("Idle"), "闲置" },
  { "repair", N_("Under repair"), "维修" },
  { "retired", N_("Retired"), "报废" },
  { NULL }
};

static const TdField programme_fields[] = {
  { "name", N_("Name"), "名称", TD_FIELD_TEXT, REQ | KEY | LISTED, 60 },
  { "category", N_("Category"), "类别", TD_FIELD_CHOICE, REQ | LISTED, .choices = categories },
  { "field", N_("Training field"), "培训领域", TD_FIELD_TEXT, LISTED, 40 },
  { "target_groups", N_("Target groups"), "培训对象", TD_FIELD_CHOICE_SET, LISTED, .choices = target_groups },
  { "mode", N_("Mode"), "培训方式", TD_FIELD_CHOICE, LISTED, .choices = modes, .fallback = "offline" },
  { "hours", N_("Hours"), "学时", TD_FIELD_NUMBER, LISTED, .min = 0, .max = 10000 , .fallback = "0" },
  { "places", N_("Places per session"), "每期人数", TD_FIELD_INTEGER, LISTED, .min = 0, .max = 100000 , .fallback = "0" },
  { "certificate", N_("Certificate"), "证书名称", TD_FIELD_TEXT, LISTED, 60 },
  { "certificate_level", N_("Certificate level"), "证书等级", TD_FIELD_TEXT, 0, 20 },
  { "subsidy_eligible", N_("Training subsidy"), "可享受补贴", TD_FIELD_BOOLEAN, LISTED },
  { "fee", N_("Fee"), "收费", TD_FIELD_NUMBER, 0, .min = 0, .max = 10000000, .unit = N_("yuan") , .fallback = "0" },
};

static const TdField trainer_fields[] = {
  { "name", N_("Full name"), "姓名", TD_FIELD_TEXT, REQ | KEY | LISTED, 20 },
  { "kind", N_("Kind"), "类别", TD_FIELD_CHOICE, REQ | LISTED, .choices = trainer_kinds },
  { "title", N_("Professional title"), "职称", TD_FIELD_CHOICE, LISTED, .choices = titles, .fallback = "none" },
  { "dual_qualified", N_("Dual-qualified"), "双师型", TD_FIELD_BOOLEAN, LISTED },
  { "qualifications", N_("Qualifications"), "资格证书", TD_FIELD_TEXT, LISTED, 200 },
  { "fields", N_("Fields taught"), "培训领域", TD_FIELD_TEXT, LISTED, 100 },
};

static const TdField equipment_fields[] = {
  { "name", N_("Name"), "名称", TD_FIELD_TEXT, REQ | KEY | LISTED, 60 },
  { "model", N_("Model"), "型号", TD_FIELD_TEXT, KEY | LISTED, 60 },
  { "quantity", N_("Quantity"), "数量", TD_FIELD_INTEGER, LISTED, .min = 0, .max = 1000000, .fallback = "1" },
  { "unit_value", N_("Unit value"), "单价", TD_FIELD_NUMBER, LISTED, .min = 0, .max = 1e9, .unit = N_("yuan") , .fallback = "0" },
  { "venue_id", N_("Venue"), "场所", TD_FIELD_REFERENCE, KEY | LISTED, .reference = "venues" },
  { "year_acquired", N_("Year acquired"), "购置年份", TD_FIELD_INTEGER, LISTED, .min = 1900, .max = 2200 },
  { "state", N_("State"), "状态", TD_FIELD_CHOICE, LISTED, .choices = equipment_states, .fallback = "in-use" },
};

static const TdField venue_fields[] = {
  { "name", N_("Name"), "名称", TD_FIELD_TEXT, REQ | KEY | LISTED, 60 },
  { "kind", N_("Kind"), "类型", TD_FIELD_CHOICE, REQ | LISTED, .choices = venue_kinds },
  { "area", N_("Area"), "面积", TD_FIELD_NUMBER, LISTED, .min = 0, .max = 1e7, .unit = N_("m²") , .fallback = "0" },
  { "capacity", N_("Capacity"), "容纳人数", TD_FIELD_INTEGER, LISTED, .min = 0, .max = 1000000 , .fallback = "0" },
  /* The venue's own address: "Address" alone reads as the school's (单位地址). */
  { "address", N_("Venue address"), "地址", TD_FIELD_TEXT, LISTED, 100 },
};

static const TdField guarantee_fields[] = {
  { "title", N_("Title"), "标题", TD_FIELD_TEXT, REQ | KEY | LISTED, 60 },
  { "kind", N_("Kind"), "类别", TD_FIELD_TEXT, LISTED, 20 },
  { "adopted_on", N_("Adopted on"), "制定日期", TD_FIELD_DATE, LISTED },
  { "body", N_("Text"), "内容", TD_FIELD_MULTILINE, 0, 5000 },
};

static const TdField result_fields[] = {
  { "year", N_("Year"), "年度", TD_FIELD_INTEGER, REQ | KEY | LISTED, .min = 1990, .max = 2200 },
  { "programme_id", N_("Programme"), "培训项目", TD_FIELD_REFERENCE, KEY | LISTED, .reference = "programmes" },
  { "category", N_("Category"), "类别", TD_FIELD_CHOICE, REQ | KEY | LISTED, .choices = categories },
  { "target_group", N_("Target group"), "培训对象", TD_FIELD_CHOICE, KEY | LISTED, .choices = target_groups },
  { "sessions", N_("Sessions"), "期数", TD_FIELD_INTEGER, LISTED, .min = 0, .max = 100000, .fallback = "1" },
  { "participants", N_("Participants"), "培训人数", TD_FIELD_INTEGER, LISTED, .min = 0, .max = 10000000 , .fallback = "0" },
  { "hours_per_participant", N_("Hours per participant"), "人均学时", TD_FIELD_NUMBER, LISTED, .min = 0, .max = 10000 , .fallback = "0" },
  { "certificates", N_("Certificates awarded"), "取证人数", TD_FIELD_INTEGER, LISTED, .min = 0, .max = 10000000 , .fallback = "0" },
  { "employed", N_("Employed after training"), "就业人数", TD_FIELD_INTEGER, LISTED, .min = 0, .max = 10000000 , .fallback = "0" },
  { "satisfaction", N_("Satisfaction"), "满意度", TD_FIELD_NUMBER, LISTED, .min = 0, .max = 100, .unit = N_("%") },
  { "revenue", N_("Revenue"), "收入", TD_FIELD_NUMBER, 0, .min = 0, .max = 1e10, .unit = N_("yuan") , .fallback = "0" },
  { "partner", N_("Partner enterprise"), "合作企业", TD_FIELD_TEXT, KEY | LISTED, 60 },
  { "teaching", N_("Trainers and hours"), "授课教师", TD_FIELD_TEACHING, 0 },
};

/* The footers' figures, after the count. */
static const TdFooterFigure trainer_figures[] = {
  { TD_FOOTER_CHOICE, "kind", .choice = "full-time", .text = { N_("%s full-time") } },
  { TD_FOOTER_CHOICE, "kind", .choice = "part-time", .text = { N_("%s part-time") } },
  { TD_FOOTER_CHOICE, "kind", .choice = "enterprise-expert",
    .text = TD_NP_("%s enterprise expert", "%s enterprise experts") },
  { TD_FOOTER_SUM, "dual_qualified", .text = { N_("%s dual-qualified") } },
  { 0 }
};

static const TdFooterFigure equipment_figures[] = {
  { TD_FOOTER_SUM, "quantity", .text = { N_("total quantity %s") } },
  { TD_FOOTER_PRODUCT, "quantity", .times = "unit_value", .text = { N_("total value ¥%s") } },
  { 0 }
};

static const TdFooterFigure venue_figures[] = {
  { TD_FOOTER_SUM, "area", .text = { N_("total area %s m²") } },
  { TD_FOOTER_SUM, "capacity", .text = { N_("capacity %s") } },
  { 0 }
};

static const TdFooterFigure result_figures[] = {
  { TD_FOOTER_SUM, "participants", .text = TD_NP_("%s participant", "%s participants") },
  { TD_FOOTER_SUM, "certificates", .text = TD_NP_("%s certificate", "%s certificates") },
  { TD_FOOTER_SUM, "employed", .text = { N_("%s employed") } },
  { TD_FOOTER_PRODUCT, "participants", .times = "hours_per_participant",
    .text = TD_NP_("%s person-hour", "%s person-hours") },
  /* The notice's conversion, at the school's own ratio (Overview), which
   * the footer names: a count of students means little without what one
   * student stands for. */
  { TD_FOOTER_FTE, "participants", .times = "hours_per_participant",
    /* Translators: "61 full-time students at 1200 person-hours a student a year" */
    .text = { N_("%s full-time students at %s person-hours a student a year") } },
  { 0 }
};

#define FIELDS(fields_) .fields = fields_, .n_fields = G_N_ELEMENTS (fields_)
#define RECORDS { TD_COUNT_RECORDS }

static const TdRecordKind kinds[] = {
  {
    .id = "programmes", .table = "programme", .name_column = "name", FIELDS (programme_fields),
    .title = N_("Programmes"), .singular = N_("Programme"), .label = N_("programmes"),
    .icon_name = "view-list-bullet-symbolic",
    .empty_title = N_("No Programmes Yet"),
    .empty_description = N_("Add the training programmes the school offers with Ctrl+N, or import a spreadsheet. Yearly results refer to them."),
    .add_label = N_("_Add a Programme"), .add_tooltip = N_("Add a Programme (Ctrl+N)"),
    .search_placeholder = N_("Search programmes"),
    .new_title = N_("New Programme"), .edit_title = N_("Edit Programme"),
    .count = TD_NP_("%s programme", "%s programmes"),
    .deleted = TD_NP_("Deleted %s programme", "Deleted %s programmes"),
    .overview = { N_("%s programmes") }, .counts = { RECORDS }, .n_counts = 1,
  },
  {
    .id = "trainers", .table = "trainer", .name_column = "name", FIELDS (trainer_fields),
    .title = N_("Trainers"), .singular = N_("Trainer"), .label = N_("trainers"),
    .icon_name = "system-users-symbolic",
    .empty_title = N_("No Trainers Yet"),
    .empty_description = N_("Add one with Ctrl+N or import a spreadsheet."),
    .add_label = N_("_Add a Trainer"), .add_tooltip = N_("Add a Trainer (Ctrl+N)"),
    .search_placeholder = N_("Search trainers"),
    .new_title = N_("New Trainer"), .edit_title = N_("Edit Trainer"),
    .count = TD_NP_("%s trainer", "%s trainers"),
    .deleted = TD_NP_("Deleted %s trainer", "Deleted %s trainers"),
    .figures = trainer_figures,
    /* The notice counts them in performance reviews: after the short
     * columns, where they are seen. */
    .hours_after = "dual_qualified",
    .overview = { N_("%s trainers: %s full-time, %s part-time, %s from enterprises; %s dual-qualified") },
    .counts = {
      RECORDS,
      { TD_COUNT_CHOICE, "kind", .choice = "full-time" },
      { TD_COUNT_CHOICE, "kind", .choice = "part-time" },
      { TD_COUNT_CHOICE, "kind", .choice = "enterprise-expert" },
      { TD_COUNT_SUM, "dual_qualified" },
    },
    .n_counts = 5,
  },
  {
    .id = "equipment", .table = "equipment", .name_column = "name", FIELDS (equipment_fields),
    .title = N_("Equipment"), .singular = N_("Equipment item"), .label = N_("equipment"),
    .icon_name = "applications-engineering-symbolic",
    .page_title = N_("Equipment & Venues"),
    .empty_title = N_("No Equipment Yet"),
    .empty_description = N_("Add an item with Ctrl+N or import a spreadsheet. Add the venues first to say where each item stands."),
    .add_label = N_("_Add an Item"), .add_tooltip = N_("Add an Equipment Item (Ctrl+N)"),
    .search_placeholder = N_("Search equipment"),
    .new_title = N_("New Equipment Item"), .edit_title = N_("Edit Equipment Item"),
    .count = TD_NP_("%s item", "%s items"),
    .deleted = TD_NP_("Deleted %s equipment item", "Deleted %s equipment items"),
    .figures = equipment_figures,
    .overview = { N_("%s items; %s units in use or idle, worth %s yuan") },
    .counts = {
      RECORDS,
      { TD_COUNT_SUM, "quantity", .only = "state", .in = { "in-use", "idle" } },
      { TD_COUNT_SUM, "quantity", .times = "unit_value", .only = "state", .in = { "in-use", "idle" } },
    },
    .n_counts = 3,
  },
  {
    .id = "venues", .table = "venue", .name_column = "name", FIELDS (venue_fields),
    .title = N_("Venues"), .singular = N_("Venue"), .label = N_("venues"),
    .icon_name = "mark-location-symbolic",
    /* Listed beside the equipment that stands in them. */
    .page = "equipment",
    .empty_title = N_("No Venues Yet"),
    .empty_description = N_("Add the classrooms, training bases, workshops and online platforms with Ctrl+N, or import a spreadsheet."),
    .add_label = N_("_Add a Venue"), .add_tooltip = N_("Add a Venue (Ctrl+N)"),
    .search_placeholder = N_("Search venues"),
    .new_title = N_("New Venue"), .edit_title = N_("Edit Venue"),
    .count = TD_NP_("%s venue", "%s venues"),
    .deleted = TD_NP_("Deleted %s venue", "Deleted %s venues"),
    .figures = venue_figures,
    .overview = { N_("%s venues: %s m², room for %s people on site") },
    /* On site: an online platform has no floor and no seats. */
    .counts = {
      RECORDS,
      { TD_COUNT_SUM, "area", .only = "kind", .in = { "online-platform" }, .except = TRUE },
      { TD_COUNT_SUM, "capacity", .only = "kind", .in = { "online-platform" }, .except = TRUE },
    },
    .n_counts = 3,
  },
  {
    .id = "guarantees", .table = "guarantee", .name_column = "title", FIELDS (guarantee_fields),
    .title = N_("Guarantees"), .singular = N_("Guarantee"), .label = N_("guarantees"),
    .icon_name = "security-high-symbolic",
    .empty_title = N_("No Guarantees Yet"),
    .empty_description = N_("Add the rules and arrangements that guarantee training quality with Ctrl+N, or import a spreadsheet."),
    .add_label = N_("_Add a Guarantee"), .add_tooltip = N_("Add a Guarantee (Ctrl+N)"),
    .search_placeholder = N_("Search guarantees"),
    .new_title = N_("New Guarantee"), .edit_title = N_("Edit Guarantee"),
    .count = TD_NP_("%s guarantee", "%s guarantees"),
    .deleted = TD_NP_("Deleted %s guarantee", "Deleted %s guarantees"),
    .overview = { N_("%s rules and arrangements") }, .counts = { RECORDS }, .n_counts = 1,
  },
  {
    .id = "results", .table = "result", .name_column = "year", FIELDS (result_fields),
    .title = N_("Results"), .singular = N_("Result"), .label = N_("results"),
    .icon_name = "x-office-spreadsheet-symbolic",
    .empty_title = N_("No Results Yet"),
    .empty_description = N_("A result is one year of one programme: add the programmes and trainers first, then the results with Ctrl+N, or import a spreadsheet."),
    .add_label = N_("_Add a Result"), .add_tooltip = N_("Add a Result (Ctrl+N)"),
    .search_placeholder = N_("Search results"),
    .new_title = N_("New Result"), .edit_title = N_("Edit Result"),
    .count = TD_NP_("%s result", "%s results"),
    .deleted = TD_NP_("Deleted %s result", "Deleted %s results"),
    .figures = result_figures,
    .charts = TRUE,
    .overview = { N_("%s results recorded") }, .counts = { RECORDS }, .n_counts = 1,
  },
};

const TdRecordKind *
td_record_kind_lookup (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i].id, id) == 0)
      return &kinds[i];
  return NULL;
}

/**
 * td_record_kinds:
 *
 * Returns: (transfer container): every kind, in sidebar order.
 */
const TdRecordKind **
td_record_kinds (guint *n_kinds)
{
  static const TdRecordKind *all[G_N_ELEMENTS (kinds) + 1];

  if (all[0] == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
      all[i] = &kinds[i];
  if (n_kinds)
    *n_kinds = G_N_ELEMENTS (kinds);
  return all;
}

int
td_record_kind_field_index (const TdRecordKind *kind,
                            const char         *column)
{
  for (guint i = 0; i < kind->n_fields; i++)
    if (g_strcmp0 (kind->fields[i].column, column) == 0)
      return i;
  return -1;
}

/* A choice, by its id, its Chinese header, its English label or its label
 * in the user's language: whatever a file or a person may write. */
const TdChoice *
td_field_find_choice (const TdField *field,
                      const char    *text)
{
  if (field->choices == NULL || text == NULL)
    return NULL;

  for (const TdChoice *c = field->choices; c->id; c++)
    if (g_strcmp0 (text, c->id) == 0 ||
        g_strcmp0 (text, c->header) == 0 ||
        g_ascii_strcasecmp (text, c->label) == 0 ||
        g_strcmp0 (text, g_dgettext (GETTEXT_PACKAGE, c->label)) == 0)
      return c;
  return NULL;
}

/* What the interface shows for a stored choice. */
const char *
td_field_choice_label (const TdField *field,
                       const char    *id)
{
  for (const TdChoice *c = field->choices; c && c->id; c++)
    if (g_strcmp0 (id, c->id) == 0)
      return g_dgettext (GETTEXT_PACKAGE, c->label);
  return id;
}

/* What a file holds for a stored choice. */
const char *
td_field_choice_header (const TdField *field,
                        const char    *id)
{
  for (const TdChoice *c = field->choices; c && c->id; c++)
    if (g_strcmp0 (id, c->id) == 0)
      return c->header;
  return id;
}

/* The sidebar page that lists @kind: its own, or the one it shares. */
const char *
td_record_kind_get_page (const TdRecordKind *kind)
{
  g_return_val_if_fail (kind != NULL, NULL);

  return kind->page != NULL ? kind->page : kind->id;
}

/* Whether @count of @kind is an amount (m², yuan) rather than a number of
 * things: a decimal column in it. */
gboolean
td_kind_count_is_amount (const TdRecordKind *kind,
                         const TdKindCount  *count)
{
  int column, times;

  g_return_val_if_fail (kind != NULL && count != NULL, FALSE);

  if (count->type != TD_COUNT_SUM)
    return FALSE;
  column = td_record_kind_field_index (kind, count->column);
  times = count->times != NULL ? td_record_kind_field_index (kind, count->times) : -1;
  return (column >= 0 && kind->fields[column].type == TD_FIELD_NUMBER) ||
         (times >= 0 && kind->fields[times].type == TD_FIELD_NUMBER);
}

/* @plural translated for @n. */
const char *
td_plural_get (const TdPlural *plural,
               gulong          n)
{
  if (plural->other == NULL)
    return g_dgettext (GETTEXT_PACKAGE, plural->one);
  return g_dngettext (GETTEXT_PACKAGE, plural->one, plural->other, n);
}

/**
 * td_plural_format:
 * @plural: a text of the table, with as many "%s" as arguments follow
 * @n: the number that picks the plural form
 * @...: the strings the text holds, already formatted
 *
 * Returns: (transfer full): @plural translated for @n, filled in.
 */
char *
td_plural_format (const TdPlural *plural,
                  gulong          n,
                  ...)
{
  va_list args;
  char *text;

  va_start (args, n);
  /* The formats are the table's own, "%s" only (and their translations,
   * which msgfmt --check holds to the same). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  text = g_strdup_vprintf (td_plural_get (plural, n), args);
#pragma GCC diagnostic pop
  va_end (args);
  return text;
}
