/* td-overview-page.c: what the school's records add up to
 *
 * Counts and yearly figures come straight from SQLite aggregates
 * (td-figures.c), so the overview needs no list loaded and stays cheap at
 * start-up; it refreshes, once per burst, whenever the store changes.
 *
 * It also shows the job as one path (docs/overview.md): profile, records,
 * form, sign-off, sending, the paper copies. Each step's done / to do is
 * read from the same state the other pages act on (missing profile fields,
 * record counts, the form's checks, signed revisions, delivered outbox
 * items), never stored apart, so it cannot drift; each step leads to the
 * page or action that does it. The page is two columns when its content
 * has room for two of COLUMN_WIDTH (a window of about 1150 px with the
 * sidebar), one below: a clerk at 1400 px sees the path and the charts side
 * by side. libadwaita 1.2 has no AdwBreakpoint and a GtkFlowBox sizes its
 * columns by the widest natural width (a long sentence: one column at any
 * width), so TdOverviewColumns below decides from the width it is given,
 * height for width, with nothing to re-queue.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-overview-page"

#include "config.h"

#include <glib/gi18n.h>

#include "td-chart.h"
#include "td-example.h"
#include "td-figures.h"
#include "td-form.h"
#include "td-outbox.h"
#include "td-overview-page.h"
#include "td-store-read.h"
#include "td-record-list.h"
#include "td-results-charts.h"
#include "td-revision.h"

/* Trainers listed under "training hours", and years under "by year" (the
 * form's three): the Results page has the rest. */
#define TOP_TRAINERS 5
#define YEARS_SHOWN 3

typedef struct _Figures Figures;

/* The columns: side by side from two of COLUMN_WIDTH, else one under the
 * other, each as tall as its content (the taller one sets the page's). */
#define COLUMN_WIDTH   420
#define COLUMN_SPACING 24

#define TD_TYPE_OVERVIEW_COLUMNS (td_overview_columns_get_type ())
G_DECLARE_FINAL_TYPE (TdOverviewColumns, td_overview_columns, TD, OVERVIEW_COLUMNS, GtkWidget)

struct _TdOverviewColumns
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (TdOverviewColumns, td_overview_columns, GTK_TYPE_WIDGET)

static guint
td_overview_columns_count (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    n += gtk_widget_should_layout (child);
  return n;
}

/* The width of each column at @width, or -1 for one column. */
static int
td_overview_columns_width (GtkWidget *widget,
                           int        width)
{
  guint n = td_overview_columns_count (widget);

  if (n < 2 || width < (int)n * COLUMN_WIDTH + ((int)n - 1) * COLUMN_SPACING)
    return -1;
  return (width - ((int)n - 1) * COLUMN_SPACING) / (int)n;
}

static GtkSizeRequestMode
td_overview_columns_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
td_overview_columns_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  int column = orientation == GTK_ORIENTATION_VERTICAL && for_size >= 0
               ? td_overview_columns_width (widget, for_size) : -1;
  gboolean first = TRUE;

  *minimum = *natural = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      int child_min, child_nat;

      if (!gtk_widget_should_layout (child))
        continue;
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          /* Folding to one column: as narrow as the narrowest it allows. */
          gtk_widget_measure (child, orientation, -1, &child_min, &child_nat, NULL, NULL);
          *minimum = MAX (*minimum, child_min);
          *natural += child_nat + (first ? 0 : COLUMN_SPACING);
        }
      else if (column > 0)
        {
          gtk_widget_measure (child, orientation, column, &child_min, &child_nat, NULL, NULL);
          *minimum = MAX (*minimum, child_min);
          *natural = MAX (*natural, child_nat);
        }
      else
        {
          gtk_widget_measure (child, orientation, for_size, &child_min, &child_nat, NULL, NULL);
          *minimum += child_min + (first ? 0 : COLUMN_SPACING);
          *natural += child_nat + (first ? 0 : COLUMN_SPACING);
        }
      first = FALSE;
    }
}

static void
td_overview_columns_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  int column = td_overview_columns_width (widget, width);
  int x = 0, y = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      int child_height;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, column > 0 ? column : width, NULL, &child_height, NULL, NULL);
      if (column > 0)
        {
          gtk_widget_size_allocate (child, &(GtkAllocation) { x, 0, column, child_height }, -1);
          x += column + COLUMN_SPACING;
        }
      else
        {
          gtk_widget_size_allocate (child, &(GtkAllocation) { 0, y, width, child_height }, -1);
          y += child_height + COLUMN_SPACING;
        }
    }
}

static void
td_overview_columns_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))))
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (td_overview_columns_parent_class)->dispose (object);
}

