/* td-uuid.c: time-ordered row keys (UUID version 7)
 *
 * Rows are keyed by UUIDs that sort by the time they were made (RFC 9562
 * §5.7: 48 bits of Unix milliseconds, big-endian, then the version 7, 12
 * bits rand_a, the variant 10 and 62 bits rand_b), so that inserting rows
 * appends to the UNIQUE index on uuid and to the audit log's index instead
 * of touching a random page of each: with random (version 4) keys a
 * 1,000,000-row import took 70–85 s, most of it page-cache misses on those
 * two indexes (issue 17).
 *
 * The SQL default of every table (td-store.c, SQL_UUID) writes the same
 * layout for rows that any tool inserts; this is the C side, for keys the
 * app makes before the row exists (a revision). Within one millisecond
 * this keeps its keys in order with a counter in rand_a (RFC 9562 §6.2,
 * method 1), started at a random value below 2^11 so that it rarely runs
 * out; when it does, the next millisecond is borrowed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-uuid"

#include "config.h"

#include <string.h>
#include <sys/random.h>

#include "td-uuid.h"

G_LOCK_DEFINE_STATIC (td_uuid_last);
static gint64  td_uuid_last_ms = -1;
static guint   td_uuid_last_counter;

static void
td_uuid_random (guint8 *bytes,
                gsize   length)
{
  gsize done = 0;

  while (done < length)
    {
      ssize_t n = getrandom (bytes + done, length - done, 0);

      if (n <= 0)
        break;
      done += (gsize)n;
    }
  /* No getrandom() (an old kernel): GLib's generator, seeded from it or
   * /dev/urandom. Uniqueness, not secrecy, is what a key needs. */
  for (; done < length; done++)
    bytes[done] = (guint8)g_random_int_range (0, 256);
}

static char *
td_uuid_format (gint64  unix_ms,
                guint   counter,
                guint8 *random)
{
  guint8 b[16];

  b[0] = (guint8)(unix_ms >> 40);
  b[1] = (guint8)(unix_ms >> 32);
  b[2] = (guint8)(unix_ms >> 24);
  b[3] = (guint8)(unix_ms >> 16);
  b[4] = (guint8)(unix_ms >> 8);
  b[5] = (guint8)unix_ms;
  b[6] = (guint8)(0x70 | ((counter >> 8) & 0x0f));
  b[7] = (guint8)(counter & 0xff);
  memcpy (b + 8, random, 8);
  b[8] = (guint8)(0x80 | (b[8] & 0x3f));

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/**
 * td_uuid7_new_at:
 * @unix_ms: milliseconds since 1970-01-01 UTC
 *
 * Returns: (transfer full): a version 7 UUID for @unix_ms, in lower case,
 *   after every one this process made before (when @unix_ms is earlier
 *   than the last, the last's millisecond is used).
 */
char *
td_uuid7_new_at (gint64 unix_ms)
{
  guint8 random[10];
  guint counter;

  g_return_val_if_fail (unix_ms >= 0 && unix_ms < ((gint64)1 << 48), NULL);

  td_uuid_random (random, sizeof random);

  G_LOCK (td_uuid_last);
  if (unix_ms <= td_uuid_last_ms)
    {
      unix_ms = td_uuid_last_ms;
      counter = td_uuid_last_counter + 1;
      if (counter > 0xfff)
        {
          unix_ms++;
          counter = (random[8] | random[9] << 8) & 0x7ff;
        }
    }
  else
    counter = (random[8] | random[9] << 8) & 0x7ff;
  td_uuid_last_ms = unix_ms;
  td_uuid_last_counter = counter;
  G_UNLOCK (td_uuid_last);

  return td_uuid_format (unix_ms, counter, random);
}

/**
 * td_uuid7_new:
 *
 * Returns: (transfer full): a version 7 UUID for now.
 */
char *
td_uuid7_new (void)
{
  return td_uuid7_new_at (g_get_real_time () / 1000);
}

/* @uuid is a UUID in its text form, of version 7 and variant 10. */
gboolean
td_uuid_is_v7 (const char *uuid)
{
  return uuid != NULL && g_uuid_string_is_valid (uuid) &&
         uuid[14] == '7' && strchr ("89abAB", uuid[19]) != NULL;
}

/* The milliseconds a version 7 UUID holds; -1 for any other string. */
gint64
td_uuid7_get_ms (const char *uuid)
{
  char hex[13];

  if (!td_uuid_is_v7 (uuid))
    return -1;
  memcpy (hex, uuid, 8);
  memcpy (hex + 8, uuid + 9, 4);
  hex[12] = '\0';
  return g_ascii_strtoll (hex, NULL, 16);
}
