/* td-form-render.c: the intent form on A4, as the notice's attachment prints it
 *
 * One drawing for the PDF, the preview and the printer. The form is laid
 * out once, when the renderer is made, into pages of drawing operations in
 * points on an A4 page; a page is then replayed onto any cairo context: a
 * PDF surface, a widget's (scaled for zoom), a GtkPrintContext's. The text
 * is shaped in the renderer's own Pango context (72 dpi, no hinting,
 * unrounded positions), never the target's, so lines and pages break the
 * same way on screen, on paper and in the PDF.
 *
 * The form fits one page when it can: fields 8 and 9 shrink from 10.5 pt
 * down to 9 pt, the readable minimum, before it breaks (docs/form-page.md;
 * the example school fits at 9 pt, two texts of 500 characters too). The
 * table grows to fit its text; a row too tall for what is left of a page
 * is split between lines of its text and continues on the next page, whose
 * title and label say 续; the signature row takes lines of field 9 with it. The operations keep the cell each run belongs to,
 * so td_form_render_check_layout() measures exactly what is drawn.
 *
 * For a PDF (td_form_render_new_for_pdf()), the Noto CJK faces are first cut
 * down with harfbuzz to the characters the form prints, and the form is laid
 * out and drawn with those: cairo 1.16 copies a whole face (15–24 MB of CFF,
 * twice) into memory to embed even a subset of it, which made the export
 * slow and big. The subsets keep the glyphs' metrics and the shaping tables,
 * so lines and pages break as with the whole faces. Whenever that cannot be
 * done exactly — a character the faces lack (an emoji: Pango draws it from
 * another font), a synthetic bold, a face that does not subset — the PDF is
 * made from the whole faces, as the preview and the printer draw it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-form-render"

#include "config.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#include "td-pdf-file.h"
#include "td-form-render-private.h"
#include "td-record-kind.h"
/* The sizes tried for fields 8 and 9 until the form fits one page, in
 * points: 10.5 (五号) down to 9 (小五), the least that reads well in print.
 * When 9 is not enough the form breaks over pages at 10.5. */
static const double text_sizes[] = { 10.5, 10.0, 9.5, 9.0 };

G_DEFINE_FINAL_TYPE (TdFormRender, td_form_render, G_TYPE_OBJECT)
G_DEFINE_QUARK (td-form-render-error-quark, td_form_render_error)

static void
td_form_render_op_clear (gpointer data)
{
  Op *op = data;

  g_clear_object (&op->layout);
}

static void
td_form_render_finalize (GObject *object)
{
  TdFormRender *self = (TdFormRender *)object;

  g_free (self->title);
  g_free (self->author);
  g_free (self->subject);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_pointer (&self->font_attachment, pango_font_description_free);
  g_clear_pointer (&self->font_title, pango_font_description_free);
  g_clear_pointer (&self->font_label, pango_font_description_free);
  g_clear_pointer (&self->font_value, pango_font_description_free);
  g_clear_pointer (&self->font_small, pango_font_description_free);
  g_clear_pointer (&self->font_text, pango_font_description_free);
  g_clear_pointer (&self->font_box, pango_font_description_free);
  g_clear_object (&self->context);

  /* After the fonts made from them are gone. */
  for (guint i = 0; i < self->font_files->len; i++)
    if (g_unlink (g_ptr_array_index (self->font_files, i)) != 0)
      g_debug ("Could not remove %s: %s", (char *)g_ptr_array_index (self->font_files, i), g_strerror (errno));
  if (self->font_dir && g_rmdir (self->font_dir) != 0)
    g_debug ("Could not remove %s: %s", self->font_dir, g_strerror (errno));
  g_clear_pointer (&self->font_files, g_ptr_array_unref);
  g_free (self->font_dir);

  G_OBJECT_CLASS (td_form_render_parent_class)->finalize (object);
}

static void
td_form_render_class_init (TdFormRenderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = td_form_render_finalize;
}

/* 72 dpi, no hinting, unrounded positions: the same shapes at any scale. */
PangoContext *
td_form_render_create_context (PangoFontMap *font_map)
{
  PangoContext *context = pango_font_map_create_context (font_map);
  cairo_font_options_t *options = cairo_font_options_create ();

  pango_cairo_context_set_resolution (context, 72);
  pango_context_set_language (context, pango_language_from_string ("zh-cn"));
  pango_context_set_round_glyph_positions (context, FALSE);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  return context;
}

static void
td_form_render_init (TdFormRender *self)
{
  /* The default font map is per thread: a renderer made on a worker thread
   * for a PDF is used on that thread. */
  self->context = td_form_render_create_context (pango_cairo_font_map_get_default ());

  self->font_attachment = pango_font_description_from_string (FONT_ATTACHMENT);
  self->font_title = pango_font_description_from_string (FONT_TITLE);
  self->font_label = pango_font_description_from_string (FONT_LABEL);
  self->font_value = pango_font_description_from_string (FONT_VALUE);
  self->font_small = pango_font_description_from_string (FONT_SMALL);
  self->font_text = pango_font_description_from_string (FONT_VALUE);
  self->font_box = pango_font_description_from_string (FONT_BOX);

  self->pages = g_ptr_array_new_with_free_func ((GDestroyNotify)g_array_unref);
  self->font_files = g_ptr_array_new_with_free_func (g_free);
}

/* Layouts */

/* @text is Pango markup when @markup; @width <= 0 leaves it unwrapped. */
static PangoLayout *
td_form_render_make_layout (TdFormRender               *self,
                            const PangoFontDescription *font,
                            const char                 *text,
                            gboolean                    markup,
                            double                      width,
                            PangoAlignment              alignment)
{
  PangoLayout *layout = pango_layout_new (self->context);
  PangoAttrList *attrs;

  pango_layout_set_font_description (layout, font);
  if (markup)
    pango_layout_set_markup (layout, text, -1);
  else
    pango_layout_set_text (layout, text, -1);
  /* A line broken inside an e-mail or a code must not gain a hyphen. */
  attrs = pango_layout_get_attributes (layout);
  attrs = attrs ? pango_attr_list_copy (attrs) : pango_attr_list_new ();
  pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);

  if (width > 0)
    {
      pango_layout_set_width (layout, pango_units_from_double (width));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_alignment (layout, alignment);
  return layout;
}

