/* main.c: training-desk-receiver, the upload endpoint a province runs
 *
 * Serves docs/upload-protocol.md until SIGINT or SIGTERM; or, with
 * --add-school (--key), --reset-key, --import-mail, --fetch-imap, --list
 * or --export-catalogue, works on its database and exits. --import-mail
 * and --fetch-imap take mailed submissions through the upload's own
 * checks (td-mail-intake.c, td-intake.c; the mailbox: td-imap-fetch.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-receiver"

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <glib/gstdio.h>

#include "td-csv.h"
#include "td-form-json.h"
#include "td-imap-fetch.h"
#include "td-mail-intake.h"
#include "td-signing-key.h"
#include "td-receiver-db-web.h"
#include "td-receiver-db.h"
#include "td-receiver-log.h"
#include "td-receiver.h"
#include "td-web-site.h"
#include "td-xlsx.h"

#define DEFAULT_PORT 8080
#define DEFAULT_BUSY_TIMEOUT_MS 5000

static char *opt_database;
static char *opt_address;
static int opt_port = DEFAULT_PORT;
static char *opt_tls_certificate;
static char *opt_tls_key;
static gint64 opt_max_body = TD_RECEIVER_DEFAULT_MAX_BODY;
static int opt_busy_timeout = DEFAULT_BUSY_TIMEOUT_MS;
static int opt_idle_timeout = TD_RECEIVER_DEFAULT_IDLE_TIMEOUT;
static int opt_handshake_timeout = TD_RECEIVER_DEFAULT_HANDSHAKE_TIMEOUT;
static int opt_header_timeout = TD_RECEIVER_DEFAULT_HEADER_TIMEOUT;
static int opt_request_timeout = TD_RECEIVER_DEFAULT_REQUEST_TIMEOUT;
static int opt_max_connections = TD_RECEIVER_DEFAULT_MAX_CONNECTIONS;
static int opt_max_per_address = TD_RECEIVER_DEFAULT_MAX_PER_ADDRESS;
static gint64 opt_quota = TD_RECEIVER_DEFAULT_QUOTA;
static char *opt_add_school;
static char *opt_key;
static char *opt_reset_key;
static char *opt_import_mail;
static char *opt_fetch_imap;
static char *opt_imap_credentials;
static char *opt_imap_ca;
static int opt_imap_timeout = TD_IMAP_FETCH_DEFAULT_TIMEOUT;
static gboolean opt_list;
static char *opt_export;
static char *opt_campaign;
static gboolean opt_version;
static char *opt_deadline;
static char *opt_catalogue_token_file;
static char *opt_add_staff;
static char *opt_city;
static char *opt_county;
static int opt_fail_first;
static int opt_drop_first;
static int opt_delay_ms;

static const GOptionEntry entries[] = {
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, &opt_database, "The receiver’s SQLite database (made if missing)", "FILE" },
  { "address", 'a', 0, G_OPTION_ARG_STRING, &opt_address, "The IP address to listen on (default 127.0.0.1)", "ADDR" },
  { "port", 'p', 0, G_OPTION_ARG_INT, &opt_port, "The port to listen on (default 8080; 0 chooses a free one)", "N" },
  { "tls-certificate", 0, 0, G_OPTION_ARG_FILENAME, &opt_tls_certificate, "Serve HTTPS with this certificate (PEM)", "PEM" },
  { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &opt_tls_key, "The certificate’s private key (PEM)", "PEM" },
  { "max-body", 0, 0, G_OPTION_ARG_INT64, &opt_max_body, "The largest upload taken, in bytes (default 32 MiB)", "BYTES" },
  { "busy-timeout", 0, 0, G_OPTION_ARG_INT, &opt_busy_timeout, "How long to wait for a locked database before answering 503, in ms", "MS" },
  { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &opt_idle_timeout, "Close a connection silent this long, in seconds (default 60)", "S" },
  { "handshake-timeout", 0, 0, G_OPTION_ARG_INT, &opt_handshake_timeout, "HTTPS: close a connection whose TLS handshake has not ended this long after it was accepted, in seconds (default 10)", "S" },
  { "header-timeout", 0, 0, G_OPTION_ARG_INT, &opt_header_timeout, "Close a connection whose request headers have not come this long after it was accepted, or after its previous answer (a connection kept open after an upload stored), in seconds (default 30)", "S" },
  { "request-timeout", 0, 0, G_OPTION_ARG_INT, &opt_request_timeout, "Close a connection whose request (headers and body) has not come whole this long after it was accepted, or after its previous answer, in seconds (default 600)", "S" },
  { "max-connections", 0, 0, G_OPTION_ARG_INT, &opt_max_connections, "Connections open at once, in all; also the listen backlog (default 512)", "N" },
  { "max-connections-per-address", 0, 0, G_OPTION_ARG_INT, &opt_max_per_address, "Connections open at once from one client address (default 32)", "N" },
  { "school-quota", 0, 0, G_OPTION_ARG_INT64, &opt_quota, "The bytes a school may have stored in all; 0 for no quota (default 200 MiB)", "BYTES" },
  { "add-school", 0, 0, G_OPTION_ARG_STRING, &opt_add_school, "Make a token for a school (a new one replaces the old), print it and exit", "NAME" },
  { "key", 0, 0, G_OPTION_ARG_STRING, &opt_key, "With --add-school: the school’s Ed25519 public key (base64, as signature.json’s public_key), bound to it", "PUBLIC_KEY" },
  { "city", 0, 0, G_OPTION_ARG_STRING, &opt_city, "With --add-school: the school’s city, for the desk (/desk)", "NAME" },
  { "county", 0, 0, G_OPTION_ARG_STRING, &opt_county, "With --add-school: the school’s county", "NAME" },
  { "reset-key", 0, 0, G_OPTION_ARG_STRING, &opt_reset_key, "Unbind a school’s key (it reinstalled): its next accepted submission enrols one; then exit", "NAME" },
  { "import-mail", 0, 0, G_OPTION_ARG_FILENAME, &opt_import_mail, "Verify and store e-mailed submissions from an .eml file, a directory of them, or a Maildir (cur/ and new/); then exit", "PATH" },
  { "fetch-imap", 0, 0, G_OPTION_ARG_STRING, &opt_fetch_imap, "Verify and store the new e-mailed submissions of an IMAP mailbox (imaps://host/INBOX), mark them seen; then exit", "URL" },
  { "imap-credentials", 0, 0, G_OPTION_ARG_FILENAME, &opt_imap_credentials, "With --fetch-imap: a file readable by its owner only, with lines user=NAME and password=SECRET (else TD_IMAP_USER and TD_IMAP_PASSWORD)", "FILE" },
  { "imap-ca", 0, 0, G_OPTION_ARG_FILENAME, &opt_imap_ca, "With --fetch-imap: trust this CA (PEM) for the server’s certificate", "PEM" },
  { "imap-timeout", 0, 0, G_OPTION_ARG_INT, &opt_imap_timeout, "With --fetch-imap: give up on a server silent this long, in seconds (default 60)", "S" },
  { "list", 0, 0, G_OPTION_ARG_NONE, &opt_list, "Print the submissions received and exit", NULL },
  { "export-catalogue", 0, 0, G_OPTION_ARG_FILENAME, &opt_export, "Write each school’s latest revision as the catalogue (.csv or .xlsx) and exit", "OUT" },
  { "campaign", 0, 0, G_OPTION_ARG_STRING, &opt_campaign, "With --list or --export-catalogue, or serving the catalogue and the desk: only this campaign’s", "ID" },
  { "deadline", 0, 0, G_OPTION_ARG_STRING, &opt_deadline, "The campaign’s deadline, for the desk (ISO 8601 with its offset: 2026-12-31T17:00:00+08:00)", "TIME" },
  { "catalogue-token-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_catalogue_token_file, "Serve /catalogue only to those who give the read token this file holds (its first line); else the catalogue is public", "FILE" },
  { "add-staff", 0, 0, G_OPTION_ARG_STRING, &opt_add_staff, "Make a staff account of the desk (/desk), or give it a new password, read from standard input; then exit", "NAME" },
  { "version", 0, 0, G_OPTION_ARG_NONE, &opt_version, "Print the version and exit", NULL },
  { "test-fail-first", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &opt_fail_first, "For tests: answer the first N uploads 503", "N" },
  { "test-drop-first", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &opt_drop_first, "For tests: store the first N uploads, then close without an answer", "N" },
  { "test-delay", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &opt_delay_ms, "For tests: answer uploads this late, in ms", "MS" },
  { NULL }
};

static int
add_school (TdReceiverDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (opt_add_school));
  g_autofree char *token = NULL;
  gboolean replaced;

  if (*name == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_printerr ("training-desk-receiver: --add-school needs the school’s name\n");
      return 2;
    }
  if (opt_key != NULL)
    {
      g_autoptr(GBytes) key = td_receiver_decode_key (opt_key);
      g_autofree char *again = key ? g_base64_encode (g_bytes_get_data (key, NULL), g_bytes_get_size (key)) : NULL;

      if (key == NULL || g_strcmp0 (again, opt_key) != 0)
        {
          g_printerr ("training-desk-receiver: --key needs an Ed25519 public key, 32 bytes in base64 "
                      "(signature.json’s public_key)\n");
          return 2;
        }
    }
  if ((opt_city && (!g_utf8_validate (opt_city, -1, NULL) || strlen (opt_city) > 300)) ||
      (opt_county && (!g_utf8_validate (opt_county, -1, NULL) || strlen (opt_county) > 300)))
    {
      g_printerr ("training-desk-receiver: --city and --county take a name (UTF-8, at most 300 bytes)\n");
      return 2;
    }
  token = td_receiver_db_add_school_full (db, name, opt_key, opt_city, opt_county, TD_ADD_SCHOOL_ANY,
                                          &replaced, &error);
  if (token == NULL)
    {
      g_printerr ("training-desk-receiver: %s\n", error->message);
      return 1;
    }
  /* The token alone on stdout, for scripts; the rest on stderr. */
  g_print ("%s\n", token);
  g_printerr (replaced
              ? "A new token for “%s” (the old one no longer works). Give it to the school; it is not shown again.\n"
              : "The token for “%s”. Give it to the school; it is not shown again.\n",
              name);
  if (opt_key != NULL)
    {
      g_autoptr(GBytes) key = td_receiver_decode_key (opt_key);
      g_autofree char *fingerprint = td_signing_key_fingerprint (key);

      g_printerr ("Its key is bound: fingerprint %s.\n", fingerprint);
    }
  return 0;
}

