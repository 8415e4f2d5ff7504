/* td-web-catalogue.c: /catalogue, the schools' latest forms on the web
 *
 *   GET /catalogue?q=&city=&county=&category=&field=&page=   the list
 *   GET /catalogue/export.csv?…, /catalogue/export.xlsx?…     the same selection
 *   GET /catalogue/school/ID                                   a school's form
 *   GET /catalogue/school/ID/form.pdf                          its signed PDF
 *
 * Server-rendered HTML, no script: a form of filters (GET, so a selection
 * is a link), TD_WEB_CATALOGUE_PAGE schools a page, the two long texts cut
 * to their start, so a page stays well under 100 KB whatever the
 * catalogue's size (bench/catalogue.c). Behind a read token when the
 * province gives one (--catalogue-token-file): ?token=… once, then a
 * cookie.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-receiver"

#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include "td-csv.h"
#include "td-receiver-db-web.h"
#include "td-form-json.h"
#include "td-signing-key.h"
#include "td-web-site-private.h"
#include "td-xlsx.h"

#define TD_WEB_CATALOGUE_PAGE 50
/* A filter's value, in characters, at most. */
#define TD_WEB_CATALOGUE_MAX_TERM 100

typedef struct
{
  TdCatalogueQuery query;
  guint            page;     /* from 1 */
} TdWebCatalogueSelection;

static const struct
{
  TdFormField  field;
  const char  *zh;
  const char  *en;
} td_web_catalogue_labels[] = {
  { TD_FORM_NAME, "单位名称", "Name" },
  { TD_FORM_AUTHORITY, "主管部门", "Supervising authority" },
  { TD_FORM_CITY, "市", "City" },
  { TD_FORM_COUNTY, "县（市）区", "County" },
  { TD_FORM_STREET, "地址", "Address" },
  { TD_FORM_POSTAL_CODE, "邮政编码", "Postal code" },
  { TD_FORM_CONTACT_NAME, "联系人", "Contact" },
  { TD_FORM_PHONE, "联系电话", "Phone" },
  { TD_FORM_EMAIL, "电子邮箱", "E-mail" },
  { TD_FORM_CATEGORIES, "拟承担培训项目类别", "Training categories" },
  { TD_FORM_FIELDS, "主要培训领域", "Training fields" },
  { TD_FORM_CAPACITY, "培训能力简述", "Training capacity" },
  { TD_FORM_RESULTS, "近三年来主要培训业绩", "Results of the last three years" },
  { TD_FORM_LEGAL_REPRESENTATIVE, "法定代表人", "Legal representative" },
};

/* The read token: from ?token= (then kept in a cookie) or the cookie. */
static gboolean
td_web_catalogue_token_ok (TdWebRequest *request,
                           gboolean     *from_query)
{
  const char *expected = request->site->catalogue_token;
  const char *given = td_web_request_param (request, "token");
  guchar a[crypto_hash_sha256_BYTES], b[crypto_hash_sha256_BYTES];

  *from_query = given != NULL;
  if (expected == NULL)
    return TRUE;
  if (given == NULL)
    given = td_web_request_cookie (request, "td_read");
  if (given == NULL)
    return FALSE;
  /* Compared in constant time, as hashes of the same length. */
  crypto_hash_sha256 (a, (const guchar *)expected, strlen (expected));
  crypto_hash_sha256 (b, (const guchar *)given, strlen (given));
  return sodium_memcmp (a, b, sizeof a) == 0;
}

static TdWebResponse *
td_web_catalogue_token_page (TdWebRequest *request)
{
  TdWebLang lang = request->lang;
  GString *page = g_string_new (NULL);
  TdWebResponse *response;

  td_web_page_begin (page, lang, TD_WEB_T (lang, "培训机构目录", "Catalogue of training providers"), "catalogue");
  g_string_append_printf (page,
                          "<p class=\"error\">%s</p>\n<div class=\"panel\"><form method=\"get\" action=\"/catalogue\">"
                          "<label for=\"token\">%s</label><input id=\"token\" name=\"token\" type=\"password\" "
                          "autocomplete=\"off\" required><button type=\"submit\">%s</button></form></div>\n",
                          TD_WEB_T (lang, "查阅目录需要省教育厅发放的查阅令牌。",
                                    "Reading the catalogue needs the read token the province gives."),
                          TD_WEB_T (lang, "查阅令牌", "Read token"), TD_WEB_T (lang, "查阅", "Open"));
  td_web_page_end (page, lang);
  response = td_web_response_html (SOUP_STATUS_UNAUTHORIZED, page);
  return response;
}