static PangoLayout *
td_form_render_make_label (TdFormRender *self,
                           const char   *markup,
                           double        cell_width)
{
  return td_form_render_make_layout (self, self->font_label, markup, TRUE, cell_width - 2 * PAD_X, PANGO_ALIGN_CENTER);
}

/* Left-aligned, not justified: Pango justifies by widening spaces only,
 * which tears apart a line of Chinese with a few Latin words in it. */
static PangoLayout *
td_form_render_make_value (TdFormRender *self,
                           const char   *text,
                           double        cell_width)
{
  return td_form_render_make_layout (self, self->font_value, text, FALSE, cell_width - 2 * PAD_X, PANGO_ALIGN_LEFT);
}

/* The vertical extent of lines [first, first + n), in layout units. */
static void
td_form_render_lines_yrange (PangoLayout *layout,
                             int          first,
                             int          n,
                             int         *top,
                             int         *bottom)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  int i = 0;

  *top = *bottom = 0;
  do
    {
      int y0, y1;

      if (i >= first + n)
        break;
      pango_layout_iter_get_line_yrange (iter, &y0, &y1);
      if (i == first)
        *top = y0;
      if (i >= first)
        *bottom = y1;
      i++;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

static double
td_form_render_slice_height (PangoLayout *layout,
                             int          first,
                             int          n)
{
  int top, bottom;

  td_form_render_lines_yrange (layout, first, n, &top, &bottom);
  return pango_units_to_double (bottom - top);
}

static double
td_form_render_layout_height (PangoLayout *layout)
{
  return td_form_render_slice_height (layout, 0, pango_layout_get_line_count (layout));
}

static double
td_form_render_layout_width (PangoLayout *layout)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  return pango_units_to_double (logical.x + logical.width);
}

static double
td_form_render_layout_baseline (PangoLayout *layout)
{
  return pango_units_to_double (pango_layout_get_baseline (layout));
}

/* Operations */

static Rect
td_form_render_rect_make (double x,
                          double y,
                          double width,
                          double height)
{
  return (Rect) { x, y, width, height };
}

static void
td_form_render_add_op (TdFormRender *self,
                       const Op     *op)
{
  g_array_append_vals (self->page, op, 1);
}

static void
td_form_render_add_text (TdFormRender *self,
                         PangoLayout  *layout,
                         int           first,
                         int           n,
                         double        x,
                         double        y,
                         Rect          cell)
{
  Op op = { .kind = OP_TEXT, .rect = td_form_render_rect_make (x, y, 0, 0), .cell = cell,
            .layout = g_object_ref (layout), .first_line = first, .n_lines = n };

  td_form_render_add_op (self, &op);
}

static void
td_form_render_add_whole_text (TdFormRender *self,
                               PangoLayout  *layout,
                               double        x,
                               double        y,
                               Rect          cell)
{
  td_form_render_add_text (self, layout, 0, pango_layout_get_line_count (layout), x, y, cell);
}

/* Text outside the table (附件, the title, the footnote, page numbers). */
static void
td_form_render_add_free_text (TdFormRender *self,
                              PangoLayout  *layout,
                              double        x,
                              double        y,
                              Rect          area)
{
  td_form_render_add_whole_text (self, layout, x, y, area);
  g_array_index (self->page, Op, self->page->len - 1).free = TRUE;
}

static const Rect content_area = { CONTENT_LEFT, MARGIN_TOP, CONTENT_WIDTH, CONTENT_BOTTOM - MARGIN_TOP };

static void
td_form_render_add_border (TdFormRender *self,
                           Rect          cell)
{
  Op op = { .kind = OP_BORDER, .rect = cell, .cell = content_area };

  td_form_render_add_op (self, &op);
}

static void
td_form_render_add_line (TdFormRender *self,
                         double        x0,
                         double        y0,
                         double        x1,
                         double        y1,
                         Rect          cell)
{
  Op op = { .kind = OP_LINE, .rect = td_form_render_rect_make (x0, y0, x1 - x0, y1 - y0), .cell = cell };

  td_form_render_add_op (self, &op);
}

/* Pages */

static void
td_form_render_new_page (TdFormRender *self)
{
  g_autoptr(PangoLayout) title = NULL;
  g_autofree char *text = NULL;
  gboolean first = self->pages->len == 0;
  double height;

  self->page = g_array_new (FALSE, TRUE, sizeof (Op));
  g_array_set_clear_func (self->page, td_form_render_op_clear);
  g_ptr_array_add (self->pages, self->page);
  self->y = MARGIN_TOP;

  if (first)
    {
      g_autoptr(PangoLayout) attachment = td_form_render_make_layout (self, self->font_attachment, "附件", FALSE,
                                                                      CONTENT_WIDTH, PANGO_ALIGN_LEFT);

      height = td_form_render_layout_height (attachment);
      td_form_render_add_free_text (self, attachment, CONTENT_LEFT, self->y,
                                    td_form_render_rect_make (CONTENT_LEFT, self->y, CONTENT_WIDTH, height));
      self->y += height + 6;
    }

  /* Every page carries the title; a continuation says so. */
  text = first ? g_strdup (self->title) : g_strconcat (self->title, "（续）", NULL);
  title = td_form_render_make_layout (self, self->font_title, text, FALSE, CONTENT_WIDTH, PANGO_ALIGN_CENTER);
  height = td_form_render_layout_height (title);
  td_form_render_add_free_text (self, title, CONTENT_LEFT, self->y, td_form_render_rect_make (CONTENT_LEFT, self->y, CONTENT_WIDTH, height));
  self->y += height + 12;
  self->table_top = self->y;
}

static gboolean
td_form_render_page_is_empty (TdFormRender *self)
{
  return self->y <= self->table_top;
}

/* A row that is not split: on this page if it fits with @keep (what must
 * follow it on the same page), else on the next. */
static void
td_form_render_start_row (TdFormRender *self,
                          double        height,
                          double        keep)
{
  if (self->y + height + keep > CONTENT_BOTTOM && !td_form_render_page_is_empty (self))
    td_form_render_new_page (self);
}