static int
reset_key (TdReceiverDb *db)
{
  g_autoptr(GError) error = NULL;

  if (!td_receiver_db_reset_key (db, opt_reset_key, &error))
    {
      g_printerr ("training-desk-receiver: %s\n", error->message);
      return 1;
    }
  td_receiver_log ("the key of “%s” was reset (--reset-key)", opt_reset_key);
  g_printerr ("The key of “%s” is no longer bound: its next accepted submission enrols one.\n", opt_reset_key);
  return 0;
}

/* One message file; counts what became of it. */
static void
import_file (TdReceiverDb *db,
             const char   *path,
             guint         counts[4])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(TdAnswer) answer = NULL;
  TdMailIntakeResult result;
  GStatBuf st;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    return;
  /* Mapped, not read: one over --max-body is refused by its size. */
  mapped = g_mapped_file_new (path, FALSE, &error);
  if (mapped == NULL)
    {
      g_printerr ("%s: %s\n", path, error->message);
      counts[TD_MAIL_INTAKE_FAILED]++;
      return;
    }
  bytes = g_mapped_file_get_bytes (mapped);
  result = td_mail_intake (db, bytes, path, opt_max_body, opt_quota, &answer);
  counts[result]++;
  g_print ("%s\t%s\t%s\n", path, td_answer_get_word (answer), td_answer_get_message (answer));
}

