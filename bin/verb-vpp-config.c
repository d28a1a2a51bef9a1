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
 * never reads half of it. vpp.service's ExecStartPre= runs it with --from-plan: the sections
 * and the base file are the plan file's.
 */

static int check_plan(const HelperPlan *hp) {
        const Plan *p = hp->plan;
        char state[64];

        if (p->state == PLAN_INVALID)
                for (size_t i = 0; i < hp->errors->n; i++)
                        log_error("%s", hp->errors->v[i]);
        if (p->state != PLAN_ACTIVE)
                return log_error_errno(EINVAL, "Not writing %s%s: %s.", root_get(), VPP_STARTUP_CONF,
                                       plan_state_describe(p, state, sizeof(state)));
        if (p->datapath.preset != DATAPATH_VPP)
                return log_error_errno(EINVAL, "Not writing %s%s: [Datapath] Preset= is %s, not vpp.",
                                       root_get(), VPP_STARTUP_CONF,
                                       datapath_preset_to_string(p->datapath.preset));
        return 0;
}

static unsigned count_ports(const Plan *p) {
        unsigned n = 0;

        for (size_t i = 0; i < p->n_devices; i++)
                n += plan_device_is_port(&p->devices[i]);
        return n;
}

int verb_vpp_config(int argc, char **argv) {
        _cleanup_(helper_plan_done) HelperPlan hp = {};
        _cleanup_free_ char *text = NULL;
        const char *base;
        unsigned ports;
        int r, found;

        (void) argc, (void) argv;
        if (helper_plan_load(&hp) < 0 || check_plan(&hp) < 0)
                return EXIT_FAILURE;

        base = hp.plan->datapath.config_file ?: VPP_DEFAULT_CONFIG;
        found = vpp_read_and_render(base, hp.plan, &text);
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

        ports = count_ports(hp.plan);
        if (found)
                printf("Wrote %s%s: %s%s with the plan's cpu and dpdk sections (%u port%s).\n",
                       root_get(), VPP_STARTUP_CONF, root_get(), base, ports, ports == 1 ? "" : "s");
        else
                printf("Wrote %s%s: the plan's cpu and dpdk sections only, %s%s does not exist "
                       "(%u port%s).\n",
                       root_get(), VPP_STARTUP_CONF, root_get(), base, ports, ports == 1 ? "" : "s");
        return EXIT_SUCCESS;
}
