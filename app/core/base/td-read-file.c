/* td-read-file.c: a file read whole, never more than its kind's limit
 *
 * g_file_get_contents() and g_file_load_contents() read to the end: of
 * /dev/zero, or of a 4 GB video chosen by mistake, they take every byte
 * into memory (4 GiB and 5 s before GIO gave up, for --import-campaign;
 * without end for --import-json). What Training Desk reads whole — a
 * campaign, a form document, a CSV roster — is read here instead:
 *
 * - a regular file or a pipe (`--import-json /dev/stdin`, a FIFO, as the
 *   CSV import reads them): a folder, a device (/dev/zero, a terminal) or
 *   a socket is refused before it is opened;
 * - at most @max_length + 1 bytes, so that the reader's own check of its
 *   limit (td_json_check_limits(), td_csv_check_file_size()) finds the file
 *   too large and says so in its words, without the rest being read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-read-file"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sys/stat.h>

#include "td-read-file.h"

/**
 * td_read_file_check_mode:
 * @mode: a file's `st_mode`
 *
 * Returns: %TRUE for a regular file or a pipe; else %FALSE with @error
 *   (%G_IO_ERROR_NOT_REGULAR_FILE) saying to choose a file
 */
gboolean
td_read_file_check_mode (guint32   mode,
                         GError  **error)
{
  if (S_ISREG (mode) || S_ISFIFO (mode))
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                       _("This is not a file but a folder or a device. Choose a file."));
  return FALSE;
}

/**
 * td_read_file_limited:
 * @max_length: the largest file the caller reads; up to one byte more is
 *   read, for the caller to refuse
 * @contents: (out): the bytes read, followed by a NUL (not counted)
 * @length: (out): how many were read: at most @max_length + 1
 *
 * Returns: %FALSE with @error set when @file is neither a regular file
 *   nor a pipe (%G_IO_ERROR_NOT_REGULAR_FILE) or cannot be read
 */
gboolean
td_read_file_limited (GFile         *file,
                      gsize          max_length,
                      char         **contents,
                      gsize         *length,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree char *buffer = NULL;
  gsize cap, allocated, got = 0;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (contents != NULL && length != NULL, FALSE);
  g_return_val_if_fail (max_length < G_MAXSIZE - 1, FALSE);

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_UNIX_MODE,
                            G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return FALSE;
  /* The mode says a pipe from a device; a file without one (not local)
   * is taken by its type alone. */
  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_UNIX_MODE)
      ? !td_read_file_check_mode (g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_UNIX_MODE), error)
      : !td_read_file_check_mode (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR ? S_IFREG : 0, error))
    return FALSE;

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return FALSE;

  /* As large as the file says it is, within the cap; more if it grows. */
  cap = max_length + 1;
  allocated = MIN ((gsize)MAX (g_file_info_get_size (info), 0), cap) + 1;
  allocated = MAX (allocated, 4096);
  buffer = g_malloc (allocated);
  while (got < cap)
    {
      gssize n;

      if (got + 1 == allocated)
        {
          allocated = MIN (allocated * 2, cap + 1);
          buffer = g_realloc (buffer, allocated);
        }
      n = g_input_stream_read (G_INPUT_STREAM (stream), buffer + got, MIN (allocated - 1, cap) - got,
                               cancellable, error);
      if (n < 0)
        return FALSE;
      if (n == 0)
        break;
      got += (gsize)n;
    }
  buffer[got] = '\0';
  *contents = g_steal_pointer (&buffer);
  *length = got;
  return TRUE;
}
