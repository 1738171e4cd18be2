// Number conversions that must agree with Redis 7.0 bit for bit. Redis formats and parses with
// the C library (strtold, strtod, snprintf with "%.17g" and "%.17Lf"); calling the same
// functions is the only way to get the same digits, including for long double on x86-64.
#include "redlite_support.h"
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Redis's MAX_LONG_DOUBLE_CHARS: longer inputs are rejected before parsing.
#define MAX_NUMBER_CHARS (5 * 1024)

int redlite_format_long_double_human(long double value, char *buffer, size_t capacity) {
    if (isinf(value)) {
        return snprintf(buffer, capacity, "%s", value > 0 ? "inf" : "-inf");
    }
    int length = snprintf(buffer, capacity, "%.17Lf", value);
    if (length < 0 || (size_t)length + 1 > capacity) return -1;
    // "%.17Lf" always prints a '.', so trailing zeros (and then the dot) can be dropped.
    if (strchr(buffer, '.') != NULL) {
        char *p = buffer + length - 1;
        while (*p == '0') { p--; length--; }
        if (*p == '.') length--;
    }
    if (length == 2 && buffer[0] == '-' && buffer[1] == '0') {
        buffer[0] = '0';
        length = 1;
    }
    buffer[length] = '\0';
    return length;
}

// The checks Redis applies after strtold/strtod: the whole string consumed, no leading space,
// no overflow to infinity or underflow to zero, no NaN.
static int acceptable(const char *copy, const char *end, long double value, int error) {
    if (isspace((unsigned char)copy[0]) || end[0] != '\0') return 0;
    if (error == ERANGE && (value == HUGE_VALL || value == -HUGE_VALL || value == 0)) return 0;
    if (error == EINVAL || isnan(value)) return 0;
    return 1;
}

int redlite_parse_long_double(const char *bytes, size_t length, long double *value) {
    char copy[MAX_NUMBER_CHARS];
    if (length == 0 || length >= sizeof(copy)) return 0;
    if (length > 0) memcpy(copy, bytes, length);
    copy[length] = '\0';
    // An embedded NUL ends the C string early: the whole-string check must still fail.
    if (strlen(copy) != length) return 0;
    char *end;
    errno = 0;
    long double parsed = strtold(copy, &end);
    if (!acceptable(copy, end, parsed, errno)) return 0;
    *value = parsed;
    return 1;
}

// Redis's string2d: strtod over the whole (NUL-terminated) string, no length limit.
int redlite_parse_double(const char *bytes, size_t length, double *value) {
    if (length == 0) return 0;
    char *copy = malloc(length + 1);
    if (copy == NULL) return 0;
    if (length > 0) memcpy(copy, bytes, length);
    copy[length] = '\0';
    char *end;
    errno = 0;
    double parsed = strtod(copy, &end);
    int ok = (size_t)(end - copy) == length && acceptable(copy, end, parsed, errno);
    free(copy);
    if (ok) *value = parsed;
    return ok;
}

// Redis's zslParseRange: plain strtod on the C string, accepting leading space, an empty
// string (0), overflow (inf) and anything after an embedded NUL; only NaN and trailing bytes
// before the NUL are refused.
int redlite_parse_double_lenient(const char *bytes, size_t length, double *value) {
    char *copy = malloc(length + 1);
    if (copy == NULL) return 0;
    if (length > 0) memcpy(copy, bytes, length);
    copy[length] = '\0';
    char *end;
    double parsed = strtod(copy, &end);
    int ok = end[0] == '\0' && !isnan(parsed);
    free(copy);
    if (ok) *value = parsed;
    return ok;
}

int redlite_increment_by_float(const char *current, size_t current_length, int has_current,
                               const char *increment, size_t increment_length,
                               char *out, size_t capacity) {
    long double value = 0, delta;
    if (has_current && !redlite_parse_long_double(current, current_length, &value)) return -1;
    if (!redlite_parse_long_double(increment, increment_length, &delta)) return -1;
    value += delta;
    if (isnan(value) || isinf(value)) return -2;
    int length = redlite_format_long_double_human(value, out, capacity);
    return length < 0 ? -1 : length;
}
