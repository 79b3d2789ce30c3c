/*
 * capacity.c - in service, desired, instance-hours by type and market; license keys.
 */
#include "reports/capacity.h"

#include <stdbool.h>
#include <string.h>

#include "models/autoscaling/asg.h"
#include "reports/fmt.h"

#define MAX_USE 32

/* Whether the instance with this id is a Spot instance of some group (fixed fleets are On-Demand). */
static bool is_spot(const world *w, const char *id)
{
    for (size_t i = 0; i < world_n_asgs(w); i++) {
        const asg *g = world_asg(w, i);
        for (size_t k = 0; k < asg_n_instances(g); k++)
            if (strcmp(asg_instance_id(g, k), id) == 0)
                return asg_instance_spot(g, k);
    }
    return false;
}

size_t capacity_by_type(const world *w, capacity_use *use, size_t max)
{
    size_t n_inst = 0, n = 0;
    const world_instance_info *in = world_instances(w, &n_inst);
    sim_time_t end = world_end_time(w);
    for (size_t k = 0; k < n_inst; k++) {
        int spot = is_spot(w, in[k].id);
        sim_time_t to = in[k].terminated < 0 || in[k].terminated > end ? end : in[k].terminated;
        double h = to > in[k].running ? sim_to_sec(to - in[k].running) / 3600 : 0;
        size_t j = 0;
        while (j < n && j < max && !(use[j].spot == spot && strcmp(use[j].itype, in[k].itype) == 0))
            j++;
        if (j == n) {
            if (n < max)
                use[n] = (capacity_use){.itype = in[k].itype, .spot = spot};
            n++;
        }
        if (j < max) {
            use[j].instances++;
            use[j].hours += h;
        }
    }
    return n;
}

void capacity_print_text(const world *w, FILE *out)
{
    size_t n_win = 0;
    const stats_window *win = world_windows(w, &n_win);
    int peak = 0, peak_desired = 0;
    double area = 0, span = 0;
    sim_time_t peak_at = 0;
    for (size_t k = 0; k < n_win; k++) {
        sim_time_t end = k + 1 < n_win ? win[k + 1].start : world_end_time(w);
        if (win[k].fleet.in_service > peak) {
            peak = win[k].fleet.in_service;
            peak_at = end;
        }
        if (win[k].fleet.desired > peak_desired)
            peak_desired = win[k].fleet.desired;
        /* sampled at each window's end: the window's level, weighted by its width */
        area += win[k].fleet.in_service * sim_to_sec(end - win[k].start);
        span += sim_to_sec(end - win[k].start);
    }
    fprintf(out, "capacity (instances in service, sampled at each window's end)\n");
    fprintf(out, "  %-22s %14d  at %s s\n", "peak", peak, fmt_num(0, 0, sim_to_sec(peak_at), "0").s);
    fprintf(out, "  %-22s %14s\n", "average", fmt_num(0, 2, span > 0 ? area / span : 0, "0").s);
    fprintf(out, "  %-22s %14d\n", "peak desired", peak_desired);
    capacity_use use[MAX_USE];
    size_t n = capacity_by_type(w, use, MAX_USE);
    if (n) {
        fprintf(out, "  %-14s %-10s %9s %14s\n", "type", "market", "instances", "instance-hours");
        double total = 0;
        for (size_t i = 0; i < n && i < MAX_USE; i++) {
            fprintf(out, "  %-14s %-10s %9zu %14s\n", use[i].itype, use[i].spot ? "Spot" : "On-Demand", use[i].instances,
                    fmt_num(0, 3, use[i].hours, "0").s);
            total += use[i].hours;
        }
        if (n > MAX_USE)
            fprintf(out, "  ... %zu more types\n", n - MAX_USE);
        fprintf(out, "  %-14s %-10s %9s %14s\n", "total", "", "", fmt_num(0, 3, total, "0").s);
    }
    fprintf(out, "\n");
}

void capacity_print_licenses(const world *w, FILE *out)
{
    size_t n = 0;
    const rows_row *all = world_rows(w) ? rows_all(world_rows(w), &n) : NULL;
    bool head = false;
    for (size_t i = 0; i < n; i++) {
        double keys, max_in_use = 0, leaks = 0, in_use = 0;
        if (!rows_get_num(&all[i], "keys", &keys))
            continue;
        rows_get_num(&all[i], "max_keys_in_use", &max_in_use);
        rows_get_num(&all[i], "leaks", &leaks);
        rows_get_num(&all[i], "keys_in_use", &in_use);
        if (!head)
            fprintf(out, "licenses                 %6s %12s %10s %8s\n", "keys", "most in use", "in use end", "leaks");
        head = true;
        fprintf(out, "  %-22.22s %6.0f %12.0f %10.0f %8.0f\n", all[i].name, keys, max_in_use, in_use, leaks);
    }
    if (head)
        fprintf(out, "\n");
}
