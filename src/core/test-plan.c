/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
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

/* TripleO's socket memory, worked out by hand: (roundup(MTU, 1024) + 800) * 4096 * 64 bytes,
 * in MB that is (roundup + 800) / 4, plus 512, rounded up to whole GB, then to the page size. */
static void test_socket_mem_formula(void) {
        /* 1500 -> 2048: (2048 + 800) / 4 = 712, + 512 = 1224 -> 2048 */
        check(plan_socket_mem_mb(1500, 1, 1048576) == 2048);
        check(plan_socket_mem_mb(1500, 1, 2048) == 2048);
        /* per distinct MTU, not per port */
        check(plan_socket_mem_mb(1500, 3, 1048576) == 2048);
        /* no port on the node: nothing */
        check(plan_socket_mem_mb(1500, 0, 1048576) == 0);
        /* 1024 -> 1024: (1024 + 800) / 4 = 456, + 512 = 968 -> 1024 */
        check(plan_socket_mem_mb(1024, 1, 2048) == 1024);
        /* 9000 -> 9216: (9216 + 800) / 4 = 2504, + 512 = 3016 -> 3072 */
        check(plan_socket_mem_mb(9000, 1, 1048576) == 3072);
        check(plan_socket_mem_mb(9216, 2, 2048) == 3072);
        /* 9217 -> 10240: (10240 + 800) / 4 = 2760, + 512 = 3272 -> 4096 */
        check(plan_socket_mem_mb(9217, 1, 1048576) == 4096);
        /* 65535 -> 65536: (65536 + 800) / 4 = 16584, + 512 = 17096 -> 17408, 17 GB */
        check(plan_socket_mem_mb(65535, 1, 1048576) == 17408);
        /* ... and to a 16G page (POWER): 32768 */
        check(plan_socket_mem_mb(65535, 1, 16777216) == 32768);
}

/* Two sockets of four cores, two threads each (CPU N and N+8 siblings), two 82599 ports on
 * node 1; HousekeepingPerNode=1, CoresPerPort=1, four 1G pages placed on the devices' nodes. */
