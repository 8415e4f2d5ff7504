/* test-web.c: the receiver's pages, /catalogue and /desk, over real HTTP
 *
 * The built receiver is started on a free port of the loopback
 * (td_test_receiver_start()), reached with a libsoup client whose cookies
 * the test keeps by hand (so that each Set-Cookie is seen as sent), and
 * given real signed submissions made with the core (docs/signing.md).
 * What is asserted is what a browser gets: the status, the headers, the
 * HTML escaped, the files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>

#include "td-signoff.h"
#include "td-test-fixtures.h"
#include "td-test-servers.h"

#define PASSPHRASE "校长的口令 2026"
#define SCHOOL_A "济南第一职业中等专业学校"
#define SCHOOL_B "青岛市技师学院"
#define HOSTILE_A "<script>alert(1)</script>学校"
#define HOSTILE_B "\"><img src=x onerror=alert(2)>学院"
#define STAFF "shengting"
#define STAFF_PASSWORD "correct horse battery staple"
#define CSP "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

static char *tmp_dir;
static TdCampaign *campaign;

static char *
tmp_path (const char *name)
{
  static guint serial;
  g_autofree char *unique = g_strdup_printf ("%u-%s", ++serial, name);

  return g_build_filename (tmp_dir, unique, NULL);
}

/* A signed revision of @form, as the app makes it. */
typedef struct
{
  GBytes *form;
  GBytes *pdf;
  GBytes *signature;
  char   *uuid;
} Signed;

static void
signed_free (Signed *s)
{
  g_bytes_unref (s->form);
  g_bytes_unref (s->pdf);
  g_bytes_unref (s->signature);
  g_free (s->uuid);
  g_free (s);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Signed, signed_free)

static Signed *
sign_form (TdForm *form)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path ("school.db");
  g_autoptr(TdStore) store = td_store_open (path, &error);
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-25T09:30:00Z", NULL);
  g_autoptr(TdRevision) revision = NULL;
  Signed *s = g_new0 (Signed, 1);
  gsize length;
  char *signature;

  g_assert_no_error (error);
  g_assert_true (td_signing_key_create (store, PASSPHRASE, TD_KDF_MINIMUM, &error));
  g_assert_no_error (error);
  revision = td_signoff_sign (store, form, campaign, PASSPHRASE, now, &error);
  g_assert_no_error (error);
  signature = td_revision_dup_signature_json (revision, &length);
  s->form = g_bytes_ref (td_revision_get_form_json (revision));
  s->pdf = g_bytes_ref (td_revision_get_pdf (revision));
  s->signature = g_bytes_new_take (signature, length);
  s->uuid = g_strdup (td_revision_get_uuid (revision));
  return s;
}

static SoupSession *
new_session (void)
{
  SoupSession *session = soup_session_new ();

  soup_session_set_proxy_resolver (session, NULL);
  soup_session_set_timeout (session, 60);
  return session;
}

