/* td-store-files.c: the database's files, as the desktop may treat them
 *
 * The store's file is never lost to the rest of the process or the
 * desktop: an exclusive flock() for as long as it is open; its identity
 * (device and inode) remembered and checked before every write (a stat():
 * 8 µs on the CI VM, under 3% of the smallest transaction,
 * bench/store-checks); a note, per file, that this app closed it cleanly
 * and how it looked then, so that only a file not exactly as it was left
 * pays for a full integrity check when opened. See docs/storage.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "td-sqlite-locks.h"
#include "td-store-private.h"

/* Whether the path still names the file the store opened. Once it does
 * not, never again: the file open is no longer the user's database. */
gboolean
td_store_files_check_identity (TdStore  *self,
                               GError  **error)
{
  struct stat st;

  if (!g_atomic_int_get (&self->replaced))
    {
      if (stat (self->absolute_path, &st) == 0 && st.st_dev == self->dev && st.st_ino == self->ino)
        return TRUE;
      if (g_atomic_int_compare_and_exchange (&self->replaced, FALSE, TRUE))
        g_debug ("%s no longer names the database file that was opened: writes refused",
                 self->path);
    }
  td_store_set_replaced_error (self, error);
  return FALSE;
}

/* Where the app notes the files it closed cleanly, and how each looked. */
static char *
td_store_files_clean_closes_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "training-desk", "clean-closes.ini", NULL);
}

/* Device, inode, size and modification time to the nanosecond: any write
 * by anyone (another program, a copy, a restore by hand) changes it. */
static char *
td_store_files_file_signature (const char *path)
{
  struct stat st;

  if (stat (path, &st) != 0)
    return NULL;
  return g_strdup_printf ("%ju:%ju:%jd:%jd.%09ld",
                          (uintmax_t)st.st_dev, (uintmax_t)st.st_ino, (intmax_t)st.st_size,
                          (intmax_t)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
}

static char *
td_store_files_canonical_key (const char *path)
{
  return g_canonicalize_filename (path, NULL);
}

/* Whether @path is exactly as this app left it when it last closed it. */
gboolean
td_store_files_left_clean (const char *path)
{
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autofree char *file = td_store_files_clean_closes_path ();
  g_autofree char *key = td_store_files_canonical_key (path);
  g_autofree char *recorded = NULL;
  g_autofree char *now = NULL;

  if (!g_key_file_load_from_file (keys, file, G_KEY_FILE_NONE, NULL))
    return FALSE;
  recorded = g_key_file_get_string (keys, "clean", key, NULL);
  now = td_store_files_file_signature (path);
  return recorded != NULL && now != NULL && g_str_equal (recorded, now);
}

/* @durable: synced before it returns. Dropping a note must be (it comes
 * before a write); adding one need not: lost in a crash, it costs a full
 * check, never a skipped one, and a close pays no fsync (it was 110 ms of
 * the window's close on a busy disk). Written to a temporary file and
 * renamed either way, so a reader sees the old notes or the new. */
void
td_store_files_set_clean_close (const char *path,
                                const char *signature,
                                gboolean    durable)
{
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *file = td_store_files_clean_closes_path ();
  g_autofree char *dir = g_path_get_dirname (file);
  g_autofree char *key = td_store_files_canonical_key (path);
  g_autofree char *data = NULL;
  g_autofree char *temp = NULL;
  gsize length;

  g_key_file_load_from_file (keys, file, G_KEY_FILE_NONE, NULL);
  if (signature != NULL)
    g_key_file_set_string (keys, "clean", key, signature);
  else if (!g_key_file_remove_key (keys, "clean", key, NULL))
    return;
  g_mkdir_with_parents (dir, 0700);
  data = g_key_file_to_data (keys, &length, NULL);
  if (durable)
    {
      if (!g_file_set_contents (file, data, (gssize)length, &error))
        g_debug ("Could not drop the note of %s's clean close: %s", path, error->message);
      return;
    }
  temp = g_strdup_printf ("%s.%d.tmp", file, (int)getpid ());
  if (!g_file_set_contents_full (temp, data, (gssize)length, G_FILE_SET_CONTENTS_NONE, 0600, &error) ||
      g_rename (temp, file) != 0)
    {
      g_debug ("Could not note the clean close of %s: %s", path, error ? error->message : g_strerror (errno));
      g_remove (temp);
    }
}

void
td_store_files_remember_clean_close (TdStore *self)
{
  g_autofree char *signature = NULL;

  /* Nothing was written since the note was read: it holds as it is. */
  if (self->left_clean && !self->note_dropped && td_store_files_left_clean (self->path))
    return;
  signature = td_store_files_file_signature (self->path);
  td_store_files_set_clean_close (self->path, signature, FALSE);
}

/* A device or a pipe (/dev/zero, a FIFO) given as the database, to open,
 * to read or to restore from: refused by name, before SQLite says "disk
 * I/O error" or waits for a writer. A regular file (through its links)
 * or no file at all passes. */
gboolean
td_store_files_refuse_special (const char  *path,
                               GError     **error)
{
  g_autofree char *display = NULL;
  GStatBuf st;

  if (g_stat (path, &st) != 0 || S_ISREG (st.st_mode))
    return TRUE;
  display = g_filename_display_name (path);
  g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_NOT_A_DATABASE,
               _("“%s” is not a database file but a device or a pipe. Choose a database file."), display);
  return FALSE;
}

