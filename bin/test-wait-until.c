/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdbool.h>

#include "test-util.h"
#include "wait-until.h"

typedef struct Counter {
        unsigned calls;
        unsigned done_at;      /* the call that says yes; 0: none */
} Counter;

static bool counted(void *userdata) {
        Counter *c = userdata;

        c->calls++;
        return c->calls == c->done_at;
}

/* Asked at once, then after each step until the steps add up to the timeout: timeout/step + 1
 * calls at most (sriov.c's 5000/20 are 251), the last one at the timeout itself. */
static void test_schedule(void) {
        Counter c = {};

        check(wait_until(counted, &c, /* timeout_ms= */ 0, /* step_ms= */ 1) == -ETIMEDOUT);
        check(c.calls == 1);
        c = (Counter) {};
        check(wait_until(counted, &c, /* timeout_ms= */ 5, /* step_ms= */ 1) == -ETIMEDOUT);
        check(c.calls == 6);
        c = (Counter) {};
        check(wait_until(counted, &c, /* timeout_ms= */ 6, /* step_ms= */ 3) == -ETIMEDOUT);
        check(c.calls == 3);
}

/* A yes ends the wait at once, the first call's too. */
static void test_done(void) {
        Counter c = { .done_at = 1 };

        check(wait_until(counted, &c, /* timeout_ms= */ 1000, /* step_ms= */ 1) == 0);
        check(c.calls == 1);
        c = (Counter) { .done_at = 3 };
        check(wait_until(counted, &c, /* timeout_ms= */ 1000, /* step_ms= */ 1) == 0);
        check(c.calls == 3);
        c = (Counter) { .done_at = 6 };
        check(wait_until(counted, &c, /* timeout_ms= */ 5, /* step_ms= */ 1) == 0);
        check(c.calls == 6);
}

int main(void) {
        test_schedule();
        test_done();
        return 0;
}
