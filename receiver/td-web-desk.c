/* td-web-desk.c: /desk, the province staff's page
 *
 *   GET  /desk                  log-in form, or each school's state by city
 *   POST /desk/login, /desk/logout
 *   POST /desk/schools          register a school (its key if given): its token, once
 *   POST /desk/reset-key        unbind a school's key
 *   POST /desk/token            a new token for a school, once
 *   GET  /desk/refused          the messages the mailbox import refused
 *
 * Accounts are made by the command line (--add-staff, Argon2id). A
 * session is 32 random bytes in an HttpOnly, SameSite=Strict cookie
 * (Secure under TLS), kept here only as its SHA-256, with an expiry; every
 * form carries the session's CSRF token, compared in constant time (the
 * log-in form, before any session, one of its own cookie's). After
 * TD_WEB_LOCKOUT_FAILURES failed log-ins an account is locked for
 * TD_WEB_LOCKOUT_SECONDS, unknown names alike (a name's existence is not
 * told, and an unknown name costs the same hash). Sessions and lock-outs
 * are in memory: a restart logs everyone out, and unlocks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-receiver"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "td-receiver-db-web.h"
#include "td-receiver-log.h"
#include "td-signing-key.h"
#include "td-web-site-private.h"

#define TD_WEB_DESK_PAGE 100
#define TD_WEB_DESK_MAX_NAME 200
#define TD_WEB_DESK_MAX_PASSWORD 1024

static const struct
{
  const char *word;
  const char *zh;
  const char *en;
} td_web_desk_states[] = {
  [TD_SCHOOL_MISSING] = { "missing", "未报送", "Not yet sent" },
  [TD_SCHOOL_SENT] = { "sent", "已报送", "Sent" },
  [TD_SCHOOL_LATE] = { "late", "逾期报送", "Sent after the deadline" },
  [TD_SCHOOL_REFUSED] = { "refused", "被拒收", "Refused" },
};

static char *
td_web_desk_random_hex (void)
{
  guchar random[32];
  char hex[2 * sizeof random + 1];

  randombytes_buf (random, sizeof random);
  sodium_bin2hex (hex, sizeof hex, random, sizeof random);
  sodium_memzero (random, sizeof random);
  return g_strdup (hex);
}

static char *
td_web_desk_sha256_hex (const char *text)
{
  guchar digest[crypto_hash_sha256_BYTES];
  char hex[2 * sizeof digest + 1];

  crypto_hash_sha256 (digest, (const guchar *)text, strlen (text));
  sodium_bin2hex (hex, sizeof hex, digest, sizeof digest);
  return g_strdup (hex);
}

static gboolean
td_web_desk_equal (const char *a,
                   const char *b)
{
  guchar x[crypto_hash_sha256_BYTES], y[crypto_hash_sha256_BYTES];

  if (a == NULL || b == NULL || *a == '\0')
    return FALSE;
  crypto_hash_sha256 (x, (const guchar *)a, strlen (a));
  crypto_hash_sha256 (y, (const guchar *)b, strlen (b));
  return sodium_memcmp (x, y, sizeof x) == 0;
}

/* Sessions */

/* The session of the request's cookie, copied (staff, csrf), or FALSE. */
static gboolean
td_web_desk_session (TdWebRequest  *request,
                     char         **staff,
                     char         **csrf)
{
  TdWebSite *site = request->site;
  const char *cookie = td_web_request_cookie (request, "td_session");
  g_autofree char *hash = NULL;
  TdWebSession *session;
  gboolean found = FALSE;

  if (cookie == NULL || strlen (cookie) != 64)
    return FALSE;
  hash = td_web_desk_sha256_hex (cookie);
  g_mutex_lock (&site->session_lock);
  session = g_hash_table_lookup (site->sessions, hash);
  if (session && session->expires < g_get_monotonic_time ())
    g_hash_table_remove (site->sessions, hash);
  else if (session)
    {
      *staff = g_strdup (session->staff);
      *csrf = g_strdup (session->csrf);
      found = TRUE;
    }
  g_mutex_unlock (&site->session_lock);
  return found;
}

static gboolean
td_web_desk_expire_cb (gpointer key,
                       gpointer value,
                       gpointer data)
{
  TdWebSession *session = value;

  return session->expires < *(gint64 *)data;
}

/* Returns: (transfer full) (nullable): the cookie's value, NULL when
 *   there are too many sessions */
static char *
td_web_desk_new_session (TdWebSite  *site,
                         const char *staff)
{
  g_autofree char *token = td_web_desk_random_hex ();
  TdWebSession *session;
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&site->session_lock);
  g_hash_table_foreach_remove (site->sessions, td_web_desk_expire_cb, &now);
  if (g_hash_table_size (site->sessions) >= TD_WEB_SITE_MAX_SESSIONS)
    {
      g_mutex_unlock (&site->session_lock);
      return NULL;
    }
  session = g_new0 (TdWebSession, 1);
  session->staff = g_strdup (staff);
  session->csrf = td_web_desk_random_hex ();
  session->expires = now + (gint64)TD_WEB_SESSION_SECONDS * G_USEC_PER_SEC;
  g_hash_table_insert (site->sessions, td_web_desk_sha256_hex (token), session);
  g_mutex_unlock (&site->session_lock);
  return g_steal_pointer (&token);
}

