/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "cmdline.h"
#include "log.h"
#include "mgmt.h"
#include "mgmt-internal.h"
#include "string-table.h"
#include "netname.h"
#include "rootdir.h"
#include "util.h"

bool mgmt_is_pattern(const char *s) {
        return strpbrk(s, "*?[!") != NULL;
}


/* Appends an item of the reader adding items now, taking v and src. */
static int mgmt_push(Mgmt *m, MgmtKind kind, char *v, char *src) {
        MgmtItem *n = realloc(m->items, sizeof(MgmtItem) * (m->n_items + 1));

        if (!n) {
                free(v);
                free(src);
                return -ENOMEM;
        }
        m->items = n;
        m->items[m->n_items++] = (MgmtItem) { .kind = kind, .origin = m->reading, .value = v, .source = src };
        return 0;
}

/* An enx<MAC> name is that MAC too: before probe only the MAC can find its device. */
static int mgmt_push_name_mac(Mgmt *m, const char *name, const char *src) {
        char mac[18];
        char *v, *s;

        if (!netname_mac(name, mac) || mgmt_find(m, MGMT_MAC, mac))
                return 0;
        v = strdup(mac);
        s = strdup(src);
        if (!v || !s) {
                free(v);
                free(s);
                return -ENOMEM;
        }
        return mgmt_push(m, MGMT_MAC, v, s);
}

int mgmt_add(Mgmt *m, MgmtKind kind, const char *value, size_t len, const char *fmt, ...) {
        _cleanup_free_ char *v = strndup(value, len), *src = NULL;
        va_list ap;
        int r;

        if (!v)
                return -ENOMEM;
        strip(v);
        if (isempty(v))
                return 0;
        /* a name pattern counts against the names a NIC could get; a MAC or address pattern is
         * nothing the tools read */
        if (kind == MGMT_NAME && mgmt_is_pattern(v))
                kind = MGMT_GLOB;
        else if ((kind == MGMT_MAC || kind == MGMT_PCI) && mgmt_is_pattern(v))
                return 0;
        if (kind == MGMT_MAC)
                for (char *s = v; *s; s++) {
                        if (*s == '-')
                                *s = ':';
                        else
                                *s = (char) tolower((unsigned char) *s);
                }
        if (kind == MGMT_PCI) {
                char pci[13];

                /* as sysfs names the device: "3b:00.0" is "0000:3b:00.0" */
                if (!pci_address_normalize(v, pci))
                        return 0;
                free(v);
                v = strdup(pci);
                if (!v)
                        return -ENOMEM;
        }
        /* recorded before the duplicate test: the boot's NIC is named whatever read it first */
        if (kind != MGMT_ANY && (m->reading == MGMT_FROM_CMDLINE || m->reading == MGMT_FROM_IBFT))
                m->boot_nic_named = true;
        if (mgmt_find(m, kind, v))
                return 0;
        va_start(ap, fmt);
        r = vasprintf(&src, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        r = kind == MGMT_NAME ? mgmt_push_name_mac(m, v, src) : 0;
        return r < 0 ? r : mgmt_push(m, kind, TAKE_PTR(v), TAKE_PTR(src));
}

int mgmt_add_source(Mgmt *m, MgmtKind kind, const char *value, const char *source) {
        return mgmt_add(m, kind, value, strlen(value), "%s", source);
}

int mgmt_add_at(Mgmt *m, MgmtKind kind, const char *value, size_t len, const char *path, unsigned line) {
        return mgmt_add(m, kind, value, len, "%s:%u", path, line);
}

/* The MAC items with this value are resolved: a record or the saved evidence gives their device. */
static void mark_resolved(Mgmt *m, const char *mac) {
        for (size_t i = 0; i < m->n_items; i++)
                if (m->items[i].kind == MGMT_MAC && strcaseeq(m->items[i].value, mac))
                        m->items[i].resolved = true;
}

const MgmtItem *mgmt_find(const Mgmt *m, MgmtKind kind, const char *value) {
        for (size_t i = 0; i < m->n_items; i++)
                if (m->items[i].kind == kind && strcaseeq(m->items[i].value, value))
                        return &m->items[i];
        return NULL;
}

void mgmt_free(Mgmt *m) {
        for (size_t i = 0; i < m->n_items; i++) {
                free(m->items[i].value);
                free(m->items[i].source);
        }
        free(m->items);
        free(m->netboot);
        *m = (Mgmt) {};
}

/* ---- the kernel command line (dracut.cmdline(7)) ---- */

/* The n-th ':'-separated field of s (IPv6 addresses in [] kept whole), or NULL. */
static const char *field(const char *s, unsigned n, size_t *len) {
        for (unsigned i = 0;; i++) {
                const char *end = s;

                while (*end && *end != ':') {
                        if (*end == '[') {
                                const char *close = strchr(end, ']');

                                end = close ? close : end + strlen(end) - 1;
                        }
                        end++;
                }
                if (i == n) {
                        *len = (size_t) (end - s);
                        return s;
                }
                if (!*end)
                        return NULL;
                s = end + 1;
        }
}

static int add_list(Mgmt *m, const char *list, size_t len, const char *key, const char *value) {
        _cleanup_free_ char *copy = strndup(list, len);
        char *save = NULL;
        int r = 0;

        if (!copy)
                return -ENOMEM;
        for (char *tok = strtok_r(copy, ",", &save); tok && r >= 0; tok = strtok_r(NULL, ",", &save))
                r = mgmt_add(m, MGMT_NAME, tok, strlen(tok), "kernel command line %s=%s", key, value);
        return r;
}

/* bond=, team= and bridge= without ports take dracut's defaults (dracut.cmdline(7)): eth0 and
 * eth1, eth0 for a bridge; kernel names, which mgmt_kernel_names() judges. */
static int add_ports(Mgmt *m, const char *key, const char *value) {
        bool bridge = streq(key, "bridge");
        _cleanup_free_ char *src = NULL;
        size_t len = 0;
        const char *f = value ? field(value, 1, &len) : NULL;
        int r;

        if (f && len > 0)
                return add_list(m, f, len, key, value);
        if (asprintf(&src, "kernel command line %s%s%s (dracut's default ports %s)", key, value ? "=" : "",
                     value ?: "", bridge ? "eth0" : "eth0,eth1") < 0)
                return -ENOMEM;
        r = mgmt_add(m, MGMT_NAME, "eth0", 4, "%s", src);
        return r < 0 || bridge ? r : mgmt_add(m, MGMT_NAME, "eth1", 4, "%s", src);
}

/* Whether s starts with a MAC written with colons, "3c:fd:fe:aa:bb:cc". */
static bool starts_with_mac(const char *s) {
        for (size_t i = 0; i < 17; i++)
                if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char) s[i]))
                        return false;
        return true;
}