static int
import_mail (TdReceiverDb *db)
{
  static const char * const subdirs[] = { "new", "cur", "" };
  guint counts[4] = { 0, };
  gboolean maildir = FALSE;

  if (!g_file_test (opt_import_mail, G_FILE_TEST_IS_DIR))
    import_file (db, opt_import_mail, counts);
  else
    for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
      {
        g_autofree char *dir_path = g_build_filename (opt_import_mail, subdirs[i], NULL);
        g_autoptr(GDir) dir = NULL;
        g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
        const char *name;

        if (*subdirs[i] == '\0' && maildir)
          break;
        dir = g_dir_open (dir_path, 0, NULL);
        if (dir == NULL)
          continue;
        if (*subdirs[i] != '\0')
          maildir = TRUE;
        while ((name = g_dir_read_name (dir)))
          if (*subdirs[i] != '\0' || g_str_has_suffix (name, ".eml"))
            g_ptr_array_add (names, g_strdup (name));
        g_ptr_array_sort (names, (GCompareFunc)g_strcmp0);
        for (guint n = 0; n < names->len; n++)
          {
            g_autofree char *path = g_build_filename (dir_path, names->pdata[n], NULL);

            import_file (db, path, counts);
          }
      }
  g_printerr ("%u stored, %u stored already, %u refused, %u to take again\n",
              counts[TD_MAIL_INTAKE_STORED], counts[TD_MAIL_INTAKE_ALREADY_STORED],
              counts[TD_MAIL_INTAKE_REFUSED], counts[TD_MAIL_INTAKE_FAILED]);
  return counts[TD_MAIL_INTAKE_FAILED] > 0 ? 1 : 0;
}