/* Puts @layout vertically centred in @cell, horizontally at its padding. */
static void
td_form_render_add_centred (TdFormRender *self,
                            PangoLayout  *layout,
                            Rect          cell)
{
  double height = td_form_render_layout_height (layout);

  td_form_render_add_whole_text (self, layout, cell.x + PAD_X, cell.y + (cell.height - height) / 2, cell);
}

/* One piece of a label | value row: the whole row, or the lines of it that
 * go on this page. */
static void
td_form_render_add_text_piece (TdFormRender *self,
                               PangoLayout  *label,
                               PangoLayout  *value,
                               int           first,
                               int           n,
                               double        height,
                               gboolean      top_align)
{
  Rect label_cell = td_form_render_rect_make (CONTENT_LEFT, self->y, LABEL_WIDTH, height);
  Rect value_cell = td_form_render_rect_make (CONTENT_LEFT + LABEL_WIDTH, self->y, CONTENT_WIDTH - LABEL_WIDTH, height);
  double value_height = td_form_render_slice_height (value, first, n);

  td_form_render_add_border (self, label_cell);
  td_form_render_add_border (self, value_cell);
  td_form_render_add_centred (self, label, label_cell);
  td_form_render_add_text (self, value, first, n, value_cell.x + PAD_X,
                           top_align ? value_cell.y + PAD_Y : value_cell.y + (height - value_height) / 2,
                           value_cell);
  self->y += height;
}

/* The most lines from @first of @value that fit in @avail beside @label. */
static int
td_form_render_lines_that_fit (PangoLayout *label,
                               PangoLayout *value,
                               int          first,
                               int          n_max,
                               double       avail)
{
  double label_height = td_form_render_layout_height (label);
  int n;

  for (n = n_max; n > 0; n--)
    if (MAX (label_height, td_form_render_slice_height (value, first, n)) + 2 * PAD_Y <= avail)
      break;
  return n;
}

/* A label | value row; the value's lines continue on the next page when
 * they do not fit, under the label @continued. Its last piece is followed
 * on its page by @keep points (the 申报单位意见 row): when they do not fit
 * after it, at least MIN_SPLIT of its lines go over with them, so that
 * the signature and the seal are never on a page of their own. */
static void
td_form_render_place_text_row (TdFormRender               *self,
                               const char                 *label_markup,
                               const char                 *continued_markup,
                               const char                 *text,
                               const PangoFontDescription *font,
                               double                      min_height,
                               gboolean                    top_align,
                               double                      keep)
{
  g_autoptr(PangoLayout) label = td_form_render_make_label (self, label_markup, LABEL_WIDTH);
  g_autoptr(PangoLayout) continued = NULL;
  g_autoptr(PangoLayout) value = td_form_render_make_layout (self, font, text, FALSE, CONTENT_WIDTH - LABEL_WIDTH - 2 * PAD_X,
                                                             PANGO_ALIGN_LEFT);
  int n_lines;
  int first = 0;

  if (font == self->font_text)
    pango_layout_set_line_spacing (value, TEXT_SPACING);
  n_lines = pango_layout_get_line_count (value);

  for (;;)
    {
      PangoLayout *this_label = label;
      double label_height, need, avail = CONTENT_BOTTOM - self->y;
      int n, left = n_lines - first;

      if (first > 0)
        {
          if (continued == NULL)
            continued = td_form_render_make_label (self, continued_markup, LABEL_WIDTH);
          this_label = continued;
        }
      label_height = td_form_render_layout_height (this_label);
      need = MAX (label_height, td_form_render_slice_height (value, first, left)) + 2 * PAD_Y;
      need = MAX (need, first == 0 ? min_height : ROW_MIN);

      if (need + keep <= avail)
        {
          td_form_render_add_text_piece (self, this_label, value, first, left, need, top_align || first > 0);
          return;
        }

      if (need <= avail)
        {
          /* The row fits, what must follow it does not: MIN_SPLIT lines
           * at least go over with it. */
          n = MIN (td_form_render_lines_that_fit (this_label, value, first, left - 1, avail), left - MIN_SPLIT);
          if (n >= MIN_SPLIT)
            {
              td_form_render_add_text_piece (self, this_label, value, first, n, avail, TRUE);
              first += n;
              td_form_render_new_page (self);
            }
          else if (!td_form_render_page_is_empty (self))
            td_form_render_new_page (self);
          else
            {
              /* Too tall for a page with what follows: drawn whole. */
              td_form_render_add_text_piece (self, this_label, value, first, left, need, top_align || first > 0);
              return;
            }
          continue;
        }

      /* As many lines as fit, the label whole beside them. */
      n = td_form_render_lines_that_fit (this_label, value, first, left - 1, avail);

      if (n >= MIN (MIN_SPLIT, left) && n > 0)
        {
          /* The piece reaches the page's bottom: the table ends square. */
          td_form_render_add_text_piece (self, this_label, value, first, n, avail, TRUE);
          first += n;
          td_form_render_new_page (self);
        }
      else if (!td_form_render_page_is_empty (self))
        td_form_render_new_page (self);
      else
        {
          /* Taller than a page and nothing to split: drawn as it is, and
           * td_form_render_check_layout() says so. */
          td_form_render_add_text_piece (self, this_label, value, first, left, need, TRUE);
          return;
        }
    }
}

/* 3 单位地址: ＿＿市 ＿＿县（市）＿＿区 + street, as the form prints it
 * where empty; filled in, the names (济南市, 历下区) carry their own 市, 县
 * or 区. */
static char *
td_form_render_address_markup (TdForm *form)
{
  const char *city = td_form_get (form, TD_FORM_CITY);
  const char *county = td_form_get (form, TD_FORM_COUNTY);
  const char *street = td_form_get (form, TD_FORM_STREET);
  g_autofree char *c = city[0] ? g_markup_escape_text (city, -1) : g_strdup (BLANK "市");
  g_autofree char *d = county[0] ? g_markup_escape_text (county, -1) : g_strdup (BLANK "县（市）" BLANK "区");
  g_autofree char *s = street[0] ? g_markup_escape_text (street, -1) : g_strdup (BLANK BLANK);

  return g_strconcat (c, IDEO_SPACE IDEO_SPACE, d, IDEO_SPACE IDEO_SPACE, s, NULL);
}