/* A filter's value: NULL when absent or blank, FALSE when too long. */
static gboolean
td_web_catalogue_term (TdWebRequest  *request,
                       const char    *name,
                       const char   **value)
{
  const char *v = td_web_request_param (request, name);

  if (request->query && g_hash_table_lookup (request->query, name) && v == NULL)
    return FALSE;   /* not UTF-8 */
  if (v && g_utf8_strlen (v, -1) > TD_WEB_CATALOGUE_MAX_TERM)
    return FALSE;
  *value = v && v[strspn (v, " \t")] ? v : NULL;
  return TRUE;
}

static gboolean
td_web_catalogue_selection (TdWebRequest            *request,
                            TdWebCatalogueSelection *selection)
{
  const char *page = td_web_request_param (request, "page");
  const char *category = NULL;
  guint64 n = 1;

  memset (selection, 0, sizeof *selection);
  selection->query.state = -1;
  selection->query.sent_only = TRUE;
  if (!td_web_catalogue_term (request, "q", &selection->query.text) ||
      !td_web_catalogue_term (request, "city", &selection->query.city) ||
      !td_web_catalogue_term (request, "county", &selection->query.county) ||
      !td_web_catalogue_term (request, "category", &category) ||
      !td_web_catalogue_term (request, "field", &selection->query.field))
    return FALSE;
  if (category && td_catalogue_category_name (category, FALSE) == NULL)
    return FALSE;
  selection->query.category = category;
  if (page && (!g_ascii_string_to_unsigned (page, 10, 1, 100000, &n, NULL)))
    return FALSE;
  selection->page = (guint)n;
  return TRUE;
}

/* The selection as a query string, escaped for an attribute. */
static void
td_web_catalogue_append_query (GString                       *out,
                               const TdWebCatalogueSelection *selection,
                               guint                          page)
{
  const struct { const char *name; const char *value; } terms[] = {
    { "q", selection->query.text },
    { "city", selection->query.city },
    { "county", selection->query.county },
    { "category", selection->query.category },
    { "field", selection->query.field },
  };
  gboolean first = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (terms); i++)
    if (terms[i].value)
      {
        g_string_append_printf (out, "%s%s=", first ? "?" : "&amp;", terms[i].name);
        td_web_escape_uri (out, terms[i].value);
        first = FALSE;
      }
  if (page > 1)
    g_string_append_printf (out, "%spage=%u", first ? "?" : "&amp;", page);
}

static void
td_web_catalogue_select (GString    *out,
                         const char *id,
                         const char *label,
                         const char *any,
                         GPtrArray  *values,
                         const char *chosen)
{
  g_string_append_printf (out, "<div><label for=\"%s\">%s</label><select id=\"%s\" name=\"%s\">"
                               "<option value=\"\">%s</option>", id, label, id, id, any);
  for (guint i = 0; i < values->len; i++)
    {
      g_string_append (out, "<option value=\"");
      td_web_escape (out, values->pdata[i]);
      g_string_append_printf (out, "\"%s>", g_strcmp0 (chosen, values->pdata[i]) == 0 ? " selected" : "");
      td_web_escape (out, values->pdata[i]);
      g_string_append (out, "</option>");
    }
  g_string_append (out, "</select></div>\n");
}