static void
td_overview_columns_class_init (TdOverviewColumnsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = td_overview_columns_dispose;
  widget_class->get_request_mode = td_overview_columns_get_request_mode;
  widget_class->measure = td_overview_columns_measure;
  widget_class->size_allocate = td_overview_columns_size_allocate;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
td_overview_columns_init (TdOverviewColumns *self)
{
}

struct _TdOverviewPage
{
  AdwBin               parent_instance;

  TdSession           *session;
  TdSchool            *school;         /* the session's */
  GPtrArray           *dynamic_rows;   /* rows made by refresh, to remove next time */
  guint                refresh_id;
  gboolean             loading_example;
  GCancellable        *cancellable;
  gboolean             computing;       /* figures being read off the main loop */
  gboolean             painted;         /* the window has drawn its first frame */
  gboolean             after_paint;     /* the first read waits for that frame */
  Figures             *waiting;         /* figures that came before it */
  gboolean             again;           /* the store changed meanwhile */

  GtkStack            *stack;
  AdwPreferencesGroup *school_group;
  AdwPreferencesGroup *form_group;
  AdwPreferencesGroup *charts_group;
  GtkBox              *charts_box;
  TdResultsCharts     *charts;
  AdwPreferencesGroup *records_group;
  AdwPreferencesGroup *years_group;
  AdwPreferencesGroup *trainers_group;
  AdwEntryRow         *ratio_row;
  GtkWidget           *ratio_message_row;
  GtkLabel            *ratio_message;
  GtkButton           *example_button;
  GtkWidget           *steps[TD_OVERVIEW_N_STEPS];
  GtkWidget           *step_done[TD_OVERVIEW_N_STEPS];     /* the ✓ */
  GtkWidget           *step_number[TD_OVERVIEW_N_STEPS];   /* or the number */
  gboolean             done[TD_OVERVIEW_N_STEPS];
};

G_DEFINE_FINAL_TYPE (TdOverviewPage, td_overview_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
td_overview_page_new (TdSession *session)
{
  return g_object_new (TD_TYPE_OVERVIEW_PAGE, "session", session, NULL);
}

static TdStore *
td_overview_page_get_store (TdOverviewPage *self)
{
  return td_school_get_store (self->school);
}

/* 1,234,567 in the user's locale, and with "," where the locale groups
 * nothing (C): "62081211 yuan" is hard to read in any language. */
static char *
td_overview_page_format_count (gint64 n)
{
  return td_format_count (n);
}

static char *
td_overview_page_format_number (double value,
                                int    decimals)
{
  return td_format_decimal (value, decimals);
}

/* A long subtitle (the post step's address, a year's figures) wraps in
 * a narrow column instead of pushing the row wider than the window: GTK
 * 4.8's box asks a wrapped label for its width at the row's height, which
 * an unlimited label answers with its unwrapped width; a label of a few
 * lines at most answers with what it needs. */
#define SUBTITLE_LINES 5

static void
td_overview_page_add_row (TdOverviewPage      *self,
                          AdwPreferencesGroup *group,
                          const char          *title,
                          const char          *subtitle,
                          const char          *page)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (page != NULL)
    {
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.show-page");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", page);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
    }
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), SUBTITLE_LINES);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->dynamic_rows, row);
}

static void
td_overview_page_clear_rows (TdOverviewPage *self)
{
  for (guint i = 0; i < self->dynamic_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->dynamic_rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->dynamic_rows, 0);
}

/* The counts of @kind's Overview line (td_figures_kind_counts()). */
static const double *
td_overview_page_kind_counts (GHashTable         *counts,
                              const TdRecordKind *kind)
{
  static const double none[TD_RECORD_KIND_MAX_COUNTS] = { 0 };
  const double *values = g_hash_table_lookup (counts, kind->id);

  return values != NULL ? values : none;
}

/* How many records of @kind there are: the first count of its line. */
static gint64
td_overview_page_count (GHashTable         *counts,
                        const TdRecordKind *kind)
{
  return kind->n_counts > 0 ? (gint64)td_overview_page_kind_counts (counts, kind)[0] : 0;
}

/* A row per kind, as td-record-kind.c words it, leading to its page. */
static void
td_overview_page_fill_records (TdOverviewPage *self,
                               GHashTable     *c)
{
  guint n_kinds = 0;
  const TdRecordKind **kinds = td_record_kinds (&n_kinds);

  for (guint k = 0; k < n_kinds; k++)
    {
      const TdRecordKind *kind = kinds[k];
      const double *values = td_overview_page_kind_counts (c, kind);
      char *counts[TD_RECORD_KIND_MAX_COUNTS] = { NULL };
      g_autofree char *subtitle = NULL;

      /* A kind whose entry has no counts is not on the Overview. */
      if (kind->n_counts == 0)
        continue;
      for (guint i = 0; i < kind->n_counts && i < TD_RECORD_KIND_MAX_COUNTS; i++)
        counts[i] = td_kind_count_is_amount (kind, &kind->counts[i])
          ? td_overview_page_format_number (values[i], 0)
          : td_overview_page_format_count ((gint64)values[i]);
      subtitle = td_plural_format (&kind->overview, td_overview_page_count (c, kind),
                                   counts[0], counts[1], counts[2], counts[3], counts[4]);
      td_overview_page_add_row (self, self->records_group, g_dgettext (GETTEXT_PACKAGE, kind->title), subtitle,
                                td_record_kind_get_page (kind));
      for (guint i = 0; i < TD_RECORD_KIND_MAX_COUNTS; i++)
        g_free (counts[i]);
    }
}

static char *
td_overview_page_percent (gint64 part,
                          gint64 whole)
{
  return whole > 0 ? g_strdup_printf ("%.0f%%", 100.0 * part / whole) : g_strdup ("—");
}

/* Everything the overview shows, read on a worker thread from a
 * connection of its own: the main loop never waits for the aggregates. */
