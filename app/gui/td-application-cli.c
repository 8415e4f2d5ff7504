/* td-application-cli.c: the command line, run before any window
 *
 * --import, --export, --load-example, --export-pdf/-json/-row,
 * --import-campaign, --import-json and --sync run here, in
 * GApplication::handle-local-options, and exit: no display is needed, and
 * a script gets an exit status (docs/command-line.md). Everything is done
 * through the core (app/core), as the windows do it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-application"

#include "config.h"

#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "td-application-cli.h"
#include "td-class-figures.h"
#include "td-example.h"
#include "td-export.h"
#include "td-figures.h"
#include "td-form-json.h"
#include "td-form-render.h"
#include "td-import.h"
#include "td-limits.h"
#include "td-outbox.h"
#include "td-read-file.h"
#include "td-session.h"
#include "td-store.h"
#include "td-credentials.h"
#include "td-sync.h"

static const GOptionEntry option_entries[] = {
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Open the database FILE instead of the default one"), N_("FILE") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and exit"), NULL },
  /* For bench/startup: quit once the first frame is drawn, printing when. */
  { "quit-after-first-frame", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, NULL, NULL, NULL },
  /* Translators: KIND and FILE as in "--import KIND FILE" */
  { "import", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Import FILE (.csv or .xlsx) into the records of KIND and exit, writing nothing if a row is bad. "
       "KIND: programmes, trainers, equipment, venues, guarantees or results"), N_("KIND FILE") },
  { "export", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Export the records of KIND to FILE (.csv or .xlsx) and exit"), N_("KIND FILE") },
  { "load-example", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Fill an empty database with a generated example school and exit"), NULL },
  { "export-pdf", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write the intent form as a PDF to FILE and exit (refused while the form is incomplete)"), N_("FILE") },
  { "export-json", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write the intent form as JSON to FILE and exit"), N_("FILE") },
  { "export-row", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write the intent form as one catalogue row to FILE (.csv or .xlsx) and exit"), N_("FILE") },
  /* The intent form's data, read back: a campaign, a form. */
  { "import-campaign", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Import the campaign in FILE (JSON) and exit: the intent form answers it from then on"), N_("FILE") },
  { "import-json", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Import the intent form in FILE (JSON, as --export-json writes it) into the database and exit"), N_("FILE") },
  /* Sending, for scripts and a scheduler (cron, a systemd timer). */
  { "sync", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Send what is due in the outbox and exit: 0 when all of it was delivered (or nothing was due), "
       "1 when an item needs attention, 3 when an item waits to be retried"), NULL },
  /* The FILE of --import and --export. */
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, NULL },
  { NULL }
};

/* The command line: --import and --export, run here and exiting. */
enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2, CLI_PENDING = 3 };

/* UTF-8 as it is where the terminal takes it (or nothing better can be
 * had: the C locale), else in the locale's charset. */
static void
td_application_cli_write (FILE       *stream,
                          const char *text)
{
  const char *charset = NULL;

  if (g_get_charset (&charset) || g_str_equal (charset, "ANSI_X3.4-1968") ||
      g_ascii_strcasecmp (charset, "US-ASCII") == 0)
    fputs (text, stream);
  else
    {
      g_autofree char *converted = g_convert_with_fallback (text, -1, charset, "UTF-8", "?", NULL, NULL, NULL);

      fputs (converted ? converted : text, stream);
    }
}

G_GNUC_PRINTF (1, 2)
static void
td_application_cli_print (const char *format,
                          ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  td_application_cli_write (stdout, text);
}

G_GNUC_PRINTF (1, 2)
static void
td_application_cli_printerr (const char *format,
                             ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  td_application_cli_write (stderr, text);
}

static char *
td_application_cli_kinds (void)
{
  g_autoptr(GString) s = g_string_new (NULL);
  guint n_kinds;
  const TdRecordKind **kinds = td_record_kinds (&n_kinds);

  for (guint i = 0; i < n_kinds; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", kinds[i]->id);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* A percentage on the terminal, rewritten in place; never into a file or
 * a pipe (stderr is then read by a program, not a person). */
static int cli_progress_shown = -1;

static void
td_application_cli_progress_cb (TdImport *import,
                                double    fraction,
                                gpointer  user_data)
{
  int percent = (int)(fraction * 100);

  if (percent == cli_progress_shown && fraction < 1.0)
    return;
  cli_progress_shown = fraction < 1.0 ? percent : -1;
  td_application_cli_printerr ("\r%s %3d%%%s", (const char *)user_data, percent, fraction < 1.0 ? "" : "\n");
}

/* Ends a percentage cut short, before a message. */
static void
td_application_cli_progress_end (void)
{
  if (cli_progress_shown >= 0)
    td_application_cli_printerr ("\n");
  cli_progress_shown = -1;
}

static int
td_application_cli_import (TdRecordList *list,
                           const char   *path)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TdImport) import = NULL;
  g_auto(GStrv) ignored = NULL;
  g_autoptr(GString) replaced = g_string_new (NULL);
  const TdRecordKind *kind = td_record_list_get_kind (list);
  guint n_problems, n_bad, n_replaced, shown = 0;

  if (!(import = td_import_new (list, path, &error)))
    {
      td_application_cli_printerr ("%s\n", error->message);
      return CLI_FAILED;
    }

  ignored = td_import_dup_ignored_columns (import);
  if (ignored[0])
    {
      g_autofree char *joined = g_strjoinv (_(", "), ignored);

      td_application_cli_printerr (_("%s: these columns are not imported: %s\n"), display, joined);
    }

  if (isatty (STDERR_FILENO))
    td_import_set_progress_func (import, td_application_cli_progress_cb, _("Checking"));
  if (!td_import_preview (import, &error))
    {
      td_application_cli_progress_end ();
      td_application_cli_printerr ("%s\n", error->message);
      return CLI_FAILED;
    }

  n_problems = td_import_get_n_problems (import);
  n_bad = td_import_get_count (import, TD_IMPORT_BAD);
  for (guint i = 0; i < n_problems; i++)
    {
      const TdImportProblem *problem = td_import_get_problem (import, i);

      /* As compilers write it, so editors and scripts can jump there. */
      td_application_cli_printerr ("%s:%u: %s: %s\n", display, problem->line, problem->column, problem->message);
    }
  if (td_import_get_n_problems_left_out (import) > 0)
    td_application_cli_printerr (g_dngettext (GETTEXT_PACKAGE, "%s: …and %u more problem, not listed.\n",
                               "%s: …and %u more problems, not listed.\n",
                               td_import_get_n_problems_left_out (import)),
                  display, td_import_get_n_problems_left_out (import));
  if (n_bad > 0)
    {
      td_application_cli_printerr (g_dngettext (GETTEXT_PACKAGE,
                                 "%s: %u row has problems, so nothing was imported. Correct it and run the import again.\n",
                                 "%s: %u rows have problems, so nothing was imported. Correct them and run the import again.\n",
                                 n_bad),
                    display, n_bad);
      return CLI_FAILED;
    }

  /* Which rows lost to a later one with the same key, while rows are there. */
  n_replaced = td_import_get_count (import, TD_IMPORT_REPLACED);
  for (; shown < MIN (n_replaced, 10); shown++)
    {
      guint by, line = td_import_get_replaced (import, shown, &by);

      g_string_append_printf (replaced, "%s%u→%u", shown ? _(", ") : "", line, by);
    }
  if (shown < n_replaced)
    g_string_append (replaced, "…");

  if (isatty (STDERR_FILENO))
    td_import_set_progress_func (import, td_application_cli_progress_cb, _("Importing"));
  /* This process exits next: the records need not be loaded again. */
  td_import_set_reload (import, FALSE);
  if (!td_import_commit (import, &error))
    {
      td_application_cli_progress_end ();
      td_application_cli_printerr ("%s: %s\n", display, error->message);
      return CLI_FAILED;
    }

  /* Translators: the file, then the kind of records, e.g. "Equipment" */
  td_application_cli_print (_("Imported %s into %s:\n"), display, g_dgettext (GETTEXT_PACKAGE, kind->title));
  td_application_cli_print (_("  new:        %u\n"), td_import_get_count (import, TD_IMPORT_NEW));
  td_application_cli_print (_("  updated:    %u\n"), td_import_get_count (import, TD_IMPORT_UPDATE));
  td_application_cli_print (_("  unchanged:  %u\n"), td_import_get_count (import, TD_IMPORT_UNCHANGED));
  td_application_cli_print (_("  duplicates: %u\n"), n_replaced);
  if (n_replaced > 0)
    td_application_cli_print (_("Rows left out because a later row has the same key (line → line kept): %s\n"),
               replaced->str);
  return CLI_OK;
}

static int
td_application_cli_export (TdRecordList *list,
                           const char   *path)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (!td_export_to_file (list, NULL, path, &n, &error))
    {
      td_application_cli_printerr ("%s\n", error->message);
      return CLI_FAILED;
    }
  td_application_cli_print (g_dngettext (GETTEXT_PACKAGE, "Exported %u record to %s.\n", "Exported %u records to %s.\n", n),
             n, display);
  return CLI_OK;
}

/* The campaign answered, read as the windows read it. */
static TdCampaign *
td_application_cli_load_campaign (TdStore  *store,
                                  GError  **error)
{
  g_autoptr(TdSession) session = td_session_new (store);

  return td_session_load_campaign (session, error);
}

/* training-desk [--database DB] --import KIND FILE | --export KIND FILE */
/* The database of --database (or the default one), opened for the command
 * line; NULL, with the reason printed, when it cannot be. A command that
 * only reads opens a file it cannot write read-only. */
static TdStore *
td_application_cli_open_store_full (GVariantDict *options,
                                    gboolean      must_exist,
                                    gboolean      only_reads)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  const char *db_arg = NULL;
  TdStore *store;

  if (g_variant_dict_lookup (options, "database", "^&ay", &db_arg))
    db_path = g_canonicalize_filename (db_arg, NULL);
  else
    db_path = td_store_dup_default_path ();

  if (must_exist && !g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *display = g_filename_display_name (db_path);

      td_application_cli_printerr (_("There is no database “%s”. Give the right file with --database.\n"), display);
      return NULL;
    }
  if (only_reads)
    store = td_store_open_for_reading (db_path, &error);
  else
    store = td_store_open (db_path, &error);
  if (store == NULL)
    td_application_cli_printerr ("%s\n", error->message);
  return store;
}

static TdStore *
td_application_cli_open_store (GVariantDict *options,
                               gboolean      must_exist)
{
  return td_application_cli_open_store_full (options, must_exist, FALSE);
}

static int
td_application_cli_transfer (GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = NULL;
  g_autofree const char **rest = NULL;
  g_autofree char *kinds = td_application_cli_kinds ();
  gboolean importing = g_variant_dict_contains (options, "import");
  const char *option = importing ? "--import" : "--export";
  const char *kind_id = NULL;
  TdRecordList *list;

  if (importing && g_variant_dict_contains (options, "export"))
    {
      td_application_cli_printerr (_("Use either --import or --export, not both.\n"));
      return CLI_USAGE;
    }
  g_variant_dict_lookup (options, importing ? "import" : "export", "&s", &kind_id);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &rest);
  if (rest == NULL || rest[0] == NULL || rest[1] != NULL)
    {
      /* Translators: the option (--import or --export), then the kinds */
      td_application_cli_printerr (_("Usage: training-desk [--database DB] %s KIND FILE\n"
                      "KIND is one of: %s. FILE ends in .csv or .xlsx.\n"),
                    option, kinds);
      return CLI_USAGE;
    }
  if (td_record_kind_lookup (kind_id) == NULL)
    {
      td_application_cli_printerr (_("There are no records of the kind “%s”. Use one of: %s.\n"), kind_id, kinds);
      return CLI_FAILED;
    }

  /* An export reads: it must not make an empty database on the way. */
  if (!(store = td_application_cli_open_store_full (options, !importing, !importing)))
    return CLI_FAILED;
  if (!(list = td_record_list_get (store, kind_id, &error)))
    {
      td_application_cli_printerr ("%s\n", error->message);
      return CLI_FAILED;
    }

  return importing ? td_application_cli_import (list, rest[0]) : td_application_cli_export (list, rest[0]);
}

