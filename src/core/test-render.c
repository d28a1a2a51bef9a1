/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "config-build.h"
#include "plan.h"
#include "render.h"
#include "test-util.h"

static void rm_rf(const char *dir) {
        char cmd[PATH_MAX + 16];

        (void) snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        check(system(cmd) == 0); /* NOLINT(cert-env33-c): a fixed command on our mkdtemp() tree */
}

/* dir/name as a string, or NULL if it cannot be read. */
static char *read_unit(const char *dir, const char *name) {
        char path[PATH_MAX], *text = calloc(1, 65536);
        FILE *f;

        check(text);
        (void) snprintf(path, sizeof(path), "%s/%s", dir, name);
        f = fopen(path, "re");
        if (!f) {
                free(text);
                return NULL;
        }
        (void) fread(text, 1, 65535, f);
        (void) fclose(f);
        return text;
}

static void check_unit(const char *dir, const char *name, const char *expected) {
        char *text = read_unit(dir, name);

        check_streq(text, expected);
        free(text);
}

static void check_link(const char *dir, const char *link, const char *target) {
        char path[PATH_MAX], buf[PATH_MAX];
        ssize_t n;

        (void) snprintf(path, sizeof(path), "%s/%s", dir, link);
        n = readlink(path, buf, sizeof(buf) - 1);
        if (n < 0)
                fprintf(stderr, "no link %s\n", link);
        check(n >= 0);
        buf[n] = 0;
        check_streq(buf, target);
}

static void check_absent(const char *dir, const char *name) {
        char path[PATH_MAX];
        struct stat st;

        (void) snprintf(path, sizeof(path), "%s/%s", dir, name);
        if (lstat(path, &st) == 0)
                fprintf(stderr, "unexpected %s\n", name);
        check(lstat(path, &st) < 0 && errno == ENOENT);
}

/* The datapath unit of a plan that only starts a datapath with this command line. */
static int render_exec(const char *exec_start, char *unit, size_t size) {
        char dir[] = "/tmp/test-render.XXXXXX", path[PATH_MAX];
        Plan p = {
                .state = PLAN_ACTIVE,
                .do_datapath = true,
                .source = "/etc/dpdk-boot/dpdk-boot.conf",
        };
        FILE *f;
        size_t n = 0;
        int r;

        p.datapath.preset = DATAPATH_CUSTOM;
        p.datapath.exec_start = (char *) exec_start;
        check(mkdtemp(dir));
        r = render_units(&p, dir);
        unit[0] = 0;
        (void) snprintf(path, sizeof(path), "%s/dpdk-boot-datapath.service", dir);
        f = fopen(path, "re");
        if (f) {
                n = fread(unit, 1, size - 1, f);
                unit[n] = 0;
                (void) fclose(f);
        }
        rm_rf(dir);
        return r;
}

