/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "config-parse.h"
#include "string-table.h"

/* [Device]: one rule per section, selecting devices by an exact Address= or by patterns. */

static const char *const dpdk_drivers[] = { "vfio-pci", "uio_pci_generic", "igb_uio" };

bool driver_is_dpdk(const char *driver) {
        for (size_t i = 0; i < ELEMENTSOF(dpdk_drivers); i++)
                if (streq(driver, dpdk_drivers[i]))
                        return true;
        return false;
}

bool driver_is_vfio_pci(const char *driver) {
        return streq(driver, "vfio-pci");
}

static bool has_glob(const char *s) {
        return strpbrk(s, "*?[") != NULL;
}

static bool only_chars(const char *s, const char *allowed) {
        return *s && s[strspn(s, allowed)] == 0;
}

#define GLOB_CHARS "*?[]!-"
#define HEX_CHARS "0123456789abcdefABCDEF"
#define NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

/* Address=, when it is a pattern; NULL: invalid. */
static char *address_pattern(const char *v) {
        const char *c1 = strchr(v, ':');
        char a[13];

        if (!only_chars(v, HEX_CHARS ":." GLOB_CHARS))
                return NULL;
        if (!has_glob(v))
                return pci_address_normalize(v, a) ? strdup(a) : NULL;
        /* "3b:00.*" has no domain: the first one. */
        return strjoin3(c1 && !strchr(c1 + 1, ':') ? "0000:" : "", "", v);
}

/* Class=: a hex prefix, "0x" optional, compared as a glob on the six digits. */
static char *class_pattern(const char *v) {
        size_t n;

        if (startswith_no_case(v, "0x"))
                v += 2;
        n = strlen(v);
        if (n == 0 || n > 6 || n % 2 || !only_chars(v, HEX_CHARS))
                return NULL;
        return strjoin3(v, n < 6 ? "*" : "", "");
}

/* One pattern of a match key, checked and brought to the form it is compared in. NULL: invalid. */
static char *match_pattern_raw(MatchKey k, const char *v) {
        const char *c;
        unsigned node;
        char buf[16];

        switch (k) {
        case MATCH_ADDRESS:
        case MATCH_PHYSFN:
                return address_pattern(v);
        case MATCH_VF_INDEX:
                if (safe_atou(v, &node) < 0 || node > SRIOV_VFS_MAX)
                        return NULL;
                (void) snprintf(buf, sizeof(buf), "%u", node);
                return strdup(buf);
        case MATCH_ID:
                c = strchr(v, ':');
                if (!c || strchr(c + 1, ':') || c == v || !c[1] || !only_chars(v, HEX_CHARS ":" GLOB_CHARS))
                        return NULL;
                return strdup(v);
        case MATCH_CLASS:
                return class_pattern(v);
        case MATCH_NUMA:
                if (safe_atou(v, &node) < 0 || node >= DPDK_BOOT_MAX_NODES)
                        return NULL;
                (void) snprintf(buf, sizeof(buf), "%u", node);
                return strdup(buf);
        case MATCH_MAC:
                return only_chars(v, HEX_CHARS ":" GLOB_CHARS) ? strdup(v) : NULL;
        case MATCH_PATH:
                if (strstr(v, "..") || !only_chars(v, NAME_CHARS ":._/" GLOB_CHARS))
                        return NULL;
                return strdup(v[0] == '/' ? v + 1 : v);
        default: /* names of drivers and interfaces */
                return only_chars(v, NAME_CHARS "_.:@" GLOB_CHARS) ? strdup(v) : NULL;
        }
}

/* Patterns are at most 55 characters; all but names and paths are compared in lower case. */
static char *match_pattern(MatchKey k, const char *v) {
        char *p;

        if (strlen(v) >= 56)
                return NULL;
        p = match_pattern_raw(k, v);
        if (p && k != MATCH_KERNEL_DRIVER && k != MATCH_INTERFACE && k != MATCH_PATH)
                for (char *s = p; *s; s++)
                        *s = (char) tolower((unsigned char) *s);
        return p;
}

