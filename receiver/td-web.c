/* td-web.c: HTML pages of the receiver: escaping, frame, headers, language
 *
 * Every value a page shows goes through td_web_escape() where it is
 * written: a school named "<script>…" shows as text. Pages are built in a
 * GString, whole, so a page is never half-sent, and answered with a strict
 * Content-Security-Policy (no script at all, styles from the receiver's
 * own stylesheet only), as the pages need none: they work without
 * JavaScript, and a browser is told to run none.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-receiver"

#include "config.h"

#include <string.h>

#include "td-web.h"

#define TD_WEB_RESOURCE "/io/github/vocedu/TrainingDesk/receiver/web/"

static const char td_web_csp[] =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
  "frame-ancestors 'none'; base-uri 'none'";

/* The language the reader's browser prefers of the two: the highest
 * q-value among zh* and en*, the first listed on a tie; Chinese when
 * neither is asked for. */
TdWebLang
td_web_lang (SoupMessageHeaders *headers)
{
  const char *accept = soup_message_headers_get_list (headers, "Accept-Language");
  g_auto(GStrv) items = NULL;
  TdWebLang best = TD_WEB_ZH;
  double best_q = -1;

  if (accept == NULL || strlen (accept) > TD_WEB_MAX_QUERY)
    return TD_WEB_ZH;
  items = g_strsplit (accept, ",", 32);
  for (guint i = 0; items[i]; i++)
    {
      char *tag = g_strstrip (items[i]);
      const char *params = strchr (tag, ';');
      double q = 1;
      TdWebLang lang;

      if (g_ascii_strncasecmp (tag, "zh", 2) == 0)
        lang = TD_WEB_ZH;
      else if (g_ascii_strncasecmp (tag, "en", 2) == 0)
        lang = TD_WEB_EN;
      else
        continue;
      if (params && (params = strstr (params, "q=")))
        q = g_ascii_strtod (params + 2, NULL);
      if (q > best_q)
        {
          best_q = q;
          best = lang;
        }
    }
  return best;
}

void
td_web_escape_len (GString    *out,
                   const char *text,
                   gssize      length)
{
  const char *end;
  g_autofree char *valid = NULL;

  if (text == NULL)
    return;
  if (length < 0)
    length = (gssize)strlen (text);
  /* Invalid UTF-8 (never stored, but shown safely whatever comes) */
  if (!g_utf8_validate_len (text, (gsize)length, NULL))
    {
      valid = g_utf8_make_valid (text, length);
      text = valid;
      length = (gssize)strlen (valid);
    }
  end = text + length;
  for (const char *p = text; p < end; p++)
    switch (*p)
      {
      case '&': g_string_append (out, "&amp;"); break;
      case '<': g_string_append (out, "&lt;"); break;
      case '>': g_string_append (out, "&gt;"); break;
      case '"': g_string_append (out, "&quot;"); break;
      case '\'': g_string_append (out, "&#39;"); break;
      case '\0': break;
      default: g_string_append_c (out, *p);
      }
}

void
td_web_escape (GString    *out,
               const char *text)
{
  td_web_escape_len (out, text, -1);
}

/* A moment as the province reads it: Beijing time to the minute
 * ("2026-12-06 11:07"), in a <time> element that keeps the stored value
 * whole; text that is no ISO 8601 moment is written as it is, escaped. */
void
td_web_time (GString    *out,
             const char *iso8601)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) beijing = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) moment = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *shown = NULL;

  if (iso8601 == NULL || *iso8601 == '\0')
    {
      g_string_append (out, "—");
      return;
    }
  moment = g_date_time_new_from_iso8601 (iso8601, utc);
  if (moment == NULL)
    {
      td_web_escape (out, iso8601);
      return;
    }
  local = g_date_time_to_timezone (moment, beijing);
  shown = g_date_time_format (local, "%Y-%m-%d %H:%M");
  g_string_append (out, "<time datetime=\"");
  td_web_escape (out, iso8601);
  g_string_append (out, "\">");
  td_web_escape (out, shown);
  g_string_append (out, "</time>");
}

/* A query parameter's value, in an attribute: percent-encoded, then
 * escaped (the & of a query is written &amp; by the caller). */
void
td_web_escape_uri (GString    *out,
                   const char *text)
{
  g_autofree char *escaped = g_uri_escape_string (text ? text : "", NULL, FALSE);

  td_web_escape (out, escaped);
}

