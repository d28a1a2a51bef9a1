/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "plan-json.h"
#include "cleanup.h"
#include "kargs.h"
#include "render.h"
#include "rootdir.h"

void json_cpuset(JsonWriter *w, const char *key, const CpuSet *set) {
        _cleanup_free_ char *list = cpuset_to_string(set);

        json_string(w, key, list ?: "");
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

size_t plan_switch_names(const Switches *sw, SwitchName ret[static 7]) {
        ret[0] = (SwitchName) { "dpdk", sw->enabled };
        ret[1] = (SwitchName) { "rd.dpdk", sw->rd_enabled };
        ret[2] = (SwitchName) { "dpdk.hugepages", sw->hugepages };
        ret[3] = (SwitchName) { "dpdk.bind", sw->bind };
        ret[4] = (SwitchName) { "dpdk.datapath", sw->datapath };
        ret[5] = (SwitchName) { "rd.dpdk.hugepages", sw->rd_hugepages };
        ret[6] = (SwitchName) { "rd.dpdk.bind", sw->rd_bind };
        return 7;
}

static void print_switches_json(JsonWriter *w, const Switches *sw) {
        SwitchName s[7];
        size_t n = plan_switch_names(sw, s);

        json_begin_object(w, "switches");
        for (size_t i = 0; i < n; i++)
                if (s[i].value >= 0)
                        json_bool(w, s[i].name, s[i].value);
                else
                        json_null(w, s[i].name);
        json_end_object(w);
}

const char *plan_device_driver_now(const Context *ctx, const PlanDevice *d) {
        const HwDevice *hd = hw_find_device(&ctx->hw, d->address);

        if (!hd || !hd->present)
                return NULL;
        return isempty(hd->driver) ? NULL : hd->driver;
}

static void print_gates_json(JsonWriter *w, const PlanDevice *d) {
        json_begin_object(w, "gates");
        for (GateId g = 0; g < _GATE_MAX; g++)
                if (d->gates[g] != GATE_UNCHECKED)
                        json_string(w, gate_id_to_string(g), d->gates[g] == GATE_PASS ? "pass" : "fail");
        json_end_object(w);
}

static void print_hugepages_json(JsonWriter *w, const PlanHugepages *h) {
        char size[16];

        json_begin_object(w, NULL);
        json_string(w, "size", format_page_size(h->size_kb, size));
        json_uint(w, "size_kb", h->size_kb);
        json_bool(w, "supported", h->supported);
        json_bool(w, "per_node", h->per_node);
        json_string(w, "mount_point", h->mount_point);
        json_uint(w, "requested", plan_hugepages_total(h));
        json_string(w, "placement", hugepage_placement_to_string(h->placement));
        json_bool(w, "placed", h->placed);
        json_begin_array(w, "nodes");
        for (int n = 0; n < DPDK_BOOT_MAX_NODES; n++)
                if (plan_hugepages_has_node(h, n)) {
                        json_begin_object(w, NULL);
                        json_int(w, "node", n);
                        json_uint(w, "requested", h->node_count[n]);
                        json_end_object(w);
                }
        json_end_array(w);
        json_end_object(w);
}

/* Only the ones set: what the bind unit asks the PF's driver for. */
static void print_vf_settings_json(JsonWriter *w, const VfSettings *s) {
        char mac[18];

        json_begin_object(w, "vf_settings");
        if (s->mac_set) {
                vf_mac_format(s->mac, mac);
                json_string(w, "mac_address", mac);
        }
        if (s->vlan_set)
                json_uint(w, "vlan_id", s->vlan);
        if (s->qos_set)
                json_uint(w, "quality_of_service", s->qos);
        if (s->trust_set)
                json_bool(w, "trust", s->trust);
        if (s->spoof_check_set)
                json_bool(w, "mac_spoof_check", s->spoof_check);
        if (s->link_state_set)
                json_string(w, "link_state", vf_link_state_to_string(s->link_state));
        json_end_object(w);
}

static void print_device_json(JsonWriter *w, const Context *ctx, const PlanDevice *d) {
        json_begin_object(w, NULL);
        json_string(w, "address", d->address);
        json_bool(w, "present", d->present);
        json_string(w, "driver", plan_device_driver_now(ctx, d));
        json_string(w, "target", d->driver ?: "");
        json_string(w, "rule", d->why);
        json_string(w, "rule_file", d->loc.file ?: CONFIG_MAIN_FILE);
        json_int(w, "rule_line", (int) d->loc.line);
        json_bool(w, "refused", d->refused);
        json_bool(w, "left_out", d->refused && d->skipped);
        json_string(w, "refused_by", d->refused ? gate_id_to_string(d->refused_by) : NULL);
        json_string(w, "refusal", d->refusal);
        json_string(w, "group_of", d->group_of);
        json_bool(w, "force", d->force);
        json_bool(w, "required", d->required);
        print_gates_json(w, d);
        if (d->numa_node >= 0)
                json_int(w, "numa_node", d->numa_node);
        else
                json_null(w, "numa_node");
        json_cpuset(w, "pmd_cores", plan_device_pmd_cores(d));
        json_string(w, "bridge", d->bridge);
        /* only for a bifurcated port: the plans of every other device stay as they were */
        if (d->stays_on) {
                json_string(w, "stays_on", d->stays_on);
                json_begin_array(w, "modules");
                for (const char *const *m = plan_bifurcated_modules(d->stays_on); m && *m; m++)
                        json_string(w, NULL, *m);
                json_end_array(w);
        }
        if (!isempty(d->physfn)) {
                json_string(w, "physical_function", d->physfn);
                json_int(w, "vf_index", d->vf_index);
                json_bool(w, "created", d->created);
                /* only when a rule sets them: the plans of every other configuration stay as they were */
                if (vf_settings_any(&d->vf))
                        print_vf_settings_json(w, &d->vf);
        }
        json_end_object(w);
}

/* VirtualFunctions=: what the bind unit writes before it binds. */
static void print_sriov_json(JsonWriter *w, const PlanSriov *s) {
        json_begin_object(w, NULL);
        json_string(w, "physical_function", s->pf);
        json_uint(w, "virtual_functions", s->numvfs);
        if (s->current >= 0)
                json_int(w, "current", s->current);
        else
                json_null(w, "current");
        json_uint(w, "total", s->total);
        json_bool(w, "drivers_autoprobe", !s->autoprobe_off);
        json_bool(w, "skipped", s->skipped);
        json_string(w, "rule_file", s->loc.file ?: CONFIG_MAIN_FILE);
        json_int(w, "rule_line", (int) s->loc.line);
        json_end_object(w);
}

/* [Kernel], and the arguments context_load() found the plan needs and this boot lacks. */
static void print_kernel_json(JsonWriter *w, const Plan *p) {
        const PlanKernel *k = &p->kernel;

        json_begin_object(w, "kernel");
        json_bool(w, "manage_args", k->manage_args);
        json_string(w, "bootloader", bootloader_kind_to_string(k->bootloader));
        json_string(w, "reboot_policy", reboot_policy_to_string(k->reboot_policy));
        /* only when set: the plans of every configuration without it stay as they were */
        if (k->take_over_args)
                json_bool(w, "take_over_args", true);
        if (k->secureboot_private_key)
                json_string(w, "secureboot_private_key", k->secureboot_private_key);
        if (k->secureboot_certificate)
                json_string(w, "secureboot_certificate", k->secureboot_certificate);
        if (k->reboot_policy == REBOOT_ONCE) {
                char digest[17];

                (void) snprintf(digest, sizeof(digest), "%016" PRIx64, k->config_digest);
                json_string(w, "config_digest", digest);
        }
        json_begin_array(w, "families");
        for (unsigned f = 1; f <= KARGS_FAMILY_IOMMU; f <<= 1)
                if (k->families & f)
                        json_string(w, NULL, kargs_family_to_string(f));
        json_end_array(w);
        json_strv(w, "args", &k->args);
        json_strv(w, "missing", &k->missing);
        json_end_object(w);
}

static void print_datapath_json(JsonWriter *w, const Context *ctx) {
        const PlanDatapath *d = &ctx->plan.datapath;

        json_begin_object(w, "datapath");
        json_string(w, "unit", d->unit ?: UNIT_DATAPATH);
        json_string(w, "eal", d->eal);
        json_string(w, "preset", datapath_preset_to_string(d->preset));
        json_string(w, "exec_start", d->exec_start);
        json_uint(w, "hugepage_size_kb", d->hugepage_size_kb);
        json_string(w, "hugepage_dir", d->hugepage_dir);
        json_string(w, "extra_args", d->extra_args);
        json_string(w, "config_file", d->config_file);
        json_string(w, "user", d->user);
        json_string(w, "group", d->group);
        if (d->mode)
                json_uint(w, "mode", d->mode);
        else
                json_null(w, "mode");
        json_bool(w, "restore_on_stop", d->restore_on_stop);
        plan_json_datapath(w, &ctx->plan, &ctx->config);
        json_end_object(w);
}

int plan_json_write(const Context *ctx, FILE *f) {
        const Plan *p = &ctx->plan;
        JsonWriter w;

        json_init(&w, f);
        json_begin_object(&w, NULL);
        json_uint(&w, "version", PLAN_FORMAT_VERSION);
        json_string(&w, "state", plan_state_to_string(p->state));
        json_string(&w, "disabled_by", p->disabled_by);
        json_bool(&w, "initrd", p->initrd);
        json_string(&w, "source", p->source);
        json_strv(&w, "errors", &ctx->config.errors);
        print_switches_json(&w, &ctx->switches);
        json_begin_object(&w, "steps");
        json_bool(&w, "hugepages", p->do_hugepages);
        json_bool(&w, "bind", p->do_bind);
        json_bool(&w, "datapath", p->do_datapath);
        json_end_object(&w);

        json_begin_array(&w, "numa_nodes");
        for (int n = 0; n < DPDK_BOOT_MAX_NODES; n++)
                if (p->numa_nodes & (UINT64_C(1) << n))
                        json_int(&w, NULL, n);
        json_end_array(&w);
        json_begin_array(&w, "hugepages");
        for (size_t i = 0; i < p->n_hugepages; i++)
                print_hugepages_json(&w, &p->hugepages[i]);
        json_end_array(&w);

        plan_json_cpu(&w, p, &ctx->config);
        print_kernel_json(&w, p);

        json_begin_array(&w, "devices");
        for (size_t i = 0; i < p->n_devices; i++)
                print_device_json(&w, ctx, &p->devices[i]);
        json_end_array(&w);
        if (p->n_sriov > 0) {           /* absent: none, as a reader of an older plan takes it */
                json_begin_array(&w, "sriov");
                for (size_t i = 0; i < p->n_sriov; i++)
                        print_sriov_json(&w, &p->sriov[i]);
                json_end_array(&w);
        }

        print_datapath_json(&w, ctx);
        json_strv(&w, "problems", &p->problems);
        json_strv(&w, "warnings", &p->warnings);
        json_end_object(&w);
        return json_finish(&w);
}


static int write_plan(FILE *f, void *userdata) {
        return plan_json_write(userdata, f);
}

int plan_file_write(const Context *ctx) {
        const char *path = plan_file_path(ctx->plan.initrd);
        _cleanup_free_ char *full = NULL;

        if (ctx->plan.state == PLAN_NO_CONFIG) {
                full = root_path_entry(path);
                if (!full)
                        return -errno;
                return unlink(full) < 0 && errno != ENOENT ? -errno : 0;
        }
        return root_write_file_atomic_with(path, 0644, write_plan, (void *) ctx);
}
