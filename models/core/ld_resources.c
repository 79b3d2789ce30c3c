/*
 * ld_resources.c - the walk over `resources:` through the type table (every
 * name first, then each block in its type's pass), references between
 * resources (NAME or Terraform's TYPE.NAME[.arn|.id|...]) and instance types.
 *
 * Two passes: the first learns every name and type, so the second can resolve
 * references in any order, as Terraform does.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/loader.h"
#include "models/ec2/instance_type.h"

struct ld_ovr {
    const scn_node *key;
    bool ok;
    scn_itype t;
};
typedef struct ld_ovr ovr;

/* ---------------------------------------------------------------- references */

static int res_cmp(const void *pa, const void *pb)
{
    const ld_res *a = *(const ld_res *const *)pa, *b = *(const ld_res *const *)pb;
    return strcmp(a->name, b->name);
}

const ld_res *ld_res_find(const loader *v, const char *name)
{
    size_t lo = 0, hi = v->n_res;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(v->by_name[mid]->name, name);
        if (c == 0)
            return v->by_name[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const res_type *ld_type_find(const char *t)
{
    for (const res_type *const *p = ld_types; *p; p++)
        if (strcmp(t, (*p)->tf_type) == 0)
            return *p;
    for (const res_type *const *p = ld_types; *p; p++)
        if (ld_in_list(t, (*p)->aliases))
            return *p;
    return NULL;
}

bool ld_res_is(const ld_res *r, const char *tf_type)
{
    return r && r->type && strcmp(r->type->tf_type, tf_type) == 0;
}

size_t ld_type_index(const res_type *t)
{
    size_t k = 0;
    while (ld_types[k] && ld_types[k] != t)
        k++;
    return k;
}

void *ld_type_cfgs(const scenario *s, const res_type *t, size_t *n)
{
    void *arr = NULL;
    size_t count = 0;
    if (t && t->cfg_size && t->arr_off) {
        memcpy(&arr, (const char *)s + t->arr_off, sizeof arr);
        memcpy(&count, (const char *)s + t->n_off, sizeof count);
    } else if (t && t->cfg_size && s->typed && ld_types[ld_type_index(t)]) {
        arr = s->typed[ld_type_index(t)].arr;
        count = s->typed[ld_type_index(t)].n;
    }
    if (n)
        *n = count;
    return arr;
}

bool ld_type_set_cfgs(scenario *s, const res_type *t, void *arr, size_t n)
{
    if (t->arr_off) {
        memcpy((char *)s + t->arr_off, &arr, sizeof arr);
        memcpy((char *)s + t->n_off, &n, sizeof n);
        return true;
    }
    size_t k = ld_type_index(t);
    if (!ld_types[k])
        return false;
    if (!s->typed) {
        size_t n_types = 0;
        while (ld_types[n_types])
            n_types++;
        if (!(s->typed = calloc(n_types, sizeof *s->typed)))
            return false;
    }
    s->typed[k].arr = arr;
    s->typed[k].n = n;
    return true;
}

void *ld_cfg_at(const loader *v, const res_type *t, int idx)
{
    char *arr = ld_type_cfgs(v->s, t, NULL);
    return arr + (size_t)idx * t->cfg_size;
}

static bool type_in(const res_type *t, const char *const *types)
{
    return t && ld_in_list(t->tf_type, types);
}

/* "aws_lb" or "aws_sns_topic or aws_autoscaling_policy": the types named, in table order. */
static const char *types_text(char *buf, size_t size, const char *const *types)
{
    size_t len = 0;
    buf[0] = '\0';
    for (const res_type *const *p = ld_types; *p; p++)
        if (type_in(*p, types) && len < size)
            len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? " or " : "", (*p)->tf_type);
    return buf;
}

int ld_resolve_any(loader *v, const scn_node *n, const char *key, const char *const *types,
                   const res_type **type_out, int *out)
{
    char b1[96], b2[96], name[256], want[160];
    types_text(want, sizeof want, types);
    if (n->kind != SCN_N_SCALAR || scn_is_null(n)) {
        scn_err(&v->c, n, "'%s': expected the name of an %s, found %s", key, want, scn_kind_name(n));
        return -1;
    }
    const char *str = n->str;
    const res_type *typed = NULL;
    const char *dot = strchr(str, '.');
    if (dot) {
        /* Terraform form: the type in front must be the referenced resource's type. */
        char type[64];
        size_t tl = (size_t)(dot - str);
        if (tl < sizeof type) {
            memcpy(type, str, tl);
            type[tl] = '\0';
            typed = ld_type_find(type);
        }
        if (typed) {
            const char *nm = dot + 1, *dot2 = strchr(nm, '.');
            size_t nl = dot2 ? (size_t)(dot2 - nm) : strlen(nm);
            if (dot2 && strcmp(dot2 + 1, "arn") != 0 && strcmp(dot2 + 1, "id") != 0 &&
                strcmp(dot2 + 1, "name") != 0 && strcmp(dot2 + 1, "arn_suffix") != 0) {
                scn_err(&v->c, n, "'%s': a reference ends in .arn, .id, .name or .arn_suffix, found '%s'", key,
                        scn_clip(b1, sizeof b1, str));
                return -1;
            }
            if (nl >= sizeof name || nl == 0) {
                scn_err(&v->c, n, "'%s': invalid reference '%s'", key, scn_clip(b1, sizeof b1, str));
                return -1;
            }
            memcpy(name, nm, nl);
            name[nl] = '\0';
            str = name;
        }
    }
    const ld_res *r = ld_res_find(v, str);
    if (typed && !type_in(typed, types) && (!r || r->type == typed)) {
        scn_err(&v->c, n, "'%s': expected a reference to an %s, found one to an %s", key, want, typed->tf_type);
        return -1;
    }
    if (!r) {
        const char *best = NULL;
        int best_d = 99;
        for (size_t i = 0; i < v->n_res && !ld_quiet(v); i++)
            if (type_in(v->res[i].type, types))
                ld_suggest(str, v->res[i].name, &best, &best_d);
        scn_err(&v->c, n, "no %s named '%s'%s", want, scn_clip(b1, sizeof b1, str), ld_hint(b2, sizeof b2, best));
        return -1;
    }
    if (!r->type)
        return -1; /* the resource itself is broken and already reported */
    if (!type_in(r->type, types)) {
        scn_err(&v->c, n, "'%s' is an %s, expected an %s", scn_clip(b1, sizeof b1, str), r->type->tf_type, want);
        return -1;
    }
    if (type_out)
        *type_out = r->type;
    *out = r->idx;
    return 1;
}

int ld_resolve(loader *v, const scn_node *n, const char *key, const char *tf_type, int *out)
{
    const char *const types[] = {tf_type, NULL};
    return ld_resolve_any(v, n, key, types, NULL, out);
}

int ld_get_ref(const ld_sect *s, const char *key, bool required, const char *tf_type, int *out)
{
    *out = -1;
    const scn_node *n = ld_sect_need(s, key, required);
    if (!n)
        return 0;
    return ld_resolve(s->v, n, key, tf_type, out);
}

/* ---------------------------------------------------------------- instance types */

const char *ld_price_region(const loader *v)
{
    /* An unknown region is already reported; pricing it as us-west-2 lets the rest be checked. */
    return v->bad_region || !itype_region_known(v->s->region) ? "us-west-2" : v->s->region;
}

#define MAX_ITYPES 1000 /* each reference scans them: keeps a hostile file from going quadratic */

void ld_load_instance_types(loader *v, const scn_node *n)
{
    char b1[96], b2[96], what[160];
    ld_sect top;
    if (!ld_sect_open(v, &top, n, n, "'instance_types'"))
        return;
    size_t np = n->n / 2;
    if (np > MAX_ITYPES) {
        scn_err(&v->c, n, "'instance_types' has %zu entries (at most %d)", np, MAX_ITYPES);
        return;
    }
    v->ovr = calloc(np ? np : 1, sizeof *v->ovr);
    if (!v->ovr) {
        scn_err(&v->c, n, "out of memory");
        return;
    }
    for (size_t i = 0; i < np; i++) {
        const scn_node *k = n->kids[2 * i], *val = n->kids[2 * i + 1];
        if (k->kind != SCN_N_SCALAR)
            continue;
        ovr *o = &v->ovr[v->n_ovr++];
        o->key = k;
        if (strlen(k->str) == 0 || strlen(k->str) >= sizeof o->t.name) {
            scn_err(&v->c, k, "instance type name '%s' must have 1 to %zu characters",
                    scn_clip(b1, sizeof b1, k->str), sizeof o->t.name - 1);
            continue;
        }
        snprintf(what, sizeof what, "instance type '%s'", k->str);
        ld_sect s;
        if (!ld_sect_open(v, &s, val, k, what))
            continue;
        static const char *const keys[] = {"vcpus", "speed", "hourly_price", NULL};
        ld_sect_keys(&s, keys, NULL);
        const scn_itype *base = itype_catalog_find_in(ld_price_region(v), k->str);
        if (base)
            o->t = *base;
        else
            snprintf(o->t.name, sizeof o->t.name, "%s", k->str);
        long long vcpus = o->t.vcpus;
        int rc1 = ld_get_int(&s, "vcpus", false, vcpus, 1, 448, &vcpus);
        int rc2 = ld_get_num(&s, "speed", false, o->t.speed, 0, true, 100, &o->t.speed);
        int rc3 = ld_get_money(&s, "hourly_price", false, &o->t.hourly_usd);
        o->t.vcpus = (int)vcpus;
        if (!base && (rc1 == 0 || rc2 == 0 || rc3 == 0)) {
            const char *best = NULL;
            int best_d = 99;
            for (size_t j = 0; j < itype_catalog_count(); j++)
                ld_suggest(k->str, itype_catalog_at(j)->name, &best, &best_d);
            scn_err(&v->c, k, "'%s' is not in the instance type catalog%s: a new type needs vcpus, speed "
                    "and hourly_price (missing '%s')", scn_clip(b1, sizeof b1, k->str),
                    ld_hint(b2, sizeof b2, best), rc1 == 0 ? "vcpus" : rc2 == 0 ? "speed" : "hourly_price");
            continue;
        }
        o->ok = rc1 >= 0 && rc2 >= 0 && rc3 >= 0;
    }
}

/* Resolves an instance type name to an index into s->itypes, adding it on first use. */
int ld_itype_ref(loader *v, const ld_sect *s, const char *key, int *out)
{
    char b1[96], b2[96];
    scenario *sc = v->s;
    *out = -1;
    const scn_node *n = ld_sect_need(s, key, true);
    if (!n || !ld_want_scalar(s, n, key, "an instance type name (e.g. c5.large)"))
        return -1;
    for (size_t i = 0; i < sc->n_itypes; i++)
        if (strcmp(sc->itypes[i].name, n->str) == 0) {
            *out = (int)i;
            return 1;
        }
    scn_itype t;
    const ovr *o = NULL;
    for (size_t i = 0; i < v->n_ovr; i++)
        if (strcmp(v->ovr[i].key->str, n->str) == 0)
            o = &v->ovr[i];
    if (o) {
        if (!o->ok)
            return -1;
        t = o->t;
    } else {
        const scn_itype *c = itype_catalog_find_in(ld_price_region(v), n->str);
        if (!c) {
            const char *best = NULL;
            int best_d = 99;
            for (size_t j = 0; j < itype_catalog_count(); j++)
                ld_suggest(n->str, itype_catalog_at(j)->name, &best, &best_d);
            for (size_t j = 0; j < v->n_ovr && !ld_quiet(v); j++)
                ld_suggest(n->str, v->ovr[j].key->str, &best, &best_d);
            scn_err(&v->c, n, "unknown instance type '%s'%s; define it under instance_types to add it",
                    scn_clip(b1, sizeof b1, n->str), ld_hint(b2, sizeof b2, best));
            return -1;
        }
        t = *c;
    }
    if (sc->n_itypes == v->itypes_cap) {
        size_t cap = v->itypes_cap ? v->itypes_cap * 2 : 4;
        scn_itype *p = realloc(sc->itypes, cap * sizeof *p);
        if (!p) {
            scn_err(&v->c, n, "out of memory");
            return -1;
        }
        sc->itypes = p;
        v->itypes_cap = cap;
    }
    sc->itypes[sc->n_itypes] = t;
    *out = (int)sc->n_itypes++;
    return 1;
}

/* ---------------------------------------------------------------- SNS */

static bool valid_name(const char *s)
{
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
        return false;
    size_t n = 0;
    for (; *s; s++, n++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
              *s == '-'))
            return false;
    return n <= SCN_NAME_MAX;
}