static void test_derived_plan(void) {
        DeviceConfig rules[2] = {
                { .address = "0000:81:00.0", .driver = (char *) "vfio-pci" },
                { .address = "0000:81:00.1", .driver = (char *) "vfio-pci" },
        };
        HugepageConfig hp = { .size_kb = 1048576, .count = 4, .placement = PLACEMENT_DEVICES };
        Config c = {
                .exists = true, .housekeeping_per_node = 1, .hugepages = &hp, .n_hugepages = 1,
                .devices = rules, .n_devices = 2,
                .datapath = { .preset = DATAPATH_TESTPMD, .main_core = -1, .cores_per_port = 1 },
        };
        HwNode nodes[2] = { { .id = 0 }, { .id = 1 } };
        HwDevice devs[2] = {
                { .address = "0000:81:00.0", .present = true, .ids_known = true, .driver = "ixgbe",
                  .numa_node = 1, .iommu_group = 40, .vendor = 0x8086, .device = 0x10fb, .class_code = 0x020000 },
                { .address = "0000:81:00.1", .present = true, .ids_known = true, .driver = "ixgbe",
                  .numa_node = 1, .iommu_group = 41, .vendor = 0x8086, .device = 0x10fb, .class_code = 0x020000 },
        };
        CpuSet sib[16];
        Hardware hw = { .nodes = nodes, .n_nodes = 2, .devices = devs, .n_devices = 2, .iommu_present = true,
                        .siblings = sib, .n_siblings = 16, .page_sizes_kb = { 1048576 }, .n_page_sizes = 1 };
        char buf[256];
        Switches sw;
        Plan p;

        for (unsigned cpu = 0; cpu < 16; cpu++) {
                sib[cpu] = (CpuSet) {};
                cpuset_set(&sib[cpu], cpu % 8);
                cpuset_set(&sib[cpu], cpu % 8 + 8);
        }
        check(cpuset_parse("0-15", &hw.online) == 0);
        check(cpuset_parse("0-3,8-11", &nodes[0].cpus) == 0);
        check(cpuset_parse("4-7,12-15", &nodes[1].cpus) == 0);
        switches_init(&sw);
        check(plan_build(&c, &sw, &hw, /* initrd= */ false, &p) == 0);
        check(p.state == PLAN_ACTIVE && p.problems.n == 0);
        check(p.cpu.set && p.cpu.derived);
        check(cpuset_format(&p.cpu.housekeeping, buf, sizeof(buf)) == 0);
        check_streq(buf, "0,4,8,12");
        check(cpuset_format(&p.cpu.isolated, buf, sizeof(buf)) == 0);
        check_streq(buf, "1-3,5-7,9-11,13-15");
        check(p.n_devices == 2);
        check(cpuset_format(plan_device_pmd_cores(&p.devices[0]), buf, sizeof(buf)) == 0);
        check_streq(buf, "5");
        check(cpuset_format(plan_device_pmd_cores(&p.devices[1]), buf, sizeof(buf)) == 0);
        check_streq(buf, "6");
        check(p.hugepages[0].per_node && p.hugepages[0].placed);
        check(p.hugepages[0].node_count[0] == 0 && p.hugepages[0].node_count[1] == 4);
        check(p.datapath.n_socket_mem == 2 && p.datapath.socket_mem_derived);
        check(p.datapath.socket_mem_mb[0] == 0 && p.datapath.socket_mem_mb[1] == 2048);
        /* the main lcore on the ports' node, the housekeeping CPU there */
        check(p.datapath.main_core == 4);
        check(strstr(p.datapath.exec_start, " -l 4-6 --main-lcore 4 "));
        check(strstr(p.datapath.exec_start, " --huge-dir /dev/hugepages1G --socket-mem 0,2048 -a 0000:81:00.0 "));
        check(strstr(p.datapath.exec_start, " --nb-cores=2 "));
        /* no shortfall, no remote main lcore: only that this boot has not isolated them yet */
        check(p.warnings.n == 1 && strstr(p.warnings.v[0], "worker lcores 5-6 are not all isolated"));
        plan_free(&p);

        /* four per port, three isolated cores on node 1 (six CPUs, but one lcore per core): the
         * first port gets them all, the second none, and a warning gives the numbers */
        c.datapath.cores_per_port = 4;
        check(plan_build(&c, &sw, &hw, /* initrd= */ false, &p) == 0);
        check(p.problems.n == 0);
        check(cpuset_format(plan_device_pmd_cores(&p.devices[0]), buf, sizeof(buf)) == 0);
        check_streq(buf, "5-7");
        check(cpuset_is_empty(plan_device_pmd_cores(&p.devices[1])));
        check(strv_contains(&p.warnings, "/etc/dpdk-boot/dpdk-boot.conf:0: CoresPerPort=4 for 2 ports on NUMA node 1 "
                            "wants 8 isolated physical cores (one lcore each), 3 are available (isolated there: "
                            "5-7,13-15; the main lcore's core is not one of them): the datapath runs on those."));
        check(strstr(p.datapath.exec_start, " --nb-cores=3 "));
        plan_free(&p);

        /* no isolated CPU at all on node 1: the plan says why */
        c.housekeeping_per_node = 4;
        check(plan_build(&c, &sw, &hw, /* initrd= */ false, &p) == 0);
        check(cpuset_is_empty(&p.datapath.workers));
        check(p.problems.n == 1);
        check(strstr(p.problems.v[0], "CoresPerPort=4 found no worker lcore: no isolated CPU is left on the NUMA "
                     "nodes of its ports"));
        /* the NUMA warning works from the derived sets, with the numbers */
        check(strv_contains(&p.warnings, "0000:81:00.0 is on NUMA node 1, which has no isolated CPU (node 1: 8 CPUs, "
                            "4-7,12-15, 0 of them isolated; isolated: 0 CPUs, none): its datapath cores will be "
                            "remote."));
        plan_free(&p);

        /* one page for the two nodes of two ports: node 0 gets it, node 1 none, with the numbers */
        c.housekeeping_per_node = 1;
        c.datapath.cores_per_port = 1;
        devs[0].numa_node = 0;
        hp.count = 1;
        check(plan_build(&c, &sw, &hw, /* initrd= */ false, &p) == 0);
        check(p.hugepages[0].node_count[0] == 1 && p.hugepages[0].node_count[1] == 0);
        check(strv_contains(&p.warnings, "0000:81:00.1 is on NUMA node 1, but /etc/dpdk-boot/dpdk-boot.conf:0 reserves "
                            "no 1G pages there (0 of the 1 pages: 1 on node 0, 0 on node 1): its packet buffers "
                            "will be remote."));
        check(cpuset_format(plan_device_pmd_cores(&p.devices[0]), buf, sizeof(buf)) == 0);
        check_streq(buf, "1");
        check(cpuset_format(plan_device_pmd_cores(&p.devices[1]), buf, sizeof(buf)) == 0);
        check_streq(buf, "5");
        check(strstr(p.datapath.exec_start, " --socket-mem 2048,2048 "));
        plan_free(&p);

        /* spread evenly, the remainder on the lowest node */
        hp.count = 5;
        check(plan_build(&c, &sw, &hw, /* initrd= */ false, &p) == 0);
        check(p.hugepages[0].node_count[0] == 3 && p.hugepages[0].node_count[1] == 2);
        plan_free(&p);
}

