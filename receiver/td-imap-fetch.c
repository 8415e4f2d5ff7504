/* td-imap-fetch.c: the province's mailbox read over IMAP (--fetch-imap)
 *
 * libcurl speaks IMAP (it is the app's mail library already): one easy
 * handle, so one connection and one login, for a few commands.
 *
 *   STATUS "box" (UIDVALIDITY)           which numbering the UIDs are in
 *   UID SEARCH UNSEEN                    (or UNSEEN or newer than the newest
 *                                         taken: a message a person opened
 *                                         first is still taken)
 *   UID FETCH u (RFC822.SIZE)            one too large is refused unread
 *   box;UIDVALIDITY=v;UID=u              the message (libcurl: UID FETCH
 *                                         BODY[]), at most the size limit
 *   UID STORE u +FLAGS.SILENT (\Seen)    once stored or refused
 *
 * Each message then goes the way of --import-mail (td_mail_intake()):
 * verified as an upload, stored once by revision, or refused with its
 * reason. It is recorded as taken (mailbox, UIDVALIDITY, UID) in that same
 * transaction (td-receiver-db-imap.c), and only then marked \Seen: the
 * record, not the flag, is what keeps a message from being taken twice.
 * BODY[] sets \Seen on the server as it is read (libcurl has no
 * BODY.PEEK), so a message the receiver could not take (database busy) is
 * marked unseen again.
 *
 * Credentials never come on the command line (ps shows it): a file only
 * its owner can read, or the environment. TLS is verified (--imap-ca for a
 * private CA); imap:// must upgrade with STARTTLS unless the server is on
 * loopback, where it still does when the server offers it (and then the
 * certificate is verified as anywhere). Every exchange is bounded: connect
 * and each answer within the timeout, at most --max-body bytes a message,
 * and one request at most ten timeouts in all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-receiver"

#include "config.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "td-answer.h"
#include "td-imap-fetch.h"
#include "td-mail-intake.h"
#include "td-receiver-db-imap.h"
#include "td-receiver-log.h"
#include "td-revision.h"

/* Command answers (SEARCH, FETCH sizes) are lines; more than this is not
 * a mailbox's answer. */
#define TD_IMAP_FETCH_MAX_ANSWER (4 * 1024 * 1024)

G_DEFINE_QUARK (td-imap-fetch-error-quark, td_imap_fetch_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CURL, curl_easy_cleanup)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CURLU, curl_url_cleanup)

typedef struct
{
  TdReceiverDb             *db;
  const TdImapFetchOptions *options;
  CURL                     *curl;
  char                      errbuf[CURL_ERROR_SIZE];
  char                     *server;     /* scheme://host:port/ */
  char                     *mailbox;    /* its name, decoded */
  char                     *key;        /* server + mailbox: the record's */
  const char               *command;    /* the one under way; NULL: a message read */
  gint64                    uidvalidity;
  GByteArray               *body;
  gsize                     limit;
  gboolean                  over;
} Fetch;

static void
td_imap_fetch_clear (Fetch *fetch)
{
  g_clear_pointer (&fetch->curl, curl_easy_cleanup);
  g_clear_pointer (&fetch->server, g_free);
  g_clear_pointer (&fetch->mailbox, g_free);
  g_clear_pointer (&fetch->key, g_free);
  g_clear_pointer (&fetch->body, g_byte_array_unref);
}

static size_t
td_imap_fetch_write_cb (char   *data,
                        size_t  size,
                        size_t  count,
                        void   *user_data)
{
  Fetch *fetch = user_data;
  gsize length = size * count;

  if (fetch->body->len + length > fetch->limit)
    {
      fetch->over = TRUE;
      return 0;   /* libcurl stops the transfer */
    }
  g_byte_array_append (fetch->body, (const guint8 *)data, length);
  return length;
}

static gboolean
td_imap_fetch_is_loopback (const char *host)
{
  return g_strcmp0 (host, "127.0.0.1") == 0 || g_strcmp0 (host, "[::1]") == 0 ||
         g_strcmp0 (host, "::1") == 0 || g_ascii_strcasecmp (host, "localhost") == 0;
}

