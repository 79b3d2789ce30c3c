/*
 * shard.c - partial results as a line-oriented text file:
 *
 *   fleetsim.partial/1
 *   file LEN\nBYTES\n  text LEN\nBYTES\n  sets N\n (LEN\nBYTES\n)...
 *   replications R variants 0|1 shard I N hash HEX
 *   job J partial P
 *   fig X... (HEADLINE_N hex floats)
 *   hist COUNT CLAMPED MIN MAX SUM NONZERO\n (b INDEX COUNT\n)...
 *   ledger NSERVICES NLINES\n (service NAME USD\n)... (line SERVICE ITEM UNIT USAGE UNIT_USD USD MIXED\n)...
 *   end
 *
 * Doubles are written with %a and the histogram's long double sum with %La,
 * so reading gives back the very bits that were written.
 */
#include "models/core/shard.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

int shard_parse(const char *s, size_t *i, size_t *n)
{
    char *end;
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    unsigned long a = strtoul(s, &end, 10);
    if (errno || *end != '/' || end[1] < '0' || end[1] > '9')
        return -1;
    unsigned long b = strtoul(end + 1, &end, 10);
    if (errno || *end || b < 1 || b > 100000 || a >= b)
        return -1;
    *i = a;
    *n = b;
    return 0;
}

void shard_range(size_t n_jobs, size_t i, size_t n, size_t *first, size_t *last)
{
    *first = n_jobs * i / n;
    *last = n_jobs * (i + 1) / n;
}

uint64_t shard_hash(const shard_origin *o)
{
    uint64_t h = SIM_FNV_BASIS;
    char nums[64];
    h = sim_fnv1a(h, o->file, strlen(o->file) + 1);
    h = sim_fnv1a(h, o->text, o->text_len);
    for (size_t k = 0; k < o->n_sets; k++)
        h = sim_fnv1a(h, o->sets[k], strlen(o->sets[k]) + 1);
    snprintf(nums, sizeof nums, "%d %d %zu", o->replications, o->with_variants, o->n_sets);
    return sim_fnv1a(h, nums, strlen(nums));
}

static void put_bytes(FILE *out, const char *tag, const char *s, size_t len)
{
    fprintf(out, "%s%s%zu\n", tag, *tag ? " " : "", len);
    fwrite(s, 1, len, out);
    fputc('\n', out);
}

int shard_write(FILE *out, const shard_origin *o, const batch *b, size_t first, size_t last)
{
    fprintf(out, "%s\n", SHARD_SCHEMA);
    put_bytes(out, "file", o->file, strlen(o->file));
    put_bytes(out, "text", o->text, o->text_len);
    fprintf(out, "sets %zu\n", o->n_sets);
    for (size_t k = 0; k < o->n_sets; k++)
        put_bytes(out, "", o->sets[k], strlen(o->sets[k]));
    fprintf(out, "replications %d variants %d shard %zu %zu hash %016" PRIx64 "\n", o->replications,
            o->with_variants, o->shard_i, o->shard_n, shard_hash(o));
    return shard_write_jobs(out, b, first, last);
}

int shard_write_jobs(FILE *out, const batch *b, size_t first, size_t last)
{
    for (size_t j = first; j < last; j++) {
        int partial;
        const double *fig;
        const hist *h;
        const cost_ledger *l;
        if (batch_job_get(b, j, &partial, &fig, &h, &l) != 0)
            continue;
        fprintf(out, "job %zu partial %d\nfig", j, partial);
        for (int f = 0; f < HEADLINE_N; f++)
            fprintf(out, " %a", fig[f]);
        size_t nz = 0;
        for (int k = 0; k < HIST_N_BUCKETS; k++)
            nz += h->buckets[k] != 0;
        fprintf(out, "\nhist %" PRIu64 " %" PRIu64 " %" PRId64 " %" PRId64 " %La %zu\n", h->count, h->clamped, h->min,
                h->max, h->sum, nz);
        for (int k = 0; k < HIST_N_BUCKETS; k++)
            if (h->buckets[k])
                fprintf(out, "b %d %" PRIu64 "\n", k, h->buckets[k]);
        fprintf(out, "ledger %zu %zu\n", l->n, l->n_lines);
        for (size_t k = 0; k < l->n; k++)
            fprintf(out, "service %s %a\n", l->items[k].item, l->items[k].usd);
        for (size_t k = 0; k < l->n_lines; k++) {
            const cost_line *x = &l->lines[k];
            fprintf(out, "line %zu %s %s %a %a %a %d\n", x->service, x->item, x->unit, x->usage, x->unit_usd, x->usd,
                    x->mixed);
        }
    }
    fprintf(out, "end\n");
    return ferror(out) ? -1 : 0;
}

/* Reads "TAG LEN\nBYTES\n" (TAG "" for none) into a new NUL-terminated string. */
static char *get_bytes(FILE *in, const char *tag, size_t *len_out)
{
    char word[16] = "";
    size_t len;
    if (*tag ? fscanf(in, "%15s %zu", word, &len) != 2 || strcmp(word, tag) != 0 : fscanf(in, "%zu", &len) != 1)
        return NULL;
    if (fgetc(in) != '\n' || len > ((size_t)64 << 20))
        return NULL;
    char *s = malloc(len + 1);
    if (!s || fread(s, 1, len, in) != len || fgetc(in) != '\n') {
        free(s);
        return NULL;
    }
    s[len] = '\0';
    if (len_out)
        *len_out = len;
    return s;
}

