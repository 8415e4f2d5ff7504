/* td-web-site.c: the province's web pages: /catalogue and /desk
 *
 * A web request is answered by one of TD_WEB_SITE_THREADS threads, its
 * message paused meanwhile, so that the main loop (which answers uploads)
 * never waits for a search, a page or a password's hash; the answer is
 * given back on the main loop. The threads read on connections of their
 * own, never the writer's: the catalogue's (td-catalogue.c) and the
 * desk's, which also writes what the desk changes (a school registered, a
 * key reset, a token made), one transaction each, and waits for the
 * database as the command line does.
 *
 * What a request may bring is bounded before it is read: the query
 * (TD_WEB_MAX_QUERY bytes), a form's body (TD_WEB_MAX_FORM, with a
 * Content-Length; td-receiver.c's early handler), TD_WEB_SITE_MAX_JOBS
 * requests at once; its time is the connection's (td-connections.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-receiver"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "td-receiver-db-web.h"
#include "td-receiver-log.h"
#include "td-web-site-private.h"

typedef struct
{
  TdWebSite         *site;
  SoupServerMessage *msg;
  TdWebRequest       request;
  TdWebResponse     *response;
  gboolean           finished;
  gulong             finished_id;
} TdWebJob;

static void td_web_site_run (gpointer data, gpointer user_data);

static void
td_web_site_session_free (TdWebSession *session)
{
  g_free (session->staff);
  sodium_memzero (session->csrf, strlen (session->csrf));
  g_free (session->csrf);
  g_free (session);
}

TdWebSite *
td_web_site_new (const TdWebSiteOptions  *options,
                 GError                 **error)
{
  TdWebSite *self = g_new0 (TdWebSite, 1);
  TdReceiverDb *db;

  self->options = *options;
  self->database = g_strdup (options->database);
  self->campaign = g_strdup (options->campaign);
  self->catalogue_token = g_strdup (options->catalogue_token);
  self->options.database = self->database;
  self->options.campaign = self->campaign;
  self->options.catalogue_token = self->catalogue_token;
  self->options.deadline = options->deadline ? g_date_time_ref (options->deadline) : NULL;
  g_mutex_init (&self->desk_lock);
  g_mutex_init (&self->session_lock);
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify)td_web_site_session_free);
  self->lockouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->context = g_main_context_ref_thread_default ();

  db = td_receiver_db_open (options->database, options->busy_timeout_ms, error);
  if (db == NULL)
    goto failed;
  self->catalogue = td_catalogue_new (db, options->campaign, options->deadline);
  self->desk_db = td_receiver_db_open (options->database, options->busy_timeout_ms, error);
  if (self->desk_db == NULL)
    goto failed;
  self->pool = g_thread_pool_new (td_web_site_run, self, TD_WEB_SITE_THREADS, FALSE, error);
  if (self->pool == NULL)
    goto failed;
  /* 11,000 schools' forms take seconds to read (bench/catalogue.c): read
   * now, not at the first reader's request. */
  g_thread_pool_push (self->pool, self, NULL);
  return self;

failed:
  td_web_site_free (self);
  return NULL;
}

void
td_web_site_free (TdWebSite *self)
{
  if (self == NULL)
    return;
  /* Waits for the requests being answered. */
  if (self->pool)
    g_thread_pool_free (self->pool, FALSE, TRUE);
  g_clear_pointer (&self->catalogue, td_catalogue_free);
  g_clear_pointer (&self->desk_db, td_receiver_db_close);
  g_hash_table_unref (self->sessions);
  g_hash_table_unref (self->lockouts);
  g_clear_pointer (&self->options.deadline, g_date_time_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->desk_lock);
  g_mutex_clear (&self->session_lock);
  g_free (self->dummy_hash);
  g_free (self->database);
  g_free (self->campaign);
  g_free (self->catalogue_token);
  g_free (self);
}

gboolean
td_web_site_is_busy (TdWebSite *self)
{
  return self->jobs > 0;
}

static gboolean
td_web_site_under (const char *path,
                   const char *prefix)
{
  gsize length = strlen (prefix);

  return strncmp (path, prefix, length) == 0 && (path[length] == '\0' || path[length] == '/');
}

