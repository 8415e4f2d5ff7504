/* test-form-render.c: the intent form drawn on A4, as PDF
 *
 * The PDF is read back with poppler-utils (pdftotext, pdffonts, pdfinfo),
 * as a person's PDF reader would see it; the layout check measures every
 * run against its cell. With TD_TEST_OUTPUT_DIR set, the PDFs are kept
 * there, to look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "td-example.h"
#include "td-form-render.h"
#include "td-validate.h"

#define TITLE    "可承担和开展的职业培训意向表"
#define FOOTNOTE "备注：请认真填写，省教育厅将编制目录并提供至各相关部门。"

#define CAPACITY                                                                                   \
  "师资方面，学校现有培训教师4人，其中专职2人、兼职1人、企业专家1人；"                                 \
  "具有高级职称2人（正高级1人、副高级1人）、中级职称1人；“双师型”教师2人，占50.0%。"                    \
  "设备方面，拥有培训设备30台（套），共2种，总值约91.0万元。"                                          \
  "场所方面，拥有培训场所2处（实训基地1处、教室1间），总面积920平方米，可同时容纳110人参加培训。"        \
  "制度保障方面，制定了《职业培训管理办法》《培训质量监控制度》等2项制度，保障培训规范有序开展。"

#define RESULTS                                                                                    \
  "2023—2025年，学校共开展职业培训4期、培训150人次，完成培训量6000人·学时，折合全日制学生5.0人。"      \
  "其中企业职工技能培训60人次，重点人群的就业创业培训90人次。"                                         \
  "学员取得职业资格或职业技能等级证书130人，取证率86.7%；培训后实现就业125人，就业率83.3%。"           \
  "分年度看，2023年60人次、2024年40人次、2025年50人次。"                                             \
  "学员满意度平均为93.0%。"                                                                        \
  "主要培训项目有数控车工培训、网店运营培训、养老护理员培训等。"                                       \
  "先后与济南二机床集团、济南市养老服务中心等单位合作开展培训。"

/* The small school of test-form.c, as td_form_assemble() fills it in. */
static TdForm *
fixture_form (void)
{
  TdForm *form = td_form_new ("shandong-2020", 2023, 2025);

  td_form_set (form, TD_FORM_NAME, "济南第一职业中等专业学校");
  td_form_set (form, TD_FORM_AUTHORITY, "济南市教育局");
  td_form_set (form, TD_FORM_CITY, "济南市");
  td_form_set (form, TD_FORM_COUNTY, "历下区");
  td_form_set (form, TD_FORM_STREET, "文化西路29号");
  td_form_set (form, TD_FORM_POSTAL_CODE, "250014");
  td_form_set (form, TD_FORM_CONTACT_NAME, "陈璟");
  td_form_set (form, TD_FORM_PHONE, "0531-81916531");
  td_form_set (form, TD_FORM_EMAIL, "pxb@jndyzz.edu.cn");
  td_form_set (form, TD_FORM_CATEGORIES, "enterprise-staff,key-groups");
  td_form_set (form, TD_FORM_FIELDS, "养老服务、智能制造、电子商务");
  td_form_set (form, TD_FORM_CAPACITY, CAPACITY);
  td_form_set (form, TD_FORM_RESULTS, RESULTS);
  td_form_set (form, TD_FORM_LEGAL_REPRESENTATIVE, "王建国");
  return form;
}

/* @pattern repeated up to exactly @n characters. */
static char *
text_of_length (const char *pattern,
                guint       n)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint pattern_length = g_utf8_strlen (pattern, -1);

  while (td_text_length (text->str) + pattern_length <= n)
    g_string_append (text, pattern);
  g_string_append_len (text, pattern,
                       g_utf8_offset_to_pointer (pattern, n - td_text_length (text->str)) - pattern);
  g_assert_cmpuint (td_text_length (text->str), ==, n);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
output_path (const char *name)
{
  const char *dir = g_getenv ("TD_TEST_OUTPUT_DIR");

  if (dir == NULL)
    {
      dir = g_get_user_data_dir ();
      g_mkdir_with_parents (dir, 0700);
    }
  return g_build_filename (dir, name, NULL);
}

