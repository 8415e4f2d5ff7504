/* td-font-subset.c: the form's faces cut down to what it prints
 *
 * For a PDF (td_form_render_new_for_pdf()), the Noto CJK faces are first cut
 * down with harfbuzz to the characters the form prints, and the form is laid
 * out and drawn with those: cairo 1.16 copies a whole face (15–24 MB of CFF,
 * twice) into memory to embed even a subset of it, which made the export
 * slow and big. The subsets keep the glyphs' metrics and the shaping tables,
 * so lines and pages break as with the whole faces. Whenever that cannot be
 * done exactly, the caller makes the PDF from the whole faces.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-form-render"

#include "config.h"

#include <fontconfig/fontconfig.h>
#include <glib/gstdio.h>
#include <hb-subset.h>
#include <pango/pangofc-font.h>
#include <pango/pangofc-fontmap.h>

#include "td-form-render-private.h"
#include "td-record-kind.h"

/* Fonts subset to the form */

/* What the renderer itself prints besides the form's values, the
 * campaign's texts and the categories' names: the literals of lay_out()
 * and the functions it calls. A character missing here costs only time:
 * check_glyphs() finds it, and the PDF is made with the whole faces. */
static const char * const drawn_literals[] = {
  "附件", DEFAULT_TITLE, "（续）", "单位名称", "主管部门", "单位地址", "市县（市）区", IDEO_SPACE,
  "邮政编码", "联系人", "联系方式", "拟承担培训项目类别（可多选）", "主要培训领域",
  "培训能力简述" HINT_CAPACITY, "近三年来主要培训业绩" HINT_RESULTS, "*", BOX_EMPTY BOX_TICKED "\u00A0",
  "申报单位意见", "法定代表人签字：", "（单位公章）", "年月日", "已签发签发人：签发时间：校验码：",
  "第页共",
};

/* Characters Pango may draw from an emoji font even where the faces have
 * them: emoji presentation (Unicode's Emoji_Presentation=Yes), the
 * selectors and joiners of emoji sequences, flags and tags. */
static gboolean
td_font_subset_may_be_emoji (gunichar c)
{
  static const gunichar bmp[][2] = {
    { 0x200D, 0x200D }, { 0x20E3, 0x20E3 }, { 0x231A, 0x231B }, { 0x23E9, 0x23EC }, { 0x23F0, 0x23F0 },
    { 0x23F3, 0x23F3 }, { 0x25FD, 0x25FE }, { 0x2614, 0x2615 }, { 0x2648, 0x2653 }, { 0x267F, 0x267F },
    { 0x2693, 0x2693 }, { 0x26A1, 0x26A1 }, { 0x26AA, 0x26AB }, { 0x26BD, 0x26BE }, { 0x26C4, 0x26C5 },
    { 0x26CE, 0x26CE }, { 0x26D4, 0x26D4 }, { 0x26EA, 0x26EA }, { 0x26F2, 0x26F3 }, { 0x26F5, 0x26F5 },
    { 0x26FA, 0x26FA }, { 0x26FD, 0x26FD }, { 0x2705, 0x2705 }, { 0x270A, 0x270B }, { 0x2728, 0x2728 },
    { 0x274C, 0x274C }, { 0x274E, 0x274E }, { 0x2753, 0x2755 }, { 0x2757, 0x2757 }, { 0x2795, 0x2797 },
    { 0x27B0, 0x27B0 }, { 0x27BF, 0x27BF }, { 0x2B1B, 0x2B1C }, { 0x2B50, 0x2B50 }, { 0x2B55, 0x2B55 },
    { 0xFE0E, 0xFE0F },
  };

  if ((c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0xE0000 && c <= 0xE007F))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (bmp); i++)
    if (c >= bmp[i][0] && c <= bmp[i][1])
      return TRUE;
  return FALSE;
}

static gboolean
td_font_subset_add_unicodes (hb_set_t    *unicodes,
                             const char  *text,
                             GError     **error)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (td_font_subset_may_be_emoji (c))
        {
          g_set_error (error, TD_FORM_RENDER_ERROR, TD_FORM_RENDER_ERROR_FONTS,
                       "U+%04X may be drawn from an emoji font", c);
          return FALSE;
        }
      hb_set_add (unicodes, c);
    }
  return TRUE;
}

