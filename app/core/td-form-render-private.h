/* td-form-render-private.h: what the files of TdFormRender share
 *
 * TdFormRender is one class over two files: td-form-render.c (layout and
 * drawing) and td-font-subset.c (the faces cut down to the characters the
 * form prints, for its PDF), which alone reaches HarfBuzz and fontconfig.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <pango/pangocairo.h>

#include "td-form-render.h"

G_BEGIN_DECLS

#define MM (72.0 / 25.4)

/* Page and table geometry, in points. */
#define MARGIN_TOP     (20 * MM)
#define MARGIN_BOTTOM  (20 * MM)
#define MARGIN_SIDE    (25 * MM)
#define CONTENT_LEFT   MARGIN_SIDE
#define CONTENT_WIDTH  (TD_FORM_RENDER_PAGE_WIDTH - 2 * MARGIN_SIDE)
#define CONTENT_BOTTOM (TD_FORM_RENDER_PAGE_HEIGHT - MARGIN_BOTTOM)
#define LABEL_WIDTH    (34 * MM)
#define CONTACT_LABEL  (24 * MM)    /* 联系方式 */
#define PAD_X          6.0
#define PAD_Y          5.0
#define ROW_MIN        (9 * MM)
#define LONG_ROW_MIN   (36 * MM)    /* fields 8 and 9 look like the form's big boxes */
#define BORDER         0.75
#define MIN_SPLIT      2            /* lines a row leaves on a page before it continues */
#define TEXT_SPACING   0.9          /* fields 8 and 9: lines 1.3 em apart, not Noto CJK's 1.45 */

/* Fontconfig names: fonts-noto-cjk. Serif (宋体-like) for what is filled
 * in and the title, sans (黑体-like) for the form's own labels. */
#define FONT_ATTACHMENT "Noto Sans CJK SC,Noto Sans CJK JP,sans-serif 14"
#define FONT_TITLE      "Noto Serif CJK SC,Noto Serif CJK JP,serif Bold 18"
#define FONT_LABEL      "Noto Sans CJK SC,Noto Sans CJK JP,sans-serif 10.5"
#define FONT_VALUE      "Noto Serif CJK SC,Noto Serif CJK JP,serif 10.5"
#define FONT_SMALL      "Noto Serif CJK SC,Noto Serif CJK JP,serif 9"
/* ☐ and ☑ are not in Noto CJK: DejaVu Sans (fonts-dejavu-core) draws
 * them, as text, so that a ticked box is in the PDF's text layer. */
#define FONT_BOX        "DejaVu Sans 10.5"
#define BOX_EMPTY       "\u2610"   /* ☐ */
#define BOX_TICKED      "\u2611"   /* ☑ */

#define BLANK  "<u>\u3000\u3000\u3000\u3000</u>"  /* a blank to fill in by hand */
#define IDEO_SPACE "\u3000"
#define DEFAULT_TITLE "可承担和开展的职业培训意向表"
/* Under the labels of fields 8 and 9, as the attachment words them. */
#define HINT_CAPACITY "（包括培训师资、设备、场所以及制度保障等，500 字以内）"
#define HINT_RESULTS  "（包括培训项目、规模、效果等，尽量量化说明，500 字以内）"

typedef struct
{
  double x, y, width, height;
} Rect;

typedef enum
{
  OP_TEXT,    /* lines [first_line, first_line + n_lines) of layout, top-left at rect.x, rect.y */
  OP_BORDER,  /* a cell's border: rect */
  OP_LINE,    /* from (rect.x, rect.y) to (rect.x + rect.width, rect.y + rect.height) */
} OpKind;

typedef struct
{
  OpKind       kind;
  Rect         rect;
  Rect         cell;        /* what it must stay inside */
  PangoLayout *layout;
  int          first_line;
  int          n_lines;
  gboolean     free;        /* outside the table: its cell has no border */
} Op;

struct _TdFormRender
{
  GObject       parent_instance;

  char         *title;
  char         *author;
  char         *subject;
  GDateTime    *created;

  PangoContext *context;
  PangoFontDescription *font_attachment;
  PangoFontDescription *font_title;
  PangoFontDescription *font_label;
  PangoFontDescription *font_value;
  PangoFontDescription *font_small;
  PangoFontDescription *font_text;   /* fields 8 and 9: font_value, maybe smaller */
  PangoFontDescription *font_box;

  GPtrArray    *pages;      /* GArray of Op, one a page */

  /* The faces subset to the form (td_form_render_new_for_pdf()): files in
   * a temporary folder of their own, removed with the renderer. */
  char         *font_dir;
  GPtrArray    *font_files;
  gboolean      fonts_subset;

  /* While laying out. */
  GArray       *page;
  double        y;
  double        table_top;
};

/* td-form-render.c */
PangoContext *td_form_render_create_context (PangoFontMap              *font_map);

/* td-font-subset.c */
gboolean      td_font_subset_fonts          (TdFormRender              *self,
                                             TdForm                    *form,
                                             TdCampaign                *campaign,
                                             const TdFormRenderOptions *options,
                                             GError                   **error);
gboolean      td_font_subset_check_glyphs   (TdFormRender              *self,
                                             GError                   **error);

G_END_DECLS