static gboolean
have_poppler (void)
{
  g_autofree char *path = g_find_program_in_path ("pdftotext");

  if (path == NULL)
    {
      g_test_skip ("poppler-utils (pdftotext, pdffonts, pdfinfo) is not installed");
      return FALSE;
    }
  return TRUE;
}

static char *
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s: %s\n%s", argv[0], error->message, err);
  return g_steal_pointer (&out);
}

/* pdftotext -layout of pages @first to @last (0: to the end). */
static char *
pdf_text (const char *path,
          int         first,
          int         last)
{
  g_autofree char *f = g_strdup_printf ("%d", first);
  g_autofree char *l = g_strdup_printf ("%d", last);
  const char *all[] = { "pdftotext", "-layout", "-enc", "UTF-8", path, "-", NULL };
  const char *some[] = { "pdftotext", "-layout", "-enc", "UTF-8", "-f", f, "-l", l, path, "-", NULL };

  return run (last > 0 ? some : all);
}

/* Text without white space: a long value wraps, and its lines are found
 * again once the line ends and the column's spaces are gone. */
static char *
squeeze (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isspace (c) && c != 0x3000)
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static char *
squeeze_free (char *text)
{
  g_autofree char *owned = text;

  return squeeze (owned);
}

/* The value column alone: the labels beside a wrapped value would come
 * between its lines. */
static char *
pdf_column (const char *path,
            const char *x)
{
  const char *argv[] = { "pdftotext", "-layout", "-enc", "UTF-8", "-x", x, "-y", "0",
                         "-W", "500", "-H", "842", path, "-", NULL };

  return run (argv);
}

/* The label column ends 25 + 34 mm from the page's left. */
#define VALUE_COLUMN "170"
/* 联系方式's value: after 联系人, the name and 联系方式 (34 + 24 mm more). */
#define CONTACT_COLUMN "335"

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, haystack);
}

/* The first and the last @n characters of @text, without white space. */
static void
assert_ends_found (const char *haystack,
                   const char *text,
                   guint       n)
{
  g_autofree char *squeezed = squeeze (text);
  glong length = g_utf8_strlen (squeezed, -1);
  const char *tail = g_utf8_offset_to_pointer (squeezed, MAX (0, length - (glong)n));
  g_autofree char *head = g_utf8_substring (squeezed, 0, MIN (length, (glong)n));

  assert_contains (haystack, head);
  assert_contains (haystack, tail);
}

static void
assert_no_overflow (TdFormRender *render)
{
  g_autoptr(GPtrArray) overflows = td_form_render_check_layout (render);

  for (guint i = 0; i < overflows->len; i++)
    {
      TdFormRenderOverflow *o = g_ptr_array_index (overflows, i);

      g_test_message ("page %u: “%s” at %.2f,%.2f %.2f×%.2f, past its cell %.2f,%.2f %.2f×%.2f",
                      o->page + 1, o->text, o->x, o->y, o->width, o->height,
                      o->cell_x, o->cell_y, o->cell_width, o->cell_height);
    }
  g_assert_cmpuint (overflows->len, ==, 0);
}

/* As the command line and the Export menu write it: fonts subset when they
 * can be. */
static TdFormRender *
render_to (TdForm                    *form,
           const TdFormRenderOptions *options,
           const char                *path)
{
  g_autoptr(TdCampaign) campaign = td_campaign_get_builtin ();
  g_autoptr(GError) error = NULL;
  TdFormRender *render = td_form_render_new_for_pdf (form, campaign, options);

  g_assert_true (td_form_render_save_pdf (render, path, &error));
  g_assert_no_error (error);
  return render;
}

/* Every field's value is in the PDF, as text; the CJK font is embedded; the
 * metadata name the form and the school. */
