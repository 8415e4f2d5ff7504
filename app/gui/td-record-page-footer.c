/* td-record-page-footer.c: the figures under a list of records
 *
 * "12 trainers · 7 full-time · …": the count of what the list shows, then
 * the figures the kind's table names (TdRecordKind.figures: a sum, a sum
 * of products, a count of one choice, full-time students), so that a kind
 * says what its footer holds in one place and no page knows kinds by name.
 *
 * With everything shown the list's own totals serve, kept as it changes (a
 * pass over 100,000 records takes 20 ms, too long between two frames);
 * under a search, one pass over the records shown. Counted once per main
 * loop turn, before the next frame.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-record-page"

#include "config.h"

#include <glib/gi18n.h>

#include "td-chart.h"
#include "td-figures.h"
#include "td-record-page-private.h"

/* A figure as the user's locale groups digits, and with "," where the
 * locale groups nothing (C): "834248" is hard to read in any language.
 * Two decimals at most. */
char *
td_record_page_format_amount (double value)
{
  return td_format_decimal (value, value == (double)(gint64)value ? 0 : 2);
}

/* The n that picks a plural form for a sum. */
static gulong
td_record_page_footer_plural (double value)
{
  return value >= 0 && value < (double) G_MAXULONG ? (gulong)value : G_MAXULONG;
}

/* The figure's columns, as field indexes; -1 when it names no such field. */
typedef struct
{
  const TdFooterFigure *figure;
  int                   column;
  int                   times;
  double                value;
} TdRecordPageFigure;

static guint
td_record_page_footer_figures (TdRecordPage        *self,
                               TdRecordPageFigure **figures)
{
  const TdFooterFigure *table = self->kind->figures;
  guint n = 0;

  while (table != NULL && table[n].column != NULL)
    n++;
  *figures = g_new0 (TdRecordPageFigure, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      (*figures)[i].figure = &table[i];
      (*figures)[i].column = td_record_kind_field_index (self->kind, table[i].column);
      (*figures)[i].times = table[i].times ? td_record_kind_field_index (self->kind, table[i].times) : -1;
      g_return_val_if_fail ((*figures)[i].column >= 0, 0);
    }
  return n;
}

/* The figure over every record: the list's totals. */
static double
td_record_page_footer_total (TdRecordPage             *self,
                             const TdRecordPageFigure *f)
{
  switch (f->figure->type)
    {
    case TD_FOOTER_SUM:
      return td_record_list_get_sum (self->list, f->column);
    case TD_FOOTER_PRODUCT:
    case TD_FOOTER_FTE:
      return td_record_list_get_sum_product (self->list, f->column, f->times);
    case TD_FOOTER_CHOICE:
      return td_record_list_count_choice (self->list, f->column, f->figure->choice);
    default:
      g_return_val_if_reached (0);
    }
}

/* What one record adds to the figure. */
static double
td_record_page_footer_add (const TdRecordPageFigure *f,
                           TdRecord                 *record)
{
  switch (f->figure->type)
    {
    case TD_FOOTER_SUM:
      return td_record_get_number (record, f->column);
    case TD_FOOTER_PRODUCT:
    case TD_FOOTER_FTE:
      return td_record_get_number (record, f->column) * td_record_get_number (record, f->times);
    case TD_FOOTER_CHOICE:
      return g_str_equal (td_record_get (record, f->column), f->figure->choice) ? 1 : 0;
    default:
      g_return_val_if_reached (0);
    }
}

/* The notice's conversion of person-hours, at the school's own ratio
 * (Overview), which the footer names. */
static char *
td_record_page_footer_fte (TdRecordPage             *self,
                           const TdRecordPageFigure *f)
{
  double ratio = td_figures_get_fte_hours (td_session_get_store (self->session));
  g_autofree char *fte = td_format_count (td_figures_fte_persons (f->value, ratio));
  g_autofree char *basis = td_format_decimal (ratio, ratio == (double)(gint64)ratio ? 0 : 1);

  self->footer_ratio = ratio;
  return td_plural_format (&f->figure->text, 0, fte, basis);
}

