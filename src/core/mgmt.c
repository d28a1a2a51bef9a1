/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
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
#include "string-table.h"
#include "netname.h"
#include "rootdir.h"
#include "util.h"

static bool is_pattern(const char *s) {
        return strpbrk(s, "*?[!") != NULL;
}

static int mgmt_add(Mgmt *m, MgmtKind kind, const char *value, size_t len, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));

/* Appends an item, taking v and src. */
static int mgmt_push(Mgmt *m, MgmtKind kind, char *v, char *src) {
        MgmtItem *n = realloc(m->items, sizeof(MgmtItem) * (m->n_items + 1));

        if (!n) {
                free(v);
                free(src);
                return -ENOMEM;
        }
        m->items = n;
        m->items[m->n_items++] = (MgmtItem) { .kind = kind, .value = v, .source = src };
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

static int mgmt_add(Mgmt *m, MgmtKind kind, const char *value, size_t len, const char *fmt, ...) {
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
        if (kind == MGMT_NAME && is_pattern(v))
                kind = MGMT_GLOB;
        else if ((kind == MGMT_MAC || kind == MGMT_PCI) && is_pattern(v))
                return 0;
        if (kind == MGMT_MAC)
                for (char *s = v; *s; s++) {
                        if (*s == '-')
                                *s = ':';
                        else
                                *s = (char) tolower((unsigned char) *s);
                }
        if (kind == MGMT_PCI && !pci_address_normalize(v, (char[13]) {}))
                return 0;
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

static int cmdline_item(const char *key, const char *value, void *userdata) {
        static const char *const methods[] = { "none", "off", "dhcp", "on", "any", "dhcp6", "auto6",
                                               "either6", "ibft", "link6", "single-dhcp" };
        Mgmt *m = userdata;
        const char *f;
        size_t len;

        if (streq(key, "rd.neednet") && (!value || parse_boolean(value) > 0))
                m->netboot = true;
        if ((streq(key, "root") && value && (startswith_no_case(value, "nfs") || startswith_no_case(value, "iscsi") ||
                                             startswith_no_case(value, "nbd") || startswith_no_case(value, "/dev/nfs"))) ||
            streq(key, "netroot") || streq(key, "nfsroot"))
                m->netboot = true;
        if (!value)
                return 0;
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
                f = field(value, 1, &len);
                for (size_t i = 0; f && i < ELEMENTSOF(methods); i++)
                        if (len == strlen(methods[i]) && strneq(f, methods[i], len))
                                return mgmt_add(m, MGMT_NAME, value, strcspn(value, ":"),
                                                "kernel command line ip=%s", value);
                f = field(value, 5, &len);
                return f ? mgmt_add(m, MGMT_NAME, f, len, "kernel command line ip=%s", value) : 0;
        }
        if (streq(key, "bond") || streq(key, "bridge") || streq(key, "team")) {
                /* bond=<bond>:<slaves,...>:..., bridge=<br>:<ports,...> */
                f = field(value, 1, &len);
                return f ? add_list(m, f, len, key, value) : 0;
        }
        if (streq(key, "vlan")) {
                f = field(value, 1, &len);
                return f ? mgmt_add(m, MGMT_NAME, f, len, "kernel command line vlan=%s", value) : 0;
        }
        return 0;
}

/* ---- iSCSI boot firmware ---- */

static int collect_ibft(Mgmt *m) {
        _cleanup_closedir_ DIR *d = root_opendir("/sys/firmware/ibft");
        struct dirent *de;
        int r = 0;

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

/* ---- network configuration files ---- */

/* A file that is there but cannot be read (not a regular file, EACCES, EIO) could name any NIC:
 * fail closed. A missing one names none. */
int mgmt_unreadable(Mgmt *m, const char *path, int err) {
        if (err == ENOMEM)
                return -ENOMEM;
        if (err == ENOENT || err == ENOTDIR)
                return 0;
        log_warning("Cannot read %s: %s; it could name the management NIC, so no rule takes a NIC it "
                    "could name.", path, err == EBADFD ? "not a regular file" : strerror(err));
        return mgmt_add(m, MGMT_ANY, path, strlen(path), "cannot be read (%s)",
                        err == EBADFD ? "not a regular file" : strerror(err));
}

int mgmt_malformed(Mgmt *m, const char *path, unsigned line, const char *what) {
        if (line > 0) {
                log_warning("%s:%u: %s; the file could name the management NIC, so no rule takes a NIC it "
                            "could name.", path, line, what);
                return mgmt_add(m, MGMT_ANY, path, strlen(path), "cannot be parsed at line %u (%s)", line, what);
        }
        log_warning("%s: %s; the file could name the management NIC, so no rule takes a NIC it could name.",
                    path, what);
        return mgmt_add(m, MGMT_ANY, path, strlen(path), "cannot be parsed (%s)", what);
}

const MgmtItem *mgmt_any(const Mgmt *m) {
        for (size_t i = 0; i < m->n_items; i++)
                if (m->items[i].kind == MGMT_ANY)
                        return &m->items[i];
        return NULL;
}

/* A directory of evidence files that cannot be listed: as an unreadable file. */
static DIR *opendir_evidence(Mgmt *m, const char *dir, int *r) {
        DIR *d = root_opendir(dir);

        *r = d ? 0 : mgmt_unreadable(m, dir, errno);
        return d;
}

typedef int (*line_cb)(Mgmt *m, const char *path, unsigned line, char *section, char *text);

typedef enum FileMode {
        FILE_PLAIN,            /* evidence, one statement a line (ifupdown, MGMT_SAVED) */
        FILE_INI,              /* evidence, systemd's and GLib's key files: a broken line in the
                                * sections that say which device the file is for fails closed */
        FILE_RECORD,           /* our own record: unreadable is no evidence, only said */
} FileMode;

/* The sections of networkd's and NetworkManager's files that say which device they are for; ""
 * is before the first section. */
static bool match_section(const char *section) {
        return streq(section, "") || streq(section, "Match") || streq(section, "connection") ||
               streq(section, "ethernet") || streq(section, "802-3-ethernet");
}

/* A key file's line that is neither a section, a comment nor a "Key=value": what is wrong. */
static const char *ini_broken(const char *s) {
        if (*s == '[')
                return s[strlen(s) - 1] == ']' ? NULL : "a section header without \"]\"";
        return strchr(s, '=') ? NULL : "no \"=\" in the line";
}

static int file_unreadable(Mgmt *m, const char *path, int err, FileMode mode) {
        if (mode != FILE_RECORD)
                return mgmt_unreadable(m, path, err);
        if (err == ENOMEM)
                return -ENOMEM;
        if (err != ENOENT && err != ENOTDIR)
                log_warning("Cannot read %s: %s.", path, err == EBADFD ? "not a regular file" : strerror(err));
        return 0;
}

static int for_each_line_mode(Mgmt *m, const char *path, line_cb cb, FileMode mode) {
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_free_ char *buf = NULL;
        char section[64] = "";
        size_t cap = 0;
        unsigned line = 0;
        int r = 0;

        f = root_fopen(path);
        if (!f)
                return file_unreadable(m, path, errno, mode);
        while (r >= 0 && getline(&buf, &cap, f) >= 0) {
                char *s = buf;

                /* a UTF-8 byte order mark, which systemd's parser skips; a CR of a CRLF line end
                 * goes with the other white space */
                if (line == 0 && startswith(s, "\xef\xbb\xbf"))
                        s += 3;
                s = strip(s);
                line++;
                if (*s == '#' || *s == ';' || *s == 0)
                        continue;
                if (mode == FILE_INI && ini_broken(s)) {
                        if (match_section(section) || *s == '[')
                                r = mgmt_malformed(m, path, line, ini_broken(s));
                        continue;
                }
                if (*s == '[') {
                        /* Cut to 63 bytes, a long name still matches none of the sections we read. */
                        (void) snprintf(section, sizeof(section), "%.*s", (int) strcspn(s + 1, "]"), s + 1);
                        continue;
                }
                r = cb(m, path, line, section, s);
        }
        if (r >= 0 && ferror(f))
                return file_unreadable(m, path, errno, mode);
        return r;
}

static int for_each_line(Mgmt *m, const char *path, line_cb cb) {
        return for_each_line_mode(m, path, cb, FILE_PLAIN);
}

static int for_each_ini_line(Mgmt *m, const char *path, line_cb cb) {
        return for_each_line_mode(m, path, cb, FILE_INI);
}

/* "Key=value" with the key compared exactly; the value stripped. */
static const char *kv(char *text, const char *key) {
        size_t n = strlen(key);
        char *v;

        if (strncmp(text, key, n) != 0)
                return NULL;
        v = text + n;
        v += strspn(v, " \t");
        if (*v != '=')
                return NULL;
        return strip(v + 1);
}

static int add_words(Mgmt *m, MgmtKind kind, const char *v, const char *path, unsigned line) {
        _cleanup_free_ char *copy = strdup(v);
        char *save = NULL;
        int r = 0;

        if (!copy)
                return -ENOMEM;
        for (char *tok = strtok_r(copy, " \t", &save); tok && r >= 0; tok = strtok_r(NULL, " \t", &save)) {
                if (kind == MGMT_PCI && is_pattern(tok)) {
                        /* a glob of udev's ID_PATH, "pci-0000:3b:00.*" or "*" */
                        r = mgmt_add(m, MGMT_PATH_GLOB, tok, strlen(tok), "%s:%u", path, line);
                        continue;
                }
                if (kind == MGMT_PCI) {
                        /* networkd's Path= is udev's ID_PATH: "pci-0000:00:06.0" */
                        if (!startswith(tok, "pci-"))
                                continue;
                        tok += 4;
                        tok[strcspn(tok, "-")] = 0;
                }
                r = mgmt_add(m, kind, tok, strlen(tok), "%s:%u", path, line);
        }
        return r;
}

static int networkd_line(Mgmt *m, const char *path, unsigned line, char *section, char *text) {
        const char *v;

        if (!streq(section, "Match"))
                return 0;
        if ((v = kv(text, "Name")))
                return add_words(m, MGMT_NAME, v, path, line);
        if ((v = kv(text, "MACAddress")) || (v = kv(text, "PermanentMACAddress")))
                return add_words(m, MGMT_MAC, v, path, line);
        if ((v = kv(text, "Path")))
                return add_words(m, MGMT_PCI, v, path, line);
        return 0;
}

static int nm_line(Mgmt *m, const char *path, unsigned line, char *section, char *text) {
        const char *v;

        if ((v = kv(text, "interface-name")))
                return add_words(m, MGMT_NAME, v, path, line);
        if (streq(section, "ethernet") && (v = kv(text, "mac-address")))
                return add_words(m, MGMT_MAC, v, path, line);
        return 0;
}

static int ifupdown_line(Mgmt *m, const char *path, unsigned line, char *section, char *text) {
        static const char *const lists[] = { "bond-slaves", "bond_slaves", "slaves", "bridge-ports",
                                             "bridge_ports", "vlan-raw-device", "vlan_raw_device" };
        char name[64], family[16];

        if (sscanf(text, "iface %63s %15s", name, family) == 2 && !streq(name, "lo") &&
            (streq(family, "inet") || streq(family, "inet6")))
                return mgmt_add(m, MGMT_NAME, name, strlen(name), "%s:%u", path, line);
        for (size_t i = 0; i < ELEMENTSOF(lists); i++) {
                size_t n = strlen(lists[i]);

                if (strncmp(text, lists[i], n) == 0 && (text[n] == ' ' || text[n] == '\t') &&
                    !strstr(text + n, "none"))
                        return add_words(m, MGMT_NAME, text + n, path, line);
        }
        return 0;
}

/* NetworkManager's keyfile plugin skips these names (nm-keyfile-utils.c), the rest of /etc's are
 * connections as .nmconnection files are. */
static bool nm_ignored(const char *name) {
        static const char *const suffixes[] = { "~", ".swp", ".tmp", ".bak", ".orig", ".rej", ".rpmnew",
                                                ".rpmsave", ".dpkg-old", ".dpkg-new", ".dpkg-dist",
                                                ".dpkg-bak", ".dpkg-tmp", ".pacnew", ".pacsave" };
        size_t n = strlen(name);

        for (size_t i = 0; i < ELEMENTSOF(suffixes); i++)
                if (n >= strlen(suffixes[i]) && streq(name + n - strlen(suffixes[i]), suffixes[i]))
                        return true;
        return false;
}

/* dir's files whose names end in suffix ("": all but NetworkManager's ignored ones). */
static int collect_dir_files(Mgmt *m, const char *dir, const char *suffix, line_cb cb, FileMode mode) {
        int r;
        _cleanup_closedir_ DIR *d = opendir_evidence(m, dir, &r);
        struct dirent *de;

        if (!d)
                return r;
        while ((de = readdir(d)) && r >= 0) {
                _cleanup_free_ char *path = NULL;
                size_t n = strlen(de->d_name), s = strlen(suffix);

                if (de->d_name[0] == '.' || n <= s || !streq(de->d_name + n - s, suffix) ||
                    (s == 0 && nm_ignored(de->d_name)))
                        continue;
                path = strjoin3(dir, "/", de->d_name);
                if (!path)
                        return -ENOMEM;
                r = for_each_line_mode(m, path, cb, mode);
        }
        return r;
}

/* ---- systemd-networkd: its search path, masking and drop-ins (systemd.network(5)) ---- */

/* First wins. /lib is /usr/lib on a merged-/usr host: its files are then seen once. */
static const char *const networkd_dirs[] = {
        "/etc/systemd/network", "/run/systemd/network", "/usr/local/lib/systemd/network",
        "/usr/lib/systemd/network", "/lib/systemd/network",
};

/* A file that masks its name: a symlink to /dev/null, or empty. 1, 0 for a file to read,
 * -ENOENT when there is none. */
int mgmt_masked(const char *path) {
        _cleanup_free_ char *p = root_path(path);
        char target[16];
        struct stat st;
        ssize_t n;

        if (!p)
                return -ENOMEM;
        if (lstat(p, &st) < 0)
                return -errno;
        if (S_ISLNK(st.st_mode)) {
                n = readlink(p, target, sizeof(target) - 1);
                if (n > 0 && (target[n] = 0, streq(target, "/dev/null")))
                        return 1;
                if (stat(p, &st) < 0)
                        return -errno;
        }
        return S_ISREG(st.st_mode) && st.st_size == 0;
}

/* Adds the names of dir's files that end in suffix to names, each once. */
static int list_names(Mgmt *m, const char *dir, const char *suffix, Strv *names) {
        int r;
        _cleanup_closedir_ DIR *d = opendir_evidence(m, dir, &r);
        size_t s = strlen(suffix);
        struct dirent *de;

        while (d && (de = readdir(d))) {
                size_t n = strlen(de->d_name);

                if (de->d_name[0] == '.' || n <= s || !streq(de->d_name + n - s, suffix) ||
                    strv_contains(names, de->d_name))
                        continue;
                if (strv_push(names, strdup(de->d_name)) < 0)
                        return -ENOMEM;
        }
        return r;
}

static int cmp_name(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The files networkd reads from the directories "<dir><sub>", in name order: of each name the
 * first directory's, none when it is masked. */
int mgmt_conf_files(Mgmt *m, const char *const *dirs, size_t n_dirs, const char *sub, const char *suffix,
                    Strv *ret) {
        _cleanup_(strv_free) Strv names = {};
        int r = 0;

        for (size_t i = 0; i < n_dirs && r >= 0; i++) {
                _cleanup_free_ char *dir = strjoin3(dirs[i], sub, NULL);

                r = dir ? list_names(m, dir, suffix, &names) : -ENOMEM;
        }
        qsort_safe(names.v, names.n, sizeof(char *), cmp_name);
        for (size_t n = 0; n < names.n && r >= 0; n++)
                for (size_t i = 0; i < n_dirs; i++) {
                        _cleanup_free_ char *path = NULL;
                        int k;

                        if (asprintf(&path, "%s%s/%s", dirs[i], sub, names.v[n]) < 0)
                                return -ENOMEM;
                        k = mgmt_masked(path);
                        if (k == -ENOENT || k == -ENOTDIR)
                                continue;
                        /* one that cannot be looked at is read, and fails as unreadable */
                        if (k <= 0)
                                r = strv_push(ret, TAKE_PTR(path));
                        break;
                }
        return r;
}

int mgmt_networkd_files(Mgmt *m, const char *suffix, Strv *ret) {
        return mgmt_conf_files(m, networkd_dirs, ELEMENTSOF(networkd_dirs), "", suffix, ret);
}

/* A .netdev names no physical NIC (a bond's ports are in .network files): only one that cannot
 * be read or parsed counts, as it could be anything. */
static int netdev_line(Mgmt *m, const char *path, unsigned line, char *section, char *text) {
        (void) m, (void) path, (void) line, (void) section, (void) text;
        return 0;
}

/* Every .network file, then its drop-ins (<file>.d/ with .conf files), as networkd reads them;
 * the .netdev files for their readability. */
static int collect_networkd(Mgmt *m) {
        _cleanup_(strv_free) Strv files = {}, netdevs = {};
        int r = mgmt_networkd_files(m, ".network", &files);

        for (size_t i = 0; i < files.n && r >= 0; i++) {
                _cleanup_(strv_free) Strv dropins = {};
                _cleanup_free_ char *sub = strjoin3("/", strrchr(files.v[i], '/') + 1, ".d");

                r = for_each_ini_line(m, files.v[i], networkd_line);
                if (r >= 0)
                        r = sub ? mgmt_conf_files(m, networkd_dirs, ELEMENTSOF(networkd_dirs), sub, ".conf",
                                                  &dropins) : -ENOMEM;
                for (size_t j = 0; j < dropins.n && r >= 0; j++)
                        r = for_each_ini_line(m, dropins.v[j], networkd_line);
        }
        if (r >= 0)
                r = mgmt_networkd_files(m, ".netdev", &netdevs);
        for (size_t i = 0; i < netdevs.n && r >= 0; i++)
                r = for_each_ini_line(m, netdevs.v[i], netdev_line);
        return r;
}

/* ---- a MAC's PCI function before its driver probes ---- */

/* The items of MAC mac are resolved: address is their device, as why says. */
static int resolve_mac(Mgmt *m, const char *mac, const char *address, const char *why) {
        const MgmtItem *it = mgmt_find(m, MGMT_MAC, mac);
        char *src;
        int r;

        if (!it || it->resolved)
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

/* The interfaces there are now, on their PCI functions. */
static int resolve_by_interfaces(Mgmt *m) {
        _cleanup_closedir_ DIR *d = root_opendir("/sys/class/net");
        struct dirent *de;
        int r = 0;

        while (d && (de = readdir(d)) && r >= 0) {
                char mac[32], dev[64], addr[13], why[64];
                ssize_t n;

                if (de->d_name[0] == '.' || strlen(de->d_name) > 15)
                        continue;
                (void) snprintf(why, sizeof(why), "%s/address", de->d_name); /* <= 24 bytes */
                if (read_at_buf(dirfd(d), why, mac, sizeof(mac)) <= 0)
                        continue;
                (void) snprintf(why, sizeof(why), "%s/device", de->d_name);
                n = readlinkat_basename(dirfd(d), why, dev, sizeof(dev));
                if (n <= 0 || !pci_address_normalize(dev, addr))
                        continue;
                (void) snprintf(why, sizeof(why), "which %s has now", de->d_name);
                r = resolve_mac(m, strip(mac), addr, why);
        }
        return r;
}

/* The MAC an Intel function 0 network controller's Device Serial Number gives (netname.h). */
static bool read_dsn_mac(const char addr[static 13], char mac[static 18]) {
        _cleanup_free_ char *config = NULL;
        char path[64], buf[32];
        ssize_t n;

        (void) snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", addr); /* <= 41 bytes */
        if (root_read_attr(path, buf, sizeof(buf)) <= 0 || !startswith(buf, "0x8086"))
                return false;
        (void) snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/class", addr);
        if (root_read_attr(path, buf, sizeof(buf)) <= 0 || !startswith(buf, "0x02"))
                return false;
        config = malloc(4096 + 1);
        (void) snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", addr);
        n = config ? root_read_attr(path, config, 4096 + 1) : -ENOMEM;
        return n > 0 && netname_dsn_mac((const uint8_t *) config, (size_t) n, 0x8086, 0, mac);
}

static int resolve_by_dsn(Mgmt *m) {
        _cleanup_closedir_ DIR *d = root_opendir("/sys/bus/pci/devices");
        struct dirent *de;
        int r = 0;

        while (d && (de = readdir(d)) && r >= 0) {
                char addr[13], mac[18], why[64];

                if (!pci_address_normalize(de->d_name, addr) || addr[11] != '0' || !read_dsn_mac(addr, mac))
                        continue;
                (void) snprintf(why, sizeof(why), "which the Device Serial Number of %s gives", addr);
                r = resolve_mac(m, mac, addr, why);
        }
        return r;
}

/* What a MAC that neither a record nor the saved evidence resolved names: an interface that
 * has it, or the Device Serial Number of an Intel port. Only when there is such a MAC. */
static int resolve_macs(Mgmt *m) {
        int r;

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
        char word[8];
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

static int collect_files(Mgmt *m) {
        int r = 0;

        RET_GATHER(r, collect_networkd(m));
        RET_GATHER(r, mgmt_collect_netplan(m));
        RET_GATHER(r, collect_dir_files(m, "/etc/NetworkManager/system-connections", "", nm_line, FILE_INI));
        RET_GATHER(r, collect_dir_files(m, "/run/NetworkManager/system-connections", ".nmconnection", nm_line,
                                        FILE_INI));
        RET_GATHER(r, collect_dir_files(m, "/usr/lib/NetworkManager/system-connections", ".nmconnection", nm_line,
                                        FILE_INI));
        RET_GATHER(r, for_each_line(m, "/etc/network/interfaces", ifupdown_line));
        RET_GATHER(r, collect_dir_files(m, "/etc/network/interfaces.d", "", ifupdown_line, FILE_PLAIN));
        RET_GATHER(r, mgmt_collect_renames(m));
        return r;
}

int mgmt_collect_files(Mgmt *m) {
        int r;

        *m = (Mgmt) { .collected = true };
        r = collect_files(m);
        RET_GATHER(r, for_each_line_mode(m, MGMT_NIC_MACS, recorded_line, FILE_RECORD));
        RET_GATHER(r, resolve_macs(m));
        return r;
}

int mgmt_collect(Mgmt *m, const char *cmdline, bool live) {
        int r = 0;

        *m = (Mgmt) { .collected = true };
        if (cmdline)
                RET_GATHER(r, cmdline_parse_items(cmdline, cmdline_item, m));
        RET_GATHER(r, collect_ibft(m));
        RET_GATHER(r, collect_files(m));
        RET_GATHER(r, for_each_line(m, MGMT_SAVED, saved_line));
        /* Last: it resolves the MACs all the others name. */
        RET_GATHER(r, for_each_line_mode(m, MGMT_NIC_MACS, recorded_line, FILE_RECORD));
        RET_GATHER(r, resolve_macs(m));
        if (live)
                RET_GATHER(r, collect_routes(m));
        return r == -ENOMEM ? r : 0;
}

int mgmt_collect_live(Mgmt *m) {
        *m = (Mgmt) { .collected = true };
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
                (void) read_dsn_mac(dev->pci.address, mac);
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

const MgmtItem *mgmt_next_unresolved_mac(const Mgmt *m, const MgmtItem *item) {
        for (size_t i = item ? (size_t) (item - m->items) + 1 : 0; i < m->n_items; i++)
                if (m->items[i].kind == MGMT_MAC && !m->items[i].resolved)
                        return &m->items[i];
        return NULL;
}