static void
td_web_desk_end_session (TdWebRequest *request)
{
  const char *cookie = td_web_request_cookie (request, "td_session");
  g_autofree char *hash = NULL;

  if (cookie == NULL)
    return;
  hash = td_web_desk_sha256_hex (cookie);
  g_mutex_lock (&request->site->session_lock);
  g_hash_table_remove (request->site->sessions, hash);
  g_mutex_unlock (&request->site->session_lock);
}

/* Lock-outs */

/* The seconds the account stays locked, or 0. */
static gint64
td_web_desk_locked (TdWebSite  *site,
                    const char *name)
{
  TdWebLockout *lockout;
  gint64 now = g_get_monotonic_time (), left = 0;

  g_mutex_lock (&site->session_lock);
  lockout = g_hash_table_lookup (site->lockouts, name);
  if (lockout && lockout->locked_until > now)
    left = (lockout->locked_until - now) / G_USEC_PER_SEC + 1;
  g_mutex_unlock (&site->session_lock);
  return left;
}

static void
td_web_desk_failed (TdWebSite  *site,
                    const char *name)
{
  TdWebLockout *lockout;
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&site->session_lock);
  lockout = g_hash_table_lookup (site->lockouts, name);
  if (lockout == NULL)
    {
      /* Bounded: past the limit, the table starts again (the locks
       * then in force are kept). */
      if (g_hash_table_size (site->lockouts) >= TD_WEB_MAX_LOCKOUTS)
        {
          GHashTableIter iter;
          gpointer value;

          g_hash_table_iter_init (&iter, site->lockouts);
          while (g_hash_table_iter_next (&iter, NULL, &value))
            if (((TdWebLockout *)value)->locked_until <= now)
              g_hash_table_iter_remove (&iter);
        }
      lockout = g_new0 (TdWebLockout, 1);
      g_hash_table_insert (site->lockouts, g_strdup (name), lockout);
    }
  if (lockout->locked_until <= now && ++lockout->failures >= TD_WEB_LOCKOUT_FAILURES)
    {
      lockout->failures = 0;
      lockout->locked_until = now + (gint64)TD_WEB_LOCKOUT_SECONDS * G_USEC_PER_SEC;
      td_receiver_log ("desk: the account “%s” is locked for %d minutes after %d failed log-ins",
                       name, TD_WEB_LOCKOUT_SECONDS / 60, TD_WEB_LOCKOUT_FAILURES);
    }
  g_mutex_unlock (&site->session_lock);
}

static void
td_web_desk_succeeded (TdWebSite  *site,
                       const char *name)
{
  g_mutex_lock (&site->session_lock);
  g_hash_table_remove (site->lockouts, name);
  g_mutex_unlock (&site->session_lock);
}

static gpointer
td_web_desk_make_dummy (gpointer data)
{
  TdWebSite *site = data;

  site->dummy_hash = td_web_hash_password ("not a password of anyone", NULL);
  return site->dummy_hash;
}

/* Pages */

static void
td_web_desk_csrf_field (GString    *out,
                        const char *csrf)
{
  g_string_append (out, "<input type=\"hidden\" name=\"csrf\" value=\"");
  td_web_escape (out, csrf);
  g_string_append (out, "\">");
}

static TdWebResponse *
td_web_desk_login_page (TdWebRequest *request,
                        guint         status,
                        const char   *problem)
{
  TdWebLang lang = request->lang;
  g_autofree char *csrf = td_web_desk_random_hex ();
  g_autofree char *cookie = td_web_cookie (request->site, "td_login", csrf, "/desk", 3600);
  GString *page = g_string_new (NULL);
  TdWebResponse *response;

  td_web_page_begin (page, lang, TD_WEB_T (lang, "省厅工作台：登录", "Province desk: log in"), "desk");
  if (problem)
    {
      g_string_append (page, "<p class=\"error\" id=\"problem\">");
      td_web_escape (page, problem);
      g_string_append (page, "</p>\n");
    }
  g_string_append_printf (page,
                          "<div class=\"panel login\"><form method=\"post\" action=\"/desk/login\">"
                          "<label for=\"name\">%s</label><input id=\"name\" name=\"name\" autocomplete=\"username\" "
                          "required maxlength=\"200\">"
                          "<label for=\"password\">%s</label><input id=\"password\" name=\"password\" type=\"password\" "
                          "autocomplete=\"current-password\" required maxlength=\"1024\">",
                          TD_WEB_T (lang, "账户", "Account"), TD_WEB_T (lang, "密码", "Password"));
  td_web_desk_csrf_field (page, csrf);
  g_string_append_printf (page, "<button type=\"submit\" id=\"login\">%s</button></form></div>\n",
                          TD_WEB_T (lang, "登录", "Log in"));
  td_web_page_end (page, lang);
  response = td_web_response_html (status, page);
  td_web_response_add_header (response, "Set-Cookie", cookie);
  return response;
}

