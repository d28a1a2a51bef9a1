/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Test tool: loads a config (one FILE, or the drop-in hierarchy under DPDK_BOOT_ROOT when no
 * argument is given) and prints its errors or what it means, for golden comparison. */
#include <stdio.h>

#include "cleanup.h"
#include "config.h"

static void dump(const Config *c) {
        _cleanup_free_ char *isolate = NULL, *housekeeping = NULL, *cores = NULL;
        char sz[16];

        for (size_t i = 0; i < c->n_hugepages; i++) {
                const HugepageConfig *h = &c->hugepages[i];

                printf("hugepages %s", format_page_size(h->size_kb, sz));
                if (!h->per_node)
                        printf(" count=%u", h->count);
                if (h->placement != PLACEMENT_KERNEL)
                        printf(" placement=%s", hugepage_placement_to_string(h->placement));
                for (unsigned n = 0; h->per_node && n < DPDK_BOOT_MAX_NODES; n++)
                        if (h->node_set[n])
                                printf(" node%u=%u", n, h->node_count[n]);
                printf(" (%s:%u)\n", h->loc.file, h->loc.line);
        }
        if (c->isolate_set && (isolate = cpuset_to_string(&c->isolate)))
                printf("isolate %s\n", isolate);
        if (c->housekeeping_set && (housekeeping = cpuset_to_string(&c->housekeeping)))
                printf("housekeeping %s\n", housekeeping);
        if (c->housekeeping_per_node > 0)
                printf("housekeeping-per-node %u\n", c->housekeeping_per_node);
        printf("iommu %s\n", iommu_mode_to_string(c->iommu));
        for (size_t i = 0; i < c->n_devices; i++) {
                const DeviceConfig *d = &c->devices[i];

                if (!isempty(d->address))
                        printf("device %s", d->address);
                else
                        printf("device rule");
                for (MatchKey k = 0; k < _MATCH_MAX; k++) {
                        if (d->match[k].patterns.n == 0)
                                continue;
                        printf(" %s=%s", match_key_to_string(k), d->match[k].negate ? "!" : "");
                        for (size_t j = 0; j < d->match[k].patterns.n; j++)
                                printf("%s%s", j ? "|" : "", d->match[k].patterns.v[j]);
                }
                for (size_t j = 0; j < d->n_ports; j++)
                        printf("%s%u", j ? "," : " port=", d->ports[j]);
                if (d->exclude)
                        printf(" exclude");
                else
                        printf(" driver=\"%s\"%s%s", d->driver, d->force ? " force" : "",
                               d->bind_group ? " bind-group" : "");
                if (d->virtual_functions_set)
                        printf(" vfs=%u", d->virtual_functions);
                printf(" (%s:%u)\n", d->loc.file, d->loc.line);
        }
        printf("datapath %s", datapath_preset_to_string(c->datapath.preset));
        cores = cpuset_to_string(&c->datapath.cores);
        if (!isempty(cores))
                printf(" cores=%s", cores);
        if (c->datapath.cores_per_port > 0)
                printf(" cores-per-port=%u", c->datapath.cores_per_port);
        if (c->datapath.main_core >= 0)
                printf(" main=%d", c->datapath.main_core);
        if (c->datapath.mtu > 0)
                printf(" mtu=%u", c->datapath.mtu);
        for (unsigned n = 0; n < c->datapath.n_socket_mem; n++)
                printf("%s%u", n ? "," : " socket-mem=", c->datapath.socket_mem_mb[n]);
        if (c->datapath.exec_start)
                printf(" exec=\"%s\"", c->datapath.exec_start);
        if (c->datapath.extra_args)
                printf(" extra=\"%s\"", c->datapath.extra_args);
        printf("\n");
        if (c->kernel.loc.file)
                printf("kernel manage-args=%s bootloader=%s reboot=%s (%s:%u)\n",
                       c->kernel.manage_args ? "yes" : "no", bootloader_kind_to_string(c->kernel.bootloader),
                       reboot_policy_to_string(c->kernel.reboot_policy), c->kernel.loc.file, c->kernel.loc.line);
        if (c->kernel.secureboot_private_key || c->kernel.secureboot_certificate)
                printf("kernel secureboot-private-key=%s secureboot-certificate=%s\n",
                       c->kernel.secureboot_private_key ?: "-", c->kernel.secureboot_certificate ?: "-");
}

int main(int argc, char *argv[]) {
        Config c;
        int r;

        r = argc > 1 ? config_load_file(&c, argv[1]) : config_load(&c);
        if (r < 0) {
                fprintf(stderr, "failed: %d\n", r);
                return 2;
        }
        for (size_t i = 0; i < c.errors.n; i++)
                printf("error: %s\n", c.errors.v[i]);
        if (config_ok(&c))
                dump(&c);
        config_free(&c);
        return 0;
}
