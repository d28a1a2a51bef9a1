/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cleanup.h"
#include "netname.h"
#include "rootdir.h"
#include "util.h"

/* net_id's limit on an on-board index since v249 (16383 before). */
#define ONBOARD_INDEX_MAX 65535U
#define ONBOARD_INDEX_MAX_V238 16383U

/* The naming schemes that may be in force: from scheme_lo to scheme_hi (versions). */
static unsigned scheme_lo = 0, scheme_hi = UINT_MAX;

void netname_set_scheme(unsigned lo, unsigned hi) {
        scheme_lo = lo;
        scheme_hi = hi;
}

/* Whether a scheme in force could be one before version, or one from version on. */
static bool scheme_before(unsigned version) {
        return scheme_lo < version;
}

static bool scheme_from(unsigned version) {
        return scheme_hi >= version;
}

/* ARI's function numbers count from v239 (NPAR ARI): before, the device's own function number;
 * either (-1) when both kinds of scheme may be in force. */
static int ari_in_force(const NetnameDevice *dev) {
        if (!scheme_from(239) || dev->ari == 0)
                return 0;
        return scheme_before(239) ? -1 : dev->ari;
}

/* The bridge above a device lends it its hotplug slot before v247 and in v251 to v254 (for a
 * multi-function device, which is not told apart here). */
static bool bridge_slot_in_force(void) {
        return scheme_before(247) || (scheme_from(251) && scheme_lo <= 254);
}

static const unsigned schemes[] = { 238, 239, 240, 241, 243, 245, 247, 249, 250, 251, 252, 253, 254, 255,
                                    257, 258, 259, 260 };

unsigned netname_latest_scheme(unsigned systemd_version) {
        unsigned v = 0;

        for (size_t i = 0; i < ELEMENTSOF(schemes); i++)
                if (schemes[i] <= systemd_version)
                        v = schemes[i];
        return v;
}

/* The installed systemd's version, from the name of its shared library; 0 unknown. */
static unsigned installed_systemd(void) {
        static const char *const dirs[] = { "/usr/lib/systemd", "/usr/lib64/systemd", "/lib/systemd" };
        unsigned best = 0;

        for (size_t i = 0; i < ELEMENTSOF(dirs) && best == 0; i++) {
                _cleanup_closedir_ DIR *d = root_opendir(dirs[i]);
                struct dirent *de;
                unsigned v;

                while (d && (de = readdir(d))) {
                        const char *p = startswith(de->d_name, "libsystemd-shared-") ? de->d_name + 18 : NULL;
                        char digits[8];
                        size_t n = p ? strspn(p, "0123456789") : 0;

                        /* "libsystemd-shared-252.so", "libsystemd-shared-254.5-1.fc39.so" */
                        if (n == 0 || n >= sizeof(digits))
                                continue;
                        memcpy(digits, p, n);
                        digits[n] = 0;
                        if (safe_atou(digits, &v) >= 0 && v > best)
                                best = v;
                }
        }
        return best;
}

void netname_setup_scheme(const char *requested) {
        unsigned installed = netname_latest_scheme(installed_systemd()), v;
        int r = requested ? netname_scheme_from_name(requested, &v) : -ENOENT;

        if (r == 0)
                netname_set_scheme(v, v);
        else if (requested && streq(requested, "latest") && installed > 0)
                netname_set_scheme(installed, installed);
        else if (r == -ENOENT && installed > 0)
                /* the default: at most the installed version's latest */
                netname_set_scheme(0, installed);
        else
                netname_set_scheme(0, UINT_MAX);
}

int netname_scheme_from_name(const char *name, unsigned *ret) {
        unsigned v;

        if (name[0] != 'v' || safe_atou(name + 1, &v) < 0)
                return -EINVAL;
        for (size_t i = 0; i < ELEMENTSOF(schemes); i++)
                if (schemes[i] == v) {
                        *ret = v;
                        return 0;
                }
        return -ENOENT;
}

/* A name taken apart: en + o<index>, or [P<domain>] + s<slot> or p<bus>s<slot>, then [f<fn>]. */
typedef struct Netname {
        char kind;             /* 'o' on-board, 's' slot, 'p' path */
        unsigned index, domain, bus, slot, function;
        bool has_function;
} Netname;

/* The parts of a PCI address. */
typedef struct PciAddr {
        unsigned domain, bus, dev, function;
} PciAddr;

/* "<prefix><decimal>" at *s: the number, at most max, and *s moved past it. */
static bool take_number(const char **s, char prefix, unsigned max, unsigned *ret) {
        size_t n;
        unsigned v = 0;

        if (**s != prefix)
                return false;
        n = strspn(*s + 1, "0123456789");
        if (n == 0 || n > 5)
                return false;
        for (size_t i = 1; i <= n; i++)
                v = v * 10 + (unsigned) ((*s)[i] - '0');
        if (v > max)
                return false;
        *s += n + 1;
        *ret = v;
        return true;
}