static void
td_web_catalogue_filters (GString                       *out,
                          TdWebRequest                  *request,
                          const TdWebCatalogueSelection *selection)
{
  TdWebLang lang = request->lang;
  TdCatalogue *catalogue = request->site->catalogue;
  g_autoptr(GPtrArray) cities = td_catalogue_cities (catalogue);
  g_autoptr(GPtrArray) counties = td_catalogue_counties (catalogue, selection->query.city
                                                                    ? selection->query.city : "");
  const char * const *ids = td_catalogue_category_ids ();

  g_string_append (out, "<form class=\"filters\" method=\"get\" action=\"/catalogue\" role=\"search\">\n"
                        "<div class=\"q\"><label for=\"q\">");
  g_string_append (out, TD_WEB_T (lang, "搜索（学校名称、地区、领域、能力、业绩……）",
                                  "Search (school, place, field, capacity, results…)"));
  g_string_append (out, "</label><input id=\"q\" name=\"q\" type=\"search\" maxlength=\"100\" value=\"");
  td_web_escape (out, selection->query.text);
  g_string_append (out, "\"></div>\n");
  td_web_catalogue_select (out, "city", TD_WEB_T (lang, "市", "City"), TD_WEB_T (lang, "全部", "All"),
                           cities, selection->query.city);
  if (selection->query.city)
    td_web_catalogue_select (out, "county", TD_WEB_T (lang, "县（市）区", "County"),
                             TD_WEB_T (lang, "全部", "All"), counties, selection->query.county);
  else
    {
      g_string_append_printf (out, "<div><label for=\"county\">%s</label><input id=\"county\" name=\"county\" "
                                   "maxlength=\"100\" value=\"", TD_WEB_T (lang, "县（市）区", "County"));
      td_web_escape (out, selection->query.county);
      g_string_append (out, "\"></div>\n");
    }
  g_string_append_printf (out, "<div><label for=\"category\">%s</label><select id=\"category\" name=\"category\">"
                               "<option value=\"\">%s</option>",
                          TD_WEB_T (lang, "培训项目类别", "Category"), TD_WEB_T (lang, "全部", "All"));
  for (guint i = 0; ids[i]; i++)
    g_string_append_printf (out, "<option value=\"%s\"%s>%s</option>", ids[i],
                            g_strcmp0 (selection->query.category, ids[i]) == 0 ? " selected" : "",
                            td_catalogue_category_name (ids[i], lang == TD_WEB_EN));
  g_string_append_printf (out, "</select></div>\n<div><label for=\"field\">%s</label><input id=\"field\" "
                               "name=\"field\" maxlength=\"100\" value=\"",
                          TD_WEB_T (lang, "培训领域", "Training field"));
  td_web_escape (out, selection->query.field);
  g_string_append_printf (out, "\"></div>\n<div><label>&nbsp;</label><button type=\"submit\">%s</button></div>\n"
                               "</form>\n", TD_WEB_T (lang, "查找", "Find"));
}

static void
td_web_catalogue_item (GString          *out,
                       TdWebLang         lang,
                       TdCatalogueEntry *entry)
{
  g_autofree char *names = td_catalogue_category_names (entry, lang == TD_WEB_EN);
  g_auto(GStrv) tags = g_strsplit (names, lang == TD_WEB_EN ? "; " : "、", -1);

  g_string_append_printf (out, "<li><h2><a href=\"/catalogue/school/%" G_GINT64_FORMAT "\">", entry->school->school_id);
  td_web_escape (out, entry->school->name);
  g_string_append (out, "</a></h2>\n<p class=\"meta\">");
  td_web_escape (out, entry->city);
  g_string_append (out, " ");
  td_web_escape (out, entry->county);
  g_string_append_printf (out, " · %s", TD_WEB_T (lang, "主管部门：", "Authority: "));
  td_web_escape (out, entry->authority);
  g_string_append (out, "</p>\n<p>");
  for (guint i = 0; tags[i]; i++)
    if (tags[i][0])
      {
        g_string_append (out, "<span class=\"tag\">");
        td_web_escape (out, tags[i]);
        g_string_append (out, "</span>");
      }
  g_string_append_printf (out, "</p>\n<p class=\"excerpt\"><strong>%s</strong>", TD_WEB_T (lang, "培训领域：", "Fields: "));
  td_web_escape (out, entry->fields);
  g_string_append_printf (out, "</p>\n<p class=\"excerpt\"><strong>%s</strong>",
                          TD_WEB_T (lang, "培训能力：", "Capacity: "));
  td_web_escape (out, entry->capacity_excerpt);
  g_string_append_printf (out, "</p>\n<p class=\"excerpt\"><strong>%s</strong>",
                          TD_WEB_T (lang, "培训业绩：", "Results: "));
  td_web_escape (out, entry->results_excerpt);
  g_string_append (out, "</p></li>\n");
}