static void
td_web_desk_header (GString    *page,
                    TdWebLang   lang,
                    const char *staff,
                    const char *csrf)
{
  g_string_append_printf (page, "<form class=\"who\" method=\"post\" action=\"/desk/logout\"><p>%s",
                          TD_WEB_T (lang, "已登录：", "Logged in as "));
  td_web_escape (page, staff);
  g_string_append (page, " ");
  td_web_desk_csrf_field (page, csrf);
  g_string_append_printf (page, "<button class=\"secondary\" type=\"submit\" id=\"logout\">%s"
                                "</button> <a href=\"/desk\">%s</a> <a href=\"/desk/refused\">%s</a></p></form>\n",
                          TD_WEB_T (lang, "退出", "Log out"), TD_WEB_T (lang, "各校状态", "Schools"),
                          TD_WEB_T (lang, "被拒收的邮件", "Refused messages"));
}

static void
td_web_desk_state (GString          *page,
                   TdWebLang         lang,
                   TdSchoolState     state)
{
  g_string_append_printf (page, "<span class=\"state-%s\">%s</span>", td_web_desk_states[state].word,
                          TD_WEB_T (lang, td_web_desk_states[state].zh, td_web_desk_states[state].en));
}

static void
td_web_desk_forms (GString    *page,
                   TdWebLang   lang,
                   const char *csrf)
{
  g_string_append_printf (page, "<section class=\"panel\"><h2>%s</h2><form method=\"post\" action=\"/desk/schools\">"
                                "<label for=\"r-name\">%s</label><input id=\"r-name\" name=\"name\" required maxlength=\"200\">"
                                "<label for=\"r-city\">%s</label><input id=\"r-city\" name=\"city\" maxlength=\"100\">"
                                "<label for=\"r-county\">%s</label><input id=\"r-county\" name=\"county\" maxlength=\"100\">"
                                "<label for=\"r-key\">%s</label><input id=\"r-key\" name=\"key\" maxlength=\"44\" "
                                "autocomplete=\"off\">",
                          TD_WEB_T (lang, "登记学校", "Register a school"), TD_WEB_T (lang, "学校名称", "School name"),
                          TD_WEB_T (lang, "市", "City"), TD_WEB_T (lang, "县（市）区", "County"),
                          TD_WEB_T (lang, "公钥（可选，signature.json 中的 public_key）",
                                    "Public key (optional: signature.json’s public_key)"));
  td_web_desk_csrf_field (page, csrf);
  g_string_append_printf (page, "<button type=\"submit\" id=\"register\">%s</button></form></section>\n",
                          TD_WEB_T (lang, "登记并生成令牌", "Register and make its token"));
  g_string_append_printf (page, "<section class=\"panel\"><h2>%s</h2><form method=\"post\" action=\"/desk/token\">"
                                "<label for=\"t-name\">%s</label><input id=\"t-name\" name=\"name\" required maxlength=\"200\">",
                          TD_WEB_T (lang, "生成新令牌", "Make a new token"), TD_WEB_T (lang, "学校名称", "School name"));
  td_web_desk_csrf_field (page, csrf);
  g_string_append_printf (page, "<button type=\"submit\" id=\"token\">%s</button></form></section>\n",
                          TD_WEB_T (lang, "生成（旧令牌失效）", "Make it (the old one stops working)"));
  g_string_append_printf (page, "<section class=\"panel\"><h2>%s</h2><form method=\"post\" action=\"/desk/reset-key\">"
                                "<label for=\"k-name\">%s</label><input id=\"k-name\" name=\"name\" required maxlength=\"200\">",
                          TD_WEB_T (lang, "重置密钥", "Reset a key"), TD_WEB_T (lang, "学校名称", "School name"));
  td_web_desk_csrf_field (page, csrf);
  g_string_append_printf (page, "<button type=\"submit\" id=\"reset-key\">%s</button></form></section>\n",
                          TD_WEB_T (lang, "重置（下一份被接收的提交登记新密钥）",
                                    "Reset (the next submission accepted enrols a key)"));
}

typedef struct
{
  const char *city;
  guint       counts[G_N_ELEMENTS (td_web_desk_states)];
  guint       total;
} TdWebDeskCity;

static void
td_web_desk_counts_row (GString             *page,
                        const char          *city,
                        const TdWebDeskCity *counts)
{
  g_string_append (page, "<tr><th scope=\"row\">");
  td_web_escape (page, city);
  g_string_append_printf (page, "</th><td class=\"n\">%u</td><td class=\"n\">%u</td><td class=\"n\">%u</td>"
                                "<td class=\"n\">%u</td><td class=\"n\">%u</td></tr>\n",
                          counts->total, counts->counts[TD_SCHOOL_SENT], counts->counts[TD_SCHOOL_LATE],
                          counts->counts[TD_SCHOOL_REFUSED], counts->counts[TD_SCHOOL_MISSING]);
}