static guint
upload (SoupSession    *session,
        TdTestReceiver *r,
        const char     *token,
        Signed         *s)
{
  SoupMultipart *multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autofree char *url = g_strconcat (r->url, "submissions", NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  soup_multipart_append_form_file (multipart, "form", "form.json", "application/json", s->form);
  soup_multipart_append_form_file (multipart, "pdf", "form.pdf", "application/pdf", s->pdf);
  soup_multipart_append_form_file (multipart, "signature", "signature.json", "application/json", s->signature);
  msg = soup_message_new_from_multipart (url, multipart);
  soup_multipart_free (multipart);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", s->uuid);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

/* A page's answer: status, headers, body (NUL-terminated), and the
 * cookies the client keeps by hand. */
typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  char               *body;
  gsize               length;
} Page;

static void
page_clear (Page *page)
{
  g_clear_pointer (&page->headers, soup_message_headers_unref);
  g_clear_pointer (&page->body, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Page, page_clear)

typedef struct
{
  SoupSession    *session;
  TdTestReceiver *receiver;
  GHashTable     *cookies;
  const char     *language;
} Browser;

static void
browser_keep_cookies (Browser            *b,
                      SoupMessageHeaders *headers)
{
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strcasecmp (name, "Set-Cookie") == 0)
      {
        g_autofree char *pair = g_strndup (value, strcspn (value, ";"));
        char *equals = strchr (pair, '=');

        g_assert_nonnull (equals);
        *equals = '\0';
        if (equals[1] == '\0')
          g_hash_table_remove (b->cookies, pair);
        else
          g_hash_table_insert (b->cookies, g_strdup (pair), g_strdup (equals + 1));
      }
}

static Page
browser_send (Browser    *b,
              const char *method,
              const char *path,
              const char *form)
{
  g_autofree char *url = g_strconcat (b->receiver->url, path[0] == '/' ? path + 1 : path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GString) cookie = g_string_new (NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer name, value;
  Page page = { 0, };

  g_assert_nonnull (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  g_hash_table_iter_init (&iter, b->cookies);
  while (g_hash_table_iter_next (&iter, &name, &value))
    g_string_append_printf (cookie, "%s%s=%s", cookie->len ? "; " : "", (char *)name, (char *)value);
  if (cookie->len)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", cookie->str);
  if (b->language)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Language", b->language);
  if (form)
    {
      g_autoptr(GBytes) data = g_bytes_new (form, strlen (form));

      soup_message_set_request_body_from_bytes (msg, SOUP_FORM_MIME_TYPE_URLENCODED, data);
    }
  body = soup_session_send_and_read (b->session, msg, NULL, &error);
  g_assert_no_error (error);
  page.status = soup_message_get_status (msg);
  page.headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  /* Binary (a PDF) whole, and NUL-terminated for the texts. */
  page.length = g_bytes_get_size (body);
  page.body = g_malloc (page.length + 1);
  if (page.length > 0)
    memcpy (page.body, g_bytes_get_data (body, NULL), page.length);
  page.body[page.length] = '\0';
  browser_keep_cookies (b, page.headers);
  g_test_message ("%s %s: %u (%" G_GSIZE_FORMAT " bytes)", method, path, page.status, page.length);
  return page;
}

static Page
get (Browser    *b,
     const char *path)
{
  return browser_send (b, "GET", path, NULL);
}

static Page
post (Browser    *b,
      const char *path,
      const char *form)
{
  return browser_send (b, "POST", path, form);
}

/* The value of <input name="csrf" value="…"> in a page. */
static char *
page_csrf (Page *page)
{
  const char *at = strstr (page->body, "name=\"csrf\" value=\"");

  g_assert_nonnull (at);
  at += strlen ("name=\"csrf\" value=\"");
  return g_strndup (at, strcspn (at, "\""));
}

static const char *
page_cookie (Page       *page,
             const char *name)
{
  SoupMessageHeadersIter iter;
  const char *header, *value;
  g_autofree char *prefix = g_strconcat (name, "=", NULL);

  soup_message_headers_iter_init (&iter, page->headers);
  while (soup_message_headers_iter_next (&iter, &header, &value))
    if (g_ascii_strcasecmp (header, "Set-Cookie") == 0 && g_str_has_prefix (value, prefix))
      return value;
  return NULL;
}

static void
assert_safe_headers (Page *page)
{
  g_assert_cmpstr (soup_message_headers_get_one (page->headers, "Content-Security-Policy"), ==, CSP);
  g_assert_cmpstr (soup_message_headers_get_one (page->headers, "X-Content-Type-Options"), ==, "nosniff");
  g_assert_cmpstr (soup_message_headers_get_one (page->headers, "Referrer-Policy"), ==, "no-referrer");
  g_assert_cmpstr (soup_message_headers_get_one (page->headers, "X-Frame-Options"), ==, "DENY");
}

static void
assert_contains (Page       *page,
                 const char *text)
{
  if (strstr (page->body, text) == NULL)
    g_error ("The page (%u) lacks “%s”:\n%s", page->status, text, page->body);
}

static void
assert_lacks (Page       *page,
              const char *text)
{
  if (strstr (page->body, text) != NULL)
    g_error ("The page (%u) has “%s”:\n%s", page->status, text, page->body);
}

/* A receiver with a staff account, two schools (A sent, B not), and
 * extra options. */
typedef struct
{
  char           *db;
  TdTestReceiver *receiver;
  Browser         browser;
  char           *token_a;
  char           *token_b;
  Signed         *signed_a;
} Site;

static void
add_staff (const char *db,
           const char *name,
           const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *option = g_strdup_printf ("--add-staff=%s", name);
  g_autofree char *database = g_strdup_printf ("--database=%s", db);
  g_autofree char *input = g_strconcat (password, "\n", NULL);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              g_getenv ("TD_TEST_RECEIVER"), database, option, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, input, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

static Site *
site_start (const char *school_a,
            const char *capacity_a,
            const char *extra)
{
  Site *site = g_new0 (Site, 1);
  g_autoptr(TdForm) form = td_test_valid_form ();

  site->db = tmp_path ("receiver.db");
  add_staff (site->db, STAFF, STAFF_PASSWORD);
  site->token_a = td_test_receiver_add_school (site->db, school_a);
  site->token_b = td_test_receiver_add_school (site->db, SCHOOL_B);
  site->receiver = td_test_receiver_start (site->db, 0, extra, NULL);
  site->browser.session = new_session ();
  site->browser.receiver = site->receiver;
  site->browser.cookies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  td_form_set (form, TD_FORM_NAME, school_a);
  if (capacity_a)
    td_form_set (form, TD_FORM_CAPACITY, capacity_a);
  site->signed_a = sign_form (form);
  g_assert_cmpuint (upload (site->browser.session, site->receiver, site->token_a, site->signed_a), ==, 201);
  return site;
}

static void
site_stop (Site *site)
{
  td_test_receiver_stop (site->receiver);
  g_object_unref (site->browser.session);
  g_hash_table_unref (site->browser.cookies);
  signed_free (site->signed_a);
  g_free (site->token_a);
  g_free (site->token_b);
  g_free (site->db);
  g_free (site);
}

static void
log_in (Browser *b)
{
  g_auto(Page) form = get (b, "/desk");
  g_autofree char *csrf = page_csrf (&form);
  g_autofree char *body = g_strdup_printf ("name=" STAFF "&password=correct+horse+battery+staple&csrf=%s", csrf);
  g_auto(Page) done = post (b, "/desk/login", body);

  g_assert_cmpuint (done.status, ==, 303);
  g_assert_cmpstr (soup_message_headers_get_one (done.headers, "Location"), ==, "/desk");
}

/* The catalogue: search of one Chinese character, filters, English. */
static void
test_catalogue (void)
{
  Site *site = site_start (SCHOOL_A, NULL, NULL);
  Browser *b = &site->browser;

  {
    g_auto(Page) page = get (b, "/catalogue");

    g_assert_cmpuint (page.status, ==, 200);
    assert_safe_headers (&page);
    g_assert_cmpstr (soup_message_headers_get_content_type (page.headers, NULL), ==, "text/html");
    assert_contains (&page, "<html lang=\"zh-CN\">");
    assert_contains (&page, "共 1 所学校");
    assert_contains (&page, SCHOOL_A);
    /* Sent only: B, registered but silent, is not in the catalogue. */
    assert_lacks (&page, SCHOOL_B);
    assert_contains (&page, "企业职工技能培训");
    assert_contains (&page, "养老服务、智能制造、电子商务");
    assert_contains (&page, "济南市 历下区");
    assert_contains (&page, "济南市教育局");
    assert_lacks (&page, "<script");
  }
  {
    /* One character, of the name; then one only in text 8. */
    g_auto(Page) one = get (b, "/catalogue?q=%E6%B5%8E");    /* 济 */
    g_auto(Page) text8 = get (b, "/catalogue?q=%E5%8F%8C%E5%B8%88");    /* 双师 */
    g_auto(Page) none = get (b, "/catalogue?q=%E6%B2%B3");   /* 河 */

    assert_contains (&one, "共 1 所学校");
    assert_contains (&text8, "共 1 所学校");
    assert_contains (&none, "共 0 所学校");
    assert_lacks (&none, SCHOOL_A);
    /* The query is written back into the search box, escaped. */
    assert_contains (&one, "value=\"济\"");
  }
  {
    g_auto(Page) city = get (b, "/catalogue?city=%E6%B5%8E%E5%8D%97%E5%B8%82");     /* 济南市 */
    g_auto(Page) other_city = get (b, "/catalogue?city=%E9%9D%92%E5%B2%9B%E5%B8%82"); /* 青岛市 */
    g_auto(Page) category = get (b, "/catalogue?category=unemployed");
    g_auto(Page) category_ok = get (b, "/catalogue?category=key-groups");
    g_auto(Page) field = get (b, "/catalogue?field=%E5%85%BB%E8%80%81");  /* 养老 */
    g_auto(Page) field_none = get (b, "/catalogue?field=%E6%B5%8E");      /* 济: the name, not a field */

    assert_contains (&city, "共 1 所学校");
    assert_contains (&other_city, "共 0 所学校");
    assert_contains (&category, "共 0 所学校");
    assert_contains (&category_ok, "共 1 所学校");
    assert_contains (&field, "共 1 所学校");
    assert_contains (&field_none, "共 0 所学校");
  }
  {
    g_auto(Page) bad_category = get (b, "/catalogue?category=%3Cx%3E");
    g_auto(Page) bad_page = get (b, "/catalogue?page=0");
    g_autofree char *long_q = g_strnfill (150, 'a');
    g_autofree char *long_path = g_strconcat ("/catalogue?q=", long_q, NULL);
    g_auto(Page) too_long = get (b, long_path);
    g_autofree char *huge_q = g_strnfill (600, 'a');
    g_autofree char *huge_path = g_strconcat ("/catalogue?q=", huge_q, NULL);
    g_auto(Page) huge = get (b, huge_path);
    g_auto(Page) put = browser_send (b, "PUT", "/catalogue", NULL);
    g_auto(Page) no_school = get (b, "/catalogue/school/999");
    g_auto(Page) not_id = get (b, "/catalogue/school/1%20OR%201=1");

    g_assert_cmpuint (bad_category.status, ==, 400);
    assert_safe_headers (&bad_category);
    assert_contains (&bad_category, "查询条件无效");
    g_assert_cmpuint (bad_page.status, ==, 400);
    g_assert_cmpuint (too_long.status, ==, 400);
    g_assert_cmpuint (huge.status, ==, 414);
    g_assert_cmpuint (put.status, ==, 405);
    g_assert_cmpuint (no_school.status, ==, 404);
    g_assert_cmpuint (not_id.status, ==, 404);
  }
  {
    g_auto(Page) english = { 0, };
    g_auto(Page) chinese = { 0, };

    b->language = "en-GB,en;q=0.9,zh-CN;q=0.5";
    english = get (b, "/catalogue");
    b->language = "zh-CN,zh;q=0.9,en;q=0.8";
    chinese = get (b, "/catalogue");
    b->language = NULL;
    assert_contains (&english, "<html lang=\"en\">");
    assert_contains (&english, "Catalogue of training providers");
    assert_contains (&english, "1 school");
    assert_contains (&english, "Skills training for enterprise employees");
    assert_contains (&chinese, "<html lang=\"zh-CN\">");
    assert_contains (&chinese, "培训机构目录");
  }
  {
    g_auto(Page) css = get (b, "/static/td-web.css");

    g_assert_cmpuint (css.status, ==, 200);
    g_assert_cmpstr (soup_message_headers_get_content_type (css.headers, NULL), ==, "text/css");
    g_assert_nonnull (strstr (css.body, "@media print"));
  }
  site_stop (site);
}

/* A school's page, its PDF, and the exports. */
static void
test_school_page (void)
{
  Site *site = site_start (SCHOOL_A, NULL, NULL);
  Browser *b = &site->browser;
  g_autofree char *school_path = NULL;
  g_autofree char *pdf_path = NULL;

  {
    g_auto(Page) list = get (b, "/catalogue");
    const char *link = strstr (list.body, "href=\"/catalogue/school/");

    g_assert_nonnull (link);
    link += strlen ("href=\"");
    school_path = g_strndup (link, strcspn (link, "\""));
  }
  {
    g_auto(Page) page = get (b, school_path);

    g_assert_cmpuint (page.status, ==, 200);
    assert_safe_headers (&page);
    assert_contains (&page, "<h1>" SCHOOL_A "</h1>");
    assert_contains (&page, "陈璟");
    assert_contains (&page, "学校现有培训教师4人，其中“双师型”教师2人。");
    assert_contains (&page, "网络上传");
    assert_contains (&page, "签名已验证，为学校登记的密钥所签。");
    assert_contains (&page, "王建国");
    {
      /* The fingerprint of the key the submission was signed with. */
      const char *at = strstr (page.body, "id=\"fingerprint\">");

      g_assert_nonnull (at);
      at += strlen ("id=\"fingerprint\">");
      g_assert_cmpuint (strcspn (at, "<"), >, 10);
    }
    pdf_path = g_strconcat (school_path, "/form.pdf", NULL);
    assert_contains (&page, pdf_path);
  }
  {
    g_auto(Page) pdf = get (b, pdf_path);

    g_assert_cmpuint (pdf.status, ==, 200);
    g_assert_cmpstr (soup_message_headers_get_content_type (pdf.headers, NULL), ==, "application/pdf");
    g_assert_cmpuint (pdf.length, ==, g_bytes_get_size (site->signed_a->pdf));
    g_assert_cmpmem (pdf.body, pdf.length, g_bytes_get_data (site->signed_a->pdf, NULL), pdf.length);
  }
  {
    g_auto(Page) csv = get (b, "/catalogue/export.csv?q=%E6%B5%8E");
    g_auto(Page) csv_none = get (b, "/catalogue/export.csv?q=%E6%B2%B3");
    g_auto(Page) xlsx = get (b, "/catalogue/export.xlsx");

    g_assert_cmpuint (csv.status, ==, 200);
    g_assert_cmpstr (soup_message_headers_get_content_type (csv.headers, NULL), ==, "text/csv");
    g_assert_true (g_str_has_prefix (csv.body, "\xEF\xBB\xBF" "单位名称,主管部门,单位地址"));
    assert_contains (&csv, SCHOOL_A ",济南市教育局,济南市历下区文化西路29号,250014");
    g_assert_cmpuint (csv.status, ==, 200);
    assert_lacks (&csv_none, SCHOOL_A);
    g_assert_cmpuint (xlsx.status, ==, 200);
    g_assert_cmpstr (soup_message_headers_get_content_type (xlsx.headers, NULL), ==,
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    g_assert_cmpuint (xlsx.length, >, 1000);
    g_assert_cmpmem (xlsx.body, 2, "PK", 2);
  }
  site_stop (site);
}

/* Hostile names and texts show as text, everywhere they are written. */
static void
test_escaping (void)
{
  Site *site = site_start (HOSTILE_A, "能力 <img src=x onerror=alert(3)> & \"引号\"", NULL);
  Browser *b = &site->browser;
  g_autofree char *token = td_test_receiver_add_school (site->db, HOSTILE_B);
  g_autofree char *school_path = NULL;

  {
    g_auto(Page) list = get (b, "/catalogue?q=%3Cscript%3E");
    const char *link = strstr (list.body, "href=\"/catalogue/school/");

    assert_contains (&list, "共 1 所学校");
    assert_contains (&list, "&lt;script&gt;alert(1)&lt;/script&gt;学校");
    assert_contains (&list, "能力 &lt;img src=x onerror=alert(3)&gt; &amp; &quot;引号&quot;");
    assert_contains (&list, "value=\"&lt;script&gt;\"");
    assert_lacks (&list, "<script");
    assert_lacks (&list, "<img");
    g_assert_nonnull (link);
    link += strlen ("href=\"");
    school_path = g_strndup (link, strcspn (link, "\""));
  }
  {
    g_auto(Page) page = get (b, school_path);

    assert_contains (&page, "<title>&lt;script&gt;alert(1)&lt;/script&gt;学校</title>");
    assert_lacks (&page, "<script");
    assert_lacks (&page, "<img");
  }
  {
    g_auto(Page) query = get (b, "/catalogue?q=%22%3E%3Cimg%20src%3Dx%3E&field=%27%3E%3Cb%3E");

    assert_contains (&query, "value=\"&quot;&gt;&lt;img src=x&gt;\"");
    assert_contains (&query, "value=\"&#39;&gt;&lt;b&gt;\"");
    assert_lacks (&query, "<img");
    assert_lacks (&query, "<b>");
    /* The export links carry the query percent-encoded. */
    assert_contains (&query, "/catalogue/export.csv?q=%22%3E%3Cimg%20src%3Dx%3E&amp;field=%27%3E%3Cb%3E");
  }
  log_in (b);
  {
    g_auto(Page) desk = get (b, "/desk");

    assert_contains (&desk, "&lt;script&gt;alert(1)&lt;/script&gt;学校");
    assert_contains (&desk, "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;学院");
    assert_lacks (&desk, "<script");
    assert_lacks (&desk, "<img");
  }
  site_stop (site);
}

static void
assert_cookie_flags (const char *cookie,
                     gboolean    secure)
{
  g_assert_nonnull (cookie);
  g_assert_nonnull (strstr (cookie, "; HttpOnly"));
  g_assert_nonnull (strstr (cookie, "; SameSite=Strict"));
  g_assert_nonnull (strstr (cookie, "; Path=/desk"));
  if (secure)
    g_assert_nonnull (strstr (cookie, "; Secure"));
  else
    g_assert_null (strstr (cookie, "Secure"));
}

/* Log-in, the session's cookie, the school's states, CSRF. */
static void
test_desk (void)
{
  Site *site = site_start (SCHOOL_A, NULL, NULL);
  Browser *b = &site->browser;
  g_autofree char *csrf = NULL;
  g_autofree char *listed = NULL;

  {
    g_auto(Page) login = get (b, "/desk");

    g_assert_cmpuint (login.status, ==, 200);
    assert_safe_headers (&login);
    assert_contains (&login, "action=\"/desk/login\"");
    assert_lacks (&login, SCHOOL_B);
    assert_cookie_flags (page_cookie (&login, "td_login"), FALSE);
  }
  {
    /* Without the log-in form's token: refused, no session. */
    g_auto(Page) forged = post (b, "/desk/login", "name=" STAFF "&password=correct+horse+battery+staple&csrf=0");

    g_assert_cmpuint (forged.status, ==, 403);
    g_assert_null (page_cookie (&forged, "td_session"));
    assert_contains (&forged, "CSRF");
  }
  {
    g_auto(Page) form = get (b, "/desk");
    g_autofree char *login_csrf = page_csrf (&form);
    g_autofree char *body = g_strdup_printf ("name=" STAFF "&password=correct+horse+battery+staple&csrf=%s",
                                             login_csrf);
    g_auto(Page) done = post (b, "/desk/login", body);

    g_assert_cmpuint (done.status, ==, 303);
    assert_cookie_flags (page_cookie (&done, "td_session"), FALSE);
    g_assert_cmpuint (strlen (g_hash_table_lookup (b->cookies, "td_session")), ==, 64);
  }
  {
    g_auto(Page) desk = get (b, "/desk");

    g_assert_cmpuint (desk.status, ==, 200);
    assert_contains (&desk, "已登录：" STAFF);
    assert_contains (&desk, "<tr data-state=\"sent\"><td><a href=\"/catalogue/school/1\">" SCHOOL_A "</a>");
    assert_contains (&desk, "<tr data-state=\"missing\"><td>" SCHOOL_B "</td>");
    /* By city: A's from its form; B has none yet. */
    assert_contains (&desk, "<th scope=\"row\">济南市</th><td class=\"n\">1</td><td class=\"n\">1</td>");
    assert_contains (&desk, "<th scope=\"row\">合计</th><td class=\"n\">2</td><td class=\"n\">1</td>"
                            "<td class=\"n\">0</td><td class=\"n\">0</td><td class=\"n\">1</td>");
    csrf = page_csrf (&desk);
  }
  {
    /* A POST without the session's CSRF token changes nothing. */
    g_auto(Page) forged = post (b, "/desk/schools", "name=%E6%96%B0%E5%AD%A6%E6%A0%A1&city=%E6%B7%84%E5%8D%9A%E5%B8%82");
    g_auto(Page) wrong = post (b, "/desk/schools",
                               "name=%E6%96%B0%E5%AD%A6%E6%A0%A1&csrf=0000000000000000000000000000000000000000000000000000000000000000");

    g_assert_cmpuint (forged.status, ==, 403);
    g_assert_cmpuint (wrong.status, ==, 403);
    assert_contains (&forged, "CSRF");
    listed = td_test_receiver_run (site->db, "--list", NULL);
    g_assert_null (strstr (listed, "新学校"));
  }
  {
    g_autofree char *body = g_strdup_printf ("name=%%E6%%96%%B0%%E5%%AD%%A6%%E6%%A0%%A1&city=%%E6%%B7%%84%%E5%%8D%%9A%%E5%%B8%%82"
                                             "&county=%%E5%%BC%%A0%%E5%%BA%%97%%E5%%8C%%BA&key=&csrf=%s", csrf);
    g_auto(Page) done = post (b, "/desk/schools", body);
    g_auto(Page) again = post (b, "/desk/schools", body);
    g_autofree char *bad_key = g_strdup_printf ("name=x&key=notakey&csrf=%s", csrf);
    g_auto(Page) bad = post (b, "/desk/schools", bad_key);
    const char *token;

    g_assert_cmpuint (done.status, ==, 200);
    assert_contains (&done, "已登记“新学校”。");
    token = strstr (done.body, "id=\"new-token\">");
    g_assert_nonnull (token);
    g_assert_cmpuint (strcspn (token + strlen ("id=\"new-token\">"), "<"), ==, 64);
    assert_contains (&done, "<tr data-state=\"missing\"><td>新学校</td><td>淄博市 张店区</td>");
    assert_contains (&done, "<th scope=\"row\">淄博市</th><td class=\"n\">1</td><td class=\"n\">0</td>");
    g_assert_cmpuint (again.status, ==, 409);
    g_assert_cmpuint (bad.status, ==, 400);
    g_clear_pointer (&listed, g_free);
    listed = td_test_receiver_run (site->db, "--list", NULL);
    g_assert_nonnull (strstr (listed, "新学校"));
  }
  {
    g_autofree char *body = g_strdup_printf ("name=" SCHOOL_A "&csrf=%s", csrf);
    g_autofree char *nobody = g_strdup_printf ("name=%%E6%%B2%%A1%%E6%%9C%%89&csrf=%s", csrf);
    g_auto(Page) token = post (b, "/desk/token", body);
    g_auto(Page) reset = post (b, "/desk/reset-key", body);
    g_auto(Page) no_school = post (b, "/desk/token", nobody);
    g_auto(Page) desk = get (b, "/desk");
    g_auto(Page) school = get (b, "/catalogue/school/1");

    g_assert_cmpuint (token.status, ==, 200);
    assert_contains (&token, "id=\"new-token\">");
    g_assert_cmpuint (reset.status, ==, 200);
    g_assert_cmpuint (no_school.status, ==, 404);
    /* The old token no longer works; the key is unbound. */
    g_assert_cmpuint (upload (b->session, site->receiver, site->token_a, site->signed_a), ==, 401);
    assert_contains (&school, "学校的密钥已被重置");
  }
  {
    g_autofree char *body = g_strdup_printf ("csrf=%s", csrf);
    g_auto(Page) out = post (b, "/desk/logout", body);
    g_auto(Page) after = get (b, "/desk");

    g_assert_cmpuint (out.status, ==, 303);
    assert_contains (&after, "action=\"/desk/login\"");
    assert_lacks (&after, SCHOOL_A);
  }
  {
    /* A form without a length, and one too large. */
    g_autofree char *big = g_strnfill (20 * 1024, 'a');
    g_auto(Page) large = post (b, "/desk/login", big);

    g_assert_cmpuint (large.status, ==, 413);
  }
  site_stop (site);
}

/* Five failed log-ins lock the account, even to the right password. */
static void
test_lockout (void)
{
  Site *site = site_start (SCHOOL_A, NULL, NULL);
  Browser *b = &site->browser;

  add_staff (site->db, "other", "another long password");
  for (guint i = 0; i < 5; i++)
    {
      g_auto(Page) form = get (b, "/desk");
      g_autofree char *csrf = page_csrf (&form);
      g_autofree char *body = g_strdup_printf ("name=" STAFF "&password=wrong%u&csrf=%s", i, csrf);
      g_auto(Page) failed = post (b, "/desk/login", body);

      g_assert_cmpuint (failed.status, ==, 403);
      assert_contains (&failed, "账户或密码不对。");
      g_assert_null (page_cookie (&failed, "td_session"));
    }
  {
    g_auto(Page) form = get (b, "/desk");
    g_autofree char *csrf = page_csrf (&form);
    g_autofree char *body = g_strdup_printf ("name=" STAFF "&password=correct+horse+battery+staple&csrf=%s", csrf);
    g_auto(Page) locked = post (b, "/desk/login", body);

    g_assert_cmpuint (locked.status, ==, 429);
    assert_contains (&locked, "已被锁定");
    g_assert_nonnull (soup_message_headers_get_one (locked.headers, "Retry-After"));
    g_assert_null (page_cookie (&locked, "td_session"));
  }
  {
    /* Another account is not locked. */
    g_auto(Page) form = get (b, "/desk");
    g_autofree char *csrf = page_csrf (&form);
    g_autofree char *body = g_strdup_printf ("name=other&password=another+long+password&csrf=%s", csrf);
    g_auto(Page) done = post (b, "/desk/login", body);

    g_assert_cmpuint (done.status, ==, 303);
  }
  site_stop (site);
}

/* A deadline passed: the school sent late; a refused message shown. */
static void
test_late_and_refused (void)
{
  Site *site = site_start (SCHOOL_A, NULL, "--deadline=2026-01-01T00:00:00+08:00");
  Browser *b = &site->browser;
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open (site->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO refused_message (sha256, source, message_id, revision, school, word, "
                                     "reason, reason_zh, refused_at) VALUES ('00', 'inbox/1.eml', NULL, NULL, '"
                                     SCHOOL_B "', 'key-mismatch', 'Signed by another key', '签名密钥不是本校的', "
                                     "'2026-11-26T08:00:00Z')", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_free (td_test_receiver_run (site->db, "--add-school=潍坊学校", "--city=潍坊市", "--county=奎文区", NULL));
  log_in (b);
  {
    g_auto(Page) desk = get (b, "/desk");
    g_auto(Page) late = get (b, "/desk?state=late");
    g_auto(Page) refused = get (b, "/desk/refused");
    g_auto(Page) bad = get (b, "/desk?state=nonsense");

    /* Moments in Beijing time, the stored value kept in <time>. */
    assert_contains (&desk, "截止时间（北京时间）：<time datetime=\"2026-01-01T00:00:00+08\">2026-01-01 00:00</time>");
    assert_contains (&desk, "<tr data-state=\"late\">");
    assert_contains (&desk, "<tr data-state=\"refused\"><td>" SCHOOL_B "</td>");
    assert_contains (&desk, "key-mismatch: 签名密钥不是本校的");
    /* Registered by the command line with its place. */
    assert_contains (&desk, "<tr data-state=\"missing\"><td>潍坊学校</td><td>潍坊市 奎文区</td>");
    assert_contains (&desk, "<th scope=\"row\">潍坊市</th><td class=\"n\">1</td>");
    assert_contains (&late, SCHOOL_A);
    assert_lacks (&late, SCHOOL_B);
    g_assert_cmpuint (refused.status, ==, 200);
    assert_contains (&refused, "inbox/1.eml");
    assert_contains (&refused, "<time datetime=\"2026-11-26T08:00:00Z\">2026-11-26 16:00</time>");
    assert_contains (&refused, "签名密钥不是本校的");
    g_assert_cmpuint (bad.status, ==, 400);
  }
  site_stop (site);
}

/* A read token: without it, 401; with it once, a cookie. */
static void
test_read_token (void)
{
  g_autofree char *file = tmp_path ("token");
  g_autofree char *option = NULL;
  Site *site;
  Browser *b;

  g_assert_true (g_file_set_contents (file, "read-token-of-the-province-2026\n", -1, NULL));
  option = g_strdup_printf ("--catalogue-token-file=%s", file);
  site = site_start (SCHOOL_A, NULL, option);
  b = &site->browser;
  {
    g_auto(Page) refused = get (b, "/catalogue");
    g_auto(Page) wrong = get (b, "/catalogue?token=read-token-of-the-province-2025");
    g_auto(Page) pdf = get (b, "/catalogue/school/1/form.pdf");

    g_assert_cmpuint (refused.status, ==, 401);
    assert_lacks (&refused, SCHOOL_A);
    g_assert_cmpuint (wrong.status, ==, 401);
    g_assert_cmpuint (pdf.status, ==, 401);
  }
  {
    g_auto(Page) opened = get (b, "/catalogue?token=read-token-of-the-province-2026");
    g_auto(Page) later = get (b, "/catalogue/school/1");
    const char *cookie = page_cookie (&opened, "td_read");

    g_assert_cmpuint (opened.status, ==, 200);
    assert_contains (&opened, SCHOOL_A);
    g_assert_nonnull (cookie);
    g_assert_nonnull (strstr (cookie, "; HttpOnly"));
    g_assert_nonnull (strstr (cookie, "; SameSite=Strict"));
    g_assert_cmpuint (later.status, ==, 200);
  }
  site_stop (site);
}

static gboolean
accept_any_cb (SoupMessage          *msg,
               GTlsCertificate      *certificate,
               GTlsCertificateFlags  errors,
               gpointer              data)
{
  return TRUE;
}

/* Over HTTPS, the cookies are Secure too. */
static void
test_secure_cookies (void)
{
  g_autofree char *db = tmp_path ("receiver.db");
  g_autofree char *cert = NULL, *key = NULL;
  g_autofree char *cert_option = NULL, *key_option = NULL, *url = NULL;
  g_autoptr(SoupSession) session = new_session ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  TdTestReceiver *receiver;
  SoupMessageHeadersIter iter;
  const char *name, *value, *cookie = NULL;

  td_test_make_certificate (tmp_dir, &cert, &key);
  cert_option = g_strdup_printf ("--tls-certificate=%s", cert);
  key_option = g_strdup_printf ("--tls-key=%s", key);
  receiver = td_test_receiver_start (db, 0, cert_option, key_option, NULL);
  g_assert_true (g_str_has_prefix (receiver->url, "https://"));
  url = g_strconcat (receiver->url, "desk", NULL);
  msg = soup_message_new ("GET", url);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_cb), NULL);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  soup_message_headers_iter_init (&iter, soup_message_get_response_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strcasecmp (name, "Set-Cookie") == 0)
      cookie = value;
  assert_cookie_flags (cookie, TRUE);
  td_test_receiver_stop (receiver);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmp_dir = g_dir_make_tmp ("test-web-XXXXXX", &error);
  g_assert_no_error (error);
  campaign = td_campaign_get_builtin ();

  g_test_add_func ("/web/catalogue", test_catalogue);
  g_test_add_func ("/web/school-page", test_school_page);
  g_test_add_func ("/web/escaping", test_escaping);
  g_test_add_func ("/web/desk", test_desk);
  g_test_add_func ("/web/lockout", test_lockout);
  g_test_add_func ("/web/late-and-refused", test_late_and_refused);
  g_test_add_func ("/web/read-token", test_read_token);
  g_test_add_func ("/web/secure-cookies", test_secure_cookies);
  status = g_test_run ();
  g_object_unref (campaign);
  if (status == 0)
    td_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
