/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootloader.h"
#include "cleanup.h"
#include "helper.h"
#include "log.h"
#include "ovs.h"
#include "render.h"

/*
 * Preset=ovs: the plan in Open vSwitch's own terms. Everything goes into ovsdb before
 * ovs-vswitchd starts (--no-wait: nothing would answer), in one ovs-vsctl transaction, so a
 * failure leaves the database as it was. Every setting is written each boot, and ports we added
 * carry external_ids:dpdk-boot=managed, so a port the config no longer names is removed and a
 * port added by hand is never touched. dpdk-boot-ovs.service runs it with --from-plan: the
 * settings, bridges and ports are the plan file's.
 */

/* "0x..." for a CPU set: the hexadecimal mask OVS reads for pmd-cpu-mask and dpdk-lcore-mask. */
int cpuset_format_mask(const CpuSet *s, char *buf, size_t size) {
        int last = cpuset_last(s);
        size_t n = 0;

        if (last < 0 || size < 4)
                return -EINVAL;
        n += (size_t) snprintf(buf, size, "0x");
        for (int nibble = last / 4; nibble >= 0; nibble--) {
                unsigned v = 0;

                for (unsigned b = 0; b < 4; b++)
                        if (cpuset_isset(s, (unsigned) nibble * 4 + b))
                                v |= 1u << b;
                if (n + 2 > size)
                        return -ENOBUFS;
                buf[n++] = "0123456789abcdef"[v];
        }
        buf[n] = 0;
        return 0;
}

/* Appends the words up to NULL; -ENOMEM, and nothing more appended, on failure. */
static int push_words(Strv *l, ...) {
        va_list ap;
        int r = 0;

        va_start(ap, l);
        for (const char *w; r >= 0 && (w = va_arg(ap, const char *)); )
                r = strv_push(l, strdup(w));
        va_end(ap);
        return r;
}

/* One "other_config:KEY=VALUE" word. */
static int push_other(Strv *l, const char *key, const char *value) {
        return strv_pushf(l, "other_config:%s=%s", key, value);
}