/* The paths the site answers; the rest is the upload protocol's. */
gboolean
td_web_site_handles (const char *path)
{
  return td_web_site_under (path, "/catalogue") || td_web_site_under (path, "/desk") ||
         td_web_site_under (path, "/static");
}

/* Whose body the early handler keeps (a form, bounded). */
gboolean
td_web_site_takes_body (const char *method,
                        const char *path)
{
  return method == SOUP_METHOD_POST && td_web_site_under (path, "/desk");
}

/* Requests */

const char *
td_web_request_param (TdWebRequest *request,
                      const char   *name)
{
  const char *value = request->query ? g_hash_table_lookup (request->query, name) : NULL;

  return value && g_utf8_validate (value, -1, NULL) ? value : NULL;
}

const char *
td_web_request_field (TdWebRequest *request,
                      const char   *name)
{
  const char *value = request->form ? g_hash_table_lookup (request->form, name) : NULL;

  return value && g_utf8_validate (value, -1, NULL) ? value : NULL;
}

const char *
td_web_request_cookie (TdWebRequest *request,
                       const char   *name)
{
  return g_hash_table_lookup (request->cookies, name);
}

/* "a=1; b=2": the first of each name; at most 32 of them. */
static GHashTable *
td_web_site_parse_cookies (SoupMessageHeaders *headers)
{
  GHashTable *cookies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *header = soup_message_headers_get_list (headers, "Cookie");
  g_auto(GStrv) items = NULL;

  if (header == NULL || strlen (header) > 4096)
    return cookies;
  items = g_strsplit (header, ";", 32);
  for (guint i = 0; items[i]; i++)
    {
      char *item = g_strstrip (items[i]);
      char *equals = strchr (item, '=');

      if (equals == NULL)
        continue;
      *equals = '\0';
      if (!g_hash_table_contains (cookies, item))
        g_hash_table_insert (cookies, g_strdup (item), g_strdup (equals + 1));
    }
  return cookies;
}

/* Set-Cookie for the site's cookies: never readable by a script, never
 * sent from another site, only over HTTPS when served so. */
char *
td_web_cookie (TdWebSite  *site,
               const char *name,
               const char *value,
               const char *path,
               int         max_age)
{
  return g_strdup_printf ("%s=%s; Path=%s; Max-Age=%d; HttpOnly; SameSite=Strict%s",
                          name, value, path, max_age, site->options.tls ? "; Secure" : "");
}

TdWebResponse *
td_web_trouble (TdWebRequest *request,
                GError       *error)
{
  td_receiver_log ("web: %s", error->message);
  if (g_error_matches (error, TD_RECEIVER_DB_ERROR, TD_RECEIVER_DB_ERROR_BUSY))
    {
      TdWebResponse *response = td_web_response_message (SOUP_STATUS_SERVICE_UNAVAILABLE, request->lang,
                                                         "数据库正忙，请稍后再试。",
                                                         "The database is busy: try again in a moment.");

      td_web_response_add_header (response, "Retry-After", "5");
      return response;
    }
  return td_web_response_message (SOUP_STATUS_INTERNAL_SERVER_ERROR, request->lang,
                                  "接收端出错，已记录在日志中。",
                                  "The receiver failed; its log says why.");
}

/* In a thread */

static TdWebResponse *
td_web_site_route (TdWebRequest *request)
{
  const char *path = request->path;

  if (td_web_site_under (path, "/catalogue"))
    return td_web_catalogue_route (request);
  if (td_web_site_under (path, "/desk"))
    return td_web_desk_route (request);
  return td_web_response_message (SOUP_STATUS_NOT_FOUND, request->lang, "此地址没有内容。",
                                  "There is nothing at this address.");
}

static void
td_web_site_job_free (TdWebJob *job)
{
  if (job->finished_id)
    g_signal_handler_disconnect (job->msg, job->finished_id);
  g_object_unref (job->msg);
  g_free (job->request.path);
  g_clear_pointer (&job->request.query, g_hash_table_unref);
  g_clear_pointer (&job->request.form, g_hash_table_unref);
  g_clear_pointer (&job->request.cookies, g_hash_table_unref);
  td_web_response_free (job->response);
  g_free (job);
}

static gboolean
td_web_site_answer_cb (gpointer data)
{
  TdWebJob *job = data;

  if (!job->finished)
    {
      td_web_response_apply (job->response, job->msg);
      soup_server_message_unpause (job->msg);
    }
  job->site->jobs--;
  td_web_site_job_free (job);
  return G_SOURCE_REMOVE;
}

