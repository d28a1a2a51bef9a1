/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <assert.h>
#include <errno.h>
#include <time.h>

#include "wait-until.h"

static void sleep_ms(unsigned ms) {
        struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long) (ms % 1000) * 1000000L };

        (void) nanosleep(&ts, NULL);
}

int wait_until(bool (*done)(void *userdata), void *userdata, unsigned timeout_ms, unsigned step_ms) {
        assert(done);
        assert(step_ms > 0 || timeout_ms == 0);

        for (unsigned waited = 0;; waited += step_ms) {
                if (done(userdata))
                        return 0;
                if (waited >= timeout_ms)
                        return -ETIMEDOUT;
                sleep_ms(step_ms);
        }
}