/* Every character the form prints. */
static gboolean
td_font_subset_collect_unicodes (hb_set_t                  *unicodes,
                                 TdFormRender              *self,
                                 TdForm                    *form,
                                 TdCampaign                *campaign,
                                 const TdFormRenderOptions *options,
                                 GError                   **error)
{
  const TdRecordKind *kind = td_record_kind_lookup ("programmes");
  const TdChoice *choices = kind->fields[td_record_kind_field_index (kind, "category")].choices;

  /* Latin letters, digits (dates, page numbers) and punctuation. */
  hb_set_add_range (unicodes, 0x20, 0x7E);
  for (guint i = 0; i < G_N_ELEMENTS (drawn_literals); i++)
    td_font_subset_add_unicodes (unicodes, drawn_literals[i], NULL);
  for (guint i = 0; choices[i].id; i++)
    td_font_subset_add_unicodes (unicodes, choices[i].header, NULL);
  for (TdFormField f = 0; f < TD_FORM_N_FIELDS; f++)
    if (f != TD_FORM_CATEGORIES && !td_font_subset_add_unicodes (unicodes, td_form_get (form, f), error))
      return FALSE;
  return td_font_subset_add_unicodes (unicodes, self->title, error) &&
         td_font_subset_add_unicodes (unicodes, campaign ? td_campaign_get_footnote (campaign) : NULL, error) &&
         td_font_subset_add_unicodes (unicodes, options->signer, error) &&
         td_font_subset_add_unicodes (unicodes, td_form_get_opinion (form), error) &&
         td_font_subset_add_unicodes (unicodes, options->hash, error);
}

typedef struct
{
  char *file;     /* the whole face's file, */
  int   index;    /* and its index in it */
  char *subset;   /* the subset's file */
} Face;

static void
td_font_subset_face_free (Face *face)
{
  g_free (face->file);
  g_free (face->subset);
  g_free (face);
}

static FcPattern *
td_font_subset_font_pattern (PangoFont *font)
{
  return font != NULL && PANGO_IS_FC_FONT (font) ? pango_fc_font_get_pattern (PANGO_FC_FONT (font)) : NULL;
}

/* The face of the whole font Pango draws @description with, as it is, so
 * that its subset draws the same; added to @faces once. */
static Face *
td_font_subset_find_face (GPtrArray                  *faces,
                          PangoContext               *context,
                          const PangoFontDescription *description,
                          GError                    **error)
{
  g_autoptr(PangoFont) font = pango_font_map_load_font (pango_context_get_font_map (context), context,
                                                        description);
  FcPattern *pattern = td_font_subset_font_pattern (font);
  g_autofree char *name = pango_font_description_to_string (description);
  FcChar8 *file = NULL;
  FcBool bool_value = FcFalse;
  FcMatrix *matrix = NULL;
  int index = 0;
  Face *face;

  if (pattern == NULL ||
      FcPatternGetString (pattern, FC_FILE, 0, &file) != FcResultMatch ||
      FcPatternGetInteger (pattern, FC_INDEX, 0, &index) != FcResultMatch)
    {
      g_set_error (error, TD_FORM_RENDER_ERROR, TD_FORM_RENDER_ERROR_FONTS,
                   "no font file for “%s”", name);
      return NULL;
    }
  /* Made up by fontconfig's rules (bold, slant) or an instance of a
   * variable font: the subset would not get the same treatment. */
  if ((FcPatternGetBool (pattern, FC_EMBOLDEN, 0, &bool_value) == FcResultMatch && bool_value) ||
      (FcPatternGetBool (pattern, FC_VARIABLE, 0, &bool_value) == FcResultMatch && bool_value) ||
      FcPatternGetMatrix (pattern, FC_MATRIX, 0, &matrix) == FcResultMatch ||
      (index >> 16) != 0)
    {
      g_set_error (error, TD_FORM_RENDER_ERROR, TD_FORM_RENDER_ERROR_FONTS,
                   "“%s” is drawn with a synthetic or variable face of %s", name, (const char *)file);
      return NULL;
    }

  for (guint i = 0; i < faces->len; i++)
    {
      face = g_ptr_array_index (faces, i);
      if (g_str_equal (face->file, (const char *)file) && face->index == index)
        return face;
    }
  face = g_new0 (Face, 1);
  face->file = g_strdup ((const char *)file);
  face->index = index;
  g_ptr_array_add (faces, face);
  return face;
}

