/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include "cleanup.h"
#include "gates.h"
#include "helper.h"
#include "log.h"
#include "message-ids.h"
#include "util.h"

/* $JOURNAL_STREAM is "<device>:<inode>" of the journal's stream, in decimal (systemd.exec(5)). */
bool stderr_is_journal(void) {
        const char *e = getenv("JOURNAL_STREAM"), *colon = e ? strchr(e, ':') : NULL;
        _cleanup_free_ char *dev_s = NULL;
        uint64_t dev, ino;
        struct stat st;

        if (!colon || !(dev_s = strndup(e, (size_t) (colon - e))))
                return false;
        return safe_atou64(dev_s, &dev) >= 0 && safe_atou64(colon + 1, &ino) >= 0 &&
               fstat(STDERR_FILENO, &st) >= 0 && st.st_dev == (dev_t) dev && st.st_ino == (ino_t) ino;
}

const char *gate_message_id(GateId g) {
        switch (g) {
        case GATE_IOMMU:
                return DPDK_BOOT_MESSAGE_IOMMU_MISSING_STR;
        case GATE_GROUP:
                return DPDK_BOOT_MESSAGE_IOMMU_GROUP_NOT_VIABLE_STR;
        case GATE_RMRR:
                return DPDK_BOOT_MESSAGE_RMRR_STR;
        case GATE_BIFURCATED:
                return DPDK_BOOT_MESSAGE_BIFURCATED_NIC_REFUSED_STR;
        case GATE_MANAGEMENT:
                return DPDK_BOOT_MESSAGE_MANAGEMENT_NIC_REFUSED_STR;
        case GATE_DRIVER:
                return DPDK_BOOT_MESSAGE_DRIVER_UNAVAILABLE_STR;
        case GATE_SRIOV:
                return DPDK_BOOT_MESSAGE_SRIOV_PF_REFUSED_STR;
        default:
                return DPDK_BOOT_MESSAGE_BIND_FAILED_STR;
        }
}

void log_gate_failure(const char *bdf, GateId g, const char *target, const char *message, bool left_out) {
        _cleanup_free_ char *line = gate_refusal_line(bdf, g, left_out, message);

        if (!line) {
                (void) log_oom();
                return;
        }
        if (stderr_is_journal() &&
            sd_journal_send("MESSAGE=%s", line,
                            "MESSAGE_ID=%s", gate_message_id(g),
                            "PRIORITY=%i", left_out ? LOG_WARNING : LOG_ERR,
                            "SYSLOG_IDENTIFIER=%s", program_invocation_short_name,
                            "DPDK_BOOT_DEVICE=%s", bdf,
                            "DPDK_BOOT_GATE=%s", gate_id_to_string(g),
                            "DPDK_BOOT_DRIVER=%s", target,
                            NULL) >= 0)
                return;
        log_full(left_out ? LOG_WARNING : LOG_ERR, "%s", line);
}

int gates_before_bind(Context *ctx, const char *bdf, const char *target, Strv *group_mates) {
        PlanDevice adhoc = {}, *d = NULL;
        int r;

        d = (PlanDevice *) plan_find_device(&ctx->plan, bdf);
        if (!d || !streq(d->driver, target)) {
                /* a one-off bind, or another driver than the plan's: the same gates */
                r = hw_add_device(&ctx->hw, bdf);
                if (r < 0)
                        return log_error_errno(r, "%s: failed to read the device: %m", bdf);
                memcpy(adhoc.address, bdf, sizeof(adhoc.address));
                adhoc.driver = target;
                adhoc.present = true;
                adhoc.numa_node = -1;
                plan_gate_device(&ctx->plan, &ctx->hw, &adhoc);
                d = &adhoc;
        }
        if (d->refused) {
                /* Named on the command line: refused, even where the generator would only leave it
                 * out of a pattern rule with a warning. */
                log_gate_failure(bdf, d->refused_by, target, plan_device_refusal_message(d) ?: "refused",
                                 /* left_out= */ false);
                free(adhoc.refusal);
                return -EPERM;
        }
        for (size_t i = 0; group_mates && i < ctx->plan.n_devices; i++)
                if (ctx->plan.devices[i].group_of && streq(ctx->plan.devices[i].group_of, bdf) &&
                    strv_push(group_mates, strdup(ctx->plan.devices[i].address)) < 0)
                        return log_oom();
        return 0;
}
