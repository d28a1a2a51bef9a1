/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "plan.h"
#include "test-util.h"

/* Found by fuzz/fuzz-config: a valid Cores= whose list formats to more than 255 bytes (every
 * other CPU up to 398, written on continuation lines) made plan_build() fail with -ENOBUFS,
 * so the generator wrote no units at all for a config that `dpdk-boot check` accepts. */
static void test_testpmd_many_cores(void) {
        Config c = { .exists = true, .datapath = { .preset = DATAPATH_TESTPMD, .main_core = 1 } };
        Hardware hw = {};
        Switches sw;
        Plan p;

        switches_init(&sw);
        for (unsigned cpu = 0; cpu < 4096; cpu += 2)
                cpuset_set(&c.datapath.cores, cpu);
        check(plan_build(&c, &sw, &hw, /* initrd= */ false, &p) == 0);
        check(p.state == PLAN_ACTIVE);
        check(p.datapath.exec_start);
        /* the main core 1 joins the workers: "0-2,4,6,...,4094" */
        check(strstr(p.datapath.exec_start, " -l 0-2,4,6,8,"));
        check(strstr(p.datapath.exec_start, ",4092,4094 --main-lcore 1 "));
        plan_free(&p);
}

int main(void) {
        test_testpmd_many_cores();
        return 0;
}
