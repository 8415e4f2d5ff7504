/* td-xlsx.c: reading and writing Excel workbooks (.xlsx)
 *
 * Reading takes the first visible worksheet (found through
 * xl/workbook.xml and its relationships, or xl/worksheets/sheet1.xml) and
 * streams its XML out of the zip into GMarkup, so a large sheet is never
 * held whole. Cells come out as the text Excel shows: shared and inline
 * strings (rich text runs joined, phonetic guides left out), numbers
 * without a needless ".0", dates in date-formatted cells as 2020-04-28,
 * percentages as 95%, booleans as TRUE/FALSE. Missing cells are empty.
 *
 * A workbook is a zip, and a zip can be a bomb: 103 KB once expanded to
 * 2.59 GB here, and a row with a cell in column XFD was padded to 16,384
 * cells. So every size is bounded (td-limits.h) and counted as it is
 * read, never taken from the zip's headers alone: what each part and all
 * of them expand to, and how many times over; the longest run of text or
 * tag GMarkup must buffer; rows, columns (a value beyond the last column
 * refuses the file, nothing is padded), cells, cell text, shared strings,
 * styles. Hitting one refuses the file with TD_TABLE_ERROR_LIMIT.
 *
 * Writing is in td-xlsx-write.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-xlsx"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "td-limits.h"
#include "td-xlsx.h"

/* Excel's limit: nothing beyond it is a row. */
#define MAX_ROWS    1048576

typedef enum
{
  FORMAT_GENERAL,
  FORMAT_DATE,
  FORMAT_TIME,
  FORMAT_PERCENT,
} NumberFormat;

typedef struct
{
  zip_t       *zip;
  const char  *display;      /* the file, for messages */

  /* xl/workbook.xml and its relationships */
  char        *sheet_rid;
  gboolean     sheet_hidden;
  gboolean     date1904;
  GHashTable  *targets;      /* relationship id -> part name */
  char        *shared_strings_part;
  char        *styles_part;

  GPtrArray   *shared;       /* char*, in shared_chunk */
  GStringChunk *shared_chunk;
  gsize        shared_bytes;
  GArray      *xf_formats;   /* NumberFormat per cell style (xf) */
  GHashTable  *custom;       /* numFmtId -> NumberFormat */

  guint64      expanded;     /* bytes read out of the zip, all parts */
  GError      *refusal;      /* a limit hit within a GMarkup callback */
} Workbook;

static void
td_xlsx_workbook_clear (Workbook *wb)
{
  if (wb->zip)
    zip_discard (wb->zip);
  g_free (wb->sheet_rid);
  g_clear_pointer (&wb->targets, g_hash_table_unref);
  g_free (wb->shared_strings_part);
  g_free (wb->styles_part);
  g_clear_pointer (&wb->shared, g_ptr_array_unref);
  g_clear_pointer (&wb->shared_chunk, g_string_chunk_free);
  g_clear_error (&wb->refusal);
  g_clear_pointer (&wb->xf_formats, g_array_unref);
  g_clear_pointer (&wb->custom, g_hash_table_unref);
}

/* "x:row" and "row" alike: some writers prefix every element. */
static const char *
td_xlsx_local_name (const char *name)
{
  const char *colon = strrchr (name, ':');

  return colon ? colon + 1 : name;
}

static const char *
td_xlsx_attribute (const char **names,
                   const char **values,
                   const char  *local)
{
  for (guint i = 0; names[i]; i++)
    if (g_str_equal (td_xlsx_local_name (names[i]), local))
      return values[i];
  return NULL;
}

static gboolean
td_xlsx_damaged (GError     **error,
                 const char  *display,
                 const char  *part,
                 const char  *detail)
{
  /* GMarkup quotes the bad bytes, which need not be UTF-8. */
  g_autofree char *valid_part = g_utf8_make_valid (part, -1);
  g_autofree char *valid_detail = g_utf8_make_valid (detail, -1);

  g_set_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_NOT_A_TABLE,
               _("The workbook “%s” is damaged (%s: %s). Open it in Excel or WPS and save it again."),
               display, valid_part, valid_detail);
  return FALSE;
}

/* The workbook is beyond a limit: @why says which. From a GMarkup
 * callback, the refusal is kept apart (GMarkup would put a position
 * before its words) and td_xlsx_parse_part() gives it. */
static gboolean
td_xlsx_refuse (Workbook    *wb,
                GError     **error,
                const char  *why)
{
  GError *refusal = g_error_new (TD_TABLE_ERROR, TD_TABLE_ERROR_LIMIT,
                                 _("The workbook “%s” is refused: %s. Is this the right file?"),
                                 wb->display, why);

  if (wb->refusal == NULL)
    wb->refusal = refusal;
  else
    g_error_free (refusal);
  g_set_error_literal (error, TD_TABLE_ERROR, TD_TABLE_ERROR_LIMIT, wb->refusal->message);
  return FALSE;
}

static gboolean
td_xlsx_refuse_size (Workbook    *wb,
                     GError     **error,
                     const char  *part,
                     guint64      limit)
{
  g_autofree char *size = g_format_size (limit);
  g_autofree char *why = part
    ? g_strdup_printf (_("its part %s expands to more than %s"), part, size)
    : g_strdup_printf (_("it expands to more than %s"), size);

  return td_xlsx_refuse (wb, error, why);
}

/* What GMarkup buffers whole before it calls back: a tag, a run of text
 * or a comment. Counted from each element's “<” on; a comment or CDATA
 * section counts whole. */
typedef enum
{
  RUN_NORMAL,
  RUN_LT,         /* after “<” */
  RUN_BANG,       /* after “<!” */
  RUN_COMMENT,    /* in <!-- … --> */
  RUN_CDATA,      /* in <![CDATA[ … ]]> */
  RUN_DECLARATION /* in <!DOCTYPE … > */
} RunState;

typedef struct
{
  RunState state;
  gsize    length;
  char     last[2];
} Run;