static TdWebResponse *
td_web_catalogue_list (TdWebRequest                  *request,
                       const TdWebCatalogueSelection *selection)
{
  TdWebLang lang = request->lang;
  TdCatalogue *catalogue = request->site->catalogue;
  GString *page = g_string_sized_new (64 * 1024);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  guint pages, first;
  gint64 started = g_get_monotonic_time ();

  if (!td_catalogue_lock (catalogue, &error))
    {
      g_string_free (page, TRUE);
      return td_web_trouble (request, error);
    }
  found = td_catalogue_search (catalogue, &selection->query);
  pages = MAX (1, (found->len + TD_WEB_CATALOGUE_PAGE - 1) / TD_WEB_CATALOGUE_PAGE);
  first = (MIN (selection->page, pages) - 1) * TD_WEB_CATALOGUE_PAGE;

  td_web_page_begin (page, lang, TD_WEB_T (lang, "培训机构目录", "Catalogue of training providers"), "catalogue");
  td_web_catalogue_filters (page, request, selection);
  g_string_append_printf (page, "<p class=\"count\" id=\"count\">%s%u%s</p>\n",
                          TD_WEB_T (lang, "共 ", ""), found->len,
                          TD_WEB_T (lang, " 所学校", found->len == 1 ? " school" : " schools"));
  g_string_append_printf (page, "<p class=\"exports\">%s <a href=\"/catalogue/export.csv",
                          TD_WEB_T (lang, "导出所选：", "Export this selection:"));
  td_web_catalogue_append_query (page, selection, 1);
  g_string_append (page, "\" download>CSV</a> <a href=\"/catalogue/export.xlsx");
  td_web_catalogue_append_query (page, selection, 1);
  g_string_append (page, "\" download>Excel (.xlsx)</a></p>\n<ol class=\"schools\">\n");
  for (guint i = first; i < found->len && i < first + TD_WEB_CATALOGUE_PAGE; i++)
    td_web_catalogue_item (page, lang, found->pdata[i]);
  g_string_append (page, "</ol>\n");
  if (pages > 1)
    {
      guint current = MIN (selection->page, pages);

      g_string_append (page, "<nav class=\"pages\">");
      if (current > 1)
        {
          g_string_append (page, "<a rel=\"prev\" href=\"/catalogue");
          td_web_catalogue_append_query (page, selection, current - 1);
          g_string_append_printf (page, "\">%s</a>", TD_WEB_T (lang, "上一页", "Previous"));
        }
      g_string_append_printf (page, "<span>%u / %u</span>", current, pages);
      if (current < pages)
        {
          g_string_append (page, "<a rel=\"next\" href=\"/catalogue");
          td_web_catalogue_append_query (page, selection, current + 1);
          g_string_append_printf (page, "\">%s</a>", TD_WEB_T (lang, "下一页", "Next"));
        }
      g_string_append (page, "</nav>\n");
    }
  td_catalogue_unlock (catalogue);
  td_web_page_end (page, lang);
  {
    TdWebResponse *response = td_web_response_html (SOUP_STATUS_OK, page);
    g_autofree char *timing = g_strdup_printf ("search;dur=%.2f",
                                               (double)(g_get_monotonic_time () - started) / 1000.0);

    /* The server's own time (bench/catalogue.c reads it). */
    td_web_response_add_header (response, "Server-Timing", timing);
    return response;
  }
}

/* The catalogue's rows of the selection, every school's form read again:
 * outside the catalogue's lock (11,000 forms take a second or more), on
 * the desk's connection, so that pages are answered meanwhile. */
