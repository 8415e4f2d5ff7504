/* store-checks.c: what issue 12's file checks cost a write transaction
 *
 * Every write transaction of the store now pays for two checks that the
 * path still names the file opened (a stat() before BEGIN and one in the
 * commit hook), and every lock call of SQLite goes through the OFD lock
 * shim (td-sqlite-locks.c: a mutex and a table lookup). This times small
 * transactions (one setting each, WAL, synchronous = NORMAL: no fsync per
 * commit, so the checks weigh as much as they ever can) with the shim, and
 * the same run with SQLite's own fcntl() put back (the baseline), and the
 * stat() of the path alone.
 *
 *   bench-store-checks [TRANSACTIONS]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "bench-util.h"
#include "td-sqlite-locks.h"
#include "td-store-private.h"

#define ROUNDS 7

static gboolean
bench_store_set_cb (TdStore  *store,
                    gpointer  user_data,
                    GError  **error)
{
  return td_store_set_setting (store, "bench.key", user_data, error);
}

/* Microseconds per transaction, over @n of them. */
static double
bench_store_transactions (const char *path,
                          guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdStore) store = td_store_open (path, &error);
  gint64 start;

  if (store == NULL)
    g_error ("%s", error->message);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      char value[32];

      g_snprintf (value, sizeof value, "%u", i);
      if (!td_store_transaction (store, bench_store_set_cb, value, &error))
        g_error ("%s", error->message);
    }
  return (double)(g_get_monotonic_time () - start) / n;
}

static double
bench_store_stat (const char *path,
                  guint       n)
{
  struct stat st;
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < n; i++)
    if (stat (path, &st) != 0)
      g_error ("stat %s failed", path);
  return (double)(g_get_monotonic_time () - start) / n;
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint)g_ascii_strtoull (argv[1], NULL, 10) : 2000;
  g_autofree char *dir = g_dir_make_tmp ("bench-store-checks-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "school.db", NULL);
  g_autoptr(GArray) shim = bench_samples_new ();
  g_autoptr(GArray) posix = bench_samples_new ();
  g_autoptr(GArray) stats = bench_samples_new ();
  sqlite3_vfs *vfs = sqlite3_vfs_find (NULL);
  sqlite3_syscall_ptr shim_fcntl, shim_close;

  g_assert_true (td_sqlite_locks_install ());
  shim_fcntl = vfs->xGetSystemCall (vfs, "fcntl");
  shim_close = vfs->xGetSystemCall (vfs, "close");

  /* A warm-up round (it also makes the file), then the two in turn; the
   * shim is put in and out only while no connection is open. */
  bench_store_transactions (path, n);
  for (guint r = 0; r < ROUNDS; r++)
    {
      bench_samples_add (shim, bench_store_transactions (path, n));
      bench_samples_add (stats, bench_store_stat (path, n * 10));
      g_assert_cmpuint (td_sqlite_locks_get_n_files (), ==, 0);

      /* The baseline: SQLite's own system calls. */
      vfs->xSetSystemCall (vfs, NULL, NULL);
      bench_samples_add (posix, bench_store_transactions (path, n));
      vfs->xSetSystemCall (vfs, "fcntl", shim_fcntl);
      vfs->xSetSystemCall (vfs, "close", shim_close);
    }

  g_print ("transactions: %u a round, %d rounds, medians\n", n, ROUNDS);
  g_print ("with the OFD lock shim and identity checks: %.2f us a transaction\n", bench_median (shim));
  g_print ("baseline, SQLite's POSIX locks (identity checks still on): %.2f us a transaction\n",
           bench_median (posix));
  g_print ("shim / baseline: %.3f\n", bench_median (shim) / bench_median (posix));
  g_print ("stat() of the path (one identity check): %.3f us; two a transaction: %.1f%% of it\n",
           bench_median (stats), 100.0 * 2 * bench_median (stats) / bench_median (shim));

  td_store_remove_files (path);
  g_rmdir (dir);
  return 0;
}