static void
td_form_render_place_address_row (TdFormRender *self,
                                  TdForm       *form)
{
  g_autoptr(PangoLayout) label = td_form_render_make_label (self, "单位地址", LABEL_WIDTH);
  g_autofree char *markup = td_form_render_address_markup (form);
  g_autoptr(PangoLayout) value = td_form_render_make_layout (self, self->font_value, markup, TRUE,
                                                             CONTENT_WIDTH - LABEL_WIDTH - 2 * PAD_X, PANGO_ALIGN_LEFT);
  double height = MAX (ROW_MIN, MAX (td_form_render_layout_height (label), td_form_render_layout_height (value)) + 2 * PAD_Y);

  td_form_render_start_row (self, height, 0);
  td_form_render_add_text_piece (self, label, value, 0, pango_layout_get_line_count (value), height, FALSE);
}

/* 5: 联系人 | name | 联系方式 | phone, e-mail. */
static void
td_form_render_place_contact_row (TdFormRender *self,
                                  TdForm       *form)
{
  const double widths[] = { LABEL_WIDTH, LABEL_WIDTH, CONTACT_LABEL,
                            CONTENT_WIDTH - 2 * LABEL_WIDTH - CONTACT_LABEL };
  const char *phone = td_form_get (form, TD_FORM_PHONE);
  const char *email = td_form_get (form, TD_FORM_EMAIL);
  g_autofree char *ways = g_strjoin (phone[0] && email[0] ? "\n" : "", phone, email, NULL);
  PangoLayout *cells[4];
  double height = ROW_MIN, x = CONTENT_LEFT;

  cells[0] = td_form_render_make_label (self, "联系人", widths[0]);
  cells[1] = td_form_render_make_value (self, td_form_get (form, TD_FORM_CONTACT_NAME), widths[1]);
  cells[2] = td_form_render_make_label (self, "联系方式", widths[2]);
  cells[3] = td_form_render_make_value (self, ways, widths[3]);
  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    height = MAX (height, td_form_render_layout_height (cells[i]) + 2 * PAD_Y);

  td_form_render_start_row (self, height, 0);
  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    {
      Rect cell = td_form_render_rect_make (x, self->y, widths[i], height);

      td_form_render_add_border (self, cell);
      td_form_render_add_centred (self, cells[i], cell);
      x += widths[i];
      g_object_unref (cells[i]);
    }
  self->y += height;
}

/* 6: the three categories, each after its box, ☑ ticked or ☐ not, as
 * text: copied or read by pdftotext, the PDF says which are ticked. */
static void
td_form_render_place_categories_row (TdFormRender *self,
                                     TdForm       *form)
{
  const TdRecordKind *kind = td_record_kind_lookup ("programmes");
  const TdChoice *choices = kind->fields[td_record_kind_field_index (kind, "category")].choices;
  g_autoptr(PangoLayout) label = td_form_render_make_label (self, "拟承担培训项目\n类别（可多选）*", LABEL_WIDTH);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) places = g_array_new (FALSE, FALSE, sizeof (double) * 2);
  g_autofree char *box_family = g_markup_escape_text (pango_font_description_get_family (self->font_box), -1);
  double inner = CONTENT_WIDTH - LABEL_WIDTH - 2 * PAD_X;
  double size = pango_font_description_get_size (self->font_value) / (double)PANGO_SCALE;
  double spacing = size * 1.5;
  double x = 0, y = 0, line_height = 0, height;
  Rect label_cell, value_cell;

  for (guint i = 0; choices[i].id; i++)
    {
      /* The box and its name held together by a no-break space. */
      g_autofree char *markup =
        g_markup_printf_escaped ("<span font_family=\"%s\">%s\u00A0</span>%s", box_family,
                                 td_form_has_category (form, choices[i].id) ? BOX_TICKED : BOX_EMPTY,
                                 choices[i].header);
      PangoLayout *item = td_form_render_make_layout (self, self->font_value, markup, TRUE, inner, PANGO_ALIGN_LEFT);
      double width = td_form_render_layout_width (item);
      double item_height = td_form_render_layout_height (item);
      double place[2];

      if (x > 0 && x + width > inner)
        {
          x = 0;
          y += line_height + 2;
          line_height = 0;
        }
      place[0] = x;
      place[1] = y;
      g_array_append_vals (places, place, 1);
      g_ptr_array_add (items, item);
      x += width + spacing;
      line_height = MAX (line_height, item_height);
    }
  height = MAX (ROW_MIN, MAX (td_form_render_layout_height (label), y + line_height) + 2 * PAD_Y);

  td_form_render_start_row (self, height, 0);
  label_cell = td_form_render_rect_make (CONTENT_LEFT, self->y, LABEL_WIDTH, height);
  value_cell = td_form_render_rect_make (CONTENT_LEFT + LABEL_WIDTH, self->y, CONTENT_WIDTH - LABEL_WIDTH, height);
  td_form_render_add_border (self, label_cell);
  td_form_render_add_border (self, value_cell);
  td_form_render_add_centred (self, label, label_cell);
  {
    double top = value_cell.y + (height - (y + line_height)) / 2;

    for (guint i = 0; i < items->len; i++)
      {
        const double *place = &g_array_index (places, double, 2 * i);

        td_form_render_add_whole_text (self, g_ptr_array_index (items, i), value_cell.x + PAD_X + place[0], top + place[1],
                                       value_cell);
      }
  }
  self->y += height;
}

/* 10: the opinion given at sign-off (or room for one), the sign-off,
 * 法定代表人签字, 单位公章 and the date on the right — the opinion's day —,
 * with room above it for the seal. Only measured when @measure: returns
 * the row's height. */
