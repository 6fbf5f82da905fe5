#!/usr/bin/python3
"""queue_mq.py - POSIX message queues for tests/cli/queue.sh, through
ctypes (no module outside the standard library).

  queue_mq.py create /NAME N   create /NAME (O_CREAT|O_EXCL|O_RDWR, mode
                               0600, mq_maxmsg 10, mq_msgsize 64), send N
                               messages, check mq_curmsgs == N
  queue_mq.py unlink /NAME     remove /NAME (a missing queue is no error)
  queue_mq.py exists /NAME     exit 0 if /NAME exists, 1 if not (ENOENT)

Exit status 0, 1 on a failure, 77 when this host cannot have message
queues at all (no librt, ENOSYS, EACCES/EPERM from a sandbox): the
caller skips then.

mq_open is variadic (mode and attr only with O_CREAT); on Linux's ABIs
(x86_64, aarch64, arm, riscv, ...) integer and pointer arguments of a
variadic call are passed like fixed ones, so declaring all four is safe.
struct mq_attr is four longs (plus reserved longs in glibc): c_long
fields give the right layout on 32- and 64-bit targets.  mqd_t is an
int on Linux.
"""
import ctypes
import ctypes.util
import errno
import os
import sys

MAXMSG = 10
MSGSIZE = 64


class MqAttr(ctypes.Structure):
    _fields_ = [("mq_flags", ctypes.c_long),
                ("mq_maxmsg", ctypes.c_long),
                ("mq_msgsize", ctypes.c_long),
                ("mq_curmsgs", ctypes.c_long),
                ("reserved", ctypes.c_long * 4)]


def lib():
    for name in ("librt.so.1", ctypes.util.find_library("rt"), None):
        try:
            rt = ctypes.CDLL(name, use_errno=True)
            rt.mq_open  # noqa: B018 - raises AttributeError if absent
            break
        except (OSError, AttributeError, TypeError):
            continue
    else:
        print("queue_mq: no mq_open in librt or libc", file=sys.stderr)
        sys.exit(77)
    rt.mq_open.restype = ctypes.c_int
    rt.mq_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_uint,
                           ctypes.POINTER(MqAttr)]
    rt.mq_send.restype = ctypes.c_int
    rt.mq_send.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t,
                           ctypes.c_uint]
    rt.mq_getattr.restype = ctypes.c_int
    rt.mq_getattr.argtypes = [ctypes.c_int, ctypes.POINTER(MqAttr)]
    rt.mq_close.restype = ctypes.c_int
    rt.mq_close.argtypes = [ctypes.c_int]
    rt.mq_unlink.restype = ctypes.c_int
    rt.mq_unlink.argtypes = [ctypes.c_char_p]
    return rt


def fail(what, e):
    print("queue_mq: %s: %s" % (what, os.strerror(e)), file=sys.stderr)
    unsupported = (errno.ENOSYS, errno.EACCES, errno.EPERM)
    sys.exit(77 if e in unsupported else 1)


def create(rt, name, n):
    attr = MqAttr(0, MAXMSG, MSGSIZE, 0)
    fd = rt.mq_open(name.encode(), os.O_CREAT | os.O_EXCL | os.O_RDWR,
                    0o600, ctypes.byref(attr))
    if fd < 0:
        fail("mq_open " + name, ctypes.get_errno())
    try:
        for i in range(n):
            msg = b"message %d" % i
            if rt.mq_send(fd, msg, len(msg), 0) != 0:
                fail("mq_send", ctypes.get_errno())
        got = MqAttr()
        if rt.mq_getattr(fd, ctypes.byref(got)) != 0:
            fail("mq_getattr", ctypes.get_errno())
        if got.mq_curmsgs != n or got.mq_maxmsg != MAXMSG:
            print("queue_mq: %s holds %d of %d, want %d of %d" %
                  (name, got.mq_curmsgs, got.mq_maxmsg, n, MAXMSG),
                  file=sys.stderr)
            sys.exit(1)
    finally:
        rt.mq_close(fd)


def unlink(rt, name):
    if rt.mq_unlink(name.encode()) != 0:
        e = ctypes.get_errno()
        if e != errno.ENOENT:
            fail("mq_unlink " + name, e)


def exists(rt, name):
    fd = rt.mq_open(name.encode(), os.O_RDONLY, 0, None)
    if fd >= 0:
        rt.mq_close(fd)
        return 0
    e = ctypes.get_errno()
    if e == errno.ENOENT:
        return 1
    fail("mq_open " + name, e)


def main(argv):
    if len(argv) < 3 or argv[1] not in ("create", "unlink", "exists"):
        print(__doc__, file=sys.stderr)
        return 2
    rt = lib()
    if argv[1] == "create":
        create(rt, argv[2], int(argv[3]))
    elif argv[1] == "exists":
        return exists(rt, argv[2])
    else:
        unlink(rt, argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