/* --load-example: a generated school in an empty database. */
static int
td_application_cli_load_example (GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = td_application_cli_open_store (options, FALSE);
  TdCounts counts;

  if (store == NULL)
    return CLI_FAILED;
  if (!td_figures_counts (store, &counts, &error))
    {
      td_application_cli_printerr ("%s\n", error->message);
      return CLI_FAILED;
    }
  if (counts.programmes + counts.trainers + counts.venues + counts.equipment_items +
      counts.guarantees + counts.results > 0)
    {
      td_application_cli_printerr (_("This database already holds records: the example school goes only into an empty one.\n"));
      return CLI_FAILED;
    }
  if (!td_example_fill (store, &td_example_school_size, &error) ||
      !td_figures_counts (store, &counts, &error))
    {
      td_application_cli_printerr ("%s\n", error->message);
      /* Disk full, say: a database made for the example goes again. */
      if (td_store_was_created (store))
        {
          g_autofree char *path = g_strdup (td_store_get_path (store));

          g_clear_object (&store);
          td_store_remove_files (path);
        }
      return CLI_FAILED;
    }
  /* long long, not G_GINT64_FORMAT: a translatable string is one literal. */
  td_application_cli_print (_("Loaded an example school: %lld programmes, %lld trainers, %lld venues, "
               "%lld equipment items, %lld guarantees, %lld results.\n"),
             (long long)counts.programmes, (long long)counts.trainers, (long long)counts.venues,
             (long long)counts.equipment_items, (long long)counts.guarantees, (long long)counts.results);
  /* Its last years are classes (docs/classes.md): say so, they are why
   * those years have no typed results. */
  {
    g_autoptr(GArray) years = td_class_figures_years (store, NULL);
    gint64 classes = 0;

    for (guint i = 0; years != NULL && i < years->len; i++)
      {
        TdClassYear year;

        if (td_class_figures_year (store, g_array_index (years, int, i), &year, NULL))
          classes += year.classes;
      }
    if (classes > 0)
      td_application_cli_print (g_dngettext (GETTEXT_PACKAGE,
                                             "It also has %lld training class, with its sessions, roster and "
                                             "attendance: its year’s results are computed from it.\n",
                                             "It also has %lld training classes, with their sessions, rosters and "
                                             "attendance: their years’ results are computed from them.\n",
                                             classes),
                                (long long)classes);
  }
  return CLI_OK;
}

