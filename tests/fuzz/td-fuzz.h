/* td-fuzz.h: what every libFuzzer target of tests/fuzz shares
 *
 * libFuzzer calls LLVMFuzzerTestOneInput() millions of times in one
 * process, so a target must free all it allocates (LeakSanitizer runs at
 * the end) and write nothing outside memory: files are memfds.
 * See docs/fuzzing.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

int    LLVMFuzzerInitialize   (int            *argc,
                               char         ***argv);
int    LLVMFuzzerTestOneInput (const uint8_t  *data,
                               size_t          size);

void   td_fuzz_init           (void);
char **td_fuzz_split          (const uint8_t  *data,
                               size_t          size,
                               guint           n_fields);
char  *td_fuzz_memfd_path     (const uint8_t  *data,
                               size_t          size,
                               int            *fd);

G_END_DECLS
