/* export-pdf.c: the intent form as PDF from the command line, against
 * LibreOffice converting a Word file of the same filled form (issue 4)
 *
 *   bench-export-pdf --prepare --database DB --fodt FORM.fodt
 *   bench-export-pdf --count-json FORM.json
 *   bench-export-pdf --database DB --docx FORM.docx [--rounds N]
 *                    [--app PATH] [--soffice-bin PATH] [--soffice PATH]
 *                    [--timeout S] [--keep]
 *
 * Goal: "≤ 0.1× its time and ≤ 0.5× its peak memory."
 *
 * --prepare saves the two 500-character texts below as the office's edits
 * of fields 8 and 9 (td_form_save_edit(), as the form page does) in a
 * database that already holds the example school, and writes the filled
 * form as a Flat ODT with the attachment's layout; bench/export-pdf turns
 * that into the .docx with LibreOffice, once, untimed.
 *
 * --count-json prints the length of the two texts in training-desk's
 * --export-json output, in characters as the form counts them; exit
 * status 1 unless both are 500.
 *
 * The run: one uncounted conversion through the launcher with an empty
 * LibreOffice profile (reported: the first conversion a user ever makes,
 * profile creation included), one uncounted warm-up of each, then N rounds
 * of (a) `training-desk --database DB --export-pdf OUT.pdf`, (b)
 * `soffice.bin --headless --convert-to pdf --outdir DIR FORM.docx` and (c)
 * the same through /usr/bin/soffice, both with the now warm profile, the
 * order rotated each round. Every run is a new process; its time is from
 * just before posix_spawn() to its exit (wait4(), CLOCK_MONOTONIC), its
 * memory ru_maxrss from wait4(): the largest peak RSS of the process and of
 * every descendant it waited for. The runner is a child subreaper, so a
 * descendant that outlives its parent is waited for too, counted ("strays")
 * and its peak taken if larger: soffice.bin starts paperconf, gpgconf and
 * gpg through double forks, each a few MiB and gone long before its own
 * peak. The goals are judged against (b): /usr/bin/soffice is a shell
 * script that execs oosplash, which starts soffice.bin and waits for it, so
 * (c) is the same work plus the launcher.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-export-pdf"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "td-campaign.h"
#include "td-form.h"
#include "td-record-kind.h"
#include "td-store.h"
#include "td-validate.h"

extern char **environ;

/* The goals. */
#define GOAL_TIME_RATIO 0.1
#define GOAL_RSS_RATIO 0.5

#define SOFFICE_BIN "/usr/lib/libreoffice/program/soffice.bin"
#define SOFFICE_LAUNCHER "/usr/bin/soffice"

/* Fields 8 and 9 at the form's limit, 500 characters each: the example
 * school's drafts (as drafted in 2026, for 2023–2025) carried on by hand,
 * as an office would. */
static const char capacity_text[] =
  "师资方面，学校现有培训教师300人，其中专职165人、兼职47人、企业专家88人；具有高级职称125人"
  "（正高级43人、副高级82人）、中级职称88人；“双师型”教师138人，占46.0%。设备方面，拥有培训设备"
  "4832台（套），共600种，总值约6208.1万元。场所方面，拥有培训场所30处（实训基地12处、车间12处、"
  "教室5间、线上平台1个），总面积23250平方米，可同时容纳3880人参加培训。制度保障方面，制定了"
  "《培训档案管理制度》《培训学员管理规定》《兼职教师和企业专家聘用管理办法》《培训质量监控制度》"
  "《职业培训管理办法》《校企合作培训管理办法》《培训经费使用管理办法》《线上培训管理办法》"
  "《培训教师绩效考核办法》《职业技能培训补贴资金管理办法》《实训设备使用与维护管理制度》"
  "《实训场所安全管理制度》等12项制度，保障培训规范有序开展。学校设有职业培训中心，配备专职管理"
  "人员8人，建立学校、系部两级培训管理体系；与42家企业共建校外实训基地，开发培训课程186门，建有"
  "“互联网+培训”线上平台，可开展线上线下相结合的培训；培训经费单独核算、专款专用，每期培训均开展"
  "满意度测评和质量跟踪。";