struct _Figures
{
  GHashTable *counts;      /* td_figures_kind_counts(): kind id -> counts */
  GArray    *years;        /* TdYearFigures, newest first */
  GPtrArray *hours;        /* TdTrainerHours of the newest year */
  double     fte_hours;
  char      *form_title;
  char      *deadline;
  char      *deadline_date;
  gboolean   past;         /* the deadline has passed */
  int        first_year;
  int        last_year;
  GPtrArray *problems;     /* messages */
  /* The path */
  gint64     signed_revision;   /* number of the latest signed revision, or 0 */
  guint      deliveries;        /* its outbox items */
  guint      delivered;         /* of which delivered */
  char      *authority;         /* the recipient for the school's type, or NULL */
  char      *postal_address;
  int        paper_copies;
  TdChartFigures charts;
};


static void
td_overview_page_figures_free (Figures *f)
{
  g_clear_pointer (&f->counts, g_hash_table_unref);
  g_clear_pointer (&f->years, g_array_unref);
  g_clear_pointer (&f->hours, g_ptr_array_unref);
  g_clear_pointer (&f->problems, g_ptr_array_unref);
  g_free (f->form_title);
  g_free (f->deadline);
  g_free (f->deadline_date);
  g_free (f->authority);
  g_free (f->postal_address);
  g_free (f);
}

/* Signed and sent: the latest signed revision of the campaign, and what
 * became of its outbox items. */
static gboolean
td_overview_page_compute_path (TdStore     *reader,
                               TdCampaign  *campaign,
                               const char  *school_type,
                               Figures     *f,
                               GError     **error)
{
  g_autoptr(GPtrArray) revisions = td_revision_list (reader, td_campaign_get_id (campaign), error);
  g_autoptr(GPtrArray) items = NULL;
  const TdRecipient *recipient = td_campaign_recipient_for (campaign, school_type);
  TdRevision *latest = NULL;

  if (revisions == NULL)
    return FALSE;
  for (guint i = 0; i < revisions->len; i++)
    {
      TdRevision *r = g_ptr_array_index (revisions, i);

      if (td_revision_is_signed (r) &&
          (latest == NULL || td_revision_get_number (r) > td_revision_get_number (latest)))
        latest = r;
    }
  if (recipient != NULL)
    {
      f->authority = g_strdup (recipient->authority);
      f->postal_address = g_strdup (recipient->postal_address);
      f->paper_copies = recipient->paper_copies;
    }
  if (latest == NULL)
    return TRUE;

  f->signed_revision = td_revision_get_number (latest);
  if (!(items = td_outbox_list (reader, error)))
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      TdOutboxItem *item = g_ptr_array_index (items, i);

      if (td_outbox_item_get_revision_id (item) != td_revision_get_id (latest))
        continue;
      f->deliveries++;
      if (td_outbox_item_get_state (item) == TD_OUTBOX_DELIVERED)
        f->delivered++;
    }
  return TRUE;
}

/* What the worker is given: the session's campaign, and the school's type
 * (its recipient). */
typedef struct
{
  TdCampaign *campaign;
  char       *school_type;
} ComputeInput;

static void
td_overview_page_compute_input_free (ComputeInput *input)
{
  g_clear_object (&input->campaign);
  g_free (input->school_type);
  g_free (input);
}

/* In a worker, on a connection of its own (td_store_read_async()). */
static gpointer
td_overview_page_compute_worker (TdStore       *reader,
                                 gpointer       data,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  ComputeInput *input = data;
  const char *school_type = input->school_type;
  TdCampaign *campaign = input->campaign;
  g_autoptr(TdForm) form = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  Figures *f;

  f = g_new0 (Figures, 1);
  if (!(f->counts = td_figures_kind_counts (reader, error)) ||
      !(f->years = td_figures_by_year (reader, error)) ||
      (f->years->len > 0 &&
       !(f->hours = td_figures_trainer_hours (reader, g_array_index (f->years, TdYearFigures, 0).year, error))) ||
      !(form = td_form_load (reader, campaign, td_campaign_get_last_year (campaign), error)))
    {
      td_overview_page_figures_free (f);
      return NULL;
    }

  f->fte_hours = td_figures_get_fte_hours (reader);
  f->form_title = g_strdup (td_campaign_get_title (campaign));
  f->deadline = td_campaign_describe_deadline (campaign, NULL);
  f->deadline_date = td_campaign_format_deadline (campaign);
  f->past = td_campaign_is_past (campaign, NULL);
  f->first_year = td_campaign_get_first_year (campaign);
  f->last_year = td_campaign_get_last_year (campaign);
  f->problems = g_ptr_array_new_with_free_func (g_free);
  problems = td_form_check (form, campaign);
  for (guint i = 0; i < problems->len; i++)
    g_ptr_array_add (f->problems, g_strdup (((TdFormProblem *)g_ptr_array_index (problems, i))->message));
  if (!td_overview_page_compute_path (reader, campaign, school_type, f, error) ||
      !td_chart_figures_compute (reader, f->years, &f->charts, error))
    {
      td_overview_page_figures_free (f);
      return NULL;
    }
  return f;
}