static TdWebResponse *
td_web_desk_page (TdWebRequest *request,
                  const char   *staff,
                  const char   *csrf,
                  const char   *notice_html)
{
  TdWebLang lang = request->lang;
  TdWebSite *site = request->site;
  TdCatalogue *catalogue = site->catalogue;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL, found = NULL;
  g_autoptr(GArray) cities = g_array_new (FALSE, TRUE, sizeof (TdWebDeskCity));
  TdWebDeskCity total = { 0, };
  TdCatalogueQuery query = { .state = -1 };
  const char *city = td_web_request_param (request, "city");
  const char *state = td_web_request_param (request, "state");
  const char *page_text = td_web_request_param (request, "page");
  GDateTime *deadline = td_catalogue_get_deadline (catalogue);
  guint64 page_number = 1;
  guint first, pages;
  GString *page;

  if ((city && strlen (city) > 300) ||
      (page_text && !g_ascii_string_to_unsigned (page_text, 10, 1, 100000, &page_number, NULL)))
    return td_web_response_message (SOUP_STATUS_BAD_REQUEST, lang, "查询条件无效。", "The query is not valid.");
  for (guint i = 0; state && state[0] && i < G_N_ELEMENTS (td_web_desk_states); i++)
    if (g_str_equal (state, td_web_desk_states[i].word))
      query.state = (int)i;
  if (state && state[0] && query.state < 0)
    return td_web_response_message (SOUP_STATUS_BAD_REQUEST, lang, "没有这种状态。", "There is no such state.");
  query.city = city && city[0] ? city : NULL;

  if (!td_catalogue_lock (catalogue, &error))
    return td_web_trouble (request, error);
  {
    TdCatalogueQuery everything = { .state = -1 };

    all = td_catalogue_search (catalogue, &everything);
  }
  for (guint i = 0; i < all->len; i++)
    {
      TdCatalogueEntry *entry = all->pdata[i];
      TdWebDeskCity *c = cities->len ? &g_array_index (cities, TdWebDeskCity, cities->len - 1) : NULL;

      if (c == NULL || !g_str_equal (c->city, entry->city))
        {
          TdWebDeskCity fresh = { .city = entry->city };

          g_array_append_val (cities, fresh);
          c = &g_array_index (cities, TdWebDeskCity, cities->len - 1);
        }
      c->counts[entry->state]++;
      c->total++;
      total.counts[entry->state]++;
      total.total++;
    }
  found = td_catalogue_search (catalogue, &query);
  pages = MAX (1, (found->len + TD_WEB_DESK_PAGE - 1) / TD_WEB_DESK_PAGE);
  first = (MIN ((guint)page_number, pages) - 1) * TD_WEB_DESK_PAGE;

  page = g_string_sized_new (64 * 1024);
  td_web_page_begin (page, lang, TD_WEB_T (lang, "省厅工作台", "Province desk"), "desk");
  td_web_desk_header (page, lang, staff, csrf);
  if (notice_html)
    g_string_append (page, notice_html);
  g_string_append_printf (page, "<p class=\"meta\" id=\"campaign\">%s", TD_WEB_T (lang, "征集活动：", "Campaign: "));
  td_web_escape (page, td_catalogue_get_campaign (catalogue)
                       ? td_catalogue_get_campaign (catalogue) : TD_WEB_T (lang, "全部", "all"));
  g_string_append_printf (page, " · %s", TD_WEB_T (lang, "截止时间（北京时间）：", "Deadline (Beijing time): "));
  if (deadline)
    {
      g_autofree char *text = g_date_time_format_iso8601 (deadline);

      td_web_time (page, text);
    }
  else
    g_string_append (page, TD_WEB_T (lang, "未设定（--deadline）", "none set (--deadline)"));
  g_string_append_printf (page, "</p>\n<h2>%s</h2>\n<table class=\"counts\" id=\"counts\"><thead><tr><th>%s</th>"
                                "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n",
                          TD_WEB_T (lang, "各市统计", "By city"), TD_WEB_T (lang, "市", "City"),
                          TD_WEB_T (lang, "登记", "Registered"), TD_WEB_T (lang, "已报送", "Sent"),
                          TD_WEB_T (lang, "逾期", "Late"), TD_WEB_T (lang, "被拒收", "Refused"),
                          TD_WEB_T (lang, "未报送", "Not yet sent"));
  for (guint i = 0; i < cities->len; i++)
    {
      TdWebDeskCity *c = &g_array_index (cities, TdWebDeskCity, i);

      td_web_desk_counts_row (page, c->city[0] ? c->city : TD_WEB_T (lang, "（未填）", "(none given)"), c);
    }
  td_web_desk_counts_row (page, TD_WEB_T (lang, "合计", "Total"), &total);
  g_string_append (page, "</tbody></table>\n");

  g_string_append_printf (page, "<h2>%s</h2>\n<form class=\"filters\" method=\"get\" action=\"/desk\">"
                                "<div><label for=\"city\">%s</label><select id=\"city\" name=\"city\">"
                                "<option value=\"\">%s</option>",
                          TD_WEB_T (lang, "各校状态", "Schools"), TD_WEB_T (lang, "市", "City"),
                          TD_WEB_T (lang, "全部", "All"));
  for (guint i = 0; i < cities->len; i++)
    {
      TdWebDeskCity *c = &g_array_index (cities, TdWebDeskCity, i);

      if (c->city[0] == '\0')
        continue;
      g_string_append (page, "<option value=\"");
      td_web_escape (page, c->city);
      g_string_append_printf (page, "\"%s>", g_strcmp0 (query.city, c->city) == 0 ? " selected" : "");
      td_web_escape (page, c->city);
      g_string_append (page, "</option>");
    }
  g_string_append_printf (page, "</select></div><div><label for=\"state\">%s</label><select id=\"state\" name=\"state\">"
                                "<option value=\"\">%s</option>",
                          TD_WEB_T (lang, "状态", "State"), TD_WEB_T (lang, "全部", "All"));
  for (guint i = 0; i < G_N_ELEMENTS (td_web_desk_states); i++)
    g_string_append_printf (page, "<option value=\"%s\"%s>%s</option>", td_web_desk_states[i].word,
                            query.state == (int)i ? " selected" : "",
                            TD_WEB_T (lang, td_web_desk_states[i].zh, td_web_desk_states[i].en));
  g_string_append_printf (page, "</select></div><div><label>&nbsp;</label><button type=\"submit\">%s</button></div>"
                                "</form>\n<table class=\"wide\" id=\"schools\"><thead><tr><th>%s</th><th>%s</th>"
                                "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n",
                          TD_WEB_T (lang, "查看", "Show"), TD_WEB_T (lang, "学校", "School"),
                          TD_WEB_T (lang, "地区", "Place"), TD_WEB_T (lang, "状态", "State"),
                          TD_WEB_T (lang, "首次收到（北京时间）", "First received (Beijing time)"), TD_WEB_T (lang, "提交数", "Submissions"),
                          TD_WEB_T (lang, "公钥指纹", "Key fingerprint"));
  for (guint i = first; i < found->len && i < first + TD_WEB_DESK_PAGE; i++)
    {
      TdCatalogueEntry *entry = found->pdata[i];
      TdWebSchool *school = entry->school;

      g_string_append_printf (page, "<tr data-state=\"%s\"><td>", td_web_desk_states[entry->state].word);
      if (entry->latest)
        g_string_append_printf (page, "<a href=\"/catalogue/school/%" G_GINT64_FORMAT "\">", school->school_id);
      td_web_escape (page, school->name);
      g_string_append (page, entry->latest ? "</a></td><td>" : "</td><td>");
      td_web_escape (page, entry->city);
      g_string_append (page, " ");
      td_web_escape (page, entry->county);
      g_string_append (page, "</td><td>");
      td_web_desk_state (page, lang, entry->state);
      if (entry->state == TD_SCHOOL_REFUSED)
        {
          g_string_append (page, "<br><small>");
          td_web_escape (page, school->refused_word);
          g_string_append (page, ": ");
          td_web_escape (page, lang == TD_WEB_EN ? school->refused_reason : school->refused_reason_zh);
          g_string_append (page, "</small>");
        }
      g_string_append (page, "</td><td>");
      td_web_time (page, school->first_received_at);
      g_string_append_printf (page, "</td><td class=\"n\">%" G_GINT64_FORMAT "</td><td class=\"fingerprint\">",
                              school->n_submissions);
      if (school->public_key)
        {
          g_autoptr(GBytes) key = td_receiver_decode_key (school->public_key);
          g_autofree char *fingerprint = key ? td_signing_key_fingerprint (key) : NULL;

          td_web_escape (page, fingerprint ? fingerprint : "?");
        }
      else
        g_string_append (page, TD_WEB_T (lang, "未登记", "none yet"));
      g_string_append (page, "</td></tr>\n");
    }
  g_string_append (page, "</tbody></table>\n");
  if (pages > 1)
    {
      guint current = MIN ((guint)page_number, pages);

      g_string_append_printf (page, "<nav class=\"pages\"><span>%u / %u</span>", current, pages);
      if (current < pages)
        {
          g_string_append (page, "<a rel=\"next\" href=\"/desk?city=");
          td_web_escape_uri (page, query.city);
          g_string_append_printf (page, "&amp;state=%s&amp;page=%u\">%s</a>",
                                  query.state >= 0 ? td_web_desk_states[query.state].word : "", current + 1,
                                  TD_WEB_T (lang, "下一页", "Next"));
        }
      g_string_append (page, "</nav>\n");
    }
  td_catalogue_unlock (catalogue);
  td_web_desk_forms (page, lang, csrf);
  td_web_page_end (page, lang);
  return td_web_response_html (SOUP_STATUS_OK, page);
}