static const char results_text[] =
  "2023—2025年，学校共开展职业培训757期、培训23086人次，完成培训量2301168人·学时，折合全日制"
  "学生1917.6人。其中企业职工技能培训9331人次，重点人群的就业创业培训8836人次，失业人员再就业"
  "培训4919人次。学员取得职业资格或职业技能等级证书19938人，取证率86.4%；培训后实现就业19451人，"
  "就业率84.3%。分年度看，2023年7607人次、2024年8108人次、2025年7371人次。学员满意度平均为"
  "90.0%。主要培训项目有退役军人网络与信息安全管理就业技能培训、加工中心操作岗位技能提升培训、"
  "分流职工跨境电商B2B数据运营就业技能培训、残疾人社区康复护理就业技能培训、网店运营推广企业新型"
  "学徒制培训、计算机程序设计岗位技能提升培训、分流职工家政服务员就业技能培训、脱贫劳动力直播电商"
  "就业技能培训、分流职工急救与心肺复苏就业技能培训、网店运营推广再就业培训、二氧化碳气体保护焊"
  "再就业培训、电商视觉设计企业新型学徒制培训等。先后与山东舜和酒店集团有限公司、济南市就业创业"
  "服务中心、济南市残疾人联合会、山东大学就业指导中心等单位合作开展订单培训，成效明显。";

/* ------------------------------------------------------------------ */
/* --prepare: the texts, and the form as a Flat ODT                     */

/* Paragraphs of @text (one per line) in @style, escaped. */
static void
append_paragraphs (GString    *out,
                   const char *style,
                   const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text ? text : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *escaped = g_markup_escape_text (lines[i], -1);

      g_string_append_printf (out, "<text:p text:style-name=\"%s\">%s</text:p>", style, escaped);
    }
}

static void
append_cell (GString    *out,
             const char *cell_style,
             guint       span,
             const char *paragraphs)
{
  g_string_append_printf (out, "<table:table-cell table:style-name=\"%s\" office:value-type=\"string\"", cell_style);
  if (span > 1)
    g_string_append_printf (out, " table:number-columns-spanned=\"%u\"", span);
  g_string_append_printf (out, ">%s</table:table-cell>", paragraphs);
  for (guint i = 1; i < span; i++)
    g_string_append (out, "<table:covered-table-cell/>");
}

/* A row of the label and one value across the other three columns. */
static void
append_row (GString    *out,
            const char *row_style,
            const char *label_paragraphs,
            const char *value_paragraphs)
{
  g_string_append_printf (out, "<table:table-row table:style-name=\"%s\">", row_style);
  append_cell (out, "Cell", 1, label_paragraphs);
  append_cell (out, "CellValue", 3, value_paragraphs);
  g_string_append (out, "</table:table-row>\n");
}

static char *
paragraphs (const char *style,
            const char *text)
{
  GString *out = g_string_new (NULL);

  append_paragraphs (out, style, text);
  return g_string_free (out, FALSE);
}

