/* td-sqlite-locks.c: SQLite's file locks, kept whatever else the process opens
 *
 * SQLite's unix VFS locks the database and its -shm with POSIX fcntl()
 * locks. Those belong to the process, and closing *any* descriptor of a
 * file drops all of them. GIO closes the .db, -wal and -shm after sniffing
 * their content type whenever the file chooser lists their folder; from
 * then on a read by another program (`sqlite3 school.db 'select …'`) finds
 * the file unlocked, checkpoints, and deletes the -wal and -shm under the
 * running app, whose later commits go into a deleted file ("How To Corrupt
 * An SQLite Database File", §2.2; issue 12, item 1).
 *
 * We cannot stop the rest of the process from opening the files, so the
 * locks are made of a kind that no foreign close can drop. SQLite's unix
 * VFS calls fcntl() and close() through its system-call table, which
 * xSetSystemCall() lets us replace (SQLite 3.40, os_unix.c):
 *
 * - F_SETLK / F_SETLKW / F_GETLK become Linux open-file-description locks
 *   (F_OFD_*, l_pid = 0), all taken on one descriptor per file (st_dev,
 *   st_ino) that this module opened itself (a reopen of /proc/self/fd/N,
 *   read-write if allowed, else read-only, else a dup) and that nothing
 *   else knows of. OFD locks are dropped only when their own open file
 *   description is closed, never by a close() of another descriptor of the
 *   same file; they conflict with other processes' classic POSIX locks, so
 *   other programs using SQLite see them as before.
 * - One descriptor per file keeps the process a single lock owner, which
 *   SQLite assumes: its unixInodeInfo counts the locks of all connections
 *   of the process on one file and may take a lock through one
 *   connection's descriptor and release it through another's; the -shm
 *   has one descriptor per process already (unixShmNode.hShm).
 * - close() of a descriptor SQLite locked through is counted; when the
 *   last one of a file closes, this module closes its own descriptor too,
 *   which drops what POSIX would have dropped at that close. SQLite relies
 *   on that for the -shm "dead man switch" lock, which it never unlocks
 *   (unixShmPurge closes hShm holding it). SQLite itself never closes a
 *   descriptor while the file is locked (unixClose defers it,
 *   setPendingFd), so nothing else differs from POSIX behaviour.
 * - Every other fcntl() command passes through untouched. The tables are
 *   guarded by one mutex, held only around table updates (a lookup per
 *   lock call, a few per transaction); the lock call itself runs outside.
 * - Where a file system refuses OFD locks (EINVAL when first probed), that
 *   file keeps plain POSIX locks, as before.
 *
 * It must be in place before the first connection of the process: a
 * process's own classic and OFD locks conflict with each other. The core
 * library is linked whole, so the constructor below runs at start-up in
 * every program and test that has the store. The rule and its limits are
 * written down in docs/storage.md.
 *
 * Rejected: PRAGMA locking_mode = EXCLUSIVE (the lock is still a POSIX
 * lock, a foreign close still drops it, and the worker threads' reader
 * connections would be shut out); keeping GIO away from the files (the
 * file chooser is not ours, nor are thumbnailers or any other library).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-sqlite-locks"

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "td-sqlite-locks.h"

typedef int (*TdFcntlFunc) (int, int, ...);
typedef int (*TdCloseFunc) (int);

/* One locked file of the process. */
typedef struct
{
  dev_t dev;
  ino_t ino;
  int   fd;          /* ours: every lock of the process on the file */
  guint n_users;     /* SQLite's descriptors of the file that locked */
  guint classic : 1; /* OFD locks refused: plain POSIX locks on SQLite's fd */
} TdLockedFile;

static GMutex       files_mutex;
static GHashTable  *files_by_fd;   /* SQLite's fd -> TdLockedFile */
static GPtrArray   *files;         /* TdLockedFile, a handful at most */
static TdFcntlFunc  real_fcntl;
static TdCloseFunc  real_close;

/* A descriptor of our own on @fd's file: an open file description that
 * nobody else can close. */
static int
td_sqlite_locks_open_own (int                fd,
                          const struct stat *st)
{
  static const int modes[] = { O_RDWR, O_RDONLY };
  char proc[64];

  snprintf (proc, sizeof proc, "/proc/self/fd/%d", fd);
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      struct stat own;
      int own_fd = open (proc, modes[i] | O_CLOEXEC | O_NOCTTY);

      if (own_fd < 0)
        continue;
      if (fstat (own_fd, &own) == 0 && own.st_dev == st->st_dev && own.st_ino == st->st_ino)
        return own_fd;
      real_close (own_fd);
    }

  /* No /proc: a duplicate shares SQLite's description, which stays open
   * as long as ours does, whoever closes SQLite's descriptor. */
  return real_fcntl (fd, F_DUPFD_CLOEXEC, 3);
}

/* Does this file take OFD locks? (Linux 3.15 and later, most file systems.) */
static gboolean
td_sqlite_locks_probe_ofd (int fd)
{
  struct flock probe = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };

  return real_fcntl (fd, F_OFD_GETLK, &probe) == 0;
}

