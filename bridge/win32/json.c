/* A minimal JSON reader and writer (see json.h). RFC 8259, strict: no comments, no trailing commas. */
#include "json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const char *p;
  const char *end;
  int depth;
  char *error;
  size_t error_size;
} parser;

static int fail(parser *ps, const char *what) {
  if (ps->error && ps->error_size > 0 && ps->error[0] == '\0')
    snprintf(ps->error, ps->error_size, "%s", what);
  return 0;
}

static void skip_ws(parser *ps) {
  while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')) ps->p++;
}

static int parse_value(parser *ps, json_value *out);

static int hex4(parser *ps, unsigned *out) {
  unsigned v = 0;
  if (ps->end - ps->p < 4) return fail(ps, "truncated \\u escape");
  for (int i = 0; i < 4; i++) {
    char c = *ps->p++;
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else return fail(ps, "bad hex digit in \\u escape");
  }
  *out = v;
  return 1;
}

static size_t put_utf8(char *dst, unsigned cp) {
  if (cp < 0x80) { dst[0] = (char)cp; return 1; }
  if (cp < 0x800) { dst[0] = (char)(0xC0 | (cp >> 6)); dst[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
  if (cp < 0x10000) {
    dst[0] = (char)(0xE0 | (cp >> 12)); dst[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); dst[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  dst[0] = (char)(0xF0 | (cp >> 18)); dst[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  dst[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); dst[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Length of a valid UTF-8 sequence at s (at most n bytes), or 0 when it is not valid UTF-8. */
static size_t utf8_sequence(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  size_t len;
  unsigned cp;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
  else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
  else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
  else return 0;
  if (n < len) return 0;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

static int parse_string(parser *ps, char **out, size_t *out_len) {
  /* The decoded text is never longer than the escaped text. */
  const char *start = ++ps->p;
  const char *q = start;
  while (q < ps->end && *q != '"') q += (*q == '\\' && q + 1 < ps->end) ? 2 : 1;
  if (q >= ps->end) return fail(ps, "unterminated string");
  char *buf = malloc((size_t)(q - start) + 1);
  if (!buf) return fail(ps, "out of memory");
  size_t n = 0;
  while (ps->p < ps->end) {
    unsigned char c = (unsigned char)*ps->p;
    if (c == '"') {
      ps->p++;
      buf[n] = '\0';
      *out = buf;
      *out_len = n;
      return 1;
    }
    if (c < 0x20) { free(buf); return fail(ps, "control character in string"); }
    if (c != '\\') {
      size_t len = utf8_sequence((const unsigned char *)ps->p, (size_t)(ps->end - ps->p));
      if (len == 0) { free(buf); return fail(ps, "invalid UTF-8 in string"); }
      memcpy(buf + n, ps->p, len);
      n += len;
      ps->p += len;
      continue;
    }
    ps->p++;
    if (ps->p >= ps->end) break;
    char e = *ps->p++;
    switch (e) {
      case '"': buf[n++] = '"'; break;
      case '\\': buf[n++] = '\\'; break;
      case '/': buf[n++] = '/'; break;
      case 'b': buf[n++] = '\b'; break;
      case 'f': buf[n++] = '\f'; break;
      case 'n': buf[n++] = '\n'; break;
      case 'r': buf[n++] = '\r'; break;
      case 't': buf[n++] = '\t'; break;
      case 'u': {
        unsigned cp;
        if (!hex4(ps, &cp)) { free(buf); return 0; }
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          unsigned lo;
          if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u') { free(buf); return fail(ps, "lone high surrogate"); }
          ps->p += 2;
          if (!hex4(ps, &lo)) { free(buf); return 0; }
          if (lo < 0xDC00 || lo > 0xDFFF) { free(buf); return fail(ps, "bad low surrogate"); }
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          free(buf);
          return fail(ps, "lone low surrogate");
        }
        n += put_utf8(buf + n, cp);
        break;
      }
      default: free(buf); return fail(ps, "bad escape in string");
    }
  }
  free(buf);
  return fail(ps, "unterminated string");
}

static int parse_number(parser *ps, json_value *out) {
  const char *s = ps->p;
  const char *q = s;
  int integral = 1;
  if (q < ps->end && *q == '-') q++;
  if (q >= ps->end || *q < '0' || *q > '9') return fail(ps, "bad number");
  if (*q == '0') q++;
  else while (q < ps->end && *q >= '0' && *q <= '9') q++;
  if (q < ps->end && *q == '.') {
    integral = 0;
    q++;
    if (q >= ps->end || *q < '0' || *q > '9') return fail(ps, "bad number fraction");
    while (q < ps->end && *q >= '0' && *q <= '9') q++;
  }
  if (q < ps->end && (*q == 'e' || *q == 'E')) {
    integral = 0;
    q++;
    if (q < ps->end && (*q == '+' || *q == '-')) q++;
    if (q >= ps->end || *q < '0' || *q > '9') return fail(ps, "bad number exponent");
    while (q < ps->end && *q >= '0' && *q <= '9') q++;
  }
  char tmp[64];
  size_t len = (size_t)(q - s);
  out->kind = JSON_NUMBER;
  if (len < sizeof tmp) {
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    out->number = strtod(tmp, NULL);
  } else {
    out->number = (s[0] == '-') ? -HUGE_VAL : HUGE_VAL; /* absurdly long: never a valid argument */
  }
  if (integral) {
    /* Exact accumulation; overflow leaves is_int 0 and only the double. */
    const char *d = s + (s[0] == '-');
    uint64_t mag = 0;
    int overflow = 0;
    for (; d < q; d++) {
      unsigned digit = (unsigned)(*d - '0');
      if (mag > (UINT64_MAX - digit) / 10) { overflow = 1; break; }
      mag = mag * 10 + digit;
    }
    if (!overflow) {
      if (s[0] == '-' && mag <= (uint64_t)INT64_MAX + 1) { out->is_int = 1; out->integer = (int64_t)(0 - mag); }
      else if (s[0] != '-' && mag <= (uint64_t)INT64_MAX) { out->is_int = 1; out->integer = (int64_t)mag; }
    }
  }
  ps->p = q;
  return 1;
}

static int literal(parser *ps, const char *word) {
  size_t n = strlen(word);
  if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0) return fail(ps, "unexpected character");
  ps->p += n;
  return 1;
}

/* Appends to a growable array of values (and keys, for objects). */
static int push(parser *ps, json_value *v, size_t *cap, const json_value *item, char *key) {
  if (v->count == *cap) {
    size_t ncap = *cap ? *cap * 2 : 4;
    json_value *ni = realloc(v->items, ncap * sizeof *ni);
    if (!ni) return fail(ps, "out of memory");
    v->items = ni;
    if (v->kind == JSON_OBJECT) {
      char **nk = realloc(v->keys, ncap * sizeof *nk);
      if (!nk) return fail(ps, "out of memory");
      v->keys = nk;
    }
    *cap = ncap;
  }
  v->items[v->count] = *item;
  if (v->kind == JSON_OBJECT) v->keys[v->count] = key;
  v->count++;
  return 1;
}

static void free_children(json_value *v);

static int parse_container(parser *ps, json_value *out, int object) {
  char close = object ? '}' : ']';
  size_t cap = 0;
  out->kind = object ? JSON_OBJECT : JSON_ARRAY;
  if (++ps->depth > JSON_MAX_DEPTH) return fail(ps, "nesting too deep");
  ps->p++;
  skip_ws(ps);
  if (ps->p < ps->end && *ps->p == close) {
    ps->p++;
    ps->depth--;
    return 1;
  }
  for (;;) {
    char *key = NULL;
    size_t key_len;
    json_value item;
    memset(&item, 0, sizeof item);
    skip_ws(ps);
    if (object) {
      if (ps->p >= ps->end || *ps->p != '"') return fail(ps, "expected a string key");
      if (!parse_string(ps, &key, &key_len)) return 0;
      skip_ws(ps);
      if (ps->p >= ps->end || *ps->p != ':') { free(key); return fail(ps, "expected ':'"); }
      ps->p++;
      skip_ws(ps);
    }
    if (!parse_value(ps, &item) || !push(ps, out, &cap, &item, key)) {
      free_children(&item);
      free(key);
      return 0;
    }
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ',') { ps->p++; continue; }
    if (ps->p < ps->end && *ps->p == close) { ps->p++; break; }
    return fail(ps, object ? "expected ',' or '}'" : "expected ',' or ']'");
  }
  ps->depth--;
  return 1;
}

static int parse_value(parser *ps, json_value *out) {
  skip_ws(ps);
  if (ps->p >= ps->end) return fail(ps, "unexpected end of input");
  switch (*ps->p) {
    case '{': return parse_container(ps, out, 1);
    case '[': return parse_container(ps, out, 0);
    case '"': out->kind = JSON_STRING; return parse_string(ps, &out->string, &out->length);
    case 't': out->kind = JSON_BOOL; out->boolean = 1; return literal(ps, "true");
    case 'f': out->kind = JSON_BOOL; out->boolean = 0; return literal(ps, "false");
    case 'n': out->kind = JSON_NULL; return literal(ps, "null");
    default: return parse_number(ps, out);
  }
}

static void free_children(json_value *v) {
  for (size_t i = 0; i < v->count; i++) {
    free_children(&v->items[i]);
    if (v->keys) free(v->keys[i]);
  }
  free(v->items);
  free(v->keys);
  free(v->string);
  v->items = NULL;
  v->keys = NULL;
  v->string = NULL;
  v->count = 0;
}

json_value *json_parse(const char *text, size_t length, char *error, size_t error_size) {
  parser ps = {text, text + length, 0, error, error_size};
  json_value *v = calloc(1, sizeof *v);
  if (error && error_size) error[0] = '\0';
  if (!v) { fail(&ps, "out of memory"); return NULL; }
  if (parse_value(&ps, v)) {
    skip_ws(&ps);
    if (ps.p == ps.end) return v;
    fail(&ps, "trailing characters after the value");
  }
  json_free(v);
  return NULL;
}

void json_free(json_value *value) {
  if (!value) return;
  free_children(value);
  free(value);
}

const json_value *json_get(const json_value *object, const char *key) {
  if (!object || object->kind != JSON_OBJECT) return NULL;
  /* The last duplicate wins, as in JavaScript's JSON.parse. */
  for (size_t i = object->count; i-- > 0;)
    if (strcmp(object->keys[i], key) == 0) return &object->items[i];
  return NULL;
}

/* ---- writer ---- */

void jb_init(json_buffer *b) { memset(b, 0, sizeof *b); }

void jb_free(json_buffer *b) {
  free(b->data);
  jb_init(b);
}

static int reserve(json_buffer *b, size_t extra) {
  if (b->failed) return 0;
  if (b->length + extra + 1 <= b->capacity) return 1;
  size_t cap = b->capacity ? b->capacity : 256;
  while (cap < b->length + extra + 1) cap *= 2;
  char *d = realloc(b->data, cap);
  if (!d) { b->failed = 1; return 0; }
  b->data = d;
  b->capacity = cap;
  return 1;
}

void jb_raw_n(json_buffer *b, const char *text, size_t n) {
  if (!reserve(b, n)) return;
  memcpy(b->data + b->length, text, n);
  b->length += n;
  b->data[b->length] = '\0';
}

void jb_raw(json_buffer *b, const char *text) { jb_raw_n(b, text, strlen(text)); }

void jb_string(json_buffer *b, const char *text, size_t n) {
  static const char hex[] = "0123456789abcdef";
  jb_raw_n(b, "\"", 1);
  size_t i = 0;
  while (i < n) {
    unsigned char c = (unsigned char)text[i];
    char esc[8];
    if (c == '"' || c == '\\') { esc[0] = '\\'; esc[1] = (char)c; jb_raw_n(b, esc, 2); i++; continue; }
    if (c == '\n') { jb_raw_n(b, "\\n", 2); i++; continue; }
    if (c == '\r') { jb_raw_n(b, "\\r", 2); i++; continue; }
    if (c == '\t') { jb_raw_n(b, "\\t", 2); i++; continue; }
    if (c < 0x20 || c == 0x7F) {
      memcpy(esc, "\\u00", 4);
      esc[4] = hex[c >> 4];
      esc[5] = hex[c & 15];
      jb_raw_n(b, esc, 6);
      i++;
      continue;
    }
    size_t len = utf8_sequence((const unsigned char *)text + i, n - i);
    if (len == 0) { jb_raw(b, "\\ufffd"); i++; continue; }
    jb_raw_n(b, text + i, len);
    i += len;
  }
  jb_raw_n(b, "\"", 1);
}

void jb_cstring(json_buffer *b, const char *text) { jb_string(b, text, strlen(text)); }

void jb_int(json_buffer *b, int64_t v) {
  char tmp[32];
  snprintf(tmp, sizeof tmp, "%lld", (long long)v);
  jb_raw(b, tmp);
}

void jb_uint(json_buffer *b, uint64_t v) {
  char tmp[32];
  snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
  jb_raw(b, tmp);
}

void jb_value(json_buffer *b, const json_value *v) {
  switch (v->kind) {
    case JSON_NULL: jb_raw(b, "null"); break;
    case JSON_BOOL: jb_raw(b, v->boolean ? "true" : "false"); break;
    case JSON_NUMBER:
      if (v->is_int) jb_int(b, v->integer);
      else if (isfinite(v->number)) {
        char tmp[40];
        snprintf(tmp, sizeof tmp, "%.17g", v->number);
        jb_raw(b, tmp);
      } else jb_raw(b, "null");
      break;
    case JSON_STRING: jb_string(b, v->string, v->length); break;
    case JSON_ARRAY:
    case JSON_OBJECT:
      jb_raw(b, v->kind == JSON_ARRAY ? "[" : "{");
      for (size_t i = 0; i < v->count; i++) {
        if (i) jb_raw(b, ",");
        if (v->kind == JSON_OBJECT) {
          jb_cstring(b, v->keys[i]);
          jb_raw(b, ":");
        }
        jb_value(b, &v->items[i]);
      }
      jb_raw(b, v->kind == JSON_ARRAY ? "]" : "}");
      break;
  }
}