/* --export-pdf, --export-json, --export-row: the intent form, only when
 * nothing is missing from it. */
static int
td_application_cli_export_form (GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = td_application_cli_open_store (options, TRUE);
  g_autoptr(TdCampaign) campaign = NULL;
  g_autoptr(TdForm) form = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  const char *pdf = NULL, *json = NULL, *row = NULL;

  g_variant_dict_lookup (options, "export-pdf", "^&ay", &pdf);
  g_variant_dict_lookup (options, "export-json", "^&ay", &json);
  g_variant_dict_lookup (options, "export-row", "^&ay", &row);

  if (store == NULL)
    return CLI_FAILED;
  if (!(campaign = td_application_cli_load_campaign (store, &error)) ||
      !(form = td_form_load (store, campaign, td_campaign_get_last_year (campaign), &error)))
    {
      td_application_cli_printerr ("%s\n", error->message);
      return CLI_FAILED;
    }

  problems = td_form_check (form, campaign);
  if (problems->len > 0)
    {
      td_application_cli_printerr (g_dngettext (GETTEXT_PACKAGE,
                                 "The intent form is not complete; %u thing to do first:\n",
                                 "The intent form is not complete; %u things to do first:\n",
                                 problems->len),
                    problems->len);
      for (guint i = 0; i < problems->len; i++)
        td_application_cli_printerr ("  %s\n", ((TdFormProblem *)g_ptr_array_index (problems, i))->message);
      return CLI_FAILED;
    }

  if (pdf != NULL && !td_form_render_pdf (form, campaign, NULL, pdf, &error))
    {
      td_application_cli_printerr ("%s\n", error->message);
      return CLI_FAILED;
    }
  if (json != NULL)
    {
      gsize length;
      g_autofree char *text = td_form_to_json (form, &length);

      if (!g_file_set_contents (json, text, length, &error))
        {
          td_application_cli_printerr ("%s\n", error->message);
          return CLI_FAILED;
        }
    }
  if (row != NULL && !td_form_write_catalogue (form, row, &error))
    {
      td_application_cli_printerr ("%s\n", error->message);
      return CLI_FAILED;
    }

  if (pdf)
    td_application_cli_print (_("Wrote %s\n"), pdf);
  if (json)
    td_application_cli_print (_("Wrote %s\n"), json);
  if (row)
    td_application_cli_print (_("Wrote %s\n"), row);
  return CLI_OK;
}

