/*
 * api_answer.c - delivering a served call's answer after the service's
 * latency, from a kernel event (api.h's contract: never inside serve).
 */
#include <stdlib.h>

#include "models/core/api.h"

typedef struct answer {
    api_done_fn done;
    void *ctx;
    api_result r;
    api_item *items;
} answer;

void api_items_free(api_item *items, size_t n)
{
    for (size_t i = 0; items && i < n; i++)
        for (size_t k = 0; k < items[i].n_attrs; k++) {
            free((char *)items[i].attrs[k].name);
            free((char *)items[i].attrs[k].value);
        }
    free(items);
}

static void on_answer(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    (void)arg;
    answer *a = obj;
    a->r.items = a->items;
    a->done(a->ctx, &a->r);
    api_items_free(a->items, a->r.n_items);
    free(a);
}

int api_answer(sim *s, sim_time_t delay, api_status st, double units, api_item *items, size_t n, api_done_fn done,
               void *ctx)
{
    answer *a = calloc(1, sizeof *a);
    if (!a) {
        api_items_free(items, n);
        return -1;
    }
    *a = (answer){.done = done, .ctx = ctx, .r = {.status = st, .n_items = n, .units = units}, .items = items};
    sim_evid id = sim_after(s, delay > 0 ? delay : 0, on_answer, a, 0);
    if (id.slot == 0 && id.gen == 0) {
        api_items_free(items, n);
        free(a);
        return -1;
    }
    return 0;
}