/* "12 trainers", or "12 trainers (of 1,234)" under a search. */
static char *
td_record_page_footer_count (TdRecordPage *self,
                             guint         n,
                             guint         total)
{
  g_autofree char *number = td_record_page_format_amount (n);
  g_autofree char *count = td_plural_format (&self->kind->count, n, number);
  g_autofree char *all = NULL;

  if (self->query == NULL || n == total)
    return g_steal_pointer (&count);
  all = td_record_page_format_amount (total);
  /* Translators: "12 trainers (of 1,234)": how many there are without the search */
  return g_strdup_printf (_("%s (of %s)"), count, all);
}

/* The footer: the count and the kind's figures of what the list shows. */
static char *
td_record_page_footer_text (TdRecordPage *self)
{
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->shown));
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree TdRecordPageFigure *figures = NULL;
  guint n_figures = td_record_page_footer_figures (self, &figures);

  if (n == total)
    for (guint j = 0; j < n_figures; j++)
      figures[j].value = td_record_page_footer_total (self, &figures[j]);
  else
    for (guint i = 0; i < n; i++)
      {
        TdRecord *record = td_search_model_peek (self->shown, i);

        for (guint j = 0; j < n_figures; j++)
          figures[j].value += td_record_page_footer_add (&figures[j], record);
      }

  g_ptr_array_add (parts, td_record_page_footer_count (self, n, total));
  for (guint j = 0; j < n_figures; j++)
    {
      const TdRecordPageFigure *f = &figures[j];
      g_autofree char *amount = NULL;

      if (f->figure->type == TD_FOOTER_FTE)
        {
          g_ptr_array_add (parts, td_record_page_footer_fte (self, f));
          continue;
        }
      amount = td_record_page_format_amount (f->value);
      g_ptr_array_add (parts, td_plural_format (&f->figure->text, td_record_page_footer_plural (f->value),
                                                amount));
    }

  g_ptr_array_add (parts, NULL);
  /* Translators: between the figures of the list's footer */
  return g_strjoinv (_(" · "), (char **)parts->pdata);
}

static gboolean
td_record_page_footer_idle_cb (gpointer user_data)
{
  TdRecordPage *self = user_data;

  g_assert (TD_IS_RECORD_PAGE (self));

  self->footer_id = 0;
  g_free (self->footer_text);
  self->footer_text = td_record_page_footer_text (self);
  gtk_label_set_text (self->footer, self->footer_text);
  return G_SOURCE_REMOVE;
}

/* Once for all the changes of one main loop turn (deleting a thousand
 * rows is a thousand changes), and before the next frame. */
void
td_record_page_update_footer (TdRecordPage *self)
{
  if (self->footer_id == 0)
    self->footer_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, td_record_page_footer_idle_cb, self, NULL);
}

/* Full-time students: the ratio is set on the Overview or the Intent Form
 * page, not here; the footer states it, so it follows the store. One
 * indexed read a commit, and no count again unless the ratio changed. */
static void
td_record_page_footer_store_changed_cb (TdRecordPage *self)
{
  g_assert (TD_IS_RECORD_PAGE (self));

  if (td_figures_get_fte_hours (td_session_get_store (self->session)) != self->footer_ratio)
    td_record_page_update_footer (self);
}

/* The footer counted now, and kept. */
void
td_record_page_footer_init (TdRecordPage *self)
{
  td_record_page_footer_idle_cb (self);

  for (const TdFooterFigure *f = self->kind->figures; f != NULL && f->column != NULL; f++)
    if (f->type == TD_FOOTER_FTE)
      {
        g_signal_group_connect_object (self->store_signals, "changed",
                                       G_CALLBACK (td_record_page_footer_store_changed_cb), self, G_CONNECT_SWAPPED);
        break;
      }
}
