/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "bootloader.h"
#include "cleanup.h"
#include "helper.h"
#include "log.h"
#include "plan.h"
#include "render.h"
#include "rootdir.h"
#include "vpp.h"

/*
 * vpp-config: Preset=vpp leaves the datapath to vpp.service, which reads a startup.conf. This
 * writes that file: VPP's own (ConfigFile=, else /etc/vpp/startup.conf) with the cpu and dpdk
 * sections the plan decides, to /run/dpdk-boot/vpp-startup.conf, replaced atomically so that VPP
 * never reads half of it.
 */

static int check_plan(const Context *ctx) {
        char state[64];

        if (ctx->plan.state == PLAN_INVALID)
                for (size_t i = 0; i < ctx->config.errors.n; i++)
                        log_error("%s", ctx->config.errors.v[i]);
        if (ctx->plan.state != PLAN_ACTIVE)
                return log_error_errno(EINVAL, "Not writing %s%s: %s.", root_get(), VPP_STARTUP_CONF,
                                       plan_state_describe(&ctx->plan, state, sizeof(state)));
        if (ctx->plan.datapath.preset != DATAPATH_VPP)
                return log_error_errno(EINVAL, "Not writing %s%s: [Datapath] Preset= is %s, not vpp.",
                                       root_get(), VPP_STARTUP_CONF,
                                       datapath_preset_to_string(ctx->plan.datapath.preset));
        return 0;
}

static unsigned count_ports(const Plan *p) {
        unsigned n = 0;

        for (size_t i = 0; i < p->n_devices; i++)
                n += plan_device_is_port(&p->devices[i]);
        return n;
}

int verb_vpp_config(int argc, char **argv) {
        _cleanup_(context_free) Context ctx = {};
        _cleanup_free_ char *text = NULL;
        const char *base;
        unsigned ports;
        int r, found;

        (void) argc, (void) argv;
        if (helper_context_load(&ctx) < 0 || check_plan(&ctx) < 0)
                return EXIT_FAILURE;

        base = ctx.config.datapath.config_file ?: VPP_DEFAULT_CONFIG;
        found = vpp_read_and_render(base, &ctx.plan, &text);
        if (found == -EINVAL)
                return log_error_errno(found, "%s%s: unbalanced or misplaced braces, cannot tell its cpu "
                                       "and dpdk sections apart; nothing written.", root_get(), base),
                       EXIT_FAILURE;
        if (found < 0)
                return log_error_errno(found, "Failed to read %s%s: %m", root_get(), base), EXIT_FAILURE;

        r = kargs_state_write(VPP_STARTUP_CONF, text);
        if (r < 0)
                return log_error_errno(r, "Failed to write %s%s: %m", root_get(), VPP_STARTUP_CONF),
                       EXIT_FAILURE;

        ports = count_ports(&ctx.plan);
        if (found)
                printf("Wrote %s%s: %s%s with the plan's cpu and dpdk sections (%u port%s).\n",
                       root_get(), VPP_STARTUP_CONF, root_get(), base, ports, ports == 1 ? "" : "s");
        else
                printf("Wrote %s%s: the plan's cpu and dpdk sections only, %s%s does not exist "
                       "(%u port%s).\n",
                       root_get(), VPP_STARTUP_CONF, root_get(), base, ports, ports == 1 ? "" : "s");
        return EXIT_SUCCESS;
}
