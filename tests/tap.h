/*
 * tap.h - a minimal TAP producer for tests (meson runs them with protocol 'tap').
 * A failing check prints file:line and the values; exit status is non-zero if
 * any check failed, so a test also fails when run by hand.
 */
#ifndef FLEETSIM_TAP_H
#define FLEETSIM_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#if defined(__GNUC__)
#define TAP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TAP_PRINTF(f, a)
#endif

/* Prints a formatted message; a newline inside it continues as a "#" comment line, so a
 * multi-line value (a rendered diagnostic) stays valid TAP. */
static inline void tap_vprint(const char *fmt, va_list ap)
{
    char buf[4096];
    vsnprintf(buf, sizeof buf, fmt, ap);
    for (const char *c = buf; *c; c++) {
        if (*c == '\n' && c[1])
            fputs("\n#   ", stdout);
        else if (*c != '\n')
            putchar(*c);
    }
}

static inline int tap_ok_at(int cond, const char *file, int line, const char *fmt, ...) TAP_PRINTF(4, 5);
static inline int tap_ok_at(int cond, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    tap_n++;
    printf("%s %d - ", cond ? "ok" : "not ok", tap_n);
    va_start(ap, fmt);
    tap_vprint(fmt, ap);
    va_end(ap);
    printf("\n");
    if (!cond) {
        tap_failed++;
        printf("#   failed at %s:%d\n", file, line);
    }
    fflush(stdout);
    return cond;
}

#define ok(cond, ...) tap_ok_at(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_int(got, want, ...) do { \
    long long g_ = (long long)(got), w_ = (long long)(want); \
    if (!ok(g_ == w_, __VA_ARGS__)) printf("#   got %lld, want %lld\n", g_, w_); \
} while (0)

#define is_str(got, want, ...) do { \
    const char *g_ = (got), *w_ = (want); \
    if (!ok(g_ && w_ && strcmp(g_, w_) == 0, __VA_ARGS__)) \
        printf("#   got \"%s\", want \"%s\"\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
} while (0)

/* |got - want| <= tol */
#define is_near(got, want, tol, ...) do { \
    double g_ = (double)(got), w_ = (double)(want), t_ = (double)(tol); \
    if (!ok(fabs(g_ - w_) <= t_, __VA_ARGS__)) printf("#   got %.9g, want %.9g +/- %.3g\n", g_, w_, t_); \
} while (0)

static inline void tap_diag(const char *fmt, ...) TAP_PRINTF(1, 2);
static inline void tap_diag(const char *fmt, ...)
{
    va_list ap;
    printf("# ");
    va_start(ap, fmt);
    tap_vprint(fmt, ap);
    va_end(ap);
    printf("\n");
}

/* Prints the plan and returns the exit status. */
static inline int tap_done(void)
{
    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}

#endif /* FLEETSIM_TAP_H */