static void test_exec_escaping(void) {
        char unit[8192];

        /* A lone ';' would start a second command, '%' a specifier: both made literal. */
        check(render_exec("/usr/bin/app -l 0,1 ; /bin/sh -c id %n", unit, sizeof(unit)) >= 0);
        check(strstr(unit, "\nExecStart=/usr/bin/app -l 0,1 \\; /bin/sh -c id %%n\n"));
        /* ';' inside a word, and a word that only starts or ends with one, are plain characters. */
        check(render_exec("/usr/bin/app --x=a;b ;c d; ;", unit, sizeof(unit)) >= 0);
        check(strstr(unit, "\nExecStart=/usr/bin/app --x=a;b ;c d; \\;\n"));
        /* A trailing backslash would join the next unit line to the command: no unit at all. */
        check(render_exec("/usr/bin/app --x \\", unit, sizeof(unit)) == -EINVAL);
        check(unit[0] == 0);
        /* A newline would start a unit line of its own. */
        check(render_exec("/usr/bin/app\nExecStartPre=/bin/sh", unit, sizeof(unit)) == -EINVAL);
        check(unit[0] == 0);

        /* '$' means itself in the plan: doubled, or systemd would expand it when the unit runs
         * (and drop a word "$x" with no such variable). Not in the path, which it does not expand. */
        check(render_exec("/usr/bin/app --dir=$XDG_RUNTIME_DIR ${HOME} $x $$", unit, sizeof(unit)) >= 0);
        check(strstr(unit, "\nExecStart=/usr/bin/app --dir=$$XDG_RUNTIME_DIR $${HOME} $$x $$$$\n"));
        check(render_exec("/opt/a$b/app", unit, sizeof(unit)) == -EINVAL);
        /* Quotes group words: each is written again in double quotes, only '\' and '"' escaped. A
         * ";" inside quotes is no word of its own, and "\;" there would be an invalid escape. */
        check(render_exec("/usr/bin/app \"x ; y\" 'a\\\\b' x\"y z\"w \"\" \\\" ';'", unit, sizeof(unit)) >= 0);
        check(strstr(unit, "\nExecStart=/usr/bin/app \"x ; y\" \"a\\\\b\" \"xy zw\" \"\" \"\\\"\" \\;\n"));
        /* What systemd would refuse, so that the unit has no ExecStart= at all: no unit. */
        check(render_exec("/usr/bin/app \"x", unit, sizeof(unit)) == -EINVAL);
        check(render_exec("/usr/bin/app \\x24HOME", unit, sizeof(unit)) == -EINVAL);
        check(render_exec("/usr/bin/app/ x", unit, sizeof(unit)) == -EINVAL);
        check(render_exec("/usr/\"bin\"/app", unit, sizeof(unit)) >= 0);
        check(strstr(unit, "\nExecStart=/usr/bin/app\n"));
}

static void test_exec_argv(void) {
        _cleanup_(strv_free) Strv argv = {};
        Plan p = {};

        check(render_exec_argv(&p, &argv) == -ENOENT);
        p.datapath.exec_start = (char *) "/usr/bin/app  'a b'%n \"$x\" ''";
        check(render_exec_argv(&p, &argv) == 0);
        check(argv.n == 4);
        check(streq(argv.v[0], "/usr/bin/app"));
        check(streq(argv.v[1], "a b%n"));
        check(streq(argv.v[2], "$x"));
        check(streq(argv.v[3], ""));
        p.datapath.exec_start = (char *) "/usr/bin/app \\q";
        check(render_exec_argv(&p, &argv) == -EINVAL);
}

#define BIND_UNIT_PATH UNITDIR "/" UNIT_BIND

static PlanHugepages test_hugepages[] = {
        { .size_kb = 1048576, .mount_point = "/dev/hugepages1G" },
        { .size_kb = 2048, .mount_point = "/dev/hugepages-2M" },
};

/* One device of each kind: bound, absent, refused, handed back to its kernel driver. */
static PlanDevice test_devices[] = {
        { .address = "0000:3b:00.0", .driver = "vfio-pci", .present = true },
        { .address = "0000:3b:00.1", .driver = "vfio-pci", .present = false },
        { .address = "0000:3b:00.2", .driver = "vfio-pci", .present = true, .refused = true },
        { .address = "0000:af:10.7", .driver = "", .present = true },
};

static Plan test_plan(bool initrd) {
        Plan p = {
                .state = PLAN_ACTIVE,
                .initrd = initrd,
                .do_hugepages = true,
                .do_bind = true,
                .do_datapath = true,
                .hugepages = test_hugepages,
                .n_hugepages = ELEMENTSOF(test_hugepages),
                .devices = test_devices,
                .n_devices = ELEMENTSOF(test_devices),
                .source = "/etc/dpdk-boot/dpdk-boot.conf",
        };

        p.datapath.preset = DATAPATH_TESTPMD;
        p.datapath.exec_start = (char *) "/usr/bin/dpdk-testpmd -a 0000:3b:00.0 -a 0000:af:10.7 "
                                         "-- --nb-cores=1";
        p.datapath.unit = UNIT_DATAPATH;
        p.datapath.user = "dpdk";
        p.datapath.group = "dpdk";
        p.datapath.mode = 0660;
        p.datapath.restore_on_stop = true;
        p.datapath.restart_limit = 7;
        return p;
}

