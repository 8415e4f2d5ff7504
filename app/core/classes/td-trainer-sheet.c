/* td-trainer-sheet.c: a trainer's year, printable for the performance review
 *
 * The notice counts each trainer's training hours and results in their
 * performance review (§三). This sheet states them for one trainer and
 * one year, from the classes (docs/figures.md, "From classes"): every
 * class they taught in with its trainees, completions and certificates,
 * every session they taught with its hours, the totals, and lines for
 * the signatures. The totals are those of td_class_trainer_results(), so
 * the sheet, the CSV and the Overview's trainers' hours agree.
 *
 * It is a plain table of rows of one height, drawn straight onto an A4
 * PDF surface with Pango (Noto CJK, as the form): a trainer of a large
 * school teaches a few hundred sessions a year, a handful of pages, so
 * unlike the form (td-form-render.c) the faces are not subset first. The
 * pages are laid out twice, once to count them for "Page 1 of 3".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-trainer-sheet"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

#include "td-pdf-file.h"
#include "td-classes.h"
#include "td-store-private.h"
#include "td-trainer-sheet.h"

#define MM (72.0 / 25.4)
#define PAGE_WIDTH   595.2756   /* A4, points */
#define PAGE_HEIGHT  841.8898
#define MARGIN       (15 * MM)
#define LEFT         MARGIN
#define WIDTH        (PAGE_WIDTH - 2 * MARGIN)
#define BOTTOM       (PAGE_HEIGHT - MARGIN - 10)   /* above the page number */
#define ROW          17.0
#define PAD          4.0
#define SIGNATURES   (4 * ROW)                      /* the block at the end */

#define FONT_TITLE "Noto Serif CJK SC,Noto Serif CJK JP,serif Bold 16"
#define FONT_TEXT  "Noto Sans CJK SC,Noto Sans CJK JP,sans-serif 9"
#define FONT_BOLD  "Noto Sans CJK SC,Noto Sans CJK JP,sans-serif Bold 9"
#define FONT_SMALL "Noto Sans CJK SC,Noto Sans CJK JP,sans-serif 8"

static void
td_trainer_sheet_class_free (TdTrainerSheetClass *c)
{
  g_free (c->name);
  g_free (c->starts_on);
  g_free (c->ends_on);
  g_free (c);
}

static void
td_trainer_sheet_session_free (TdTrainerSheetSession *s)
{
  g_free (s->held_on);
  g_free (s->starts_at);
  g_free (s->ends_at);
  g_free (s->class_name);
  g_free (s);
}

void
td_trainer_sheet_free (TdTrainerSheet *sheet)
{
  g_free (sheet->school);
  g_free (sheet->trainer);
  g_clear_pointer (&sheet->classes, g_ptr_array_unref);
  g_clear_pointer (&sheet->sessions, g_ptr_array_unref);
  g_clear_pointer (&sheet->created, g_date_time_unref);
  g_free (sheet);
}

static char *
td_trainer_sheet_column_text (sqlite3_stmt *stmt,
                              int           column)
{
  const char *text = (const char *)sqlite3_column_text (stmt, column);

  return g_strdup (text ? text : "");
}

static gboolean
td_trainer_sheet_finish_stmt (TdStore       *store,
                              sqlite3_stmt  *stmt,
                              int            rc,
                              GError       **error)
{
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      td_store_set_error (store, rc, error);
      return FALSE;
    }
  return TRUE;
}

/**
 * td_trainer_sheet_read:
 * @trainer_uuid: the trainer
 * @year: the year whose sessions count
 *
 * Reads what the sheet prints: the sessions @trainer_uuid taught that were
 * held in @year, their classes, and the school's name.
 *
 * Returns: (transfer full) (nullable): the sheet, or %NULL with @error set
 */