int ovs_setup_argv(const Plan *p, const Strv *stale, Strv *argv) {
        const PlanDatapath *pd = &p->datapath;
        char mask[CPUSET_MAX / 4 + 4], name[20];
        _cleanup_(buf_free) Buf sm = {}, extra = {};
        CpuSet main_core = {};
        int r;

        /* the DPDK settings, all of them every time */
        r = push_words(argv, OVS_VSCTL_PATH, "--no-wait", "--", "set", "Open_vSwitch", ".",
                       "other_config:dpdk-init=true", (char *) NULL);
        cpuset_set(&main_core, (unsigned) pd->main_core);
        if (r >= 0 && cpuset_format_mask(&main_core, mask, sizeof(mask)) >= 0)
                r = push_other(argv, "dpdk-lcore-mask", mask);
        if (r >= 0 && cpuset_format_mask(&pd->workers, mask, sizeof(mask)) >= 0)
                r = push_other(argv, "pmd-cpu-mask", mask);
        if (r >= 0 && pd->hugepage_dir)
                r = push_other(argv, "dpdk-hugepage-dir", pd->hugepage_dir);
        for (unsigned n = 0; r >= 0 && n < pd->n_socket_mem; n++)
                r = buf_printf(&sm, "%s%u", n ? "," : "", pd->socket_mem_mb[n]);
        if (r >= 0 && sm.data)
                r = push_other(argv, "dpdk-socket-mem", sm.data);
        if (r >= 0 && !isempty(pd->extra_args)) {
                /* an ovsdb string: quoted, '"' and '\' escaped (control characters the config
                 * refuses already) */
                r = buf_put(&extra, "\"");
                for (const char *c = pd->extra_args; r >= 0 && *c; c++)
                        r = buf_printf(&extra, "%s%c", *c == '"' || *c == '\\' ? "\\" : "", *c);
                if (r >= 0)
                        r = buf_put(&extra, "\"");
                if (r >= 0)
                        r = push_other(argv, "dpdk-extra", extra.data);
        }

        /* what an earlier config set and this one does not */
        if (r >= 0 && !sm.data)
                r = push_words(argv, "--", "remove", "Open_vSwitch", ".", "other_config", "dpdk-socket-mem", (char *) NULL);
        if (r >= 0 && !pd->hugepage_dir)
                r = push_words(argv, "--", "remove", "Open_vSwitch", ".", "other_config", "dpdk-hugepage-dir", (char *) NULL);
        if (r >= 0 && isempty(pd->extra_args))
                r = push_words(argv, "--", "remove", "Open_vSwitch", ".", "other_config", "dpdk-extra", (char *) NULL);
        for (size_t i = 0; r >= 0 && stale && i < stale->n; i++)
                r = push_words(argv, "--", "--if-exists", "del-port", stale->v[i], (char *) NULL);

        /* the bridges, each once, in the order of their first port */
        for (size_t i = 0; r >= 0 && i < p->n_devices; i++) {
                const PlanDevice *d = &p->devices[i];
                bool seen = false;

                if (!plan_device_is_port(d) || !d->bridge)
                        continue;
                for (size_t j = 0; j < i; j++)
                        seen = seen || (plan_device_is_port(&p->devices[j]) && p->devices[j].bridge &&
                                        streq(p->devices[j].bridge, d->bridge));
                if (!seen)
                        r = push_words(argv, "--", "--may-exist", "add-br", d->bridge,
                                       "--", "set", "Bridge", d->bridge, "datapath_type=netdev", (char *) NULL);
        }
        /* the ports: type=dpdk with the PCI address, as OVS's documentation adds them */
        for (size_t i = 0; r >= 0 && i < p->n_devices; i++) {
                const PlanDevice *d = &p->devices[i];

                if (!plan_device_is_port(d) || !d->bridge)
                        continue;
                plan_ovs_port_name(d, name);
                r = push_words(argv, "--", "--may-exist", "add-port", d->bridge, name,
                               "--", "set", "Interface", name, "type=dpdk", (char *) NULL);
                if (r >= 0)
                        r = strv_pushf(argv, "options:dpdk-devargs=%s", d->address);
                if (r >= 0)
                        r = push_words(argv, "external_ids:dpdk-boot=managed", (char *) NULL);
                if (r >= 0 && pd->mtu != 0 && pd->mtu != 1500)
                        r = strv_pushf(argv, "mtu_request=%u", pd->mtu);
        }
        return r < 0 ? -ENOMEM : 0;
}

/* The output of a command, one word per line (ovs-vsctl --data=bare), as a list. */
static int run_lines(char *const argv[], Strv *ret) {
        _cleanup_(buf_free) Buf out = {};
        char *save = NULL;
        int r;

        r = spawn_command(argv, &out);
        if (r != 0)
                return r < 0 ? r : -EIO;
        for (char *l = out.data ? strtok_r(out.data, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save))
                if (!isempty(l) && strv_push(ret, strdup(l)) < 0)
                        return -ENOMEM;
        return 0;
}

/* Ports we added on an earlier boot that this plan does not name, or names on another bridge. */
static int find_stale_ports(const Plan *p, Strv *ret) {
        char *find[] = { (char *) OVS_VSCTL_PATH, (char *) "--no-wait", (char *) "--format=csv",
                         (char *) "--data=bare", (char *) "--no-headings", (char *) "--columns=name",
                         (char *) "find", (char *) "Interface", (char *) "external_ids:dpdk-boot=managed", NULL };
        _cleanup_(strv_free) Strv managed = {};
        char name[20];
        int r;

        r = run_lines(find, &managed);
        if (r < 0)
                return r;
        for (size_t i = 0; i < managed.n; i++) {
                _cleanup_(strv_free) Strv br = {};
                char *to_br[] = { (char *) OVS_VSCTL_PATH, (char *) "--no-wait", (char *) "port-to-br",
                                  managed.v[i], NULL };
                const char *want = NULL;

                for (size_t j = 0; j < p->n_devices && !want; j++) {
                        if (!plan_device_is_port(&p->devices[j]) || !p->devices[j].bridge)
                                continue;
                        plan_ovs_port_name(&p->devices[j], name);
                        if (streq(name, managed.v[i]))
                                want = p->devices[j].bridge;
                }
                /* a port of the plan stays unless ovsdb says it is on another bridge: an
                 * unanswered query must not cost the host a port */
                if (want && (run_lines(to_br, &br) < 0 || br.n != 1 || streq(br.v[0], want)))
                        continue;
                r = strv_push(ret, strdup(managed.v[i]));
                if (r < 0)
                        return r;
        }
        return 0;
}

