/*
 * fmt.h - numbers for the report writers: formatted by snprintf, then any ','
 * decimal separator turned into '.', so a program that calls setlocale() still
 * writes the same bytes.
 */
#ifndef FLEETSIM_FMT_H
#define FLEETSIM_FMT_H

#include <stdio.h>

/* A formatted number, returned by value so several fit in one printf call. */
typedef struct numbuf {
    char s[48];
} numbuf;

/* v as "%.*g" (general) or "%.*f", '.' as the decimal point, never "-0"; nonfinite when v is NaN or infinite. */
numbuf fmt_num(int general, int prec, double v, const char *nonfinite);

/* Writes s (NULL: empty) as a JSON string: quotes, backslash and control characters escaped. */
void fmt_json_str(FILE *out, const char *s);

#endif /* FLEETSIM_FMT_H */