static gboolean
td_xlsx_run_feed (Run        *run,
                  const char *data,
                  gsize       n)
{
  for (gsize i = 0; i < n; i++)
    {
      char c = data[i];

      switch (run->state)
        {
        case RUN_NORMAL:
          if (c == '<')
            run->state = RUN_LT;
          break;
        case RUN_LT:
          if (c == '!')
            run->state = RUN_BANG;
          else
            {
              /* An element, an end tag, a processing instruction. */
              run->length = 1;
              run->state = RUN_NORMAL;
            }
          break;
        case RUN_BANG:
          run->state = c == '-' ? RUN_COMMENT : c == '[' ? RUN_CDATA : RUN_DECLARATION;
          break;
        case RUN_COMMENT:
        case RUN_CDATA:
          if (c == '>' && run->last[0] == run->last[1] &&
              run->last[1] == (run->state == RUN_COMMENT ? '-' : ']'))
            run->state = RUN_NORMAL;
          break;
        case RUN_DECLARATION:
          if (c == '>')
            run->state = RUN_NORMAL;
          break;
        default:
          g_assert_not_reached ();
        }
      run->last[0] = run->last[1];
      run->last[1] = c;
      if (++run->length > TD_LIMIT_XML_RUN)
        return FALSE;
    }
  return TRUE;
}

/* One part of the zip on its way through a GMarkup parser, a block at a
 * time, with what it expands to counted as it is read. */
#define BLOCK_SIZE (64 * 1024)

typedef struct
{
  Workbook            *wb;
  char                *part;
  zip_file_t          *file;
  GMarkupParseContext *context;
  guint64              compressed;  /* as declared, 0 if not */
  guint64              size;        /* expanded, as declared, 0 if not */
  guint64              expanded;    /* read so far */
  Run                  run;
  char                *buffer;
  gboolean             done;
} PartStream;

static void
td_xlsx_part_stream_close (PartStream *ps)
{
  g_clear_pointer (&ps->file, zip_fclose);
  g_clear_pointer (&ps->context, g_markup_parse_context_free);
  g_clear_pointer (&ps->buffer, g_free);
  g_clear_pointer (&ps->part, g_free);
}

/* Sets *found to FALSE for a part the workbook does not have (not an
 * error: the caller decides). */
static gboolean
td_xlsx_part_stream_open (PartStream           *ps,
                          Workbook             *wb,
                          const char           *part,
                          const GMarkupParser  *parser,
                          gpointer              user_data,
                          gboolean             *found,
                          GError              **error)
{
  zip_int64_t index;
  zip_stat_t st;

  memset (ps, 0, sizeof *ps);
  ps->wb = wb;
  *found = FALSE;
  index = zip_name_locate (wb->zip, part, ZIP_FL_NOCASE);
  if (index < 0)
    return TRUE;
  *found = TRUE;

  /* What the zip declares, first: a bomb is often refused unread. */
  zip_stat_init (&st);
  if (zip_stat_index (wb->zip, index, 0, &st) == 0)
    {
      if ((st.valid & ZIP_STAT_SIZE) && st.size > TD_LIMIT_XLSX_ENTRY)
        return td_xlsx_refuse_size (wb, error, part, TD_LIMIT_XLSX_ENTRY);
      if ((st.valid & ZIP_STAT_SIZE) && wb->expanded + st.size > TD_LIMIT_XLSX_UNCOMPRESSED)
        return td_xlsx_refuse_size (wb, error, NULL, TD_LIMIT_XLSX_UNCOMPRESSED);
      if (st.valid & ZIP_STAT_COMP_SIZE)
        ps->compressed = st.comp_size;
      if (st.valid & ZIP_STAT_SIZE)
        ps->size = st.size;
    }

  ps->file = zip_fopen_index (wb->zip, index, 0);
  if (ps->file == NULL)
    return td_xlsx_damaged (error, wb->display, part, zip_error_strerror (zip_get_error (wb->zip)));
  ps->part = g_strdup (part);
  ps->context = g_markup_parse_context_new (parser, G_MARKUP_PREFIX_ERROR_POSITION, user_data, NULL);
  ps->buffer = g_malloc (BLOCK_SIZE);
  return TRUE;
}

/* Feeds the parser one block, then what it expands to is checked; at the
 * part's end, ps->done. A limit hit in a callback is the error given. */
