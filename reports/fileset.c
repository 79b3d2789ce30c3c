/*
 * fileset.c - output files replaced as a whole (fileset.h).
 *
 * Per-file renames, report.json last, let a reader see the new report.json
 * beside the old windows.csv while the renames run. A generation directory
 * and one link swapped by rename(2) make the switch a single atomic step, and
 * a failed write never touches the live generation.
 */
#define _GNU_SOURCE /* O_DIRECTORY, flock */
#include "reports/fileset.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define GEN_PREFIX ".fleetsim-gen-"
#define NEXT_PREFIX ".fleetsim-next-" /* a link made and then renamed into place */
#define OLD_TMP_PREFIX ".fleetsim-tmp-" /* fleetsim before generations: a killed writer's temp directory */

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static char *join(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + (c ? strlen(c) : 0) + 3;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s%s%s", a, b, c ? "/" : "", c ? c : "");
    return p;
}

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

int fset_prepare_dir(const char *dir, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!dir || !*dir) {
        set_err(err, errlen, "no output directory given");
        return -1;
    }
    char *p = strdup(dir);
    if (!p) {
        set_err(err, errlen, "out of memory");
        return -1;
    }
    /* mkdir -p: each prefix at a '/', then the whole path */
    int rc = 0;
    for (char *q = p + 1;; q++) {
        if (*q != '/' && *q != '\0')
            continue;
        char c = *q;
        *q = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            set_err(err, errlen, "%s: cannot create the directory: %s", p, strerror(errno));
            rc = -1;
        }
        *q = c;
        if (rc || c == '\0')
            break;
    }
    free(p);
    if (rc)
        return -1;
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        set_err(err, errlen, "%s: not a directory", dir);
        return -1;
    }
    /* access() would answer for the real uid and miss a read-only mount: try what the write will do. */
    char *probe = join(dir, GEN_PREFIX "XXXXXX", NULL);
    if (!probe) {
        set_err(err, errlen, "out of memory");
        return -1;
    }
    if (!mkdtemp(probe)) {
        set_err(err, errlen, "%s: cannot write in the directory: %s", dir, strerror(errno));
        free(probe);
        return -1;
    }
    rmdir(probe);
    free(probe);
    return 0;
}

/* Removes a generation directory (flat: files only) and what is in it; errors are ignored (nothing live is in it). */
static void remove_gen(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                unlinkat(dirfd(d), e->d_name, 0);
        closedir(d);
    }
    rmdir(path);
}

/* The live generation's name (what FSET_CURRENT points to), into buf; "" if there is none. */
static void current_gen(const char *dir, char *buf, size_t len)
{
    buf[0] = '\0';
    char *cur = join(dir, FSET_CURRENT, NULL);
    if (!cur)
        return;
    ssize_t n = readlink(cur, buf, len - 1);
    buf[n > 0 ? (size_t)n : 0] = '\0';
    free(cur);
}

/* Removes what a writer killed mid-way left: generations that are not live, half-made links. */
static void collect_garbage(const char *dir, const char *live)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *nm = e->d_name;
        if (starts(nm, NEXT_PREFIX)) {
            unlinkat(dirfd(d), nm, 0);
        } else if ((starts(nm, GEN_PREFIX) && strcmp(nm, live) != 0) || starts(nm, OLD_TMP_PREFIX)) {
            char *p = join(dir, nm, NULL);
            if (p)
                remove_gen(p);
            free(p);
        }
    }
    closedir(d);
}

/* Writes one file at path (0666 less the umask, flushed, fsync'd); 0, or -1 with err naming `shown`. */
static int write_file(const char *path, const char *shown, fset_writer fn, void *ctx, size_t k, char *err,
                      size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
        set_err(err, errlen, "%s: cannot create: %s", shown, strerror(errno));
        return -1;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        set_err(err, errlen, "%s: %s", shown, strerror(errno));
        close(fd);
        return -1;
    }
    errno = 0;
    int bad = fn(ctx, k, f) != 0;
    int e = errno;
    if (!bad && fflush(f) != 0) {
        bad = 1;
        e = errno;
    }
    if (!bad && fsync(fileno(f)) != 0) {
        bad = 1;
        e = errno;
    }
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad)
        set_err(err, errlen, "%s: write failed: %s", shown, e ? strerror(e) : "nothing to write");
    return bad ? -1 : 0;
}

/* Points dir/name at target with a new link renamed into place (atomic, replaces a file or link); 0, or -1 with errno. */
static int link_into_place(const char *dir, const char *name, const char *target, const char *tag)
{
    char *tmp = join(dir, NEXT_PREFIX, NULL), *dst = join(dir, name, NULL);
    int rc = -1;
    if (tmp && dst) {
        size_t n = strlen(tmp) + strlen(tag) + 1;
        char *t = realloc(tmp, n);
        if (t) {
            tmp = t;
            strcat(tmp, tag);
            unlink(tmp);
            if (symlink(target, tmp) == 0) {
                if (rename(tmp, dst) == 0)
                    rc = 0;
                else
                    unlink(tmp);
            }
        }
    } else {
        errno = ENOMEM;
    }
    int e = errno;
    free(tmp);
    free(dst);
    errno = e;
    return rc;
}