static void
test_fixture_pdf (void)
{
  g_autoptr(TdForm) form = fixture_form ();
  g_autofree char *path = output_path ("form-fixture.pdf");
  g_autoptr(TdFormRender) render = render_to (form, NULL, path);
  g_autofree char *text = NULL;
  g_autofree char *values = NULL;
  g_autofree char *fonts = NULL;
  g_autofree char *info = NULL;
  const char *pdffonts[] = { "pdffonts", path, NULL };
  const char *pdfinfo[] = { "pdfinfo", "-enc", "UTF-8", path, NULL };
  static const TdFormField fields[] = {
    TD_FORM_NAME, TD_FORM_AUTHORITY, TD_FORM_CITY, TD_FORM_COUNTY, TD_FORM_STREET, TD_FORM_POSTAL_CODE,
    TD_FORM_CONTACT_NAME, TD_FORM_PHONE, TD_FORM_EMAIL, TD_FORM_FIELDS,
  };

  /* A small school's form fits on one page, as the attachment does. */
  g_assert_cmpuint (td_form_render_count_pages (render), ==, 1);
  assert_no_overflow (render);
  g_assert_true (td_form_render_get_fonts_subset (render));
  if (!have_poppler ())
    return;

  text = pdf_text (path, 0, 0);
  for (const char * const *s = (const char * const[]) { "附件", TITLE, "单位名称", "主管部门", "单位地址",
                                                        "邮政编码", "联系人", "联系方式", "主要培训领域",
                                                        "申报单位意见", "法定代表人签字", "（单位公章）",
                                                        "企业职工技能培训", "重点人群的就业创业培训",
                                                        "失业人员再就业培训", FOOTNOTE, NULL };
       *s; s++)
    assert_contains (text, *s);
  /* Not "第1页": one page has no number. */
  g_assert_null (strstr (text, "第1页"));

  values = squeeze_free (pdf_column (path, VALUE_COLUMN));
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    assert_contains (values, td_form_get (form, fields[i]));
  assert_ends_found (values, CAPACITY, 20);
  assert_ends_found (values, RESULTS, 20);
  /* The whole texts, in fact, in order. */
  assert_contains (values, CAPACITY);
  assert_contains (values, RESULTS);

  fonts = run (pdffonts);
  g_test_message ("%s", fonts);
  {
    g_auto(GStrv) lines = g_strsplit (fonts, "\n", -1);
    gboolean cjk_embedded = FALSE;

    for (guint i = 2; lines[i]; i++)
      {
        g_auto(GStrv) columns = g_regex_split_simple ("\\s+", lines[i], 0, 0);

        /* name type [type…] encoding emb sub uni object ID */
        if (g_strv_length (columns) >= 7 && strstr (columns[0], "CJK") &&
            strstr (columns[0], "Noto") && g_str_equal (columns[g_strv_length (columns) - 5], "yes"))
          cjk_embedded = TRUE;
        /* Every font is embedded, none left to the reader's system. */
        if (g_strv_length (columns) >= 7)
          g_assert_cmpstr (columns[g_strv_length (columns) - 5], ==, "yes");
      }
    g_assert_true (cjk_embedded);
  }

  info = run (pdfinfo);
  g_test_message ("%s", info);
  g_assert_true (g_regex_match_simple ("^Title:\\s+" TITLE "$", info, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^Author:\\s+济南第一职业中等专业学校$", info, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^Creator:\\s+Training Desk$", info, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^CreationDate:\\s+\\S", info, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^Page size:\\s+595\\.2\\d* x 841\\.8\\d* pts \\(A4\\)", info,
                                       G_REGEX_MULTILINE, 0));
}

/* The boxes of field 6 are text, ☑ ticked and ☐ not, in a font that has
 * them (DejaVu Sans, embedded); the labels and hints are the
 * attachment's, character for character (seed: 鲁教职字〔2020〕5号, 附件). */
