/*
 * files.c - spool directory and segment files (see files.h).
 */
#define _GNU_SOURCE            /* O_DIRECTORY, O_CLOEXEC, fdopendir */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "files.h"

int
pf_dir_open(const char *path, long uid, int *dfd, char *why, size_t cap)
{
	struct stat st;
	int fd;

	*dfd = -1;
	if (mkdir(path, 0700) != 0 && errno != EEXIST) {
		snprintf(why, cap, "cannot create it: %s",
		    strerror(errno));
		return HR_EIO;
	}
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(why, cap, "cannot open it: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return HR_EIO;
	}
	if (uid >= 0 && geteuid() == 0 && st.st_uid != (uid_t)uid &&
	    fchown(fd, (uid_t)uid, (gid_t)-1) == 0)
		st.st_uid = (uid_t)uid;
	/* reports are the host's data: nobody else reads or plants files */
	if (st.st_uid != geteuid() && !(geteuid() == 0 && uid >= 0 &&
	    st.st_uid == (uid_t)uid)) {
		snprintf(why, cap, "it belongs to another user (uid %ld)",
		    (long)st.st_uid);
		close(fd);
		errno = EPERM;
		return HR_EIO;
	}
	if ((st.st_mode & 077) != 0 && fchmod(fd, 0700) != 0) {
		snprintf(why, cap, "cannot make it private: %s",
		    strerror(errno));
		close(fd);
		return HR_EIO;
	}
	*dfd = fd;
	return 0;
}

void
pf_dir_close(int dfd)
{
	if (dfd >= 0)
		close(dfd);
}

int
pf_dir_list(int dfd, pf_name_fn fn, void *ctx)
{
	struct dirent *e;
	DIR *d;
	int fd = dup(dfd);

	if (fd < 0)
		return HR_EIO;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return HR_EIO;
	}
	rewinddir(d);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		fn(ctx, e->d_name);
	}
	closedir(d);
	return 0;
}

int
pf_dir_sync(int dfd)
{
	return fsync(dfd) == 0 ? 0 : HR_EIO;
}

int
pf_file_open(int dfd, const char *name, int create, int *fd)
{
	int flags = O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW;

	if (create)
		flags |= O_CREAT | O_EXCL;
	*fd = openat(dfd, name, flags, 0600);
	if (*fd >= 0)
		return 0;
	return errno == ENOENT ? HR_ENOENT : HR_EIO;
}

int
pf_file_append(int fd, const void *a, size_t alen, const void *b,
    size_t blen)
{
	struct iovec iov[2];
	struct stat st;
	size_t want = alen + blen, done = 0;
	ssize_t n;
	int saved;

	if (fstat(fd, &st) != 0)
		return HR_EIO;
	while (done < want) {
		/* rebuild the vector past what was written already */
		int k = 0;
		if (done < alen) {
			iov[k].iov_base = (char *)(uintptr_t)a + done;
			iov[k++].iov_len = alen - done;
			iov[k].iov_base = (void *)(uintptr_t)b;
			iov[k++].iov_len = blen;
		} else {
			iov[k].iov_base = (char *)(uintptr_t)b + (done - alen);
			iov[k++].iov_len = want - done;
		}
		n = writev(fd, iov, k);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		done += (size_t)n;
	}
	return 0;
fail:
	saved = n == 0 ? ENOSPC : errno;
	/* no half record left behind: cut back to where we started */
	(void)ftruncate(fd, st.st_size);
	errno = saved;
	return saved == ENOSPC || saved == EDQUOT ? HR_ENOSPC : HR_EIO;
}

int
pf_file_pread(int fd, void *buf, size_t n, uint64_t off, size_t *got)
{
	size_t done = 0;
	ssize_t r;

	while (done < n) {
		r = pread(fd, (char *)buf + done, n - done,
		    (off_t)(off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return HR_EIO;
		if (r == 0)
			break;
		done += (size_t)r;
	}
	*got = done;
	return 0;
}

int
pf_file_size(int fd, uint64_t *size)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return HR_EIO;
	*size = (uint64_t)st.st_size;
	return 0;
}

int
pf_file_sync(int fd)
{
	return fdatasync(fd) == 0 ? 0 : HR_EIO;
}

int
pf_file_unlink(int dfd, const char *name)
{
	return unlinkat(dfd, name, 0) == 0 ? 0 : HR_EIO;
}
