/* td-answer.c: what the receiver answers a request, as JSON
 *
 * Every answer of the protocol (docs/upload-protocol.md) is a JSON object
 * with at least "status" (a word a program tests), "message" (English)
 * and "message_zh" (Chinese), which the client shows the school as it is.
 * Other members (revision, receipt, …) follow in the order they were
 * added.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "td-receiver"

#include "config.h"

#include <json-glib/json-glib.h>

#include "td-answer.h"

typedef struct
{
  char     *name;
  char     *text;     /* a string member, or NULL for an integer */
  gint64    number;
} Member;

struct _TdAnswer
{
  guint   status;
  char   *word;
  char   *message;
  char   *message_zh;
  GArray *members;   /* of Member */
  GPtrArray *headers; /* name, value, name, value, … */
};

static void
td_answer_member_clear (gpointer data)
{
  Member *member = data;

  g_free (member->name);
  g_free (member->text);
}

TdAnswer *
td_answer_new (guint       status,
               const char *word,
               const char *message,
               const char *message_zh)
{
  TdAnswer *self = g_new0 (TdAnswer, 1);

  self->status = status;
  self->word = g_strdup (word);
  /* Messages may quote what was sent, which need not be UTF-8. */
  self->message = g_utf8_make_valid (message ? message : "", -1);
  self->message_zh = g_utf8_make_valid (message_zh ? message_zh : "", -1);
  self->members = g_array_new (FALSE, TRUE, sizeof (Member));
  g_array_set_clear_func (self->members, td_answer_member_clear);
  self->headers = g_ptr_array_new_with_free_func (g_free);
  return self;
}

/* The English message from @format; the Chinese one as it is. */
TdAnswer *
td_answer_new_printf (guint       status,
                      const char *word,
                      const char *message_zh,
                      const char *format,
                      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  return td_answer_new (status, word, message, message_zh);
}

void
td_answer_free (TdAnswer *self)
{
  if (self == NULL)
    return;
  g_free (self->word);
  g_free (self->message);
  g_free (self->message_zh);
  g_array_unref (self->members);
  g_ptr_array_unref (self->headers);
  g_free (self);
}

void
td_answer_add_string (TdAnswer   *self,
                      const char *name,
                      const char *value)
{
  Member member = { g_strdup (name), g_utf8_make_valid (value ? value : "", -1), 0 };

  g_array_append_val (self->members, member);
}

void
td_answer_add_int (TdAnswer   *self,
                   const char *name,
                   gint64      value)
{
  Member member = { g_strdup (name), NULL, value };

  g_array_append_val (self->members, member);
}

void
td_answer_add_header (TdAnswer   *self,
                      const char *name,
                      const char *value)
{
  g_ptr_array_add (self->headers, g_strdup (name));
  g_ptr_array_add (self->headers, g_strdup (value));
}

guint
td_answer_get_status (TdAnswer *self)
{
  return self->status;
}

const char *
td_answer_get_word (TdAnswer *self)
{
  return self->word;
}

const char *
td_answer_get_message (TdAnswer *self)
{
  return self->message;
}

const char *
td_answer_get_message_zh (TdAnswer *self)
{
  return self->message_zh;
}

GBytes *
td_answer_to_json (TdAnswer *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  char *text;
  gsize length;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, self->word);
  for (guint i = 0; i < self->members->len; i++)
    {
      Member *member = &g_array_index (self->members, Member, i);

      json_builder_set_member_name (builder, member->name);
      if (member->text)
        json_builder_add_string_value (builder, member->text);
      else
        json_builder_add_int_value (builder, member->number);
    }
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, self->message);
  json_builder_set_member_name (builder, "message_zh");
  json_builder_add_string_value (builder, self->message_zh);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  /* One line, ending in a newline, for people reading it with curl. */
  text = g_realloc (text, length + 2);
  text[length++] = '\n';
  text[length] = '\0';
  return g_bytes_new_take (text, length);
}

/* The phrases of RFC 9110 where libsoup 3.2 still has the older ones. */
static const char *
td_answer_reason_phrase (guint status)
{
  switch (status)
    {
    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
      return "Content Too Large";
    case SOUP_STATUS_UNPROCESSABLE_ENTITY:
      return "Unprocessable Content";
    default:
      return soup_status_get_phrase (status);
    }
}

/* The whole HTTP/1.1 response, for a connection the receiver writes to
 * itself before closing it. */
GBytes *
td_answer_to_http (TdAnswer *self)
{
  g_autoptr(GBytes) body = td_answer_to_json (self);
  GString *out = g_string_new (NULL);
  gsize length;
  const char *data = g_bytes_get_data (body, &length);

  g_string_append_printf (out, "HTTP/1.1 %u %s\r\n", self->status, td_answer_reason_phrase (self->status));
  g_string_append_printf (out, "Content-Type: application/json\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n", length);
  for (guint i = 0; i + 1 < self->headers->len; i += 2)
    if (g_ascii_strcasecmp (self->headers->pdata[i], "Connection") != 0)
      g_string_append_printf (out, "%s: %s\r\n", (char *)self->headers->pdata[i], (char *)self->headers->pdata[i + 1]);
  g_string_append (out, "Connection: close\r\n\r\n");
  g_string_append_len (out, data, (gssize)length);
  return g_string_free_to_bytes (out);
}

void
td_answer_apply (TdAnswer          *self,
                 SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = td_answer_to_json (self);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gsize length;
  const char *data = g_bytes_get_data (body, &length);

  soup_server_message_set_status (msg, self->status, td_answer_reason_phrase (self->status));
  for (guint i = 0; i + 1 < self->headers->len; i += 2)
    soup_message_headers_replace (headers, self->headers->pdata[i], self->headers->pdata[i + 1]);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, data, length);
}
