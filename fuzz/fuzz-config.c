/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The config parser and the drop-in merge, under the scratch root. The input is split at form
 * feeds (\f) into the main file and up to 8 drop-ins, spread over the three conf.d directories
 * with colliding names, so masking by name and by a /dev/null symlink (an empty part) and the
 * file-name order all take part; without a form feed it is just the main file. An input with
 * form feeds is also parsed whole, as one explicit file (`dpdk-boot check FILE`).
 * A valid result must keep the promises config.h makes, and its plan must render to units whose
 * ExecStart= is one line (no value may add a line or a directive to a unit).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fuzz-common.h"
#include "log.h"
#include "plan.h"
#include "render.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PARTS 9

static const char *const dirs[] = {
        "/usr/lib/dpdk-boot/conf.d", "/run/dpdk-boot/conf.d", "/etc/dpdk-boot/conf.d",
};
static const char *const names[] = { "10-a.conf", "20-b.conf", "05-c.conf" };

int LLVMFuzzerInitialize(int *argc, char ***argv) {
        (void) argc, (void) argv;
        log_set_max_level(LOG_CRIT);
        fuzz_root_setup();
        for (size_t i = 0; i < 3; i++)
                fuzz_mkdir_p(dirs[i]);
        fuzz_mkdir_p("/units");
        fuzz_keep();
        return 0;
}

/* mode 0: a masking symlink to /dev/null; fuzz_undo() removes it with the input's other files */
static void put_file(const char *rel, const uint8_t *data, size_t len, mode_t mode) {
        if (mode == 0)
                fuzz_symlink("/dev/null", rel);
        else
                fuzz_write(rel, data, len, mode);
}

static bool known_file(const Config *c, const char *f) {
        for (size_t i = 0; i < c->files.n; i++)
                if (f == c->files.v[i])
                        return true;
        return false;
}

static void check_no_cc(const char *what, const char *s) {
        if (s && string_has_cc(s))
                fuzz_fail("%s holds a control character", what);
}

/* What config.h promises about a config without errors. */
static void check_valid(const Config *c) {
        const DatapathConfig *d = &c->datapath;

        for (size_t i = 0; i < c->n_hugepages; i++) {
                if (c->hugepages[i].size_kb != 2048 && c->hugepages[i].size_kb != 1048576)
                        fuzz_fail("hugepage size %llu kB", (unsigned long long) c->hugepages[i].size_kb);
                for (size_t j = 0; j < i; j++)
                        if (c->hugepages[i].size_kb == c->hugepages[j].size_kb)
                                fuzz_fail("two [Hugepages] of one size survived the merge");
                if (!known_file(c, c->hugepages[i].loc.file))
                        fuzz_fail("a [Hugepages] location points outside Config.files");
        }
        for (size_t i = 0; i < c->n_devices; i++) {
                char again[13];

                /* Only an exact Address= rule carries an address; a pattern rule has none. */
                if (!isempty(c->devices[i].address) &&
                    (!pci_address_normalize(c->devices[i].address, again) ||
                     !streq(again, c->devices[i].address)))
                        fuzz_fail("device address \"%s\" is not normalised", c->devices[i].address);
                if (!isempty(c->devices[i].driver) && !driver_is_dpdk(c->devices[i].driver))
                        fuzz_fail("device driver \"%s\"", c->devices[i].driver);
                for (size_t j = 0; j < i; j++)
                        if (!isempty(c->devices[i].address) &&
                            streq(c->devices[i].address, c->devices[j].address))
                                fuzz_fail("device %s twice after the merge", c->devices[i].address);
        }
        if (c->isolate_set && c->housekeeping_set && cpuset_intersects(&c->isolate, &c->housekeeping))
                fuzz_fail("Isolate= and Housekeeping= overlap in a valid config");
        check_no_cc("ForwardMode=", d->forward_mode);
        check_no_cc("ExtraArgs=", d->extra_args);
        check_no_cc("ExecStart=", d->exec_start);
        if (d->exec_start && (d->preset != DATAPATH_CUSTOM || d->exec_start[0] != '/'))
                fuzz_fail("ExecStart= kept without Preset=custom or not absolute");
        /* Without a preset, Cores= and MainCore= mean nothing and are not cross-checked. */
        if (d->preset != DATAPATH_NONE && cpuset_is_empty(&d->cores) && d->cores_per_port == 0)
                fuzz_fail("a datapath without Cores= or CoresPerPort=");
        if (d->preset != DATAPATH_NONE && d->main_core >= 0 && cpuset_isset(&d->cores, (unsigned) d->main_core))
                fuzz_fail("MainCore= in Cores=");
}

/* A valid config must plan and render on an empty host (no devices, no CPUs known). */
static void check_render(const Config *c) {
        Hardware hw = {};
        Switches sw;
        Plan p;
        char dir[4096];
        int r;

        switches_init(&sw);
        r = plan_build(c, &sw, &hw, /* initrd= */ false, &p);
        if (r < 0)
                fuzz_fail("plan_build failed for a valid config: %d", r);
        if (p.datapath.exec_start)
                check_no_cc("the plan's ExecStart", p.datapath.exec_start);
        snprintf(dir, sizeof(dir), "%s", fuzz_path("/units/out"));
        fuzz_mkdir_p("/units/out");
        r = render_units(&p, dir);
        if (r < 0)
                fuzz_fail("render_units failed for a valid config: %d", r);
        fuzz_check_units(dir);
        fuzz_rm_rf(dir);
        plan_free(&p);
}

static void check(const Config *c) {
        for (size_t i = 0; i < c->errors.n; i++)
                if (c->errors.v[i][0] != '/' || !strchr(c->errors.v[i], ':'))
                        fuzz_fail("error without a file: %s", c->errors.v[i]);
        if (config_ok(c) && c->exists) {
                check_valid(c);
                check_render(c);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const uint8_t *part = data, *end = data + size;
        Config c;

        if (memchr(data, '\f', size)) {
                put_file(CONFIG_MAIN_FILE, data, size, 0644);
                if (config_load_file(&c, CONFIG_MAIN_FILE) < 0)
                        fuzz_fail("config_load_file failed");
                check(&c);
                config_free(&c);
                fuzz_undo();
        }

        for (unsigned i = 0; i < MAX_PARTS && part <= end; i++) {
                const uint8_t *ff = memchr(part, '\f', (size_t) (end - part));
                size_t len = (size_t) ((ff ?: end) - part);

                if (i == 0) {
                        if (len > 0)
                                put_file(CONFIG_MAIN_FILE, part, len, 0644);
                } else {
                        char rel[128];

                        /* Drop-in i: directory i % 3, name (i / 3) % 3, so names repeat across
                         * directories; an empty part masks its name; odd ones are group-writable
                         * (an ExecStart= there is refused). */
                        snprintf(rel, sizeof(rel), "%s/%s", dirs[i % 3], names[(i / 3) % 3]);
                        put_file(rel, part, len, len == 0 ? 0 : i % 2 ? 0664 : 0644);
                }
                if (!ff)
                        break;
                part = ff + 1;
        }
        if (config_load(&c) < 0)
                fuzz_fail("config_load failed");
        check(&c);
        config_free(&c);
        fuzz_undo();
        return 0;
}