/* The URL: imap or imaps, a host, a mailbox (INBOX when none), nothing
 * else; user names and passwords go elsewhere. */
static gboolean
td_imap_fetch_parse_url (Fetch       *fetch,
                         gboolean    *loopback,
                         GError     **error)
{
  g_autoptr(CURLU) url = curl_url ();
  char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *user = NULL, *password = NULL, *query = NULL;
  gboolean ok = FALSE;
  const char *name;

  if (curl_url_set (url, CURLUPART_URL, fetch->options->url, 0) != CURLUE_OK ||
      curl_url_get (url, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
      (g_strcmp0 (scheme, "imap") != 0 && g_strcmp0 (scheme, "imaps") != 0) ||
      curl_url_get (url, CURLUPART_HOST, &host, 0) != CURLUE_OK)
    {
      g_set_error (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_USAGE,
                   "--fetch-imap needs a URL such as imaps://mail.example.org/INBOX (not “%s”)", fetch->options->url);
      goto out;
    }
  if (curl_url_get (url, CURLUPART_USER, &user, 0) == CURLUE_OK ||
      curl_url_get (url, CURLUPART_PASSWORD, &password, 0) == CURLUE_OK)
    {
      g_set_error_literal (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_USAGE,
                           "Put no user name or password in the --fetch-imap URL (the command line is visible to "
                           "every user): give them in --imap-credentials FILE or TD_IMAP_USER and TD_IMAP_PASSWORD");
      goto out;
    }
  if (curl_url_get (url, CURLUPART_QUERY, &query, 0) == CURLUE_OK)
    {
      g_set_error_literal (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_USAGE,
                           "The --fetch-imap URL names a mailbox only (imaps://host/INBOX), without “?”");
      goto out;
    }
  curl_url_get (url, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
  curl_url_get (url, CURLUPART_PATH, &path, CURLU_URLDECODE);
  name = path && path[0] == '/' ? path + 1 : (path ? path : "");
  if (*name == '\0')
    name = "INBOX";
  for (const char *p = name; *p; p++)
    if (!g_ascii_isprint (*p) || *p == '"' || *p == '\\' || *p == ';' || *p == '%' || *p == '/')
      {
        g_set_error (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_USAGE,
                     "The mailbox “%s” has characters --fetch-imap does not take: name a mailbox of letters, "
                     "digits, spaces, “.”, “-” or “_” (INBOX, or a folder the school's mail is filed into)", name);
        goto out;
      }
  fetch->server = g_strdup_printf ("%s://%s:%s/", scheme, host, port ? port : "");
  fetch->mailbox = g_strdup (name);
  fetch->key = g_strconcat (fetch->server, name, NULL);
  *loopback = td_imap_fetch_is_loopback (host) && g_strcmp0 (scheme, "imap") == 0;
  ok = TRUE;

out:
  curl_free (scheme);
  curl_free (host);
  curl_free (port);
  curl_free (path);
  curl_free (user);
  curl_free (password);
  curl_free (query);
  return ok;
}

/* The mode bits a credentials file must not have. One systemd passed
 * (LoadCredential=, in $CREDENTIALS_DIRECTORY, a directory of the
 * service's own) may be given to the service's user by an ACL, whose mask
 * shows as the group's bits: only others' bits count there. */
static mode_t
td_imap_fetch_private_bits (const char *path)
{
  const char *credentials = g_getenv ("CREDENTIALS_DIRECTORY");
  g_autofree char *dir = g_path_get_dirname (path);

  if (credentials != NULL && *credentials == '/' && g_str_equal (dir, credentials))
    return S_IRWXO;
  return S_IRWXG | S_IRWXO;
}

/* user=NAME and password=SECRET lines, the value to the end of its line. */
static gboolean
td_imap_fetch_read_credentials (const char  *path,
                                char       **user,
                                char       **password,
                                GError     **error)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  struct stat st;
  GString *content = g_string_new (NULL);
  char buffer[4096];
  ssize_t n;
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

  if (fd < 0)
    {
      int saved = errno;

      g_string_free (content, TRUE);
      g_set_error (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_CREDENTIALS,
                   "Cannot open the credentials file %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || (st.st_mode & td_imap_fetch_private_bits (path)) != 0)
    {
      gboolean regular = S_ISREG (st.st_mode);

      close (fd);
      g_string_free (content, TRUE);
      if (!regular)
        g_set_error (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_CREDENTIALS,
                     "The credentials file %s is not a regular file", path);
      else
        g_set_error (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_CREDENTIALS,
                     "The credentials file %s can be read by others (mode %04o): the password is not used. "
                     "Make it readable by its owner only (chmod 600 %s)", path,
                     (unsigned)(st.st_mode & 07777), path);
      return FALSE;
    }
  while ((n = read (fd, buffer, sizeof buffer)) > 0 && content->len < 65536)
    g_string_append_len (content, buffer, n);
  close (fd);
  text = g_string_free (content, FALSE);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *line = lines[i];
      gsize length = strlen (line);

      if (length > 0 && line[length - 1] == '\r')
        line[length - 1] = '\0';
      if (g_str_has_prefix (line, "user=") && *user == NULL)
        *user = g_strdup (line + 5);
      else if (g_str_has_prefix (line, "password=") && *password == NULL)
        *password = g_strdup (line + 9);
    }
  if (*user == NULL || **user == '\0' || *password == NULL)
    {
      g_set_error (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_CREDENTIALS,
                   "The credentials file %s needs a line user=NAME and a line password=SECRET", path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
td_imap_fetch_credentials (const TdImapFetchOptions  *options,
                           char                     **user,
                           char                     **password,
                           GError                   **error)
{
  if (options->credentials != NULL)
    return td_imap_fetch_read_credentials (options->credentials, user, password, error);
  if (g_getenv ("TD_IMAP_USER") == NULL || *g_getenv ("TD_IMAP_USER") == '\0' || g_getenv ("TD_IMAP_PASSWORD") == NULL)
    {
      g_set_error_literal (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_USAGE,
                           "--fetch-imap needs the mailbox's user name and password: --imap-credentials FILE "
                           "(lines user=… and password=…, mode 600), or TD_IMAP_USER and TD_IMAP_PASSWORD "
                           "in the environment");
      return FALSE;
    }
  *user = g_strdup (g_getenv ("TD_IMAP_USER"));
  *password = g_strdup (g_getenv ("TD_IMAP_PASSWORD"));
  return TRUE;
}

/* What went wrong, said for the province's administrator. */
static gboolean
td_imap_fetch_curl_error (Fetch     *fetch,
                          CURLcode   code,
                          GError   **error)
{
  const char *detail = fetch->errbuf[0] ? fetch->errbuf : curl_easy_strerror (code);

  switch (code)
    {
    case CURLE_LOGIN_DENIED:
      g_set_error (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_LOGIN,
                   "The IMAP server %s refused the user name or password (%s): nothing was taken",
                   fetch->server, detail);
      break;
    case CURLE_OPERATION_TIMEDOUT:
      g_set_error (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_SERVER,
                   "The IMAP server %s did not answer in time (%u s, --imap-timeout): %s",
                   fetch->server, fetch->options->timeout_s, detail);
      break;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
      g_set_error (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_SERVER,
                   "Cannot connect to the IMAP server %s: %s", fetch->server, detail);
      break;
    case CURLE_PEER_FAILED_VERIFICATION:
      g_set_error (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_TLS,
                   "The IMAP server %s presented a certificate this machine does not trust (%s): nothing was "
                   "taken, no password was sent. A server with a private CA needs --imap-ca FILE",
                   fetch->server, detail);
      break;
    case CURLE_SSL_CACERT_BADFILE:
      g_set_error (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_TLS,
                   "Cannot read the CA certificates to check the IMAP server %s with (%s): --imap-ca names a "
                   "PEM file", fetch->server, detail);
      break;
    case CURLE_USE_SSL_FAILED:
      g_set_error (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_TLS,
                   "The IMAP server %s offers no STARTTLS (%s): the password goes only over TLS to another "
                   "machine. Use imaps://, or have the server offer STARTTLS", fetch->server, detail);
      break;
    case CURLE_SSL_CONNECT_ERROR:
      g_set_error (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_TLS,
                   "No TLS connection to the IMAP server %s (%s): nothing was taken", fetch->server, detail);
      break;
    case CURLE_QUOTE_ERROR:
      /* The server said NO. To STATUS, the first command that names the
       * mailbox, that is a mailbox the user does not have. */
      if (fetch->command != NULL && g_str_has_prefix (fetch->command, "STATUS "))
        g_set_error (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_MAILBOX,
                     "The IMAP server %s has no mailbox “%s” that this user can read (it answered NO to "
                     "STATUS): nothing was taken. Name the mailbox in the URL as the server has it "
                     "(imaps://host/INBOX)", fetch->server, fetch->mailbox);
      else
        g_set_error (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_SERVER,
                     "The IMAP server %s refused “%s” in the mailbox “%s” (%s)", fetch->server,
                     fetch->command ? fetch->command : "FETCH", fetch->mailbox, detail);
      break;
    case CURLE_REMOTE_FILE_NOT_FOUND:
      g_set_error (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_MAILBOX,
                   "The IMAP server %s has no mailbox “%s”, or renumbered it while it was read (%s)",
                   fetch->server, fetch->mailbox, detail);
      break;
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_UNSUPPORTED_PROTOCOL:
      g_set_error (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_SERVER,
                   "The server %s does not answer as an IMAP server (%s)", fetch->server, detail);
      break;
    default:
      g_set_error (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_SERVER,
                   "The IMAP server %s: %s", fetch->server, detail);
      break;
    }
  return FALSE;
}

/* One request; its answer in fetch->body, at most @limit bytes. */
static CURLcode
td_imap_fetch_perform (Fetch      *fetch,
                       const char *url,
                       const char *command,
                       gsize       limit)
{
  g_byte_array_set_size (fetch->body, 0);
  fetch->limit = limit;
  fetch->over = FALSE;
  fetch->errbuf[0] = '\0';
  fetch->command = command;
  curl_easy_setopt (fetch->curl, CURLOPT_URL, url);
  curl_easy_setopt (fetch->curl, CURLOPT_CUSTOMREQUEST, command);
  return curl_easy_perform (fetch->curl);
}

/* A command, its untagged answer lines. */
static gboolean
td_imap_fetch_command (Fetch       *fetch,
                       gboolean     in_mailbox,
                       const char  *command,
                       char      ***lines,
                       GError     **error)
{
  g_autofree char *url = in_mailbox
    ? g_strdup_printf ("%s%s;UIDVALIDITY=%" G_GINT64_FORMAT, fetch->server, fetch->mailbox, fetch->uidvalidity)
    : g_strdup (fetch->server);
  CURLcode code = td_imap_fetch_perform (fetch, url, command, TD_IMAP_FETCH_MAX_ANSWER);

  if (code != CURLE_OK)
    {
      if (fetch->over)
        {
          g_set_error (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_SERVER,
                       "The IMAP server %s answered “%s” with more than %d bytes", fetch->server, command,
                       TD_IMAP_FETCH_MAX_ANSWER);
          return FALSE;
        }
      return td_imap_fetch_curl_error (fetch, code, error);
    }
  if (lines != NULL)
    {
      g_autofree char *text = g_strndup ((const char *)fetch->body->data, fetch->body->len);

      *lines = g_strsplit (text, "\n", -1);
    }
  return TRUE;
}

static gboolean
td_imap_fetch_garbage (Fetch       *fetch,
                       const char  *command,
                       GError     **error)
{
  g_set_error (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_SERVER,
               "The IMAP server %s answered “%s” with something that is not IMAP", fetch->server, command);
  return FALSE;
}

/* The number after @word in @line, e.g. "UIDVALIDITY 123". */
static gboolean
td_imap_fetch_number_after (const char *line,
                            const char *word,
                            gint64     *number)
{
  const char *at = strstr (line, word);
  guint64 value;
  char *end;

  if (at == NULL)
    return FALSE;
  at += strlen (word);
  if (*at != ' ' || !g_ascii_isdigit (at[1]))
    return FALSE;
  value = g_ascii_strtoull (at + 1, &end, 10);
  if (value == 0 || value > G_MAXUINT32)
    return FALSE;
  *number = (gint64)value;
  return TRUE;
}

static gboolean
td_imap_fetch_uidvalidity (Fetch   *fetch,
                           GError **error)
{
  g_autofree char *command = g_strdup_printf ("STATUS \"%s\" (UIDVALIDITY)", fetch->mailbox);
  g_auto(GStrv) lines = NULL;

  if (!td_imap_fetch_command (fetch, FALSE, command, &lines, error))
    return FALSE;
  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], "* STATUS ") &&
        td_imap_fetch_number_after (lines[i], "UIDVALIDITY", &fetch->uidvalidity))
      return TRUE;
  return td_imap_fetch_garbage (fetch, command, error);
}

static gint
td_imap_fetch_compare_uid (gconstpointer a,
                           gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

  return x < y ? -1 : x > y;
}

static GArray *
td_imap_fetch_search (Fetch   *fetch,
                      GError **error)
{
  g_autoptr(GError) db_error = NULL;
  g_autoptr(GArray) uids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *command = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 newest;

  if (!td_receiver_db_imap_newest (fetch->db, fetch->key, fetch->uidvalidity, &newest, &db_error))
    {
      g_set_error (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_DATABASE, "%s", db_error->message);
      return NULL;
    }
  command = newest > 0
    ? g_strdup_printf ("UID SEARCH OR UNSEEN UID %" G_GINT64_FORMAT ":*", newest + 1)
    : g_strdup ("UID SEARCH UNSEEN");
  if (!td_imap_fetch_command (fetch, TRUE, command, &lines, error))
    return NULL;
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) words = NULL;

      g_strchomp (lines[i]);
      if (!g_str_has_prefix (lines[i], "* SEARCH"))
        continue;
      words = g_strsplit (lines[i] + strlen ("* SEARCH"), " ", -1);
      for (guint w = 0; words[w]; w++)
        {
          guint64 uid;

          if (*words[w] == '\0')
            continue;
          if (!g_ascii_string_to_unsigned (words[w], 10, 1, G_MAXUINT32, &uid, NULL))
            {
              td_imap_fetch_garbage (fetch, command, error);
              return NULL;
            }
          g_array_append_val (uids, uid);
        }
    }
  g_array_sort (uids, td_imap_fetch_compare_uid);
  return g_steal_pointer (&uids);
}