TdTrainerSheet *
td_trainer_sheet_read (TdStore     *store,
                       const char  *trainer_uuid,
                       int          year,
                       GError     **error)
{
  g_autoptr(TdTrainerSheet) sheet = g_new0 (TdTrainerSheet, 1);
  g_autofree char *first = g_strdup_printf ("%04d-01-01", year);
  g_autofree char *last = g_strdup_printf ("%04d-12-31", year);
  sqlite3_stmt *stmt;
  gint64 trainer_id = 0;
  int rc;

  g_return_val_if_fail (TD_IS_STORE (store), NULL);
  g_return_val_if_fail (trainer_uuid != NULL, NULL);

  sheet->year = year;
  sheet->classes = g_ptr_array_new_with_free_func ((GDestroyNotify)td_trainer_sheet_class_free);
  sheet->sessions = g_ptr_array_new_with_free_func ((GDestroyNotify)td_trainer_sheet_session_free);

  stmt = td_store_prepare (store,
                           "SELECT t.id, t.name, coalesce ((SELECT name FROM school WHERE id = 1), '') "
                           "FROM trainer t WHERE t.uuid = ?",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, trainer_uuid, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      trainer_id = sqlite3_column_int64 (stmt, 0);
      sheet->trainer = td_trainer_sheet_column_text (stmt, 1);
      sheet->school = td_trainer_sheet_column_text (stmt, 2);
      rc = SQLITE_DONE;
    }
  if (!td_trainer_sheet_finish_stmt (store, stmt, rc, error))
    return NULL;
  if (trainer_id == 0)
    {
      g_set_error_literal (error, TD_CLASSES_ERROR, TD_CLASSES_ERROR_NOT_FOUND,
                           _("The trainer is no longer recorded."));
      return NULL;
    }

  /* Each class's trainees, completions and certificates are the class's,
   * as td_class_trainer_results() counts them. */
  stmt = td_store_prepare (store,
                           "SELECT c.name, c.starts_on, c.ends_on, count (*), sum (st.hours), "
                           "  coalesce (t.participants, 0), coalesce (t.completed, 0), coalesce (t.certificates, 0) "
                           "FROM session_trainer st JOIN class_session s ON s.id = st.session_id "
                           "JOIN class c ON c.id = s.class_id LEFT JOIN class_totals t ON t.class_id = c.id "
                           "WHERE st.trainer_id = ?3 AND s.held_on BETWEEN ?1 AND ?2 "
                           "GROUP BY c.id ORDER BY min (s.held_on), c.name, c.id",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, first, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, last, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, trainer_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TdTrainerSheetClass *c = g_new0 (TdTrainerSheetClass, 1);

      c->name = td_trainer_sheet_column_text (stmt, 0);
      c->starts_on = td_trainer_sheet_column_text (stmt, 1);
      c->ends_on = td_trainer_sheet_column_text (stmt, 2);
      c->sessions = sqlite3_column_int64 (stmt, 3);
      c->hours = sqlite3_column_double (stmt, 4);
      c->participants = sqlite3_column_int64 (stmt, 5);
      c->completed = sqlite3_column_int64 (stmt, 6);
      c->certificates = sqlite3_column_int64 (stmt, 7);
      sheet->hours += c->hours;
      sheet->participants += c->participants;
      sheet->completed += c->completed;
      sheet->certificates += c->certificates;
      g_ptr_array_add (sheet->classes, c);
    }
  if (!td_trainer_sheet_finish_stmt (store, stmt, rc, error))
    return NULL;

  stmt = td_store_prepare (store,
                           "SELECT s.held_on, s.starts_at, s.ends_at, c.name, st.hours "
                           "FROM session_trainer st JOIN class_session s ON s.id = st.session_id "
                           "JOIN class c ON c.id = s.class_id "
                           "WHERE st.trainer_id = ?3 AND s.held_on BETWEEN ?1 AND ?2 "
                           "ORDER BY s.held_on, s.starts_at, s.id",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, first, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, last, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, trainer_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TdTrainerSheetSession *s = g_new0 (TdTrainerSheetSession, 1);

      s->held_on = td_trainer_sheet_column_text (stmt, 0);
      s->starts_at = td_trainer_sheet_column_text (stmt, 1);
      s->ends_at = td_trainer_sheet_column_text (stmt, 2);
      s->class_name = td_trainer_sheet_column_text (stmt, 3);
      s->hours = sqlite3_column_double (stmt, 4);
      g_ptr_array_add (sheet->sessions, s);
    }
  if (!td_trainer_sheet_finish_stmt (store, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&sheet);
}

/* Drawing ------------------------------------------------------------------ */

typedef struct
{
  TdTrainerSheet       *sheet;
  cairo_t              *cr;        /* NULL: laying out only, to count pages */
  PangoContext         *context;
  PangoFontDescription *title;
  PangoFontDescription *text;
  PangoFontDescription *bold;
  PangoFontDescription *small;
  double                y;
  guint                 page;      /* from 1 */
  guint                 n_pages;   /* 0 while counting */
  gboolean              proportional;
} TdTrainerSheetDraw;

typedef struct
{
  const char *heading;
  double      width;     /* share of the table's width */
  gboolean    number;    /* right-aligned */
} TdTrainerSheetColumn;

/* "12", "2.5", "1.25": hours as a person writes them. */
static char *
td_trainer_sheet_format_hours (double hours)
{
  char *text;
  char *end;

  if (fabs (hours - round (hours)) < 1e-9)
    return g_strdup_printf ("%.0f", hours);
  text = g_strdup_printf ("%.2f", hours);
  end = text + strlen (text) - 1;
  while (*end == '0')
    *end-- = '\0';
  return text;
}

static char *
td_trainer_sheet_format_count (gint64 n)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, n);
}

