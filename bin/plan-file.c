/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cleanup.h"
#include "kargs.h"
#include "plan-file.h"
#include "plan-format.h"
#include "rootdir.h"

/* The largest plan document read: one of 1,040 functions is about 600 kB. */
#define PLAN_FILE_MAX (16U * 1024U * 1024U)

static json_object *member(const json_object *o, const char *key) {
        json_object *v = NULL;

        return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* The string member key, NULL when absent, null or not a string. */
static const char *str_of(const json_object *o, const char *key) {
        json_object *v = member(o, key);

        return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static bool bool_of(const json_object *o, const char *key) {
        json_object *v = member(o, key);

        return v && json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
}

static int64_t int_of(const json_object *o, const char *key, int64_t fallback) {
        json_object *v = member(o, key);

        return v && json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : fallback;
}

/* A count or size: an integer from 0 to max, 0 when absent; -EBADMSG for anything else, so that a
 * damaged plan file is refused rather than read as a count that wrapped. */
static int count_of(const json_object *o, const char *key, uint64_t max, uint64_t *ret) {
        json_object *v = member(o, key);
        int64_t n;

        *ret = 0;
        if (!v)
                return 0;
        if (!json_object_is_type(v, json_type_int))
                return -EBADMSG;
        n = json_object_get_int64(v);
        if (n < 0 || (uint64_t) n > max)
                return -EBADMSG;
        *ret = (uint64_t) n;
        return 0;
}

static size_t array_len(const json_object *a) {
        return a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

static int load_hugepages(Plan *p, const json_object *a) {
        size_t n = array_len(a);

        p->hugepages = calloc(n ?: 1, sizeof(PlanHugepages));
        if (!p->hugepages)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                const json_object *o = json_object_array_get_idx(a, i), *nodes = member(o, "nodes");
                PlanHugepages *h = &p->hugepages[p->n_hugepages++];
                const char *mp = str_of(o, "mount_point");
                uint64_t count;

                if (count_of(o, "size_kb", UINT64_MAX / 1024, &h->size_kb) < 0 ||
                    count_of(o, "requested", UINT_MAX, &count) < 0)
                        return -EBADMSG;
                h->count = (unsigned) count;
                h->supported = bool_of(o, "supported");
                h->per_node = bool_of(o, "per_node");
                if (mp)
                        (void) snprintf(h->mount_point, sizeof(h->mount_point), "%s", mp);
                for (size_t k = 0; k < array_len(nodes); k++) {
                        const json_object *nd = json_object_array_get_idx(nodes, k);
                        int64_t id = int_of(nd, "node", -1);

                        if (id < 0 || id >= DPDK_BOOT_MAX_NODES || count_of(nd, "requested", UINT_MAX, &count) < 0)
                                return -EBADMSG;
                        h->node_count[id] = (unsigned) count;
                }
        }
        return 0;
}

/* vf_settings: each member only when the plan set it; a value out of range is a damaged plan. */
static int load_vf_settings(VfSettings *s, const json_object *o) {
        const char *mac = str_of(o, "mac_address"), *link = str_of(o, "link_state");
        uint64_t v;
        int l;

        if (mac && !(s->mac_set = vf_mac_parse(mac, s->mac)))
                return -EBADMSG;
        if (member(o, "vlan_id")) {
                if (count_of(o, "vlan_id", 4094, &v) < 0)
                        return -EBADMSG;
                s->vlan = (unsigned) v;
                s->vlan_set = true;
        }
        if (member(o, "quality_of_service")) {
                if (count_of(o, "quality_of_service", 7, &v) < 0)
                        return -EBADMSG;
                s->qos = (unsigned) v;
                s->qos_set = true;
        }
        s->trust_set = member(o, "trust") != NULL;
        s->trust = bool_of(o, "trust");
        s->spoof_check_set = member(o, "mac_spoof_check") != NULL;
        s->spoof_check = bool_of(o, "mac_spoof_check");
        if (link) {
                l = vf_link_state_from_string(link);
                if (l < 0)
                        return -EBADMSG;
                s->link_state = (VfLinkState) l;
                s->link_state_set = true;
        }
        return 0;
}

static int load_device(PlanDevice *d, const json_object *o) {
        const char *address = str_of(o, "address"), *refusal = str_of(o, "refusal");
        int64_t numa = int_of(o, "numa_node", -1);
        int g;

        if (!address || !pci_address_normalize(address, d->address))
                return -EBADMSG;
        d->driver = str_of(o, "target") ?: "";
        d->dpdk = driver_is_dpdk(d->driver);
        d->present = bool_of(o, "present");
        d->refused = bool_of(o, "refused");
        d->skipped = bool_of(o, "left_out");
        d->force = bool_of(o, "force");
        d->required = bool_of(o, "required");
        g = gate_id_from_string(str_of(o, "refused_by"));
        d->refused_by = g < 0 ? GATE_PRESENT : (GateId) g;
        d->group_of = str_of(o, "group_of");
        d->bridge = str_of(o, "bridge");
        /* the modules the bind unit loads go with the driver, from the same table */
        if (str_of(o, "stays_on") && !(d->stays_on = plan_bifurcated_driver(str_of(o, "stays_on"))))
                return -EBADMSG;
        d->loc = (Location) { .file = str_of(o, "rule_file"), .line = (unsigned) int_of(o, "rule_line", 0) };
        d->numa_node = numa >= 0 && numa < DPDK_BOOT_MAX_NODES ? (int) numa : -1;
        (void) snprintf(d->why, sizeof(d->why), "%s", str_of(o, "rule") ?: "");
        d->vf_index = -1;
        if (str_of(o, "physical_function")) {
                if (!pci_address_normalize(str_of(o, "physical_function"), d->physfn))
                        return -EBADMSG;
                d->vf_index = (int) int_of(o, "vf_index", -1);
                d->created = bool_of(o, "created");
                if (member(o, "vf_settings") && load_vf_settings(&d->vf, member(o, "vf_settings")) < 0)
                        return -EBADMSG;
        }
        if (refusal && !(d->refusal = strdup(refusal)))
                return -ENOMEM;
        return 0;
}

static int load_devices(Plan *p, const json_object *a) {
        size_t n = array_len(a);
        int r;

        p->devices = calloc(n ?: 1, sizeof(PlanDevice));
        if (!p->devices)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                r = load_device(&p->devices[p->n_devices++], json_object_array_get_idx(a, i));
                if (r < 0)
                        return r;
        }
        plan_sort_devices(p); /* the generator writes them in order; a file edited by hand may not be */
        return 0;
}

static int sriov_cmp(const void *a, const void *b) {
        return strcmp(((const PlanSriov *) a)->pf, ((const PlanSriov *) b)->pf);
}

/* The PFs to give virtual functions, by address (plan_find_sriov()). */
static int load_sriov(Plan *p, const json_object *a) {
        size_t n = array_len(a);

        p->sriov = calloc(n ?: 1, sizeof(PlanSriov));
        if (!p->sriov)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                const json_object *o = json_object_array_get_idx(a, i);
                PlanSriov *s = &p->sriov[p->n_sriov++];
                const char *pf = str_of(o, "physical_function");
                uint64_t v;

                if (!pf || !pci_address_normalize(pf, s->pf) || count_of(o, "virtual_functions", SRIOV_VFS_MAX, &v) < 0)
                        return -EBADMSG;
                s->numvfs = (unsigned) v;
                s->current = (int) int_of(o, "current", -1);
                s->autoprobe_off = !bool_of(o, "drivers_autoprobe");
                s->skipped = bool_of(o, "skipped");
                s->loc = (Location) { .file = str_of(o, "rule_file"), .line = (unsigned) int_of(o, "rule_line", 0) };
        }
        qsort(p->sriov, p->n_sriov, sizeof(PlanSriov), sriov_cmp);
        return 0;
}

