/* td-form-render.h: the intent form on A4, as the notice's attachment prints it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "td-campaign.h"
#include "td-form.h"

G_BEGIN_DECLS

/* A4 portrait, in points (1/72 inch): the units td_form_render_page() draws in. */
#define TD_FORM_RENDER_PAGE_WIDTH  595.2756   /* 210 mm */
#define TD_FORM_RENDER_PAGE_HEIGHT 841.8898   /* 297 mm */

#define TD_FORM_RENDER_ERROR (td_form_render_error_quark ())

typedef enum
{
  TD_FORM_RENDER_ERROR_FAILED,  /* cairo could not write the PDF */
  TD_FORM_RENDER_ERROR_FONTS,   /* the fonts could not be subset to the form */
} TdFormRenderError;

/* All members may be NULL (all zero: an unsigned form, created now). */
typedef struct
{
  /* The sign-off (issue 5): when @hash is set, the 申报单位意见 cell prints
   * 已签发 with @signer, @signed_at and @hash; when @signed_at is set, the
   * date line under 单位公章 holds its day (2025年5月10日). */
  const char *signer;
  GDateTime  *signed_at;
  const char *hash;       /* 16 hexadecimal digits */
  const char *key_fingerprint;  /* NULL, or printed beside it (td_signing_key_fingerprint()) */

  /* The PDF's creation date; now when NULL. Fixed, the PDF is reproducible. */
  GDateTime  *created;
} TdFormRenderOptions;

/* A text run, checkbox or line that extends past its cell. */
typedef struct
{
  guint   page;           /* from 0 */
  char   *text;           /* the run: the line's text, "border", "line" */
  double  x, y, width, height;                       /* its ink and logical extents, united */
  double  cell_x, cell_y, cell_width, cell_height;   /* the cell, less half its border */
} TdFormRenderOverflow;

#define TD_TYPE_FORM_RENDER (td_form_render_get_type ())
G_DECLARE_FINAL_TYPE (TdFormRender, td_form_render, TD, FORM_RENDER, GObject)

GQuark        td_form_render_error_quark   (void);

TdFormRender *td_form_render_new           (TdForm                    *form,
                                            TdCampaign                *campaign,
                                            const TdFormRenderOptions *options);
TdFormRender *td_form_render_new_for_pdf   (TdForm                    *form,
                                            TdCampaign                *campaign,
                                            const TdFormRenderOptions *options);
gboolean      td_form_render_get_fonts_subset (TdFormRender           *self);
guint         td_form_render_count_pages   (TdFormRender              *self);
void          td_form_render_page          (TdFormRender              *self,
                                            guint                      page,
                                            cairo_t                   *cr);
gboolean      td_form_render_write_pdf     (TdFormRender              *self,
                                            GOutputStream             *stream,
                                            GCancellable              *cancellable,
                                            GError                   **error);
gboolean      td_form_render_save_pdf      (TdFormRender              *self,
                                            const char                *path,
                                            GError                   **error);
GPtrArray    *td_form_render_check_layout  (TdFormRender              *self);
void          td_form_render_overflow_free (TdFormRenderOverflow      *overflow);

gboolean      td_form_render_pdf           (TdForm                    *form,
                                            TdCampaign                *campaign,
                                            const TdFormRenderOptions *options,
                                            const char                *path,
                                            GError                   **error);

G_END_DECLS
