/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include "plan.h"
#include "util.h"

/*
 * The safety gates as the helper runs them, right before a bind: on the full snapshot (IOMMU
 * groups and reserved regions, live routes and the static evidence of the management path),
 * with the target driver's availability checked through libkmod by the bind itself.
 */

/* stderr is the journal's stream when JOURNAL_STREAM names its device and inode (systemd.exec(5)). */
bool stderr_is_journal(void);

/* The MESSAGE_ID of a gate's failure class. */
const char *gate_message_id(GateId g);

/* Logs a refusal: with MESSAGE_ID, DPDK_BOOT_DEVICE=, DPDK_BOOT_GATE=, DPDK_BOOT_DRIVER= when
 * stderr is the journal, as a plain line otherwise. */
void log_gate_failure(const char *bdf, GateId g, const char *target, const char *message, bool left_out);

/*
 * Runs every gate for binding bdf to target, on ctx (helper_context_load(): the full snapshot;
 * a device outside the config is added to it). Returns 0 when it may go ahead (and the other
 * members of its IOMMU group a BindGroup=yes rule adds, in *group_mates), -EPERM when a gate
 * refused (logged as an error: the device was named by hand, so even one that a pattern rule
 * would only leave out is refused), another -errno on failure.
 */
int gates_before_bind(Context *ctx, const char *bdf, const char *target, Strv *group_mates);
