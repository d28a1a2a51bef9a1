/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

/*
 * A bounded wait for something the kernel or a driver does on its own time (sriov.c's virtfnN
 * links, vf-settings.c's PF netdev): done(userdata) is asked first at once, then every step_ms
 * until it says yes or step_ms sleeps have added up to timeout_ms (0: asked once). The time the
 * calls take is not counted. done() keeps in userdata whatever the caller reports (how far it
 * got, an error). 0 when done() said yes, -ETIMEDOUT when it never did.
 */
int wait_until(bool (*done)(void *userdata), void *userdata, unsigned timeout_ms, unsigned step_ms);