static gboolean
td_imap_fetch_flag (Fetch       *fetch,
                    gint64       uid,
                    gboolean     seen,
                    GError     **error)
{
  g_autofree char *command = g_strdup_printf ("UID STORE %" G_GINT64_FORMAT " %cFLAGS.SILENT (\\Seen)",
                                              uid, seen ? '+' : '-');

  return td_imap_fetch_command (fetch, TRUE, command, NULL, error);
}

/* Its RFC822.SIZE; -1 when the message is gone (expunged meanwhile). */
static gboolean
td_imap_fetch_size (Fetch    *fetch,
                    gint64    uid,
                    gint64   *size,
                    GError  **error)
{
  g_autofree char *command = g_strdup_printf ("UID FETCH %" G_GINT64_FORMAT " (RFC822.SIZE)", uid);
  g_auto(GStrv) lines = NULL;

  if (!td_imap_fetch_command (fetch, TRUE, command, &lines, error))
    return FALSE;
  *size = -1;
  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], "* ") && strstr (lines[i], " FETCH ") != NULL)
      {
        gint64 value = 0;

        /* 0 is a size too, but not one td_imap_fetch_number_after() takes. */
        if (strstr (lines[i], "RFC822.SIZE 0") != NULL)
          value = 0;
        else if (!td_imap_fetch_number_after (lines[i], "RFC822.SIZE", &value))
          return td_imap_fetch_garbage (fetch, command, error);
        *size = value;
      }
  return TRUE;
}