/* In the initramfs a pattern rule takes no device, but Placement=devices puts the pages on
 * the node of the devices it selects, as the real root will. */
static void test_initrd_placement(void) {
        DeviceConfig rule = { .driver = (char *) "vfio-pci" };
        HugepageConfig hp = { .size_kb = 1048576, .count = 2, .placement = PLACEMENT_DEVICES };
        Config c = { .exists = true, .hugepages = &hp, .n_hugepages = 1, .devices = &rule, .n_devices = 1 };
        HwNode nodes[2] = { { .id = 0 }, { .id = 1 } };
        HwDevice dev = { .address = "0000:81:00.0", .present = true, .ids_known = true, .driver = "ixgbe",
                         .numa_node = 1, .iommu_group = 40, .vendor = 0x8086, .device = 0x10fb,
                         .class_code = 0x020000 };
        Hardware hw = { .nodes = nodes, .n_nodes = 2, .devices = &dev, .n_devices = 1, .iommu_present = true,
                        .scanned = true, .page_sizes_kb = { 1048576 }, .n_page_sizes = 1 };
        Switches sw;
        Plan p;

        check(strv_push(&rule.match[MATCH_ID].patterns, strdup("8086:10fb")) == 0);
        switches_init(&sw);
        check(plan_build(&c, &sw, &hw, /* initrd= */ true, &p) == 0);
        check(p.n_devices == 0);
        check(p.hugepages[0].placed && p.hugepages[0].node_count[0] == 0 && p.hugepages[0].node_count[1] == 2);
        plan_free(&p);
        check(plan_build(&c, &sw, &hw, /* initrd= */ false, &p) == 0);
        check(p.n_devices == 1);
        check(p.hugepages[0].placed && p.hugepages[0].node_count[0] == 0 && p.hugepages[0].node_count[1] == 2);
        plan_free(&p);
        strv_free(&rule.match[MATCH_ID].patterns);
}

/* The gates on each device's own snapshot, and the EAL's allow list, one "-a" per port and
 * only for ports: more of them than one block of the list holds. */
static void test_gates_and_allow(void) {
        enum { N = 150 };
        static DeviceConfig rules[N];
        static HwDevice devs[N];
        Config c = { .exists = true, .devices = rules, .n_devices = N,
                     .datapath = { .preset = DATAPATH_TESTPMD, .main_core = 0 } };
        Hardware hw = { .devices = devs, .n_devices = N, .iommu_present = true };
        char want[N * 16 + 1] = "", *eal;
        size_t len = 0;
        Switches sw;
        Plan p;

        cpuset_set(&c.datapath.cores, 1);
        for (unsigned i = 0; i < N; i++) {
                HwDevice *d = &devs[i];

                (void) snprintf(d->address, sizeof(d->address), "0000:%02x:%02x.%u", i / 64, i / 8 % 8, i % 8);
                d->present = i != 7;
                d->ids_known = true;
                d->vendor = 0x8086;
                d->class_code = 0x020000;
                d->numa_node = d->iommu_group = -1;
                rules[i] = (DeviceConfig) { .driver = (char *) "uio_pci_generic" };
                memcpy(rules[i].address, d->address, sizeof(d->address));
        }
        /* bifurcated by driver, or by vendor; only the whole name counts */
        strcpy(devs[3].driver, "mlx5_core");
        strcpy(devs[4].driver, "mlx4_core");
        strcpy(devs[5].driver, "mlx5_corex");
        devs[6].vendor = 0x15b3;
        /* the kernel's own driver: no gate, no port */
        rules[9].driver = (char *) "";
        /* vfio-pci: the iommu gate, refused without a group */
        rules[10].driver = (char *) "vfio-pci";

        switches_init(&sw);
        check(plan_build(&c, &sw, &hw, /* initrd= */ false, &p) == 0);
        check(p.state == PLAN_ACTIVE && p.n_devices == N);
        for (unsigned i = 0; i < N; i++) {
                const PlanDevice *d = &p.devices[i];
                bool refused = i == 3 || i == 4 || i == 6 || i == 7 || i == 10;

                check(d->refused == refused);
                check(d->gates[GATE_PRESENT] == (i == 7 ? GATE_FAIL : GATE_PASS));
                if (i == 7 || i == 9)
                        check(d->gates[GATE_BIFURCATED] == GATE_UNCHECKED);
                else
                        check(d->gates[GATE_BIFURCATED] == (i == 3 || i == 4 || i == 6 ? GATE_FAIL : GATE_PASS));
                check(d->gates[GATE_IOMMU] == (i == 10 ? GATE_FAIL : GATE_UNCHECKED));
                check(plan_device_is_port(d) == (!refused && i != 9));
                if (plan_device_is_port(d))
                        len += (size_t) snprintf(want + len, sizeof(want) - len, "%s-a %s", len ? " " : "", d->address);
        }
        check_streq(p.devices[3].refusal + strlen("[bifurcated] 8086:0000 ("), "mlx5_core) is a bifurcated NIC: "
                    "its DPDK PMD runs on the kernel driver, so it is never rebound. Leave Driver= empty on "
                    "its rule to give it to the datapath on mlx5_core.");
        check(len > 1024);
        eal = strstr(p.datapath.eal, " -a ");
        check(eal);
        check_streq(eal + 1, want);
        plan_free(&p);
}

