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

/* One form for every refusal: the plan, the generator's log, the bind unit and verify. */
static void test_refusal_line(void) {
        char *l = gate_refusal_line("0000:00:04.0", GATE_IOMMU, /* left_out= */ false, "no IOMMU.");

        check_streq(l, "0000:00:04.0 refused [iommu]: no IOMMU.");
        free(l);
        l = gate_refusal_line("0000:5e:00.0", GATE_BIFURCATED, /* left_out= */ true, "mlx5.");
        check_streq(l, "0000:5e:00.0 left out [bifurcated]: mlx5.");
        free(l);
}

int main(void) {
        test_testpmd_many_cores();
        test_refusal_line();
        return 0;
}