static gboolean
td_xlsx_part_stream_feed (PartStream  *ps,
                          GError     **error)
{
  Workbook *wb = ps->wb;
  const char *part = ps->part;
  g_autoptr(GError) local_error = NULL;
  zip_int64_t n = zip_fread (ps->file, ps->buffer, BLOCK_SIZE);

  if (n > 0)
    {
      ps->expanded += n;
      wb->expanded += n;
      if (ps->expanded > TD_LIMIT_XLSX_ENTRY)
        td_xlsx_refuse_size (wb, &local_error, part, TD_LIMIT_XLSX_ENTRY);
      else if (wb->expanded > TD_LIMIT_XLSX_UNCOMPRESSED)
        td_xlsx_refuse_size (wb, &local_error, NULL, TD_LIMIT_XLSX_UNCOMPRESSED);
      else if (ps->expanded > TD_LIMIT_XLSX_RATIO_FLOOR &&
               ps->expanded / MAX (ps->compressed, 1) > TD_LIMIT_XLSX_RATIO)
        {
          g_autofree char *why = g_strdup_printf (_("its part %s expands more than %u times over"),
                                                  part, TD_LIMIT_XLSX_RATIO);

          td_xlsx_refuse (wb, &local_error, why);
        }
      else if (!td_xlsx_run_feed (&ps->run, ps->buffer, n))
        {
          g_autofree char *size = g_format_size (TD_LIMIT_XML_RUN);
          g_autofree char *why = g_strdup_printf (_("its part %s holds a text or tag longer than %s"),
                                                  part, size);

          td_xlsx_refuse (wb, &local_error, why);
        }
      if (local_error == NULL)
        g_markup_parse_context_parse (ps->context, ps->buffer, n, &local_error);
    }
  else if (n < 0)
    td_xlsx_damaged (&local_error, wb->display, part, zip_error_strerror (zip_file_get_error (ps->file)));
  else
    {
      g_markup_parse_context_end_parse (ps->context, &local_error);
      ps->done = TRUE;
    }

  if (wb->refusal)
    {
      g_clear_error (&local_error);
      g_propagate_error (error, g_steal_pointer (&wb->refusal));
      return FALSE;
    }
  if (local_error)
    {
      if (local_error->domain == TD_TABLE_ERROR)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        td_xlsx_damaged (error, wb->display, part, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* Streams one part of the zip through @parser, whole. */
static gboolean
td_xlsx_parse_part (Workbook             *wb,
                    const char           *part,
                    const GMarkupParser  *parser,
                    gpointer              user_data,
                    gboolean             *found,
                    GError              **error)
{
  PartStream ps;
  gboolean ok;

  if (!td_xlsx_part_stream_open (&ps, wb, part, parser, user_data, found, error))
    return FALSE;
  if (!*found)
    return TRUE;
  do
    ok = td_xlsx_part_stream_feed (&ps, error);
  while (ok && !ps.done);
  td_xlsx_part_stream_close (&ps);
  return ok;
}

/* xl/workbook.xml: which sheet comes first, and the date system. */
static void
td_xlsx_workbook_start (GMarkupParseContext  *context,
                        const char           *element,
                        const char          **names,
                        const char          **values,
                        gpointer              user_data,
                        GError              **error)
{
  Workbook *wb = user_data;
  const char *name = td_xlsx_local_name (element);

  if (g_str_equal (name, "workbookPr"))
    {
      const char *d = td_xlsx_attribute (names, values, "date1904");

      wb->date1904 = d && (g_str_equal (d, "1") || g_ascii_strcasecmp (d, "true") == 0);
    }
  else if (g_str_equal (name, "sheet"))
    {
      const char *rid = NULL;
      const char *state = td_xlsx_attribute (names, values, "state");
      gboolean hidden = state && !g_str_equal (state, "visible");

      /* r:id, whatever the relationships namespace's prefix. */
      for (guint i = 0; names[i]; i++)
        if (strchr (names[i], ':') && g_str_equal (td_xlsx_local_name (names[i]), "id"))
          rid = values[i];
      if (rid == NULL)
        return;
      /* The first visible sheet; the first of all if every one is hidden. */
      if (wb->sheet_rid == NULL || (wb->sheet_hidden && !hidden))
        {
          g_free (wb->sheet_rid);
          wb->sheet_rid = g_strdup (rid);
          wb->sheet_hidden = hidden;
        }
    }
}

/* A relationship's target as a part name: relative to xl/, or absolute. */
static char *
td_xlsx_resolve_target (const char *target)
{
  if (target[0] == '/')
    return g_strdup (target + 1);
  if (g_str_has_prefix (target, "../"))
    return g_strdup (target + 3);
  return g_strconcat ("xl/", target, NULL);
}

static void
td_xlsx_rels_start (GMarkupParseContext  *context,
                    const char           *element,
                    const char          **names,
                    const char          **values,
                    gpointer              user_data,
                    GError              **error)
{
  Workbook *wb = user_data;
  const char *id, *type, *target;

  if (!g_str_equal (td_xlsx_local_name (element), "Relationship"))
    return;
  id = td_xlsx_attribute (names, values, "Id");
  type = td_xlsx_attribute (names, values, "Type");
  target = td_xlsx_attribute (names, values, "Target");
  if (id == NULL || target == NULL)
    return;
  if (g_hash_table_size (wb->targets) >= TD_LIMIT_XLSX_STYLES)
    {
      g_autofree char *why = g_strdup_printf (_("it has more than %u relationships"), TD_LIMIT_XLSX_STYLES);

      td_xlsx_refuse (wb, error, why);
      return;
    }

  g_hash_table_replace (wb->targets, g_strdup (id), td_xlsx_resolve_target (target));
  if (type && g_str_has_suffix (type, "/sharedStrings") && wb->shared_strings_part == NULL)
    wb->shared_strings_part = td_xlsx_resolve_target (target);
  else if (type && g_str_has_suffix (type, "/styles") && wb->styles_part == NULL)
    wb->styles_part = td_xlsx_resolve_target (target);
}

/* "_x000D_": how OOXML writes characters XML cannot hold. */
static void
td_xlsx_decode_escapes (GString *s)
{
  gsize r = 0, w = 0;

  if (strstr (s->str, "_x") == NULL)
    return;
  while (r < s->len)
    {
      if (r + 7 <= s->len && s->str[r] == '_' && s->str[r + 1] == 'x' && s->str[r + 6] == '_' &&
          g_ascii_isxdigit (s->str[r + 2]) && g_ascii_isxdigit (s->str[r + 3]) &&
          g_ascii_isxdigit (s->str[r + 4]) && g_ascii_isxdigit (s->str[r + 5]))
        {
          char hex[5] = { s->str[r + 2], s->str[r + 3], s->str[r + 4], s->str[r + 5], 0 };
          gunichar c = (gunichar)g_ascii_strtoull (hex, NULL, 16);
          char utf8[6];
          int len;

          /* A CR before a new line is Windows' line end: one new line. */
          if (c == '\r')
            {
              r += 7;
              continue;
            }
          len = g_unichar_to_utf8 (c, utf8);
          /* Never longer than the seven characters it replaces. */
          memcpy (s->str + w, utf8, len);
          w += len;
          r += 7;
          continue;
        }
      s->str[w++] = s->str[r++];
    }
  g_string_truncate (s, w);
}

static gboolean
td_xlsx_refuse_cell (Workbook  *wb,
                     GError   **error,
                     guint      row)
{
  g_autofree char *size = g_format_size (TD_LIMIT_CELL_TEXT);
  g_autofree char *why = row
    ? g_strdup_printf (_("a cell in row %u holds more than %s of text"), row, size)
    : g_strdup_printf (_("a shared string holds more than %s of text"), size);

  return td_xlsx_refuse (wb, error, why);
}

/* xl/sharedStrings.xml */
typedef struct
{
  Workbook *wb;
  GString  *text;
  gboolean  in_t;
  guint     phonetic;  /* depth in <rPh>: a reading guide, not the text */
} StringsParser;

static void
td_xlsx_strings_start (GMarkupParseContext  *context,
                       const char           *element,
                       const char          **names,
                       const char          **values,
                       gpointer              user_data,
                       GError              **error)
{
  StringsParser *p = user_data;
  const char *name = td_xlsx_local_name (element);

  if (g_str_equal (name, "si"))
    g_string_truncate (p->text, 0);
  else if (g_str_equal (name, "rPh"))
    p->phonetic++;
  else if (g_str_equal (name, "t"))
    p->in_t = p->phonetic == 0;
}

static void
td_xlsx_strings_end (GMarkupParseContext  *context,
                     const char           *element,
                     gpointer              user_data,
                     GError              **error)
{
  StringsParser *p = user_data;
  const char *name = td_xlsx_local_name (element);

  if (g_str_equal (name, "si"))
    {
      Workbook *wb = p->wb;

      td_xlsx_decode_escapes (p->text);
      if (wb->shared->len >= TD_LIMIT_SHARED_STRINGS)
        {
          g_autofree char *why = g_strdup_printf (_("it has more than %u shared strings"),
                                                  TD_LIMIT_SHARED_STRINGS);

          td_xlsx_refuse (wb, error, why);
          return;
        }
      wb->shared_bytes += p->text->len + 1;
      if (wb->shared_bytes > TD_LIMIT_SHARED_TEXT)
        {
          g_autofree char *size = g_format_size (TD_LIMIT_SHARED_TEXT);
          g_autofree char *why = g_strdup_printf (_("its shared strings hold more than %s of text"), size);

          td_xlsx_refuse (wb, error, why);
          return;
        }
      g_ptr_array_add (wb->shared, g_string_chunk_insert_len (wb->shared_chunk, p->text->str, p->text->len));
    }
  else if (g_str_equal (name, "rPh"))
    p->phonetic--;
  else if (g_str_equal (name, "t"))
    p->in_t = FALSE;
}

static void
td_xlsx_strings_text (GMarkupParseContext  *context,
                      const char           *text,
                      gsize                 length,
                      gpointer              user_data,
                      GError              **error)
{
  StringsParser *p = user_data;

  if (!p->in_t)
    return;
  if (p->text->len + length > TD_LIMIT_CELL_TEXT)
    {
      td_xlsx_refuse_cell (p->wb, error, 0);
      return;
    }
  g_string_append_len (p->text, text, length);
}

/* What a number format shows: a date, a time, a percentage, a number. */
static NumberFormat
td_xlsx_classify_format_code (const char *code)
{
  gboolean date = FALSE, time = FALSE, percent = FALSE;

  for (const char *p = code; *p; p++)
    {
      char c = g_ascii_tolower (*p);

      if (*p == '"')
        {
          /* Literal text: "年" in yyyy"年"m"月". */
          while (p[1] && p[1] != '"')
            p++;
          if (p[1])
            p++;
        }
      else if (*p == '[')
        {
          /* [Red], [$-804], [DBNum1]; but [h] is elapsed time. */
          if (g_ascii_tolower (p[1]) == 'h' || g_ascii_tolower (p[1]) == 'm' || g_ascii_tolower (p[1]) == 's')
            time = TRUE;
          while (p[1] && p[1] != ']')
            p++;
          if (p[1])
            p++;
        }
      else if (*p == '\\' || *p == '_' || *p == '*')
        {
          if (p[1])
            p++;
        }
      else if (c == 'y' || c == 'd' || c == 'e')
        date = TRUE;
      else if (c == 'h' || c == 's')
        time = TRUE;
      else if (c == 'm')
        date = TRUE;
      else if (c == '%')
        percent = TRUE;
      else if (c == 'g' && g_ascii_strncasecmp (p, "general", 7) == 0)
        p += 6;
    }

  if (date && !time)
    return FORMAT_DATE;
  if (date && time)
    {
      /* "h:mm" uses m for minutes: a time, unless y or d is there too. */
      for (const char *p = code; *p; p++)
        if (g_ascii_tolower (*p) == 'y' || g_ascii_tolower (*p) == 'd')
          return FORMAT_DATE;
      return FORMAT_TIME;
    }
  if (time)
    return FORMAT_TIME;
  if (percent)
    return FORMAT_PERCENT;
  return FORMAT_GENERAL;
}

/* Excel's built-in formats, including the Chinese ones (27–36, 50–58). */
static NumberFormat
td_xlsx_builtin_format (guint id)
{
  switch (id)
    {
    case 9: case 10:
      return FORMAT_PERCENT;
    case 14: case 15: case 16: case 17: case 22:
    case 27: case 28: case 29: case 30: case 31: case 36:
    case 50: case 51: case 52: case 53: case 54: case 57: case 58:
      return FORMAT_DATE;
    case 18: case 19: case 20: case 21: case 32: case 33: case 34: case 35:
    case 45: case 46: case 47: case 55: case 56:
      return FORMAT_TIME;
    default:
      return FORMAT_GENERAL;
    }
}

static gboolean
td_xlsx_refuse_styles (Workbook  *wb,
                       GError   **error)
{
  g_autofree char *why = g_strdup_printf (_("it has more than %u cell styles"), TD_LIMIT_XLSX_STYLES);

  return td_xlsx_refuse (wb, error, why);
}

/* xl/styles.xml: the number format of each cell style. */
typedef struct
{
  Workbook *wb;
  gboolean  in_cell_xfs;
} StylesParser;

static void
td_xlsx_styles_start (GMarkupParseContext  *context,
                      const char           *element,
                      const char          **names,
                      const char          **values,
                      gpointer              user_data,
                      GError              **error)
{
  StylesParser *p = user_data;
  const char *name = td_xlsx_local_name (element);

  if (g_str_equal (name, "numFmt"))
    {
      const char *id = td_xlsx_attribute (names, values, "numFmtId");
      const char *code = td_xlsx_attribute (names, values, "formatCode");

      if (g_hash_table_size (p->wb->custom) >= TD_LIMIT_XLSX_STYLES)
        {
          td_xlsx_refuse_styles (p->wb, error);
          return;
        }
      if (id && code)
        g_hash_table_insert (p->wb->custom, GUINT_TO_POINTER ((guint)g_ascii_strtoull (id, NULL, 10)),
                             GINT_TO_POINTER (td_xlsx_classify_format_code (code)));
    }
  else if (g_str_equal (name, "cellXfs"))
    p->in_cell_xfs = TRUE;
  else if (g_str_equal (name, "xf") && p->in_cell_xfs)
    {
      const char *id_text = td_xlsx_attribute (names, values, "numFmtId");
      guint id = id_text ? (guint)g_ascii_strtoull (id_text, NULL, 10) : 0;
      gpointer custom;
      NumberFormat format;

      if (p->wb->xf_formats->len >= TD_LIMIT_XLSX_STYLES)
        {
          td_xlsx_refuse_styles (p->wb, error);
          return;
        }
      if (g_hash_table_lookup_extended (p->wb->custom, GUINT_TO_POINTER (id), NULL, &custom))
        format = GPOINTER_TO_INT (custom);
      else
        format = td_xlsx_builtin_format (id);
      g_array_append_val (p->wb->xf_formats, format);
    }
}

static void
td_xlsx_styles_end (GMarkupParseContext  *context,
                    const char           *element,
                    gpointer              user_data,
                    GError              **error)
{
  StylesParser *p = user_data;

  if (g_str_equal (td_xlsx_local_name (element), "cellXfs"))
    p->in_cell_xfs = FALSE;
}

/* The worksheet. */
typedef enum
{
  CELL_NUMBER,
  CELL_SHARED,
  CELL_INLINE,
  CELL_STRING,
  CELL_BOOLEAN,
  CELL_ERROR,
  CELL_DATE,
} CellType;

/* A row of the sheet, as it came out of it. */
typedef struct
{
  guint  line;     /* the sheet's row number */
  guint  n_cells;
  char **cells;
} SheetRow;

static void
td_xlsx_sheet_row_free (SheetRow *row)
{
  g_strfreev (row->cells);
  g_free (row);
}

typedef struct
{
  Workbook *wb;
  GPtrArray *cells;     /* the current row's, char* */
  GQueue    rows;       /* SheetRow*: read, not yet given out */
  guint     row;        /* the sheet's row number, from 1; 0 before the first */
  guint     n_cells;    /* cells of the current row so far */
  gboolean  in_row;
  guint     n_rows;     /* in the table */
  guint64   n_table_cells;
  guint64   text_bytes; /* copied into the table */

  guint     column;     /* the current cell's, from 0 */
  CellType  type;
  NumberFormat format;
  GString  *value;
  gboolean  in_v;       /* <v>, or <t> within <is> */
  gboolean  in_is;
  guint     phonetic;
} SheetParser;

/* "C5" -> 2; -1 without letters. Past the last column read, the column
 * after it (TD_LIMIT_TABLE_COLUMNS): beyond the limit is beyond. */
static int
td_xlsx_column_of (const char *ref)
{
  int column = 0;
  const char *p;

  for (p = ref; g_ascii_isalpha (*p); p++)
    column = MIN (column * 26 + (g_ascii_toupper (*p) - 'A' + 1), TD_LIMIT_TABLE_COLUMNS + 1);
  return p == ref ? -1 : column - 1;
}

static void
td_xlsx_sheet_start (GMarkupParseContext  *context,
                     const char           *element,
                     const char          **names,
                     const char          **values,
                     gpointer              user_data,
                     GError              **error)
{
  SheetParser *p = user_data;
  const char *name = td_xlsx_local_name (element);

  if (g_str_equal (name, "row"))
    {
      const char *r = td_xlsx_attribute (names, values, "r");
      guint64 number = r ? g_ascii_strtoull (r, NULL, 10) : 0;

      if (p->n_rows >= TD_LIMIT_TABLE_ROWS)
        {
          g_autofree char *why = g_strdup_printf (_("it has more than %u rows"), TD_LIMIT_TABLE_ROWS);

          td_xlsx_refuse (p->wb, error, why);
          return;
        }
      p->row = number > p->row && number <= MAX_ROWS ? (guint)number : p->row + 1;
      p->n_cells = 0;
      p->in_row = TRUE;
      p->n_rows++;
      g_ptr_array_set_size (p->cells, 0);
    }
  else if (g_str_equal (name, "c") && p->in_row)
    {
      const char *r = td_xlsx_attribute (names, values, "r");
      const char *t = td_xlsx_attribute (names, values, "t");
      const char *s = td_xlsx_attribute (names, values, "s");
      int column = r ? td_xlsx_column_of (r) : -1;
      guint64 style = s ? g_ascii_strtoull (s, NULL, 10) : 0;

      /* Cells in order; one without a reference follows the last. */
      p->column = column >= (int)p->n_cells ? (guint)column : p->n_cells;
      if (t == NULL || g_str_equal (t, "n"))
        p->type = CELL_NUMBER;
      else if (g_str_equal (t, "s"))
        p->type = CELL_SHARED;
      else if (g_str_equal (t, "inlineStr"))
        p->type = CELL_INLINE;
      else if (g_str_equal (t, "b"))
        p->type = CELL_BOOLEAN;
      else if (g_str_equal (t, "e"))
        p->type = CELL_ERROR;
      else if (g_str_equal (t, "d"))
        p->type = CELL_DATE;
      else
        p->type = CELL_STRING;
      p->format = style < p->wb->xf_formats->len
        ? g_array_index (p->wb->xf_formats, NumberFormat, style) : FORMAT_GENERAL;
      g_string_truncate (p->value, 0);
      p->in_is = FALSE;
      p->phonetic = 0;
    }
  else if (g_str_equal (name, "v"))
    p->in_v = TRUE;
  else if (g_str_equal (name, "is"))
    p->in_is = TRUE;
  else if (g_str_equal (name, "rPh"))
    p->phonetic++;
  else if (g_str_equal (name, "t") && p->in_is)
    p->in_v = p->phonetic == 0;
}

static void
td_xlsx_format_serial (GString      *out,
                       double        serial,
                       NumberFormat  format,
                       gboolean      date1904)
{
  double days = floor (serial);
  double seconds = round ((serial - days) * 86400);

  if (format == FORMAT_TIME)
    {
      guint s = (guint)seconds;

      g_string_printf (out, "%02u:%02u:%02u", s / 3600 % 24, s / 60 % 60, s % 60);
      return;
    }

  if (days >= 1 && days < 2958466)
    {
      GDate date;

      if (date1904)
        g_date_set_dmy (&date, 1, 1, 1904);
      else if (days >= 61)
        g_date_set_dmy (&date, 30, 12, 1899);
      else
        /* Before Excel's 1900-02-29, which never was. */
        g_date_set_dmy (&date, 31, 12, 1899);
      g_date_add_days (&date, (guint)days);
      g_string_printf (out, "%04u-%02u-%02u",
                       g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date));
    }
}

static void
td_xlsx_format_number (GString      *value,
                       NumberFormat  format,
                       gboolean      date1904)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char *end = NULL;
  double d = g_ascii_strtod (value->str, &end);

  if (end == value->str || *end != '\0' || !isfinite (d))
    return;

  switch (format)
    {
    case FORMAT_DATE:
    case FORMAT_TIME:
      td_xlsx_format_serial (value, d, format, date1904);
      return;

    case FORMAT_PERCENT:
      g_string_printf (value, "%s%%", g_ascii_formatd (buf, sizeof buf, "%.13g", d * 100));
      return;

    case FORMAT_GENERAL:
    default:
      /* What Excel shows: 15 significant digits, and 3 not 3.0. */
      if (d == floor (d) && fabs (d) < 1e15)
        g_string_printf (value, "%s", g_ascii_formatd (buf, sizeof buf, "%.0f", d));
      else
        g_string_printf (value, "%s", g_ascii_formatd (buf, sizeof buf, "%.15g", d));
      return;
    }
}

/* A value of @length bytes in the current cell: within the limits, or
 * the workbook refused. Nothing is padded before this says yes. */
static gboolean
td_xlsx_check_cell (SheetParser  *p,
                    gsize         length,
                    GError      **error)
{
  if (p->column >= TD_LIMIT_TABLE_COLUMNS)
    {
      g_autofree char *why = g_strdup_printf (_("row %u has a value beyond column %u, the last that "
                                                "Training Desk reads; delete what lies to the right of "
                                                "the list"), p->row, TD_LIMIT_TABLE_COLUMNS);

      return td_xlsx_refuse (p->wb, error, why);
    }
  p->n_table_cells += p->column + 1 - p->n_cells;
  if (p->n_table_cells > TD_LIMIT_TABLE_CELLS)
    {
      g_autofree char *why = g_strdup_printf (_("it has more than %u cells"), TD_LIMIT_TABLE_CELLS);

      return td_xlsx_refuse (p->wb, error, why);
    }
  if (length > TD_LIMIT_CELL_TEXT)
    return td_xlsx_refuse_cell (p->wb, error, p->row);
  p->text_bytes += length + 1;
  if (p->text_bytes > TD_LIMIT_TABLE_TEXT)
    {
      g_autofree char *size = g_format_size (TD_LIMIT_TABLE_TEXT);
      g_autofree char *why = g_strdup_printf (_("its cells hold more than %s of text"), size);

      return td_xlsx_refuse (p->wb, error, why);
    }
  return TRUE;
}

static void
td_xlsx_sheet_end (GMarkupParseContext  *context,
                   const char           *element,
                   gpointer              user_data,
                   GError              **error)
{
  SheetParser *p = user_data;
  const char *name = td_xlsx_local_name (element);

  if (g_str_equal (name, "c") && p->in_row)
    {
      const char *text = p->value->str;

      switch (p->type)
        {
        case CELL_SHARED:
          {
            char *end = NULL;
            guint64 index = g_ascii_strtoull (text, &end, 10);

            /* Digits only: "abc" is no index (strtoull reads it as 0). */
            if (!g_ascii_isdigit (text[0]) || *end != '\0' || index >= p->wb->shared->len)
              {
                g_autofree char *excerpt = td_limit_excerpt (text);
                g_autofree char *detail = g_strdup_printf ("shared string “%s”", excerpt);

                td_xlsx_damaged (error, p->wb->display, "xl/sharedStrings.xml", detail);
                return;
              }
            text = g_ptr_array_index (p->wb->shared, index);
          }
          break;
        case CELL_NUMBER:
          td_xlsx_format_number (p->value, p->format, p->wb->date1904);
          text = p->value->str;
          break;
        case CELL_BOOLEAN:
          text = g_str_equal (text, "1") || g_ascii_strcasecmp (text, "true") == 0 ? "TRUE" : "FALSE";
          break;
        case CELL_DATE:
          /* ISO 8601: the date, without a midnight time. */
          if (strlen (text) > 10 && text[10] == 'T' && g_str_has_suffix (text, "T00:00:00"))
            g_string_truncate (p->value, 10);
          text = p->value->str;
          break;
        case CELL_INLINE:
        case CELL_STRING:
          td_xlsx_decode_escapes (p->value);
          text = p->value->str;
          break;
        case CELL_ERROR:
        default:
          break;
        }

      if (text[0] == '\0')
        return;
      if (!td_xlsx_check_cell (p, strlen (text), error))
        return;
      while (p->n_cells < p->column)
        {
          g_ptr_array_add (p->cells, g_strdup (""));
          p->n_cells++;
        }
      g_ptr_array_add (p->cells, g_strdup (text));
      p->n_cells++;
    }
  else if (g_str_equal (name, "row") && p->in_row)
    {
      SheetRow *row = g_new (SheetRow, 1);

      row->line = p->row;
      row->n_cells = p->cells->len;
      g_ptr_array_add (p->cells, NULL);
      row->cells = (char **)g_ptr_array_steal (p->cells, NULL);
      g_queue_push_tail (&p->rows, row);
      p->in_row = FALSE;
    }
  else if (g_str_equal (name, "v"))
    p->in_v = FALSE;
  else if (g_str_equal (name, "is"))
    p->in_is = FALSE;
  else if (g_str_equal (name, "rPh"))
    p->phonetic--;
  else if (g_str_equal (name, "t") && p->in_is)
    p->in_v = FALSE;
}

static void
td_xlsx_sheet_text (GMarkupParseContext  *context,
                    const char           *text,
                    gsize                 length,
                    gpointer              user_data,
                    GError              **error)
{
  SheetParser *p = user_data;

  if (!p->in_v)
    return;
  if (p->value->len + length > TD_LIMIT_CELL_TEXT)
    {
      td_xlsx_refuse_cell (p->wb, error, p->row);
      return;
    }
  g_string_append_len (p->value, text, length);
}

static gboolean
td_xlsx_open_zip (Workbook    *wb,
                  const char  *path,
                  GError     **error)
{
  int code = 0;
  zip_error_t ze;

  wb->zip = zip_open (path, ZIP_RDONLY, &code);
  if (wb->zip != NULL)
    return TRUE;

  if (code == ZIP_ER_NOZIP || code == ZIP_ER_INCONS)
    {
      char magic[4] = { 0 };
      FILE *f = g_fopen (path, "rb");
      gboolean ole = FALSE;

      if (f)
        {
          ole = fread (magic, 1, 4, f) == 4 && memcmp (magic, "\xD0\xCF\x11\xE0", 4) == 0;
          fclose (f);
        }
      if (ole)
        g_set_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_NOT_A_TABLE,
                     _("“%s” is an old Excel workbook (.xls) or one protected by a password. "
                       "Open it in Excel or WPS and save it as .xlsx without a password."),
                     wb->display);
      else
        g_set_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_NOT_A_TABLE,
                     _("“%s” is not an Excel workbook (.xlsx). Open it in Excel or WPS and save it as .xlsx."),
                     wb->display);
      return FALSE;
    }

  zip_error_init_with_code (&ze, code);
  if (code == ZIP_ER_NOENT || code == ZIP_ER_OPEN || code == ZIP_ER_READ)
    g_set_error (error, G_FILE_ERROR, code == ZIP_ER_NOENT ? G_FILE_ERROR_NOENT : G_FILE_ERROR_FAILED,
                 _("Cannot open “%s”: %s."), wb->display,
                 code == ZIP_ER_NOENT ? g_strerror (ENOENT) : zip_error_strerror (&ze));
  else
    g_set_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_NOT_A_TABLE,
                 _("Cannot open “%s”: %s."), wb->display, zip_error_strerror (&ze));
  zip_error_fini (&ze);
  return FALSE;
}