static void
test_boxes_and_hints (void)
{
  g_autoptr(TdForm) form = fixture_form ();
  g_autofree char *path = output_path ("form-boxes.pdf");
  g_autoptr(TdFormRender) render = render_to (form, NULL, path);
  g_autofree char *text = NULL;
  g_autofree char *labels = NULL;
  const char *pdffonts[] = { "pdffonts", path, NULL };
  g_autofree char *fonts = NULL;
  const char *argv[] = { "pdftotext", "-layout", "-enc", "UTF-8", "-x", "0", "-y", "0",
                         "-W", VALUE_COLUMN, "-H", "842", path, "-", NULL };

  /* No glyph missing from the subset faces: no tofu. */
  g_assert_true (td_form_render_get_fonts_subset (render));
  assert_no_overflow (render);
  if (!have_poppler ())
    return;

  text = squeeze_free (pdf_text (path, 0, 0));
  assert_contains (text, "☑企业职工技能培训");
  assert_contains (text, "☑重点人群的就业创业培训");
  assert_contains (text, "☐失业人员再就业培训");
  g_assert_null (strstr (text, "☑失业人员再就业培训"));

  labels = squeeze_free (run (argv));
  assert_contains (labels, "拟承担培训项目类别（可多选）*");
  assert_contains (labels, "培训能力简述（包括培训师资、设备、场所以及制度保障等，500字以内）");
  assert_contains (labels, "近三年来主要培训业绩（包括培训项目、规模、效果等，尽量量化说明，500字以内）");

  fonts = run (pdffonts);
  assert_contains (fonts, "DejaVuSans");
}

/* The example school (training-desk --load-example), its form as the
 * command line exports it: one A4 page (pdfinfo), the ticks in its text. */