/* Refused unread: recorded like any refusal, keyed by where it was. */
static TdMailIntakeResult
td_imap_fetch_refuse_large (Fetch       *fetch,
                            const char  *source,
                            gint64       size,
                            TdAnswer   **answer)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *zh = g_strdup_printf ("邮件（%" G_GINT64_FORMAT " 字节）超过了接收端的大小上限"
                                         "（%" G_GINT64_FORMAT " 字节），未下载。", size, fetch->options->max_size);
  g_autofree char *sha256 = td_sha256_hex (source, strlen (source));
  TdRefused refused = { 0, };

  *answer = td_answer_new_printf (413, "too-large", zh,
                                  "The message (%" G_GINT64_FORMAT " bytes) is larger than this receiver takes "
                                  "(%" G_GINT64_FORMAT " bytes): not downloaded.", size, fetch->options->max_size);
  refused.sha256 = sha256;   /* not the message's: it was never read */
  refused.source = (char *)source;
  refused.word = (char *)td_answer_get_word (*answer);
  refused.reason = (char *)td_answer_get_message (*answer);
  refused.reason_zh = (char *)td_answer_get_message_zh (*answer);
  td_receiver_log ("%s: refused (too-large): %s", source, refused.reason);
  if (!td_receiver_db_refuse (fetch->db, &refused, &error))
    {
      td_receiver_log ("%s: the refusal could not be recorded: %s", source, error->message);
      return TD_MAIL_INTAKE_FAILED;
    }
  return TD_MAIL_INTAKE_REFUSED;
}

