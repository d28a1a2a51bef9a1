/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Scope-bound ownership, in the manner of systemd's and libnvme's cleanup helpers. */

static inline void freep(void *p) {
        free(*(void **) p);
}

/* fclose()'s result is dropped: a stream that was written to is checked with fflush() and
 * ferror() before it goes out of scope (a write error sticks to the stream); a read stream's
 * close has nothing to report. */
static inline void fclosep(FILE **f) {
        if (*f)
                (void) fclose(*f);
}

static inline void closep(int *fd) {
        if (*fd >= 0) {
                int saved = errno;
                close(*fd);
                errno = saved;
        }
}

static inline void closedirp(DIR **d) {
        if (*d)
                closedir(*d);
}

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_fclose_ _cleanup_(fclosep)
#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_closedir_ _cleanup_(closedirp)

/* Hand ownership out of a cleanup-annotated variable. */
#define TAKE_PTR(p)                                     \
        ({                                              \
                __typeof__(p) _p_ = (p);                \
                (p) = NULL;                             \
                _p_;                                    \
        })

#define TAKE_FD(fd)                                     \
        ({                                              \
                int _fd_ = (fd);                        \
                (fd) = -EBADF;                          \
                _fd_;                                   \
        })

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))

/* Keep the first error, process everything. */
#define RET_GATHER(ret, step)                           \
        ({                                              \
                int _r_ = (step);                       \
                if (_r_ < 0 && (ret) >= 0)              \
                        (ret) = _r_;                    \
                _r_;                                    \
        })