static int
fetch_imap (TdReceiverDb *db)
{
  TdImapFetchOptions options = {
    .url = opt_fetch_imap,
    .credentials = opt_imap_credentials,
    .ca_file = opt_imap_ca,
    .max_size = opt_max_body,
    .quota = opt_quota,
    .timeout_s = (guint)opt_imap_timeout,
  };
  g_autoptr(GError) error = NULL;
  TdImapFetchCounts counts;
  gboolean fetched = td_imap_fetch (db, &options, &counts, &error);

  if (fetched || counts.stored + counts.already_stored + counts.refused + counts.failed + counts.skipped > 0)
      g_printerr ("%u stored, %u stored already, %u refused, %u to take again, %u taken before\n",
                  counts.stored, counts.already_stored, counts.refused, counts.failed, counts.skipped);
  if (!fetched)
    {
      g_printerr ("training-desk-receiver: %s\n", error->message);
      return error->domain == TD_IMAP_FETCH_ERROR && error->code == TD_IMAP_FETCH_ERROR_USAGE ? 2 : 1;
    }
  return counts.failed > 0 ? 1 : 0;
}

static int
list (TdReceiverDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = td_receiver_db_list (db, opt_campaign, &error);

  if (all == NULL)
    {
      g_printerr ("training-desk-receiver: %s\n", error->message);
      return 1;
    }
  g_print ("receipt\treceived_at\tschool\tcampaign\tnumber\tsigner\tsigned_at\trevision\tpdf_bytes\n");
  for (guint i = 0; i < all->len; i++)
    {
      TdStored *s = all->pdata[i];

      /* What a school sent, escaped: a tab or newline of its own would
       * make lines and columns of its own. */
      g_autofree char *school = td_receiver_escape (s->school);
      g_autofree char *campaign = td_receiver_escape (s->campaign);
      g_autofree char *signer = td_receiver_escape (s->signer);
      g_autofree char *signed_at = td_receiver_escape (s->signed_at);

      g_print ("%s\t%s\t%s\t%s\t%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%" G_GINT64_FORMAT "\n",
               s->receipt, s->received_at, school, campaign, s->number, signer,
               signed_at, s->uuid, s->pdf_size);
    }

  {
    g_autoptr(GPtrArray) schools = td_receiver_db_list_schools (db, &error);

    if (schools == NULL)
      {
        g_printerr ("training-desk-receiver: %s\n", error->message);
        return 1;
      }
    g_print ("\n# schools\nschool\tkey_fingerprint\tkey_set_at\tkey_set_by\tsubmissions\n");
    for (guint i = 0; i < schools->len; i++)
      {
        TdSchoolRow *row = schools->pdata[i];
        g_autoptr(GBytes) key = td_receiver_decode_key (row->public_key);
        g_autofree char *fingerprint = td_signing_key_fingerprint (key);
        g_autofree char *name = td_receiver_escape (row->name);

        g_print ("%s\t%s\t%s\t%s\t%" G_GINT64_FORMAT "\n", name, fingerprint ? fingerprint : "(none yet)",
                 row->key_set_at ? row->key_set_at : "-", row->key_set_by ? row->key_set_by : "-",
                 row->submissions);
      }
  }
  {
    g_autoptr(GPtrArray) refused = td_receiver_db_list_refused (db, &error);

    if (refused == NULL)
      {
        g_printerr ("training-desk-receiver: %s\n", error->message);
        return 1;
      }
    g_print ("\n# refused messages\nrefused_at\tsource\tmessage_id\trevision\tschool\tstatus\treason\treason_zh\n");
    for (guint i = 0; i < refused->len; i++)
      {
        TdRefused *r = refused->pdata[i];
        g_autofree char *source = td_receiver_escape (r->source);
        g_autofree char *message_id = td_receiver_escape (r->message_id ? r->message_id : "-");
        g_autofree char *revision = td_receiver_escape (r->revision ? r->revision : "-");
        g_autofree char *school = td_receiver_escape (r->school ? r->school : "-");
        g_autofree char *reason = td_receiver_escape (r->reason);
        g_autofree char *reason_zh = td_receiver_escape (r->reason_zh);

        g_print ("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r->refused_at, source, message_id, revision, school,
                 r->word, reason, reason_zh);
      }
  }
  return 0;
}