/* One message: sized, read, taken; FALSE when the server fails. */
static gboolean
td_imap_fetch_one (Fetch              *fetch,
                   gint64              uid,
                   TdImapFetchCounts  *counts,
                   GError            **error)
{
  g_autoptr(GError) db_error = NULL;
  g_autoptr(TdAnswer) answer = NULL;
  g_autofree char *source = g_strdup_printf ("%s;UIDVALIDITY=%" G_GINT64_FORMAT ";UID=%" G_GINT64_FORMAT,
                                             fetch->key, fetch->uidvalidity, uid);
  TdMailIntakeResult result;
  gboolean taken;
  gint64 size;

  if (!td_receiver_db_imap_taken (fetch->db, fetch->key, fetch->uidvalidity, uid, &taken, &db_error))
    {
      g_set_error (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_DATABASE, "%s", db_error->message);
      return FALSE;
    }
  if (taken)
    {
      /* Taken, but the run that took it stopped before marking it. */
      counts->skipped++;
      return td_imap_fetch_flag (fetch, uid, TRUE, error);
    }
  if (!td_imap_fetch_size (fetch, uid, &size, error))
    return FALSE;
  if (size < 0)
    return TRUE;

  if (!td_receiver_db_imap_begin (fetch->db, fetch->key, fetch->uidvalidity, uid, &db_error))
    {
      g_set_error (error, TD_IMAP_FETCH_ERROR, TD_IMAP_FETCH_ERROR_DATABASE, "%s", db_error->message);
      return FALSE;
    }
  if (size > fetch->options->max_size)
    result = td_imap_fetch_refuse_large (fetch, source, size, &answer);
  else
    {
      g_autofree char *url = g_strdup_printf ("%s%s;UIDVALIDITY=%" G_GINT64_FORMAT ";UID=%" G_GINT64_FORMAT,
                                              fetch->server, fetch->mailbox, fetch->uidvalidity, uid);
      CURLcode code = td_imap_fetch_perform (fetch, url, NULL, (gsize)fetch->options->max_size);

      if (code != CURLE_OK && fetch->over)
        /* It said it was smaller. */
        result = td_imap_fetch_refuse_large (fetch, source, fetch->options->max_size + 1, &answer);
      else if (code != CURLE_OK)
        {
          td_receiver_db_imap_end (fetch->db);
          return td_imap_fetch_curl_error (fetch, code, error);
        }
      else
        {
          g_autoptr(GBytes) message = g_bytes_new (fetch->body->data, fetch->body->len);

          result = td_mail_intake (fetch->db, message, source, fetch->options->max_size, fetch->options->quota,
                                   &answer);
        }
    }
  td_receiver_db_imap_end (fetch->db);

  g_print ("%s\t%s\t%s\n", source, td_answer_get_word (answer), td_answer_get_message (answer));
  switch (result)
    {
    case TD_MAIL_INTAKE_STORED:
      counts->stored++;
      break;
    case TD_MAIL_INTAKE_REFUSED:
      counts->refused++;
      break;
    case TD_MAIL_INTAKE_ALREADY_STORED:
      counts->already_stored++;
      if (!td_receiver_db_imap_record (fetch->db, fetch->key, fetch->uidvalidity, uid, "already-stored", &db_error))
        {
          /* Taken again next time: it changes nothing. */
          td_receiver_log ("%s: not recorded as taken: %s", source, db_error->message);
          return td_imap_fetch_flag (fetch, uid, FALSE, error);
        }
      break;
    case TD_MAIL_INTAKE_FAILED:
    default:
      counts->failed++;
      return td_imap_fetch_flag (fetch, uid, FALSE, error);
    }
  return td_imap_fetch_flag (fetch, uid, TRUE, error);
}

