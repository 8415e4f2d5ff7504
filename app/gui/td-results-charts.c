/* td-results-charts.c: the three-year figures as three small charts
 *
 * Participations and person-hours by year and category (stacked), and
 * the certificate and employment rates: the figures of the form's field 9,
 * which people would rather see than read. The numbers are the figures
 * API's (td_figures_by_year for the years, td_figure_set_compute for one
 * year's categories): nothing is counted here, so the charts, the overview's
 * text and the printed form cannot disagree. The same widget serves the
 * overview (which reads the figures with the rest of its page and hands
 * them over) and the Results page (which has it read them itself, off the
 * main loop, after each burst of changes).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-results-charts"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>

#include "td-chart.h"
#include "td-figures.h"
#include "td-results-charts.h"
#include "td-store-read.h"

struct _TdResultsCharts
{
  GtkWidget      parent_instance;

  TdSession     *session;        /* NULL when the figures are handed over */
  /* The session's store, followed: each burst of commits reads again. */
  GBindingGroup *session_bindings;
  GSignalGroup  *store_signals;
  GCancellable  *cancellable;
  guint          refresh_id;
  gboolean       computing;
  gboolean       again;
  GtkWidget     *row;            /* the charts, side by side or in a column */
  GtkWidget     *sources;        /* which years are computed, which typed */
  GtkWidget     *charts[TD_RESULTS_N_CHARTS];
};

G_DEFINE_FINAL_TYPE (TdResultsCharts, td_results_charts, GTK_TYPE_WIDGET)

/**
 * td_chart_figures_compute:
 * @reader: a connection of the worker's own
 * @years: td_figures_by_year()'s answer (newest first)
 *
 * The newest three years, oldest first, with each year's categories.
 */
gboolean
td_chart_figures_compute (TdStore         *reader,
                          GArray          *years,
                          TdChartFigures  *figures,
                          GError         **error)
{
  guint n = MIN (years->len, TD_RESULTS_CHARTS_YEARS);

  memset (figures, 0, sizeof *figures);
  for (guint i = 0; i < n; i++)
    {
      const TdYearFigures *y = &g_array_index (years, TdYearFigures, n - 1 - i);
      g_autoptr(TdFigureSet) set = td_figure_set_compute (reader, y->year, y->year, error);

      if (set == NULL)
        return FALSE;
      figures->years[i] = y->year;
      for (guint c = 0; c < 3; c++)
        figures->by_category[i][c] = set->by_category[c];
      figures->person_hours[i] = y->person_hours;
      for (guint c = 0; c < 3; c++)
        figures->hours_by_category[i][c] = y->hours_by_category[c];
      figures->participants[i] = y->participants;
      figures->certificates[i] = y->certificates;
      figures->jobseekers[i] = y->jobseekers;
      figures->employed[i] = y->employed;
      figures->from_classes[i] = y->from_classes;
      figures->classes[i] = y->from_classes ? y->sessions : 0;
      figures->certificates_unknown[i] = y->from_classes && y->certificates_unknown;
      figures->employment_unknown[i] = y->from_classes && y->employment_unknown;
    }
  figures->n_years = n;
  return TRUE;
}

/**
 * td_year_figures_source:
 *
 * "Computed from 12 classes" or "Typed in": whether @year's figures come
 * from its classes (td_class_figures_apply) or from typed results.
 */
char *
td_year_figures_source (const TdYearFigures *year)
{
  if (!year->from_classes)
    return g_strdup (_("Typed in"));
  /* A computed year's sessions are its classes (期). */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Computed from %lld class", "Computed from %lld classes",
                                       year->sessions),
                          (long long)year->sessions);
}

/* A rate the classes cannot tell yet: not a 0 % nobody measured. */
const char *
td_year_figures_certificates_unknown (void)
{
  return _("Not yet known (not assessed)");
}

const char *
td_year_figures_employment_unknown (void)
{
  return _("Not yet known (no follow-up)");
}

/* "2024: typed in. 2025: computed from 12 classes; employment rate: not
 * yet known (no follow-up)." — the Results page's line under the charts. */
static char *
td_results_charts_sources_text (const TdChartFigures *f)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < f->n_years; i++)
    {
      TdYearFigures y = { .year = f->years[i], .sessions = f->classes[i], .from_classes = f->from_classes[i] };
      g_autofree char *source = td_year_figures_source (&y);

      if (s->len > 0)
        g_string_append_c (s, '\n');
      /* Translators: a year and where its figures come from: "2025: Computed from 12 classes" */
      g_string_append_printf (s, _("%d: %s"), f->years[i], source);
      if (f->certificates_unknown[i])
        /* Translators: appended to the line above */
        g_string_append_printf (s, _("; certificate share: %s"), td_year_figures_certificates_unknown ());
      if (f->employment_unknown[i])
        g_string_append_printf (s, _("; employment rate: %s"), td_year_figures_employment_unknown ());
    }
  return g_string_free (s, FALSE);
}