/* A root= that the initramfs mounts over the network (dracut.cmdline(7)): NFS, iSCSI, NBD, CIFS,
 * a live image fetched by URL, or what DHCP's root-path says. */
static bool network_root(const char *value) {
        static const char *const prefixes[] = { "nfs", "iscsi", "nbd", "/dev/nfs", "cifs", "dhcp",
                                                "live:http", "live:ftp", "live:torrent", "live:tftp" };

        for (size_t i = 0; i < ELEMENTSOF(prefixes); i++)
                if (startswith_no_case(value, prefixes[i]))
                        return true;
        return false;
}

/* The first word that makes the boot need a network, kept for the evidence (netboot_any()). */
static int set_netboot(Mgmt *m, const char *key, const char *value) {
        if (m->netboot)
                return 0;
        m->netboot = value ? strjoin3(key, "=", value) : strdup(key);
        return m->netboot ? 0 : -ENOMEM;
}

/* fcoe=<interface|MAC|edd>:{dcb|nodcb}[:...]: the NIC of an FCoE SAN; "edd" leaves it to the
 * firmware's EDD, which names no NIC here (a boot that needs a network). */
static int add_fcoe(Mgmt *m, const char *value) {
        size_t len;
        const char *f = field(value, 0, &len);

        if (strlen(value) >= 17 && starts_with_mac(value) && (value[17] == ':' || value[17] == 0))
                return mgmt_add(m, MGMT_MAC, value, 17, "kernel command line fcoe=%s", value);
        if (len == 3 && strneq(f, "edd", 3))
                return set_netboot(m, "fcoe", value);
        return mgmt_add(m, MGMT_NAME, f, len, "kernel command line fcoe=%s", value);
}

