/* td-record-list-totals.c: sums and counts over every record, kept so
 *
 * Counts and sums of the whole list (the footers'), each made on first use
 * and then kept as the list changes (a record come adds, a record gone
 * takes away), in whole ten-thousandths: adding and taking away again
 * leaves no residue.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-record-list"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "td-limits.h"
#include "td-record-list-private.h"
#include "td-store-private.h"
#include "td-validate.h"

/* Totals. */

void
td_record_list_totals_free (gpointer data)
{
  Total *total = data;

  g_free (total->counts);
  g_free (total);
}

/* @value in whole ten-thousandths (see TOTAL_SCALE). */
static double
td_record_list_totals_scaled (double value)
{
  double units = value * TOTAL_SCALE;

  return (double)(gint64)(units + (units >= 0 ? 0.5 : -0.5));
}

static void
td_record_list_totals_add_one (TdRecordList       *self,
                               Total              *total,
                               const char * const *values,
                               int                 sign)
{
  switch (total->type)
    {
    case TOTAL_SUM:
      total->sum += sign * td_record_list_totals_scaled (g_ascii_strtod (values[total->a], NULL));
      break;

    case TOTAL_PRODUCT:
      total->sum += sign * td_record_list_totals_scaled (g_ascii_strtod (values[total->a], NULL) *
                                                         g_ascii_strtod (values[total->b], NULL));
      break;

    case TOTAL_CHOICES:
      {
        const TdChoice *choices = self->kind->fields[total->a].choices;
        guint c = 0;

        while (choices[c].id != NULL && g_strcmp0 (choices[c].id, values[total->a]) != 0)
          c++;
        total->counts[c] += sign;
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Every total made so far, for a record come (@sign 1) or gone (-1). */
void
td_record_list_totals_add (TdRecordList       *self,
                           const char * const *values,
                           int                 sign)
{
  for (guint i = 0; i < self->totals->len; i++)
    td_record_list_totals_add_one (self, g_ptr_array_index (self->totals, i), values, sign);
}

static Total *
td_record_list_totals_get (TdRecordList *self,
                           TotalType     type,
                           guint         a,
                           guint         b)
{
  Total *total;

  for (guint i = 0; i < self->totals->len; i++)
    {
      total = g_ptr_array_index (self->totals, i);
      if (total->type == type && total->a == a && total->b == b)
        return total;
    }

  /* Counted once over every record; kept by every change after. */
  total = g_new0 (Total, 1);
  total->type = type;
  total->a = a;
  total->b = b;
  if (type == TOTAL_CHOICES)
    {
      for (const TdChoice *c = self->kind->fields[a].choices; c && c->id; c++)
        total->n_counts++;
      total->counts = g_new0 (guint, ++total->n_counts);
    }
  for (guint i = 0; i < self->records->len; i++)
    td_record_list_totals_add_one (self, total, td_record_get_values (g_ptr_array_index (self->records, i)), 1);
  g_ptr_array_add (self->totals, total);
  return total;
}

/**
 * td_record_list_get_sum:
 * @field: a number field, or a yes/no one (its yeses counted)
 *
 * Returns: the sum of @field over every record, kept as the list changes:
 *   the first call counts, the next ones do not.
 */
double
td_record_list_get_sum (TdRecordList *self,
                        guint         field)
{
  g_return_val_if_fail (TD_IS_RECORD_LIST (self), 0);
  g_return_val_if_fail (field < self->kind->n_fields, 0);

  return td_record_list_totals_get (self, TOTAL_SUM, field, 0)->sum / TOTAL_SCALE;
}

/* Σ @field × @times over every record (quantity × unit value), kept so. */
double
td_record_list_get_sum_product (TdRecordList *self,
                                guint         field,
                                guint         times)
{
  g_return_val_if_fail (TD_IS_RECORD_LIST (self), 0);
  g_return_val_if_fail (field < self->kind->n_fields && times < self->kind->n_fields, 0);

  return td_record_list_totals_get (self, TOTAL_PRODUCT, field, times)->sum / TOTAL_SCALE;
}

/* How many records have the choice @choice_id in @field, kept so. */
guint
td_record_list_count_choice (TdRecordList *self,
                             guint         field,
                             const char   *choice_id)
{
  Total *total;
  guint c = 0;

  g_return_val_if_fail (TD_IS_RECORD_LIST (self), 0);
  g_return_val_if_fail (field < self->kind->n_fields && self->kind->fields[field].type == TD_FIELD_CHOICE, 0);

  total = td_record_list_totals_get (self, TOTAL_CHOICES, field, 0);
  while (c + 1 < total->n_counts && g_strcmp0 (self->kind->fields[field].choices[c].id, choice_id) != 0)
    c++;
  return total->counts[c];
}