static PangoLayout *
td_trainer_sheet_layout (TdTrainerSheetDraw         *d,
                         const PangoFontDescription *font,
                         const char                 *text,
                         double                      width,
                         PangoAlignment              alignment)
{
  PangoLayout *layout = pango_layout_new (d->context);

  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  if (d->proportional)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_font_features_new ("pwid"));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  pango_layout_set_width (layout, pango_units_from_double (width));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, alignment);
  return layout;
}

static double
td_trainer_sheet_layout_height (PangoLayout *layout)
{
  int h;

  pango_layout_get_size (layout, NULL, &h);
  return pango_units_to_double (h);
}

/* Draws @layout at @x, centred in @height below d->y. */
static void
td_trainer_sheet_show (TdTrainerSheetDraw *d,
                       PangoLayout        *layout,
                       double              x,
                       double              height)
{
  if (d->cr == NULL)
    return;
  cairo_move_to (d->cr, x, d->y + (height - td_trainer_sheet_layout_height (layout)) / 2);
  pango_cairo_show_layout (d->cr, layout);
}

static void
td_trainer_sheet_text (TdTrainerSheetDraw         *d,
                       const PangoFontDescription *font,
                       const char                 *text,
                       double                      x,
                       double                      width,
                       double                      height,
                       PangoAlignment              alignment)
{
  g_autoptr(PangoLayout) layout = td_trainer_sheet_layout (d, font, text, width, alignment);

  td_trainer_sheet_show (d, layout, x, height);
}

static void
td_trainer_sheet_page_footer (TdTrainerSheetDraw *d)
{
  g_autofree char *text = NULL;
  double y = d->y;

  if (d->cr == NULL)
    return;
  /* Translators: at the foot of each page of the trainer's sheet */
  text = g_strdup_printf (_("Page %u of %u"), d->page, d->n_pages);
  d->y = PAGE_HEIGHT - MARGIN;
  td_trainer_sheet_text (d, d->small, text, LEFT, WIDTH, 10, PANGO_ALIGN_CENTER);
  d->y = y;
}

static void
td_trainer_sheet_new_page (TdTrainerSheetDraw *d)
{
  td_trainer_sheet_page_footer (d);
  if (d->cr)
    cairo_show_page (d->cr);
  d->page++;
  d->y = MARGIN;
}

/* Room for @height more, or a new page. Returns whether it broke. */
static gboolean
td_trainer_sheet_need (TdTrainerSheetDraw *d,
                       double              height)
{
  if (d->y + height <= BOTTOM)
    return FALSE;
  td_trainer_sheet_new_page (d);
  return TRUE;
}