/* Bifurcated NICs a rule leaves on the kernel's driver are ports on it, in the allow list beside a
 * vfio-pci port; other devices left on theirs are not. The driver comes from the device's own,
 * else from its ID (ConnectX-3: mlx4_core); the modules from the driver. */
static void test_bifurcated_ports(void) {
        static const char *const addr[] = { "0000:3b:00.0", "0000:5e:00.0", "0000:5e:00.1", "0000:af:00.0",
                                            "0000:d8:00.0" };
        enum { N = 5 };
        DeviceConfig rules[N] = {};
        HwDevice devs[N];
        Config c = { .exists = true, .devices = rules, .n_devices = N,
                     .datapath = { .preset = DATAPATH_TESTPMD, .main_core = 0 } };
        Hardware hw = { .devices = devs, .n_devices = N, .iommu_present = true };
        Switches sw;
        Plan p;

        cpuset_set(&c.datapath.cores, 1);
        for (unsigned i = 0; i < N; i++) {
                hw_device_init(&devs[i], addr[i]);
                devs[i].present = devs[i].ids_known = true;
                devs[i].vendor = i == 0 || i == 4 ? 0x8086 : 0x15b3;
                devs[i].device = i == 3 ? 0x1007 : 0x1017;
                devs[i].class_code = 0x020000;
                devs[i].iommu_group = (int) i;
                (void) snprintf(devs[i].driver, sizeof(devs[i].driver), "%s",
                                i == 0 ? "vfio-pci" : i == 4 ? "ixgbe" : i == 3 ? "" : "mlx5_core");
                memcpy(rules[i].address, devs[i].address, sizeof(devs[i].address));
                rules[i].driver = (char *) (i == 0 ? "vfio-pci" : "");
        }
        switches_init(&sw);
        check(plan_build(&c, &sw, &hw, /* initrd= */ false, &p) == 0);
        check(p.n_devices == N && p.problems.n == 0);
        check(!p.devices[0].stays_on && plan_device_is_port(&p.devices[0]));
        check_streq(p.devices[1].stays_on, "mlx5_core");
        check_streq(p.devices[2].stays_on, "mlx5_core");
        check_streq(p.devices[3].stays_on, "mlx4_core");
        check(!p.devices[4].stays_on && !plan_device_is_port(&p.devices[4]));
        for (unsigned i = 1; i < 4; i++)
                check(plan_device_is_port(&p.devices[i]) && p.devices[i].gates[GATE_BIFURCATED] == GATE_PASS &&
                      p.devices[i].gates[GATE_IOMMU] == GATE_UNCHECKED);
        check_streq(strstr(p.datapath.eal, " -a ") + 1,
                    "-a 0000:3b:00.0 -a 0000:5e:00.0 -a 0000:5e:00.1 -a 0000:af:00.0");
        check_streq(plan_bifurcated_modules("mlx5_core")[0], "mlx5_ib");
        check_streq(plan_bifurcated_modules("mlx5_core")[1], "ib_uverbs");
        check(plan_bifurcated_modules("mlx5_core")[2] == NULL);
        check_streq(plan_bifurcated_modules("mlx4_core")[0], "mlx4_ib");
        check(!plan_bifurcated_modules("ixgbe") && !plan_bifurcated_driver("mlx5_corex"));
        plan_free(&p);
}

