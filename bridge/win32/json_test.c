/*
 * Unit test of json.c, built by bridge/build.sh as json_test.exe (and natively by the node test when
 * a host gcc exists, with sanitizers). Prints one line per failed check and a closing count;
 * exit 0 only when every check passed.
 */
#include "json.h"

#include <stdio.h>
#include <string.h>

static int passed, failed;

static void check(int ok, const char *what) {
  if (ok) passed++;
  else { failed++; printf("FAIL: %s\n", what); }
}

/* Parses `in` and re-serialises it; compares with `want` (NULL: the parse must fail). */
static void roundtrip(const char *in, size_t in_len, const char *want) {
  char err[128];
  json_value *v = json_parse(in, in_len, err, sizeof err);
  if (!want) {
    char what[256];
    snprintf(what, sizeof what, "rejects %.100s", in);
    check(v == NULL && err[0] != '\0', what);
    json_free(v);
    return;
  }
  json_buffer b;
  jb_init(&b);
  if (v) jb_value(&b, v);
  char what[512];
  snprintf(what, sizeof what, "%.100s -> %.100s (got %.100s; error %s)", in, want, b.data ? b.data : "(nothing)", v ? "-" : err);
  check(v != NULL && b.data != NULL && strcmp(b.data, want) == 0, what);
  jb_free(&b);
  json_free(v);
}

#define RT(in, want) roundtrip(in, sizeof(in) - 1, want)

int main(void) {
  /* Scalars and exact 64-bit integers. */
  RT("null", "null");
  RT(" true ", "true");
  RT("false", "false");
  RT("0", "0");
  RT("-1", "-1");
  RT("4294967295", "4294967295");
  RT("9223372036854775807", "9223372036854775807");
  RT("-9223372036854775808", "-9223372036854775808");
  RT("1.5", "1.5");
  RT("-2e3", "-2000");
  RT("18446744073709551616", "1.8446744073709552e+19");
  /* Strings: escapes, \u, surrogate pairs, UTF-8 passed through, control characters re-escaped. */
  RT("\"a\\\"b\\\\c\\/d\"", "\"a\\\"b\\\\c/d\"");
  RT("\"\\n\\r\\t\\b\\f\"", "\"\\n\\r\\t\\u0008\\u000c\"");
  RT("\"\\u00e9\\u20ac\"", "\"\xc3\xa9\xe2\x82\xac\"");
  RT("\"\\ud83d\\ude00\"", "\"\xf0\x9f\x98\x80\"");
  RT("\"\xc3\xa9\"", "\"\xc3\xa9\"");
  RT("\"a\\u0000b\"", "\"a\\u0000b\"");
  /* Containers. */
  RT("[]", "[]");
  RT("{}", "{}");
  RT("[1, [2, {\"a\": [null]}], \"x\"]", "[1,[2,{\"a\":[null]}],\"x\"]");
  RT("{\"id\": 7, \"op\": \"JetEndSession\", \"args\": {\"sesid\": \"0x1\", \"grbit\": 0}}",
     "{\"id\":7,\"op\":\"JetEndSession\",\"args\":{\"sesid\":\"0x1\",\"grbit\":0}}");
  /* Rejections. */
  RT("", NULL);
  RT("   ", NULL);
  RT("nul", NULL);
  RT("[1,]", NULL);
  RT("{\"a\" 1}", NULL);
  RT("{\"a\":1,}", NULL);
  RT("{1:2}", NULL);
  RT("01", NULL);
  RT("1.", NULL);
  RT("-", NULL);
  RT("1e", NULL);
  RT("\"abc", NULL);
  RT("\"a\nb\"", NULL);
  RT("\"\\x\"", NULL);
  RT("\"\\ud83d\"", NULL);
  RT("\"\\ude00\"", NULL);
  RT("\"\\u12g4\"", NULL);
  RT("\"\xff\"", NULL);
  RT("\"\xc0\xaf\"", NULL);
  RT("\"\xed\xa0\x80\"", NULL);
  RT("[1] [2]", NULL);
  RT("{\"a\":1}}", NULL);
  {
    /* A NUL byte inside the line is not whitespace. */
    static const char with_nul[] = {'1', '\0', '2'};
    roundtrip(with_nul, sizeof with_nul, NULL);
  }
  {
    /* Depth limit: JSON_MAX_DEPTH levels parse, one more is refused (no stack exhaustion). */
    char deep[2 * (JSON_MAX_DEPTH + 1) + 1];
    char want[sizeof deep];
    for (int i = 0; i < JSON_MAX_DEPTH; i++) { deep[i] = '['; deep[2 * JSON_MAX_DEPTH - 1 - i] = ']'; }
    deep[2 * JSON_MAX_DEPTH] = '\0';
    memcpy(want, deep, sizeof want);
    roundtrip(deep, strlen(deep), want);
    for (int i = 0; i <= JSON_MAX_DEPTH; i++) { deep[i] = '['; deep[2 * JSON_MAX_DEPTH + 1 - i] = ']'; }
    deep[2 * JSON_MAX_DEPTH + 2] = '\0';
    roundtrip(deep, strlen(deep), NULL);
    static char huge[100001];
    memset(huge, '[', sizeof huge - 1);
    roundtrip(huge, sizeof huge - 1, NULL);
  }
  {
    /* json_get: last duplicate wins; a missing key and a non-object give NULL. */
    char err[64];
    const char text[] = "{\"k\":1,\"k\":2}";
    json_value *v = json_parse(text, sizeof text - 1, err, sizeof err);
    const json_value *k = json_get(v, "k");
    check(k && k->kind == JSON_NUMBER && k->is_int && k->integer == 2, "json_get takes the last duplicate");
    check(json_get(v, "missing") == NULL, "json_get of a missing key is NULL");
    check(json_get(k, "k") == NULL, "json_get on a number is NULL");
    json_free(v);
  }
  {
    /* Writer: invalid UTF-8 becomes U+FFFD, DEL and controls are escaped. */
    json_buffer b;
    jb_init(&b);
    jb_string(&b, "a\xff\x7f\x01z", 5);
    check(b.data && strcmp(b.data, "\"a\\ufffd\\u007f\\u0001z\"") == 0, "writer escapes invalid UTF-8 and controls");
    jb_free(&b);
    jb_init(&b);
    jb_uint(&b, 18446744073709551615ull);
    jb_raw(&b, ",");
    jb_int(&b, -9223372036854775807ll - 1);
    check(b.data && strcmp(b.data, "18446744073709551615,-9223372036854775808") == 0, "writer prints 64-bit extremes");
    jb_free(&b);
  }
  printf("json: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