/* --import-campaign and --import-json: the file is read and checked
 * before the database is opened, and nothing is written unless all of it
 * is right. */

/* A database this command made, on the way to a failure, is removed again:
 * a bad file leaves no trace. */
static void
td_application_cli_remove_new_database (TdStore    **store,
                                        const char  *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  g_clear_object (store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
}

static char *
td_application_cli_database_path (GVariantDict *options)
{
  const char *db_arg = NULL;

  if (g_variant_dict_lookup (options, "database", "^&ay", &db_arg))
    return g_canonicalize_filename (db_arg, NULL);
  return td_store_dup_default_path ();
}

static int
td_application_cli_import_campaign (GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = NULL;
  g_autoptr(TdCampaign) campaign = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *db_path = td_application_cli_database_path (options);
  gboolean existed = g_file_test (db_path, G_FILE_TEST_EXISTS);
  const char *path = NULL;
  char deadline[32];

  g_variant_dict_lookup (options, "import-campaign", "^&ay", &path);
  file = g_file_new_for_commandline_arg (path);
  if (!(campaign = td_campaign_new_from_file (file, NULL, &error)))
    {
      td_application_cli_printerr ("%s\n", error->message);
      return CLI_FAILED;
    }

  if (!(store = td_application_cli_open_store (options, FALSE)))
    return CLI_FAILED;
  if (!td_campaign_make_current (store, campaign, &error))
    {
      td_application_cli_printerr ("%s\n", error->message);
      if (!existed)
        td_application_cli_remove_new_database (&store, db_path);
      return CLI_FAILED;
    }

  g_date_strftime (deadline, sizeof deadline, "%Y-%m-%d", td_campaign_get_deadline (campaign));
  /* Translators: the campaign's id, its form's title, the notice's number, the deadline */
  td_application_cli_print (_("Imported the campaign %s (%s, %s), due %s: the intent form answers it from now on.\n"),
             td_campaign_get_id (campaign), td_campaign_get_title (campaign), td_campaign_get_notice (campaign),
             deadline);
  return CLI_OK;
}

static int
td_application_cli_import_json (GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = NULL;
  g_autoptr(TdCampaign) campaign = NULL;
  g_autoptr(TdForm) form = NULL;
  g_autoptr(TdForm) checked = NULL;
  g_autofree char *db_path = td_application_cli_database_path (options);
  g_autofree char *contents = NULL;
  g_autofree char *display = NULL;
  g_autoptr(GFile) file = NULL;
  gboolean existed = g_file_test (db_path, G_FILE_TEST_EXISTS);
  const char *path = NULL;
  int last_year;
  gsize length;

  g_variant_dict_lookup (options, "import-json", "^&ay", &path);
  display = g_filename_display_name (path);
  file = g_file_new_for_commandline_arg (path);
  /* A byte more than a form document may hold, for its check to refuse. */
  if (!td_read_file_limited (file, TD_LIMIT_FORM_FILE, &contents, &length, NULL, &error))
    {
      td_application_cli_printerr (_("%s: %s\n"), display, error->message);
      return CLI_FAILED;
    }
  /* The document's structure, before the database is touched. */
  if (!(checked = td_form_new_from_json (contents, length, &error)))
    {
      td_application_cli_printerr (_("%s: %s\n"), display, error->message);
      return CLI_FAILED;
    }

  if (!(store = td_application_cli_open_store (options, FALSE)))
    return CLI_FAILED;
  if (!(campaign = td_application_cli_load_campaign (store, &error)) ||
      !(form = td_form_import_json (store, campaign, contents, length, &error)))
    {
      td_application_cli_printerr (_("%s: %s\n"), display, error->message);
      if (!existed)
        td_application_cli_remove_new_database (&store, db_path);
      return CLI_FAILED;
    }

  last_year = td_campaign_get_last_year (campaign);
  td_application_cli_print (_("Imported the intent form of %s from %s: the school profile and fields 6–9.\n"),
             td_form_get (form, TD_FORM_NAME)[0] ? td_form_get (form, TD_FORM_NAME) : _("(no name)"), display);
  /* The years are the campaign's: a difference is said, not refused. */
  if (td_form_get_last_year (form) != last_year)
    td_application_cli_print (_("Note: this form covers %d–%d; the campaign of this database asks for %d–%d. "
                 "Check field 9’s figures.\n"),
               td_form_get_first_year (form), td_form_get_last_year (form),
               td_campaign_get_first_year (campaign), last_year);
  return CLI_OK;
}

/* training-desk [--database DB] --sync: the outbox's due items, each tried
 * once, off the main loop as in the app; the exit status says what became
 * of them. */
typedef struct
{
  gboolean       done;
  gboolean       ok;
  TdSyncSummary  summary;
  GError        *error;
} CliSync;

static void
td_application_cli_sync_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  CliSync *run = user_data;

  run->ok = td_sync_run_due_finish (TD_SYNC (source), result, &run->summary, &run->error);
  run->done = TRUE;
}