void
td_web_page_begin (GString    *out,
                   TdWebLang   lang,
                   const char *title,
                   const char *section)
{
  g_string_append_printf (out,
                          "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
                          lang == TD_WEB_EN ? "en" : "zh-CN");
  td_web_escape (out, title);
  g_string_append (out, "</title>\n<link rel=\"stylesheet\" href=\"/static/td-web.css\">\n</head>\n<body>\n"
                        "<header class=\"site\"><nav>");
  g_string_append_printf (out, "<a href=\"/catalogue\"%s>%s</a> <a href=\"/desk\"%s>%s</a>",
                          g_strcmp0 (section, "catalogue") == 0 ? " aria-current=\"page\"" : "",
                          TD_WEB_T (lang, "培训机构目录", "Catalogue of training providers"),
                          g_strcmp0 (section, "desk") == 0 ? " aria-current=\"page\"" : "",
                          TD_WEB_T (lang, "省厅工作台", "Province desk"));
  g_string_append (out, "</nav></header>\n<main>\n<h1>");
  td_web_escape (out, title);
  g_string_append (out, "</h1>\n");
}

void
td_web_page_end (GString   *out,
                 TdWebLang  lang)
{
  g_string_append_printf (out, "</main>\n<footer class=\"site\">%s</footer>\n</body>\n</html>\n",
                          TD_WEB_T (lang, "职业培训工作台 · 省教育厅接收端",
                                    "Training Desk · the province’s receiver"));
}

TdWebResponse *
td_web_response_new (guint       status,
                     const char *content_type,
                     GBytes     *body)
{
  TdWebResponse *response = g_new0 (TdWebResponse, 1);

  response->status = status;
  response->content_type = g_strdup (content_type);
  response->body = body ? g_bytes_ref (body) : NULL;
  response->headers = g_ptr_array_new_with_free_func (g_free);
  return response;
}

TdWebResponse *
td_web_response_html (guint    status,
                      GString *page)
{
  g_autoptr(GBytes) body = g_string_free_to_bytes (page);

  return td_web_response_new (status, "text/html; charset=utf-8", body);
}

/* A page of one message: a refusal, an error. */
TdWebResponse *
td_web_response_message (guint       status,
                         TdWebLang   lang,
                         const char *zh,
                         const char *en)
{
  GString *page = g_string_new (NULL);
  g_autofree char *title = g_strdup_printf ("%u %s", status, soup_status_get_phrase (status));

  td_web_page_begin (page, lang, title, NULL);
  g_string_append (page, "<p class=\"message\">");
  td_web_escape (page, TD_WEB_T (lang, zh, en));
  g_string_append (page, "</p>\n");
  td_web_page_end (page, lang);
  return td_web_response_html (status, page);
}

/* After a POST: 303, so that reloading does not post again. */
TdWebResponse *
td_web_response_redirect (const char *location)
{
  TdWebResponse *response = td_web_response_new (SOUP_STATUS_SEE_OTHER, NULL, NULL);

  td_web_response_add_header (response, "Location", location);
  return response;
}

void
td_web_response_add_header (TdWebResponse *response,
                            const char    *name,
                            const char    *value)
{
  g_ptr_array_add (response->headers, g_strdup (name));
  g_ptr_array_add (response->headers, g_strdup (value));
}

void
td_web_response_apply (TdWebResponse     *response,
                       SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, response->status, NULL);
  soup_message_headers_replace (headers, "Content-Security-Policy", td_web_csp);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  soup_message_headers_replace (headers, "Cross-Origin-Opener-Policy", "same-origin");
  soup_message_headers_replace (headers, "Cross-Origin-Resource-Policy", "same-origin");
  soup_message_headers_replace (headers, "Vary", "Accept-Language, Cookie");
  if (!soup_message_headers_get_one (headers, "Cache-Control"))
    soup_message_headers_replace (headers, "Cache-Control", "no-store");
  for (guint i = 0; i + 1 < response->headers->len; i += 2)
    soup_message_headers_append (headers, response->headers->pdata[i], response->headers->pdata[i + 1]);
  if (response->body)
    {
      gsize length;
      const char *data = g_bytes_get_data (response->body, &length);

      soup_server_message_set_response (msg, response->content_type, SOUP_MEMORY_COPY, data, length);
    }
  else
    soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_STATIC, "", 0);
}

void
td_web_response_free (TdWebResponse *response)
{
  if (response == NULL)
    return;
  g_free (response->content_type);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_ptr_array_unref (response->headers);
  g_free (response);
}

/* The stylesheet, from the receiver's resources. */
GBytes *
td_web_static (const char  *path,
               const char **content_type)
{
  g_autofree char *name = NULL;

  if (!g_str_equal (path, "/static/td-web.css"))
    return NULL;
  name = g_strconcat (TD_WEB_RESOURCE, "td-web.css", NULL);
  *content_type = "text/css; charset=utf-8";
  return g_resources_lookup_data (name, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
}
