/* td-chart.c: a small bar chart drawn by the toolkit, readable aloud
 *
 * The three-year figures (three groups of one to three bars) are read at a
 * glance, but a chart is an image to a screen reader: the same figures go
 * into the accessible description as a sentence ("2023: 1,234; …"), built
 * from the very numbers drawn. Drawn with cairo in a snapshot (no web view,
 * nothing to load), in the colours of the current style (accent, success,
 * warning), so dark mode and high contrast come for free. Numbers are
 * grouped per locale, with "," when the locale has no grouping (C).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>

#include "td-chart.h"

#define TD_CHART_MAX_SERIES 3
#define TD_CHART_MIN_HEIGHT 180
#define TD_CHART_GAP 6.0

struct _TdChart
{
  GtkWidget    parent_instance;

  char        *title;
  char        *unit_label;
  TdChartUnit  unit;
  gboolean     stacked;
  GStrv        group_labels;
  GStrv        series_labels;
  GArray      *values;        /* double, group × series */
  char        *summary;
};

G_DEFINE_FINAL_TYPE (TdChart, td_chart, GTK_TYPE_WIDGET)

/* Digits of @digits grouped by threes with the locale's separator. */
static char *
td_chart_group_digits (const char *digits,
                       gboolean    negative)
{
  struct lconv *lc = localeconv ();
  const char *sep = lc->thousands_sep != NULL && lc->thousands_sep[0] ? lc->thousands_sep : ",";
  GString *s = g_string_new (negative ? "-" : "");
  size_t n = strlen (digits);

  for (size_t i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append (s, sep);
      g_string_append_c (s, digits[i]);
    }
  return g_string_free (s, FALSE);
}

/**
 * td_format_count:
 *
 * 62081211 as "62,081,211" (or the locale's grouping): every count shown
 * in a sentence goes through here.
 */
char *
td_format_count (gint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, n < 0 ? (guint64)-(n + 1) + 1 : (guint64)n);

  return td_chart_group_digits (digits, n < 0);
}

char *
td_format_decimal (double value,
                   int    decimals)
{
  struct lconv *lc = localeconv ();
  const char *point = lc->decimal_point != NULL && lc->decimal_point[0] ? lc->decimal_point : ".";
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *format = NULL;
  g_autofree char *digits = NULL;
  g_autofree char *whole = NULL;
  const char *dot;

  /* g_ascii_formatd takes the precision in the format only. */
  format = g_strdup_printf ("%%.%df", CLAMP (decimals, 0, 6));
  g_ascii_formatd (buffer, sizeof buffer, format, fabs (value));
  dot = strchr (buffer, '.');
  digits = dot != NULL ? g_strndup (buffer, dot - buffer) : g_strdup (buffer);
  whole = td_chart_group_digits (digits, value < 0 && g_ascii_strtod (buffer, NULL) != 0);
  if (dot == NULL)
    return g_steal_pointer (&whole);
  return g_strconcat (whole, point, dot + 1, NULL);
}

static char *
td_chart_format_value (TdChart *self,
                       double   value)
{
  /* NAN: a figure not known yet (a rate whose follow-up is not done). */
  if (isnan (value))
    return g_strdup (_("not yet known"));
  if (self->unit == TD_CHART_PERCENT)
    return g_strdup_printf ("%.0f%%", value);
  return td_format_count ((gint64)round (value));
}

static double
td_chart_value (TdChart *self,
                guint    group,
                guint    series)
{
  guint n_series = g_strv_length (self->series_labels);

  return g_array_index (self->values, double, group * n_series + series);
}

/* "Participations (person-times). 2022: enterprise staff 1,234, key groups
 * 56; 2023: …": what a screen reader says instead of the picture. */