static TdWebResponse *
td_web_catalogue_export (TdWebRequest                  *request,
                         const TdWebCatalogueSelection *selection,
                         gboolean                       xlsx)
{
  TdWebSite *site = request->site;
  TdCatalogue *catalogue = site->catalogue;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(TdTable) table = td_table_new ();
  g_autoptr(GBytes) body = NULL;
  TdWebResponse *response;

  if (!td_catalogue_lock (catalogue, &error))
    return td_web_trouble (request, error);
  found = td_catalogue_search (catalogue, &selection->query);
  for (guint i = 0; i < found->len; i++)
    {
      TdCatalogueEntry *entry = found->pdata[i];

      g_ptr_array_add (names, g_strdup (entry->school->name));
      g_array_append_val (ids, entry->latest->id);
    }
  td_catalogue_unlock (catalogue);

  td_table_add_cells (table, 1, td_form_catalogue_headers (), TD_FORM_CATALOGUE_N_COLUMNS);
  g_mutex_lock (&site->desk_lock);
  for (guint i = 0; i < ids->len && error == NULL; i++)
    {
      g_autoptr(TdWebSubmission) submission = td_receiver_db_web_submission (site->desk_db,
                                                                           g_array_index (ids, gint64, i), &error);
      g_autoptr(TdForm) form = NULL;
      g_auto(GStrv) row = NULL;
      gsize length;
      const char *json;

      if (submission == NULL)
        {
          if (error == NULL)
            g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "A submission is gone");
          break;
        }
      json = g_bytes_get_data (submission->form_json, &length);
      form = td_form_new_from_json (json ? json : "", (gssize)length, &error);
      if (form == NULL)
        break;
      /* The name the province registered, as --export-catalogue. */
      td_form_set (form, TD_FORM_NAME, names->pdata[i]);
      row = td_form_catalogue_row (form);
      td_table_add_cells (table, i + 2, (const char * const *)row, TD_FORM_CATALOGUE_N_COLUMNS);
    }
  g_mutex_unlock (&site->desk_lock);
  if (error)
    return td_web_trouble (request, error);

  if (xlsx)
    {
      /* libxlsxwriter writes files: one of our own, read, removed. */
      g_autofree char *dir = g_dir_make_tmp ("td-web-XXXXXX", &error);
      g_autofree char *path = dir ? g_build_filename (dir, "catalogue.xlsx", NULL) : NULL;
      char *data = NULL;
      gsize length = 0;

      if (dir == NULL || !td_xlsx_write (table, path, "意向表", NULL, &error) ||
          !g_file_get_contents (path, &data, &length, &error))
        {
          if (path)
            g_unlink (path);
          if (dir)
            g_rmdir (dir);
          return td_web_trouble (request, error);
        }
      g_unlink (path);
      g_rmdir (dir);
      body = g_bytes_new_take (data, length);
      response = td_web_response_new (SOUP_STATUS_OK,
                                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body);
      td_web_response_add_header (response, "Content-Disposition", "attachment; filename=\"catalogue.xlsx\"");
    }
  else
    {
      GString *out = g_string_new ("\xEF\xBB\xBF");

      for (guint i = 0; i < td_table_get_n_rows (table); i++)
        {
          guint n;
          const char * const *cells = td_table_get_row (table, i, &n);

          td_csv_append_row (out, cells, n);
        }
      body = g_string_free_to_bytes (out);
      response = td_web_response_new (SOUP_STATUS_OK, "text/csv; charset=utf-8", body);
      td_web_response_add_header (response, "Content-Disposition", "attachment; filename=\"catalogue.csv\"");
    }
  return response;
}

static const char *
td_web_catalogue_channel (TdWebLang   lang,
                          const char *channel)
{
  if (g_strcmp0 (channel, "mail") == 0)
    return TD_WEB_T (lang, "电子邮件", "e-mail");
  return TD_WEB_T (lang, "网络上传", "upload");
}

static void
td_web_catalogue_row (GString    *out,
                      const char *label,
                      const char *value)
{
  g_string_append (out, "<dt>");
  td_web_escape (out, label);
  g_string_append (out, "</dt><dd>");
  td_web_escape (out, value);
  g_string_append (out, "</dd>\n");
}

/* A row whose value is a moment (td_web_time). */
static void
td_web_catalogue_time_row (GString    *out,
                           const char *label,
                           const char *iso8601)
{
  g_string_append (out, "<dt>");
  td_web_escape (out, label);
  g_string_append (out, "</dt><dd>");
  td_web_time (out, iso8601);
  g_string_append (out, "</dd>\n");
}

