/* td-divisions.c: China's administrative divisions (GB/T 2260)
 *
 * The three CSV files of resources/divisions/ are shipped unchanged as a
 * resource and read once, on first use.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-divisions"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "td-divisions.h"

#define DIVISIONS_PATH RESOURCE_PATH "/core/divisions/"

typedef struct
{
  GStringChunk *strings;
  GHashTable   *by_code;      /* code -> TdDivision* */
  GHashTable   *children;     /* parent code -> GPtrArray of TdDivision* */
} Divisions;

/* One CSV field: plain, or "quoted" with "" for a quote. */
static const char *
td_divisions_next_field (const char **cursor,
                         GString     *buf)
{
  const char *p = *cursor;

  g_string_truncate (buf, 0);
  if (*p == '"')
    {
      for (p++; *p; p++)
        {
          if (*p == '"' && p[1] == '"')
            g_string_append_c (buf, *p++);
          else if (*p == '"')
            {
              p++;
              break;
            }
          else
            g_string_append_c (buf, *p);
        }
    }
  else
    for (; *p && *p != ','; p++)
      g_string_append_c (buf, *p);

  if (*p == ',')
    p++;
  *cursor = p;
  return buf->str;
}

static void
td_divisions_load_file (Divisions  *divisions,
                        const char *name,
                        guint       parent_column)
{
  g_autofree char *path = g_strconcat (DIVISIONS_PATH, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, &error);
  g_autoptr(GString) field = g_string_new (NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (bytes == NULL)
    g_error ("Division data %s is missing from the build: %s", path, error->message);

  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  lines = g_strsplit (text, "\n", -1);

  /* Line 0 is the header. */
  for (guint i = 1; lines[i]; i++)
    {
      const char *cursor = g_strchomp (lines[i]);
      TdDivision *division;
      GPtrArray *siblings;

      if (*cursor == '\0')
        continue;

      division = g_new0 (TdDivision, 1);
      division->code = g_string_chunk_insert_const (divisions->strings, td_divisions_next_field (&cursor, field));
      division->name = g_string_chunk_insert_const (divisions->strings, td_divisions_next_field (&cursor, field));
      for (guint column = 2; column <= parent_column; column++)
        td_divisions_next_field (&cursor, field);
      if (parent_column > 0)
        division->parent = g_string_chunk_insert_const (divisions->strings, field->str);

      g_hash_table_insert (divisions->by_code, (char *)division->code, division);

      if (division->parent == NULL)
        continue;
      siblings = g_hash_table_lookup (divisions->children, division->parent);
      if (siblings == NULL)
        {
          siblings = g_ptr_array_new ();
          g_hash_table_insert (divisions->children, (char *)division->parent, siblings);
        }
      g_ptr_array_add (siblings, division);
    }
}

static Divisions *
td_divisions_get_divisions (void)
{
  static Divisions *divisions;

  if (g_once_init_enter (&divisions))
    {
      Divisions *d = g_new0 (Divisions, 1);

      d->strings = g_string_chunk_new (4096);
      d->by_code = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      d->children = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify)g_ptr_array_unref);
      td_divisions_load_file (d, "provinces.csv", 0);
      td_divisions_load_file (d, "cities.csv", 2);
      td_divisions_load_file (d, "areas.csv", 2);
      g_once_init_leave (&divisions, d);
    }

  return divisions;
}

const TdDivision *
td_divisions_lookup (const char *code)
{
  if (code == NULL || *code == '\0')
    return NULL;
  return g_hash_table_lookup (td_divisions_get_divisions ()->by_code, code);
}

/**
 * td_divisions_children:
 *
 * Returns: (transfer container) (element-type TdDivision): the divisions
 *   directly under @parent_code, in code order; empty if there are none.
 */
GPtrArray *
td_divisions_children (const char *parent_code)
{
  GPtrArray *children = NULL;

  if (parent_code != NULL)
    children = g_hash_table_lookup (td_divisions_get_divisions ()->children, parent_code);
  if (children == NULL)
    return g_ptr_array_new ();
  /* The caller's to change: a copy of the cached list. */
  return g_ptr_array_copy (children, NULL, NULL);
}

gboolean
td_divisions_is_child (const char *parent_code,
                       const char *code)
{
  const TdDivision *division = td_divisions_lookup (code);

  /* A province has no parent: it is nobody's child. */
  return division != NULL && division->parent != NULL && parent_code != NULL &&
         g_str_equal (division->parent, parent_code);
}