static int cmdline_item(const char *key, const char *value, void *userdata) {
        static const char *const methods[] = { "none", "off", "dhcp", "on", "any", "dhcp6", "auto6",
                                               "either6", "ibft", "link6", "single-dhcp" };
        Mgmt *m = userdata;
        const char *f;
        size_t len;

        if ((streq(key, "rd.neednet") && (!value || parse_boolean(value) > 0)) ||
            (streq(key, "root") && value && network_root(value)) || streq(key, "netroot") || streq(key, "nfsroot"))
                return set_netboot(m, key, value);
        if (streq(key, "bond") || streq(key, "bridge") || streq(key, "team"))
                /* bond=<bond>:<slaves,...>:..., bridge=<br>:<ports,...> */
                return add_ports(m, key, value);
        if (!value)
                return 0;
        if (streq(key, "fcoe"))
                return add_fcoe(m, value);
        if (streq(key, "net.naming_scheme"))
                netname_setup_scheme(value);
        if (streq(key, "BOOTIF"))
                /* "01-52-54-00-12-34-56": ARP hardware type, then the MAC */
                return strlen(value) > 3 ? mgmt_add(m, MGMT_MAC, value + 3, strlen(value) - 3,
                                                    "kernel command line BOOTIF=%s", value) : 0;
        if (streq(key, "ifname") && (f = field(value, 0, &len))) {
                int r = mgmt_add(m, MGMT_NAME, f, len, "kernel command line ifname=%s", value);
                const char *mac = strchr(value, ':');

                return r < 0 || !mac ? r : mgmt_add(m, MGMT_MAC, mac + 1, strlen(mac + 1),
                                                    "kernel command line ifname=%s", value);
        }
        if (streq(key, "ip")) {
                /* ip=<interface>:<method> or ip=<client>:<peer>:<gw>:<mask>:<host>:<interface>:... */
                if (streq(value, "none") || streq(value, "off"))
                        return 0;
                f = field(value, 1, &len);
                for (size_t i = 0; f && i < ELEMENTSOF(methods); i++)
                        if (len == strlen(methods[i]) && strneq(f, methods[i], len))
                                return mgmt_add(m, MGMT_NAME, value, strcspn(value, ":"),
                                                "kernel command line ip=%s", value);
                /* the long form's interface; without one (ip=dhcp, ip=<client>::<gw>:<mask>:<host>::none)
                 * the kernel or the initramfs takes the NICs it finds (BOOTIF= narrows it) */
                f = field(value, 5, &len);
                if (f && len > 0)
                        return mgmt_add(m, MGMT_NAME, f, len, "kernel command line ip=%s", value);
                return set_netboot(m, key, value);
        }
        if (streq(key, "vlan")) {
                f = field(value, 1, &len);
                return f ? mgmt_add(m, MGMT_NAME, f, len, "kernel command line vlan=%s", value) : 0;
        }
        return 0;
}

static int collect_cmdline(Mgmt *m, const char *cmdline) {
        m->reading = MGMT_FROM_CMDLINE;
        return cmdline_parse_items(cmdline, cmdline_item, m);
}

/* ---- iSCSI boot firmware ---- */

static int collect_ibft(Mgmt *m) {
        _cleanup_closedir_ DIR *d = root_opendir("/sys/firmware/ibft");
        struct dirent *de;
        int r = 0;

        m->reading = MGMT_FROM_IBFT;
        if (!d)
                return 0;
        while ((de = readdir(d)) && r >= 0) {
                char buf[64], path[128];
                ssize_t n;

                if (!startswith(de->d_name, "ethernet") ||
                    snprintf(path, sizeof(path), "/sys/firmware/ibft/%s/mac", de->d_name) >= (int) sizeof(path))
                        continue;
                if (root_read_buf(path, buf, sizeof(buf)) > 0)
                        r = mgmt_add(m, MGMT_MAC, buf, strcspn(buf, "\n"), "iSCSI boot firmware (iBFT) %s",
                                     de->d_name);
                n = r >= 0 && snprintf(path, sizeof(path), "%s/device", de->d_name) < (int) sizeof(path)
                            ? readlinkat_basename(dirfd(d), path, buf, sizeof(buf)) : -1;
                if (n > 0)
                        r = mgmt_add(m, MGMT_PCI, buf, (size_t) n, "iSCSI boot firmware (iBFT) %s", de->d_name);
        }
        return r;
}