static void
td_overview_page_fill_years (TdOverviewPage *self,
                             GArray         *years,
                             double          fte_hours)
{
  /* The figures are the results'. */
  const char *results_page = td_record_kind_get_page (td_record_kind_lookup (TD_RECORD_KIND_RESULTS));

  for (guint i = 0; i < years->len && i < YEARS_SHOWN; i++)
    {
      const TdYearFigures *y = &g_array_index (years, TdYearFigures, i);
      g_autofree char *title = g_strdup_printf ("%d", y->year);
      g_autofree char *sessions = td_overview_page_format_count (y->sessions);
      g_autofree char *participants = td_overview_page_format_count (y->participants);
      g_autofree char *hours = td_overview_page_format_number (y->person_hours, 0);
      /* docs/figures.md: whole persons; employment over job-seekers only. */
      g_autofree char *fte = td_overview_page_format_count (td_figures_fte_persons (y->person_hours, fte_hours));
      g_autofree char *certified = y->certificates_unknown
                                   ? g_strdup (td_year_figures_certificates_unknown ())
                                   : td_overview_page_percent (y->certificates, y->participants);
      g_autofree char *employed = y->employment_unknown
                                  ? g_strdup (td_year_figures_employment_unknown ())
                                  : td_overview_page_percent (y->employed, y->jobseekers);
      g_autofree char *teaching = td_overview_page_format_number (y->trainer_hours, 0);
      g_autofree char *trainers = td_overview_page_format_count (y->trainers);
      g_autofree char *source = td_year_figures_source (y);
      g_autofree char *subtitle =
        y->from_classes
        ? g_strdup_printf (_("%s.\n%s classes, %s participations, %s person-hours = %s full-time students; "
                             "certified: %s; job-seekers employed: %s; %s trainers taught %s hours"),
                           source, sessions, participants, hours, fte, certified, employed, trainers, teaching)
        : g_strdup_printf (_("%s.\n%s sessions, %s participations, %s person-hours = %s full-time students; "
                             "%s certified, %s of job-seekers employed; %s trainers taught %s hours"),
                           source, sessions, participants, hours, fte, certified, employed, trainers, teaching);

      td_overview_page_add_row (self, self->years_group, title, subtitle, results_page);
    }
  if (years->len == 0)
    td_overview_page_add_row (self, self->years_group, _("No results yet"),
                              _("Record each year’s training on the Results page: the figures appear here."), results_page);
}

static void
td_overview_page_fill_trainers (TdOverviewPage *self,
                                int             year,
                                GPtrArray      *hours)
{
  g_autofree char *title = g_strdup_printf (_("Trainers’ Training Hours in %d"), year);

  adw_preferences_group_set_title (self->trainers_group, title);
  adw_preferences_group_set_description (self->trainers_group,
                                         _("The notice counts them in teachers’ performance reviews."));
  for (guint i = 0; i < hours->len && i < TOP_TRAINERS; i++)
    {
      TdTrainerHours *h = g_ptr_array_index (hours, i);
      g_autofree char *n = td_overview_page_format_number (h->hours, 0);
      g_autofree char *subtitle = g_strdup_printf (_("%s hours"), n);

      td_overview_page_add_row (self, self->trainers_group, h->name, subtitle, NULL);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->trainers_group), hours->len > 0);
}

static void
td_overview_page_fill_profile (TdOverviewPage *self)
{
  const char *name = td_school_get (self->school, TD_SCHOOL_NAME);

  adw_preferences_group_set_title (self->school_group, name[0] ? name : _("Your School"));
}

/* Problems listed on the overview; the form page lists them all. */
#define MAX_PROBLEMS 6

/* The campaign's deadline and what the form still lacks. */
static void
td_overview_page_fill_form (TdOverviewPage *self,
                            Figures        *f)
{
  g_autofree char *years = NULL;

  /* A passed deadline is not said in the group's dimmed description, but
   * first, in warning colours ("已过期 N 天" is news, not a footnote). */
  if (f->past)
    years = g_strdup_printf (_("Reports %d–%d"), f->first_year, f->last_year);
  else
    years = g_strdup_printf (_("Reports %d–%d. Deadline %s"), f->first_year, f->last_year, f->deadline);
  adw_preferences_group_set_title (self->form_group, f->form_title);
  adw_preferences_group_set_description (self->form_group, years);
  if (f->past)
    {
      GtkWidget *row;

      GtkWidget *start;

      td_overview_page_add_row (self, self->form_group, f->deadline,
                                _("Signing off and sending for it need a confirmation."),
                                NULL);
      row = g_ptr_array_index (self->dynamic_rows, self->dynamic_rows->len - 1);
      gtk_widget_add_css_class (row, "warning");
      gtk_widget_set_name (row, "deadline-passed");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
      /* The way out of a past campaign, where the news is (issue 11). */
      start = gtk_button_new_with_label (_("Start This Year’s Campaign…"));
      gtk_widget_set_name (start, "start-campaign");
      gtk_widget_set_valign (start, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (start), "win.new-campaign");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), start);
    }

  for (guint i = 0; i < f->problems->len && i < MAX_PROBLEMS; i++)
    td_overview_page_add_row (self, self->form_group, g_ptr_array_index (f->problems, i), NULL, "form");
  if (f->problems->len > MAX_PROBLEMS)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "and %u more", "and %u more",
                                                            f->problems->len - MAX_PROBLEMS),
                                               f->problems->len - MAX_PROBLEMS);

      td_overview_page_add_row (self, self->form_group, more, NULL, "form");
    }
  if (f->problems->len == 0)
    td_overview_page_add_row (self, self->form_group,
                              f->past ? _("Nothing is missing; the deadline has passed.")
                     : _("Nothing is missing: the form can be signed off."),
             NULL, "form");
}