static double
td_results_charts_rate (gint64 part,
                        gint64 whole)
{
  return whole > 0 ? 100.0 * part / whole : 0;
}

void
td_results_charts_set_figures (TdResultsCharts      *self,
                               const TdChartFigures *f)
{
  const char *categories[] = { _("Enterprise staff"), _("Key groups"), _("Unemployed") };
  const char *rate_series[] = { _("Certificate share"), _("Employment rate") };
  char *labels[TD_RESULTS_CHARTS_YEARS + 1] = { NULL };
  double participants[TD_RESULTS_CHARTS_YEARS * 3];
  double hours[TD_RESULTS_CHARTS_YEARS * 3];
  double rates[TD_RESULTS_CHARTS_YEARS * 2];

  g_return_if_fail (TD_IS_RESULTS_CHARTS (self));

  for (guint i = 0; i < f->n_years; i++)
    {
      labels[i] = g_strdup_printf ("%d", f->years[i]);
      for (guint c = 0; c < 3; c++)
        participants[i * 3 + c] = f->by_category[i][c];
      for (guint c = 0; c < 3; c++)
        hours[i * 3 + c] = f->hours_by_category[i][c];
      rates[i * 2] = f->certificates_unknown[i] ? NAN : td_results_charts_rate (f->certificates[i], f->participants[i]);
      rates[i * 2 + 1] = f->employment_unknown[i] ? NAN : td_results_charts_rate (f->employed[i], f->jobseekers[i]);
    }
  {
    g_autofree char *sources = td_results_charts_sources_text (f);

    gtk_label_set_text (GTK_LABEL (self->sources), sources);
    gtk_widget_set_visible (self->sources, self->session != NULL && f->n_years > 0);
  }
  td_chart_set_data (TD_CHART (self->charts[TD_RESULTS_CHART_PARTICIPANTS]), f->n_years,
                     (const char * const *)labels, 3, categories, participants);
  td_chart_set_data (TD_CHART (self->charts[TD_RESULTS_CHART_PERSON_HOURS]), f->n_years,
                     (const char * const *)labels, 3, categories, hours);
  td_chart_set_data (TD_CHART (self->charts[TD_RESULTS_CHART_RATES]), f->n_years,
                     (const char * const *)labels, 2, rate_series, rates);
  for (guint i = 0; i < f->n_years; i++)
    g_clear_pointer (&labels[i], g_free);
}

GtkWidget *
td_results_charts_get_chart (TdResultsCharts *self,
                             TdResultsChart   chart)
{
  g_return_val_if_fail (TD_IS_RESULTS_CHARTS (self), NULL);
  g_return_val_if_fail (chart < TD_RESULTS_N_CHARTS, NULL);

  return self->charts[chart];
}

/* What the line under the charts says (the tests read it). */
const char *
td_results_charts_get_sources (TdResultsCharts *self)
{
  g_return_val_if_fail (TD_IS_RESULTS_CHARTS (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->sources));
}

gboolean
td_results_charts_is_busy (TdResultsCharts *self)
{
  return self->computing || self->refresh_id != 0;
}

/* The Results page's own reading, in a worker on a connection of its own
 * (td_store_read_async()), the widget held only by a weak reference. */
static gpointer
td_results_charts_read (TdStore       *reader,
                        gpointer       data,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GArray) years = NULL;
  TdChartFigures *f = g_new0 (TdChartFigures, 1);

  if (!(years = td_figures_by_year (reader, error)) ||
      !td_chart_figures_compute (reader, years, f, error))
    {
      g_free (f);
      return NULL;
    }
  return f;
}

static void td_results_charts_refresh (TdResultsCharts *self);

static void
td_results_charts_computed_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(TdResultsCharts) self = g_weak_ref_get (ref);
  g_autoptr(GError) error = NULL;
  g_autofree TdChartFigures *f = td_store_read_finish (result, &error);

  g_weak_ref_clear (ref);
  g_free (ref);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->computing = FALSE;
  if (f == NULL)
    g_warning ("Could not read the figures for the charts: %s", error->message);
  else
    td_results_charts_set_figures (self, f);
  if (self->again)
    td_results_charts_refresh (self);
}