static const char datapath_unit[] =
        "# Automatically generated by dpdk-boot-generator\n"
        "\n"
        "[Unit]\n"
        "Description=DPDK datapath (testpmd)\n"
        "Documentation=man:dpdk-boot-generator(8)\n"
        "SourcePath=/etc/dpdk-boot/dpdk-boot.conf\n"
        "After=network-pre.target\n"
        "Before=dpdk-boot.target dpdk-datapath.target\n"
        "PartOf=dpdk-boot.target\n"
        "StartLimitIntervalSec=10min\n"
        "StartLimitBurst=7\n"
        "Requires=dpdk-boot-verify.service\n"
        "After=dpdk-boot-verify.service\n"
        "Requires=dpdk-boot-hugepages.service\n"
        "After=dpdk-boot-hugepages.service\n"
        "Requires=dev-hugepages1G.mount\n"
        "After=dev-hugepages1G.mount\n"
        "Requires=dev-hugepages\\x2d2M.mount\n"
        "After=dev-hugepages\\x2d2M.mount\n"
        "Requires=dpdk-boot-bind.service\n"
        "After=dpdk-boot-bind.service\n"
        "\n"
        "[Service]\n"
        "Type=simple\n"
        "User=dpdk\n"
        "Group=dpdk\n"
        "RuntimeDirectory=dpdk-boot-datapath\n"
        "Environment=XDG_RUNTIME_DIR=%t/dpdk-boot-datapath\n"
        "ExecStartPre=+" SBINDIR "/dpdk-boot grant --from-plan\n"
        "ExecStopPost=+" SBINDIR "/dpdk-boot restore --on-stop --from-plan\n"
        "ExecStart=/usr/bin/dpdk-testpmd -a 0000:3b:00.0 -a 0000:af:10.7 -- --nb-cores=1\n"
        "StandardInput=null\n"
        "LimitMEMLOCK=infinity\n"
        "Restart=on-failure\n"
        "RestartSec=5s\n"
        "KillSignal=SIGINT\n"
        "TimeoutStopSec=30s\n"
        "NoNewPrivileges=yes\n"
        "ProtectSystem=full\n"
        "ProtectHome=yes\n"
        "PrivateTmp=yes\n"
        "ProtectControlGroups=yes\n"
        "ProtectKernelModules=yes\n"
        "LockPersonality=yes\n"
        "RestrictRealtime=yes\n";

static const char mount_unit[] =
        "# Automatically generated by dpdk-boot-generator\n"
        "\n"
        "[Unit]\n"
        "Description=Hugepages (2M) for DPDK at /dev/hugepages-2M\n"
        "Documentation=man:dpdk-boot-generator(8)\n"
        "SourcePath=/etc/dpdk-boot/dpdk-boot.conf\n"
        "DefaultDependencies=no\n"
        "Before=sysinit.target dpdk-boot-verify.service dpdk-boot.target\n"
        "ConditionPathExists=/sys/kernel/mm/hugepages/hugepages-2048kB\n"
        "ConditionCapability=CAP_SYS_ADMIN\n"
        "\n"
        "[Mount]\n"
        "What=hugetlbfs\n"
        "Where=/dev/hugepages-2M\n"
        "Type=hugetlbfs\n"
        "Options=pagesize=2M,mode=0770\n";

static const char datapath_target[] =
        "# Automatically generated by dpdk-boot-generator\n"
        "\n"
        "[Unit]\n"
        "Description=DPDK datapath (testpmd) started on a verified host\n"
        "Documentation=man:dpdk-boot(8)\n"
        "SourcePath=/etc/dpdk-boot/dpdk-boot.conf\n"
        "Requires=dpdk-boot-datapath.service\n"
        "After=dpdk-boot-datapath.service\n";