/* One step of the path: done or to do, said in words (the ✓ or the number
 * beside it is for the eye), and where it leads. */
static void
td_overview_page_set_step (TdOverviewPage *self,
                           TdOverviewStep  step,
                           gboolean        done,
                           const char     *detail,
                           const char     *action,
                           const char     *page)
{
  GtkWidget *row = self->steps[step];
  /* Translators: a step's state and what it means: "Done: every field is filled in" */
  g_autofree char *subtitle = g_strdup_printf (_("%s: %s"), done ? _("Done") : _("To do"), detail);

  self->done[step] = done;
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_visible (self->step_done[step], done);
  gtk_widget_set_visible (self->step_number[step], !done);
  /* The target first: a name without its target is refused at once. */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), NULL);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row),
                                          page != NULL ? g_variant_new_string (page) : NULL);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), action);
}

static void
td_overview_page_fill_path (TdOverviewPage *self,
                            Figures        *f)
{
  GHashTable *c = f->counts;
  guint n_kinds = 0;
  const TdRecordKind **kinds = td_record_kinds (&n_kinds);
  guint missing = td_school_count_missing (self->school);
  g_autoptr(GString) empty = g_string_new (NULL);
  const char *first_empty = NULL;
  g_autofree char *detail = NULL;

  /* 1. The profile */
  if (missing == 0)
    td_overview_page_set_step (self, TD_OVERVIEW_STEP_PROFILE, TRUE, _("every field the form needs is filled in"),
                               "win.show-page", "school");
  else
    {
      detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u field is still empty", "%u fields are still empty",
                                             missing),
                                missing);
      td_overview_page_set_step (self, TD_OVERVIEW_STEP_PROFILE, FALSE, detail, "win.show-page", "school");
      g_clear_pointer (&detail, g_free);
    }

  /* 2. The records: every kind the form counts has some. */
  for (guint i = 0; i < n_kinds; i++)
    if (kinds[i]->n_counts > 0 && td_overview_page_count (c, kinds[i]) == 0)
      {
        if (empty->len > 0)
          g_string_append (empty, _(", "));
        g_string_append (empty, g_dgettext (GETTEXT_PACKAGE, kinds[i]->label));
        if (first_empty == NULL)
          first_empty = td_record_kind_get_page (kinds[i]);
      }
  if (first_empty == NULL)
    td_overview_page_set_step (self, TD_OVERVIEW_STEP_RECORDS, TRUE, _("every kind of record the form counts is entered"),
                               "win.show-page", td_record_kind_get_page (kinds[0]));
  else
    {
      detail = g_strdup_printf (_("nothing entered yet: %s"), empty->str);
      td_overview_page_set_step (self, TD_OVERVIEW_STEP_RECORDS, FALSE, detail, "win.show-page", first_empty);
      g_clear_pointer (&detail, g_free);
    }

  /* 3. The form */
  if (f->problems->len == 0)
    td_overview_page_set_step (self, TD_OVERVIEW_STEP_FORM, TRUE, _("nothing is missing"), "win.show-page", "form");
  else
    {
      detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u thing is missing or wrong",
                                             "%u things are missing or wrong", f->problems->len),
                                f->problems->len);
      td_overview_page_set_step (self, TD_OVERVIEW_STEP_FORM, FALSE, detail, "win.show-page", "form");
      g_clear_pointer (&detail, g_free);
    }

  /* 4. 签发 */
  if (f->signed_revision > 0)
    {
      detail = g_strdup_printf (_("revision %d is signed"), (int)f->signed_revision);
      td_overview_page_set_step (self, TD_OVERVIEW_STEP_SIGN_OFF, TRUE, detail, "win.sign-off", NULL);
      g_clear_pointer (&detail, g_free);
    }
  else
    td_overview_page_set_step (self, TD_OVERVIEW_STEP_SIGN_OFF, FALSE,
                               f->problems->len == 0 ? _("the form can be signed off now")
                                    : _("once the form is complete"),
              "win.sign-off", NULL);

  /* 5. Sending */
  if (f->deliveries > 0 && f->delivered == f->deliveries)
    td_overview_page_set_step (self, TD_OVERVIEW_STEP_SEND, TRUE, _("delivered"), "win.show-page", "outbox");
  else if (f->deliveries > 0)
    {
      detail = g_strdup_printf (_("%u of %u delivered; the Outbox says why not"), f->delivered, f->deliveries);
      td_overview_page_set_step (self, TD_OVERVIEW_STEP_SEND, FALSE, detail, "win.show-page", "outbox");
      g_clear_pointer (&detail, g_free);
    }
  else
    td_overview_page_set_step (self, TD_OVERVIEW_STEP_SEND, FALSE, _("signing off puts the form in the Outbox"),
                               "win.show-page", "outbox");

  /* 6. The paper copies: by hand, so never ticked off here. */
  if (f->postal_address != NULL && f->postal_address[0])
    detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "print %d copy of the signed form, seal it and post it to %s, %s, by %s",
                                           "print %d copies of the signed form, seal them and post them to %s, %s, by %s",
                                           MAX (f->paper_copies, 1)),
                              MAX (f->paper_copies, 1), f->authority ? f->authority : "", f->postal_address,
                              f->deadline_date);
  else
    detail = g_strdup_printf (_("print the signed form, seal it and post it by %s (the school type decides where)"),
                              f->deadline_date);
  td_overview_page_set_step (self, TD_OVERVIEW_STEP_POST, FALSE, detail, "win.show-page", "form");
}

