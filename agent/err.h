/*
 * err.h - the agent's error codes.  Functions return 0 or one of these
 * (negative) values; never errno, never a count.
 */
#ifndef HR_ERR_H
#define HR_ERR_H

enum hr_err {
	HR_OK      = 0,
	HR_EINVAL  = -1,   /* bad argument or malformed input */
	HR_ENOENT  = -2,   /* source missing: signal not available */
	HR_EIO     = -3,   /* read or system call failed */
	HR_ETRUNC  = -4,   /* output or input did not fit its buffer */
	HR_ENOSPC  = -5,   /* fixed table full */
	HR_EINTR   = -6,   /* interrupted by a signal */
	HR_EAGAIN  = -7,   /* no result yet (first sample, no time passed) */
	HR_ERANGE  = -8    /* value out of range */
};

/* Static description of an error code; never NULL. */
const char *hr_strerror(int err);

#endif
