/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "hw.h"

/* Without Ports=, does the rule match this device? A pattern rule only takes present network
 * devices (class 0x02) unless it says Class= itself: no broad rule ever takes a disk. */
bool device_rule_matches(const DeviceConfig *r, const HwDevice *d);
/* With Port=: whether the rule takes the device, the nth of its matches (by address; *nth counts
 * them, from 0 for the first device of a pass). */
bool device_rule_selects(const DeviceConfig *r, const HwDevice *d, size_t *nth);
/* "Address=0000:3b:00.0", or the rule's match keys and Port=, for messages. */
void device_rule_describe(const DeviceConfig *r, char *buf, size_t size);
