/* td-web.h: HTML pages of the receiver (the catalogue, the desk): escaping,
 * the page's frame, the security headers, the reader's language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef enum
{
  TD_WEB_ZH,
  TD_WEB_EN,
} TdWebLang;

/* The page's text in the reader's language: Chinese first. */
#define TD_WEB_T(lang, zh, en) ((lang) == TD_WEB_EN ? (en) : (zh))

/* The largest form body (/desk) and query taken. */
#define TD_WEB_MAX_FORM (16 * 1024)
#define TD_WEB_MAX_QUERY 512

/* What a web request is answered: made in a thread, given on the main loop. */
typedef struct
{
  guint       status;
  char       *content_type;
  GBytes     *body;
  GPtrArray  *headers;      /* name, value, name, value, … */
} TdWebResponse;

TdWebLang      td_web_lang              (SoupMessageHeaders *headers);
void           td_web_escape            (GString            *out,
                                         const char         *text);
void           td_web_escape_len        (GString            *out,
                                         const char         *text,
                                         gssize              length);
void           td_web_escape_uri        (GString            *out,
                                         const char         *text);
void           td_web_time              (GString            *out,
                                         const char         *iso8601);
void           td_web_page_begin        (GString            *out,
                                         TdWebLang           lang,
                                         const char         *title,
                                         const char         *section);
void           td_web_page_end          (GString            *out,
                                         TdWebLang           lang);

TdWebResponse *td_web_response_new      (guint               status,
                                         const char         *content_type,
                                         GBytes             *body);
TdWebResponse *td_web_response_html     (guint               status,
                                         GString            *page);
TdWebResponse *td_web_response_message  (guint               status,
                                         TdWebLang           lang,
                                         const char         *zh,
                                         const char         *en);
TdWebResponse *td_web_response_redirect (const char         *location);
void           td_web_response_add_header (TdWebResponse    *response,
                                         const char         *name,
                                         const char         *value);
void           td_web_response_apply    (TdWebResponse      *response,
                                         SoupServerMessage  *msg);
void           td_web_response_free     (TdWebResponse      *response);

GBytes        *td_web_static            (const char         *path,
                                         const char        **content_type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdWebResponse, td_web_response_free)

G_END_DECLS