/* A PF of an existing VF and room for three; the rules as VirtualFunctions= and a VF rule. */
static HwDevice sriov_pf(void) {
        HwDevice pf;

        hw_device_init(&pf, "0000:5e:00.0");
        pf.present = pf.ids_known = true;
        (void) snprintf(pf.driver, sizeof(pf.driver), "ice");
        pf.vendor = 0x8086;
        pf.device = 0x159b;
        pf.class_code = 0x020000;
        pf.numa_node = 1;
        pf.iommu_group = 40;
        pf.sriov_totalvfs = 3;
        pf.sriov_numvfs = 1;
        pf.sriov_offset = 8;
        pf.sriov_stride = 1;
        pf.sriov_vf_device = 0x1889;
        return pf;
}

/* VirtualFunctions=: the VFs are planned before they exist, with the PF's node and the VF device
 * id, and the one that exists now is created again when the count changes; too many is a
 * problem naming the rule. */
static void test_sriov_plan(void) {
        static char pattern[] = "0000:5e:00.0";
        char *patterns[] = { pattern };
        DeviceConfig rules[2] = {
                { .address = "0000:5e:00.0", .driver = (char *) "", .virtual_functions = 3,
                  .virtual_functions_set = true, .loc = { "/etc/dpdk-boot/dpdk-boot.conf", 1 } },
                { .driver = (char *) "vfio-pci", .loc = { "/etc/dpdk-boot/dpdk-boot.conf", 5 } },
        };
        Config c = { .exists = true, .devices = rules, .n_devices = 2 };
        HwDevice devs[2];
        Hardware hw = { .iommu_present = true, .devices = devs, .n_devices = 2 };
        Switches sw;
        Plan p;

        rules[1].match[MATCH_PHYSFN].patterns = (Strv) { patterns, 1 };
        devs[0] = sriov_pf();
        hw_device_init(&devs[1], "0000:5e:01.0");          /* VF 0, on iavf now */
        devs[1].present = devs[1].ids_known = true;
        devs[1].class_code = 0x020000;
        (void) snprintf(devs[1].driver, sizeof(devs[1].driver), "iavf");
        (void) snprintf(devs[1].physfn, sizeof(devs[1].physfn), "0000:5e:00.0");
        devs[1].vf_index = 0;
        switches_init(&sw);
        check(plan_build(&c, &sw, &hw, /* initrd= */ false, &p) == 0);
        check(p.problems.n == 0);
        check(p.n_sriov == 1 && p.sriov[0].numvfs == 3 && p.sriov[0].current == 1 && p.sriov[0].autoprobe_off);
        check(p.n_devices == 4);
        check(streq(p.devices[0].address, "0000:5e:00.0") && isempty(p.devices[0].driver));
        for (size_t i = 1; i < 4; i++) {
                const PlanDevice *d = &p.devices[i];

                check(d->created && !d->refused && streq(d->physfn, "0000:5e:00.0") && d->vf_index == (int) i - 1);
                check(streq(d->driver, "vfio-pci") && d->numa_node == 1);
                check(d->gates[GATE_PRESENT] == GATE_PASS && d->gates[GATE_IOMMU] == GATE_PASS);
                check(plan_device_binds_now(&p, d));
        }
        check(streq(p.devices[3].address, "0000:5e:01.2"));
        plan_free(&p);

        rules[0].virtual_functions = 4;
        check(plan_build(&c, &sw, &hw, /* initrd= */ false, &p) == 0);
        check(p.n_sriov == 0 && p.problems.n == 1);
        check_streq(p.problems.v[0], "/etc/dpdk-boot/dpdk-boot.conf:1: VirtualFunctions=4: 0000:5e:00.0 offers at "
                    "most 3 virtual functions (sriov_totalvfs).");
        /* the VF that exists now is still selected, as it is */
        check(p.n_devices == 2 && !p.devices[1].created);
        plan_free(&p);
}

int main(void) {
        test_sriov_plan();
        test_testpmd_many_cores();
        test_refusal_line();
        test_socket_mem_formula();
        test_derived_plan();
        test_initrd_placement();
        test_gates_and_allow();
        test_bifurcated_ports();
        return 0;
}
