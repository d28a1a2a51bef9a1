/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "plan.h"
#include "rootdir.h"
#include "test-util.h"
#include "vpp.h"

#define HEADER "# Written by dpdk-boot from /etc/dpdk-boot/dpdk-boot.conf; the cpu and dpdk " \
               "sections of the base file are replaced.\n"

/* What a two-port vfio-pci plan with main core 0 and worker 1 appends. */
#define OURS HEADER                     \
        "cpu {\n"                       \
        "  main-core 0\n"               \
        "  corelist-workers 1\n"        \
        "}\n"                           \
        "dpdk {\n"                      \
        "  dev 0000:00:04.0\n"          \
        "  dev 0000:00:05.0\n"          \
        "  uio-driver vfio-pci\n"       \
        "}\n"

static PlanDevice two_ports[] = {
        { .address = "0000:00:04.0", .driver = "vfio-pci" },
        { .address = "0000:00:05.0", .driver = "vfio-pci" },
};

static Plan two_port_plan(void) {
        Plan p = {
                .state = PLAN_ACTIVE,
                .do_datapath = true,
                .source = "/etc/dpdk-boot/dpdk-boot.conf",
                .devices = two_ports,
                .n_devices = ELEMENTSOF(two_ports),
        };

        p.datapath.preset = DATAPATH_VPP;
        p.datapath.main_core = 0;
        cpuset_set(&p.datapath.workers, 1);
        return p;
}

/* Renders base with the two-port plan and compares the whole result. */
static void check_render(const char *base, const char *want) {
        Plan p = two_port_plan();
        char *out = NULL;

        check(vpp_render_startup(base, &p, &out) == 0);
        check_streq(out, want);
        free(out);
}

static void check_invalid(const char *base) {
        Plan p = two_port_plan();
        char *out = (char *) "untouched";

        check(vpp_render_startup(base, &p, &out) == -EINVAL);
        check_streq(out, "untouched");
}

static void test_empty_base(void) {
        check_render(NULL, OURS);
        check_render("", OURS);
}

/* Everything but cpu and dpdk stays as it was, byte for byte: odd spacing, tabs, comments. */
static void test_keeps_other_sections(void) {
#define KEEP                                            \
        "unix {\n"                                      \
        "  nodaemon\n"                                  \
        "\tlog /var/log/vpp/vpp.log   # where\n"        \
        "  cli-listen /run/vpp/cli.sock\n"              \
        "}\n"                                           \
        "\n"                                            \
        "api-trace { on }\n"                            \
        "heapsize 4G\n"                                 \
        "plugins\n"                                     \
        "{\n"                                           \
        "  plugin default { disable }\n"                \
        "  plugin dpdk_plugin.so { enable }\n"          \
        "}\n"
        check_render(KEEP, KEEP OURS);
#undef KEEP
        check_render("unix {\n  nodaemon\n}\n"
                     "cpu {\n  main-core 1\n  corelist-workers 2-3\n}\n"
                     "api-trace {\n  on\n}\n",
                     "unix {\n  nodaemon\n}\n"
                     "api-trace {\n  on\n}\n" OURS);
}

static void test_nested_braces(void) {
        check_render("dpdk {\n"
                     "  dev default { num-rx-desc 512 }\n"
                     "  dev 0000:00:04.0 { num-rx-queues 2 name eth0 }\n"
                     "  dev 0000:00:05.0 {\n"
                     "    rss { ipv4-udp }\n"
                     "  }\n"
                     "  uio-driver igb_uio\n"
                     "}\n"
                     "unix { nodaemon }\n",
                     "unix { nodaemon }\n" OURS);
}

/* '#' starts a comment only at the start of a word, as VPP splits its lines; a brace in a
 * comment counts for nothing. */
static void test_comments_with_braces(void) {
        check_render("# dpdk {\n"
                     "#   dev 0000:00:04.0 {\n"
                     "cpu { # main-core 1 }\n"
                     "  main-core 2 #}}}\n"
                     "}\n"
                     "unix {\n"
                     "\t#}\n"
                     "  nodaemon\n"
                     "}\n",
                     "# dpdk {\n"
                     "#   dev 0000:00:04.0 {\n"
                     "unix {\n"
                     "\t#}\n"
                     "  nodaemon\n"
                     "}\n" OURS);
        /* "vpp#}" is a word: its '}' closes the block, and the last '}' is a stray one. */
        check_invalid("unix { cli-prompt vpp#} }\n");
        /* ... while "a#b" in a word keeps its place. */
        check_render("unix { log /tmp/vpp#1.log }\n", "unix { log /tmp/vpp#1.log }\n" OURS);
}

static void test_brace_on_next_line(void) {
        check_render("unix\n{\n  nodaemon\n}\n"
                     "dpdk\n"
                     "{\n"
                     "  dev 0000:00:06.0\n"
                     "}\n"
                     "cpu   # the CPUs\n"
                     "\n"
                     "  {\n"
                     "  main-core 3\n"
                     "  }\n"
                     "plugins { path /usr/lib/vpp_plugins }\n",
                     "unix\n{\n  nodaemon\n}\n"
                     "plugins { path /usr/lib/vpp_plugins }\n" OURS);
}

/* A section sharing its line with another keeps the other's words, and a base without a last
 * newline gets one before our comment line. */
