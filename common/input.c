/*
 * Opening input files that may be FIFOs.
 *
 * A blocking open(2) of a FIFO with no writer waits inside the kernel until one comes.
 * A signal ends that wait only in the thread it is delivered to, and prediction files
 * are read by worker threads, which the CLI's SIGTERM does not reach. So the file is
 * opened without blocking, which never waits, and the wait for the writer happens in
 * poll(2), which a handled signal interrupts (signal(7): never restarted) and which
 * looks at *cancel every 100 ms. Once data or the end of the file is there, the
 * descriptor goes back to blocking reads for stdio.
 */
#include "common/input.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

enum { CANCEL_CHECK_MS = 100 };

/* Wait until the FIFO has data or its writer has come and gone. */
static int wait_for_writer(int fd, volatile const int *cancel)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    for (;;) {
        int n;
        if (cancel != NULL && *cancel) {
            errno = EINTR;
            return -1;
        }
        n = poll(&p, 1, cancel != NULL ? CANCEL_CHECK_MS : -1);
        if (n < 0)
            return -1;
        if (n > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR)) != 0)
            return 0;
    }
}

FILE *mg__open_input(const char *path, volatile const int *cancel)
{
    struct stat st;
    FILE *f;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    int saved, flags;

    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) != 0 ||
        (S_ISFIFO(st.st_mode) && wait_for_writer(fd, cancel) != 0))
        goto fail;
    if ((flags = fcntl(fd, F_GETFL)) < 0 ||
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0)
        goto fail;
    if ((f = fdopen(fd, "rb")) != NULL)
        return f;
fail:
    saved = errno;
    close(fd);
    errno = saved;
    return NULL;
}