/* Writes the subset of @face to @path. */
static gboolean
td_font_subset_subset_face (Face              *face,
                            hb_subset_input_t *input,
                            const char        *path,
                            GError           **error)
{
  hb_blob_t *blob = hb_blob_create_from_file_or_fail (face->file);
  hb_face_t *whole = NULL;
  hb_face_t *subset = NULL;
  hb_blob_t *data = NULL;
  const char *bytes = NULL;
  unsigned int length = 0;
  gboolean ok;

  if (blob != NULL)
    whole = hb_face_create (blob, face->index);
  if (whole != NULL && hb_face_get_glyph_count (whole) > 0)
    subset = hb_subset_or_fail (whole, input);
  if (subset != NULL)
    data = hb_face_reference_blob (subset);
  if (data != NULL)
    bytes = hb_blob_get_data (data, &length);

  if (length == 0)
    {
      g_set_error (error, TD_FORM_RENDER_ERROR, TD_FORM_RENDER_ERROR_FONTS,
                   "harfbuzz could not subset face %d of %s", face->index, face->file);
      ok = FALSE;
    }
  else
    ok = g_file_set_contents_full (path, bytes, length, G_FILE_SET_CONTENTS_NONE, 0600, error);

  hb_blob_destroy (data);
  hb_face_destroy (subset);
  hb_face_destroy (whole);
  hb_blob_destroy (blob);
  return ok;
}

/* Subsets the faces the form's fonts use to the characters it prints, and
 * gives the renderer a context that lays out with the subsets alone. */
