#ifndef REDLITE_SUPPORT_H
#define REDLITE_SUPPORT_H
#include <stddef.h>

/// Formats `value` as Redis 7.0 formats doubles in replies (`%.17g`). Returns the length.
int redlite_format_double(double value, char *buffer, size_t capacity);

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

/// Adds two long doubles (Swift has Float80 only on x86; this keeps one code path).
long double redlite_long_double_add(long double a, long double b);

#endif
