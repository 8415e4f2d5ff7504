/* td-id-number.h: resident identity numbers (GB 11643) and masking
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TD_ID_NUMBER_ERROR (td_id_number_error_quark ())

typedef enum
{
  TD_ID_NUMBER_ERROR_LENGTH,
  TD_ID_NUMBER_ERROR_LEGACY,      /* the 15-digit numbers of before 1999 */
  TD_ID_NUMBER_ERROR_CHARACTERS,
  TD_ID_NUMBER_ERROR_BIRTH_DATE,
  TD_ID_NUMBER_ERROR_CHECK_DIGIT,
} TdIdNumberError;

typedef enum
{
  TD_GENDER_FEMALE,
  TD_GENDER_MALE,
} TdGender;

typedef struct
{
  char     number[19];      /* normalised: 17 digits and a digit or 'X' */
  TdGender gender;          /* the 17th digit: odd is male */
  char     birth_date[11];  /* "YYYY-MM-DD" */
  char     region[7];       /* the 6-digit administrative division code */
} TdIdNumber;

GQuark    td_id_number_error_quark  (void);
gboolean  td_id_number_parse        (const char  *text,
                                     TdIdNumber  *id,
                                     GError     **error);
char      td_id_number_check_digit  (const char  *first17);
char     *td_id_number_mask         (const char  *number);
char     *td_phone_mask             (const char  *phone);

G_END_DECLS