/* The core's catalogue: its headers, and a row a school. */
static int
export_catalogue (TdReceiverDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) forms = td_receiver_db_latest_forms (db, opt_campaign, &error);
  g_autoptr(TdTable) table = td_table_new ();
  g_autofree char *lower = NULL;
  gboolean written;

  if (forms == NULL)
    {
      g_printerr ("training-desk-receiver: %s\n", error->message);
      return 1;
    }

  td_table_add_cells (table, 1, td_form_catalogue_headers (), TD_FORM_CATALOGUE_N_COLUMNS);
  for (guint i = 0; i < forms->len; i++)
    {
      TdLatest *latest = forms->pdata[i];
      gsize length;
      const char *json = g_bytes_get_data (latest->form_json, &length);
      g_autoptr(TdForm) form = td_form_new_from_json (json ? json : "", (gssize)length, &error);
      g_auto(GStrv) row = NULL;

      /* Stored only once read and verified: cannot fail, but say so. */
      if (form == NULL)
        {
          g_printerr ("training-desk-receiver: a stored form cannot be read: %s\n", error->message);
          return 1;
        }
      /* The name the province registered, not the one the form gives. */
      td_form_set (form, TD_FORM_NAME, latest->school);
      row = td_form_catalogue_row (form);
      td_table_add_cells (table, i + 2, (const char * const *)row, TD_FORM_CATALOGUE_N_COLUMNS);
    }

  lower = g_ascii_strdown (opt_export, -1);
  if (g_str_has_suffix (lower, ".xlsx"))
    written = td_xlsx_write (table, opt_export, "意向表", NULL, &error);
  else
    written = td_csv_write (table, opt_export, &error);
  if (!written)
    {
      g_printerr ("training-desk-receiver: %s\n", error->message);
      return 1;
    }
  g_printerr ("%u schools written to %s\n", forms->len, opt_export);
  return 0;
}

/* A staff account of /desk: the password from stdin (a line), stored as
 * its Argon2id hash (td_web_hash_password()). */