struct _TdXlsxReader
{
  char        *path;
  char        *display;
  Workbook     wb;
  guint64      expanded_before;  /* by the parts read at the start */
  char        *sheet_part;
  PartStream   sheet_stream;
  SheetParser  sheet;
  SheetRow    *given;            /* the row last given out */
  double       fraction;
};

static const GMarkupParser sheet_parser = { td_xlsx_sheet_start, td_xlsx_sheet_end, td_xlsx_sheet_text };

void
td_xlsx_reader_free (TdXlsxReader *self)
{
  if (self == NULL)
    return;
  td_xlsx_part_stream_close (&self->sheet_stream);
  g_queue_clear_full (&self->sheet.rows, (GDestroyNotify)td_xlsx_sheet_row_free);
  g_clear_pointer (&self->sheet.cells, g_ptr_array_unref);
  if (self->sheet.value != NULL)
    g_string_free (self->sheet.value, TRUE);
  g_clear_pointer (&self->given, td_xlsx_sheet_row_free);
  td_xlsx_workbook_clear (&self->wb);
  g_free (self->sheet_part);
  g_free (self->display);
  g_free (self->path);
  g_free (self);
}

/* The sheet from its first row again, its limits counted afresh. */
static gboolean
td_xlsx_reader_open_sheet (TdXlsxReader  *self,
                           GError       **error)
{
  SheetParser *p = &self->sheet;
  gboolean found;

  td_xlsx_part_stream_close (&self->sheet_stream);
  g_queue_clear_full (&p->rows, (GDestroyNotify)td_xlsx_sheet_row_free);
  g_ptr_array_set_size (p->cells, 0);
  g_clear_pointer (&self->given, td_xlsx_sheet_row_free);
  p->row = p->n_cells = p->n_rows = 0;
  p->in_row = p->in_v = p->in_is = FALSE;
  p->n_table_cells = p->text_bytes = 0;
  p->phonetic = 0;
  self->wb.expanded = self->expanded_before;
  self->fraction = 0;
  if (!td_xlsx_part_stream_open (&self->sheet_stream, &self->wb, self->sheet_part, &sheet_parser, p,
                                 &found, error))
    return FALSE;
  if (!found)
    return td_xlsx_damaged (error, self->display, self->sheet_part, _("the worksheet is missing"));
  return TRUE;
}