static const char fodt_head[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<office:document xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\"\n"
  " xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\"\n"
  " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"\n"
  " xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\"\n"
  " xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\"\n"
  " xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\"\n"
  " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
  " xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\"\n"
  " office:version=\"1.3\" office:mimetype=\"application/vnd.oasis.opendocument.text\">\n"
  "<office:meta><dc:title>可承担和开展的职业培训意向表</dc:title>"
  "<meta:initial-creator>%s</meta:initial-creator></office:meta>\n"
  "<office:font-face-decls>\n"
  " <style:font-face style:name=\"Noto Serif CJK SC\" svg:font-family=\"'Noto Serif CJK SC'\" style:font-family-generic=\"roman\"/>\n"
  " <style:font-face style:name=\"Noto Sans CJK SC\" svg:font-family=\"'Noto Sans CJK SC'\" style:font-family-generic=\"swiss\"/>\n"
  "</office:font-face-decls>\n"
  "<office:styles>\n"
  " <style:default-style style:family=\"paragraph\">\n"
  "  <style:paragraph-properties fo:line-height=\"125%%\"/>\n"
  "  <style:text-properties style:font-name=\"Noto Serif CJK SC\" fo:font-size=\"10.5pt\""
  " style:font-name-asian=\"Noto Serif CJK SC\" style:font-size-asian=\"10.5pt\""
  " fo:language=\"zh\" fo:country=\"CN\" style:language-asian=\"zh\" style:country-asian=\"CN\"/>\n"
  " </style:default-style>\n"
  " <style:style style:name=\"Standard\" style:family=\"paragraph\" style:class=\"text\"/>\n"
  "</office:styles>\n"
  "<office:automatic-styles>\n"
  " <style:page-layout style:name=\"pm1\">\n"
  "  <style:page-layout-properties fo:page-width=\"210mm\" fo:page-height=\"297mm\" style:print-orientation=\"portrait\""
  " fo:margin-top=\"22mm\" fo:margin-bottom=\"12mm\" fo:margin-left=\"25mm\" fo:margin-right=\"25mm\"/>\n"
  "  <style:footer-style><style:header-footer-properties fo:min-height=\"6mm\" fo:margin-top=\"2mm\"/></style:footer-style>\n"
  " </style:page-layout>\n"
  " <style:style style:name=\"Attachment\" style:family=\"paragraph\">"
  "<style:paragraph-properties fo:margin-bottom=\"4mm\"/>"
  "<style:text-properties style:font-name=\"Noto Sans CJK SC\" style:font-name-asian=\"Noto Sans CJK SC\""
  " fo:font-size=\"14pt\" style:font-size-asian=\"14pt\"/></style:style>\n"
  " <style:style style:name=\"Title\" style:family=\"paragraph\">"
  "<style:paragraph-properties fo:text-align=\"center\" fo:margin-bottom=\"6mm\"/>"
  "<style:text-properties fo:font-size=\"18pt\" style:font-size-asian=\"18pt\""
  " fo:font-weight=\"bold\" style:font-weight-asian=\"bold\"/></style:style>\n"
  " <style:style style:name=\"Label\" style:family=\"paragraph\">"
  "<style:paragraph-properties fo:text-align=\"center\"/>"
  "<style:text-properties style:font-name=\"Noto Sans CJK SC\" style:font-name-asian=\"Noto Sans CJK SC\"/></style:style>\n"
  " <style:style style:name=\"LabelSmall\" style:family=\"paragraph\">"
  "<style:paragraph-properties fo:text-align=\"center\"/>"
  "<style:text-properties style:font-name=\"Noto Sans CJK SC\" style:font-name-asian=\"Noto Sans CJK SC\""
  " fo:font-size=\"8pt\" style:font-size-asian=\"8pt\"/></style:style>\n"
  " <style:style style:name=\"Value\" style:family=\"paragraph\">"
  "<style:paragraph-properties fo:text-align=\"justify\"/></style:style>\n"
  " <style:style style:name=\"ValueRight\" style:family=\"paragraph\">"
  "<style:paragraph-properties fo:text-align=\"end\" fo:margin-right=\"6mm\"/></style:style>\n"
  " <style:style style:name=\"Footnote\" style:family=\"paragraph\">"
  "<style:paragraph-properties fo:margin-top=\"2mm\"/></style:style>\n"
  " <style:style style:name=\"Footer\" style:family=\"paragraph\">"
  "<style:paragraph-properties fo:text-align=\"center\"/>"
  "<style:text-properties fo:font-size=\"9pt\" style:font-size-asian=\"9pt\"/></style:style>\n"
  " <style:style style:name=\"Underline\" style:family=\"text\">"
  "<style:text-properties style:text-underline-style=\"solid\" style:text-underline-width=\"auto\""
  " style:text-underline-color=\"font-color\"/></style:style>\n"
  " <style:style style:name=\"Form\" style:family=\"table\">"
  "<style:table-properties style:width=\"160mm\" table:align=\"margins\"/></style:style>\n"
  " <style:style style:name=\"Form.A\" style:family=\"table-column\">"
  "<style:table-column-properties style:column-width=\"34mm\"/></style:style>\n"
  " <style:style style:name=\"Form.B\" style:family=\"table-column\">"
  "<style:table-column-properties style:column-width=\"51mm\"/></style:style>\n"
  " <style:style style:name=\"Form.C\" style:family=\"table-column\">"
  "<style:table-column-properties style:column-width=\"24mm\"/></style:style>\n"
  " <style:style style:name=\"Form.D\" style:family=\"table-column\">"
  "<style:table-column-properties style:column-width=\"51mm\"/></style:style>\n"
  " <style:style style:name=\"Row\" style:family=\"table-row\">"
  "<style:table-row-properties style:min-row-height=\"10mm\"/></style:style>\n"
  " <style:style style:name=\"RowLong\" style:family=\"table-row\">"
  "<style:table-row-properties style:min-row-height=\"36mm\"/></style:style>\n"
  " <style:style style:name=\"Cell\" style:family=\"table-cell\">"
  "<style:table-cell-properties fo:border=\"0.75pt solid #000000\" fo:padding=\"1.8mm\""
  " style:vertical-align=\"middle\"/></style:style>\n"
  " <style:style style:name=\"CellValue\" style:family=\"table-cell\">"
  "<style:table-cell-properties fo:border=\"0.75pt solid #000000\" fo:padding=\"1.8mm\""
  " style:vertical-align=\"middle\"/></style:style>\n"
  " <style:style style:name=\"CellTop\" style:family=\"table-cell\">"
  "<style:table-cell-properties fo:border=\"0.75pt solid #000000\" fo:padding=\"1.8mm\""
  " style:vertical-align=\"top\"/></style:style>\n"
  "</office:automatic-styles>\n"
  "<office:master-styles>\n"
  " <style:master-page style:name=\"Standard\" style:page-layout-name=\"pm1\">"
  "<style:footer><text:p text:style-name=\"Footer\">第<text:page-number text:select-page=\"current\">1</text:page-number>页"
  "\u3000共<text:page-count>1</text:page-count>页</text:p></style:footer></style:master-page>\n"
  "</office:master-styles>\n"
  "<office:body><office:text>\n"
  "<text:p text:style-name=\"Attachment\">附件</text:p>\n"
  "<text:p text:style-name=\"Title\">%s</text:p>\n"
  "<table:table table:name=\"意向表\" table:style-name=\"Form\">\n"
  "<table:table-column table:style-name=\"Form.A\"/><table:table-column table:style-name=\"Form.B\"/>"
  "<table:table-column table:style-name=\"Form.C\"/><table:table-column table:style-name=\"Form.D\"/>\n";

/* The filled form, as the attachment lays it out, in a Flat ODT. */
static char *
form_to_fodt (TdForm     *form,
              TdCampaign *campaign)
{
  const TdRecordKind *kind = td_record_kind_lookup ("programmes");
  const TdChoice *choices = kind->fields[td_record_kind_field_index (kind, "category")].choices;
  const char *title = td_campaign_get_title (campaign);
  const char *footnote;
  g_autofree char *school = g_markup_escape_text (td_form_get (form, TD_FORM_NAME), -1);
  g_autofree char *title_escaped = g_markup_escape_text (title && title[0] ? title : "可承担和开展的职业培训意向表", -1);
  GString *out = g_string_new (NULL);
  GString *boxes = g_string_new (NULL);
  g_autofree char *label = NULL, *value = NULL, *address = NULL, *contact = NULL;

#define ROW(row_style, label_text, value_text)                                   \
  G_STMT_START {                                                                 \
    g_autofree char *l_ = paragraphs ("Label", label_text);                      \
    g_autofree char *v_ = paragraphs ("Value", value_text);                      \
    append_row (out, row_style, l_, v_);                                         \
  } G_STMT_END

  g_string_append_printf (out, fodt_head, school, title_escaped);

  ROW ("Row", "单位名称", td_form_get (form, TD_FORM_NAME));
  ROW ("Row", "主管部门", td_form_get (form, TD_FORM_AUTHORITY));
  address = g_strconcat (td_form_get (form, TD_FORM_CITY), "\u3000", td_form_get (form, TD_FORM_COUNTY),
                         "\u3000", td_form_get (form, TD_FORM_STREET), NULL);
  ROW ("Row", "单位地址", address);
  ROW ("Row", "邮政编码", td_form_get (form, TD_FORM_POSTAL_CODE));

  /* 5: four cells. */
  contact = g_strconcat (td_form_get (form, TD_FORM_PHONE), "\n", td_form_get (form, TD_FORM_EMAIL), NULL);
  g_string_append (out, "<table:table-row table:style-name=\"Row\">");
  label = paragraphs ("Label", "联系人");
  append_cell (out, "Cell", 1, label);
  g_clear_pointer (&label, g_free);
  value = paragraphs ("Value", td_form_get (form, TD_FORM_CONTACT_NAME));
  append_cell (out, "CellValue", 1, value);
  g_clear_pointer (&value, g_free);
  label = paragraphs ("Label", "联系方式");
  append_cell (out, "Cell", 1, label);
  g_clear_pointer (&label, g_free);
  value = paragraphs ("Value", contact);
  append_cell (out, "CellValue", 1, value);
  g_clear_pointer (&value, g_free);
  g_string_append (out, "</table:table-row>\n");

  /* 6: the three boxes, ☑ or □. */
  for (guint i = 0; choices[i].id; i++)
    g_string_append_printf (boxes, "%s%s%s", i ? "\u3000\u3000" : "",
                            td_form_has_category (form, choices[i].id) ? "☑" : "□", choices[i].header);
  ROW ("Row", "拟承担培训项目\n类别（可多选）", boxes->str);
  g_string_free (boxes, TRUE);

  ROW ("Row", "主要培训领域", td_form_get (form, TD_FORM_FIELDS));

  /* 8, 9: the big boxes, with the small print under the label. */
  label = g_strconcat ("<text:p text:style-name=\"Label\">培训能力简述</text:p>"
                       "<text:p text:style-name=\"LabelSmall\">（包括师资、设备、场所、制度保障等，500字以内）</text:p>",
                       NULL);
  value = paragraphs ("Value", td_form_get (form, TD_FORM_CAPACITY));
  append_row (out, "RowLong", label, value);
  g_clear_pointer (&label, g_free);
  g_clear_pointer (&value, g_free);
  label = g_strconcat ("<text:p text:style-name=\"Label\">近三年来主要</text:p>"
                       "<text:p text:style-name=\"Label\">培训业绩</text:p>"
                       "<text:p text:style-name=\"LabelSmall\">（包括培训项目、规模、效果等，尽可能量化，500字以内）</text:p>",
                       NULL);
  value = paragraphs ("Value", td_form_get (form, TD_FORM_RESULTS));
  append_row (out, "RowLong", label, value);
  g_clear_pointer (&label, g_free);
  g_clear_pointer (&value, g_free);

  /* 10: signature, seal and date, left blank to be signed by hand. */
  label = paragraphs ("Label", "申报单位意见");
  value = g_strdup ("<text:p text:style-name=\"Value\"/>"
                    "<text:p text:style-name=\"Value\">法定代表人签字：<text:span text:style-name=\"Underline\">"
                    "\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000</text:span>"
                    "\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000（单位公章）</text:p>"
                    "<text:p text:style-name=\"Value\"/>"
                    "<text:p text:style-name=\"ValueRight\">\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日</text:p>");
  g_string_append (out, "<table:table-row table:style-name=\"RowLong\">");
  append_cell (out, "Cell", 1, label);
  append_cell (out, "CellTop", 3, value);
  g_string_append (out, "</table:table-row>\n</table:table>\n");
  g_clear_pointer (&label, g_free);
  g_clear_pointer (&value, g_free);

  footnote = td_campaign_get_footnote (campaign);
  value = paragraphs ("Footnote", footnote && footnote[0] ? footnote : "备注：请认真填写，省教育厅将编制目录并提供至各相关部门。");
  g_string_append (out, value);
  g_string_append (out, "\n</office:text></office:body>\n</office:document>\n");
#undef ROW
  return g_string_free (out, FALSE);
}

static int
prepare (const char *database,
         const char *fodt)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = NULL;
  g_autoptr(TdCampaign) campaign = NULL;
  g_autoptr(TdForm) form = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *text = NULL;

  if (!(store = td_store_open (database, &error)) ||
      !(campaign = td_campaign_load_current (store, &error)) ||
      !(form = td_form_load (store, campaign, td_campaign_get_last_year (campaign), &error)) ||
      !td_form_save_edit (store, form, TD_FORM_CAPACITY, capacity_text, &error) ||
      !td_form_save_edit (store, form, TD_FORM_RESULTS, results_text, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_clear_object (&form);

  /* Read back as the command line will. */
  if (!(form = td_form_load (store, campaign, td_campaign_get_last_year (campaign), &error)))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  problems = td_form_check (form, campaign);
  for (guint i = 0; i < problems->len; i++)
    g_printerr ("form: %s\n", ((TdFormProblem *)g_ptr_array_index (problems, i))->message);
  if (problems->len > 0)
    return 1;
  g_print ("Saved fields 8 and 9 as the office's edits: %u and %u characters.\n",
           td_text_length (td_form_get (form, TD_FORM_CAPACITY)),
           td_text_length (td_form_get (form, TD_FORM_RESULTS)));

  text = form_to_fodt (form, campaign);
  if (!g_file_set_contents (fodt, text, -1, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_print ("Wrote %s\n", fodt);
  return 0;
}

static int
count_json (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  static const char *const members[] = { "capacity", "results" };
  JsonObject *object;
  int status = 0;

  if (!json_parser_load_from_file (parser, path, &error))
    {
      g_printerr ("%s: %s\n", path, error->message);
      return 2;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      const char *text = json_object_get_string_member_with_default (object, members[i], "");
      guint n = td_text_length (text);

      g_print ("%s: %u characters (%zu bytes)\n", members[i], n, strlen (text));
      if (n != TD_FORM_TEXT_LIMIT)
        status = 1;
    }
  return status;
}

/* ------------------------------------------------------------------ */
/* The run                                                             */

typedef struct
{
  const char  *label;
  char       **argv;
  const char  *output;      /* the PDF it must write */
  GArray      *times_us;    /* of gint64 */
  GArray      *rss_kib;     /* of gint64 */
  GArray      *cpu_us;      /* of gint64: user + system */
} Program;

static int timeout_s = 120;

/* One run, from before posix_spawn() to wait4(): wall time in µs, the
 * peak RSS in KiB, and the descendants left behind (waited for and
 * counted; their peak RSS goes into @maxrss_kib when larger), and the CPU
 * time, user and system, of the process and all its descendants. */
static gboolean
run_once (Program  *program,
          gint64   *elapsed_us,
          gint64   *maxrss_kib,
          gint64   *cpu_us,
          guint    *strays,
          GError  **error)
{
  g_autoptr(GString) output = g_string_new (NULL);
  posix_spawn_file_actions_t actions;
  struct rusage usage;
  gint64 start, end, deadline;
  gboolean killed = FALSE;
  int fds[2];
  int status, rc;
  pid_t pid, other;

  if (g_unlink (program->output) != 0 && errno != ENOENT)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "Could not remove %s: %s", program->output, g_strerror (errno));
      return FALSE;
    }
  if (!g_unix_open_pipe (fds, FD_CLOEXEC, error))
    return FALSE;

  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_adddup2 (&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2 (&actions, fds[1], STDERR_FILENO);

  start = g_get_monotonic_time ();
  rc = posix_spawn (&pid, program->argv[0], &actions, NULL, program->argv, environ);
  posix_spawn_file_actions_destroy (&actions);
  close (fds[1]);
  if (rc != 0)
    {
      close (fds[0]);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (rc),
                   "Could not start %s: %s", program->argv[0], g_strerror (rc));
      return FALSE;
    }

  /* Its output, until every process holding the pipe has closed it. */
  deadline = start + (gint64)timeout_s * G_USEC_PER_SEC;
  for (;;)
    {
      struct pollfd pfd = { fds[0], POLLIN, 0 };
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / 1000;
      char buf[4096];
      ssize_t n;

      if (left_ms <= 0)
        {
          kill (pid, SIGKILL);
          killed = TRUE;
          break;
        }
      rc = poll (&pfd, 1, (int)left_ms);
      if (rc <= 0)
        continue;
      n = read (fds[0], buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      g_string_append_len (output, buf, n);
    }
  close (fds[0]);

  while (wait4 (pid, &status, 0, &usage) < 0)
    if (errno != EINTR)
      {
        int saved_errno = errno;

        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     "wait4: %s", g_strerror (saved_errno));
        return FALSE;
      }
  end = g_get_monotonic_time ();
  *maxrss_kib = usage.ru_maxrss;   /* Linux: KiB */
#define TV_US(tv) ((gint64)(tv).tv_sec * G_USEC_PER_SEC + (tv).tv_usec)
  *cpu_us = TV_US (usage.ru_utime) + TV_US (usage.ru_stime);

  /* Descendants reparented to us (we are a subreaper): soffice.bin starts
   * helpers through a double fork. Waited for up to 10 s. */
  *strays = 0;
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  for (;;)
    {
      struct rusage stray_usage;
      int stray_status;

      other = wait4 (-1, &stray_status, WNOHANG, &stray_usage);
      if (other < 0 && errno == EINTR)
        continue;
      if (other < 0)
        break;
      if (other == 0)
        {
          if (g_get_monotonic_time () > deadline)
            {
              g_printerr ("%s left a process running\n", program->label);
              break;
            }
          g_usleep (1000);
          continue;
        }
      (*strays)++;
      *maxrss_kib = MAX (*maxrss_kib, stray_usage.ru_maxrss);
      *cpu_us += TV_US (stray_usage.ru_utime) + TV_US (stray_usage.ru_stime);
    }

  if (killed)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "%s did not finish within %d s", program->label, timeout_s);
      return FALSE;
    }
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%s failed (%s %d); its output: %s", program->label,
                   WIFEXITED (status) ? "exit status" : "signal",
                   WIFEXITED (status) ? WEXITSTATUS (status) : WTERMSIG (status),
                   output->str);
      return FALSE;
    }
  /* soffice exits 0 when it could not convert. */
  if (!g_file_test (program->output, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%s wrote no %s; its output: %s", program->label, program->output, output->str);
      return FALSE;
    }

  *elapsed_us = end - start;
  return TRUE;
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

  return (x > y) - (x < y);
}