static const char *const match_help[_MATCH_MAX] = {
        [MATCH_ADDRESS] = "PCI addresses such as 0000:3b:00.0 or patterns such as 0000:3b:00.*",
        [MATCH_ID] = "VENDOR:DEVICE ids in hex such as 8086:10fb, or patterns such as 8086:*",
        [MATCH_CLASS] = "PCI class prefixes in hex such as 0x02 or 0x0200",
        [MATCH_KERNEL_DRIVER] = "kernel driver names or patterns such as ixgbe",
        [MATCH_INTERFACE] = "interface names or patterns such as ens1f*",
        [MATCH_MAC] = "MAC addresses or patterns such as 3c:fd:fe:*",
        [MATCH_NUMA] = "NUMA node numbers",
        [MATCH_PATH] = "sysfs device paths below /sys/devices, or patterns",
        [MATCH_PHYSFN] = "PCI addresses of SR-IOV physical functions such as 0000:3b:00.0, or patterns",
        [MATCH_VF_INDEX] = "virtual function indices such as 0 or 0 1 (virtfn0, virtfn1 of the PF)",
};

/* A match key: patterns separated by spaces, "!" before the list inverts it. */
static int config_parse_match(Config *c, const ConfigEntry *e, int ltype, void *data) {
        MatchKey k = (MatchKey) ltype;
        const char *v = e->value;
        _cleanup_free_ char *copy = NULL;
        Match *m = data;
        char *save = NULL;

        strv_free(&m->patterns);
        m->negate = v[0] == '!';
        copy = strdup(m->negate ? v + 1 : v);
        if (!copy)
                return -ENOMEM;
        for (char *tok = strtok_r(copy, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
                char *pat = match_pattern(k, tok);

                if (!pat) {
                        if (streq(tok, e->value))
                                config_entry_error(c, e, "%s=%s: expected %s.", e->key, tok, match_help[k]);
                        else
                                config_entry_error(c, e, "%s=%s: \"%s\" is not valid here; expected %s.", e->key,
                                                   e->value, tok, match_help[k]);
                        strv_free(&m->patterns);
                        return -EINVAL;
                }
                if (strv_push(&m->patterns, pat) < 0)
                        return -ENOMEM;
        }
        if (m->patterns.n == 0) {
                config_entry_error(c, e, "%s= is empty; expected %s.", e->key, match_help[k]);
                return -EINVAL;
        }
        return 0;
}

/* Address=: one exact address (an "exact" rule, if nothing else is matched), or patterns. */
static int config_parse_address(Config *c, const ConfigEntry *e, int ltype, void *data) {
        DeviceConfig *d = data;

        (void) ltype;
        if (pci_address_normalize(e->value, d->address)) {
                strv_free(&d->match[MATCH_ADDRESS].patterns);
                return 0;
        }
        d->address[0] = 0;
        return config_parse_match(c, e, MATCH_ADDRESS, &d->match[MATCH_ADDRESS]);
}

static int config_parse_ports(Config *c, const ConfigEntry *e, int ltype, void *data) {
        _cleanup_free_ char *copy = strdup(e->value);
        DeviceConfig *d = data;
        char *save = NULL;

        (void) ltype;
        free(d->ports);
        d->ports = NULL;
        d->n_ports = 0;
        if (!copy)
                return -ENOMEM;
        for (char *tok = strtok_r(copy, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
                unsigned *n, port;

                if (safe_atou(tok, &port) < 0 || port > 1023) {
                        config_entry_error(c, e, "Port=%s: expected port indices such as 0 or 0 1 (the n-th "
                                           "matching device by PCI address, from 0).", e->value);
                        return -EINVAL;
                }
                n = reallocarray(d->ports, d->n_ports + 1, sizeof(unsigned));
                if (!n)
                        return -ENOMEM;
                d->ports = n;
                d->ports[d->n_ports++] = port;
        }
        return 0;
}

/* The driver is one of dpdk_drivers[] or "": a static string, never freed. */
static int config_parse_driver(Config *c, const ConfigEntry *e, int ltype, void *data) {
        const char **driver = data, *v = e->value;

        (void) ltype;
        for (size_t i = 0; i < ELEMENTSOF(dpdk_drivers); i++)
                if (streq(v, dpdk_drivers[i])) {
                        *driver = dpdk_drivers[i];
                        return 0;
                }
        if (streq(v, "vfio_pci")) {
                *driver = dpdk_drivers[0];
                return 0;
        }
        /* "" (also written "" as oVirt's role does) and "kernel" mean the kernel's own driver. */
        if (isempty(v) || streq(v, "\"\"") || streq(v, "kernel")) {
                *driver = "";
                return 0;
        }
        config_entry_error(c, e, "Driver=%s: expected vfio-pci, uio_pci_generic, igb_uio, "
                           "or empty for the kernel's own driver.", v);
        return -EINVAL;
}

DEFINE_CONFIG_PARSE_RANGE(config_parse_vfs, 0, SRIOV_VFS_MAX,
                          "expected a number of SR-IOV virtual functions, 0 to 4096");

static int config_parse_virtual_functions(Config *c, const ConfigEntry *e, int ltype, void *data) {
        DeviceConfig *d = data;
        int r;

        r = config_parse_vfs(c, e, ltype, &d->virtual_functions);
        d->virtual_functions_set = r >= 0;
        return r;
}

static const char *const vf_link_state_table[_VF_LINK_STATE_MAX] = {
        [VF_LINK_STATE_AUTO] = "auto",
        [VF_LINK_STATE_ENABLE] = "yes",
        [VF_LINK_STATE_DISABLE] = "no",
};

DEFINE_STRING_TABLE_LOOKUP(vf_link_state, VfLinkState);

bool vf_settings_any(const VfSettings *s) {
        return s->mac_set || s->vlan_set || s->qos_set || s->trust_set || s->spoof_check_set || s->link_state_set;
}

static int hex_digit(char c) {
        const char *p = c ? strchr(HEX_CHARS, c) : NULL;

        return p ? (int) (p - HEX_CHARS) - (p - HEX_CHARS >= 16 ? 6 : 0) : -1;
}

/* "xx:xx:xx:xx:xx:xx", each pair at its fixed place. */
bool vf_mac_parse(const char *v, uint8_t mac[static 6]) {
        if (strlen(v) != 17)
                return false;
        for (size_t i = 0; i < 6; i++) {
                int hi = hex_digit(v[i * 3]), lo = hex_digit(v[i * 3 + 1]);

                if (hi < 0 || lo < 0 || (i < 5 && v[i * 3 + 2] != ':'))
                        return false;
                mac[i] = (uint8_t) (hi * 16 + lo);
        }
        return true;
}

/* MACAddress=: a unicast address other than 00:00:00:00:00:00. */
static int config_parse_vf_mac(Config *c, const ConfigEntry *e, int ltype, void *data) {
        static const uint8_t zero[6] = {};
        VfSettings *s = data;

        (void) ltype;
        if (!vf_mac_parse(e->value, s->mac) || (s->mac[0] & 1) || memcmp(s->mac, zero, sizeof(zero)) == 0) {
                config_entry_error(c, e, "MACAddress=%s: expected a unicast MAC address such as 02:00:00:00:00:01 "
                                   "for the virtual function.", e->value);
                s->mac_set = false;
                return -EINVAL;
        }
        s->mac_set = true;
        return 0;
}

DEFINE_CONFIG_PARSE_RANGE(config_parse_vlan_id, 0, 4094, "expected a VLAN id, 1 to 4094 (0: no VLAN)");
DEFINE_CONFIG_PARSE_RANGE(config_parse_vlan_qos, 0, 7, "expected an 802.1p priority, 0 to 7");

/* The VF settings, by key (ltype): each sets its value and says it is set. */
enum { VF_KEY_VLAN, VF_KEY_QOS, VF_KEY_TRUST, VF_KEY_SPOOF_CHECK, VF_KEY_LINK_STATE };

static int config_parse_vf_setting(Config *c, const ConfigEntry *e, int ltype, void *data) {
        VfSettings *s = data;
        int r, v;

        switch (ltype) {
        case VF_KEY_VLAN:
                r = config_parse_vlan_id(c, e, 0, &s->vlan);
                s->vlan_set = r >= 0;
                return r;
        case VF_KEY_QOS:
                r = config_parse_vlan_qos(c, e, 0, &s->qos);
                s->qos_set = r >= 0;
                return r;
        case VF_KEY_TRUST:
                r = config_parse_bool(c, e, 0, &s->trust);
                s->trust_set = r >= 0;
                return r;
        case VF_KEY_SPOOF_CHECK:
                r = config_parse_bool(c, e, 0, &s->spoof_check);
                s->spoof_check_set = r >= 0;
                return r;
        default:
                v = streq(e->value, "auto") ? VF_LINK_STATE_AUTO : parse_boolean(e->value);
                if (v < 0) {
                        config_entry_error(c, e, "LinkState=%s: expected yes, no or auto.", e->value);
                        return -EINVAL;
                }
                s->link_state = streq(e->value, "auto") ? VF_LINK_STATE_AUTO :
                                v ? VF_LINK_STATE_ENABLE : VF_LINK_STATE_DISABLE;
                s->link_state_set = true;
                return 0;
        }
}

void vf_mac_format(const uint8_t mac[static 6], char buf[static 18]) {
        (void) snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

/* "mac 02:00:00:00:00:01, vlan 10 qos 3, trust yes, spoof check no, link state auto": the set ones. */
void vf_settings_text(const VfSettings *s, char *buf, size_t size) {
        char mac[18];
        size_t n = 0;

        buf[0] = 0;
#define VF_APPEND(...) \
        n += (size_t) snprintf(buf + n, n < size ? size - n : 0, __VA_ARGS__)
        if (s->mac_set) {
                vf_mac_format(s->mac, mac);
                VF_APPEND("mac %s", mac);
        }
        if (s->vlan_set)
                VF_APPEND("%svlan %u", n ? ", " : "", s->vlan);
        if (s->qos_set)
                VF_APPEND(" qos %u", s->qos);
        if (s->trust_set)
                VF_APPEND("%strust %s", n ? ", " : "", s->trust ? "yes" : "no");
        if (s->spoof_check_set)
                VF_APPEND("%sspoof check %s", n ? ", " : "", s->spoof_check ? "yes" : "no");
        if (s->link_state_set)
                VF_APPEND("%slink state %s", n ? ", " : "", vf_link_state_to_string(s->link_state));
#undef VF_APPEND
}

/* What a [Device] section fills: the rule, and its Driver= until the rule is complete. */
typedef struct DeviceSection {
        DeviceConfig d;
        const char *driver;
} DeviceSection;

#define MATCH_ITEM(key, k) \
        { "Device", key, config_parse_match, k, offsetof(DeviceSection, d.match) + (k) * sizeof(Match) }

#define VF_ITEM(key, k) { "Device", key, config_parse_vf_setting, k, offsetof(DeviceSection, d.vf) }

static const ConfigItem device_items[] = {
        { "Device", "Address",   config_parse_address, 0, offsetof(DeviceSection, d) },
        MATCH_ITEM("ID",           MATCH_ID),
        MATCH_ITEM("Class",        MATCH_CLASS),
        MATCH_ITEM("KernelDriver", MATCH_KERNEL_DRIVER),
        MATCH_ITEM("Interface",    MATCH_INTERFACE),
        MATCH_ITEM("MAC",          MATCH_MAC),
        MATCH_ITEM("NUMANode",     MATCH_NUMA),
        MATCH_ITEM("Path",         MATCH_PATH),
        MATCH_ITEM("PhysicalFunction", MATCH_PHYSFN),
        MATCH_ITEM("VFIndex",      MATCH_VF_INDEX),
        { "Device", "Driver",    config_parse_driver,  0, offsetof(DeviceSection, driver) },
        { "Device", "Port",      config_parse_ports,   0, offsetof(DeviceSection, d) },
        { "Device", "Exclude",   config_parse_bool,    0, offsetof(DeviceSection, d.exclude) },
        { "Device", "Force",     config_parse_bool,    0, offsetof(DeviceSection, d.force) },
        { "Device", "BindGroup", config_parse_bool,    0, offsetof(DeviceSection, d.bind_group) },
        { "Device", "Required",  config_parse_bool,    0, offsetof(DeviceSection, d.required) },
        { "Device", "Bridge",    config_parse_bridge,  0, offsetof(DeviceSection, d.bridge) },
        { "Device", "VirtualFunctions", config_parse_virtual_functions, 0, offsetof(DeviceSection, d) },
        { "Device", "MACAddress", config_parse_vf_mac, 0, offsetof(DeviceSection, d.vf) },
        VF_ITEM("VLANId", VF_KEY_VLAN),
        VF_ITEM("QualityOfService", VF_KEY_QOS),
        VF_ITEM("Trust", VF_KEY_TRUST),
        VF_ITEM("MACSpoofCheck", VF_KEY_SPOOF_CHECK),
        VF_ITEM("LinkState", VF_KEY_LINK_STATE),
};

void device_config_done(DeviceConfig *d) {
        for (size_t k = 0; k < _MATCH_MAX; k++)
                strv_free(&d->match[k].patterns);
        free(d->ports);
        free(d->bridge);
        d->ports = NULL;
        d->driver = NULL;
        d->bridge = NULL;
}

static bool has_patterns(const DeviceConfig *d, MatchKey from) {
        for (MatchKey k = from; k < _MATCH_MAX; k++)
                if (d->match[k].patterns.n > 0)
                        return true;
        return false;
}

/* A rule with a single exact Address= and nothing else to match is an "exact" rule: a later one
 * for the same address replaces it (so a drop-in can change a device's driver). An address with
 * more to match is a pattern rule like any other. */
static int make_exact(DeviceConfig *d) {
        if (isempty(d->address) || (d->n_ports == 0 && !has_patterns(d, MATCH_ADDRESS + 1)))
                return 0;
        if (strv_push(&d->match[MATCH_ADDRESS].patterns, strdup(d->address)) < 0)
                return -ENOMEM;
        d->address[0] = 0;
        return 0;
}

static int add_device(Config *c, DeviceConfig *d) {
        DeviceConfig *v;

        v = greedy_realloc((void **) &c->devices, &c->devices_allocated, c->n_devices + 1, sizeof(DeviceConfig));
        if (!v)
                return -ENOMEM;
        v[c->n_devices++] = *d;
        return 0;
}

/* A rule lost to OOM fails the whole load: it could have been the one that excludes a NIC. */
int config_apply_device(Config *c, const ConfigSection *s) {
        DeviceSection x = { .d.loc = { s->file, s->line }, .driver = dpdk_drivers[0] };
        bool driver_given = config_section_last(s, "Driver");
        size_t errors = c->errors.n;
        int r;

        r = config_parse_section(c, s, device_items, ELEMENTSOF(device_items), &x);
        if (r >= 0 && isempty(x.d.address) && !has_patterns(&x.d, 0) && errors == c->errors.n)
                config_error(c, s->file, s->line, "[Device] needs Address= or another key to select devices by "
                             "(ID=, Class=, KernelDriver=, Interface=, MAC=, NUMANode=, Path=, "
                             "PhysicalFunction=, VFIndex=).");
        if (r >= 0 && x.d.exclude && (driver_given || x.d.force || x.d.required))
                config_error(c, s->file, s->line, "[Device] with Exclude=yes takes no Driver=, Force= or Required=.");
        if (r >= 0 && x.d.exclude && x.d.virtual_functions_set)
                config_error(c, s->file, s->line, "[Device] with Exclude=yes takes no VirtualFunctions=.");
        if (r >= 0 && x.d.vf.qos_set && !(x.d.vf.vlan_set && x.d.vf.vlan > 0))
                config_error(c, s->file, s->line, "[Device] QualityOfService= is the priority of a VLAN: it needs "
                             "VLANId= 1 to 4094.");
        if (r >= 0 && x.d.exclude && vf_settings_any(&x.d.vf))
                config_error(c, s->file, s->line, "[Device] with Exclude=yes takes no virtual function settings "
                             "(MACAddress=, VLANId=, QualityOfService=, Trust=, MACSpoofCheck=, LinkState=).");
        if (r >= 0 && errors == c->errors.n)
                r = make_exact(&x.d);
        if (r < 0 || errors != c->errors.n) {
                device_config_done(&x.d);
                return r;
        }
        /* A rule that creates virtual functions keeps its PFs on their kernel driver unless it says
         * Driver= itself (and then the sriov gate asks for Force=). */
        if (x.d.virtual_functions_set && !driver_given)
                x.driver = "";
        x.d.driver = (char *) (x.d.exclude ? "" : x.driver);
        r = add_device(c, &x.d);
        if (r < 0)
                device_config_done(&x.d);
        return r;
}

typedef struct AddressRef {
        const char *address;
        size_t index;
} AddressRef;

static int address_ref_cmp(const void *a, const void *b) {
        const AddressRef *x = a, *y = b;
        int r = strcmp(x->address, y->address);

        if (r != 0)
                return r;
        return x->index < y->index ? -1 : x->index > y->index;
}

/* Of exact rules for the same address, the last one read wins; the order of the rest is kept.
 * Sorted by address and then by place, each rule followed by one for its address is dropped. */
int config_dedup_exact_rules(Config *c) {
        _cleanup_free_ AddressRef *refs = NULL;
        _cleanup_free_ bool *drop = NULL;
        size_t n = 0, out = 0;

        if (c->n_devices < 2)
                return 0;
        refs = reallocarray(NULL, c->n_devices, sizeof(AddressRef));
        drop = calloc(c->n_devices, sizeof(bool));
        if (!refs || !drop)
                return -ENOMEM;
        for (size_t i = 0; i < c->n_devices; i++)
                if (!isempty(c->devices[i].address))
                        refs[n++] = (AddressRef) { c->devices[i].address, i };
        qsort_safe(refs, n, sizeof(AddressRef), address_ref_cmp);
        for (size_t i = 0; i + 1 < n; i++)
                drop[refs[i].index] = streq(refs[i].address, refs[i + 1].address);
        for (size_t i = 0; i < c->n_devices; i++)
                if (drop[i])
                        device_config_done(&c->devices[i]);
                else
                        c->devices[out++] = c->devices[i];
        c->n_devices = out;
        return 0;
}

bool config_needs_scan(const Config *c) {
        for (size_t i = 0; i < c->n_devices; i++)
                if (isempty(c->devices[i].address))
                        return true;
        return false;
}

bool config_uses_match(const Config *c, MatchKey k) {
        for (size_t i = 0; i < c->n_devices; i++)
                if (c->devices[i].match[k].patterns.n > 0)
                        return true;
        return false;
}

bool config_uses_sriov(const Config *c) {
        for (size_t i = 0; i < c->n_devices; i++)
                if (c->devices[i].virtual_functions_set)
                        return true;
        return config_uses_match(c, MATCH_PHYSFN) || config_uses_match(c, MATCH_VF_INDEX);
}
