/*
 * fmt.c - locale-independent numbers for the report writers (fmt.h).
 */
#include "reports/fmt.h"

#include <math.h>
#include <stdio.h>

numbuf fmt_num(int general, int prec, double v, const char *nonfinite)
{
    numbuf b;
    if (!isfinite(v)) {
        snprintf(b.s, sizeof b.s, "%s", nonfinite);
        return b;
    }
    if (v == 0)
        v = 0; /* no "-0.000" */
    if (general)
        snprintf(b.s, sizeof b.s, "%.*g", prec, v);
    else
        snprintf(b.s, sizeof b.s, "%.*f", prec, v);
    for (char *p = b.s; *p; p++)
        if (*p == ',')
            *p = '.';
    return b;
}

void fmt_json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}
