/*
 * progress.c - the progress line (progress.h).
 */
#include "cli/progress.h"

#include <time.h>
#include <unistd.h>

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* h:mm:ss of a count of seconds. */
static void hms(char *buf, size_t len, double seconds)
{
    long s = seconds > 0 && seconds < 1e9 ? (long)seconds : 0;
    snprintf(buf, len, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
}

void progress_start(progress *p, const sim *s, sim_time_t end, FILE *out)
{
    p->out = out && isatty(fileno(out)) ? out : NULL;
    p->s = s;
    p->end = end;
    p->started = p->drawn = wall();
    p->shown = 0;
}

void progress_tick(void *ctx)
{
    progress *p = ctx;
    if (!p->out)
        return;
    double now = wall();
    /* The first tick draws at once, so even a run shorter than a redraw interval shows (and
     * erases) one line: whether the line appears does not depend on the machine's speed. */
    if (p->shown && now - p->drawn < 0.25)
        return;
    p->drawn = now;
    double frac = p->end > 0 ? (double)sim_now(p->s) / (double)p->end : 1;
    double elapsed = now - p->started;
    double rate = elapsed > 0 ? (double)sim_events_fired(p->s) / elapsed : 0;
    char at[32], total[32], eta[32];
    hms(at, sizeof at, sim_to_sec(sim_now(p->s)));
    hms(total, sizeof total, sim_to_sec(p->end));
    if (frac > 0)
        hms(eta, sizeof eta, elapsed * (1 - frac) / frac);
    else
        snprintf(eta, sizeof eta, "?");
    /* \r and erase-to-end: the line is redrawn in place. Integers only, so no locale decimal point. */
    fprintf(p->out, "\rfleetsim: simulated %s of %s  %3d%%  %ld k events/s  ETA %s\033[K", at, total,
            (int)(100 * frac), (long)(rate / 1e3), eta);
    fflush(p->out);
    p->shown = 1;
}

void progress_done(progress *p)
{
    if (p->out && p->shown) {
        fputs("\r\033[K", p->out);
        fflush(p->out);
    }
    p->shown = 0;
}