/* A row's cells, laid out: their text wraps, so a long class name is
 * printed whole. */
static GPtrArray *
td_trainer_sheet_row_layouts (TdTrainerSheetDraw          *d,
                              const TdTrainerSheetColumn  *columns,
                              guint                        n_columns,
                              const char * const          *cells,
                              const PangoFontDescription  *font,
                              gboolean                     header,
                              double                      *height)
{
  GPtrArray *layouts = g_ptr_array_new_with_free_func (g_object_unref);

  *height = ROW;
  for (guint i = 0; i < n_columns; i++)
    {
      PangoAlignment alignment = columns[i].number && !header ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;
      PangoLayout *layout = td_trainer_sheet_layout (d, font, cells[i], columns[i].width * WIDTH - 2 * PAD,
                                                     alignment);

      *height = MAX (*height, td_trainer_sheet_layout_height (layout) + PAD);
      g_ptr_array_add (layouts, layout);
    }
  return layouts;
}

static void
td_trainer_sheet_row (TdTrainerSheetDraw          *d,
                      const TdTrainerSheetColumn  *columns,
                      GPtrArray                   *layouts,
                      double                       height,
                      gboolean                     shaded)
{
  double x = LEFT;

  for (guint i = 0; i < layouts->len; i++)
    {
      double w = columns[i].width * WIDTH;

      if (d->cr)
        {
          if (shaded)
            {
              cairo_set_source_rgb (d->cr, 0.92, 0.92, 0.92);
              cairo_rectangle (d->cr, x, d->y, w, height);
              cairo_fill (d->cr);
              cairo_set_source_rgb (d->cr, 0, 0, 0);
            }
          cairo_rectangle (d->cr, x, d->y, w, height);
          cairo_stroke (d->cr);
        }
      td_trainer_sheet_show (d, g_ptr_array_index (layouts, i), x + PAD, height);
      x += w;
    }
  d->y += height;
}

/* A heading and a table whose header row repeats on each page it spans. */
static void
td_trainer_sheet_table (TdTrainerSheetDraw          *d,
                        const char                  *heading,
                        const TdTrainerSheetColumn  *columns,
                        guint                        n_columns,
                        GPtrArray                   *rows,     /* char ** of n_columns */
                        const char * const          *total)
{
  g_autoptr(GPtrArray) header_layouts = NULL;
  const char *header[8];
  double header_height;

  g_assert (n_columns <= G_N_ELEMENTS (header));
  for (guint i = 0; i < n_columns; i++)
    header[i] = columns[i].heading;

  header_layouts = td_trainer_sheet_row_layouts (d, columns, n_columns, header, d->bold, TRUE, &header_height);
  td_trainer_sheet_need (d, 1.5 * ROW + header_height + 2 * ROW);
  d->y += ROW / 2;
  td_trainer_sheet_text (d, d->bold, heading, LEFT, WIDTH, ROW, PANGO_ALIGN_LEFT);
  d->y += ROW;
  td_trainer_sheet_row (d, columns, header_layouts, header_height, TRUE);
  for (guint r = 0; r < rows->len + 1; r++)
    {
      const char * const *cells = r < rows->len ? g_ptr_array_index (rows, r) : total;
      g_autoptr(GPtrArray) layouts = NULL;
      double height;

      layouts = td_trainer_sheet_row_layouts (d, columns, n_columns, cells, r < rows->len ? d->text : d->bold,
                                              FALSE, &height);
      if (td_trainer_sheet_need (d, height))
        {
          g_autofree char *continued = g_strdup_printf (_("%s (continued)"), heading);

          td_trainer_sheet_text (d, d->bold, continued, LEFT, WIDTH, ROW, PANGO_ALIGN_LEFT);
          d->y += ROW;
          td_trainer_sheet_row (d, columns, header_layouts, header_height, TRUE);
        }
      td_trainer_sheet_row (d, columns, layouts, height, FALSE);
    }
}