/* The link DIR/name should be: .fleetsim-current/name. */
static bool is_our_link(const char *path, const char *name)
{
    char buf[512];
    ssize_t n = readlink(path, buf, sizeof buf - 1);
    if (n < 0)
        return false;
    buf[n] = '\0';
    return starts(buf, FSET_CURRENT "/") && strcmp(buf + strlen(FSET_CURRENT "/"), name) == 0;
}

int fset_write(const char *dir, const char *const *names, size_t n, fset_writer fn, void *ctx, char *err,
               size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (fset_prepare_dir(dir, err, errlen) != 0)
        return -1;
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        set_err(err, errlen, "%s: cannot open the directory: %s", dir, strerror(errno));
        return -1;
    }
    /* Two runs writing into one DIR take turns, so neither collects the other's generation as garbage. */
    if (flock(dfd, LOCK_EX) != 0) {
        set_err(err, errlen, "%s: cannot lock the directory: %s", dir, strerror(errno));
        close(dfd);
        return -1;
    }
    int rc = -1;
    char live[256], *gen = NULL, *cur = NULL;
    bool swapped = false;
    current_gen(dir, live, sizeof live);
    collect_garbage(dir, live);

    /* 0. only files and our links are replaced: a directory named report.json is an error, found before writing */
    bool *needs_link = calloc(n ? n : 1, sizeof *needs_link);
    if (!needs_link) {
        set_err(err, errlen, "out of memory");
        goto out;
    }
    for (size_t k = 0; k < n; k++) {
        char *p = join(dir, names[k], NULL);
        struct stat st;
        if (!p) {
            set_err(err, errlen, "out of memory");
            goto out;
        }
        if (lstat(p, &st) != 0)
            needs_link[k] = true;
        else if (S_ISLNK(st.st_mode))
            needs_link[k] = !is_our_link(p, names[k]);
        else if (S_ISREG(st.st_mode))
            needs_link[k] = true;
        else {
            set_err(err, errlen, "%s: exists and is not a file; it is left alone", p);
            free(p);
            goto out;
        }
        free(p);
    }

    /* 1. the new generation, complete, beside the live one */
    if (!(gen = join(dir, GEN_PREFIX "XXXXXX", NULL)) || !(cur = join(dir, FSET_CURRENT, NULL))) {
        set_err(err, errlen, "out of memory");
        goto out;
    }
    if (!mkdtemp(gen)) {
        set_err(err, errlen, "%s: cannot create a generation directory: %s", dir, strerror(errno));
        free(gen);
        gen = NULL;
        goto out;
    }
    /* mkdtemp makes it 0700; readers of the set need what the umask allows for any directory */
    mode_t mask = umask(0);
    umask(mask);
    if (chmod(gen, 0777 & ~mask) != 0) {
        set_err(err, errlen, "%s: cannot set its mode: %s", gen, strerror(errno));
        goto out;
    }
    for (size_t k = 0; k < n; k++) {
        char *p = join(gen, names[k], NULL), *shown = join(dir, names[k], NULL);
        int bad = !p || !shown;
        if (bad)
            set_err(err, errlen, "out of memory");
        else
            bad = write_file(p, shown, fn, ctx, k, err, errlen) != 0;
        free(p);
        free(shown);
        if (bad)
            goto out;
    }
    int gfd = open(gen, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (gfd >= 0) {
        (void)fsync(gfd);
        close(gfd);
    }

    /* 2. the swap: every file of the set changes at once */
    const char *base = strrchr(gen, '/') + 1;
    if (link_into_place(dir, FSET_CURRENT, base, base + strlen(GEN_PREFIX)) != 0) {
        set_err(err, errlen, "%s: cannot switch to the new set: %s", cur, strerror(errno));
        goto out;
    }
    swapped = true;

    /* 3. names that are not yet links to the live generation become links (once per DIR) */
    for (size_t k = 0; k < n; k++) {
        if (!needs_link[k])
            continue;
        char *target = join(FSET_CURRENT, names[k], NULL);
        int bad = !target || link_into_place(dir, names[k], target, names[k]) != 0;
        int e = errno;
        free(target);
        if (bad) {
            set_err(err, errlen, "%s/%s: cannot link to the new set (it is whole in %s/): %s", dir, names[k], cur,
                    strerror(e));
            goto out;
        }
    }
    rc = 0;
out:
    if (gen && !swapped)
        remove_gen(gen);
    if (swapped && live[0]) {
        /* 4. the previous generation goes; a reader that has a file open keeps reading it */
        char *old = join(dir, live, NULL);
        if (old && starts(live, GEN_PREFIX) && !strchr(live, '/'))
            remove_gen(old);
        free(old);
    }
    if (swapped)
        (void)fsync(dfd);
    free(needs_link);
    free(gen);
    free(cur);
    flock(dfd, LOCK_UN);
    close(dfd);
    return rc;
}