/* Opens the workbook and reads all but the sheet: its first visible
 * sheet's name, the date system, the styles and the shared strings. */
static gboolean
td_xlsx_reader_load (TdXlsxReader  *self,
                     GError       **error)
{
  static const GMarkupParser workbook_parser = { td_xlsx_workbook_start };
  static const GMarkupParser rels_parser = { td_xlsx_rels_start };
  static const GMarkupParser strings_parser = { td_xlsx_strings_start, td_xlsx_strings_end, td_xlsx_strings_text };
  static const GMarkupParser styles_parser = { td_xlsx_styles_start, td_xlsx_styles_end };
  g_autoptr(GString) text = g_string_new (NULL);
  Workbook *wb = &self->wb;
  StringsParser strings = { wb, text };
  StylesParser styles = { wb };
  const char *sheet_part = NULL;
  gboolean found;

  td_xlsx_part_stream_close (&self->sheet_stream);
  td_xlsx_workbook_clear (wb);
  memset (wb, 0, sizeof *wb);
  g_clear_pointer (&self->sheet_part, g_free);
  wb->display = self->display;
  wb->targets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  wb->shared = g_ptr_array_new ();
  wb->shared_chunk = g_string_chunk_new (64 * 1024);
  wb->xf_formats = g_array_new (FALSE, FALSE, sizeof (NumberFormat));
  wb->custom = g_hash_table_new (NULL, NULL);

  if (!td_xlsx_open_zip (wb, self->path, error))
    return FALSE;
  if (!td_xlsx_parse_part (wb, "xl/workbook.xml", &workbook_parser, wb, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, TD_TABLE_ERROR, TD_TABLE_ERROR_NOT_A_TABLE,
                   _("“%s” is not an Excel workbook (.xlsx). Open it in Excel or WPS and save it as .xlsx."),
                   self->display);
      return FALSE;
    }
  if (!td_xlsx_parse_part (wb, "xl/_rels/workbook.xml.rels", &rels_parser, wb, &found, error))
    return FALSE;
  if (!td_xlsx_parse_part (wb, wb->styles_part ? wb->styles_part : "xl/styles.xml", &styles_parser, &styles,
                           &found, error))
    return FALSE;
  if (!td_xlsx_parse_part (wb, wb->shared_strings_part ? wb->shared_strings_part : "xl/sharedStrings.xml",
                           &strings_parser, &strings, &found, error))
    return FALSE;

  if (wb->sheet_rid)
    sheet_part = g_hash_table_lookup (wb->targets, wb->sheet_rid);
  if (sheet_part == NULL || zip_name_locate (wb->zip, sheet_part, ZIP_FL_NOCASE) < 0)
    sheet_part = "xl/worksheets/sheet1.xml";
  self->sheet_part = g_strdup (sheet_part);
  self->expanded_before = wb->expanded;
  return td_xlsx_reader_open_sheet (self, error);
}