static char *
td_chart_build_summary (TdChart *self)
{
  guint n_groups = g_strv_length (self->group_labels);
  guint n_series = g_strv_length (self->series_labels);
  GString *s = g_string_new (NULL);

  if (self->unit_label != NULL && self->unit_label[0])
    /* Translators: a chart's title and its unit, as read aloud */
    g_string_append_printf (s, _("%s (%s)."), self->title, self->unit_label);
  else
    g_string_append_printf (s, "%s.", self->title);
  if (n_groups == 0)
    {
      g_string_append_c (s, ' ');
      g_string_append (s, _("No figures yet."));
      return g_string_free (s, FALSE);
    }
  for (guint g = 0; g < n_groups; g++)
    {
      g_string_append (s, g == 0 ? " " : _("; "));
      g_string_append_printf (s, _("%s: "), self->group_labels[g]);
      /* Stacked, the bar's height is the total: said first. */
      if (self->stacked && n_series > 1)
        {
          double total = 0;
          g_autofree char *value = NULL;

          for (guint i = 0; i < n_series; i++)
            total += td_chart_value (self, g, i);
          value = td_chart_format_value (self, total);
          /* Translators: a stacked bar's total, read before its parts: "7,318 in all" */
          g_string_append_printf (s, _("%s in all"), value);
          g_string_append (s, _(", "));
        }
      for (guint i = 0; i < n_series; i++)
        {
          g_autofree char *value = td_chart_format_value (self, td_chart_value (self, g, i));

          if (i > 0)
            g_string_append (s, _(", "));
          if (n_series > 1)
            /* Translators: one bar read aloud: its series and value ("key groups 1,234") */
            g_string_append_printf (s, _("%s %s"), self->series_labels[i], value);
          else
            g_string_append (s, value);
        }
    }
  g_string_append (s, _("."));
  return g_string_free (s, FALSE);
}

static void
td_chart_update_accessible (TdChart *self)
{
  g_free (self->summary);
  self->summary = td_chart_build_summary (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary,
                                  -1);
}

/**
 * td_chart_set_data:
 * @values: @n_groups × @n_series values, group by group
 *
 * Draws them and says them: the accessible description holds every value.
 */
void
td_chart_set_data (TdChart            *self,
                   guint               n_groups,
                   const char * const *group_labels,
                   guint               n_series,
                   const char * const *series_labels,
                   const double       *values)
{
  g_return_if_fail (TD_IS_CHART (self));
  g_return_if_fail (n_series >= 1 && n_series <= TD_CHART_MAX_SERIES);

  g_strfreev (self->group_labels);
  g_strfreev (self->series_labels);
  self->group_labels = g_new0 (char *, n_groups + 1);
  for (guint g = 0; g < n_groups; g++)
    self->group_labels[g] = g_strdup (group_labels[g]);
  self->series_labels = g_new0 (char *, n_series + 1);
  for (guint i = 0; i < n_series; i++)
    self->series_labels[i] = g_strdup (series_labels[i]);
  g_array_set_size (self->values, 0);
  g_array_append_vals (self->values, values, n_groups * n_series);

  td_chart_update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
td_chart_get_summary (TdChart *self)
{
  g_return_val_if_fail (TD_IS_CHART (self), NULL);

  return self->summary;
}

/* The style's colours: the series in accent, success and warning; text
 * and rules in the foreground colour. */
static void
td_chart_colours (TdChart *self,
                  GdkRGBA *fg,
                  GdkRGBA  series[TD_CHART_MAX_SERIES])
{
  static const char *names[TD_CHART_MAX_SERIES] = { "accent_bg_color", "success_bg_color", "warning_bg_color" };

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (self));

  gtk_style_context_get_color (style, fg);
  for (guint i = 0; i < TD_CHART_MAX_SERIES; i++)
    if (!gtk_style_context_lookup_color (style, names[i], &series[i]))
      {
        series[i] = *fg;
        series[i].alpha = 0.3 + 0.3 * i;
      }
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static PangoLayout *
td_chart_layout (TdChart    *self,
                 const char *text,
                 gboolean    bold,
                 gboolean    small)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();

  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  if (small)
    pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

/* Draws @layout centred on @x (or from @x), top at @y; returns its height. */
static double
td_chart_show (cairo_t     *cr,
               PangoLayout *layout,
               double       x,
               double       y,
               gboolean     centred)
{
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, centred ? x - w / 2.0 : x, y);
  pango_cairo_show_layout (cr, layout);
  return h;
}

