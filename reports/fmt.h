/*
 * fmt.h - numbers for the report writers: formatted by snprintf, then any ','
 * decimal separator turned into '.', so a program that calls setlocale() still
 * writes the same bytes.
 */
#ifndef FLEETSIM_FMT_H
#define FLEETSIM_FMT_H

/* A formatted number, returned by value so several fit in one printf call. */
typedef struct numbuf {
    char s[48];
} numbuf;

/* v as "%.*g" (general) or "%.*f", '.' as the decimal point, never "-0"; nonfinite when v is NaN or infinite. */
numbuf fmt_num(int general, int prec, double v, const char *nonfinite);

#endif /* FLEETSIM_FMT_H */