gboolean
td_store_files_check_path (const char  *path,
                           gboolean    *exists,
                           GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_IS_DIRECTORY,
                   _("“%s” is a folder, not a database file. Choose a file, or a new file name."),
                   display);
      return FALSE;
    }
  if (!td_store_files_refuse_special (path, error))
    return FALSE;

  *exists = g_file_test (path, G_FILE_TEST_EXISTS);
  if (*exists)
    {
      if (access (path, R_OK | W_OK) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_NOT_READABLE,
                       _("Cannot read and write “%s”: %s. Check the file’s permissions."),
                       display, g_strerror (saved_errno));
          return FALSE;
        }
    }
  else
    {
      g_autofree char *dir = g_path_get_dirname (path);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;
          g_autofree char *dir_display = g_filename_display_name (dir);

          g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_NOT_READABLE,
                       _("Cannot create the folder “%s” for the database: %s."),
                       dir_display, g_strerror (saved_errno));
          return FALSE;
        }
    }

  return TRUE;
}

/* Holds an exclusive flock() on the database file for as long as the store
 * is open, so a second copy of the app is refused instead of both writing.
 * flock() and SQLite's fcntl() locks do not interfere on Linux. */
int
td_store_files_take_lock (const char  *path,
                          GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_NOT_READABLE,
                   _("Cannot open “%s”: %s."), display, g_strerror (saved_errno));
      return -1;
    }

  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved_errno = errno;

      close (fd);
      if (saved_errno == EWOULDBLOCK)
        g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_LOCKED,
                     _("“%s” is already open in another copy of Training Desk. Close it there first."),
                     display);
      else
        g_set_error (error, TD_STORE_ERROR, TD_STORE_ERROR_LOCKED,
                     _("Cannot lock “%s”: %s."), display, g_strerror (saved_errno));
      return -1;
    }

  return fd;
}

/* The database files at @path: the file and what SQLite keeps beside it. */
void
td_store_remove_files (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  g_return_if_fail (path != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (g_unlink (file) != 0 && errno != ENOENT)
        g_debug ("Could not remove %s: %s", file, g_strerror (errno));
    }
}

/* Remembers which file was opened, by the descriptor the lock holds. */
void
td_store_files_remember_identity (TdStore *self)
{
  struct stat st;

  self->absolute_path = g_canonicalize_filename (self->path, NULL);
  if (fstat (self->lock_fd, &st) == 0)
    {
      self->dev = st.st_dev;
      self->ino = st.st_ino;
    }
}

/* Can this process not write @path (nor create the files SQLite keeps
 * beside it), though it can read it? */
gboolean
td_store_files_cannot_write (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) || access (path, R_OK) != 0)
    return FALSE;
  return access (path, W_OK) != 0 || access (dir, W_OK) != 0;
}
