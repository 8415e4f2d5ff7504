/* td-validate.h: the form's rules for what a person types
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TD_VALIDATE_ERROR (td_validate_error_quark ())

typedef enum
{
  TD_VALIDATE_ERROR_REQUIRED,
  TD_VALIDATE_ERROR_TOO_LONG,
  TD_VALIDATE_ERROR_FORMAT,
  TD_VALIDATE_ERROR_UNKNOWN_CODE,
} TdValidateError;

GQuark    td_validate_error_quark  (void);

guint     td_text_length           (const char  *text);
char     *td_normalize_text        (const char  *input);
char     *td_normalize_compact     (const char  *input);

gboolean  td_validate_text         (const char  *input,
                                    guint        max_chars,
                                    gboolean     required,
                                    char       **normalized,
                                    GError     **error);
gboolean  td_validate_person_name  (const char  *input,
                                    guint        max_chars,
                                    gboolean     required,
                                    char       **normalized,
                                    GError     **error);
gboolean  td_validate_phone        (const char  *input,
                                    char       **normalized,
                                    GError     **error);
gboolean  td_validate_postal_code  (const char  *input,
                                    char       **normalized,
                                    GError     **error);
gboolean  td_validate_email        (const char  *input,
                                    gboolean     required,
                                    char       **normalized,
                                    GError     **error);

G_END_DECLS