static gboolean
td_overview_page_is_welcome (TdOverviewPage *self,
                             gboolean        has_records)
{
  return !has_records && td_school_count_missing (self->school) == TD_SCHOOL_N_FIELDS - 1;
}

static void
td_overview_page_apply_figures (TdOverviewPage *self,
                                Figures        *f)
{
  g_autofree char *ratio = NULL;
  GHashTable *c = f->counts;
  gboolean any = FALSE;
  guint n_kinds = 0;
  const TdRecordKind **kinds = td_record_kinds (&n_kinds);

  for (guint k = 0; k < n_kinds; k++)
    any |= td_overview_page_count (c, kinds[k]) > 0;
  /* The path's state is kept even while the welcome shows (its first
   * button is the path's first step). */
  td_overview_page_fill_path (self, f);
  if (td_overview_page_is_welcome (self, any))
    {
      gtk_stack_set_visible_child_name (self->stack, "welcome");
      return;
    }

  td_overview_page_clear_rows (self);
  td_overview_page_fill_profile (self);
  td_overview_page_fill_form (self, f);
  td_results_charts_set_figures (self->charts, &f->charts);
  gtk_widget_set_visible (GTK_WIDGET (self->charts_group), f->charts.n_years > 0);
  td_overview_page_fill_records (self, c);
  td_overview_page_fill_years (self, f->years, f->fte_hours);
  if (f->years->len > 0)
    td_overview_page_fill_trainers (self, g_array_index (f->years, TdYearFigures, 0).year, f->hours);
  else
    gtk_widget_set_visible (GTK_WIDGET (self->trainers_group), FALSE);

  ratio = td_overview_page_format_number (f->fte_hours, 0);
  if (!gtk_widget_has_focus (GTK_WIDGET (self->ratio_row)))
    gtk_editable_set_text (GTK_EDITABLE (self->ratio_row), ratio);

  gtk_stack_set_visible_child_name (self->stack, "figures");
}

static void
td_overview_page_weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

static void
td_overview_page_computed_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdOverviewPage) self = g_weak_ref_get (user_data);
  Figures *f = td_store_read_finish (result, &error);

  td_overview_page_weak_ref_free (user_data);
  /* Gone, or going: the window closed while the figures were read. */
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_pointer (&f, td_overview_page_figures_free);
      return;
    }
  if (f == NULL)
    g_warning ("Could not read the figures: %s", error->message);

  self->computing = FALSE;
  if (f != NULL && !self->painted)
    {
      /* The window shows itself first; the figures fill it a frame later. */
      g_clear_pointer (&self->waiting, td_overview_page_figures_free);
      self->waiting = f;
      return;
    }
  if (f != NULL)
    {
      td_overview_page_apply_figures (self, f);
      td_overview_page_figures_free (f);
      g_debug ("figures-shown-us %" G_GINT64_FORMAT, g_get_monotonic_time ());
    }
  if (self->again)
    td_overview_page_refresh (self);
}

static gboolean td_overview_page_refresh_idle_cb (gpointer user_data);

/* The first read once the page is drawn, after whatever the frame's own
 * idles do first: a window closed at once (bench/startup's
 * --quit-after-first-frame, a mistaken start) reads nothing. */
static void
td_overview_page_queue_first_refresh (TdOverviewPage *self)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  self->refresh_id = g_idle_add_full (G_PRIORITY_LOW, td_overview_page_refresh_idle_cb, self, NULL);
}

static void
td_overview_page_figures_painted_cb (GdkFrameClock  *clock,
                                     TdOverviewPage *self)
{
  g_signal_handlers_disconnect_by_func (clock, td_overview_page_figures_painted_cb, self);
  g_debug ("figures-painted-us %" G_GINT64_FORMAT, g_get_monotonic_time ());
}

static void
td_overview_page_after_paint_cb (GdkFrameClock  *clock,
                                 TdOverviewPage *self)
{
  g_signal_handlers_disconnect_by_func (clock, td_overview_page_after_paint_cb, self);
  self->painted = TRUE;
  if (self->after_paint)
    {
      self->after_paint = FALSE;
      td_overview_page_queue_first_refresh (self);
    }
  if (self->waiting != NULL)
    {
      td_overview_page_apply_figures (self, self->waiting);
      g_clear_pointer (&self->waiting, td_overview_page_figures_free);
      /* CLOCK_MONOTONIC, as bench/startup's: how long after the first frame. */
      g_debug ("figures-shown-us %" G_GINT64_FORMAT, g_get_monotonic_time ());
      g_signal_connect_object (clock, "after-paint", G_CALLBACK (td_overview_page_figures_painted_cb), self, 0);
    }
  if (self->again)
    td_overview_page_refresh (self);
}