/* ovs-vswitchd as Debian installs it is an alternative: the plain build cannot run dpdk ports. */
static int check_dpdk_build(void) {
        char *argv[] = { (char *) OVS_VSWITCHD_PATH, (char *) "--version", NULL };
        _cleanup_(buf_free) Buf out = {};
        int r;

        r = spawn_command(argv, &out);
        if (r != 0)
                return log_error_errno(r < 0 ? r : EIO, "Cannot run '%s --version': %s. Is Open vSwitch "
                                       "installed (Debian: openvswitch-switch-dpdk)?", OVS_VSWITCHD_PATH,
                                       r < 0 ? strerror(-r) : "it failed");
        if (!out.data || !strstr(out.data, "DPDK"))
                return log_error_errno(ENOTSUP, "%s is built without DPDK (its --version names no DPDK); "
                                       "select the DPDK build, on Debian with: update-alternatives --set "
                                       "ovs-vswitchd /usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk",
                                       OVS_VSWITCHD_PATH);
        return 0;
}

static void log_command(int level, char *const argv[]) {
        _cleanup_(buf_free) Buf b = {};

        for (size_t i = 0; argv[i]; i++)
                (void) buf_printf(&b, "%s%s", i ? " " : "", argv[i]);
        log_full(level, "%s", b.data ?: "");
}

static int check_plan(const Plan *p) {
        char state[64];

        if (p->state == PLAN_ACTIVE && p->do_datapath && p->datapath.preset == DATAPATH_OVS)
                return 0;
        return log_error_errno(EINVAL, "Nothing to set up in Open vSwitch: %s.",
                               p->state != PLAN_ACTIVE ? plan_state_describe(p, state, sizeof(state))
                               : !p->do_datapath ? "the datapath is switched off (dpdk.datapath=no)"
                               : "the configuration's [Datapath] is not Preset=ovs");
}

/* Runs the command; it is one ovsdb transaction, all or nothing. */
static int run_setup(const Plan *p, const Strv *stale, Strv *cmd) {
        unsigned n_ports = 0;
        int r;

        for (size_t i = 0; i < stale->n; i++)
                log_info("Removing port %s, which an earlier configuration added.", stale->v[i]);
        log_command(LOG_DEBUG, cmd->v);
        r = spawn_command(cmd->v, NULL);
        if (r != 0) {
                log_command(LOG_ERR, cmd->v);
                return log_error_errno(r < 0 ? r : EIO, "ovs-vsctl failed (%s); ovsdb is unchanged.",
                                       r < 0 ? strerror(-r) : "see its message above");
        }
        for (size_t i = 0; i < p->n_devices; i++)
                n_ports += plan_device_is_port(&p->devices[i]) && p->devices[i].bridge;
        log_info("Open vSwitch: DPDK settings and %u dpdk port%s written to ovsdb.",
                 n_ports, n_ports == 1 ? "" : "s");
        return 0;
}

int verb_ovs_setup(int argc, char **argv) {
        _cleanup_(helper_plan_done) HelperPlan hp = {};
        _cleanup_(strv_free) Strv stale = {}, cmd = {};
        int r;

        if (helper_plan_load(&hp) < 0 || check_plan(hp.plan) < 0)
                return EXIT_FAILURE;
        if (!arg_dry_run) {
                if (check_dpdk_build() < 0)
                        return EXIT_FAILURE;
                r = find_stale_ports(hp.plan, &stale);
                if (r < 0)
                        return log_error_errno(r, "Cannot list the ports in ovsdb (is ovsdb-server up?): %m"),
                               EXIT_FAILURE;
        }
        r = ovs_setup_argv(hp.plan, &stale, &cmd);
        if (r < 0)
                return log_oom(), EXIT_FAILURE;
        if (arg_dry_run) {
                for (size_t i = 0; cmd.v[i]; i++)
                        printf("%s%s", i ? " " : "", cmd.v[i]);
                printf("\n");
                return EXIT_SUCCESS;
        }
        return run_setup(hp.plan, &stale, &cmd) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