static TdWebResponse *
td_web_catalogue_school (TdWebRequest *request,
                         gint64        school_id)
{
  TdWebLang lang = request->lang;
  TdCatalogue *catalogue = request->site->catalogue;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdForm) form = NULL;
  g_autoptr(GBytes) key = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *names = NULL;
  g_autofree char *number = NULL;
  g_autofree char *size = NULL;
  TdCatalogueEntry *entry;
  TdWebSubmission *latest;
  const char *status;
  GString *page;

  if (!td_catalogue_lock (catalogue, &error))
    return td_web_trouble (request, error);
  entry = td_catalogue_find (catalogue, school_id);
  if (entry == NULL || entry->latest == NULL)
    {
      td_catalogue_unlock (catalogue);
      return td_web_response_message (SOUP_STATUS_NOT_FOUND, lang, "目录中没有这所学校。",
                                      "No such school is in the catalogue.");
    }
  form = td_catalogue_load_form (catalogue, entry, &error);
  if (form == NULL)
    {
      td_catalogue_unlock (catalogue);
      if (error == NULL)
        g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "The form is gone");
      return td_web_trouble (request, error);
    }
  latest = entry->latest;
  names = td_catalogue_category_names (entry, lang == TD_WEB_EN);
  key = td_receiver_decode_key (latest->public_key);
  fingerprint = key ? td_signing_key_fingerprint (key) : g_strdup ("?");
  number = g_strdup_printf ("%" G_GINT64_FORMAT, latest->number);
  size = g_format_size ((guint64)latest->pdf_size);
  if (entry->school->public_key == NULL)
    status = TD_WEB_T (lang, "签名已验证。学校的密钥已被重置，尚待重新登记。",
                       "Signature verified. The school’s key has been reset and is not yet enrolled again.");
  else if (g_strcmp0 (entry->school->public_key, latest->public_key) == 0)
    status = TD_WEB_T (lang, "签名已验证，为学校登记的密钥所签。",
                       "Signature verified: signed with the school’s registered key.");
  else
    status = TD_WEB_T (lang, "签名已验证，但为学校此前的密钥所签（密钥其后已更换）。",
                       "Signature verified, with the school’s earlier key (the key changed since).");

  page = g_string_sized_new (16 * 1024);
  td_web_page_begin (page, lang, entry->school->name, "catalogue");
  g_string_append_printf (page, "<p><a href=\"/catalogue\">%s</a> · <a href=\"/catalogue/school/%" G_GINT64_FORMAT
                                "/form.pdf\" id=\"pdf\">%s</a> (",
                          TD_WEB_T (lang, "← 返回目录", "← Back to the catalogue"), school_id,
                          TD_WEB_T (lang, "签章的意向表（PDF）", "The signed form (PDF)"));
  td_web_escape (page, size);
  g_string_append_printf (page, ")</p>\n<h2>%s</h2>\n<dl class=\"form\">\n", TD_WEB_T (lang, "意向表", "The form"));
  for (guint i = 0; i < G_N_ELEMENTS (td_web_catalogue_labels); i++)
    {
      TdFormField field = td_web_catalogue_labels[i].field;
      const char *label = TD_WEB_T (lang, td_web_catalogue_labels[i].zh, td_web_catalogue_labels[i].en);

      if (field == TD_FORM_CATEGORIES)
        td_web_catalogue_row (page, label, names);
      else if (field == TD_FORM_NAME)
        td_web_catalogue_row (page, label, entry->school->name);
      else
        td_web_catalogue_row (page, label, td_form_get (form, field));
    }
  if (td_form_get_opinion (form) && td_form_get_opinion (form)[0])
    td_web_catalogue_row (page, TD_WEB_T (lang, "申报单位意见", "The school’s opinion"), td_form_get_opinion (form));
  g_string_append_printf (page, "</dl>\n<h2>%s</h2>\n<dl class=\"form\">\n",
                          TD_WEB_T (lang, "收到与验证", "Receipt and verification"));
  td_web_catalogue_time_row (page, TD_WEB_T (lang, "收到时间（北京时间）", "Received (Beijing time)"),
                             latest->received_at);
  td_web_catalogue_row (page, TD_WEB_T (lang, "渠道", "Channel"), td_web_catalogue_channel (lang, latest->channel));
  td_web_catalogue_row (page, TD_WEB_T (lang, "修订号", "Revision"), number);
  td_web_catalogue_row (page, TD_WEB_T (lang, "签署人", "Signed by"), latest->signer);
  td_web_catalogue_time_row (page, TD_WEB_T (lang, "签署时间（北京时间）", "Signed at (Beijing time)"),
                             latest->signed_at);
  td_web_catalogue_row (page, TD_WEB_T (lang, "征集活动", "Campaign"), latest->campaign);
  g_string_append_printf (page, "<dt>%s</dt><dd class=\"fingerprint\" id=\"fingerprint\">",
                          TD_WEB_T (lang, "密钥指纹", "Key fingerprint"));
  td_web_escape (page, fingerprint);
  g_string_append (page, "</dd>\n");
  g_string_append_printf (page, "<dt>%s</dt><dd id=\"verification\">", TD_WEB_T (lang, "验证", "Verification"));
  td_web_escape (page, status);
  g_string_append (page, "</dd>\n");
  td_web_catalogue_row (page, "PDF SHA-256", latest->pdf_sha256);
  g_string_append (page, "</dl>\n");
  td_catalogue_unlock (catalogue);
  td_web_page_end (page, lang);
  return td_web_response_html (SOUP_STATUS_OK, page);
}