/* A CPU list member: absent or empty is the empty set. */
static int cpuset_of(const json_object *o, const char *key, CpuSet *ret) {
        const char *s = str_of(o, key);

        *ret = (CpuSet) {};
        return isempty(s) ? 0 : cpuset_parse(s, ret);
}

static int load_datapath(PlanDatapath *d, const json_object *o) {
        const json_object *mem = member(o, "socket_mem");
        int preset = datapath_preset_from_string(str_of(o, "preset")), r;
        uint64_t mtu;

        d->unit = str_of(o, "unit");
        if (count_of(o, "hugepage_size_kb", UINT64_MAX / 1024, &d->hugepage_size_kb) < 0 ||
            count_of(o, "mtu", UINT_MAX, &mtu) < 0)
                return -EBADMSG;
        d->mtu = (unsigned) mtu;
        d->main_core = (int) int_of(o, "main_core", -1);
        d->socket_mem_derived = streq(str_of(o, "socket_mem_source") ?: "", "derived");
        for (size_t n = 0; n < array_len(mem) && n < DPDK_BOOT_MAX_NODES; n++) {
                const json_object *v = json_object_array_get_idx(mem, n);
                int64_t mb = json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : -1;

                if (mb < 0 || mb > UINT_MAX)
                        return -EBADMSG;
                d->socket_mem_mb[d->n_socket_mem++] = (unsigned) mb;
        }
        d->preset = preset < 0 ? DATAPATH_NONE : (DatapathPreset) preset;
        d->hugepage_dir = str_of(o, "hugepage_dir");
        d->extra_args = str_of(o, "extra_args");
        d->config_file = str_of(o, "config_file");
        d->user = str_of(o, "user");
        d->group = str_of(o, "group");
        d->mode = (unsigned) int_of(o, "mode", 0) & 07777;
        d->restore_on_stop = bool_of(o, "restore_on_stop");
        r = cpuset_of(o, "lcores", &d->lcores);
        if (r >= 0)
                r = cpuset_of(o, "workers", &d->workers);
        return r < 0 ? -EBADMSG : 0;
}