static void
td_trainer_sheet_classes (TdTrainerSheetDraw *d)
{
  TdTrainerSheet *sheet = d->sheet;
  const TdTrainerSheetColumn columns[] = {
    { _("Class"), 0.23, FALSE },
    { _("Dates"), 0.22, FALSE },
    /* Translators: the sessions a trainer taught (课次), not a results' 期 */
    { C_("trainer sheet", "Sessions"), 0.10, TRUE },
    { _("Hours"), 0.08, TRUE },
    { _("Trainees"), 0.11, TRUE },
    { _("Completed"), 0.12, TRUE },
    { _("Certificates"), 0.14, TRUE },
  };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  g_auto(GStrv) total = NULL;

  for (guint i = 0; i < sheet->classes->len; i++)
    {
      const TdTrainerSheetClass *c = g_ptr_array_index (sheet->classes, i);
      char **cells = g_new0 (char *, G_N_ELEMENTS (columns) + 1);

      cells[0] = g_strdup (c->name);
      /* Translators: a class's first and last day, "2025-03-04–2025-03-20" */
      cells[1] = g_strdup_printf (_("%s–%s"), c->starts_on, c->ends_on);
      cells[2] = td_trainer_sheet_format_count (c->sessions);
      cells[3] = td_trainer_sheet_format_hours (c->hours);
      cells[4] = td_trainer_sheet_format_count (c->participants);
      cells[5] = td_trainer_sheet_format_count (c->completed);
      cells[6] = td_trainer_sheet_format_count (c->certificates);
      g_ptr_array_add (rows, cells);
    }
  total = g_new0 (char *, G_N_ELEMENTS (columns) + 1);
  total[0] = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Total: %u class", "Total: %u classes",
                                           sheet->classes->len),
                              sheet->classes->len);
  total[1] = g_strdup ("");
  total[2] = td_trainer_sheet_format_count (sheet->sessions->len);
  total[3] = td_trainer_sheet_format_hours (sheet->hours);
  total[4] = td_trainer_sheet_format_count (sheet->participants);
  total[5] = td_trainer_sheet_format_count (sheet->completed);
  total[6] = td_trainer_sheet_format_count (sheet->certificates);
  td_trainer_sheet_table (d, _("Classes taught"), columns, G_N_ELEMENTS (columns), rows,
                          (const char * const *)total);
}

static void
td_trainer_sheet_sessions (TdTrainerSheetDraw *d)
{
  TdTrainerSheet *sheet = d->sheet;
  const TdTrainerSheetColumn columns[] = {
    { _("Date"), 0.15, FALSE },
    { _("Time"), 0.15, FALSE },
    { _("Class"), 0.60, FALSE },
    { _("Hours"), 0.10, TRUE },
  };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  g_auto(GStrv) total = NULL;

  for (guint i = 0; i < sheet->sessions->len; i++)
    {
      const TdTrainerSheetSession *s = g_ptr_array_index (sheet->sessions, i);
      char **cells = g_new0 (char *, G_N_ELEMENTS (columns) + 1);

      cells[0] = g_strdup (s->held_on);
      /* Translators: a session's start and end, "08:30–11:30" */
      cells[1] = g_strdup_printf (_("%s–%s"), s->starts_at, s->ends_at);
      cells[2] = g_strdup (s->class_name);
      cells[3] = td_trainer_sheet_format_hours (s->hours);
      g_ptr_array_add (rows, cells);
    }
  total = g_new0 (char *, G_N_ELEMENTS (columns) + 1);
  total[0] = g_strdup ("");
  total[1] = g_strdup ("");
  total[2] = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Total: %u session", "Total: %u sessions",
                                           sheet->sessions->len),
                              sheet->sessions->len);
  total[3] = td_trainer_sheet_format_hours (sheet->hours);
  td_trainer_sheet_table (d, _("Sessions taught"), columns, G_N_ELEMENTS (columns), rows,
                          (const char * const *)total);
}