/* Called with files_mutex held. */
static TdLockedFile *
td_sqlite_locks_lookup (int fd)
{
  TdLockedFile *file;
  struct stat st;

  if ((file = g_hash_table_lookup (files_by_fd, GINT_TO_POINTER (fd))))
    return file;

  if (fstat (fd, &st) != 0)
    return NULL;

  file = NULL;
  for (guint i = 0; i < files->len; i++)
    {
      TdLockedFile *f = g_ptr_array_index (files, i);

      if (f->dev == st.st_dev && f->ino == st.st_ino)
        {
          file = f;
          break;
        }
    }

  if (file == NULL)
    {
      int own_fd = td_sqlite_locks_open_own (fd, &st);

      if (own_fd < 0)
        return NULL;
      file = g_new0 (TdLockedFile, 1);
      file->dev = st.st_dev;
      file->ino = st.st_ino;
      file->fd = own_fd;
      file->classic = !td_sqlite_locks_probe_ofd (own_fd);
      if (file->classic)
        g_debug ("No OFD locks on inode %ju: POSIX locks there", (uintmax_t)st.st_ino);
      g_ptr_array_add (files, file);
    }

  file->n_users++;
  g_hash_table_insert (files_by_fd, GINT_TO_POINTER (fd), file);
  return file;
}

static int
td_sqlite_locks_lock (int           fd,
                      int           cmd,
                      struct flock *lock)
{
  TdLockedFile *file;
  struct flock ofd;
  int own_fd, ofd_cmd, rc, saved_errno;
  gboolean classic;

  g_mutex_lock (&files_mutex);
  file = td_sqlite_locks_lookup (fd);
  saved_errno = errno;
  own_fd = file ? file->fd : -1;
  classic = file ? file->classic : FALSE;
  g_mutex_unlock (&files_mutex);

  if (file == NULL)
    {
      errno = saved_errno;
      return -1;
    }
  if (classic)
    return real_fcntl (fd, cmd, lock);

  /* @file stays alive: it is freed only when its last user, @fd among
   * them, is closed, and SQLite does not close a descriptor it is using. */
  ofd = *lock;
  ofd.l_pid = 0;
  ofd_cmd = cmd == F_SETLK ? F_OFD_SETLK : cmd == F_SETLKW ? F_OFD_SETLKW : F_OFD_GETLK;
  rc = real_fcntl (own_fd, ofd_cmd, &ofd);
  if (rc == 0 && cmd == F_GETLK)
    *lock = ofd;
  return rc;
}

static int
td_sqlite_locks_fcntl (int fd,
                       int cmd,
                       ...)
{
  va_list args;
  void *arg;

  /* As glibc's fcntl() reads its third argument, whatever the command. */
  va_start (args, cmd);
  arg = va_arg (args, void *);
  va_end (args);

  if (cmd == F_SETLK || cmd == F_SETLKW || cmd == F_GETLK)
    return td_sqlite_locks_lock (fd, cmd, arg);
  return real_fcntl (fd, cmd, arg);
}

static int
td_sqlite_locks_close (int fd)
{
  TdLockedFile *file;
  int own_fd = -1;

  /* Forget @fd before it is closed: its number may be reused at once. */
  g_mutex_lock (&files_mutex);
  if ((file = g_hash_table_lookup (files_by_fd, GINT_TO_POINTER (fd))))
    {
      g_hash_table_remove (files_by_fd, GINT_TO_POINTER (fd));
      if (--file->n_users == 0)
        {
          own_fd = file->fd;
          g_ptr_array_remove_fast (files, file);
          g_free (file);
        }
    }
  g_mutex_unlock (&files_mutex);

  /* The last of SQLite's descriptors: its locks go, as POSIX would drop
   * them at this close. */
  if (own_fd >= 0)
    real_close (own_fd);
  return real_close (fd);
}

gboolean
td_sqlite_locks_install (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      sqlite3_vfs *vfs = sqlite3_vfs_find (NULL);
      gsize result = 2;

      files_by_fd = g_hash_table_new (g_direct_hash, g_direct_equal);
      files = g_ptr_array_new ();
      if (vfs != NULL && vfs->iVersion >= 3 && vfs->xSetSystemCall != NULL &&
          g_str_has_prefix (vfs->zName, "unix"))
        {
          real_fcntl = (TdFcntlFunc)vfs->xGetSystemCall (vfs, "fcntl");
          real_close = (TdCloseFunc)vfs->xGetSystemCall (vfs, "close");
          if (real_fcntl != NULL && real_close != NULL &&
              vfs->xSetSystemCall (vfs, "fcntl", (sqlite3_syscall_ptr)td_sqlite_locks_fcntl) == SQLITE_OK &&
              vfs->xSetSystemCall (vfs, "close", (sqlite3_syscall_ptr)td_sqlite_locks_close) == SQLITE_OK)
            result = 1;
          else
            vfs->xSetSystemCall (vfs, NULL, NULL);
        }
      if (result != 1)
        g_warning ("SQLite's unix VFS could not be given OFD locks: "
                   "a file chooser in this process may drop the database's locks");
      g_once_init_leave (&installed, result);
    }
  return installed == 1;
}

guint
td_sqlite_locks_get_n_files (void)
{
  guint n;

  g_mutex_lock (&files_mutex);
  n = files ? files->len : 0;
  g_mutex_unlock (&files_mutex);
  return n;
}

/* Before main(), so before any connection of the process. */
__attribute__((constructor)) static void
td_sqlite_locks_constructor (void)
{
  td_sqlite_locks_install ();
}