static void
test_example_school (void)
{
  g_autofree char *db = g_build_filename (g_get_user_data_dir (), "example.db", NULL);
  g_autofree char *path = output_path ("form-example.pdf");
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = NULL;
  g_autoptr(TdCampaign) campaign = NULL;
  g_autoptr(TdForm) form = NULL;
  g_autoptr(TdFormRender) render = NULL;
  g_autofree char *info = NULL;
  g_autofree char *text = NULL;
  const char *pdfinfo[] = { "pdfinfo", path, NULL };

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  store = td_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_true (td_example_fill (store, &td_example_school_size, &error));
  g_assert_no_error (error);
  campaign = td_campaign_load_current (store, &error);
  g_assert_no_error (error);
  form = td_form_load (store, campaign, td_campaign_get_last_year (campaign), &error);
  g_assert_no_error (error);

  render = td_form_render_new_for_pdf (form, campaign, NULL);
  g_assert_true (td_form_render_save_pdf (render, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (td_form_render_count_pages (render), ==, 1);
  assert_no_overflow (render);
  if (!have_poppler ())
    return;

  info = run (pdfinfo);
  g_assert_true (g_regex_match_simple ("^Pages:\\s+1$", info, G_REGEX_MULTILINE, 0));
  text = squeeze_free (pdf_text (path, 0, 0));
  for (const char * const *c = (const char * const[]) { "enterprise-staff", "key-groups", "unemployed", NULL }; *c; c++)
    {
      const char *name = g_str_equal (*c, "enterprise-staff") ? "企业职工技能培训"
                       : g_str_equal (*c, "key-groups") ? "重点人群的就业创业培训" : "失业人员再就业培训";
      g_autofree char *box = g_strconcat (td_form_has_category (form, *c) ? "☑" : "☐", name, NULL);

      assert_contains (text, box);
    }
  assert_contains (text, "申报单位意见");
}

/* Both texts at the limit, one Chinese, one mixed with ASCII and emoji:
 * they wrap inside their cells and, their size lowered (no lower than
 * 9 pt), the form is still one page, as the attachment is. */
static void
test_texts_at_limit (void)
{
  g_autoptr(TdForm) form = fixture_form ();
  g_autofree char *chinese = text_of_length ("学校建有数控、护理、电商三大实训基地，配备专兼职教师，", TD_FORM_TEXT_LIMIT);
  g_autofree char *middle = text_of_length ("CNC lathe 数控车床 x12 😀 👩‍🔧 ISO-9001:2015 职业技能等级证书 ", 460);
  g_autofree char *pad = NULL;
  g_autofree char *mixed = NULL;
  g_autofree char *path = output_path ("form-limit.pdf");
  g_autoptr(TdFormRender) render = NULL;
  g_autofree char *page2 = NULL;
  g_autofree char *values = NULL;

  /* Chinese at both ends (pdftotext cannot show an emoji the system has
   * no font for), ASCII and emoji between; exactly 500 in all. */
  pad = text_of_length ("培", TD_FORM_TEXT_LIMIT - 460 - td_text_length ("2023—2025年，共培训6000人次，就业率83.3%。"));
  mixed = g_strconcat ("2023—2025年，共培训6000人次", middle, pad, "，就业率83.3%。", NULL);
  g_assert_cmpuint (td_text_length (chinese), ==, TD_FORM_TEXT_LIMIT);
  g_assert_cmpuint (td_text_length (mixed), ==, TD_FORM_TEXT_LIMIT);
  td_form_set (form, TD_FORM_CAPACITY, chinese);
  td_form_set (form, TD_FORM_RESULTS, mixed);

  render = render_to (form, NULL, path);
  assert_no_overflow (render);
  g_assert_cmpuint (td_form_render_count_pages (render), ==, 1);
  /* The emoji come from another font than Noto CJK: the whole faces. */
  g_assert_false (td_form_render_get_fonts_subset (render));
  if (!have_poppler ())
    return;

  page2 = pdf_text (path, 0, 0);
  assert_contains (page2, FOOTNOTE);
  g_assert_null (strstr (page2, "第1页"));

  values = squeeze_free (pdf_column (path, VALUE_COLUMN));
  assert_ends_found (values, chinese, 20);
  assert_ends_found (values, mixed, 20);
  /* No hyphen is added where a Latin word breaks. */
  g_assert_null (strstr (values, "CNC-"));
}

/* Every field far longer than anyone writes: still inside the cells, the
 * rows split over pages as needed. */
static void
test_everything_long (void)
{
  g_autoptr(TdForm) form = fixture_form ();
  g_autoptr(TdFormRender) render = NULL;
  g_autofree char *path = output_path ("form-long.pdf");
  g_autofree char *long_name = text_of_length ("山东省济南市某某职业技术学院（济南市技师学院）", 120);
  g_autofree char *long_fields = text_of_length ("智能制造、电子商务、养老服务、护理、", 700);
  g_autofree char *unbroken = text_of_length ("x", 500);
  g_autofree char *local_part = text_of_length ("training.office", 90);
  g_autofree char *long_email = g_strconcat (local_part, "@example.edu.cn", NULL);

  td_form_set (form, TD_FORM_NAME, long_name);
  td_form_set (form, TD_FORM_AUTHORITY, long_name);
  td_form_set (form, TD_FORM_CITY, "济南市");
  td_form_set (form, TD_FORM_COUNTY, "章丘区");
  td_form_set (form, TD_FORM_STREET, long_name);
  td_form_set (form, TD_FORM_CONTACT_NAME, "欧阳诸葛司马上官");
  td_form_set (form, TD_FORM_EMAIL, long_email);
  td_form_set (form, TD_FORM_CATEGORIES, "enterprise-staff,key-groups,unemployed");
  td_form_set (form, TD_FORM_FIELDS, long_fields);
  td_form_set (form, TD_FORM_CAPACITY, unbroken);
  td_form_set (form, TD_FORM_RESULTS, unbroken);

  render = render_to (form, NULL, path);
  assert_no_overflow (render);
  g_assert_cmpuint (td_form_render_count_pages (render), >=, 2);
  g_assert_true (td_form_render_get_fonts_subset (render));
  if (!have_poppler ())
    return;
  {
    g_autofree char *values = squeeze_free (pdf_column (path, VALUE_COLUMN));
    g_autofree char *contact = squeeze_free (pdf_column (path, CONTACT_COLUMN));

    g_autofree char *last = NULL;
    g_autofree char *page2 = pdf_text (path, 2, 2);
    guint n = td_form_render_count_pages (render);

    assert_contains (contact, long_email);
    assert_contains (values, unbroken);
    assert_contains (page2, TITLE "（续）");
    assert_contains (page2, "第2页");

    /* The last page holds the signature row and, before it, some of
     * field 9: one seal covers content, not an empty row. */
    last = pdf_text (path, (int)n, (int)n);
    assert_contains (last, "法定代表人签字");
    assert_contains (last, "（单位公章）");
    assert_contains (last, "培训业绩");
  }
}

/* An empty form prints as the blank attachment, to fill in by hand. */
static void
test_blank (void)
{
  g_autoptr(TdForm) form = td_form_new ("shandong-2020", 2023, 2025);
  g_autofree char *path = output_path ("form-blank.pdf");
  g_autoptr(TdFormRender) render = render_to (form, NULL, path);
  g_autofree char *text = NULL;

  g_assert_cmpuint (td_form_render_count_pages (render), ==, 1);
  assert_no_overflow (render);
  g_assert_true (td_form_render_get_fonts_subset (render));
  if (!have_poppler ())
    return;
  text = squeeze_free (pdf_text (path, 0, 0));
  assert_contains (text, "市");
  assert_contains (text, "县（市）");
  assert_contains (text, "区");
  assert_contains (text, "年月日");
}

/* The sign-off (issue 5) prints in the 申报单位意见 cell. */
static void
test_signed (void)
{
  g_autoptr(TdForm) form = fixture_form ();
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+08:00");
  g_autoptr(GDateTime) at = g_date_time_new (tz, 2025, 5, 10, 14, 32, 0);
  TdFormRenderOptions options = { .signer = "王建国", .signed_at = at, .hash = "0123456789abcdef",
                                  .created = at };
  g_autofree char *path = output_path ("form-signed.pdf");
  g_autoptr(TdFormRender) render = render_to (form, &options, path);
  g_autofree char *text = NULL;
  g_autofree char *info = NULL;
  const char *pdfinfo[] = { "pdfinfo", "-isodates", path, NULL };

  g_assert_cmpuint (td_form_render_count_pages (render), ==, 1);
  assert_no_overflow (render);
  g_assert_true (td_form_render_get_fonts_subset (render));
  if (!have_poppler ())
    return;
  text = squeeze_free (pdf_text (path, 0, 0));
  assert_contains (text, "已签发");
  assert_contains (text, "签发人：王建国");
  assert_contains (text, "2025-05-1014:32");
  assert_contains (text, "0123456789abcdef");
  assert_contains (text, "2025年5月10日");

  /* The creation date given is the one written. */
  info = run (pdfinfo);
  g_assert_true (g_regex_match_simple ("^CreationDate:\\s+2025-05-10T14:32:00\\+08", info, G_REGEX_MULTILINE, 0));
}

/* The same drawing on any cairo context: the preview scales it, each page
 * draws without error, and the same form draws the same PDF twice. */
static void
test_preview_and_reproducible (void)
{
  g_autoptr(TdForm) form = fixture_form ();
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(GDateTime) created = g_date_time_new (tz, 2025, 5, 1, 0, 0, 0);
  TdFormRenderOptions options = { .created = created };
  g_autoptr(TdFormRender) render = td_form_render_new (form, NULL, &options);
  g_autoptr(TdFormRender) again = td_form_render_new (form, NULL, &options);
  g_autoptr(GOutputStream) a = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) b = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) bytes_a = NULL;
  g_autoptr(GBytes) bytes_b = NULL;
  g_autoptr(GError) error = NULL;
  double zoom = 0.5;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                         (int)(TD_FORM_RENDER_PAGE_WIDTH * zoom) + 1,
                                                         (int)(TD_FORM_RENDER_PAGE_HEIGHT * zoom) + 1);
  cairo_t *cr = cairo_create (surface);

  cairo_scale (cr, zoom, zoom);
  for (guint i = 0; i < td_form_render_count_pages (render); i++)
    td_form_render_page (render, i, cr);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  /* Something black was drawn: the table's border at its top-left corner. */
  cairo_surface_flush (surface);
  {
    unsigned char *data = cairo_image_surface_get_data (surface);
    int stride = cairo_image_surface_get_stride (surface);
    guint dark = 0;

    for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
      for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
        dark += data[y * stride + 4 * x] < 128;
    g_assert_cmpuint (dark, >, 1000);
  }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  g_assert_true (td_form_render_write_pdf (render, a, NULL, &error));
  g_assert_true (td_form_render_write_pdf (again, b, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (a, NULL, NULL);
  g_output_stream_close (b, NULL, NULL);
  bytes_a = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (a));
  bytes_b = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (b));
  g_assert_true (g_bytes_equal (bytes_a, bytes_b));
  g_assert_true (g_str_has_prefix (g_bytes_get_data (bytes_a, NULL), "%PDF-"));
}