static void
td_trainer_sheet_signatures (TdTrainerSheetDraw *d)
{
  g_autofree char *trainer = g_strdup_printf ("%s%s", _("Trainer’s signature: "), "______________");
  g_autofree char *head = g_strdup_printf ("%s%s", _("Head of the training office: "), "______________");
  g_autofree char *date = g_strdup_printf ("%s%s", _("Date: "), "____________");

  td_trainer_sheet_need (d, SIGNATURES);
  d->y += ROW * 1.5;
  td_trainer_sheet_text (d, d->text, trainer, LEFT, WIDTH * 0.6, ROW, PANGO_ALIGN_LEFT);
  td_trainer_sheet_text (d, d->text, date, LEFT + WIDTH * 0.62, WIDTH * 0.38, ROW, PANGO_ALIGN_LEFT);
  d->y += ROW * 1.5;
  td_trainer_sheet_text (d, d->text, head, LEFT, WIDTH * 0.6, ROW, PANGO_ALIGN_LEFT);
  td_trainer_sheet_text (d, d->text, date, LEFT + WIDTH * 0.62, WIDTH * 0.38, ROW, PANGO_ALIGN_LEFT);
  d->y += ROW;
}

/* Lays the sheet out onto d->cr (or only counts its pages); returns the
 * number of pages. */
static guint
td_trainer_sheet_draw (TdTrainerSheetDraw *d)
{
  TdTrainerSheet *sheet = d->sheet;
  g_autofree char *title = g_strdup_printf (_("Trainer’s Hours and Results, %d"), sheet->year);
  g_autofree char *school = g_strdup_printf (_("School: %s"), sheet->school[0] ? sheet->school : "—");
  g_autofree char *trainer = g_strdup_printf (_("Trainer: %s"), sheet->trainer);
  g_autofree char *year = g_strdup_printf (_("Year: %d"), sheet->year);
  g_autofree char *basis = g_strdup_printf (_("Hours taught at the sessions held in %d. Trainees are those who "
                                              "attended at least once; completions by each class’s rule."),
                                            sheet->year);

  d->page = 1;
  d->y = MARGIN;
  if (d->cr)
    {
      cairo_set_source_rgb (d->cr, 0, 0, 0);
      cairo_set_line_width (d->cr, 0.6);
    }
  td_trainer_sheet_text (d, d->title, title, LEFT, WIDTH, 2 * ROW, PANGO_ALIGN_CENTER);
  d->y += 2.5 * ROW;
  td_trainer_sheet_text (d, d->text, school, LEFT, WIDTH, ROW, PANGO_ALIGN_LEFT);
  d->y += ROW;
  td_trainer_sheet_text (d, d->text, trainer, LEFT, WIDTH * 0.6, ROW, PANGO_ALIGN_LEFT);
  td_trainer_sheet_text (d, d->text, year, LEFT + WIDTH * 0.62, WIDTH * 0.38, ROW, PANGO_ALIGN_LEFT);
  d->y += ROW;
  td_trainer_sheet_text (d, d->small, basis, LEFT, WIDTH, ROW, PANGO_ALIGN_LEFT);
  d->y += ROW;

  if (sheet->sessions->len == 0)
    {
      g_autofree char *none = g_strdup_printf (_("No sessions taught in %d."), sheet->year);

      d->y += ROW;
      td_trainer_sheet_text (d, d->text, none, LEFT, WIDTH, ROW, PANGO_ALIGN_LEFT);
      d->y += ROW;
    }
  else
    {
      td_trainer_sheet_classes (d);
      td_trainer_sheet_sessions (d);
    }
  td_trainer_sheet_signatures (d);
  td_trainer_sheet_page_footer (d);
  if (d->cr)
    cairo_show_page (d->cr);
  return d->page;
}