int shard_read_origin(FILE *in, shard_origin *o, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    char line[64];
    if (!fgets(line, sizeof line, in) || strcmp(line, SHARD_SCHEMA "\n") != 0) {
        snprintf(err, errlen, "not a fleetsim partial result (%s)", SHARD_SCHEMA);
        return -1;
    }
    size_t n_sets = 0;
    uint64_t hash = 0;
    if (!(o->file = get_bytes(in, "file", NULL)) || !(o->text = get_bytes(in, "text", &o->text_len)) ||
        fscanf(in, " sets %zu", &n_sets) != 1 || n_sets > 100000 || !(o->sets = calloc(n_sets + 1, sizeof *o->sets)))
        goto bad;
    for (; o->n_sets < n_sets; o->n_sets++)
        if (!(o->sets[o->n_sets] = get_bytes(in, "", NULL)))
            goto bad;
    if (fscanf(in, " replications %d variants %d shard %zu %zu hash %" SCNx64, &o->replications, &o->with_variants,
               &o->shard_i, &o->shard_n, &hash) != 5)
        goto bad;
    if (hash != shard_hash(o)) {
        snprintf(err, errlen, "its origin does not match its hash (the file was altered)");
        return -1;
    }
    return 0;
bad:
    snprintf(err, errlen, "a damaged or truncated partial result");
    return -1;
}

int shard_read_jobs(FILE *in, batch *b, char *err, size_t errlen)
{
    char word[16];
    for (;;) {
        if (fscanf(in, " %15s", word) != 1)
            break;
        if (strcmp(word, "end") == 0)
            return 0;
        size_t j;
        int partial;
        if (strcmp(word, "job") != 0 || fscanf(in, "%zu partial %d fig", &j, &partial) != 2 || j >= batch_n_jobs(b))
            break;
        if (batch_job_ran(b, j)) {
            snprintf(err, errlen, "job %zu (%s, replication %zu) is in two partial results", j,
                     batch_variant_name(b, j / batch_n_replications(b)), j % batch_n_replications(b));
            return -1;
        }
        double fig[HEADLINE_N];
        char num[64];
        int okf = 1;
        for (int f = 0; f < HEADLINE_N && okf; f++)
            okf = fscanf(in, " %63s", num) == 1 && ((fig[f] = strtod(num, NULL)), 1);
        uint64_t count, clamped;
        int64_t mn, mx;
        size_t nz;
        char sum[64];
        if (!okf || fscanf(in, " hist %" SCNu64 " %" SCNu64 " %" SCNd64 " %" SCNd64 " %63s %zu", &count, &clamped, &mn,
                           &mx, sum, &nz) != 6)
            break;
        hist tmp; /* the ledger follows the buckets: read them into a histogram first */
        hist_reset(&tmp);
        tmp.count = count;
        tmp.clamped = clamped;
        tmp.min = mn;
        tmp.max = mx;
        tmp.sum = strtold(sum, NULL);
        int okb = 1;
        for (size_t k = 0; k < nz && okb; k++) {
            int idx;
            uint64_t c;
            okb = fscanf(in, " b %d %" SCNu64, &idx, &c) == 2 && idx >= 0 && idx < HIST_N_BUCKETS;
            if (okb)
                tmp.buckets[idx] = c;
        }
        size_t ns, nl;
        if (!okb || fscanf(in, " ledger %zu %zu", &ns, &nl) != 2 || ns > COST_MAX_ITEMS || nl > COST_MAX_LINES)
            break;
        /* The ledger as it was, field by field: its sums are not recomputed, so they keep their bits. */
        cost_ledger l;
        memset(&l, 0, sizeof l);
        int okl = 1;
        for (size_t k = 0; k < ns && okl; k++) {
            char usd[64];
            okl = fscanf(in, " service %23s %63s", l.items[k].item, usd) == 2;
            l.items[k].usd = strtod(usd, NULL);
        }
        for (size_t k = 0; k < nl && okl; k++) {
            cost_line *x = &l.lines[k];
            char u1[64], u2[64], u3[64];
            okl = fscanf(in, " line %zu %23s %19s %63s %63s %63s %d", &x->service, x->item, x->unit, u1, u2, u3,
                         &x->mixed) == 7 && x->service < ns;
            x->usage = strtod(u1, NULL);
            x->unit_usd = strtod(u2, NULL);
            x->usd = strtod(u3, NULL);
        }
        l.n = ns;
        l.n_lines = nl;
        if (!okl)
            break;
        hist *h = batch_job_put(b, j, partial, fig, &l);
        if (!h) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        *h = tmp;
    }
    snprintf(err, errlen, "a damaged or truncated partial result");
    return -1;
}

void shard_origin_free(shard_origin *o)
{
    free(o->file);
    free(o->text);
    for (size_t k = 0; k < o->n_sets; k++)
        free(o->sets[k]);
    free(o->sets);
    memset(o, 0, sizeof *o);
}
