#ifndef REDLITE_SUPPORT_H
#define REDLITE_SUPPORT_H
#include <stddef.h>

/// Formats the long double `value` as Redis 7.0's ld2string in human mode (`%.17Lf`,
/// trailing zeros and dot removed, "-0" becomes "0"). Returns the length, or -1 if it does
/// not fit.
int redlite_format_long_double_human(long double value, char *buffer, size_t capacity);

/// Parses `length` bytes as Redis 7.0 parses a long double (strtold, whole string, no
/// leading space, no NaN, no overflow). Returns 1 and stores the value on success.
int redlite_parse_long_double(const char *bytes, size_t length, long double *value);

/// Parses `length` bytes as Redis 7.0 parses a double (strtod, whole string, no leading
/// space, no NaN, no overflow). Returns 1 and stores the value on success.
int redlite_parse_double(const char *bytes, size_t length, double *value);

/// Parses a score-range bound as Redis 7.0's zslParseRange does (plain strtod on the C string:
/// leading space and "" accepted, overflow gives inf, only NaN and trailing bytes refused).
int redlite_parse_double_lenient(const char *bytes, size_t length, double *value);

/// INCRBYFLOAT's arithmetic in long double, as Redis 7.0 does it: parses `current` (0 when
/// `has_current` is 0) and `increment`, adds them and formats the sum in human mode into `out`.
/// Returns the length written, -1 when either input is not a valid float, -2 when the sum is
/// NaN or infinite. Kept in C because Swift has no portable long double.
int redlite_increment_by_float(const char *current, size_t current_length, int has_current,
                               const char *increment, size_t increment_length,
                               char *out, size_t capacity);

#endif
