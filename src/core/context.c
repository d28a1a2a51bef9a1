/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "kargs.h"
#include "plan.h"

/* The inputs of the plan read once, and the plan built: how the generator and the CLI start. */

/*
 * The kernel arguments the plan needs on this host (its kernel's release, its CPU's vendor) and
 * what the running command line lacks of them: the real root's business only, as is
 * dpdk-boot-kargs.service.
 */
static int plan_kernel_args(Context *c) {
        PlanKernel *k = &c->plan.kernel;
        KargsEnv env;
        int r;

        if (c->plan.state != PLAN_ACTIVE || c->plan.initrd)
                return 0;
        /* An unknown kernel is taken as old: hugepages= as one total per size. */
        (void) kargs_env_detect(&env);
        r = kargs_from_plan(&c->plan, &env, &k->args);
        if (r < 0)
                return r;
        return kargs_missing(c->cmdline ?: "", &k->args, &k->missing);
}

static uint64_t hw_node_mask(const Hardware *hw) {
        uint64_t mask = 0;

        for (size_t i = 0; i < hw->n_nodes; i++)
                if (hw->nodes[i].id >= 0 && hw->nodes[i].id < DPDK_BOOT_MAX_NODES)
                        mask |= UINT64_C(1) << hw->nodes[i].id;
        return mask;
}

static bool config_has_gigantic(const Config *c) {
        for (size_t i = 0; i < c->n_hugepages; i++)
                if (c->hugepages[i].size_kb >= 1024 * 1024)
                        return true;
        return false;
}

static int context_load_flags(Context *c, bool initrd, bool read_when_disabled) {
        bool off;
        int r;

        *c = (Context) {};
        switches_init(&c->switches);
        /* No command line (a chroot, an image) means no switches, not an error. */
        if (cmdline_read(&c->cmdline) >= 0) {
                r = switches_parse(&c->switches, c->cmdline);
                if (r < 0)
                        return r;
        }
        /* dpdk=no (rd.dpdk=no in the initrd) disables the plan whatever the config and the
         * hardware say: the generator then reads neither, so that a box booted with it to get it
         * back trips on nothing of ours. `status` and `plan` still show both. */
        off = !read_when_disabled && switches_disabled_by(&c->switches, initrd);
        r = off ? config_probe(&c->config) : config_load(&c->config);
        if (r < 0)
                return r;
        if (!off) {
                /* Every gate needs the whole snapshot: IOMMU groups and their reserved regions,
                 * interfaces and the management evidence. The generator and the CLI read the
                 * same, so that what `plan` shows is what the boot does. */
                r = hw_read(&c->hw, &c->config, c->cmdline, HW_READ_FULL);
                if (r >= 0 && c->config.n_hugepages > 0)
                        r = hw_read_memory(&c->hw.mem, hw_node_mask(&c->hw), config_has_gigantic(&c->config));
                if (r < 0)
                        return r;
        }
        r = plan_build(&c->config, &c->switches, &c->hw, initrd, &c->plan);
        if (r < 0)
                return r;
        return plan_kernel_args(c);
}

int context_load(Context *c, bool initrd) {
        return context_load_flags(c, initrd, /* read_when_disabled= */ false);
}

int context_load_full(Context *c, bool initrd) {
        return context_load_flags(c, initrd, /* read_when_disabled= */ true);
}

void context_free(Context *c) {
        plan_free(&c->plan);
        hw_free(&c->hw);
        config_free(&c->config);
        free(c->cmdline);
        *c = (Context) {};
}