/* A boot that needs a network (a network root, rd.neednet, ip=dhcp) brings up the NIC that the
 * command line or the boot firmware names; when neither names one, the initramfs tries every NIC
 * it finds, so any NIC may carry the boot's network: a MGMT_ANY item. Runs after the command
 * line and iBFT were read (their readers set boot_nic_named; what other readers add does not
 * count), and before the files are, so that its item is the first MGMT_ANY, the one the gate's
 * message tells of. */
static int netboot_any(Mgmt *m) {
        if (!m->netboot || m->boot_nic_named)
                return 0;
        m->reading = MGMT_FROM_CMDLINE;
        return mgmt_add_source(m, MGMT_ANY, m->netboot, "kernel command line");
}

/* ---- a MAC's PCI function before its driver probes ---- */

/* The items of MAC mac are resolved: address is (one of) their device(s), as why says. */
static int resolve_mac_to(Mgmt *m, const char *mac, const char *address, const char *why) {
        const MgmtItem *it = mgmt_find(m, MGMT_MAC, mac);
        char *src;
        int r;

        if (!it)
                return 0;
        mark_resolved(m, mac);
        if (mgmt_find(m, MGMT_PCI, address))
                return 0;
        /* mgmt_add() may move the items: the source is copied first */
        src = strdup(it->source);
        if (!src)
                return -ENOMEM;
        r = mgmt_add(m, MGMT_PCI, address, strlen(address), "MAC %s (from %s), %s", mac, src, why);
        free(src);
        return r;
}

/* The same, unless something resolved them before. */
static int resolve_mac(Mgmt *m, const char *mac, const char *address, const char *why) {
        const MgmtItem *it = mgmt_find(m, MGMT_MAC, mac);

        return !it || it->resolved ? 0 : resolve_mac_to(m, mac, address, why);
}

/* The interfaces there are now, on their PCI functions. */
static int resolve_by_interfaces(Mgmt *m) {
        _cleanup_closedir_ DIR *d = root_opendir("/sys/class/net");
        struct dirent *de;
        int r = 0;

        while (d && (de = readdir(d)) && r >= 0) {
                char mac[18], dev[64], addr[13], why[64];
                ssize_t n;

                /* the permanent MAC: a bond's members all have the bond's now */
                if (de->d_name[0] == '.' || strlen(de->d_name) > 15 ||
                    netname_permanent_mac(dirfd(d), de->d_name, mac) < 0)
                        continue;
                (void) snprintf(why, sizeof(why), "%s/device", de->d_name);
                n = readlinkat_basename(dirfd(d), why, dev, sizeof(dev));
                if (n <= 0 || !pci_address_normalize(dev, addr))
                        continue;
                (void) snprintf(why, sizeof(why), "which %s has now", de->d_name);
                r = resolve_mac(m, mac, addr, why);
        }
        return r;
}

/* The MAC an Intel function 0 network controller's Device Serial Number gives (netname.h). */
NetnameDsn mgmt_read_dsn_mac(const char addr[static 13], char mac[static 18]) {
        _cleanup_free_ char *config = NULL;
        char path[64], buf[32];
        unsigned vendor;
        ssize_t n;

        (void) snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", addr); /* <= 41 bytes */
        if (root_read_attr(path, buf, sizeof(buf)) <= 0 || !startswith(buf, "0x") || strlen(strip(buf)) != 6 ||
            strspn(buf + 2, "0123456789abcdefABCDEF") != 4)
                return NETNAME_DSN_NONE;
        vendor = (unsigned) strtoul(buf + 2, NULL, 16);
        (void) snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/class", addr);
        if (root_read_attr(path, buf, sizeof(buf)) <= 0 || !startswith(buf, "0x02"))
                return NETNAME_DSN_NONE;
        config = malloc(4096 + 1);
        (void) snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", addr);
        n = config ? root_read_attr(path, config, 4096 + 1) : -ENOMEM;
        if (n <= 0)
                return NETNAME_DSN_NONE;
        return netname_dsn_mac((const uint8_t *) config, (size_t) n, vendor, (unsigned) (addr[11] - '0'), mac);
}

/* The MACs that Device Serial Numbers give: Intel's of function 0 resolves its MAC to that
 * function; a card's EUI-64 to every function that has it (which port has the MAC is not said). */