/* Sorts @values. */
static double
median (GArray *values)
{
  guint n = values->len;

  g_array_sort (values, compare_int64);
  if (n == 0)
    return 0;
  if (n % 2 == 1)
    return g_array_index (values, gint64, n / 2);
  return (g_array_index (values, gint64, n / 2 - 1) + g_array_index (values, gint64, n / 2)) / 2.0;
}

static void
print_strays (guint strays)
{
  if (strays > 0)
    g_print ("   %u stray%s", strays, strays == 1 ? "" : "s");
  g_print ("\n");
}

/* The runner's temporary directories, removed on exit unless --keep. */
static char *temporary[2];

static void
remove_temporary (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (temporary); i++)
    if (temporary[i] != NULL)
      {
        g_autoptr(GSubprocess) rm = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, NULL,
                                                      "rm", "-rf", "--", temporary[i], NULL);

        if (rm != NULL)
          g_subprocess_wait (rm, NULL, NULL);
      }
}

static gboolean
run_reported (Program    *program,
              const char *what)
{
  g_autoptr(GError) error = NULL;
  gint64 us, kib, cpu;
  guint strays;

  if (!run_once (program, &us, &kib, &cpu, &strays, &error))
    {
      g_printerr ("%s: %s\n", what, error->message);
      return FALSE;
    }
  g_print ("%-20s %-14s %9.1f ms %8.1f MiB %9.1f ms", what, program->label, us / 1000.0, kib / 1024.0,
           cpu / 1000.0);
  print_strays (strays);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *app_path = g_strdup (BENCH_APP_PATH);
  g_autofree char *soffice_path = g_strdup (SOFFICE_BIN);
  g_autofree char *launcher_path = g_strdup (SOFFICE_LAUNCHER);
  g_autofree char *database = NULL, *docx = NULL, *fodt = NULL, *json = NULL;
  g_autofree char *work = NULL, *profile = NULL, *profile_uri = NULL, *profile_arg = NULL;
  g_autofree char *app_pdf = NULL, *lo_dir = NULL, *lo_pdf = NULL, *docx_base = NULL;
  gboolean prepare_mode = FALSE, keep = FALSE;
  int rounds = 11;
  const GOptionEntry entries[] = {
    { "prepare", 0, 0, G_OPTION_ARG_NONE, &prepare_mode, "Save the 500-character texts and write the form as Flat ODT", NULL },
    { "fodt", 0, 0, G_OPTION_ARG_FILENAME, &fodt, "The Flat ODT --prepare writes", "FILE" },
    { "count-json", 0, 0, G_OPTION_ARG_FILENAME, &json, "Count the texts in an --export-json file", "FILE" },
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database, "The database with the full form", "DB" },
    { "docx", 0, 0, G_OPTION_ARG_FILENAME, &docx, "The Word file of the same form", "FILE" },
    { "rounds", 'n', 0, G_OPTION_ARG_INT, &rounds, "Counted rounds (11)", "N" },
    { "app", 0, 0, G_OPTION_ARG_FILENAME, &app_path, "training-desk to run", "PATH" },
    { "soffice-bin", 0, 0, G_OPTION_ARG_FILENAME, &soffice_path, "LibreOffice itself (" SOFFICE_BIN ")", "PATH" },
    { "soffice", 0, 0, G_OPTION_ARG_FILENAME, &launcher_path, "Its launcher (" SOFFICE_LAUNCHER ")", "PATH" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s, "Seconds a run may take (120)", "S" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the PDFs and the LibreOffice profile", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  Program programs[3];
  double med_time[3], med_rss[3], med_cpu[3], time_ratio, rss_ratio;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "Times training-desk --export-pdf of the full intent form against LibreOffice\n"
                                "converting a Word file of the same form to PDF (see bench/export-pdf).");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (json != NULL)
    return count_json (json);
  if (prepare_mode)
    {
      if (database == NULL || fodt == NULL)
        {
          g_printerr ("Usage: %s --prepare --database DB --fodt FORM.fodt\n", g_get_prgname ());
          return 2;
        }
      return prepare (database, fodt);
    }
  if (database == NULL || docx == NULL || rounds < 1)
    {
      g_printerr ("Usage: %s --database DB --docx FORM.docx [--rounds N]\n", g_get_prgname ());
      return 2;
    }

  /* Descendants that outlive their parent come to us, to be counted. */
  if (prctl (PR_SET_CHILD_SUBREAPER, 1) != 0)
    g_printerr ("prctl(PR_SET_CHILD_SUBREAPER): %s\n", g_strerror (errno));

  if (!(work = g_dir_make_tmp ("bench-export-pdf-XXXXXX", &error)) ||
      !(profile = g_dir_make_tmp ("lo-profile-XXXXXX", &error)))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (!keep)
    {
      temporary[0] = g_strdup (work);
      temporary[1] = g_strdup (profile);
      atexit (remove_temporary);
    }
  profile_uri = g_filename_to_uri (profile, NULL, NULL);
  profile_arg = g_strconcat ("-env:UserInstallation=", profile_uri, NULL);
  app_pdf = g_build_filename (work, "training-desk.pdf", NULL);
  lo_dir = g_build_filename (work, "libreoffice", NULL);
  docx_base = g_path_get_basename (docx);
  if (g_str_has_suffix (docx_base, ".docx"))
    docx_base[strlen (docx_base) - 5] = '\0';
  lo_pdf = g_strdup_printf ("%s/%s.pdf", lo_dir, docx_base);
  g_mkdir (lo_dir, 0700);

  programs[0] = (Program) {
    "training-desk",
    (char *[]) { app_path, "--database", database, "--export-pdf", app_pdf, NULL },
    app_pdf,
    g_array_new (FALSE, FALSE, sizeof (gint64)),
    g_array_new (FALSE, FALSE, sizeof (gint64)),
    g_array_new (FALSE, FALSE, sizeof (gint64)),
  };
  programs[1] = (Program) {
    "soffice.bin",
    (char *[]) { soffice_path, profile_arg, "--headless", "--norestore", "--convert-to", "pdf",
                 "--outdir", lo_dir, docx, NULL },
    lo_pdf,
    g_array_new (FALSE, FALSE, sizeof (gint64)),
    g_array_new (FALSE, FALSE, sizeof (gint64)),
    g_array_new (FALSE, FALSE, sizeof (gint64)),
  };
  programs[2] = (Program) {
    "soffice",
    (char *[]) { launcher_path, profile_arg, "--headless", "--norestore", "--convert-to", "pdf",
                 "--outdir", lo_dir, docx, NULL },
    lo_pdf,
    g_array_new (FALSE, FALSE, sizeof (gint64)),
    g_array_new (FALSE, FALSE, sizeof (gint64)),
    g_array_new (FALSE, FALSE, sizeof (gint64)),
  };

  g_print ("app:         %s --database %s --export-pdf OUT.pdf\n", app_path, database);
  g_print ("LibreOffice: %s and %s, --convert-to pdf %s\n", soffice_path, launcher_path, docx);
  g_print ("profile:     %s\n", profile);
  g_print ("output:      %s\n\n", work);

  /* Not counted: the first conversion with an empty profile, through the
   * launcher (soffice.bin asks for a restart, exit status 81, once it has
   * made the profile; oosplash restarts it), then one warm-up of each. */
  if (!run_reported (&programs[2], "cold profile (once)"))
    return 1;
  for (guint p = 0; p < G_N_ELEMENTS (programs); p++)
    if (!run_reported (&programs[p], "warm-up"))
      return 1;

  g_print ("\n%-6s %-14s %12s %12s %12s   (strays: descendants left to us, waited for)\n",
           "round", "program", "time", "peak RSS", "CPU time");
  for (int r = 0; r < rounds; r++)
    /* Rotate which goes first, so none always follows another. */
    for (guint k = 0; k < G_N_ELEMENTS (programs); k++)
      {
        Program *program = &programs[(k + r) % G_N_ELEMENTS (programs)];
        gint64 us, kib, cpu;
        guint strays;

        if (!run_once (program, &us, &kib, &cpu, &strays, &error))
          {
            g_printerr ("Round %d: %s\n", r + 1, error->message);
            return 1;
          }
        g_array_append_val (program->times_us, us);
        g_array_append_val (program->rss_kib, kib);
        g_array_append_val (program->cpu_us, cpu);
        g_print ("%-6d %-14s %9.1f ms %8.1f MiB %9.1f ms", r + 1, program->label, us / 1000.0, kib / 1024.0,
                 cpu / 1000.0);
        print_strays (strays);
      }

  g_print ("\n%2d rounds     |  time: median |    min |    max | peak RSS MiB: median |   min |   max | CPU ms: median\n",
           rounds);
  for (guint p = 0; p < G_N_ELEMENTS (programs); p++)
    {
      GArray *times = programs[p].times_us;
      GArray *rss = programs[p].rss_kib;

      med_time[p] = median (times) / 1000.0;
      med_rss[p] = median (rss) / 1024.0;
      med_cpu[p] = median (programs[p].cpu_us) / 1000.0;
      g_print ("%-13s | %10.1f ms | %6.1f | %6.1f | %20.1f | %5.1f | %5.1f | %14.1f\n", programs[p].label,
               med_time[p],
               g_array_index (times, gint64, 0) / 1000.0,
               g_array_index (times, gint64, times->len - 1) / 1000.0,
               med_rss[p],
               g_array_index (rss, gint64, 0) / 1024.0,
               g_array_index (rss, gint64, rss->len - 1) / 1024.0,
               med_cpu[p]);
    }

  /* The goals against soffice.bin, the faster of the two ways to run it. */
  time_ratio = med_time[0] / med_time[1];
  rss_ratio = med_rss[0] / med_rss[1];
  g_print ("\ntime, ratio of medians (training-desk / soffice.bin): %.3f (goal <= %.1f): %s\n",
           time_ratio, GOAL_TIME_RATIO, time_ratio <= GOAL_TIME_RATIO ? "met" : "MISSED");
  g_print ("peak RSS, ratio of medians (training-desk / soffice.bin): %.3f (goal <= %.1f): %s\n",
           rss_ratio, GOAL_RSS_RATIO, rss_ratio <= GOAL_RSS_RATIO ? "met" : "MISSED");
  g_print ("against the soffice command: time %.3f, peak RSS %.3f\n",
           med_time[0] / med_time[2], med_rss[0] / med_rss[2]);
  g_print ("CPU time (user + system), ratio of medians, for information: %.3f\n", med_cpu[0] / med_cpu[1]);

  if (keep)
    g_print ("\nKept %s and %s\n", work, profile);

  for (guint p = 0; p < G_N_ELEMENTS (programs); p++)
    {
      g_array_unref (programs[p].times_us);
      g_array_unref (programs[p].rss_kib);
      g_array_unref (programs[p].cpu_us);
    }
  return 0;
}
