/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <assert.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-bus.h>

#include "cleanup.h"
#include "log.h"
#include "rootdir.h"
#include "unit-state.h"

/* As systemctl does: root talks to PID 1 on its private socket, which exists from the first
 * moment of boot and on hosts without a D-Bus daemon; everybody else uses the system bus. */
static int bus_connect(sd_bus **ret) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        int r;

        if (geteuid() == 0) {
                r = sd_bus_new(&bus);
                if (r >= 0)
                        r = sd_bus_set_address(bus, "unix:path=/run/systemd/private");
                if (r >= 0)
                        r = sd_bus_start(bus);
                if (r >= 0) {
                        *ret = TAKE_PTR(bus);
                        return 0;
                }
                log_debug_errno(r, "Cannot talk to systemd on /run/systemd/private, trying the system bus: %m");
                bus = sd_bus_flush_close_unref(bus);
        }
        return sd_bus_open_system(ret);
}

static int unit_query(const char *unit, char **ret) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        const char *path;
        int r;

        r = bus_connect(&bus);
        if (r < 0)
                return r;

        /* LoadUnit, unlike GetUnit, answers for units that are not loaded right now. */
        r = sd_bus_call_method(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                               "org.freedesktop.systemd1.Manager", "LoadUnit",
                               &error, &reply, "s", unit);
        if (r < 0)
                return log_debug_errno(r, "LoadUnit(%s) failed: %s", unit, error.message ?: "");
        r = sd_bus_message_read(reply, "o", &path);
        if (r < 0)
                return r;

        return sd_bus_get_property_string(bus, "org.freedesktop.systemd1", path,
                                          "org.freedesktop.systemd1.Unit", "ActiveState",
                                          &error, ret);
}

int unit_active_state(const char *unit, char **ret) {
        int r;

        assert(unit);
        assert(ret);

        r = root_is_host() ? unit_query(unit, ret) : -EOPNOTSUPP;
        if (r < 0) {
                log_debug_errno(r, "No ActiveState for %s: %m", unit);
                *ret = strdup("unknown");
                if (!*ret)
                        return -ENOMEM;
        }
        return 0;
}