gboolean
td_font_subset_fonts (TdFormRender              *self,
                      TdForm                    *form,
                      TdCampaign                *campaign,
                      const TdFormRenderOptions *options,
                      GError                   **error)
{
  g_autoptr(PangoFontDescription) value_bold = pango_font_description_copy (self->font_value);
  /* Every font lay_out() asks for: <b> in the sign-off is the value's bold,
   * <span size="smaller"> a size of the label's. */
  const PangoFontDescription *descriptions[] = {
    self->font_attachment, self->font_title, self->font_label, self->font_value, self->font_small, value_bold,
    self->font_box,
  };
  Face *used[G_N_ELEMENTS (descriptions)];
  g_autoptr(GPtrArray) faces = g_ptr_array_new_with_free_func ((GDestroyNotify)td_font_subset_face_free);
  g_autoptr(PangoFontMap) font_map = NULL;
  PangoContext *context = NULL;
  hb_subset_input_t *input = NULL;
  hb_set_t *unicodes = NULL;
  FcConfig *config = NULL;
  gboolean ok = FALSE;

  pango_font_description_set_weight (value_bold, PANGO_WEIGHT_BOLD);

  if (!(input = hb_subset_input_create_or_fail ()))
    {
      g_set_error_literal (error, TD_FORM_RENDER_ERROR, TD_FORM_RENDER_ERROR_FONTS, "out of memory");
      return FALSE;
    }
  unicodes = hb_subset_input_unicode_set (input);
  /* BASE places runs of two faces on one baseline (已签发 in bold beside
   * regular text): harfbuzz 6.0 drops it as a table it does not subset;
   * it holds coordinates only, so it is kept as it is. Desubroutinized,
   * the CFF is subset without walking the faces' thousands of subroutines:
   * faster, in less memory, and the subset is smaller. */
  hb_set_del (hb_subset_input_set (input, HB_SUBSET_SETS_DROP_TABLE_TAG), HB_TAG ('B', 'A', 'S', 'E'));
  hb_subset_input_set_flags (input, HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED | HB_SUBSET_FLAGS_DESUBROUTINIZE);
  if (!td_font_subset_collect_unicodes (unicodes, self, form, campaign, options, error))
    goto out;

  for (guint i = 0; i < G_N_ELEMENTS (descriptions); i++)
    if (!(used[i] = td_font_subset_find_face (faces, self->context, descriptions[i], error)))
      goto out;

  if (!(self->font_dir = g_dir_make_tmp ("td-form-fonts-XXXXXX", error)))
    goto out;
  config = FcConfigCreate ();
  for (guint i = 0; i < faces->len; i++)
    {
      Face *face = g_ptr_array_index (faces, i);
      g_autofree char *name = g_strdup_printf ("face-%u.otf", i);

      face->subset = g_build_filename (self->font_dir, name, NULL);
      if (!td_font_subset_subset_face (face, input, face->subset, error))
        goto out;
      g_ptr_array_add (self->font_files, g_strdup (face->subset));
      if (!FcConfigAppFontAddFile (config, (const FcChar8 *)face->subset))
        {
          g_set_error (error, TD_FORM_RENDER_ERROR, TD_FORM_RENDER_ERROR_FONTS,
                       "fontconfig cannot read the subset of %s", face->file);
          goto out;
        }
    }

  font_map = pango_cairo_font_map_new ();
  if (!PANGO_IS_FC_FONT_MAP (font_map))
    {
      g_set_error (error, TD_FORM_RENDER_ERROR, TD_FORM_RENDER_ERROR_FONTS,
                   "Pango’s font map does not use fontconfig");
      goto out;
    }
  pango_fc_font_map_set_config (PANGO_FC_FONT_MAP (font_map), config);
  context = td_form_render_create_context (font_map);

  /* Each font must find the subset of the very face it had. */
  for (guint i = 0; i < G_N_ELEMENTS (descriptions); i++)
    {
      g_autoptr(PangoFont) font = pango_font_map_load_font (font_map, context, descriptions[i]);
      FcPattern *pattern = td_font_subset_font_pattern (font);
      FcChar8 *file = NULL;

      if (pattern == NULL || FcPatternGetString (pattern, FC_FILE, 0, &file) != FcResultMatch ||
          g_strcmp0 ((const char *)file, used[i]->subset) != 0)
        {
          g_autofree char *name = pango_font_description_to_string (descriptions[i]);

          g_set_error (error, TD_FORM_RENDER_ERROR, TD_FORM_RENDER_ERROR_FONTS,
                       "“%s” does not find the subset of its face", name);
          goto out;
        }
    }

  g_set_object (&self->context, context);
  ok = TRUE;

out:
  g_clear_object (&context);
  if (config != NULL)
    FcConfigDestroy (config);
  hb_subset_input_destroy (input);
  return ok;
}

/* After a layout with the subsets: every glyph found in them. */
gboolean
td_font_subset_check_glyphs (TdFormRender  *self,
                             GError       **error)
{
  for (guint p = 0; p < self->pages->len; p++)
    {
      GArray *ops = g_ptr_array_index (self->pages, p);

      for (guint i = 0; i < ops->len; i++)
        {
          const Op *op = &g_array_index (ops, Op, i);

          if (op->kind != OP_TEXT)
            continue;
          for (GSList *l = pango_layout_get_lines_readonly (op->layout); l; l = l->next)
            for (GSList *r = ((PangoLayoutLine *)l->data)->runs; r; r = r->next)
              {
                PangoGlyphString *glyphs = ((PangoGlyphItem *)r->data)->glyphs;

                for (int g = 0; g < glyphs->num_glyphs; g++)
                  if (glyphs->glyphs[g].glyph & PANGO_GLYPH_UNKNOWN_FLAG)
                    {
                      g_set_error (error, TD_FORM_RENDER_ERROR, TD_FORM_RENDER_ERROR_FONTS,
                                   "U+%04X is not in the subset faces",
                                   glyphs->glyphs[g].glyph & ~PANGO_GLYPH_UNKNOWN_FLAG);
                      return FALSE;
                    }
              }
        }
    }
  return TRUE;
}