static TdWebResponse *
td_web_desk_refused (TdWebRequest *request,
                     const char   *staff,
                     const char   *csrf)
{
  TdWebLang lang = request->lang;
  TdWebSite *site = request->site;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  GString *page;

  g_mutex_lock (&site->desk_lock);
  refused = td_receiver_db_list_refused (site->desk_db, &error);
  g_mutex_unlock (&site->desk_lock);
  if (refused == NULL)
    return td_web_trouble (request, error);

  page = g_string_sized_new (32 * 1024);
  td_web_page_begin (page, lang, TD_WEB_T (lang, "被拒收的邮件", "Refused messages"), "desk");
  td_web_desk_header (page, lang, staff, csrf);
  g_string_append_printf (page, "<p class=\"count\">%s%u%s</p>\n<table class=\"wide\" id=\"refused\"><thead><tr>"
                                "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n",
                          TD_WEB_T (lang, "共 ", ""), refused->len, TD_WEB_T (lang, " 封", " messages"),
                          TD_WEB_T (lang, "拒收时间", "Refused at"), TD_WEB_T (lang, "学校", "School"),
                          TD_WEB_T (lang, "原因", "Reason"), TD_WEB_T (lang, "来源", "Source"),
                          TD_WEB_T (lang, "修订", "Revision"));
  /* The latest first, the last 500. */
  for (guint n = 0; n < refused->len && n < 500; n++)
    {
      TdRefused *r = refused->pdata[refused->len - 1 - n];

      g_string_append (page, "<tr><td>");
      td_web_time (page, r->refused_at);
      g_string_append (page, "</td><td>");
      td_web_escape (page, r->school ? r->school : "—");
      g_string_append (page, "</td><td><strong>");
      td_web_escape (page, r->word);
      g_string_append (page, "</strong> ");
      td_web_escape (page, lang == TD_WEB_EN ? r->reason : r->reason_zh);
      g_string_append (page, "</td><td>");
      td_web_escape (page, r->source);
      g_string_append (page, "</td><td>");
      td_web_escape (page, r->revision ? r->revision : "—");
      g_string_append (page, "</td></tr>\n");
    }
  g_string_append (page, "</tbody></table>\n");
  td_web_page_end (page, lang);
  return td_web_response_html (SOUP_STATUS_OK, page);
}