static void
td_imap_fetch_ensure_curl (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&done, 1);
    }
}

/**
 * td_imap_fetch:
 * @counts: (out caller-allocates): what became of the messages
 *
 * Takes the mailbox's new messages into the receiver's store, printing a
 * line a message (source, status word, message). Fails with the reason
 * when the mailbox cannot be read; the messages taken until then stay
 * taken.
 */
gboolean
td_imap_fetch (TdReceiverDb             *db,
               const TdImapFetchOptions *options,
               TdImapFetchCounts        *counts,
               GError                  **error)
{
  Fetch fetch = { .db = db, .options = options };
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;
  g_autoptr(GArray) uids = NULL;
  gboolean loopback = FALSE, ok = FALSE;
  long timeout = (long)MAX (options->timeout_s, 1);

  memset (counts, 0, sizeof *counts);
  if (!td_imap_fetch_parse_url (&fetch, &loopback, error) ||
      !td_imap_fetch_credentials (options, &user, &password, error))
    goto out;

  td_imap_fetch_ensure_curl ();
  fetch.curl = curl_easy_init ();
  fetch.body = g_byte_array_new ();
  curl_easy_setopt (fetch.curl, CURLOPT_PROTOCOLS_STR, "imap,imaps");
  curl_easy_setopt (fetch.curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (fetch.curl, CURLOPT_ERRORBUFFER, fetch.errbuf);
  curl_easy_setopt (fetch.curl, CURLOPT_USERNAME, user);
  curl_easy_setopt (fetch.curl, CURLOPT_PASSWORD, password);
  /* STARTTLS wherever the server offers it; plain text only to the
   * machine itself, and only when it offers none. */
  curl_easy_setopt (fetch.curl, CURLOPT_USE_SSL, loopback ? (long)CURLUSESSL_TRY : (long)CURLUSESSL_ALL);
  curl_easy_setopt (fetch.curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (fetch.curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (options->ca_file != NULL)
    curl_easy_setopt (fetch.curl, CURLOPT_CAINFO, options->ca_file);
  curl_easy_setopt (fetch.curl, CURLOPT_CONNECTTIMEOUT, timeout);
  curl_easy_setopt (fetch.curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, timeout);
  curl_easy_setopt (fetch.curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt (fetch.curl, CURLOPT_LOW_SPEED_TIME, timeout);
  curl_easy_setopt (fetch.curl, CURLOPT_TIMEOUT, 10 * timeout);
  curl_easy_setopt (fetch.curl, CURLOPT_WRITEFUNCTION, td_imap_fetch_write_cb);
  curl_easy_setopt (fetch.curl, CURLOPT_WRITEDATA, &fetch);

  if (!td_imap_fetch_uidvalidity (&fetch, error))
    goto out;
  uids = td_imap_fetch_search (&fetch, error);
  if (uids == NULL)
    goto out;
  for (guint i = 0; i < uids->len; i++)
    if (!td_imap_fetch_one (&fetch, g_array_index (uids, gint64, i), counts, error))
      goto out;
  ok = TRUE;

out:
  if (password != NULL)
    memset (password, 0, strlen (password));
  td_imap_fetch_clear (&fetch);
  return ok;
}