static void
td_web_site_run (gpointer data,
                 gpointer user_data)
{
  TdWebJob *job = data;

  /* The warm-up (the site itself, as a task): the catalogue read before
   * the first reader asks. */
  if (data == user_data)
    {
      TdWebSite *self = user_data;
      g_autoptr(GError) error = NULL;

      if (td_catalogue_lock (self->catalogue, &error))
        td_catalogue_unlock (self->catalogue);
      else
        td_receiver_log ("web: %s", error->message);
      return;
    }

  job->response = td_web_site_route (&job->request);
  g_main_context_invoke (job->site->context, td_web_site_answer_cb, job);
}

static void
td_web_site_finished_cb (SoupServerMessage *msg,
                         TdWebJob          *job)
{
  job->finished = TRUE;
}

static void
td_web_site_answer_now (SoupServerMessage *msg,
                        TdWebResponse     *response)
{
  td_web_response_apply (response, msg);
  td_web_response_free (response);
}

/* On the main loop: answered at once, or handed to a thread. */
void
td_web_site_handle (TdWebSite         *self,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    const guint8      *body,
                    gsize              body_length)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  TdWebLang lang = td_web_lang (headers);
  const char *raw_query = g_uri_get_query (soup_server_message_get_uri (msg));
  TdWebJob *job;

  if (td_web_site_under (path, "/static"))
    {
      const char *content_type = NULL;
      g_autoptr(GBytes) data = td_web_static (path, &content_type);
      TdWebResponse *response;

      if (data == NULL)
        response = td_web_response_message (SOUP_STATUS_NOT_FOUND, lang, "此地址没有内容。",
                                            "There is nothing at this address.");
      else
        {
          response = td_web_response_new (SOUP_STATUS_OK, content_type, data);
          td_web_response_add_header (response, "Cache-Control", "max-age=3600");
        }
      td_web_site_answer_now (msg, response);
      return;
    }
  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD && method != SOUP_METHOD_POST)
    {
      TdWebResponse *response = td_web_response_message (SOUP_STATUS_METHOD_NOT_ALLOWED, lang,
                                                         "此地址不支持该请求方法。",
                                                         "This address does not take this method.");

      td_web_response_add_header (response, "Allow", "GET, HEAD, POST");
      td_web_site_answer_now (msg, response);
      return;
    }
  if (raw_query && strlen (raw_query) > TD_WEB_MAX_QUERY)
    {
      td_web_site_answer_now (msg, td_web_response_message (SOUP_STATUS_REQUEST_URI_TOO_LONG, lang,
                                                            "查询条件太长。", "The query is too long."));
      return;
    }
  if (self->jobs >= TD_WEB_SITE_MAX_JOBS)
    {
      TdWebResponse *response = td_web_response_message (SOUP_STATUS_SERVICE_UNAVAILABLE, lang,
                                                         "接收端正忙，请稍后再试。",
                                                         "The receiver is busy: try again in a moment.");

      td_web_response_add_header (response, "Retry-After", "5");
      td_web_site_answer_now (msg, response);
      return;
    }

  job = g_new0 (TdWebJob, 1);
  job->site = self;
  job->msg = g_object_ref (msg);
  job->request.site = self;
  job->request.method = method;
  job->request.path = g_strdup (path);
  job->request.lang = lang;
  job->request.query = query ? g_hash_table_ref (query) : NULL;
  job->request.cookies = td_web_site_parse_cookies (headers);
  if (method == SOUP_METHOD_POST)
    {
      g_autofree char *text = g_strndup ((const char *)body, body_length);

      job->request.form = soup_form_decode (text);
    }
  job->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (td_web_site_finished_cb), job);
  soup_server_message_pause (msg);
  self->jobs++;
  g_thread_pool_push (self->pool, job, NULL);
}

/* Argon2id, as libsodium's crypto_pwhash_str() stores it (salt and costs
 * inside): the interactive costs, 64 MiB, a fraction of a second. */
char *
td_web_hash_password (const char  *password,
                      GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  if (sodium_init () < 0 ||
      crypto_pwhash_str_alg (hash, password, strlen (password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "The password could not be hashed (out of memory?)");
      return NULL;
    }
  return g_strdup (hash);
}
