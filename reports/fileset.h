/*
 * fileset.h - a set of output files in one directory, replaced as a whole.
 *
 * The files live in a generation directory, DIR/.fleetsim-gen-XXXXXX, and
 * DIR/.fleetsim-current is a symbolic link to the live one; each DIR/NAME is
 * a symbolic link to .fleetsim-current/NAME. A new set is written into a new
 * generation, then one rename(2) of the .fleetsim-current link swaps every
 * file at once (the scheme Kubernetes' AtomicWriter uses for ConfigMap
 * volumes). docs/cli.md "How --out is written" is the user's account of it.
 */
#ifndef FLEETSIM_FILESET_H
#define FLEETSIM_FILESET_H

#include <stddef.h>
#include <stdio.h>

/* The link to the live generation, inside DIR: a reader that resolves it once reads one set. */
#define FSET_CURRENT ".fleetsim-current"

/* Writes file k of the set to out; 0, or -1 (errno says why; 0 when the writer had nothing to write). */
typedef int (*fset_writer)(void *ctx, size_t k, FILE *out);

/* Creates dir and its missing parents (mkdir -p) and checks that a directory can be created in it; 0, or -1 with a message in err (size errlen). */
int fset_prepare_dir(const char *dir, char *err, size_t errlen);

/*
 * Writes names[0..n) (plain file names) into dir as one set replacing the previous set at once;
 * files are created 0666 less the umask and fsync'd. A failure before the swap leaves dir as it
 * was; writers into the same dir are serialised (flock), and generations left by a killed writer
 * are removed. Reads the umask, so call it from one thread at a time. 0, or -1 with a message in err.
 */
int fset_write(const char *dir, const char *const *names, size_t n, fset_writer fn, void *ctx, char *err,
               size_t errlen);

#endif /* FLEETSIM_FILESET_H */