static int
add_staff (TdReceiverDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (opt_add_staff));
  g_autofree char *hash = NULL;
  char password[1026] = "";
  gsize length;

  if (*name == '\0' || strlen (name) > 200 || !g_utf8_validate (name, -1, NULL))
    {
      g_printerr ("training-desk-receiver: --add-staff needs the account’s name (at most 200 bytes)\n");
      return 2;
    }
  if (isatty (0))
    g_printerr ("The password for “%s” (at least 10 characters), then Enter: ", name);
  if (fgets (password, sizeof password, stdin) == NULL)
    password[0] = '\0';
  length = strcspn (password, "\r\n");
  password[length] = '\0';
  if (g_utf8_strlen (password, -1) < 10 || length > 1024 || !g_utf8_validate (password, -1, NULL))
    {
      sodium_memzero (password, sizeof password);
      g_printerr ("training-desk-receiver: the password must be 10 to 1024 bytes long, on one line of standard input\n");
      return 2;
    }
  hash = td_web_hash_password (password, &error);
  sodium_memzero (password, sizeof password);
  if (hash == NULL || !td_receiver_db_web_add_staff (db, name, hash, &error))
    {
      g_printerr ("training-desk-receiver: %s\n", error->message);
      return 1;
    }
  g_printerr ("The staff account “%s” can log in to /desk.\n", name);
  return 0;
}

/* The read token of the catalogue: the file's first line, letters, digits,
 * '-' and '_' only (it is also a cookie's value). */
static char *
read_catalogue_token (GError **error)
{
  g_autofree char *contents = NULL;
  char *token;

  if (!g_file_get_contents (opt_catalogue_token_file, &contents, NULL, error))
    return NULL;
  token = g_strstrip (g_strndup (contents, strcspn (contents, "\r\n")));
  if (strlen (token) < 16 || strlen (token) > 256 || strspn (token, "abcdefghijklmnopqrstuvwxyz"
                                                                   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != strlen (token))
    {
      g_free (token);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The catalogue’s read token in %s must be 16 to 256 letters, digits, '-' or '_' on its first line",
                   opt_catalogue_token_file);
      return NULL;
    }
  return token;
}

/* Each connection is a descriptor: the soft limit (often 1,024) is raised
 * to the hard one, and the connection limit kept under what is left. */
static void
raise_file_limit (void)
{
  struct rlimit limit;
  rlim_t wanted = (rlim_t)opt_max_connections + 64;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return;
  if (limit.rlim_cur < wanted && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = MIN (limit.rlim_max, MAX (wanted, 4096));
      setrlimit (RLIMIT_NOFILE, &limit);
      getrlimit (RLIMIT_NOFILE, &limit);
    }
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted)
    {
      int fit = limit.rlim_cur > 128 ? (int)(limit.rlim_cur - 64) : 64;

      td_receiver_log ("only %d connections fit under the limit of %lu open files (--max-connections %d)",
                       fit, (unsigned long)limit.rlim_cur, opt_max_connections);
      opt_max_connections = fit;
    }
}