/* What may follow: nothing, d<dev_port>, n<phys_port_name>, v<vf> (see netname.h). */
static bool valid_suffix(const char *s) {
        if (!*s)
                return true;
        if (*s == 'n')
                return s[1] != 0;
        return (*s == 'd' || *s == 'v') && s[1] >= '0' && s[1] <= '9';
}

static bool parse_name(const char *name, Netname *ret) {
        const char *s = name;
        Netname n = {};

        if (!startswith(s, "en") && !startswith(s, "ib") && !startswith(s, "wl"))
                return false;
        s += 2;
        if (*s == 'o') {
                n.kind = 'o';
                if (!take_number(&s, 'o', ONBOARD_INDEX_MAX, &n.index) || !valid_suffix(s))
                        return false;
                *ret = n;
                return true;
        }
        if (*s == 'P' && !take_number(&s, 'P', 0xffff, &n.domain))
                return false;
        n.kind = *s;
        if (n.kind == 'p' && !take_number(&s, 'p', 255, &n.bus))
                return false;
        if ((n.kind != 'p' && n.kind != 's') || !take_number(&s, 's', n.kind == 'p' ? 31 : 0xffff, &n.slot))
                return false;
        n.has_function = *s == 'f';
        if (n.has_function && !take_number(&s, 'f', 255, &n.function))
                return false;
        if (!valid_suffix(s))
                return false;
        *ret = n;
        return true;
}

/* n lower-case hex digits, as pci_address_normalize() writes them */
static unsigned hex_n(const char *s, size_t n) {
        unsigned v = 0;

        for (size_t i = 0; i < n; i++)
                v = v << 4 | (unsigned) (s[i] <= '9' ? s[i] - '0' : s[i] - 'a' + 10);
        return v;
}

static bool parse_address(const char *address, PciAddr *ret) {
        char a[13];

        if (!pci_address_normalize(address, a))
                return false;
        *ret = (PciAddr) { hex_n(a, 4), hex_n(a + 5, 2), hex_n(a + 8, 2), (unsigned) (a[11] - '0') };
        return true;
}

/* The name's function against the device's: without ARI fn, with it fn + 8 * dev, unknown
 * either; no "f" stands for function 0. */
static bool function_matches(const Netname *n, const PciAddr *a, int ari) {
        /* with ARI unknown (-1) both numbers count */
        unsigned f = n->has_function ? n->function : 0;

        return (ari != 1 && f == a->function) || (ari != 0 && f == a->function + 8 * a->dev);
}

static bool onboard_matches(const Netname *n, const NetnameDevice *dev) {
        /* net_id reads acpi_index and only without it the SMBIOS index */
        int index = dev->acpi_index >= 0 ? dev->acpi_index : dev->smbios_index;

        return index >= 0 && n->index == (unsigned) index &&
               (scheme_from(249) || (unsigned) index <= ONBOARD_INDEX_MAX_V238);
}

/* "dddd:bb:dd" of the PCI function whose directory is the component before the last of path,
 * or "" when the function sits on a root bus (or the path is unknown). */
static void parent_slot_address(const char *path, char out[static 11]) {
        const char *last = strrchr(path, '/'), *prev = last;

        out[0] = 0;
        if (!last)
                return;
        while (prev > path && prev[-1] != '/')
                prev--;
        if (last - prev == 12 && prev[4] == ':' && prev[7] == ':')
                (void) snprintf(out, 11, "%.10s", prev);
}

/* Whether slot number slot's address is dev's: its own device, device 0 of its bus with ARI, or
 * the bridge above it. */
static bool slot_is_device(unsigned slot, const NetnameDevice *dev, const PciAddr *a) {
        char path[64], buf[32], own[16], zero[16], parent[11];

        if (slot == 0)
                return false;
        (void) snprintf(path, sizeof(path), "/sys/bus/pci/slots/%u/address", slot); /* <= 39 bytes */
        if (root_read_buf(path, buf, sizeof(buf)) <= 0)
                return false;
        strip(buf);
        (void) snprintf(own, sizeof(own), "%04x:%02x:%02x", a->domain, a->bus, a->dev);
        (void) snprintf(zero, sizeof(zero), "%04x:%02x:00", a->domain, a->bus);
        parent_slot_address(dev->path ?: "", parent);
        return strcaseeq(buf, own) || (ari_in_force(dev) != 0 && strcaseeq(buf, zero)) ||
               (!isempty(parent) && bridge_slot_in_force() && strcaseeq(buf, parent));
}

