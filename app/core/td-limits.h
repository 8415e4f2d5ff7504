/* td-limits.h: every hard limit on what Training Desk reads, in one place
 *
 * What comes from outside (files, peers, servers) is read up to a limit
 * named here and refused beyond it with a message, so no input can take
 * the memory or the time of the app. The docs name the same figures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

/* Network answers (docs/upload-protocol.md, docs/mail.md) */

/* The upload endpoint's answer body: a receipt or a message is a few
 * hundred bytes; a 201 whose body never ended once took --sync to 4.2 GB. */
#define TD_LIMIT_ANSWER_BODY        (1024 * 1024)
/* The slowest a transfer may go on average, in bytes a second: one
 * exchange (connect, send, answer) must end within the time-out plus what
 * was sent at this rate — 20 MB at 32 KiB/s is ten minutes — so a server
 * dripping a byte a second fails at the time-out. */
#define TD_LIMIT_MIN_TRANSFER_RATE  (32 * 1024)
