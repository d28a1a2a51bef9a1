/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>

#include "plan-json.h"

void json_cpuset(JsonWriter *w, const char *key, const CpuSet *set) {
        /* room for any CPU list (see render_testpmd()) */
        static char buf[CPUSET_MAX * 4];

        if (cpuset_format(set, buf, sizeof(buf)) < 0)
                buf[0] = 0;
        json_string(w, key, buf);
}

void plan_json_cpu(JsonWriter *w, const Plan *p, const Config *c) {
        json_begin_object(w, "cpu");
        json_bool(w, "isolation", p->cpu.set);
        json_bool(w, "derived", p->cpu.derived);
        if (c->housekeeping_per_node > 0)
                json_uint(w, "housekeeping_per_node", c->housekeeping_per_node);
        else
                json_null(w, "housekeeping_per_node");
        json_cpuset(w, "isolated", &p->cpu.isolated);
        json_cpuset(w, "housekeeping", &p->cpu.housekeeping);
        json_end_object(w);
}

void plan_json_datapath(JsonWriter *w, const Plan *p, const Config *c) {
        const PlanDatapath *d = &p->datapath;

        json_cpuset(w, "lcores", &d->lcores);
        json_int(w, "main_core", d->main_core);
        json_cpuset(w, "workers", &d->workers);
        if (d->workers_derived)
                json_uint(w, "cores_per_port", c->datapath.cores_per_port);
        else
                json_null(w, "cores_per_port");
        if (d->mtu > 0)
                json_uint(w, "mtu", d->mtu);
        else
                json_null(w, "mtu");
        if (d->n_socket_mem == 0)
                json_null(w, "socket_mem");
        else {
                json_begin_array(w, "socket_mem");
                for (unsigned n = 0; n < d->n_socket_mem; n++)
                        json_uint(w, NULL, d->socket_mem_mb[n]);
                json_end_array(w);
        }
        json_string(w, "socket_mem_source",
                    d->n_socket_mem == 0 ? NULL : d->socket_mem_derived ? "derived" : "config");
}

void plan_format_socket_mem(const PlanDatapath *d, char *buf, size_t size) {
        size_t len = 0;

        buf[0] = 0;
        for (unsigned n = 0; n < d->n_socket_mem && len < size; n++)
                len += (size_t) snprintf(buf + len, size - len, "%s%u", n ? "," : "", d->socket_mem_mb[n]);
        /* A line for people: cut to the caller's buffer if it must be. */
        if (len < size && d->socket_mem_derived)
                (void) snprintf(buf + len, size - len, " MB per node (derived, MTU %u)", d->mtu);
        else if (len < size)
                (void) snprintf(buf + len, size - len, " MB per node (SocketMemory=)");
}