static void
td_application_cli_sync_item_cb (TdSync       *sync,
                                 TdOutboxItem *item,
                                 gpointer      user_data)
{
  if (td_outbox_item_get_state (item) == TD_OUTBOX_DELIVERED)
    /* Translators: revision number, destination (E-mail or Upload), recipient, receipt */
    td_application_cli_print (_("Revision %lld → %s %s: delivered (%s).\n"),
               (long long)td_outbox_item_get_revision_number (item),
               td_destination_label (td_outbox_item_get_destination (item)),
               td_outbox_item_get_recipient (item), td_outbox_item_get_receipt (item));
  else
    td_application_cli_printerr (_("Revision %lld → %s %s: not sent: %s\n"),
                  (long long)td_outbox_item_get_revision_number (item),
                  td_destination_label (td_outbox_item_get_destination (item)),
                  td_outbox_item_get_recipient (item), td_outbox_item_get_last_error (item));
}

static int
td_application_cli_sync (GVariantDict *options)
{
  g_autoptr(TdStore) store = NULL;
  g_autoptr(TdSync) sync = NULL;
  CliSync run = { 0 };

  /* The keyring made ready while the database opens (issue 17). */
  td_credentials_prepare ();
  store = td_application_cli_open_store (options, TRUE);
  if (store == NULL)
    {
      td_credentials_forget_prepared ();
      return CLI_FAILED;
    }

  sync = td_sync_new (store, NULL);
  g_signal_connect (sync, "item-finished", G_CALLBACK (td_application_cli_sync_item_cb), NULL);
  td_sync_run_due_async (sync, NULL, td_application_cli_sync_cb, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);

  if (!run.ok)
    {
      td_credentials_forget_prepared ();
      td_application_cli_printerr ("%s\n", run.error->message);
      g_clear_error (&run.error);
      return CLI_FAILED;
    }
  if (run.summary.delivered + run.summary.failed + run.summary.retrying == 0)
    td_application_cli_print (_("Nothing is due in the outbox.\n"));
  else if (run.summary.retrying > 0)
    td_application_cli_printerr (g_dngettext (GETTEXT_PACKAGE,
                               "%u item waits to be retried: run --sync again later, or leave Training Desk open.\n",
                               "%u items wait to be retried: run --sync again later, or leave Training Desk open.\n",
                               run.summary.retrying),
                  run.summary.retrying);
  td_credentials_forget_prepared ();
  /* The worker threads let go of the store before it closes. */
  td_sync_stop (sync);
  g_clear_object (&sync);
  while (G_OBJECT (store)->ref_count > 1)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  if (run.summary.failed > 0)
    return CLI_FAILED;
  if (run.summary.retrying > 0)
    return CLI_PENDING;
  return CLI_OK;
}