/* Where the renderers' temporary folders go (TMPDIR, set for this test). */
static char *tmp_dir;

/* The subset fonts' folders in tmp_dir, td-form-fonts-XXXXXX. */
static guint
count_font_dirs (void)
{
  g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)))
    n += g_str_has_prefix (name, "td-form-fonts-");
  return n;
}

/* Each page drawn at 150 dpi, as ARGB32 pixels. */
static GBytes *
draw_page (TdFormRender *render,
           guint         page)
{
  double zoom = 150.0 / 72;
  int width = (int)(TD_FORM_RENDER_PAGE_WIDTH * zoom) + 1, height = (int)(TD_FORM_RENDER_PAGE_HEIGHT * zoom) + 1;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  GBytes *pixels;

  cairo_scale (cr, zoom, zoom);
  td_form_render_page (render, page, cr);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  pixels = g_bytes_new (cairo_image_surface_get_data (surface),
                        (gsize)cairo_image_surface_get_stride (surface) * height);
  cairo_surface_destroy (surface);
  return pixels;
}

static GBytes *
pdf_bytes (TdFormRender *render)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (td_form_render_write_pdf (render, stream, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
}

/* The fonts subset to the form draw it exactly as the whole faces do (the
 * preview's and the printer's): the same pages, pixel for pixel, for every
 * kind of form; their files are gone with the renderer; the PDF is smaller. */
static void
test_subset_same_drawing (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+08:00");
  g_autoptr(GDateTime) at = g_date_time_new (tz, 2025, 5, 10, 14, 32, 0);
  g_autoptr(TdCampaign) campaign = td_campaign_get_builtin ();
  TdFormRenderOptions signed_options = { .signer = "王建国", .signed_at = at, .hash = "0123456789abcdef",
                                         .created = at };
  TdFormRenderOptions plain = { .created = at };
  g_autofree char *long_text = text_of_length ("学校建有数控、护理、电商三大实训基地（CNC, ISO-9001:2015），", TD_FORM_TEXT_LIMIT);
  g_autofree char *long_fields = text_of_length ("智能制造、电子商务、养老服务、护理、", 700);
  struct { const char *what; TdForm *form; const TdFormRenderOptions *options; guint pages; } cases[] = {
    { "fixture", fixture_form (), &plain, 1 },
    { "signed", fixture_form (), &signed_options, 1 },
    { "blank", td_form_new ("shandong-2020", 2023, 2025), &plain, 1 },
    { "long", fixture_form (), &plain, 2 },
  };

  td_form_set (cases[3].form, TD_FORM_CAPACITY, long_text);
  td_form_set (cases[3].form, TD_FORM_RESULTS, long_text);
  td_form_set (cases[3].form, TD_FORM_FIELDS, long_fields);

  g_assert_cmpuint (count_font_dirs (), ==, 0);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(TdFormRender) whole = td_form_render_new (cases[c].form, campaign, cases[c].options);
      TdFormRender *subset = td_form_render_new_for_pdf (cases[c].form, campaign, cases[c].options);
      g_autoptr(GBytes) whole_pdf = NULL;
      g_autoptr(GBytes) subset_pdf = NULL;

      g_test_message ("%s", cases[c].what);
      g_assert_false (td_form_render_get_fonts_subset (whole));
      g_assert_true (td_form_render_get_fonts_subset (subset));
      g_assert_cmpuint (count_font_dirs (), ==, 1);
      g_assert_cmpuint (td_form_render_count_pages (subset), ==, cases[c].pages);
      g_assert_cmpuint (td_form_render_count_pages (whole), ==, cases[c].pages);
      for (guint p = 0; p < cases[c].pages; p++)
        {
          g_autoptr(GBytes) a = draw_page (whole, p);
          g_autoptr(GBytes) b = draw_page (subset, p);

          g_assert_true (g_bytes_equal (a, b));
        }

      /* The faces embedded hold only the form's glyphs. */
      whole_pdf = pdf_bytes (whole);
      subset_pdf = pdf_bytes (subset);
      g_test_message ("PDF: %zu bytes with the whole faces, %zu subset", g_bytes_get_size (whole_pdf),
                      g_bytes_get_size (subset_pdf));
      g_assert_cmpuint (g_bytes_get_size (subset_pdf), <, g_bytes_get_size (whole_pdf));

      g_assert_finalize_object (subset);
      g_assert_cmpuint (count_font_dirs (), ==, 0);
      g_object_unref (cases[c].form);
    }
}