static double
td_chart_max (TdChart *self)
{
  guint n_groups = g_strv_length (self->group_labels);
  guint n_series = g_strv_length (self->series_labels);
  double max = self->unit == TD_CHART_PERCENT ? 100 : 0;

  for (guint g = 0; g < n_groups; g++)
    {
      double sum = 0;

      for (guint i = 0; i < n_series; i++)
        {
          double v = isnan (td_chart_value (self, g, i)) ? 0 : MAX (td_chart_value (self, g, i), 0);

          sum = self->stacked ? sum + v : MAX (sum, v);
        }
      max = MAX (max, sum);
    }
  return max > 0 ? max : 1;
}

static void
td_chart_snapshot (GtkWidget   *widget,
                   GtkSnapshot *snapshot)
{
  TdChart *self = TD_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  guint n_groups = g_strv_length (self->group_labels);
  guint n_series = g_strv_length (self->series_labels);
  GdkRGBA fg, colours[TD_CHART_MAX_SERIES], rule;
  g_autoptr(PangoLayout) title = NULL;
  g_autoptr(PangoLayout) probe = td_chart_layout (self, "0", FALSE, TRUE);
  g_autofree char *heading = NULL;
  double y, top, bottom, label_h, max, group_w;
  int pw, ph;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  td_chart_colours (self, &fg, colours);
  rule = fg;
  rule.alpha *= 0.25;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* Title, then the legend when there are several series. */
  heading = self->unit_label != NULL && self->unit_label[0]
            ? g_strdup_printf (_("%s (%s)"), self->title, self->unit_label)
            : g_strdup (self->title);
  title = td_chart_layout (self, heading, TRUE, FALSE);
  pango_layout_set_width (title, width * PANGO_SCALE);
  pango_layout_set_ellipsize (title, PANGO_ELLIPSIZE_END);
  gdk_cairo_set_source_rgba (cr, &fg);
  y = td_chart_show (cr, title, 0, 0, FALSE) + TD_CHART_GAP;

  pango_layout_get_pixel_size (probe, &pw, &ph);
  label_h = ph;
  if (n_series > 1)
    {
      double x = 0;

      for (guint i = 0; i < n_series; i++)
        {
          g_autoptr(PangoLayout) l = td_chart_layout (self, self->series_labels[i], FALSE, TRUE);
          int lw, lh;

          pango_layout_get_pixel_size (l, &lw, &lh);
          if (x > 0 && x + lh + 4 + lw > width)
            {
              x = 0;
              y += label_h + 2;
            }
          gdk_cairo_set_source_rgba (cr, &colours[i]);
          cairo_rectangle (cr, x, y + (lh - 10) / 2.0, 10, 10);
          cairo_fill (cr);
          gdk_cairo_set_source_rgba (cr, &fg);
          td_chart_show (cr, l, x + 14, y, FALSE);
          x += 14 + lw + 16;
        }
      y += label_h + TD_CHART_GAP;
    }

  if (n_groups == 0)
    {
      g_autoptr(PangoLayout) none = td_chart_layout (self, _("No figures yet."), FALSE, FALSE);

      gdk_cairo_set_source_rgba (cr, &rule);
      td_chart_show (cr, none, width / 2.0, (y + height) / 2.0 - label_h, TRUE);
      cairo_destroy (cr);
      return;
    }

  /* Bars: room above for the values, below for the years. */
  top = y + label_h + 2;
  bottom = height - label_h - 4;
  if (bottom - top < 20)
    {
      cairo_destroy (cr);
      return;
    }
  max = td_chart_max (self);
  group_w = (double)width / n_groups;

  cairo_set_line_width (cr, 1);
  gdk_cairo_set_source_rgba (cr, &rule);
  cairo_move_to (cr, 0, round (bottom) + 0.5);
  cairo_line_to (cr, width, round (bottom) + 0.5);
  cairo_stroke (cr);

  for (guint g = 0; g < n_groups; g++)
    {
      double area = MIN (group_w * 0.7, self->stacked ? 72 : 56.0 * n_series);
      double x0 = g * group_w + (group_w - area) / 2;
      double bar_w = self->stacked ? area : area / n_series;
      double base = bottom;
      double total = 0;
      g_autoptr(PangoLayout) year = td_chart_layout (self, self->group_labels[g], FALSE, TRUE);

      for (guint i = 0; i < n_series; i++)
        {
          double v = isnan (td_chart_value (self, g, i)) ? 0 : MAX (td_chart_value (self, g, i), 0);
          double h = (bottom - top) * v / max;
          double x = self->stacked ? x0 : x0 + i * bar_w;

          gdk_cairo_set_source_rgba (cr, &colours[i]);
          cairo_rectangle (cr, x + 1, (self->stacked ? base : bottom) - h, bar_w - 2, h);
          cairo_fill (cr);
          if (self->stacked)
            {
              base -= h;
              total += v;
            }
          else
            {
              /* Too narrow for the words: the summary and the page say them. */
              g_autofree char *text = isnan (td_chart_value (self, g, i))
                                      ? g_strdup ("?")
                                      : td_chart_format_value (self, td_chart_value (self, g, i));
              g_autoptr(PangoLayout) l = td_chart_layout (self, text, FALSE, TRUE);

              gdk_cairo_set_source_rgba (cr, &fg);
              td_chart_show (cr, l, x + bar_w / 2, bottom - h - label_h - 1, TRUE);
            }
        }
      if (self->stacked)
        {
          g_autofree char *text = td_chart_format_value (self, total);
          g_autoptr(PangoLayout) l = td_chart_layout (self, text, FALSE, TRUE);

          gdk_cairo_set_source_rgba (cr, &fg);
          td_chart_show (cr, l, x0 + area / 2, base - label_h - 1, TRUE);
        }
      gdk_cairo_set_source_rgba (cr, &fg);
      td_chart_show (cr, year, x0 + area / 2, bottom + 3, TRUE);
    }
  cairo_destroy (cr);
}