static double
td_form_render_place_opinion_row (TdFormRender              *self,
                                  TdForm                    *form,
                                  const TdFormRenderOptions *options,
                                  double                     keep,
                                  gboolean                   measure)
{
  double cell_width = CONTENT_WIDTH - LABEL_WIDTH;
  double inner = cell_width - 2 * PAD_X;
  g_autoptr(PangoLayout) label = td_form_render_make_label (self, "申报单位意见", LABEL_WIDTH);
  g_autoptr(PangoLayout) sign = td_form_render_make_layout (self, self->font_value, "法定代表人签字：", FALSE, inner,
                                                            PANGO_ALIGN_LEFT);
  g_autoptr(PangoLayout) seal = td_form_render_make_layout (self, self->font_value, "（单位公章）", FALSE, inner,
                                                            PANGO_ALIGN_LEFT);
  g_autoptr(PangoLayout) date = NULL;
  g_autoptr(PangoLayout) signed_text = NULL;
  g_autoptr(PangoLayout) opinion = NULL;
  const char *opinion_date = td_form_get_opinion_date (form);
  g_autoptr(GDate) day = NULL;
  double y_signed = PAD_Y;
  double sign_line = 28 * MM;                  /* for the signature, by hand */
  double seal_margin = 8 * MM;                 /* the seal is pressed over 公章 and the date */
  double sign_width = td_form_render_layout_width (sign), seal_width = td_form_render_layout_width (seal);
  double y_sign, y_seal, y_date, height, line_end;
  gboolean seal_below;
  Rect label_cell, value_cell;
  double x;

  if (td_form_get_opinion (form) && td_form_get_opinion (form)[0])
    {
      opinion = td_form_render_make_value (self, td_form_get_opinion (form), cell_width);
      y_signed += td_form_render_layout_height (opinion) + 2 * MM;
    }
  if (opinion_date && opinion_date[0])
    {
      int year, month, d;

      if (sscanf (opinion_date, "%d-%d-%d", &year, &month, &d) == 3 && g_date_valid_dmy (d, month, year))
        day = g_date_new_dmy (d, month, year);
    }
  if (day == NULL && options->signed_at)
    day = g_date_new_dmy (g_date_time_get_day_of_month (options->signed_at),
                          g_date_time_get_month (options->signed_at), g_date_time_get_year (options->signed_at));
  if (day)
    {
      g_autofree char *text = g_strdup_printf ("%d年%d月%d日", g_date_get_year (day), g_date_get_month (day),
                                               g_date_get_day (day));

      date = td_form_render_make_layout (self, self->font_value, text, FALSE, inner, PANGO_ALIGN_LEFT);
    }
  else
    date = td_form_render_make_layout (self, self->font_value, "\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日", FALSE,
                                       inner, PANGO_ALIGN_LEFT);

  if (options->hash)
    {
      g_autofree char *time = options->signed_at ? g_date_time_format (options->signed_at, "%Y-%m-%d %H:%M")
                                                 : g_strdup ("");
      g_autofree char *markup =
        g_markup_printf_escaped ("<b>已签发</b>\u3000签发人：%s\n签发时间：%s\u3000校验码：%s%s%s",
                                 options->signer ? options->signer : "", time, options->hash,
                                 options->key_fingerprint ? "\n密钥指纹：" : "",
                                 options->key_fingerprint ? options->key_fingerprint : "");

      signed_text = td_form_render_make_layout (self, self->font_value, markup, TRUE, inner, PANGO_ALIGN_LEFT);
    }

  /* Relative to the cell's top. */
  y_sign = y_signed + (signed_text ? td_form_render_layout_height (signed_text) + 10 * MM : opinion ? 10 * MM : 16 * MM);
  line_end = MIN (sign_width + sign_line, inner);
  seal_below = line_end + 6 * MM + seal_width + seal_margin > inner;
  y_seal = seal_below ? y_sign + td_form_render_layout_height (sign) + 2 : y_sign;
  y_date = y_seal + td_form_render_layout_height (seal) + 9 * MM;
  height = MAX (y_date + td_form_render_layout_height (date) + PAD_Y + 2 * MM, td_form_render_layout_height (label) + 2 * PAD_Y);
  if (measure)
    return height;

  td_form_render_start_row (self, height, keep);
  label_cell = td_form_render_rect_make (CONTENT_LEFT, self->y, LABEL_WIDTH, height);
  value_cell = td_form_render_rect_make (CONTENT_LEFT + LABEL_WIDTH, self->y, cell_width, height);
  td_form_render_add_border (self, label_cell);
  td_form_render_add_border (self, value_cell);
  td_form_render_add_centred (self, label, label_cell);

  x = value_cell.x + PAD_X;
  if (opinion)
    td_form_render_add_whole_text (self, opinion, x, self->y + PAD_Y, value_cell);
  if (signed_text)
    td_form_render_add_whole_text (self, signed_text, x, self->y + y_signed, value_cell);
  td_form_render_add_whole_text (self, sign, x, self->y + y_sign, value_cell);
  if (sign_width < line_end)
    {
      double baseline = self->y + y_sign + td_form_render_layout_baseline (sign) + 2;

      td_form_render_add_line (self, x + sign_width, baseline, x + line_end, baseline, value_cell);
    }
  td_form_render_add_whole_text (self, seal, value_cell.x + value_cell.width - PAD_X - seal_margin - seal_width,
                                 self->y + y_seal, value_cell);
  td_form_render_add_whole_text (self, date, value_cell.x + value_cell.width - PAD_X - seal_margin / 2 - td_form_render_layout_width (date),
                                 self->y + y_date, value_cell);
  self->y += height;
  return height;
}

static void
td_form_render_add_page_numbers (TdFormRender *self)
{
  guint n = self->pages->len;

  if (n < 2)
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("第%u页\u3000共%u页", i + 1, n);
      g_autoptr(PangoLayout) layout = td_form_render_make_layout (self, self->font_small, text, FALSE, CONTENT_WIDTH,
                                                                  PANGO_ALIGN_CENTER);
      double y = CONTENT_BOTTOM + 4 * MM;

      self->page = g_ptr_array_index (self->pages, i);
      td_form_render_add_free_text (self, layout, CONTENT_LEFT, y,
                                    td_form_render_rect_make (CONTENT_LEFT, CONTENT_BOTTOM, CONTENT_WIDTH, MARGIN_BOTTOM - 4 * MM));
    }
  self->page = NULL;
}