/* Log-in */

static TdWebResponse *
td_web_desk_login (TdWebRequest *request)
{
  TdWebSite *site = request->site;
  TdWebLang lang = request->lang;
  const char *name = td_web_request_field (request, "name");
  const char *password = td_web_request_field (request, "password");
  g_autofree char *hash = NULL;
  g_autofree char *token = NULL;
  g_autofree char *cookie = NULL;
  g_autoptr(GError) error = NULL;
  const char *against;
  gint64 locked;
  gboolean ok;
  TdWebResponse *response;

  if (!td_web_desk_equal (td_web_request_field (request, "csrf"), td_web_request_cookie (request, "td_login")))
    return td_web_desk_login_page (request, SOUP_STATUS_FORBIDDEN,
                                   TD_WEB_T (lang, "登录表单已过期或不是本站的（CSRF），请重新登录。",
                                             "The log-in form expired or is not this site’s (CSRF): log in again."));
  if (name == NULL || password == NULL || *name == '\0' || strlen (name) > TD_WEB_DESK_MAX_NAME ||
      strlen (password) > TD_WEB_DESK_MAX_PASSWORD)
    return td_web_desk_login_page (request, SOUP_STATUS_BAD_REQUEST,
                                   TD_WEB_T (lang, "请填写账户和密码。", "Give the account and its password."));
  locked = td_web_desk_locked (site, name);
  if (locked > 0)
    {
      g_autofree char *zh = g_strdup_printf ("此账户因多次登录失败已被锁定，请 %" G_GINT64_FORMAT " 分钟后再试。",
                                             (locked + 59) / 60);
      g_autofree char *en = g_strdup_printf ("This account is locked after failed log-ins: try again in %"
                                             G_GINT64_FORMAT " minutes.", (locked + 59) / 60);
      g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT, locked);

      response = td_web_desk_login_page (request, 429, TD_WEB_T (lang, zh, en));
      td_web_response_add_header (response, "Retry-After", seconds);
      return response;
    }

  g_mutex_lock (&site->desk_lock);
  hash = td_receiver_db_web_staff_hash (site->desk_db, name, &error);
  g_mutex_unlock (&site->desk_lock);
  if (error)
    return td_web_trouble (request, error);
  against = hash ? hash : g_once (&site->dummy_once, td_web_desk_make_dummy, site);
  ok = against && crypto_pwhash_str_verify (against, password, strlen (password)) == 0 && hash != NULL;
  if (!ok)
    {
      td_web_desk_failed (site, name);
      td_receiver_log ("desk: a failed log-in as “%s”", name);
      return td_web_desk_login_page (request, SOUP_STATUS_FORBIDDEN,
                                     TD_WEB_T (lang, "账户或密码不对。", "The account or the password is wrong."));
    }
  td_web_desk_succeeded (site, name);
  token = td_web_desk_new_session (site, name);
  if (token == NULL)
    return td_web_response_message (SOUP_STATUS_SERVICE_UNAVAILABLE, lang, "登录的会话太多，请稍后再试。",
                                    "Too many sessions are open: try again later.");
  td_receiver_log ("desk: “%s” logged in", name);
  response = td_web_response_redirect ("/desk");
  cookie = td_web_cookie (site, "td_session", token, "/desk", TD_WEB_SESSION_SECONDS);
  td_web_response_add_header (response, "Set-Cookie", cookie);
  g_clear_pointer (&cookie, g_free);
  cookie = td_web_cookie (site, "td_login", "", "/desk", 0);
  td_web_response_add_header (response, "Set-Cookie", cookie);
  return response;
}