/* Runs the command the options name. Returns: its exit status, or -1
 * when they name none (the application then opens a window). */
int
td_application_cli_run (GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", "training-desk", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_contains (options, "import") || g_variant_dict_contains (options, "export"))
    return td_application_cli_transfer (options);
  if (g_variant_dict_contains (options, "load-example"))
    return td_application_cli_load_example (options);
  if (g_variant_dict_contains (options, "sync"))
    return td_application_cli_sync (options);
  if (g_variant_dict_contains (options, "import-campaign") || g_variant_dict_contains (options, "import-json"))
    {
      if (g_variant_dict_contains (options, "import-campaign") && g_variant_dict_contains (options, "import-json"))
        {
          td_application_cli_printerr (_("Use either --import-campaign or --import-json, not both: import the campaign first.\n"));
          return CLI_USAGE;
        }
      if (g_variant_dict_contains (options, "export-pdf") || g_variant_dict_contains (options, "export-json") ||
          g_variant_dict_contains (options, "export-row"))
        {
          td_application_cli_printerr (_("Import and export in two commands: the import first.\n"));
          return CLI_USAGE;
        }
      return g_variant_dict_contains (options, "import-campaign") ? td_application_cli_import_campaign (options)
                                                                 : td_application_cli_import_json (options);
    }
  if (g_variant_dict_contains (options, "export-pdf") || g_variant_dict_contains (options, "export-json") ||
      g_variant_dict_contains (options, "export-row"))
    return td_application_cli_export_form (options);
  if (g_variant_dict_contains (options, G_OPTION_REMAINING))
    {
      g_autofree const char **rest = NULL;

      g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &rest);
      td_application_cli_printerr (_("Unexpected argument “%s”. See “training-desk --help”.\n"), rest && rest[0] ? rest[0] : "");
      return CLI_USAGE;
    }
  return -1;
}

void
td_application_cli_add_options (GApplication *app)
{
  g_application_add_main_option_entries (app, option_entries);
}
