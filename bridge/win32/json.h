/*
 * A minimal JSON reader and writer for the bridge's JSON-lines protocol.
 *
 * Own code, plain C11, no platform headers: the bridge must build with mingw-w64 and MSVC alone,
 * and no small JSON library ships for both. The reader builds a tree for one line; the writer
 * appends to a growable buffer. Integers are kept exact as 64-bit values (handles never travel as
 * numbers, but grbits such as 0xFFFFFFFF and contexts such as -1 do).
 */
#ifndef ESE_BRIDGE_JSON_H
#define ESE_BRIDGE_JSON_H

#include <stddef.h>
#include <stdint.h>

typedef enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_kind;

typedef struct json_value json_value;

struct json_value {
  json_kind kind;
  int boolean;
  /* JSON_NUMBER: is_int says the text was an integer that fits int64 (then `integer` is exact). */
  int is_int;
  int64_t integer;
  double number;
  /* JSON_STRING: UTF-8, NUL-terminated; `length` excludes the NUL (the text may contain \u0000). */
  char *string;
  size_t length;
  /* JSON_ARRAY and JSON_OBJECT: `count` items; for objects keys[i] names items[i]. */
  json_value *items;
  char **keys;
  size_t count;
};

/* Nesting deeper than this is refused, so hostile input cannot exhaust the stack. */
#define JSON_MAX_DEPTH 64

/*
 * Parses exactly one JSON value (surrounding whitespace allowed) from text[0..length).
 * Returns the tree (free it with json_free) or NULL with a one-line reason in `error`.
 */
json_value *json_parse(const char *text, size_t length, char *error, size_t error_size);
void json_free(json_value *value);

/* Member of an object by key, or NULL (also when `object` is not an object). */
const json_value *json_get(const json_value *object, const char *key);

/* A growable output buffer; every append keeps it NUL-terminated. `failed` is set on OOM. */
typedef struct {
  char *data;
  size_t length;
  size_t capacity;
  int failed;
} json_buffer;

void jb_init(json_buffer *b);
void jb_free(json_buffer *b);
void jb_raw(json_buffer *b, const char *text);
void jb_raw_n(json_buffer *b, const char *text, size_t n);
/* A JSON string literal, escaped; invalid UTF-8 bytes become U+FFFD so the line stays valid. */
void jb_string(json_buffer *b, const char *text, size_t n);
void jb_cstring(json_buffer *b, const char *text);
void jb_int(json_buffer *b, int64_t v);
void jb_uint(json_buffer *b, uint64_t v);
/* Re-serialises a parsed value (used to echo ids of any JSON type). */
void jb_value(json_buffer *b, const json_value *v);

#endif