/* A character the subsets cannot draw as the whole fonts do — an emoji, a
 * script Noto CJK lacks — and the PDF is today's: the same bytes. */
static void
test_subset_fallback (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(GDateTime) created = g_date_time_new (tz, 2025, 5, 1, 0, 0, 0);
  TdFormRenderOptions options = { .created = created };
  const char *texts[] = {
    "学员满意度很高👍🏽。",                      /* an emoji with a skin tone */
    "合作企业遍及泰国（ประเทศไทย）。",           /* Thai */
    "支持 \u2615 与 \u2B50 标记。",              /* BMP characters of emoji presentation */
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(TdForm) form = fixture_form ();
      g_autoptr(TdFormRender) whole = NULL;
      g_autoptr(TdFormRender) pdf = NULL;
      g_autoptr(GBytes) a = NULL;
      g_autoptr(GBytes) b = NULL;

      td_form_set (form, TD_FORM_RESULTS, texts[i]);
      whole = td_form_render_new (form, NULL, &options);
      pdf = td_form_render_new_for_pdf (form, NULL, &options);
      g_assert_false (td_form_render_get_fonts_subset (pdf));
      g_assert_cmpuint (count_font_dirs (), ==, 0);
      a = pdf_bytes (whole);
      b = pdf_bytes (pdf);
      g_assert_true (g_bytes_equal (a, b));
    }
}

