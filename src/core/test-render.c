/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plan.h"
#include "render.h"
#include "test-util.h"

/* The datapath unit of a plan that only starts a datapath with this command line. */
static int render_exec(const char *exec_start, char *unit, size_t size) {
        char dir[] = "/tmp/test-render.XXXXXX", path[PATH_MAX], cmd[PATH_MAX + 16];
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
        (void) snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        check(system(cmd) == 0); /* NOLINT(cert-env33-c): a fixed command on our mkdtemp() tree */
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
}

int main(void) {
        test_exec_escaping();
        return 0;
}