/* From v257 a function without a hotplug slot takes its slot number from the ACPI _SUN of its
 * firmware node (firmware_node/sun), its own or, here too, its bridge's. 0: none. */
static unsigned firmware_sun(const NetnameDevice *dev, bool bridge) {
        char parent[11], path[96], buf[32];
        const char *last = dev->path ? strrchr(dev->path, '/') : NULL;
        unsigned sun;

        if (!scheme_from(257))
                return 0;
        if (bridge) {
                parent_slot_address(dev->path ?: "", parent);
                if (isempty(parent) || !last || last - dev->path < 12)
                        return 0;
                /* the bridge's function: the component before the last, whole */
                (void) snprintf(path, sizeof(path), "/sys/bus/pci/devices/%.12s/firmware_node/sun", last - 12);
        } else
                (void) snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/firmware_node/sun", dev->address);
        if (root_read_buf(path, buf, sizeof(buf)) <= 0 || safe_atou(strip(buf), &sun) < 0)
                return 0;
        return sun;
}

bool netname_is_device(const char *name, const NetnameDevice *dev) {
        Netname n;
        PciAddr a;

        assert(name);
        assert(dev);
        if (!parse_name(name, &n) || !parse_address(dev->address, &a))
                return false;
        if (n.kind == 'o')
                return onboard_matches(&n, dev);
        if (n.domain != a.domain || !function_matches(&n, &a, ari_in_force(dev)))
                return false;
        if (n.kind == 'p')
                return n.bus == a.bus && n.slot == a.dev;
        return slot_is_device(n.slot, dev, &a) ||
               (n.slot > 0 && (n.slot == firmware_sun(dev, false) || n.slot == firmware_sun(dev, true)));
}

/* prefix + base, and base + f<fn> for each function number the device may be named with. */
static int push_functions(Strv *ret, const char *prefix, const char *base, const PciAddr *a, int ari) {
        int r = 0;

        if (a->function == 0 || (ari != 0 && a->function + 8 * a->dev == 0))
                r = strv_pushf(ret, "%s%s", prefix, base);
        if (r >= 0 && ari != 1)
                r = strv_pushf(ret, "%s%sf%u", prefix, base, a->function);
        if (r >= 0 && ari != 0)
                r = strv_pushf(ret, "%s%sf%u", prefix, base, a->function + 8 * a->dev);
        return r;
}

/* The slot names: each numbered slot under /sys/bus/pci/slots whose address is dev's. */
static int push_slots(Strv *ret, const char *prefix, const char *domain, const NetnameDevice *dev,
                      const PciAddr *a) {
        _cleanup_closedir_ DIR *d = root_opendir("/sys/bus/pci/slots");
        struct dirent *de;
        int r = 0;

        while (d && (de = readdir(d)) && r >= 0) {
                char base[32];
                unsigned slot;
                const char *s = de->d_name;

                if (strlen(s) > 5 || safe_atou(s, &slot) < 0 || !slot_is_device(slot, dev, a))
                        continue;
                (void) snprintf(base, sizeof(base), "%ss%u", domain, slot);
                r = push_functions(ret, prefix, base, a, ari_in_force(dev));
        }
        for (int bridge = 0; bridge < 2 && r >= 0; bridge++) {
                unsigned sun = firmware_sun(dev, bridge);
                char base[32];

                if (sun == 0)
                        continue;
                (void) snprintf(base, sizeof(base), "%ss%u", domain, sun);
                r = push_functions(ret, prefix, base, a, ari_in_force(dev));
        }
        return r;
}

int netname_candidates(const NetnameDevice *dev, Strv *ret) {
        static const char *const prefixes[] = { "en", "ib", "wl" };
        int index = dev->acpi_index >= 0 ? dev->acpi_index : dev->smbios_index;
        char domain[16] = "", base[48];
        PciAddr a;
        int r = 0;

        if (!parse_address(dev->address, &a))
                return 0;
        if (a.domain > 0)
                (void) snprintf(domain, sizeof(domain), "P%u", a.domain);
        (void) snprintf(base, sizeof(base), "%sp%us%u", domain, a.bus, a.dev);
        for (size_t i = 0; i < ELEMENTSOF(prefixes) && r >= 0; i++) {
                if (index >= 0 && (unsigned) index <= (scheme_from(249) ? ONBOARD_INDEX_MAX : ONBOARD_INDEX_MAX_V238))
                        r = strv_pushf(ret, "%so%d", prefixes[i], index);
                if (r >= 0)
                        r = push_functions(ret, prefixes[i], base, &a, ari_in_force(dev));
                if (r >= 0)
                        r = push_slots(ret, prefixes[i], domain, dev, &a);
        }
        return r;
}