static TdWebResponse *
td_web_catalogue_pdf (TdWebRequest *request,
                      gint64        school_id)
{
  TdCatalogue *catalogue = request->site->catalogue;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  TdCatalogueEntry *entry;
  TdWebResponse *response;
  g_autofree char *disposition = NULL;

  if (!td_catalogue_lock (catalogue, &error))
    return td_web_trouble (request, error);
  entry = td_catalogue_find (catalogue, school_id);
  if (entry && entry->latest)
    {
      pdf = td_catalogue_pdf (catalogue, entry->latest->id, &error);
      disposition = g_strdup_printf ("inline; filename=\"form-%" G_GINT64_FORMAT ".pdf\"", entry->latest->number);
    }
  td_catalogue_unlock (catalogue);
  if (error)
    return td_web_trouble (request, error);
  if (pdf == NULL)
    return td_web_response_message (SOUP_STATUS_NOT_FOUND, request->lang, "目录中没有这所学校。",
                                    "No such school is in the catalogue.");
  response = td_web_response_new (SOUP_STATUS_OK, "application/pdf", pdf);
  td_web_response_add_header (response, "Content-Disposition", disposition);
  return response;
}

static gboolean
td_web_catalogue_school_id (const char *text,
                            gint64     *id)
{
  guint64 n;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &n, NULL))
    return FALSE;
  *id = (gint64)n;
  return TRUE;
}

TdWebResponse *
td_web_catalogue_route (TdWebRequest *request)
{
  const char *path = request->path;
  TdWebCatalogueSelection selection;
  gboolean from_query;
  TdWebResponse *response = NULL;

  if (request->method == SOUP_METHOD_POST)
    {
      response = td_web_response_message (SOUP_STATUS_METHOD_NOT_ALLOWED, request->lang,
                                          "目录只可查阅。", "The catalogue is read only.");
      td_web_response_add_header (response, "Allow", "GET, HEAD");
      return response;
    }
  if (!td_web_catalogue_token_ok (request, &from_query))
    return td_web_catalogue_token_page (request);

  if (g_str_equal (path, "/catalogue") || g_str_equal (path, "/catalogue/") ||
      g_str_equal (path, "/catalogue/export.csv") || g_str_equal (path, "/catalogue/export.xlsx"))
    {
      if (!td_web_catalogue_selection (request, &selection))
        return td_web_response_message (SOUP_STATUS_BAD_REQUEST, request->lang,
                                        "查询条件无效：每项最多 100 个字，类别须为表中所列，页码须为正整数。",
                                        "The query is not valid: at most 100 characters a term, a category "
                                        "of the list, a page number from 1.");
      if (g_str_has_prefix (path, "/catalogue/export."))
        response = td_web_catalogue_export (request, &selection, g_str_has_suffix (path, ".xlsx"));
      else
        response = td_web_catalogue_list (request, &selection);
    }
  else if (g_str_has_prefix (path, "/catalogue/school/"))
    {
      g_auto(GStrv) parts = g_strsplit (path + strlen ("/catalogue/school/"), "/", 3);
      gint64 id;

      if (parts[0] && td_web_catalogue_school_id (parts[0], &id) && parts[1] == NULL)
        response = td_web_catalogue_school (request, id);
      else if (parts[0] && td_web_catalogue_school_id (parts[0], &id) && g_strcmp0 (parts[1], "form.pdf") == 0 &&
               parts[2] == NULL)
        response = td_web_catalogue_pdf (request, id);
    }
  if (response == NULL)
    response = td_web_response_message (SOUP_STATUS_NOT_FOUND, request->lang, "此地址没有内容。",
                                        "There is nothing at this address.");
  if (from_query && request->site->catalogue_token)
    {
      g_autofree char *cookie = td_web_cookie (request->site, "td_read", td_web_request_param (request, "token"),
                                               "/catalogue", TD_WEB_SESSION_SECONDS);

      td_web_response_add_header (response, "Set-Cookie", cookie);
    }
  return response;
}
