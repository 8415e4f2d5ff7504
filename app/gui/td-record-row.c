/* td-record-row.c: a row of a record list as one widget, and its header
 *
 * GTK 4.8's list item manager makes the widgets of every row that scrolls
 * into view anew (it keeps none for other items). A GtkColumnView row is
 * fifteen widgets (the row, seven cells, seven inscriptions), each with
 * its CSS node, accessible object, size request and text layout: scrolling
 * 100,000 records cost 1.4–1.5× a one-label GtkListView's frame. Here a
 * row is one widget that draws its columns' texts itself (one PangoLayout
 * each, ellipsized to the column), under a column view that has no rows
 * and serves as the header: its titles sort (the column view's sorter),
 * resize and show or hide columns as before, and TdRecordHeader reads
 * where they are after each allocation for the rows to draw under them.
 * bench/RESULTS.md, "Issue 17: scrolling under GL, one widget a row".
 *
 * To a screen reader a row is a ROW whose label reads every column with
 * its title.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-record-row"

#include "config.h"

#include "td-record-row.h"

struct _TdRecordRow
{
  GtkWidget        parent_instance;

  TdRecordColumns *columns;
  char           **texts;
  PangoLayout     *layouts[TD_RECORD_ROW_MAX_COLUMNS];
  int              widths[TD_RECORD_ROW_MAX_COLUMNS]; /* the layouts were made for */
};

G_DEFINE_FINAL_TYPE (TdRecordRow, td_record_row, GTK_TYPE_WIDGET)

static void
td_record_row_clear_layouts (TdRecordRow *self)
{
  for (guint c = 0; c < TD_RECORD_ROW_MAX_COLUMNS; c++)
    g_clear_object (&self->layouts[c]);
}

static PangoLayout *
td_record_row_get_layout (TdRecordRow *self,
                          guint        c)
{
  TdRecordColumns *columns = self->columns;
  PangoLayout *layout = self->layouts[c];

  if (layout != NULL && self->widths[c] == columns->width[c])
    return layout;
  if (layout == NULL)
    {
      layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->texts[c]);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_single_paragraph_mode (layout, TRUE);
      if (columns->numeric[c])
        {
          PangoAttrList *attrs = pango_attr_list_new ();

          /* Figures line up by their digits. */
          pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
          pango_layout_set_attributes (layout, attrs);
          pango_attr_list_unref (attrs);
          pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
        }
      self->layouts[c] = layout;
    }
  pango_layout_set_width (layout, columns->width[c] * PANGO_SCALE);
  self->widths[c] = columns->width[c];
  return layout;
}

static void
td_record_row_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  TdRecordColumns *columns = TD_RECORD_ROW (widget)->columns;

  /* As wide as the list (which is as wide as the header). */
  if (orientation == GTK_ORIENTATION_VERTICAL)
    *minimum = *natural = columns->text_height;
  else
    *minimum = *natural = 0;
}

static void
td_record_row_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  TdRecordRow *self = TD_RECORD_ROW (widget);
  TdRecordColumns *columns = self->columns;
  int top = (gtk_widget_get_height (widget) - columns->text_height) / 2;
  GdkRGBA color;

  if (self->texts == NULL)
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  for (guint c = 0; c < columns->n_columns && self->texts[c] != NULL; c++)
    {
      PangoLayout *layout;

      if (columns->width[c] <= 0 || self->texts[c][0] == '\0')
        continue;
      layout = td_record_row_get_layout (self, c);
      gtk_snapshot_save (snapshot);
      /* Every column's text on the same baseline, whatever its font. */
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (columns->x[c],
                                                    top + columns->text_baseline -
                                                    pango_layout_get_baseline (layout) / PANGO_SCALE));
      gtk_snapshot_append_layout (snapshot, layout, &color);
      gtk_snapshot_restore (snapshot);
    }
}

static void
td_record_row_dispose (GObject *object)
{
  TdRecordRow *self = TD_RECORD_ROW (object);

  td_record_row_clear_layouts (self);
  g_clear_pointer (&self->texts, g_strfreev);
  G_OBJECT_CLASS (td_record_row_parent_class)->dispose (object);
}