static gboolean
stop_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static int
serve (void)
{
  TdReceiverOptions options = {
    .database = opt_database,
    .address = opt_address,
    .port = (guint)opt_port,
    .tls_certificate = opt_tls_certificate,
    .tls_key = opt_tls_key,
    .max_body = opt_max_body,
    .busy_timeout_ms = (guint)opt_busy_timeout,
    .idle_timeout_s = (guint)opt_idle_timeout,
    .handshake_timeout_s = (guint)opt_handshake_timeout,
    .header_timeout_s = (guint)opt_header_timeout,
    .request_timeout_s = (guint)opt_request_timeout,
    .max_per_address = (guint)opt_max_per_address,
    .quota = opt_quota,
    .fail_first = (guint)opt_fail_first,
    .drop_first = (guint)opt_drop_first,
    .delay_ms = (guint)opt_delay_ms,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TdReceiver) receiver = NULL;
  g_autoptr(GDateTime) deadline = NULL;
  g_autofree char *catalogue_token = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *uri = NULL;
  guint sigint, sigterm;

  if (opt_deadline)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

      deadline = g_date_time_new_from_iso8601 (opt_deadline, utc);
      if (deadline == NULL)
        {
          g_printerr ("training-desk-receiver: --deadline needs a time in ISO 8601, such as 2026-12-31T17:00:00+08:00\n");
          return 2;
        }
      options.deadline = deadline;
    }
  if (opt_catalogue_token_file)
    {
      catalogue_token = read_catalogue_token (&error);
      if (catalogue_token == NULL)
        {
          g_printerr ("training-desk-receiver: %s\n", error->message);
          return 2;
        }
      options.catalogue_token = catalogue_token;
    }
  options.campaign = opt_campaign;
  raise_file_limit ();
  options.max_connections = (guint)opt_max_connections;
  receiver = td_receiver_new (&options, &error);
  if (receiver == NULL || !td_receiver_listen (receiver, &error))
    {
      g_printerr ("training-desk-receiver: %s\n", error->message);
      return 1;
    }

  sigint = g_unix_signal_add (SIGINT, stop_cb, loop);
  sigterm = g_unix_signal_add (SIGTERM, stop_cb, loop);

  /* Tests read the port from this line. */
  uri = td_receiver_dup_uri (receiver);
  g_print ("listening on %s\n", uri);
  fflush (stdout);

  g_main_loop_run (loop);

  td_receiver_log ("stopping");
  td_receiver_stop (receiver);
  /* Submissions being stored are stored before the database closes. */
  while (td_receiver_is_busy (receiver))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_clear_object (&receiver);
  td_receiver_log ("stopped");
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— the Training Desk upload endpoint");
  g_autoptr(GError) error = NULL;
  g_autoptr(TdReceiverDb) db = NULL;
  guint modes;

  setlocale (LC_ALL, "");

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
                                    "Serves docs/upload-protocol.md: POST /submissions, GET /submissions/UUID, GET /;\n"
                                    "and the province's pages (docs/catalogue.md): /catalogue, /desk.\n"
                                    "Stops on SIGINT or SIGTERM.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("training-desk-receiver: %s\n", error->message);
      return 2;
    }
  if (opt_version)
    {
      g_print ("training-desk-receiver %s (protocol %d)\n", PACKAGE_VERSION, TD_UPLOAD_PROTOCOL_VERSION);
      return 0;
    }

  modes = (opt_add_school != NULL) + (opt_list != FALSE) + (opt_export != NULL) + (opt_reset_key != NULL) +
          (opt_import_mail != NULL) + (opt_fetch_imap != NULL) + (opt_add_staff != NULL);
  if (opt_database == NULL || argc > 1 || modes > 1 ||
      opt_port < 0 || opt_port > 65535 || opt_max_body < 1 || opt_busy_timeout < 0 || opt_idle_timeout < 1 ||
      opt_handshake_timeout < 1 || opt_header_timeout < 1 || opt_request_timeout < 1 ||
      opt_max_connections < 1 || opt_max_per_address < 1 || opt_quota < 0 ||
      opt_fail_first < 0 || opt_drop_first < 0 || opt_delay_ms < 0 || opt_imap_timeout < 1)
    {
      g_printerr ("training-desk-receiver: %s\n",
                  opt_database == NULL ? "--database FILE is needed"
                  : modes > 1 ? "--add-school, --add-staff, --reset-key, --import-mail, --fetch-imap, --list and --export-catalogue go one at a time"
                  : "an option is out of its range (see --help)");
      return 2;
    }

  if (modes == 0)
    return serve ();

  db = td_receiver_db_open (opt_database, (guint)opt_busy_timeout, &error);
  if (db == NULL)
    {
      g_printerr ("training-desk-receiver: %s\n", error->message);
      return 1;
    }
  if (opt_add_school)
    return add_school (db);
  if (opt_add_staff)
    return add_staff (db);
  if (opt_reset_key)
    return reset_key (db);
  if (opt_import_mail)
    return import_mail (db);
  if (opt_fetch_imap)
    return fetch_imap (db);
  if (opt_list)
    return list (db);
  return export_catalogue (db);
}