bool netname_from_mac(const char *mac, char out[static 16]) {
        if (strlen(mac) != 17)
                return false;
        memcpy(out, "enx", 3);
        for (size_t i = 0; i < 6; i++) {
                const char *p = mac + i * 3;

                if (!isxdigit((unsigned char) p[0]) || !isxdigit((unsigned char) p[1]) || (i < 5 && p[2] != ':'))
                        return false;
                out[3 + i * 2] = (char) tolower((unsigned char) p[0]);
                out[4 + i * 2] = (char) tolower((unsigned char) p[1]);
        }
        out[15] = 0;
        return true;
}

bool netname_mac(const char *name, char out[static 18]) {
        const char *hex;

        if (!startswith(name, "enx") && !startswith(name, "wlx"))
                return false;
        hex = name + 3;
        if (strlen(hex) != 12 || strspn(hex, "0123456789abcdefABCDEF") != 12)
                return false;
        for (size_t i = 0; i < 6; i++) {
                out[i * 3] = (char) tolower((unsigned char) hex[i * 2]);
                out[i * 3 + 1] = (char) tolower((unsigned char) hex[i * 2 + 1]);
                out[i * 3 + 2] = i < 5 ? ':' : 0;
        }
        return true;
}

static uint32_t le32(const uint8_t *p) {
        return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

/* The offset of extended capability id in config space (from 0x100), or 0. */
static size_t find_ext_cap(const uint8_t *config, size_t size, uint16_t id) {
        size_t off = 0x100;

        /* at most 0xf00 / 4 capabilities fit: a loop in the list ends there */
        for (unsigned n = 0; n < 960 && off >= 0x100 && off + 4 <= size; n++) {
                uint32_t header = le32(config + off);

                if (header == 0 || header == UINT32_MAX)
                        return 0;
                if ((header & 0xffff) == id)
                        return off;
                off = (header >> 20) & 0xffc;
        }
        return 0;
}

NetnameDsn netname_dsn_mac(const uint8_t *config, size_t size, unsigned vendor, unsigned function,
                           char out[static 18]) {
        uint8_t b[8];
        size_t off;
        uint32_t lo, hi;

        off = find_ext_cap(config, size, 0x0003);
        if (off == 0 || off + 12 > size)
                return NETNAME_DSN_NONE;
        lo = le32(config + off + 4);
        hi = le32(config + off + 8);
        /* as lspci shows it: the upper dword first, each most significant byte first */
        for (size_t i = 0; i < 4; i++) {
                b[i] = (uint8_t) (hi >> (24 - 8 * i));
                b[4 + i] = (uint8_t) (lo >> (24 - 8 * i));
        }
        /* a MAC's OUI is never a multicast address: bit 0 of the first byte clear */
        if (b[3] != 0xff || (b[4] != 0xff && b[4] != 0xfe) || (b[0] & 1))
                return NETNAME_DSN_NONE;
        if (b[4] == 0xff && (vendor != 0x8086 || function != 0))
                return NETNAME_DSN_NONE;
        (void) snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[5], b[6], b[7]);
        return b[4] == 0xff ? NETNAME_DSN_PORT : NETNAME_DSN_CARD;
}

/* "3C:FD:FE:AA:BB:CC\n" -> "3c:fd:fe:aa:bb:cc"; false unless six hex pairs */
static bool mac_lower(const char *s, char out[static 18]) {
        for (size_t i = 0; i < 17; i++) {
                if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char) s[i]))
                        return false;
                out[i] = (char) tolower((unsigned char) s[i]);
        }
        out[17] = 0;
        return s[17] == 0 || s[17] == '\n';
}

int netname_permanent_mac(int dfd, const char *name, char ret[static 18]) {
        char path[PATH_MAX], buf[64];
        ssize_t n;

        if (snprintf(path, sizeof(path), "%s/addr_assign_type", name) >= (int) sizeof(path))
                return -ENAMETOOLONG;
        n = read_attr_at(dfd, path, buf, sizeof(buf));
        /* every kernel since 3.2 has the attribute; without it, the address is all there is */
        if (n == -ENOENT || (n > 0 && streq(strip(buf), "0"))) {
                (void) snprintf(path, sizeof(path), "%s/address", name);
                n = read_attr_at(dfd, path, buf, sizeof(buf));
                if (n < 0)
                        return (int) n;
                return mac_lower(buf, ret) ? 0 : -ENODATA;
        }
        if (n < 0)
                return (int) n;
        (void) snprintf(path, sizeof(path), "%s/bonding_slave/perm_hwaddr", name);
        n = read_attr_at(dfd, path, buf, sizeof(buf));
        if (n > 0 && mac_lower(buf, ret))
                return 0;
        return -ENODATA;
}
