/* td-test-servers.h: real servers on loopback for the tests, and a keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A gnome-keyring-daemon of the test's own, on a D-Bus of its own, with
 * HOME and the XDG directories under @dir: the user's keyring is never
 * reached. Fails the test, saying why, when it cannot start. */
void      td_test_keyring_start  (const char  *dir);
void      td_test_keyring_stop   (void);
/* Only the daemon, the bus kept: the keyring is gone for what follows. */
void      td_test_keyring_stop_daemon (void);

/* A self-signed certificate for localhost and 127.0.0.1. */
void      td_test_make_certificate (const char  *dir,
                                    char       **cert_file,
                                    char       **key_file);

/* tests/smtp-server.py (aiosmtpd): "starttls", "implicit" or "plain", AUTH
 * for @user; NULL-terminated extra arguments. Run by $TD_TEST_PYTHON,
 * /usr/bin/python3 or python3, the first that has aiosmtpd. Its messages go
 * to server.log in its spool directory. */
typedef struct
{
  GSubprocess *process;
  char        *spool;
  guint16      port;
} TdTestSmtp;

TdTestSmtp *td_test_smtp_start     (const char  *dir,
                                    const char  *cert_file,
                                    const char  *key_file,
                                    const char  *security,
                                    const char  *user,
                                    const char  *password,
                                    ...) G_GNUC_NULL_TERMINATED;
guint       td_test_smtp_count     (TdTestSmtp  *server);
char       *td_test_smtp_message   (TdTestSmtp  *server,
                                    guint        n,
                                    gsize       *length);
/* MAIL FROM and the recipients, one a line. */
char       *td_test_smtp_envelope  (TdTestSmtp  *server,
                                    guint        n);
void        td_test_smtp_stop      (TdTestSmtp  *server);

/* training-desk-receiver ($TD_TEST_RECEIVER), on a free port or @port;
 * stopped by a signal, it must exit with status 0. */
typedef struct
{
  GSubprocess *process;
  char        *database;
  char        *url;       /* http://127.0.0.1:PORT/ */
  guint16      port;
} TdTestReceiver;

/* @port: 0 for a free one (a guint, not a guint16: va_start wants the
 * last named parameter unpromoted) */
TdTestReceiver *td_test_receiver_start (const char     *database,
                                        guint           port,
                                        ...) G_GNUC_NULL_TERMINATED;
void            td_test_receiver_stop  (TdTestReceiver *receiver);
void            td_test_receiver_stop_with (TdTestReceiver *receiver,
                                            int             signal_number);
/* Its other modes (--add-school, --list, …): what they print. */
char           *td_test_receiver_run   (const char     *database,
                                        ...) G_GNUC_NULL_TERMINATED;
/* The new school's token. */
char           *td_test_receiver_add_school (const char *database,
                                             const char *name);

/* tests/fault-proxy.py in front of @target: the first connections
 * misbehave as the NULL-terminated arguments say ("--status-500", …). */
typedef struct
{
  GSubprocess *process;
  guint16      port;
} TdTestProxy;

TdTestProxy *td_test_proxy_start   (guint        target,
                                    ...) G_GNUC_NULL_TERMINATED;
void         td_test_proxy_stop    (TdTestProxy *proxy);

/* A server test's main() before its cases: no proxy resolver (the build's
 * GSettings schemas lack GNOME's proxy settings, and warnings are fatal),
 * g_test_init() with isolated directories, and a temporary directory
 * named after @name, returned. */
char       *td_test_servers_init   (int          *argc,
                                    char       ***argv,
                                    const char   *name);
/* After g_test_run(): @dir removed when every case passed (kept to be
 * looked at otherwise) and freed; returns @status. */
int         td_test_servers_finish (int           status,
                                    char         *dir);

/* Runs a command, returns its stdout; fails the test if it fails. */
char       *td_test_run            (const char * const *argv,
                                    int                *status);

void        td_test_remove_tree    (const char  *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdTestSmtp, td_test_smtp_stop)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdTestReceiver, td_test_receiver_stop)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdTestProxy, td_test_proxy_stop)

G_END_DECLS