static int resolve_by_dsn(Mgmt *m) {
        _cleanup_closedir_ DIR *d = root_opendir("/sys/bus/pci/devices");
        _cleanup_(strv_free) Strv card = {};
        struct dirent *de;
        int r = 0;

        while (d && (de = readdir(d)) && r >= 0) {
                char addr[13], mac[18], why[128];
                const MgmtItem *it;
                NetnameDsn k;

                if (!pci_address_normalize(de->d_name, addr))
                        continue;
                k = mgmt_read_dsn_mac(addr, mac);
                it = k != NETNAME_DSN_NONE ? mgmt_find(m, MGMT_MAC, mac) : NULL;
                if (!it || (it->resolved && !(k == NETNAME_DSN_CARD && strv_contains(&card, mac))))
                        continue;
                (void) snprintf(why, sizeof(why), "which the Device Serial Number of %s gives%s", addr,
                                k == NETNAME_DSN_CARD ? " (an EUI-64 of the card's MAC: each of its functions)" : "");
                if (k == NETNAME_DSN_CARD && !strv_contains(&card, mac) && strv_push(&card, strdup(mac)) < 0)
                        return -ENOMEM;
                r = resolve_mac_to(m, mac, addr, why);
        }
        return r;
}

/* What a MAC that neither a record nor the saved evidence resolved names: an interface that
 * has it, or the Device Serial Number of an Intel port. Only when there is such a MAC. */
static int resolve_macs(Mgmt *m) {
        int r;

        m->reading = MGMT_FROM_HARDWARE;
        if (!mgmt_next_unresolved_mac(m, NULL))
                return 0;
        r = resolve_by_interfaces(m);
        return r < 0 || !mgmt_next_unresolved_mac(m, NULL) ? r : resolve_by_dsn(m);
}

/* ---- live state: default routes and what is below them ---- */

/* NOLINTNEXTLINE(misc-no-recursion): bounded, the depth > 8 test below ends it (stacked devices) */
static int add_lower(Mgmt *m, const char *ifname, const char *why, unsigned depth) {
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        char path[128];
        int r = 0;

        if (depth > 8 || snprintf(path, sizeof(path), "/sys/class/net/%s", ifname) >= (int) sizeof(path))
                return 0;
        d = root_opendir(path);
        if (!d)
                return 0;
        while ((de = readdir(d)) && r >= 0) {
                if (!startswith(de->d_name, "lower_"))
                        continue;
                r = mgmt_add(m, MGMT_NAME, de->d_name + 6, strlen(de->d_name + 6), "%s (below %s)", why, ifname);
                if (r >= 0)
                        r = add_lower(m, de->d_name + 6, why, depth + 1);
        }
        return r;
}

static int add_route_iface(Mgmt *m, const char *ifname, const char *why) {
        int r = mgmt_add(m, MGMT_NAME, ifname, strlen(ifname), "%s", why);

        return r < 0 ? r : add_lower(m, ifname, why, 0);
}

static int collect_routes(Mgmt *m) {
        _cleanup_free_ char *v4 = NULL, *v6 = NULL;
        char *save = NULL;
        int r = 0;

        m->reading = MGMT_FROM_ROUTE;
        /* Iface Destination Gateway Flags ...; the default route has Destination 00000000. */
        if (root_read_file("/proc/net/route", 65536, &v4, NULL) >= 0)
                for (char *l = strtok_r(v4, "\n", &save); l && r >= 0; l = strtok_r(NULL, "\n", &save)) {
                        char ifname[32], dest[16];

                        if (sscanf(l, "%31s %15s", ifname, dest) == 2 && streq(dest, "00000000"))
                                r = add_route_iface(m, ifname, "the IPv4 default route");
                }
        /* dest prefixlen src prefixlen nexthop metric refcnt use flags iface */
        save = NULL;
        if (r >= 0 && root_read_file("/proc/net/ipv6_route", 262144, &v6, NULL) >= 0)
                for (char *l = strtok_r(v6, "\n", &save); l && r >= 0; l = strtok_r(NULL, "\n", &save)) {
                        char dest[40], plen[8], ifname[32];

                        if (sscanf(l, "%39s %7s %*s %*s %*s %*s %*s %*s %*s %31s", dest, plen, ifname) == 3 &&
                            streq(plen, "00") && strspn(dest, "0") == 32 && !streq(ifname, "lo"))
                                r = add_route_iface(m, ifname, "the IPv6 default route");
                }
        return r;
}

static const char *const mgmt_kind_table[_MGMT_KIND_MAX] = {
        [MGMT_NAME] = "name",
        [MGMT_MAC] = "mac",
        [MGMT_PCI] = "pci",
        [MGMT_GLOB] = "glob",
        [MGMT_PATH_GLOB] = "path-glob",
        [MGMT_ANY] = "any",
};