/* Actions */

static TdWebResponse *
td_web_desk_action_page (TdWebRequest *request,
                         const char   *staff,
                         const char   *csrf,
                         guint         status,
                         const char   *css_class,
                         const char   *text,
                         const char   *token)
{
  g_autoptr(GString) notice = g_string_new (NULL);
  TdWebResponse *response;

  g_string_append_printf (notice, "<div class=\"%s\" id=\"outcome\"><p>", css_class);
  td_web_escape (notice, text);
  g_string_append (notice, "</p>");
  if (token)
    {
      g_string_append_printf (notice, "<p>%s<br><code id=\"new-token\">",
                              TD_WEB_T (request->lang, "令牌（只显示这一次，请交给学校）：",
                                        "The token (shown this once: give it to the school):"));
      td_web_escape (notice, token);
      g_string_append (notice, "</code></p>");
    }
  g_string_append (notice, "</div>\n");
  response = td_web_desk_page (request, staff, csrf, notice->str);
  if (response->status == SOUP_STATUS_OK)
    response->status = status;
  return response;
}

static TdWebResponse *
td_web_desk_act (TdWebRequest *request,
                 const char   *staff,
                 const char   *csrf)
{
  TdWebSite *site = request->site;
  TdWebLang lang = request->lang;
  const char *path = request->path;
  const char *name = td_web_request_field (request, "name");
  const char *city = td_web_request_field (request, "city");
  const char *county = td_web_request_field (request, "county");
  const char *key = td_web_request_field (request, "key");
  g_autofree char *clean = name ? g_strstrip (g_strdup (name)) : NULL;
  g_autofree char *token = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gboolean replaced;

  if (clean == NULL || *clean == '\0' || strlen (clean) > TD_WEB_DESK_MAX_NAME ||
      (city && strlen (city) > 300) || (county && strlen (county) > 300))
    return td_web_desk_action_page (request, staff, csrf, SOUP_STATUS_BAD_REQUEST, "error",
                                    TD_WEB_T (lang, "请填写学校名称（最多 200 字节）。",
                                              "Give the school’s name (at most 200 bytes)."), NULL);
  if (key && *key == '\0')
    key = NULL;

  if (g_str_equal (path, "/desk/schools"))
    {
      g_autoptr(GBytes) decoded = key ? td_receiver_decode_key (key) : NULL;

      if (key && decoded == NULL)
        return td_web_desk_action_page (request, staff, csrf, SOUP_STATUS_BAD_REQUEST, "error",
                                        TD_WEB_T (lang, "公钥须为 32 字节的 Ed25519 公钥，以 base64 书写（signature.json 中的 public_key）。",
                                                  "The key must be an Ed25519 public key, 32 bytes in base64 "
                                                  "(signature.json’s public_key)."), NULL);
      g_mutex_lock (&site->desk_lock);
      token = td_receiver_db_add_school_full (site->desk_db, clean, key, city && *city ? city : NULL,
                                              county && *county ? county : NULL, TD_ADD_SCHOOL_NEW,
                                              &replaced, &error);
      g_mutex_unlock (&site->desk_lock);
      if (token)
        {
          td_receiver_log ("desk: “%s” registered the school “%s”", staff, clean);
          text = lang == TD_WEB_EN ? g_strdup_printf ("“%s” is registered.", clean)
                                   : g_strdup_printf ("已登记“%s”。", clean);
        }
    }
  else if (g_str_equal (path, "/desk/token"))
    {
      g_mutex_lock (&site->desk_lock);
      token = td_receiver_db_add_school_full (site->desk_db, clean, NULL, NULL, NULL, TD_ADD_SCHOOL_EXISTING,
                                              &replaced, &error);
      g_mutex_unlock (&site->desk_lock);
      if (token)
        {
          td_receiver_log ("desk: “%s” made a new token for “%s”", staff, clean);
          text = lang == TD_WEB_EN ? g_strdup_printf ("A new token for “%s”: the old one no longer works.", clean)
                                   : g_strdup_printf ("已为“%s”生成新令牌，旧令牌已失效。", clean);
        }
    }
  else
    {
      gboolean reset;

      g_mutex_lock (&site->desk_lock);
      reset = td_receiver_db_reset_key (site->desk_db, clean, &error);
      g_mutex_unlock (&site->desk_lock);
      if (reset)
        {
          td_receiver_log ("desk: “%s” reset the key of “%s”", staff, clean);
          text = lang == TD_WEB_EN
                 ? g_strdup_printf ("The key of “%s” is reset: the next submission accepted enrols one.", clean)
                 : g_strdup_printf ("已重置“%s”的密钥：下一份被接收的提交将登记新密钥。", clean);
        }
    }

  if (g_error_matches (error, TD_RECEIVER_DB_ERROR, TD_RECEIVER_DB_ERROR_EXISTS))
    return td_web_desk_action_page (request, staff, csrf, SOUP_STATUS_CONFLICT, "error",
                                    TD_WEB_T (lang, "已有同名学校登记；如需新令牌，请用“生成新令牌”。",
                                              "A school of this name is registered already; for a new token, "
                                              "use “Make a new token”."), NULL);
  if (g_error_matches (error, TD_RECEIVER_DB_ERROR, TD_RECEIVER_DB_ERROR_NO_SCHOOL))
    return td_web_desk_action_page (request, staff, csrf, SOUP_STATUS_NOT_FOUND, "error",
                                    TD_WEB_T (lang, "没有登记这个名称的学校。", "No school is registered by this name."),
                                    NULL);
  if (error)
    return td_web_trouble (request, error);
  return td_web_desk_action_page (request, staff, csrf, SOUP_STATUS_OK, "notice", text, token);
}