static const char target_dropin[] =
        "# Automatically generated by dpdk-boot-generator\n"
        "\n"
        "[Unit]\n"
        "Wants=dpdk-boot-verify.service\n"
        "Wants=dpdk-boot-hugepages.service\n"
        "Wants=dev-hugepages1G.mount\n"
        "Wants=dev-hugepages\\x2d2M.mount\n"
        "Wants=dpdk-boot-bind.service\n"
        "Wants=dpdk-boot-datapath.service\n";

/* Every unit and link of a full plan: present devices bound, the others left out. */
static void test_render_active(void) {
        char dir[] = "/tmp/test-render.XXXXXX";
        Plan p = test_plan(false);

        check(mkdtemp(dir));
        check(render_units(&p, dir) == 0);
        check_link(dir, "multi-user.target.wants/dpdk-boot.target", UNITDIR "/dpdk-boot.target");
        check_link(dir, "multi-user.target.wants/dpdk-datapath.target", "../dpdk-datapath.target");
        /* what dpdk-boot.target pulls in: one drop-in, no .wants links */
        check_unit(dir, "dpdk-boot.target.d/50-dpdk-boot.conf", target_dropin);
        check_absent(dir, "dpdk-boot.target.wants");
        check_absent(dir, "initrd.target.wants");
        check_unit(dir, "dpdk-boot-datapath.service", datapath_unit);
        check_unit(dir, "dev-hugepages\\x2d2M.mount", mount_unit);
        check_unit(dir, "dpdk-datapath.target", datapath_target);

        /* A second writer of a unit or drop-in is refused (O_EXCL); the links it finds are no
         * error, and what the first wrote stays as it was. */
        check(render_units(&p, dir) == -EEXIST);
        check_unit(dir, "dpdk-boot-datapath.service", datapath_unit);
        check_unit(dir, "dpdk-boot.target.d/50-dpdk-boot.conf", target_dropin);
        rm_rf(dir);
}

/* A link that is there already counts as made, whatever it points to (the initramfs's links). */
static void test_render_existing_link(void) {
        char dir[] = "/tmp/test-render.XXXXXX", path[PATH_MAX];
        Plan p = test_plan(true);

        check(mkdtemp(dir));
        (void) snprintf(path, sizeof(path), "%s/initrd.target.wants", dir);
        check(mkdir(path, 0755) == 0);
        (void) snprintf(path, sizeof(path), "%s/initrd.target.wants/dpdk-boot-bind.service", dir);
        check(symlink("/elsewhere", path) == 0);
        check(render_units(&p, dir) == 0);
        check_link(dir, "initrd.target.wants/dpdk-boot-bind.service", "/elsewhere");
        check_link(dir, "initrd.target.wants/dpdk-boot-hugepages.service",
                   UNITDIR "/dpdk-boot-hugepages.service");
        rm_rf(dir);
}

/* Without a datapath or pages: the drop-in names the verification and the devices only. */
static void test_render_binds_only(void) {
        char dir[] = "/tmp/test-render.XXXXXX";
        Plan p = test_plan(false);

        p.do_datapath = false;
        p.do_hugepages = false;
        p.n_hugepages = 0;
        check(mkdtemp(dir));
        check(render_units(&p, dir) == 0);
        check_unit(dir, "dpdk-boot.target.d/50-dpdk-boot.conf",
                   "# Automatically generated by dpdk-boot-generator\n"
                   "\n"
                   "[Unit]\n"
                   "Wants=dpdk-boot-verify.service\n"
                   "Wants=dpdk-boot-bind.service\n");
        check_link(dir, "multi-user.target.wants/dpdk-boot.target", UNITDIR "/dpdk-boot.target");
        check_absent(dir, "multi-user.target.wants/dpdk-datapath.target");
        check_absent(dir, "dpdk-boot-datapath.service");
        check_absent(dir, "dev-hugepages1G.mount");
        rm_rf(dir);
}