static void
td_form_render_lay_out_once (TdFormRender              *self,
                             TdForm                    *form,
                             TdCampaign                *campaign,
                             const TdFormRenderOptions *options)
{
  const char *footnote_text = campaign ? td_campaign_get_footnote (campaign) : NULL;
  g_autoptr(PangoLayout) footnote = NULL;
  double footnote_room = 0, opinion_height;

  if (footnote_text && footnote_text[0])
    {
      footnote = td_form_render_make_layout (self, self->font_value, footnote_text, FALSE, CONTENT_WIDTH, PANGO_ALIGN_LEFT);
      footnote_room = 6 + td_form_render_layout_height (footnote);
    }
  opinion_height = td_form_render_place_opinion_row (self, form, options, 0, TRUE);

  td_form_render_new_page (self);
  td_form_render_place_text_row (self, "单位名称", "单位名称（续）", td_form_get (form, TD_FORM_NAME), self->font_value,
                                 ROW_MIN, FALSE, 0);
  td_form_render_place_text_row (self, "主管部门", "主管部门（续）", td_form_get (form, TD_FORM_AUTHORITY), self->font_value,
                                 ROW_MIN, FALSE, 0);
  td_form_render_place_address_row (self, form);
  td_form_render_place_text_row (self, "邮政编码", "邮政编码（续）", td_form_get (form, TD_FORM_POSTAL_CODE), self->font_value,
                                 ROW_MIN, FALSE, 0);
  td_form_render_place_contact_row (self, form);
  td_form_render_place_categories_row (self, form);
  td_form_render_place_text_row (self, "主要培训领域", "主要培训领域（续）", td_form_get (form, TD_FORM_FIELDS), self->font_value,
                                 ROW_MIN, FALSE, 0);
  /* The hints word for word as the attachment prints them (its "500 字"
   * has the space). */
  td_form_render_place_text_row (self,
                                 "培训能力简述\n<span size=\"smaller\">" HINT_CAPACITY "</span>",
                                 "培训能力简述\n（续）",
                                 td_form_get (form, TD_FORM_CAPACITY), self->font_text, LONG_ROW_MIN, TRUE, 0);
  /* The signature row never alone on a page: some of field 9 goes with it. */
  td_form_render_place_text_row (self,
                                 "近三年来主要\n培训业绩\n<span size=\"smaller\">" HINT_RESULTS "</span>",
                                 "近三年来主要\n培训业绩（续）",
                                 td_form_get (form, TD_FORM_RESULTS), self->font_text, LONG_ROW_MIN, TRUE,
                                 opinion_height + footnote_room);
  /* The footnote stays on the page of the table's last row. */
  td_form_render_place_opinion_row (self, form, options, footnote_room, FALSE);

  if (footnote)
    {
      self->y += 6;
      td_form_render_add_free_text (self, footnote, CONTENT_LEFT, self->y,
                                    td_form_render_rect_make (CONTENT_LEFT, self->y, CONTENT_WIDTH, td_form_render_layout_height (footnote)));
      self->y += td_form_render_layout_height (footnote);
    }
  self->page = NULL;
}

/* One page if fields 8 and 9 at some size of text_sizes[] allow it; else
 * over pages, at the first size. */
static void
td_form_render_lay_out (TdFormRender              *self,
                        TdForm                    *form,
                        TdCampaign                *campaign,
                        const TdFormRenderOptions *options)
{
  for (guint i = 0; i <= G_N_ELEMENTS (text_sizes); i++)
    {
      double size = text_sizes[i < G_N_ELEMENTS (text_sizes) ? i : 0];

      g_ptr_array_set_size (self->pages, 0);
      pango_font_description_set_size (self->font_text, (int)(size * PANGO_SCALE));
      td_form_render_lay_out_once (self, form, campaign, options);
      g_debug ("Fields 8 and 9 at %.1f pt: %u pages", size, self->pages->len);
      if (self->pages->len == 1)
        break;
    }
  td_form_render_add_page_numbers (self);
}

/* The renderer's metadata, before any layout. */
static TdFormRender *
td_form_render_alloc (TdForm                    *form,
                      TdCampaign                *campaign,
                      const TdFormRenderOptions *options)
{
  TdFormRender *self = g_object_new (TD_TYPE_FORM_RENDER, NULL);
  const char *title = campaign ? td_campaign_get_title (campaign) : NULL;

  self->title = g_strdup (title && title[0] ? title : DEFAULT_TITLE);
  self->author = g_strdup (td_form_get (form, TD_FORM_NAME));
  if (campaign && td_campaign_get_notice (campaign))
    self->subject = g_strdup_printf ("%s 附件", td_campaign_get_notice (campaign));
  self->created = options->created ? g_date_time_ref (options->created) : g_date_time_new_now_local ();
  return self;
}

static const TdFormRenderOptions no_options = { NULL };

/**
 * td_form_render_new:
 * @form: the form; its values are read now, later changes need a new renderer
 * @campaign: (nullable): gives the title and the footnote
 * @options: (nullable): the sign-off, the PDF's date
 *
 * Lays the form out on A4 pages with the system's fonts, for the preview and
 * the printer. Layout takes a few milliseconds; a renderer is used on the
 * thread that made it.
 *
 * Returns: (transfer full): the renderer
 */
TdFormRender *
td_form_render_new (TdForm                    *form,
                    TdCampaign                *campaign,
                    const TdFormRenderOptions *options)
{
  TdFormRender *self;

  g_return_val_if_fail (TD_IS_FORM (form), NULL);
  g_return_val_if_fail (campaign == NULL || TD_IS_CAMPAIGN (campaign), NULL);

  if (options == NULL)
    options = &no_options;

  self = td_form_render_alloc (form, campaign, options);
  td_form_render_lay_out (self, form, campaign, options);
  return self;
}

/**
 * td_form_render_new_for_pdf:
 * @form: the form; its values are read now
 * @campaign: (nullable): gives the title and the footnote
 * @options: (nullable): the sign-off, the PDF's date
 *
 * Like td_form_render_new(), for writing a PDF: the fonts are first subset
 * to the characters the form prints (temporary files, removed with the
 * renderer), which makes the PDF several times faster to write, in a
 * fraction of the memory, and smaller; it is drawn the same. When that
 * cannot be done exactly (see td_form_render_get_fonts_subset()), this is
 * td_form_render_new(). Blocking: run it off the main loop.
 *
 * Returns: (transfer full): the renderer
 */