static void
td_record_row_class_init (TdRecordRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = td_record_row_dispose;
  widget_class->measure = td_record_row_measure;
  widget_class->snapshot = td_record_row_snapshot;
  gtk_widget_class_set_css_name (widget_class, "recordrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_ROW);
}

static void
td_record_row_init (TdRecordRow *self)
{
  /* The list's row is hovered and clicked, not this. */
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

GtkWidget *
td_record_row_new (TdRecordColumns *columns)
{
  TdRecordRow *self = g_object_new (TD_TYPE_RECORD_ROW, NULL);

  self->columns = columns;
  return GTK_WIDGET (self);
}

/**
 * td_record_row_set_texts:
 * @texts: (transfer full): one per column, as many as there are
 * @label: what a screen reader reads of the row
 */
void
td_record_row_set_texts (TdRecordRow  *self,
                         char        **texts,
                         const char   *label)
{
  g_return_if_fail (TD_IS_RECORD_ROW (self));

  td_record_row_clear_layouts (self);
  g_strfreev (self->texts);
  self->texts = texts;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label ? label : "", -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
td_record_row_get_text (TdRecordRow *self,
                        guint        column)
{
  g_return_val_if_fail (TD_IS_RECORD_ROW (self), NULL);

  if (self->texts == NULL || column >= g_strv_length (self->texts))
    return NULL;
  return self->texts[column];
}

/* The header: a column view without rows, in a bin that reads where its
 * titles are after each allocation. */

struct _TdRecordHeader
{
  GtkWidget        parent_instance;

  GtkColumnView   *column_view;
  TdRecordColumns *columns;
};

G_DEFINE_FINAL_TYPE (TdRecordHeader, td_record_header, GTK_TYPE_WIDGET)

/* The column view's titles, in the order of its columns shown. */
static GtkWidget *
td_record_header_find_titles (TdRecordHeader *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_strcmp0 (gtk_widget_get_css_name (child), "header") == 0)
      return child;
  return NULL;
}

static void
td_record_header_read_columns (TdRecordHeader *self)
{
  TdRecordColumns *columns = self->columns;
  GListModel *view_columns = gtk_column_view_get_columns (self->column_view);
  GtkWidget *titles = td_record_header_find_titles (self);
  GtkWidget *title = titles ? gtk_widget_get_first_child (titles) : NULL;
  gboolean changed = FALSE;
  int row_width = 0;

  columns->n_columns = MIN (g_list_model_get_n_items (view_columns), TD_RECORD_ROW_MAX_COLUMNS);
  for (guint c = 0; c < columns->n_columns; c++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (view_columns, c);
      int x = 0, width = 0;

      if (gtk_column_view_column_get_visible (column) && title != NULL)
        {
          graphene_rect_t bounds;

          if (gtk_widget_compute_bounds (title, GTK_WIDGET (self), &bounds))
            {
              /* The text inside the title's padding, as a cell's. */
              GtkWidget *label = gtk_widget_get_first_child (title);
              graphene_rect_t inner = bounds;
              int pad;

              while (label != NULL && !GTK_IS_LABEL (label))
                label = gtk_widget_get_first_child (label);
              if (label == NULL || !gtk_widget_compute_bounds (label, GTK_WIDGET (self), &inner))
                inner = bounds;
              pad = (int)(inner.origin.x - bounds.origin.x);
              x = (int)inner.origin.x;
              width = MAX (0, (int)bounds.size.width - 2 * pad);
              row_width = MAX (row_width, (int)(bounds.origin.x + bounds.size.width));
            }
          title = gtk_widget_get_next_sibling (title);
        }
      changed |= x != columns->x[c] || width != columns->width[c];
      columns->x[c] = x;
      columns->width[c] = width;
    }
  if (row_width != columns->row_width && columns->list != NULL)
    /* The list as wide as the header: they scroll sideways together. */
    gtk_widget_set_size_request (columns->list, row_width, -1);
  columns->row_width = row_width;
  if (changed && columns->list != NULL)
    gtk_widget_queue_draw (columns->list);
}

static void
td_record_header_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  gtk_widget_measure (GTK_WIDGET (TD_RECORD_HEADER (widget)->column_view), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
td_record_header_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  TdRecordHeader *self = TD_RECORD_HEADER (widget);

  gtk_widget_allocate (GTK_WIDGET (self->column_view), width, height, baseline, NULL);
  td_record_header_read_columns (self);
}

static void
td_record_header_dispose (GObject *object)
{
  TdRecordHeader *self = TD_RECORD_HEADER (object);

  if (self->column_view != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->column_view));
  self->column_view = NULL;
  G_OBJECT_CLASS (td_record_header_parent_class)->dispose (object);
}

static void
td_record_header_class_init (TdRecordHeaderClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = td_record_header_dispose;
  widget_class->measure = td_record_header_measure;
  widget_class->size_allocate = td_record_header_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "recordheader");
}

static void
td_record_header_init (TdRecordHeader *self)
{
}

GtkWidget *
td_record_header_new (GtkColumnView   *column_view,
                      TdRecordColumns *columns)
{
  TdRecordHeader *self = g_object_new (TD_TYPE_RECORD_HEADER, NULL);

  self->column_view = column_view;
  self->columns = columns;
  gtk_widget_set_parent (GTK_WIDGET (column_view), GTK_WIDGET (self));
  return GTK_WIDGET (self);
}