DEFINE_PRIVATE_STRING_TABLE_LOOKUP(mgmt_kind, MgmtKind);

int mgmt_write(const Mgmt *m, FILE *f) {
        for (size_t i = 0; i < m->n_items; i++)
                fprintf(f, "%s %s %s\n", mgmt_kind_to_string(m->items[i].kind), m->items[i].value,
                        m->items[i].source);
        return fflush(f) == 0 && !ferror(f) ? 0 : -EIO;
}

/* "pci ADDRESS MAC m of IFNAME when the initramfs was built (...)": the PCI function of MAC m,
 * as "dpdk-boot mgmt-evidence" writes it. */
static void saved_resolves(Mgmt *m, MgmtKind kind, const char *source) {
        char mac[18];

        if (kind == MGMT_PCI && sscanf(source, "MAC %17s ", mac) == 1)
                mark_resolved(m, mac);
}

static int saved_line(Mgmt *m, const char *path, unsigned line, char *section, char *text) {
        size_t k = strcspn(text, " \t"), v;
        const char *value, *source;
        char word[16];         /* the longest kind, "path-glob", and more */
        int kind;

        (void) section;
        if (k >= sizeof(word))
                return 0;
        memcpy(word, text, k);
        word[k] = 0;
        kind = mgmt_kind_from_string(word);
        if (kind < 0)
                return 0;
        value = text + k + strspn(text + k, " \t");
        v = strcspn(value, " \t");
        if (v == 0)
                return 0;
        source = value + v + strspn(value + v, " \t");
        saved_resolves(m, kind, source);
        return mgmt_add(m, kind, value, v, "%s (stored in the initramfs, %s:%u)", source, path, line);
}

static int recorded_line(Mgmt *m, const char *path, unsigned line, char *section, char *text) {
        char addr[32], mac[32], ifname[32];
        const MgmtItem *it;
        char *why;
        int r;

        (void) section;
        if (sscanf(text, "%31s %31s %31s", addr, mac, ifname) != 3)
                return 0;
        it = mgmt_find(m, MGMT_MAC, mac);
        if (!it)
                return 0;
        mark_resolved(m, mac);
        if (mgmt_find(m, MGMT_PCI, addr))
                return 0;
        /* mgmt_add() may move the items: its source is copied first. */
        why = strdup(it->source);
        if (!why)
                return -ENOMEM;
        r = mgmt_add(m, MGMT_PCI, addr, strlen(addr), "MAC %s (from %s), which %s had on an earlier boot (%s:%u)",
                     mac, why, ifname, path, line);
        free(why);
        return r;
}

static int collect_saved(Mgmt *m) {
        m->reading = MGMT_FROM_SAVED;
        return mgmt_for_each_line(m, MGMT_SAVED, saved_line, FILE_PLAIN);
}

static int collect_records(Mgmt *m) {
        m->reading = MGMT_FROM_RECORD;
        return mgmt_for_each_line(m, MGMT_NIC_MACS, recorded_line, FILE_RECORD);
}

int mgmt_collect_files(Mgmt *m) {
        int r;

        *m = (Mgmt) { .collected = true, .reading = _MGMT_ORIGIN_INVALID };
        netname_setup_scheme(NULL);
        r = mgmt_collect_config(m);
        RET_GATHER(r, mgmt_kernel_names(m));
        RET_GATHER(r, collect_records(m));
        RET_GATHER(r, resolve_macs(m));
        return r;
}

int mgmt_collect(Mgmt *m, const char *cmdline, bool live) {
        int r = 0;

        *m = (Mgmt) { .collected = true, .reading = _MGMT_ORIGIN_INVALID };
        /* the installed systemd's default, unless the command line names a scheme */
        netname_setup_scheme(NULL);
        if (cmdline)
                RET_GATHER(r, collect_cmdline(m, cmdline));
        RET_GATHER(r, collect_ibft(m));
        RET_GATHER(r, netboot_any(m));
        RET_GATHER(r, mgmt_collect_config(m));
        RET_GATHER(r, collect_saved(m));
        RET_GATHER(r, mgmt_kernel_names(m));
        /* Last: it resolves the MACs all the others name. */
        RET_GATHER(r, collect_records(m));
        RET_GATHER(r, resolve_macs(m));
        if (live)
                RET_GATHER(r, collect_routes(m));
        return r == -ENOMEM ? r : 0;
}