static void
td_trainer_sheet_draw_init (TdTrainerSheetDraw *d,
                            TdTrainerSheet     *sheet)
{
  cairo_font_options_t *options = cairo_font_options_create ();

  *d = (TdTrainerSheetDraw) { .sheet = sheet };
  /* As the form's: 72 dpi, no hinting, so a page is the same on any target. */
  d->context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  pango_cairo_context_set_resolution (d->context, 72);
  pango_context_set_language (d->context, pango_language_get_default ());
  /* Noto CJK's quotes and apostrophes are full-width, as Chinese sets
   * them: in a sheet in another language, its proportional ones. */
  d->proportional = !pango_language_matches (pango_language_get_default (), "zh;ja;ko");
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (d->context, options);
  cairo_font_options_destroy (options);
  d->title = pango_font_description_from_string (FONT_TITLE);
  d->text = pango_font_description_from_string (FONT_TEXT);
  d->bold = pango_font_description_from_string (FONT_BOLD);
  d->small = pango_font_description_from_string (FONT_SMALL);
}

static void
td_trainer_sheet_draw_clear (TdTrainerSheetDraw *d)
{
  g_clear_object (&d->context);
  g_clear_pointer (&d->title, pango_font_description_free);
  g_clear_pointer (&d->text, pango_font_description_free);
  g_clear_pointer (&d->bold, pango_font_description_free);
  g_clear_pointer (&d->small, pango_font_description_free);
}

/**
 * td_trainer_sheet_count_pages:
 *
 * Returns: how many A4 pages the sheet prints on
 */
guint
td_trainer_sheet_count_pages (TdTrainerSheet *sheet)
{
  TdTrainerSheetDraw d;
  guint n;

  g_return_val_if_fail (sheet != NULL, 0);

  td_trainer_sheet_draw_init (&d, sheet);
  n = td_trainer_sheet_draw (&d);
  td_trainer_sheet_draw_clear (&d);
  return n;
}

/**
 * td_trainer_sheet_write_pdf:
 * @stream: where the PDF goes; left open
 *
 * Writes the sheet as an A4 PDF, with the school as its author. Blocking:
 * run it off the main loop.
 */
gboolean
td_trainer_sheet_write_pdf (TdTrainerSheet  *sheet,
                            GOutputStream   *stream,
                            GCancellable    *cancellable,
                            GError         **error)
{
  TdPdfStream out = { stream, cancellable, NULL };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *title = NULL;
  TdTrainerSheetDraw d;
  cairo_surface_t *surface;
  cairo_status_t status;

  g_return_val_if_fail (sheet != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  td_trainer_sheet_draw_init (&d, sheet);
  d.n_pages = td_trainer_sheet_draw (&d);

  /* Translators: the PDF's title: "Trainer’s hours and results, 2025: 王伟" */
  title = g_strdup_printf (_("Trainer’s hours and results, %d: %s"), sheet->year, sheet->trainer);
  surface = td_pdf_stream_surface_new (&out, PAGE_WIDTH, PAGE_HEIGHT, title, sheet->school, NULL,
                                       sheet->created ? sheet->created : now);
  d.cr = cairo_create (surface);
  td_trainer_sheet_draw (&d);
  status = cairo_status (d.cr);
  cairo_destroy (d.cr);
  td_trainer_sheet_draw_clear (&d);
  status = td_pdf_stream_finish (&out, surface, status);

  if (out.error)
    {
      g_propagate_error (error, out.error);
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not draw the trainer’s sheet as PDF: %s."), cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

/* td_pdf_file_save()'s writer. */
static gboolean
td_trainer_sheet_save_cb (gpointer        data,
                          GOutputStream  *stream,
                          GCancellable   *cancellable,
                          GError        **error)
{
  return td_trainer_sheet_write_pdf (data, stream, cancellable, error);
}

/**
 * td_trainer_sheet_save_pdf:
 *
 * Writes the PDF to @path, replacing it only once it is whole.
 */
gboolean
td_trainer_sheet_save_pdf (TdTrainerSheet  *sheet,
                           const char      *path,
                           GError         **error)
{
  g_return_val_if_fail (sheet != NULL, FALSE);

  return td_pdf_file_save (path, td_trainer_sheet_save_cb, sheet, error);
}
