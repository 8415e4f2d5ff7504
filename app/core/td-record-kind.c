/* td-record-kind.c: the six kinds of record the training office keeps
 *
 * The Chinese headers are the import/export format documented in
 * docs/import.md; English labels are accepted as headers too.
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
#define SUMMED TD_FIELD_SUMMED

/* The form's three categories (field 6). */
static const TdChoice categories[] = {
  { "enterprise-staff", N_("Skills training for enterprise employees"), "企业职工技能培训" },
  { "key-groups", N_("Employment and entrepreneurship training for key groups"), "重点人群的就业创业培训" },
  { "unemployed", N_("Re-employment training for the unemployed"), "失业人员再就业培训" },
  { NULL }
};

/* The notice's key groups (section 二), the unemployed and employees. The
 * ids are the notice's own words: they are what the records hold. */
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
  { "quantity", N_("Quantity"), "数量", TD_FIELD_INTEGER, LISTED | SUMMED, .min = 0, .max = 1000000, .fallback = "1" },
  { "unit_value", N_("Unit value"), "单价", TD_FIELD_NUMBER, LISTED, .min = 0, .max = 1e9, .unit = N_("yuan") , .fallback = "0" },
  { "venue_id", N_("Venue"), "场所", TD_FIELD_REFERENCE, KEY | LISTED, .reference = "venues" },
  { "year_acquired", N_("Year acquired"), "购置年份", TD_FIELD_INTEGER, LISTED, .min = 1900, .max = 2200 },
  { "state", N_("State"), "状态", TD_FIELD_CHOICE, LISTED, .choices = equipment_states, .fallback = "in-use" },
};

static const TdField venue_fields[] = {
  { "name", N_("Name"), "名称", TD_FIELD_TEXT, REQ | KEY | LISTED, 60 },
  { "kind", N_("Kind"), "类型", TD_FIELD_CHOICE, REQ | LISTED, .choices = venue_kinds },
  { "area", N_("Area"), "面积", TD_FIELD_NUMBER, LISTED | SUMMED, .min = 0, .max = 1e7, .unit = N_("m²") , .fallback = "0" },
  { "capacity", N_("Capacity"), "容纳人数", TD_FIELD_INTEGER, LISTED | SUMMED, .min = 0, .max = 1000000 , .fallback = "0" },
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
  { "sessions", N_("Sessions"), "期数", TD_FIELD_INTEGER, LISTED | SUMMED, .min = 0, .max = 100000, .fallback = "1" },
  { "participants", N_("Participants"), "培训人数", TD_FIELD_INTEGER, LISTED | SUMMED, .min = 0, .max = 10000000 , .fallback = "0" },
  { "hours_per_participant", N_("Hours per participant"), "人均学时", TD_FIELD_NUMBER, LISTED, .min = 0, .max = 10000 , .fallback = "0" },
  { "certificates", N_("Certificates awarded"), "取证人数", TD_FIELD_INTEGER, LISTED | SUMMED, .min = 0, .max = 10000000 , .fallback = "0" },
  { "employed", N_("Employed after training"), "就业人数", TD_FIELD_INTEGER, LISTED | SUMMED, .min = 0, .max = 10000000 , .fallback = "0" },
  { "satisfaction", N_("Satisfaction"), "满意度", TD_FIELD_NUMBER, LISTED, .min = 0, .max = 100, .unit = N_("%") },
  { "revenue", N_("Revenue"), "收入", TD_FIELD_NUMBER, SUMMED, .min = 0, .max = 1e10, .unit = N_("yuan") , .fallback = "0" },
  { "partner", N_("Partner enterprise"), "合作企业", TD_FIELD_TEXT, KEY | LISTED, 60 },
  { "teaching", N_("Trainers and hours"), "授课教师", TD_FIELD_TEACHING, 0 },
};

#define KIND(id_, table_, title_, singular_, name_, fields_) \
  { id_, table_, title_, singular_, name_, fields_, G_N_ELEMENTS (fields_) }

static const TdRecordKind kinds[] = {
  KIND ("programmes", "programme", N_("Programmes"), N_("Programme"), "name", programme_fields),
  KIND ("trainers", "trainer", N_("Trainers"), N_("Trainer"), "name", trainer_fields),
  KIND ("equipment", "equipment", N_("Equipment"), N_("Equipment item"), "name", equipment_fields),
  KIND ("venues", "venue", N_("Venues"), N_("Venue"), "name", venue_fields),
  KIND ("guarantees", "guarantee", N_("Guarantees"), N_("Guarantee"), "title", guarantee_fields),
  KIND ("results", "result", N_("Results"), N_("Result"), "year", result_fields),
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