/**
 * td_xlsx_reader_new:
 *
 * Opens the workbook @path for reading its first visible sheet row by
 * row: its shared strings and styles are read now, the sheet's rows as
 * they are asked for, so memory stays bounded whatever its length.
 *
 * Returns: (transfer full) (nullable): the reader, or %NULL with @error.
 */
TdXlsxReader *
td_xlsx_reader_new (const char  *path,
                    GError     **error)
{
  g_autoptr(TdXlsxReader) self = g_new0 (TdXlsxReader, 1);

  self->path = g_strdup (path);
  self->display = g_filename_display_name (path);
  self->sheet.wb = &self->wb;
  self->sheet.cells = g_ptr_array_new_with_free_func (g_free);
  self->sheet.value = g_string_new (NULL);
  g_queue_init (&self->sheet.rows);
  if (!td_xlsx_reader_load (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * td_xlsx_reader_rewind:
 *
 * Goes back to the sheet's first row. The file is opened again, as a CSV
 * file is, so a workbook saved anew in between is read as it is now
 * (the import compares the two readings).
 */
gboolean
td_xlsx_reader_rewind (TdXlsxReader  *self,
                       GError       **error)
{
  return td_xlsx_reader_load (self, error);
}

/**
 * td_xlsx_reader_next:
 * @cells: (out): the row's cells, valid until the next call
 * @line: (out): the sheet's row number
 *
 * Returns: %TRUE with the next row; %FALSE at the sheet's end, or with
 *   @error set when the workbook is td_xlsx_damaged or beyond a limit.
 */
gboolean
td_xlsx_reader_next (TdXlsxReader        *self,
                     const char * const **cells,
                     guint               *n_cells,
                     guint               *line,
                     GError             **error)
{
  PartStream *ps = &self->sheet_stream;

  g_clear_pointer (&self->given, td_xlsx_sheet_row_free);
  while (g_queue_is_empty (&self->sheet.rows))
    {
      if (ps->done)
        self->fraction = 1.0;
      if (ps->file == NULL || ps->done)
        return FALSE;
      if (!td_xlsx_part_stream_feed (ps, error))
        {
          /* Nothing more from a sheet found bad: rewind to read again. */
          td_xlsx_part_stream_close (ps);
          g_queue_clear_full (&self->sheet.rows, (GDestroyNotify)td_xlsx_sheet_row_free);
          return FALSE;
        }
    }
  self->given = g_queue_pop_head (&self->sheet.rows);
  *cells = (const char * const *)self->given->cells;
  *n_cells = self->given->n_cells;
  *line = self->given->line;
  if (ps->size > 0)
    self->fraction = MAX (self->fraction, MIN ((double)ps->expanded / ps->size, 1.0));
  return TRUE;
}

/* How far into the sheet the rows given out are, from 0 to 1. */
double
td_xlsx_reader_get_fraction (TdXlsxReader *self)
{
  return self->fraction;
}

/**
 * td_xlsx_read:
 *
 * Returns: (transfer full) (nullable): the rows of the workbook's first
 *   visible sheet, each with its row number.
 */
TdTable *
td_xlsx_read (const char  *path,
              GError     **error)
{
  g_autoptr(TdXlsxReader) reader = td_xlsx_reader_new (path, error);
  g_autoptr(TdTable) table = NULL;
  g_autoptr(GError) local_error = NULL;
  const char * const *cells;
  guint n_cells, line;

  if (reader == NULL)
    return NULL;
  table = td_table_new ();
  while (td_xlsx_reader_next (reader, &cells, &n_cells, &line, &local_error))
    td_table_add_cells (table, line, cells, n_cells);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&table);
}
