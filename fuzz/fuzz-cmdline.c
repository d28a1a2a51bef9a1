/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel command line: the input is $SYSTEMD_PROC_CMDLINE or /proc/cmdline (under the
 * scratch root, NULs and all), read the way the generator reads it, split into words, and turned into our switches, which then
 * decide a plan for a fixed valid config, in the initrd and on the real root.
 */
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "fuzz-common.h"
#include "log.h"
#include "plan.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static Config config;
static Hardware hw;

static const char config_text[] =
        "[Hugepages]\nSize=2M\nCount=64\n"
        "[Device]\nAddress=0000:00:04.0\n"
        "[Datapath]\nPreset=testpmd\nCores=1\n";

int LLVMFuzzerInitialize(int *argc, char ***argv) {
        (void) argc, (void) argv;
        log_set_max_level(LOG_CRIT);  /* the warnings about bad switches are expected */
        unsetenv("SYSTEMD_PROC_CMDLINE");
        fuzz_root_setup();
        fuzz_mkdir_p("/proc");
        fuzz_mkdir_p("/etc/dpdk-boot");
        fuzz_write("/etc/dpdk-boot/dpdk-boot.conf", config_text, strlen(config_text), 0644);
        if (config_load(&config) < 0 || !config_ok(&config))
                fuzz_fail("the fixed config does not load");
        if (hw_read(&hw, &config, /* cmdline= */ NULL, /* flags= */ 0) < 0)
                fuzz_fail("hw_read of an empty tree failed");
        fuzz_keep();
        return 0;
}

static bool tristate(int v) {
        return v == -1 || v == 0 || v == 1;
}

static int count_word(const char *key, const char *value, void *userdata) {
        /* A word splits at its first '=', so the key never holds one. */
        if (!key || strchr(key, '='))
                fuzz_fail("word split gave key \"%s\"", key ? key : "(null)");
        (*(size_t *) userdata)++;
        return 0;
}

static void check_plan(const Switches *sw, bool initrd) {
        Plan p;

        if (plan_build(&config, sw, &hw, initrd, &p) < 0)
                fuzz_fail("plan_build failed");
        if (p.state == PLAN_DISABLED) {
                if (sw->enabled != 0 && !(initrd && sw->rd_enabled == 0))
                        fuzz_fail("plan disabled without dpdk=no or rd.dpdk=no");
        } else if (p.state != PLAN_ACTIVE)
                fuzz_fail("plan state %s for a valid config", plan_state_to_string(p.state));
        else if (p.do_datapath && (initrd || sw->datapath == 0))
                fuzz_fail("datapath planned in the initrd or against dpdk.datapath=no");
        plan_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _Static_assert(sizeof(Switches) == 7 * sizeof(int), "check every switch below");
        char *line = NULL;
        size_t words = 0;
        Switches sw;
        int r;

        /* Both ways cmdline_read() has: mostly $SYSTEMD_PROC_CMDLINE (no system call, so many
         * more inputs per second), one input in 16 through <root>/proc/cmdline. */
        if ((size & 15) == 0) {
                unsetenv("SYSTEMD_PROC_CMDLINE");
                fuzz_write("/proc/cmdline", data, size, 0444);
                fuzz_keep(); /* rewritten by the next such input */
                r = cmdline_read(&line);
                if (r == 0 && strchr(line, '\n'))
                        fuzz_fail("cmdline_read kept a newline");
        } else {
                /* putenv() of one static buffer: setenv() would keep every old value, and an
                 * iteration that does not free all it allocated makes libFuzzer scan for leaks. */
                static char env[sizeof("SYSTEMD_PROC_CMDLINE=") + 65536] = "SYSTEMD_PROC_CMDLINE=";
                size_t off = sizeof("SYSTEMD_PROC_CMDLINE=") - 1, n = size < 65536 ? size : 65536;

                memcpy(env + off, data, n);
                env[off + n] = 0;
                if (putenv(env) < 0)
                        abort();
                r = cmdline_read(&line);
        }
        if (r < 0)
                fuzz_fail("cmdline_read: %d", r);

        if (cmdline_parse_items(line, count_word, &words) < 0)
                fuzz_fail("cmdline_parse_items failed");
        switches_init(&sw);
        if (switches_parse(&sw, line) < 0)
                fuzz_fail("switches_parse failed");
        for (size_t i = 0; i < 7; i++)
                if (!tristate(((const int *) &sw)[i]))
                        fuzz_fail("switch %zu is %d", i, ((const int *) &sw)[i]);
        check_plan(&sw, false);
        check_plan(&sw, true);
        (void) in_initrd();
        free(line);
        return 0;
}
