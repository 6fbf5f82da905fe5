/*
 * err.c - descriptions of the agent's error codes.
 */
#include "err.h"

const char *
hr_strerror(int err)
{
	switch (err) {
	case HR_OK:      return "success";
	case HR_EINVAL:  return "invalid argument or malformed input";
	case HR_ENOENT:  return "not available";
	case HR_EIO:     return "input/output error";
	case HR_ETRUNC:  return "does not fit its buffer";
	case HR_ENOSPC:  return "table full";
	case HR_EINTR:   return "interrupted";
	case HR_EAGAIN:  return "no result yet";
	case HR_ERANGE:  return "value out of range";
	}
	return "unknown error";
}