TdWebResponse *
td_web_desk_route (TdWebRequest *request)
{
  const char *path = request->path;
  gboolean post = request->method == SOUP_METHOD_POST;
  g_autofree char *staff = NULL;
  g_autofree char *csrf = NULL;
  gboolean logged_in;

  if (g_str_equal (path, "/desk/login") && post)
    return td_web_desk_login (request);

  logged_in = td_web_desk_session (request, &staff, &csrf);
  if (!post && (g_str_equal (path, "/desk") || g_str_equal (path, "/desk/")))
    return logged_in ? td_web_desk_page (request, staff, csrf, NULL)
                     : td_web_desk_login_page (request, SOUP_STATUS_OK, NULL);
  if (!logged_in)
    {
      if (!post && g_str_equal (path, "/desk/refused"))
        return td_web_desk_login_page (request, SOUP_STATUS_UNAUTHORIZED, NULL);
      if (post)
        return td_web_desk_login_page (request, SOUP_STATUS_UNAUTHORIZED,
                                       TD_WEB_T (request->lang, "请先登录。", "Log in first."));
      return td_web_response_message (SOUP_STATUS_NOT_FOUND, request->lang, "此地址没有内容。",
                                      "There is nothing at this address.");
    }
  if (!post && g_str_equal (path, "/desk/refused"))
    return td_web_desk_refused (request, staff, csrf);
  if (post && (g_str_equal (path, "/desk/logout") || g_str_equal (path, "/desk/schools") ||
               g_str_equal (path, "/desk/token") || g_str_equal (path, "/desk/reset-key")))
    {
      if (!td_web_desk_equal (td_web_request_field (request, "csrf"), csrf))
        return td_web_response_message (SOUP_STATUS_FORBIDDEN, request->lang,
                                        "表单缺少有效的 CSRF 令牌，未做任何更改。请从工作台页面重新提交。",
                                        "The form lacks a valid CSRF token: nothing was changed. "
                                        "Send it again from the desk’s page.");
      if (g_str_equal (path, "/desk/logout"))
        {
          TdWebResponse *response = td_web_response_redirect ("/desk");
          g_autofree char *cookie = td_web_cookie (request->site, "td_session", "", "/desk", 0);

          td_web_desk_end_session (request);
          td_web_response_add_header (response, "Set-Cookie", cookie);
          return response;
        }
      return td_web_desk_act (request, staff, csrf);
    }
  if (post || g_str_equal (path, "/desk/refused"))
    {
      TdWebResponse *response = td_web_response_message (SOUP_STATUS_METHOD_NOT_ALLOWED, request->lang,
                                                         "此地址不支持该请求方法。",
                                                         "This address does not take this method.");

      td_web_response_add_header (response, "Allow", post ? "GET, HEAD" : "POST");
      return response;
    }
  return td_web_response_message (SOUP_STATUS_NOT_FOUND, request->lang, "此地址没有内容。",
                                  "There is nothing at this address.");
}