static void
td_overview_page_map_cb (TdOverviewPage *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (!self->painted && clock != NULL)
    {
      g_signal_connect_object (clock, "after-paint", G_CALLBACK (td_overview_page_after_paint_cb), self, 0);
      /* Nothing but the page itself before its first frame: the figures'
       * read (a worker's, but on a second core that the window's start
       * wants too) waits for it. */
      if (self->refresh_id != 0 && !self->computing)
        {
          g_clear_handle_id (&self->refresh_id, g_source_remove);
          self->after_paint = TRUE;
        }
    }
  else
    self->painted = TRUE;
}

/* Reads the figures anew, off the main loop; the page shows them when
 * they come. Changes meanwhile make one more read afterwards. */
void
td_overview_page_refresh (TdOverviewPage *self)
{
  g_autoptr(GError) error = NULL;
  ComputeInput *input;
  GWeakRef *ref;

  g_return_if_fail (TD_IS_OVERVIEW_PAGE (self));

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->computing)
    {
      self->again = TRUE;
      return;
    }
  self->computing = TRUE;
  self->again = FALSE;

  /* The read holds neither the page nor the store (only the file's path
   * and a weak reference): closing the window closes the database at once,
   * cleanly, whatever the worker is doing. */
  input = g_new0 (ComputeInput, 1);
  /* The campaign as the session reads it (a campaign imported meanwhile,
   * from the command line too, is the one shown). */
  if (!(input->campaign = td_session_load_campaign (self->session, &error)))
    {
      g_warning ("Could not read the campaign: %s", error->message);
      td_overview_page_compute_input_free (input);
      self->computing = FALSE;
      return;
    }
  input->school_type = g_strdup (td_school_get (self->school, TD_SCHOOL_TYPE));
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  td_store_read_async (td_overview_page_get_store (self), NULL, td_overview_page_compute_worker,
                       input, (GDestroyNotify)td_overview_page_compute_input_free,
                       (GDestroyNotify)td_overview_page_figures_free, self->cancellable,
                       td_overview_page_computed_cb, ref);
}

/* The row of @step: activating it does the step (or shows where). */
GtkWidget *
td_overview_page_get_step (TdOverviewPage *self,
                           TdOverviewStep  step)
{
  g_return_val_if_fail (TD_IS_OVERVIEW_PAGE (self), NULL);
  g_return_val_if_fail (step < TD_OVERVIEW_N_STEPS, NULL);

  return self->steps[step];
}

gboolean
td_overview_page_step_is_done (TdOverviewPage *self,
                               TdOverviewStep  step)
{
  g_return_val_if_fail (TD_IS_OVERVIEW_PAGE (self), FALSE);
  g_return_val_if_fail (step < TD_OVERVIEW_N_STEPS, FALSE);

  return self->done[step];
}

GtkWidget *
td_overview_page_get_charts (TdOverviewPage *self)
{
  g_return_val_if_fail (TD_IS_OVERVIEW_PAGE (self), NULL);

  return GTK_WIDGET (self->charts);
}

gboolean
td_overview_page_is_busy (TdOverviewPage *self)
{
  return self->computing || self->refresh_id != 0 || self->waiting != NULL || self->after_paint;
}

static gboolean
td_overview_page_refresh_idle_cb (gpointer user_data)
{
  TdOverviewPage *self = user_data;

  self->refresh_id = 0;
  td_overview_page_refresh (self);
  return G_SOURCE_REMOVE;
}

/* Many changes in a burst (an import) make one refresh. */
static void
td_overview_page_queue_refresh (TdOverviewPage *self)
{
  /* The first read, after the first frame, reads this change too. */
  if (self->refresh_id == 0 && !self->after_paint)
    self->refresh_id = g_idle_add (td_overview_page_refresh_idle_cb, self);
}

static void
td_overview_page_ratio_apply_cb (TdOverviewPage *self,
                                 AdwEntryRow    *row)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));
  gboolean ok;

  /* Thousands separators, as shown, are fine to type back. */
  g_strdelimit (text, ",", ' ');
  ok = td_figures_set_fte_hours (td_overview_page_get_store (self), text, &error);
  gtk_label_set_text (self->ratio_message, ok ? "" : error->message);
  gtk_widget_set_visible (self->ratio_message_row, !ok);
  if (ok)
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
}

static void
td_overview_page_example_done_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(TdOverviewPage) self = user_data;
  g_autoptr(GError) error = NULL;

  self->loading_example = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "overview.load-example", TRUE);
  gtk_button_set_label (self->example_button, _("Load an _Example School"));

  if (!td_example_fill_finish (TD_STORE (object), result, &error))
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                  _("The Example School Could Not Be Loaded"),
                                                  error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  /* It wrote past the lists and the profile: read them again. */
  td_record_lists_reload (TD_STORE (object));
  if (!td_school_reload (self->school, &error))
    g_warning ("Could not reload the school profile: %s", error->message);
  td_overview_page_refresh (self);
}

static void
td_overview_page_load_example_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  TdOverviewPage *self = TD_OVERVIEW_PAGE (widget);

  if (self->loading_example)
    return;
  self->loading_example = TRUE;
  gtk_widget_action_set_enabled (widget, "overview.load-example", FALSE);
  gtk_button_set_label (self->example_button, _("Loading…"));
  td_example_fill_async (td_overview_page_get_store (self), &td_example_school_size, NULL,
                         td_overview_page_example_done_cb, g_object_ref (self));
}