TdFormRender *
td_form_render_new_for_pdf (TdForm                    *form,
                            TdCampaign                *campaign,
                            const TdFormRenderOptions *options)
{
  g_autoptr(TdFormRender) self = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (TD_IS_FORM (form), NULL);
  g_return_val_if_fail (campaign == NULL || TD_IS_CAMPAIGN (campaign), NULL);

  if (options == NULL)
    options = &no_options;

  self = td_form_render_alloc (form, campaign, options);
  if (!td_font_subset_fonts (self, form, campaign, options, &error))
    {
      g_debug ("The PDF embeds the whole fonts: %s", error->message);
      return td_form_render_new (form, campaign, options);
    }
  td_form_render_lay_out (self, form, campaign, options);
  if (!td_font_subset_check_glyphs (self, &error))
    {
      g_debug ("The PDF embeds the whole fonts: %s", error->message);
      return td_form_render_new (form, campaign, options);
    }
  self->fonts_subset = TRUE;
  return g_steal_pointer (&self);
}

/**
 * td_form_render_get_fonts_subset:
 *
 * Returns: whether the renderer draws with fonts subset to the form
 *   (td_form_render_new_for_pdf() could subset them)
 */
gboolean
td_form_render_get_fonts_subset (TdFormRender *self)
{
  g_return_val_if_fail (TD_IS_FORM_RENDER (self), FALSE);

  return self->fonts_subset;
}

/**
 * td_form_render_count_pages:
 *
 * Returns: how many A4 pages the form takes, at least one
 */
guint
td_form_render_count_pages (TdFormRender *self)
{
  g_return_val_if_fail (TD_IS_FORM_RENDER (self), 0);

  return self->pages->len;
}

/* Drawing */