static void test_same_line(void) {
        check_render("unix { nodaemon } cpu { main-core 1 } api-trace { on }",
                     "unix { nodaemon }  api-trace { on }\n" OURS);
        check_render("  cpu { main-core 1 }  \nunix { nodaemon }",
                     "unix { nodaemon }\n" OURS);
        /* Only top-level names: "cpu" inside another section is that section's business. */
        check_render("foo { cpu { x } }\n", "foo { cpu { x } }\n" OURS);
}

static void test_unbalanced(void) {
        check_invalid("unix {\n  nodaemon\n");
        check_invalid("dpdk {\n  dev 0000:00:04.0 {\n}\n");
        check_invalid("unix { nodaemon }\n}\n");
        check_invalid("dpdk{ dev 0000:00:04.0 }\n");
        /* A closing brace hidden in a comment leaves the block open. */
        check_invalid("cpu {\n  main-core 1 # }\n");
        /* An escaped brace does not count (unformat's backslash). */
        check_invalid("unix { cli-prompt \\} \n");
        check_render("unix { cli-prompt vpp\\} }\n", "unix { cli-prompt vpp\\} }\n" OURS);
}

/* What the plan decides: mixed drivers leave uio-driver to VPP; refused and kernel-driver
 * devices are no ports; the hugepage directory and socket memory when the plan has them. */
static void test_plan_keys(void) {
        PlanDevice devs[] = {
                { .address = "0000:3b:00.0", .driver = "vfio-pci" },
                { .address = "0000:3b:00.1", .driver = "igb_uio" },
                { .address = "0000:3b:00.2", .driver = "vfio-pci", .refused = true },
                { .address = "0000:3b:00.3", .driver = "" },
        };
        Plan p = two_port_plan();
        char *out = NULL;

        p.devices = devs;
        p.n_devices = ELEMENTSOF(devs);
        p.datapath.main_core = 1;
        p.datapath.workers = (CpuSet) {};
        cpuset_set(&p.datapath.workers, 2);
        cpuset_set(&p.datapath.workers, 3);
        cpuset_set(&p.datapath.workers, 6);
        p.datapath.hugepage_dir = "/dev/hugepages1G";
        p.datapath.n_socket_mem = 2;
        p.datapath.socket_mem_mb[0] = 0;
        p.datapath.socket_mem_mb[1] = 2048;
        check(vpp_render_startup(NULL, &p, &out) == 0);
        check_streq(out, HEADER
                    "cpu {\n  main-core 1\n  corelist-workers 2-3,6\n}\n"
                    "dpdk {\n"
                    "  huge-dir /dev/hugepages1G\n"
                    "  socket-mem 0,2048\n"
                    "  dev 0000:3b:00.0\n"
                    "  dev 0000:3b:00.1\n"
                    "}\n");
        free(out);

        /* No workers: no corelist-workers; no ports: no dev and no uio-driver. */
        p.n_devices = 0;
        p.datapath.workers = (CpuSet) {};
        p.datapath.hugepage_dir = NULL;
        p.datapath.n_socket_mem = 0;
        check(vpp_render_startup(NULL, &p, &out) == 0);
        check_streq(out, HEADER "cpu {\n  main-core 1\n}\ndpdk {\n}\n");
        free(out);

        /* Every port on uio_pci_generic: that is the driver. */
        devs[0].driver = devs[1].driver = "uio_pci_generic";
        p.n_devices = 2;
        check(vpp_render_startup(NULL, &p, &out) == 0);
        check(strstr(out, "\n  dev 0000:3b:00.1\n  uio-driver uio_pci_generic\n}\n"));
        free(out);
}

static void write_file(const char *path, const char *content) {
        FILE *f = fopen(path, "we");

        check(f);
        check(fputs(content, f) >= 0);
        check(fclose(f) == 0);
}

/* The base under the root prefix; a missing one is an empty base. */
static void test_read_under_root(void) {
        char dir[] = "/tmp/test-vpp.XXXXXX", path[PATH_MAX], cmd[PATH_MAX + 16];
        Plan p = two_port_plan();
        char *out = NULL;

        check(mkdtemp(dir));
        root_set(dir);
        check(vpp_read_and_render("/etc/vpp/startup.conf", &p, &out) == 0);
        check_streq(out, OURS);
        free(out);

        (void) snprintf(path, sizeof(path), "%s/etc", dir);
        check(mkdir(path, 0755) == 0);
        (void) snprintf(path, sizeof(path), "%s/etc/vpp", dir);
        check(mkdir(path, 0755) == 0);
        (void) snprintf(path, sizeof(path), "%s/etc/vpp/startup.conf", dir);
        write_file(path, "unix { nodaemon }\ndpdk { dev 0000:00:09.0 }\n");
        check(vpp_read_and_render("/etc/vpp/startup.conf", &p, &out) == 1);
        check_streq(out, "unix { nodaemon }\n" OURS);
        free(out);

        out = (char *) "untouched";
        write_file(path, "unix { nodaemon\n");
        check(vpp_read_and_render("/etc/vpp/startup.conf", &p, &out) == -EINVAL);
        check_streq(out, "untouched");
        /* A directory is a read error, returned as such. */
        check(vpp_read_and_render("/etc/vpp", &p, &out) == -EISDIR);

        root_set(NULL);
        (void) snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        check(system(cmd) == 0); /* NOLINT(cert-env33-c): a fixed command on our mkdtemp() tree */
}

int main(void) {
        test_empty_base();
        test_keeps_other_sections();
        test_nested_braces();
        test_comments_with_braces();
        test_brace_on_next_line();
        test_same_line();
        test_unbalanced();
        test_plan_keys();
        test_read_under_root();
        return 0;
}