/* The check is not blind: a row taller than a page (an absurd contact
 * name: that row is not split) is reported. */
static void
test_check_reports (void)
{
  g_autoptr(TdForm) form = fixture_form ();
  g_autofree char *absurd = text_of_length ("陈", 4000);
  g_autoptr(TdFormRender) render = NULL;
  g_autoptr(GPtrArray) overflows = NULL;

  td_form_set (form, TD_FORM_CONTACT_NAME, absurd);
  render = td_form_render_new (form, NULL, NULL);
  overflows = td_form_render_check_layout (render);
  g_assert_cmpuint (overflows->len, >, 0);
}

/* Writing where it cannot: an error naming the file, nothing left behind. */
static void
test_write_error (void)
{
  g_autoptr(TdForm) form = fixture_form ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "no-such-dir", "form.pdf", NULL);

  g_assert_false (td_form_render_pdf (form, NULL, NULL, path, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "form.pdf"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* A folder of its own for the subset fonts, to see them gone: set
   * before GLib reads TMPDIR. */
  tmp_dir = g_build_filename (g_getenv ("TMPDIR") ? g_getenv ("TMPDIR") : "/tmp", "test-form-render-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (tmp_dir));
  g_setenv ("TMPDIR", tmp_dir, TRUE);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/form-render/fixture-pdf", test_fixture_pdf);
  g_test_add_func ("/form-render/boxes-and-hints", test_boxes_and_hints);
  g_test_add_func ("/form-render/example-school", test_example_school);
  g_test_add_func ("/form-render/texts-at-limit", test_texts_at_limit);
  g_test_add_func ("/form-render/everything-long", test_everything_long);
  g_test_add_func ("/form-render/blank", test_blank);
  g_test_add_func ("/form-render/signed", test_signed);
  g_test_add_func ("/form-render/preview-and-reproducible", test_preview_and_reproducible);
  g_test_add_func ("/form-render/subset-same-drawing", test_subset_same_drawing);
  g_test_add_func ("/form-render/subset-fallback", test_subset_fallback);
  g_test_add_func ("/form-render/check-reports", test_check_reports);
  g_test_add_func ("/form-render/write-error", test_write_error);

  status = g_test_run ();
  g_rmdir (tmp_dir);
  return status;
}