int mgmt_collect_live(Mgmt *m) {
        *m = (Mgmt) { .collected = true, .reading = _MGMT_ORIGIN_INVALID };
        return collect_routes(m) == -ENOMEM ? -ENOMEM : 0;
}

/* The device's MAC, when it has an interface, against the MAC items (an enx name added its own). */
static const MgmtItem *find_mac(const Mgmt *m, const char *mac) {
        return isempty(mac) ? NULL : mgmt_find(m, MGMT_MAC, mac);
}

/* Out of memory for the names: the first pattern, as if it matched (fail closed). */
static const MgmtItem *mgmt_any_glob(const Mgmt *m) {
        for (size_t i = 0; i < m->n_items; i++)
                if (m->items[i].kind == MGMT_GLOB || m->items[i].kind == MGMT_PATH_GLOB)
                        return &m->items[i];
        return NULL;
}

bool mgmt_glob_matches(const char *pattern, const char *name) {
        if (pattern[0] == '!')
                return fnmatch(pattern + 1, name, 0) != 0;
        return fnmatch(pattern, name, 0) == 0;
}

/* The first pattern item that a name dev could get matches. */
static const MgmtItem *find_glob(const Mgmt *m, const MgmtDevice *dev) {
        _cleanup_(strv_free) Strv names = {};
        _cleanup_free_ char *id_path = NULL;
        char mac[18] = "", enx[16];
        bool any = false;

        for (size_t i = 0; i < m->n_items; i++)
                any = any || m->items[i].kind == MGMT_GLOB || m->items[i].kind == MGMT_PATH_GLOB;
        if (!any)
                return NULL;
        /* the names net_id gives, the interface's name now, enx<MAC> of the MAC it has or will
         * have (its serial number's); without memory, every pattern matches */
        if (netname_candidates(&dev->pci, &names) < 0 ||
            (!isempty(dev->ifname) && strv_push(&names, strdup(dev->ifname)) < 0) ||
            asprintf(&id_path, "pci-%s", dev->pci.address) < 0)
                return mgmt_any_glob(m);
        if (!isempty(dev->mac))
                (void) snprintf(mac, sizeof(mac), "%s", dev->mac);
        else if (dev->pci.address && strlen(dev->pci.address) == 12)
                (void) mgmt_read_dsn_mac(dev->pci.address, mac);   /* NONE leaves it "" */
        if (!isempty(mac) && netname_from_mac(mac, enx) && strv_push(&names, strdup(enx)) < 0)
                return mgmt_any_glob(m);
        for (size_t i = 0; i < m->n_items; i++) {
                const MgmtItem *it = &m->items[i];

                if (it->kind == MGMT_PATH_GLOB && mgmt_glob_matches(it->value, id_path))
                        return it;
                for (size_t n = 0; it->kind == MGMT_GLOB && n < names.n; n++)
                        if (mgmt_glob_matches(it->value, names.v[n]))
                                return it;
        }
        return NULL;
}

const MgmtItem *mgmt_find_device(const Mgmt *m, const MgmtDevice *dev) {
        const MgmtItem *it = NULL;

        assert(m);
        assert(dev);
        if (!isempty(dev->ifname))
                it = mgmt_find(m, MGMT_NAME, dev->ifname);
        it = it ?: find_mac(m, dev->mac);
        it = it ?: mgmt_find(m, MGMT_PCI, dev->pci.address);
        for (size_t i = 0; !it && i < m->n_items; i++)
                if (m->items[i].kind == MGMT_NAME && netname_is_device(m->items[i].value, &dev->pci))
                        it = &m->items[i];
        return it ?: find_glob(m, dev);
}

const MgmtItem *mgmt_may_name_device(const Mgmt *m, const MgmtDevice *dev, bool network) {
        const MgmtItem *any = network ? mgmt_any(m) : NULL;

        return any ?: isempty(dev->mac) ? mgmt_next_unresolved_mac(m, NULL) : NULL;
}

const MgmtItem *mgmt_next_unresolved_mac(const Mgmt *m, const MgmtItem *item) {
        for (size_t i = item ? (size_t) (item - m->items) + 1 : 0; i < m->n_items; i++)
                if (m->items[i].kind == MGMT_MAC && !m->items[i].resolved)
                        return &m->items[i];
        return NULL;
}