static void
td_form_render_draw_text (cairo_t  *cr,
                          const Op *op)
{
  PangoLayoutIter *iter = pango_layout_get_iter (op->layout);
  int i = 0, top = 0;

  do
    {
      if (i >= op->first_line + op->n_lines)
        break;
      if (i >= op->first_line)
        {
          PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);
          PangoRectangle in_layout, in_line;
          int y0;

          pango_layout_iter_get_line_yrange (iter, &y0, NULL);
          if (i == op->first_line)
            top = y0;
          pango_layout_iter_get_line_extents (iter, NULL, &in_layout);
          pango_layout_line_get_extents (line, NULL, &in_line);
          cairo_move_to (cr, op->rect.x + pango_units_to_double (in_layout.x - in_line.x),
                         op->rect.y + pango_units_to_double (pango_layout_iter_get_baseline (iter) - top));
          pango_cairo_show_layout_line (cr, line);
        }
      i++;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

/**
 * td_form_render_page:
 * @page: from 0 to td_form_render_count_pages() - 1
 * @cr: any cairo context, in points: scale it first for a zoomed preview
 *
 * Paints the page white and draws it, from the context's origin over
 * %TD_FORM_RENDER_PAGE_WIDTH × %TD_FORM_RENDER_PAGE_HEIGHT. The same
 * drawing goes to the PDF, the preview and the printer.
 */
void
td_form_render_page (TdFormRender *self,
                     guint         page,
                     cairo_t      *cr)
{
  GArray *ops;

  g_return_if_fail (TD_IS_FORM_RENDER (self));
  g_return_if_fail (page < self->pages->len);

  ops = g_ptr_array_index (self->pages, page);
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, TD_FORM_RENDER_PAGE_WIDTH, TD_FORM_RENDER_PAGE_HEIGHT);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, BORDER);

  for (guint i = 0; i < ops->len; i++)
    {
      const Op *op = &g_array_index (ops, Op, i);

      switch (op->kind)
        {
        case OP_TEXT:
          td_form_render_draw_text (cr, op);
          break;
        case OP_BORDER:
          cairo_set_line_width (cr, BORDER);
          cairo_rectangle (cr, op->rect.x, op->rect.y, op->rect.width, op->rect.height);
          cairo_stroke (cr);
          break;
        case OP_LINE:
          cairo_set_line_width (cr, BORDER / 1.5);
          cairo_move_to (cr, op->rect.x, op->rect.y);
          cairo_rel_line_to (cr, op->rect.width, op->rect.height);
          cairo_stroke (cr);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  cairo_restore (cr);
}

/* PDF */

/**
 * td_form_render_write_pdf:
 * @stream: where the PDF goes; left open
 *
 * Writes every page as a PDF with its metadata: the title, the school as
 * author, "Training Desk" as creator, the creation date. Cairo embeds the
 * fonts, subset. Blocking: run it off the main loop.
 */
gboolean
td_form_render_write_pdf (TdFormRender   *self,
                          GOutputStream  *stream,
                          GCancellable   *cancellable,
                          GError        **error)
{
  TdPdfStream out = { stream, cancellable, NULL };
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (TD_IS_FORM_RENDER (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  surface = td_pdf_stream_surface_new (&out, TD_FORM_RENDER_PAGE_WIDTH, TD_FORM_RENDER_PAGE_HEIGHT, self->title,
                                       self->author, self->subject, self->created);
  cr = cairo_create (surface);
  for (guint i = 0; i < self->pages->len && out.error == NULL; i++)
    {
      td_form_render_page (self, i, cr);
      cairo_show_page (cr);
    }
  status = cairo_status (cr);
  cairo_destroy (cr);
  status = td_pdf_stream_finish (&out, surface, status);

  if (out.error)
    {
      g_propagate_error (error, out.error);
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, TD_FORM_RENDER_ERROR, TD_FORM_RENDER_ERROR_FAILED,
                   _("Could not draw the form as PDF: %s."), cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

/* td_pdf_file_save()'s writer. */
static gboolean
td_form_render_save_cb (gpointer        data,
                        GOutputStream  *stream,
                        GCancellable   *cancellable,
                        GError        **error)
{
  return td_form_render_write_pdf (data, stream, cancellable, error);
}

/**
 * td_form_render_save_pdf:
 *
 * Writes the PDF to @path, replacing it only once it is whole.
 */
gboolean
td_form_render_save_pdf (TdFormRender  *self,
                         const char    *path,
                         GError       **error)
{
  g_return_val_if_fail (TD_IS_FORM_RENDER (self), FALSE);

  return td_pdf_file_save (path, td_form_render_save_cb, self, error);
}

/**
 * td_form_render_pdf:
 *
 * Lays @form out, with its fonts subset to it when they can be
 * (td_form_render_new_for_pdf()), and writes it to @path as PDF: the command
 * line's --export-pdf in one call.
 */
gboolean
td_form_render_pdf (TdForm                    *form,
                    TdCampaign                *campaign,
                    const TdFormRenderOptions *options,
                    const char                *path,
                    GError                   **error)
{
  g_autoptr(TdFormRender) self = td_form_render_new_for_pdf (form, campaign, options);

  return td_form_render_save_pdf (self, path, error);
}

/* Layout check */

void
td_form_render_overflow_free (TdFormRenderOverflow *overflow)
{
  g_free (overflow->text);
  g_free (overflow);
}

#define EPSILON 0.01

static gboolean
td_form_render_rect_inside (const Rect *r,
                            const Rect *bounds)
{
  return r->x >= bounds->x - EPSILON && r->y >= bounds->y - EPSILON &&
         r->x + r->width <= bounds->x + bounds->width + EPSILON &&
         r->y + r->height <= bounds->y + bounds->height + EPSILON;
}

static Rect
td_form_render_rect_union (const Rect *a,
                           const Rect *b)
{
  double x0 = MIN (a->x, b->x), y0 = MIN (a->y, b->y);
  double x1 = MAX (a->x + a->width, b->x + b->width), y1 = MAX (a->y + a->height, b->y + b->height);

  return td_form_render_rect_make (x0, y0, x1 - x0, y1 - y0);
}

static void
td_form_render_report (GPtrArray  *overflows,
                       guint       page,
                       char       *text,
                       const Rect *extents,
                       const Rect *cell)
{
  TdFormRenderOverflow *o = g_new0 (TdFormRenderOverflow, 1);

  o->page = page;
  o->text = text;
  o->x = extents->x;
  o->y = extents->y;
  o->width = extents->width;
  o->height = extents->height;
  o->cell_x = cell->x;
  o->cell_y = cell->y;
  o->cell_width = cell->width;
  o->cell_height = cell->height;
  g_ptr_array_add (overflows, o);
}

static void
td_form_render_check_text (const Op  *op,
                           guint      page,
                           const Rect *cell,
                           GPtrArray *overflows)
{
  PangoLayoutIter *iter = pango_layout_get_iter (op->layout);
  const char *text = pango_layout_get_text (op->layout);
  int i = 0, top = 0;

  do
    {
      if (i >= op->first_line + op->n_lines)
        break;
      if (i >= op->first_line)
        {
          PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);
          PangoRectangle ink, logical;
          Rect extents;
          int y0;

          pango_layout_iter_get_line_yrange (iter, &y0, NULL);
          if (i == op->first_line)
            top = y0;
          pango_layout_iter_get_line_extents (iter, &ink, &logical);
          extents = td_form_render_rect_make (op->rect.x + pango_units_to_double (logical.x),
                                              op->rect.y + pango_units_to_double (logical.y - top),
                                              pango_units_to_double (logical.width), pango_units_to_double (logical.height));
          if (ink.width > 0 && ink.height > 0)
            {
              Rect ink_rect = td_form_render_rect_make (op->rect.x + pango_units_to_double (ink.x),
                                                        op->rect.y + pango_units_to_double (ink.y - top),
                                                        pango_units_to_double (ink.width), pango_units_to_double (ink.height));

              extents = td_form_render_rect_union (&extents, &ink_rect);
            }
          if (!td_form_render_rect_inside (&extents, cell))
            td_form_render_report (overflows, page, g_strndup (text + line->start_index, line->length), &extents, cell);
        }
      i++;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

/**
 * td_form_render_check_layout:
 *
 * Measures every text run (each line of text drawn), checkbox and line
 * against the cell it belongs to, less half the cell's border, and every
 * cell against the page's margins.
 *
 * Returns: (transfer full) (element-type TdFormRenderOverflow): what extends
 *   past its cell; empty when nothing does
 */
GPtrArray *
td_form_render_check_layout (TdFormRender *self)
{
  GPtrArray *overflows = g_ptr_array_new_with_free_func ((GDestroyNotify)td_form_render_overflow_free);

  g_return_val_if_fail (TD_IS_FORM_RENDER (self), overflows);

  for (guint p = 0; p < self->pages->len; p++)
    {
      GArray *ops = g_ptr_array_index (self->pages, p);

      for (guint i = 0; i < ops->len; i++)
        {
          const Op *op = &g_array_index (ops, Op, i);
          Rect cell = op->cell, extents;

          if (op->kind != OP_BORDER && !op->free)
            cell = td_form_render_rect_make (cell.x + BORDER / 2, cell.y + BORDER / 2, cell.width - BORDER, cell.height - BORDER);

          switch (op->kind)
            {
            case OP_TEXT:
              td_form_render_check_text (op, p, &cell, overflows);
              break;
            case OP_BORDER:
              extents = td_form_render_rect_make (op->rect.x - BORDER / 2, op->rect.y - BORDER / 2,
                                                  op->rect.width + BORDER, op->rect.height + BORDER);
              /* The margins are the bounds: a border may sit on them. */
              cell = td_form_render_rect_make (cell.x - BORDER / 2, cell.y - BORDER / 2, cell.width + BORDER, cell.height + BORDER);
              if (!td_form_render_rect_inside (&extents, &cell))
                td_form_render_report (overflows, p, g_strdup ("border"), &extents, &cell);
              break;
            case OP_LINE:
              extents = td_form_render_rect_make (MIN (op->rect.x, op->rect.x + op->rect.width),
                                                  MIN (op->rect.y, op->rect.y + op->rect.height) - BORDER / 2,
                                                  ABS (op->rect.width), ABS (op->rect.height) + BORDER);
              if (!td_form_render_rect_inside (&extents, &cell))
                td_form_render_report (overflows, p, g_strdup ("line"), &extents, &cell);
              break;
            default:
              g_assert_not_reached ();
            }
        }
    }
  return overflows;
}