static void
td_chart_measure (GtkWidget      *widget,
                  GtkOrientation  orientation,
                  int             for_size,
                  int            *minimum,
                  int            *natural,
                  int            *minimum_baseline,
                  int            *natural_baseline)
{
  /* Three side by side fit the Results page of a 560 px window (three
   * years' bars and their figures still read at this width). */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 150;
      *natural = 360;
    }
  else
    {
      *minimum = TD_CHART_MIN_HEIGHT;
      *natural = TD_CHART_MIN_HEIGHT + 40;
    }
}

/* Light to dark, or a new font: the colours and layouts are read again. */
static void
td_chart_css_changed (GtkWidget         *widget,
                      GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (td_chart_parent_class)->css_changed (widget, change);
  gtk_widget_queue_draw (widget);
}

static void
td_chart_finalize (GObject *object)
{
  TdChart *self = TD_CHART (object);

  g_free (self->title);
  g_free (self->unit_label);
  g_free (self->summary);
  g_strfreev (self->group_labels);
  g_strfreev (self->series_labels);
  g_array_unref (self->values);

  G_OBJECT_CLASS (td_chart_parent_class)->finalize (object);
}

static void
td_chart_class_init (TdChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = td_chart_finalize;
  widget_class->snapshot = td_chart_snapshot;
  widget_class->measure = td_chart_measure;
  widget_class->css_changed = td_chart_css_changed;

  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
td_chart_init (TdChart *self)
{
  self->values = g_array_new (FALSE, TRUE, sizeof (double));
  self->group_labels = g_new0 (char *, 1);
  self->series_labels = g_new0 (char *, 2);
  self->series_labels[0] = g_strdup ("");
}

/**
 * td_chart_new:
 * @title: what the chart shows, translated
 * @unit_label: (nullable): the unit, translated ("person-times")
 * @stacked: the series add up (categories of one total) rather than
 *   stand side by side (rates)
 */
GtkWidget *
td_chart_new (const char  *title,
              const char  *unit_label,
              TdChartUnit  unit,
              gboolean     stacked)
{
  TdChart *self = g_object_new (TD_TYPE_CHART, NULL);

  self->title = g_strdup (title);
  self->unit_label = g_strdup (unit_label);
  self->unit = unit;
  self->stacked = stacked;
  td_chart_update_accessible (self);
  return GTK_WIDGET (self);
}