static void
td_overview_page_constructed (GObject *object)
{
  TdOverviewPage *self = TD_OVERVIEW_PAGE (object);

  G_OBJECT_CLASS (td_overview_page_parent_class)->constructed (object);

  g_signal_connect_object (td_overview_page_get_store (self), "changed", G_CALLBACK (td_overview_page_queue_refresh), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->school, "changed", G_CALLBACK (td_overview_page_queue_refresh), self, G_CONNECT_SWAPPED);
  /* The first look, decided now (one indexed query): no welcome flashing
   * up before a large school's figures. */
  gtk_stack_set_visible_child_name (self->stack,
                                    td_overview_page_is_welcome (self, td_figures_has_records (td_overview_page_get_store (self))) ? "welcome" : "figures");
  td_overview_page_fill_profile (self);
  g_signal_connect (self, "map", G_CALLBACK (td_overview_page_map_cb), NULL);
  /* Read when idle; if the page is mapped first, after its first frame
   * (td_overview_page_map_cb). */
  td_overview_page_queue_first_refresh (self);
}

static void
td_overview_page_dispose (GObject *object)
{
  TdOverviewPage *self = TD_OVERVIEW_PAGE (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  /* No gtk_widget_dispose_template (): the stack is the AdwBin's child,
   * which AdwBin unparents itself. */

  G_OBJECT_CLASS (td_overview_page_parent_class)->dispose (object);
}

static void
td_overview_page_finalize (GObject *object)
{
  TdOverviewPage *self = TD_OVERVIEW_PAGE (object);

  g_clear_object (&self->school);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->waiting, td_overview_page_figures_free);
  g_clear_pointer (&self->dynamic_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (td_overview_page_parent_class)->finalize (object);
}

static void
td_overview_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TdOverviewPage *self = TD_OVERVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
td_overview_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TdOverviewPage *self = TD_OVERVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      self->school = g_object_ref (td_session_get_school (self->session));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
td_overview_page_class_init (TdOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = td_overview_page_constructed;
  object_class->dispose = td_overview_page_dispose;
  object_class->finalize = td_overview_page_finalize;
  object_class->get_property = td_overview_page_get_property;
  object_class->set_property = td_overview_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TD_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TD_TYPE_OVERVIEW_COLUMNS);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/td-overview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TdOverviewPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TdOverviewPage, school_group);
  gtk_widget_class_bind_template_child (widget_class, TdOverviewPage, charts_group);
  gtk_widget_class_bind_template_child (widget_class, TdOverviewPage, charts_box);
  gtk_widget_class_bind_template_child (widget_class, TdOverviewPage, form_group);
  gtk_widget_class_bind_template_child (widget_class, TdOverviewPage, records_group);
  gtk_widget_class_bind_template_child (widget_class, TdOverviewPage, years_group);
  gtk_widget_class_bind_template_child (widget_class, TdOverviewPage, trainers_group);
  gtk_widget_class_bind_template_child (widget_class, TdOverviewPage, ratio_row);
  gtk_widget_class_bind_template_child (widget_class, TdOverviewPage, ratio_message_row);
  gtk_widget_class_bind_template_child (widget_class, TdOverviewPage, ratio_message);
  gtk_widget_class_bind_template_child (widget_class, TdOverviewPage, example_button);
  gtk_widget_class_bind_template_callback (widget_class, td_overview_page_ratio_apply_cb);

  gtk_widget_class_install_action (widget_class, "overview.load-example", NULL, td_overview_page_load_example_action);
}

static void
td_overview_page_init (TdOverviewPage *self)
{
  static const char *titles[TD_OVERVIEW_N_STEPS] = {
    N_("School profile"), N_("Records"), N_("Intent form"),
    N_("Sign off"), N_("Sending"), N_("Paper copies by post"),
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < TD_OVERVIEW_N_STEPS; i++)
    {
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      GtkWidget *prefix = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

      self->steps[i] = adw_action_row_new ();
      gtk_widget_set_name (self->steps[i], "path-step");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->steps[i]), _(titles[i]));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self->steps[i]), TRUE);
      self->step_done[i] = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
      gtk_widget_add_css_class (self->step_done[i], "step-done");
      gtk_widget_set_size_request (self->step_done[i], 24, 24);
      self->step_number[i] = gtk_label_new (number);
      gtk_widget_add_css_class (self->step_number[i], "step-number");
      gtk_widget_add_css_class (self->step_number[i], "numeric");
      gtk_widget_set_valign (self->step_number[i], GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (prefix), self->step_done[i]);
      gtk_box_append (GTK_BOX (prefix), self->step_number[i]);
      gtk_widget_set_visible (self->step_done[i], FALSE);
      adw_action_row_add_prefix (ADW_ACTION_ROW (self->steps[i]), prefix);
      adw_action_row_add_suffix (ADW_ACTION_ROW (self->steps[i]), gtk_image_new_from_icon_name ("go-next-symbolic"));
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self->steps[i]), SUBTITLE_LINES);
      adw_preferences_group_add (self->school_group, self->steps[i]);
    }
  self->charts = TD_RESULTS_CHARTS (td_results_charts_new (GTK_ORIENTATION_VERTICAL));
  gtk_box_append (self->charts_box, GTK_WIDGET (self->charts));
  self->dynamic_rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
}