/* In the initramfs: the reservation and the devices that go to a driver of ours, nothing else. */
static void test_render_initrd(void) {
        char dir[] = "/tmp/test-render.XXXXXX";
        Plan p = test_plan(true);

        check(mkdtemp(dir));
        check(render_units(&p, dir) == 0);
        check_link(dir, "initrd.target.wants/dpdk-boot-hugepages.service",
                   UNITDIR "/dpdk-boot-hugepages.service");
        check_link(dir, "initrd.target.wants/dpdk-boot-bind.service", BIND_UNIT_PATH);
        check_absent(dir, "dpdk-boot.target.wants");
        check_absent(dir, "dpdk-boot.target.d");
        check_absent(dir, "multi-user.target.wants");
        check_absent(dir, "dpdk-boot-datapath.service");
        rm_rf(dir);
}

/* Which devices the bind unit binds now: present and not refused; in the initramfs not those
 * handed back to their kernel driver. With none of them, no bind unit is pulled in. */
static void test_render_binds_now(void) {
        char dir[] = "/tmp/test-render.XXXXXX";
        PlanDevice devices[ELEMENTSOF(test_devices)];
        Plan p = test_plan(true);

        memcpy(devices, test_devices, sizeof(devices));
        p.devices = devices;
        /* 3b:00.0 binds; 3b:00.1 is absent, 3b:00.2 refused; af:10.7 goes back to its kernel
         * driver, in the real root only */
        check(plan_device_binds_now(&p, &devices[0]));
        check(!plan_device_binds_now(&p, &devices[1]));
        check(!plan_device_binds_now(&p, &devices[2]));
        check(!plan_device_binds_now(&p, &devices[3]));
        p.initrd = false;
        check(plan_device_binds_now(&p, &devices[3]));
        check(!plan_device_binds_now(&p, &devices[2]));
        p.initrd = true;
        devices[0].refused = true;
        check(mkdtemp(dir));
        check(render_units(&p, dir) == 0);
        check_absent(dir, "initrd.target.wants/dpdk-boot-bind.service");
        check_link(dir, "initrd.target.wants/dpdk-boot-hugepages.service",
                   UNITDIR "/dpdk-boot-hugepages.service");
        rm_rf(dir);
}

static void test_render_invalid(void) {
        char dir[] = "/tmp/test-render.XXXXXX";
        Plan p = { .state = PLAN_INVALID };

        check(mkdtemp(dir));
        check(render_units(&p, dir) == 0);
        check_link(dir, "multi-user.target.wants/dpdk-boot-config.service",
                   UNITDIR "/dpdk-boot-config.service");
        rm_rf(dir);

        p.initrd = true;
        check(mkdtemp(strcpy(dir, "/tmp/test-render.XXXXXX")));
        check(render_units(&p, dir) == 0);
        check_absent(dir, "multi-user.target.wants");
        rm_rf(dir);
}

/* Every step is tried and the first error returned, even with nowhere to write. */
static void test_render_no_dir(void) {
        Plan p = test_plan(false);

        check(render_units(&p, "/nonexistent/test-render") == -ENOENT);
}

static void test_unit_names(void) {
        char *s;

        s = unit_mount_name("/dev/hugepages-1G");
        check_streq(s, "dev-hugepages\\x2d1G.mount");
        free(s);
        s = unit_mount_name("dev/huge pages");
        check_streq(s, "dev-huge\\x20pages.mount");
        free(s);
}

int main(void) {
        test_exec_escaping();
        test_exec_argv();
        test_render_active();
        test_render_existing_link();
        test_render_binds_only();
        test_render_initrd();
        test_render_binds_now();
        test_render_invalid();
        test_render_no_dir();
        test_unit_names();
        return 0;
}