static void
td_results_charts_refresh (TdResultsCharts *self)
{
  GWeakRef *ref;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->computing)
    {
      self->again = TRUE;
      return;
    }
  self->computing = TRUE;
  self->again = FALSE;
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  td_store_read_async (td_session_get_store (self->session), NULL, td_results_charts_read, NULL, NULL, g_free,
                       self->cancellable, td_results_charts_computed_cb, ref);
}

static gboolean
td_results_charts_idle_cb (gpointer user_data)
{
  TdResultsCharts *self = user_data;

  self->refresh_id = 0;
  td_results_charts_refresh (self);
  return G_SOURCE_REMOVE;
}

/* An import changes hundreds of rows: one reading after the burst. */
static void
td_results_charts_store_changed_cb (TdResultsCharts *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add (td_results_charts_idle_cb, self);
}

static void
td_results_charts_dispose (GObject *object)
{
  TdResultsCharts *self = TD_RESULTS_CHARTS (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->row, gtk_widget_unparent);
  g_clear_pointer (&self->sources, gtk_widget_unparent);
  g_clear_object (&self->session_bindings);
  g_clear_object (&self->store_signals);

  G_OBJECT_CLASS (td_results_charts_parent_class)->dispose (object);
}

static void
td_results_charts_finalize (GObject *object)
{
  TdResultsCharts *self = TD_RESULTS_CHARTS (object);

  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (td_results_charts_parent_class)->finalize (object);
}

static void
td_results_charts_class_init (TdResultsChartsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = td_results_charts_dispose;
  object_class->finalize = td_results_charts_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "results-charts");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
td_results_charts_init (TdResultsCharts *self)
{
  GtkBoxLayout *layout = GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self)));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (layout, 6);
  self->row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);
  gtk_widget_set_parent (self->row, GTK_WIDGET (self));
  self->sources = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->sources), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->sources), 0);
  gtk_widget_add_css_class (self->sources, "dim-label");
  /* The Overview says it on each year's row. */
  gtk_widget_set_visible (self->sources, FALSE);
  gtk_widget_set_parent (self->sources, GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->charts[TD_RESULTS_CHART_PARTICIPANTS] =
    td_chart_new (_("Participations by Category"), _("person-times"), TD_CHART_COUNT, TRUE);
  self->charts[TD_RESULTS_CHART_PERSON_HOURS] =
    td_chart_new (_("Person-hours by Category"), _("participants × hours"), TD_CHART_COUNT, TRUE);
  self->charts[TD_RESULTS_CHART_RATES] =
    td_chart_new (_("Certificates and Employment"), _("per cent"), TD_CHART_PERCENT, FALSE);
  for (guint i = 0; i < TD_RESULTS_N_CHARTS; i++)
    {
      gtk_widget_set_hexpand (self->charts[i], TRUE);
      gtk_box_append (GTK_BOX (self->row), self->charts[i]);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Results by year, as charts"),
                                  -1);
}

/**
 * td_results_charts_new:
 * @orientation: side by side (a wide page) or one under the other (a column)
 *
 * Empty charts, for td_results_charts_set_figures().
 */
GtkWidget *
td_results_charts_new (GtkOrientation orientation)
{
  TdResultsCharts *self = g_object_new (TD_TYPE_RESULTS_CHARTS, NULL);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->row), orientation);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    gtk_box_set_homogeneous (GTK_BOX (self->row), TRUE);
  return GTK_WIDGET (self);
}

/**
 * td_results_charts_new_for_session:
 *
 * Side by side, reading @session's figures now and after each burst of
 * changes of its store (the Results page's header).
 */
GtkWidget *
td_results_charts_new_for_session (TdSession *session)
{
  TdResultsCharts *self;

  g_return_val_if_fail (TD_IS_SESSION (session), NULL);

  self = TD_RESULTS_CHARTS (td_results_charts_new (GTK_ORIENTATION_HORIZONTAL));
  self->session = g_object_ref (session);
  gtk_widget_set_margin_start (GTK_WIDGET (self), 18);
  gtk_widget_set_margin_end (GTK_WIDGET (self), 18);
  gtk_widget_set_margin_top (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 12);
  self->store_signals = g_signal_group_new (TD_TYPE_STORE);
  g_signal_group_connect_object (self->store_signals, "changed", G_CALLBACK (td_results_charts_store_changed_cb), self,
                                 G_CONNECT_SWAPPED);
  self->session_bindings = g_binding_group_new ();
  g_binding_group_bind (self->session_bindings, "store", self->store_signals, "target", G_BINDING_SYNC_CREATE);
  g_binding_group_set_source (self->session_bindings, session);
  td_results_charts_refresh (self);
  return GTK_WIDGET (self);
}