void ld_load_resources(loader *v, const scn_node *n)
{
    char b1[96], b2[96], what[320];
    scenario *sc = v->s;
    ld_sect top;
    if (!ld_sect_open(v, &top, n, n, "'resources'"))
        return;
    size_t np = n->n / 2;
    v->res = calloc(np ? np : 1, sizeof *v->res);
    v->by_name = calloc(np ? np : 1, sizeof *v->by_name);
    if (!v->res || !v->by_name) {
        scn_err(&v->c, n, "out of memory");
        return;
    }
    size_t n_types = 0;
    while (ld_types[n_types])
        n_types++;
    size_t *counts = calloc(n_types, sizeof *counts);
    if (!counts) {
        scn_err(&v->c, n, "out of memory");
        return;
    }
    for (size_t i = 0; i < np; i++) {
        const scn_node *k = n->kids[2 * i], *val = n->kids[2 * i + 1];
        if (k->kind != SCN_N_SCALAR)
            continue;
        ld_res *r = &v->res[v->n_res];
        v->by_name[v->n_res++] = r;
        *r = (ld_res){.name = k->str, .key = k, .val = val};
        if (!valid_name(k->str)) {
            scn_err(&v->c, k, "invalid resource name '%s': use letters, digits, '_' and '-', starting with a "
                    "letter or '_' (as Terraform does)", scn_clip(b1, sizeof b1, k->str));
            continue;
        }
        snprintf(what, sizeof what, "resource \"%s\"", k->str);
        ld_sect s;
        if (!ld_sect_open(v, &s, val, k, what))
            continue;
        const scn_node *t = ld_sect_need(&s, "type", true);
        if (!t || !ld_want_scalar(&s, t, "type", "a resource type (e.g. aws_lb)"))
            continue;
        const res_type *type = ld_type_find(t->str);
        if (!type) {
            if (ld_in_list(t->str, ld_later_types)) {
                scn_err(&v->c, t, "resource type '%s' is not supported yet", t->str);
                continue;
            }
            const char *best = NULL;
            int best_d = 99;
            for (const res_type *const *p = ld_types; *p; p++)
                ld_suggest(t->str, (*p)->tf_type, &best, &best_d);
            scn_err(&v->c, t, "unknown resource type '%s'%s", scn_clip(b1, sizeof b1, t->str),
                    ld_hint(b2, sizeof b2, best));
            continue;
        }
        r->type = type;
        r->idx = (int)counts[ld_type_index(type)]++;
    }
    qsort(v->by_name, v->n_res, sizeof *v->by_name, res_cmp);

    /* Each type's array in the scenario, sized by the first pass. */
    for (size_t k = 0; k < n_types; k++) {
        const res_type *t = ld_types[k];
        if (!t->cfg_size || !counts[k])
            continue;
        void *arr = calloc(counts[k], t->cfg_size);
        if (!arr || !ld_type_set_cfgs(sc, t, arr, counts[k])) {
            free(arr);
            scn_err(&v->c, n, "out of memory");
            free(counts);
            return;
        }
    }
    free(counts);

    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < v->n_res; i++) {
            ld_res *r = &v->res[i];
            if (!r->type || r->type->pass != pass)
                continue;
            snprintf(what, sizeof what, "%s \"%s\"", r->type->tf_type, r->name);
            ld_sect s;
            ld_sect_open(v, &s, r->val, r->key, what);
            s.resource = true;
            void *cfg = NULL;
            if (r->type->cfg_size) {
                /* Every cfg struct starts with its name and location (scenario.h). */
                cfg = ld_cfg_at(v, r->type, r->idx);
                scn_res_head *h = cfg;
                if (!(h->name = ld_dupstr(r->name))) {
                    scn_err(&v->c, r->key, "out of memory");
                    return;
                }
                h->loc = (scn_loc){r->key->line, r->key->col};
            }
            r->type->load(v, &s, cfg, r);
        }
    for (const res_type *const *p = ld_types; *p; p++)
        if ((*p)->finish)
            (*p)->finish(v);
}