/* [CPU]: dpdk-boot kargs --from-plan writes CPUAffinity= from it. */
static int load_cpu(PlanCpu *c, const json_object *o) {
        int r;

        c->set = bool_of(o, "isolation");
        c->derived = bool_of(o, "derived");
        r = cpuset_of(o, "isolated", &c->isolated);
        if (r >= 0)
                r = cpuset_of(o, "housekeeping", &c->housekeeping);
        return r < 0 ? -EBADMSG : 0;
}

static int load_strv(Strv *l, const json_object *a) {
        for (size_t i = 0; i < array_len(a); i++) {
                const json_object *s = json_object_array_get_idx(a, i);

                if (json_object_is_type(s, json_type_string) &&
                    strv_push(l, strdup(json_object_get_string((json_object *) s))) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int load_kernel(PlanKernel *k, const json_object *o) {
        const json_object *fam = member(o, "families");
        int b = bootloader_kind_from_string(str_of(o, "bootloader")),
            rp = reboot_policy_from_string(str_of(o, "reboot_policy")), r;

        k->manage_args = bool_of(o, "manage_args");
        k->take_over_args = bool_of(o, "take_over_args");
        if ((str_of(o, "secureboot_private_key") &&
             !(k->secureboot_private_key = strdup(str_of(o, "secureboot_private_key")))) ||
            (str_of(o, "secureboot_certificate") &&
             !(k->secureboot_certificate = strdup(str_of(o, "secureboot_certificate")))))
                return -ENOMEM;
        if (str_of(o, "config_digest"))
                k->config_digest = strtoull(str_of(o, "config_digest"), NULL, 16);
        k->bootloader = b < 0 ? BOOTLOADER_AUTO : (BootloaderKind) b;
        k->reboot_policy = rp < 0 ? REBOOT_NEVER : (RebootPolicy) rp;
        for (size_t i = 0; i < array_len(fam); i++) {
                const json_object *f = json_object_array_get_idx(fam, i);

                if (json_object_is_type(f, json_type_string))
                        k->families |= kargs_family_from_string(json_object_get_string((json_object *) f));
        }
        r = load_strv(&k->args, member(o, "args"));
        if (r >= 0)
                r = load_strv(&k->missing, member(o, "missing"));
        return r;
}

static void load_numa_nodes(Plan *p, const json_object *a) {
        for (size_t i = 0; i < array_len(a); i++) {
                const json_object *n = json_object_array_get_idx(a, i);
                int64_t id = json_object_is_type(n, json_type_int) ? json_object_get_int64(n) : -1;

                if (id >= 0 && id < DPDK_BOOT_MAX_NODES)
                        p->numa_nodes |= UINT64_C(1) << id;
        }
}

static int load_plan(Plan *p, const json_object *root) {
        const json_object *steps = member(root, "steps");
        int r;

        r = plan_state_from_string(str_of(root, "state"));
        p->state = r < 0 ? PLAN_INVALID : (PlanState) r;
        p->disabled_by = str_of(root, "disabled_by");
        p->initrd = bool_of(root, "initrd");
        p->source = str_of(root, "source");
        p->do_hugepages = bool_of(steps, "hugepages");
        p->do_bind = bool_of(steps, "bind");
        p->do_datapath = bool_of(steps, "datapath");
        r = load_hugepages(p, member(root, "hugepages"));
        if (r >= 0)
                r = load_devices(p, member(root, "devices"));
        if (r >= 0)
                r = load_sriov(p, member(root, "sriov"));
        if (r >= 0)
                r = load_strv(&p->problems, member(root, "problems"));
        if (r >= 0)
                r = load_strv(&p->warnings, member(root, "warnings"));
        if (r >= 0)
                r = load_kernel(&p->kernel, member(root, "kernel"));
        if (r >= 0)
                r = load_datapath(&p->datapath, member(root, "datapath"));
        if (r >= 0)
                r = load_cpu(&p->cpu, member(root, "cpu"));
        load_numa_nodes(p, member(root, "numa_nodes"));
        return r;
}

int plan_file_load(const char *path, PlanFile *ret) {
        _cleanup_free_ char *text = NULL;
        PlanFile f = {};
        int r;

        r = root_read_file(path, PLAN_FILE_MAX, &text, NULL);
        if (r < 0)
                return r;
        f.root = json_tokener_parse(text);
        if (!f.root || !json_object_is_type(f.root, json_type_object)) {
                plan_file_free(&f);
                return -EBADMSG;
        }
        if (int_of(f.root, "version", -1) != PLAN_FORMAT_VERSION) {
                plan_file_free(&f);
                return -EPROTONOSUPPORT;
        }
        r = load_plan(&f.plan, f.root);
        if (r >= 0)
                r = load_strv(&f.errors, member(f.root, "errors"));
        if (r < 0) {
                plan_file_free(&f);
                return r;
        }
        *ret = f;
        return 0;
}

void plan_file_free(PlanFile *f) {
        plan_free(&f->plan);
        strv_free(&f->errors);
        if (f->root)
                json_object_put(f->root);
        *f = (PlanFile) {};
}
