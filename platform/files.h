/*
 * files.h - the file operations of the spool (agent/spool.c): one
 * directory held open, append-only files inside it, positional reads,
 * durable syncs.  All file names are relative to the directory's
 * descriptor, so replacing the path under a running agent cannot
 * redirect its writes.
 *
 * Return values are 0 or a negative HR_E* code (agent/err.h); errno is
 * kept for messages (strerror).
 */
#ifndef HR_FILES_H
#define HR_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "../agent/err.h"

/*
 * Open the spool directory, creating it (mode 0700, and owned by uid
 * when uid >= 0 and we are root) when it does not exist; its parent must
 * exist.  An existing directory must be ours; group or other permission
 * bits are removed.  Returns 0 with *dfd, or HR_EIO with the reason in
 * why (errno set).
 */
int pf_dir_open(const char *path, long uid, int *dfd, char *why, size_t cap);
void pf_dir_close(int dfd);

/* Call fn for every entry name of the directory (not "." or ".."). */
typedef void (*pf_name_fn)(void *ctx, const char *name);
int pf_dir_list(int dfd, pf_name_fn fn, void *ctx);

/* fsync the directory: names created or removed are durable. */
int pf_dir_sync(int dfd);

/*
 * Open a file of the directory for appending and reading (0600); with
 * create, the file must not exist yet.  HR_ENOENT or HR_EIO.
 */
int pf_file_open(int dfd, const char *name, int create, int *fd);

/*
 * Append a then b (one record: header and payload) at the end of the
 * file.  A failed or short write is undone (the file is cut back to its
 * size before), so a failure never leaves half a record behind unless
 * the cut fails too.  HR_ENOSPC when the file system is full, HR_EIO.
 */
int pf_file_append(int fd, const void *a, size_t alen, const void *b,
    size_t blen);

/* Read up to n bytes at off; *got < n only at the end of the file. */
int pf_file_pread(int fd, void *buf, size_t n, uint64_t off, size_t *got);
int pf_file_size(int fd, uint64_t *size);
/* The file's data (and size) is on stable storage. */
int pf_file_sync(int fd);
int pf_file_unlink(int dfd, const char *name);

#endif
