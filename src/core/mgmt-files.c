/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"
#include "mgmt.h"
#include "mgmt-internal.h"
#include "rootdir.h"
#include "util.h"

/*
 * The network configuration files of systemd-networkd, NetworkManager and ifupdown, as each tool
 * reads them (netplan: netplan.c; renames: mgmt-rename.c). What cannot be read or parsed where it
 * says which device it is for is a MGMT_ANY item.
 */

/* ---- network configuration files ---- */

/* A file that is there but cannot be read (not a regular file, EACCES, EIO) could name any NIC:
 * fail closed. A missing one names none. The gate's refusal names the file (logged here at
 * debug level only: a host whose rules pick no NIC has nothing to refuse). */
int mgmt_unreadable(Mgmt *m, const char *path, int err) {
        if (err == ENOMEM)
                return -ENOMEM;
        if (err == ENOENT || err == ENOTDIR)
                return 0;
        log_debug("Cannot read %s: %s; it could name the management NIC, so no rule takes a NIC it "
                    "could name.", path, err == EBADFD ? "not a regular file" : strerror(err));
        return mgmt_add(m, MGMT_ANY, path, strlen(path), "cannot be read (%s)",
                        err == EBADFD ? "not a regular file" : strerror(err));
}

int mgmt_malformed(Mgmt *m, const char *path, unsigned line, const char *what) {
        if (line > 0) {
                log_debug("%s:%u: %s; the file could name the management NIC, so no rule takes a NIC it "
                            "could name.", path, line, what);
                return mgmt_add(m, MGMT_ANY, path, strlen(path), "cannot be parsed at line %u (%s)", line, what);
        }
        log_debug("%s: %s; the file could name the management NIC, so no rule takes a NIC it could name.",
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

/* The sections of networkd's and NetworkManager's files that say which device they are for; ""
 * is before the first section. */
static bool match_section(const char *section) {
        return streq(section, "") || streq(section, "Match") || streq(section, "connection") ||
               streq(section, "ethernet") || streq(section, "802-3-ethernet") || streq(section, "match") ||
               streq(section, "vlan");
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

/* A key file's line that ends in a backslash goes on in the next (systemd's parser): *joined
 * collects such lines. Returns the whole statement to read now (NULL: it goes on), or sets *r
 * to -ENOMEM. */
static char *continued(char **joined, char *s, bool ini, int *r) {
        size_t n = strlen(s);
        char *next;

        if (ini && n > 0 && s[n - 1] == '\\' && *s != '#' && *s != ';') {
                s[n - 1] = ' ';
                next = strjoin3(*joined ?: "", s, NULL);
                if (!next)
                        *r = -ENOMEM;
                free(*joined);
                *joined = next;
                return NULL;
        }
        if (!*joined)
                return s;
        next = strjoin3(*joined, s, NULL);
        free(*joined);
        *joined = next;
        if (!next)
                *r = -ENOMEM;
        return next;
}

/* One statement of a file: a section header (into section), a broken line, or cb's. */
static int statement(Mgmt *m, const char *path, unsigned line, char section[static 64], char *s, line_cb cb,
                     FileMode mode) {
        if (*s == '#' || *s == ';' || *s == 0)
                return 0;
        if (mode == FILE_INI && ini_broken(s))
                return match_section(section) || *s == '[' ? mgmt_malformed(m, path, line, ini_broken(s)) : 0;
        if (*s == '[') {
                /* Cut to 63 bytes, a long name still matches none of the sections we read. */
                (void) snprintf(section, 64, "%.*s", (int) strcspn(s + 1, "]"), s + 1);
                return 0;
        }
        return cb(m, path, line, section, s);
}

int mgmt_for_each_line(Mgmt *m, const char *path, line_cb cb, FileMode mode) {
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_free_ char *buf = NULL, *joined = NULL;
        char section[64] = "";
        size_t cap = 0;
        unsigned line = 0, first = 0;
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
                first = joined ? first : line;
                s = continued(&joined, s, mode == FILE_INI, &r);
                if (!s)
                        continue;
                r = statement(m, path, first, section, strip(s), cb, mode);
                free(joined);
                joined = NULL;
        }
        if (r >= 0 && ferror(f))
                return file_unreadable(m, path, errno, mode);
        return r;
}

static int for_each_line(Mgmt *m, const char *path, line_cb cb) {
        return mgmt_for_each_line(m, path, cb, FILE_PLAIN);
}

static int for_each_ini_line(Mgmt *m, const char *path, line_cb cb) {
        return mgmt_for_each_line(m, path, cb, FILE_INI);
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
                if (kind == MGMT_PCI && mgmt_is_pattern(tok)) {
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

bool mgmt_match_condition(char *text) {
        static const char *const conditions[] = { "Host", "Virtualization", "KernelCommandLine", "KernelVersion",
                                                  "Architecture", "Credential", "Firmware" };

        for (size_t i = 0; i < ELEMENTSOF(conditions); i++)
                if (kv(text, conditions[i]))
                        return true;
        return false;
}

/*
 * What the [Match] of one .network file and its drop-ins select by (systemd.network(5)): all of
 * its keys must match, so a name, a MAC or a path is enough to know the device before probe.
 * Without one, a key that no device shows before its driver probes (Driver=, Type=ether,
 * Property=, OriginalName=) lets the file configure any NIC that turns out to match: a MGMT_ANY
 * item, unless another key keeps it off wired ports (Kind= of a virtual device, a Type= that is
 * not ether, the wireless keys). Host conditions select no device; a file of only those is
 * ignored by networkd.
 */
typedef struct NetworkdMatch {
        bool device;           /* a Name=, MACAddress=, PermanentMACAddress= or Path= */
        bool not_wired;        /* a key no wired PCI port matches */
        char *other;           /* the first other key, "Driver= (path:line)"; NULL when none */
} NetworkdMatch;

static NetworkdMatch networkd_match;

/* Whether a Type= or Kind= value keeps the file off wired ports: no word negated, none
 * matching what such a port is ("ether" for Type=; it has no kind at all). */
static bool off_wired(const char *v, bool kind) {
        _cleanup_free_ char *copy = strdup(v);
        char *save = NULL;

        if (!copy)
                return false;  /* fail closed: the key then counts as one that could match */
        for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
                if (w[0] == '!' || (!kind && fnmatch(w, "ether", 0) == 0))
                        return false;
        return true;
}

static int networkd_other_key(const char *path, unsigned line, char *text) {
        static const char *const wireless[] = { "WLANInterfaceType", "SSID", "BSSID" };
        const char *v;

        if (mgmt_match_condition(text))
                return 0;
        for (size_t i = 0; i < ELEMENTSOF(wireless); i++)
                if (kv(text, wireless[i]))
                        networkd_match.not_wired = true;
        if (((v = kv(text, "Kind")) && off_wired(v, true)) || ((v = kv(text, "Type")) && off_wired(v, false)))
                networkd_match.not_wired = true;
        if (networkd_match.other)
                return 0;
        if (asprintf(&networkd_match.other, "%.*s= (%s:%u)", (int) strcspn(text, " \t="), text, path, line) < 0) {
                networkd_match.other = NULL;
                return -ENOMEM;
        }
        return 0;
}

/* After a file and its drop-ins were read (r, what that returned): the MGMT_ANY item of a file
 * that matches by other keys only. The state is reset for the next file either way. */
static int networkd_match_done(Mgmt *m, const char *path, int r) {
        _cleanup_free_ char *other = TAKE_PTR(networkd_match.other);
        bool any = other && !networkd_match.device && !networkd_match.not_wired;

        networkd_match = (NetworkdMatch) {};
        if (r < 0 || !any)
                return r;
        return mgmt_add(m, MGMT_ANY, path, strlen(path), "matches its interfaces by %s, which no device shows "
                        "before its driver probes, and by no name, MAC or path", other);
}

static int networkd_line(Mgmt *m, const char *path, unsigned line, char *section, char *text) {
        const char *v;

        if (!streq(section, "Match"))
                return 0;
        if ((v = kv(text, "Name")) || (v = kv(text, "MACAddress")) || (v = kv(text, "PermanentMACAddress")) ||
            (v = kv(text, "Path")))
                networkd_match.device = networkd_match.device || !isempty(v);
        if ((v = kv(text, "Name")))
                return add_words(m, MGMT_NAME, v, path, line);
        if ((v = kv(text, "MACAddress")) || (v = kv(text, "PermanentMACAddress")))
                return add_words(m, MGMT_MAC, v, path, line);
        if ((v = kv(text, "Path")))
                return add_words(m, MGMT_PCI, v, path, line);
        return networkd_other_key(path, line, text);
}

/*
 * What one NetworkManager keyfile selects its device by (nm-settings-keyfile(5)): a connection
 * of type ethernet with no interface-name=, no mac-address= and no [match] interface-name= or
 * path= activates on whichever NIC it finds, and a [match] driver= says nothing before probe:
 * then the file is a MGMT_ANY item.
 */
typedef struct NmMatch {
        bool device;           /* an interface name, a MAC or a path */
        unsigned ethernet;     /* the line of type=ethernet, 0 when none */
        unsigned driver;       /* the line of [match] driver=, 0 when none */
} NmMatch;

static NmMatch nm_match;

/* A keyfile list ("eno1;|eno2;&!eno3"): the elements separated by spaces, without the "|", "&"
 * ("optional", "mandatory") and "~" marks, "!" kept (mgmt_glob_matches() inverts). */
static char *nm_list(const char *v) {
        char *out = malloc(strlen(v) + 1), *o = out;
        bool start = true;

        if (!out)
                return NULL;
        for (const char *p = v; *p; p++) {
                if (*p == ';' || *p == ' ' || *p == '\t') {
                        *o++ = ' ';
                        start = true;
                } else if (!start || !strchr("|&~", *p)) {
                        *o++ = *p;
                        start = false;
                }
        }
        *o = 0;
        return out;
}

static int nm_match_line(Mgmt *m, const char *path, unsigned line, char *text) {
        _cleanup_free_ char *list = NULL;
        const char *v;
        MgmtKind kind;

        if ((v = kv(text, "driver")) && !isempty(v)) {
                nm_match.driver = nm_match.driver ?: line;
                return 0;
        }
        if ((v = kv(text, "interface-name")))
                kind = MGMT_NAME;
        else if ((v = kv(text, "path")))
                kind = MGMT_PCI;
        else
                return 0;
        list = nm_list(v);
        if (!list)
                return -ENOMEM;
        nm_match.device = nm_match.device || !isempty(strip(list));
        return add_words(m, kind, list, path, line);
}

/* A VLAN's parent= is an interface name or the UUID of the parent's connection (which names it). */
static bool nm_uuid(const char *v) {
        return strlen(v) == 36 && strspn(v, "0123456789abcdefABCDEF-") == 36;
}

static int nm_line(Mgmt *m, const char *path, unsigned line, char *section, char *text) {
        const char *v;

        if (streq(section, "connection") && (v = kv(text, "type")) &&
            (streq(v, "ethernet") || streq(v, "802-3-ethernet")))
                nm_match.ethernet = line;
        if (streq(section, "match"))
                return nm_match_line(m, path, line, text);
        if (streq(section, "vlan") && (v = kv(text, "parent")))
                return nm_uuid(v) ? 0 : add_words(m, MGMT_NAME, v, path, line);
        if ((v = kv(text, "interface-name"))) {
                nm_match.device = nm_match.device || !isempty(v);
                return add_words(m, MGMT_NAME, v, path, line);
        }
        /* [802-3-ethernet] is the setting's long name, which older keyfiles use */
        if ((streq(section, "ethernet") || streq(section, "802-3-ethernet")) && (v = kv(text, "mac-address"))) {
                nm_match.device = nm_match.device || !isempty(v);
                return add_words(m, MGMT_MAC, v, path, line);
        }
        return 0;
}

/* After a keyfile was read (r, what that returned): its MGMT_ANY item when it names no device. */
static int nm_match_done(Mgmt *m, const char *path, int r) {
        NmMatch nm = nm_match;

        nm_match = (NmMatch) {};
        if (r < 0 || nm.device)
                return r;
        if (nm.driver > 0)
                return mgmt_add(m, MGMT_ANY, path, strlen(path), "matches its devices by driver= (line %u), which "
                                "no device shows before its driver probes, and by no interface name, MAC or path",
                                nm.driver);
        if (nm.ethernet > 0)
                return mgmt_add(m, MGMT_ANY, path, strlen(path), "an ethernet connection (line %u) that names no "
                                "interface and no MAC, which NetworkManager activates on any NIC", nm.ethernet);
        return 0;
}

static int ifupdown_line(Mgmt *m, const char *path, unsigned line, char *section, char *text);

/* How deep "source" statements are followed: ifupdown has no limit, a loop ends here. */
static unsigned ifupdown_depth;

/* The files of one walk of ifupdown's configuration read so far, by device and inode, each read
 * once: with the depth limit alone, a file with k statements that source it again (or each other)
 * cost k^8 reads, minutes for a few hundred bytes; and one file has many names ("a", "./a",
 * "x/../a"). A second read adds no evidence the first did not. */
typedef struct FileId {
        dev_t dev;
        ino_t ino;
} FileId;
static FileId *ifupdown_seen;
static size_t ifupdown_n_seen;

/* Directory entries the "source" patterns and "source-directory" of one walk may look at. A
 * configuration holds a few files; a pattern of ".*" and "*" components sources the same
 * directories again and again through "." and ".." (found by fuzz-mgmt: a 2 kB file took more
 * than 300 s). Past this the walk stops, and the file whose statement it was could name any NIC. */
#define IFUPDOWN_MAX_ENTRIES 4096
static size_t ifupdown_entries;

static int ifupdown_file(Mgmt *m, const char *path) {
        struct stat st;
        FileId *n;

        /* one that cannot be looked at is reported when it is read */
        if (root_stat(path, &st) >= 0) {
                for (size_t i = 0; i < ifupdown_n_seen; i++)
                        if (ifupdown_seen[i].dev == st.st_dev && ifupdown_seen[i].ino == st.st_ino)
                                return 0;
                n = reallocarray(ifupdown_seen, ifupdown_n_seen + 1, sizeof(FileId));
                if (!n)
                        return -ENOMEM;
                ifupdown_seen = n;
                n[ifupdown_n_seen++] = (FileId) { st.st_dev, st.st_ino };
        }
        return for_each_line(m, path, ifupdown_line);
}

static void ifupdown_walk_done(void) {
        free(ifupdown_seen);
        ifupdown_seen = NULL;
        ifupdown_n_seen = 0;
        ifupdown_entries = 0;
}

/* readdir() for glob(3) and source-directory, counting against IFUPDOWN_MAX_ENTRIES: NULL (the
 * end, to glob) past it. */
static struct dirent *ifupdown_readdir(void *d) {
        if (ifupdown_entries >= IFUPDOWN_MAX_ENTRIES)
                return NULL;
        ifupdown_entries++;
        return readdir(d);
}

/* glob(3) walks the tree through these: paths resolved inside the root, "/.." at its top too. */
static void *ifupdown_opendir(const char *path) {
        return root_opendir(path);
}

static void ifupdown_closedir(void *d) {
        (void) closedir(d);
}

static int ifupdown_stat(const char *path, struct stat *st) {
        int r = root_stat(path, st);

        if (r < 0) {
                errno = -r;
                return -1;
        }
        return 0;
}

/* run-parts(8)'s names, which "source-directory" reads: letters, digits, '_' and '-'. */
static bool run_parts_name(const char *name) {
        return *name && strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == strlen(name);
}

static int ifupdown_source_directory(Mgmt *m, const char *dir) {
        int r;
        _cleanup_closedir_ DIR *d = opendir_evidence(m, dir, &r);
        _cleanup_(strv_free) Strv paths = {};
        struct dirent *de;

        while (d && r >= 0 && (de = ifupdown_readdir(d)))
                if (run_parts_name(de->d_name))
                        r = strv_push(&paths, strjoin3(dir, "/", de->d_name));
        for (size_t i = 0; i < paths.n && r >= 0; i++)
                r = ifupdown_file(m, paths.v[i]);
        return r;
}

/* "source PATTERN" (glob(3)) and "source-directory DIR", relative to /etc/network. */
static int ifupdown_source(Mgmt *m, const char *arg, bool directory) {
        _cleanup_free_ char *path = arg[0] == '/' ? strdup(arg) : strjoin3("/etc/network/", arg, NULL);
        glob_t g = {};
        int r = 0;

        if (!path)
                return -ENOMEM;
        if (directory)
                return ifupdown_source_directory(m, path);
        /* the directories resolved inside the tree; a pattern that leads nowhere matches nothing */
        g.gl_opendir = ifupdown_opendir;
        g.gl_readdir = ifupdown_readdir;
        g.gl_closedir = ifupdown_closedir;
        g.gl_stat = ifupdown_stat;
        g.gl_lstat = ifupdown_stat;
        if (glob(path, GLOB_ALTDIRFUNC, NULL, &g) == GLOB_NOSPACE)
                return -ENOMEM;
        for (size_t i = 0; i < g.gl_pathc && r >= 0; i++)
                r = ifupdown_file(m, g.gl_pathv[i]);
        globfree(&g);
        return r;
}

static int ifupdown_include(Mgmt *m, const char *path, unsigned line, const char *text) {
        bool directory = startswith(text, "source-directory");
        const char *arg = text + (directory ? 16 : 6);
        char what[64];
        int r;

        if (*arg != ' ' && *arg != '\t')
                return 0;
        arg += strspn(arg, " \t");
        if (ifupdown_depth >= 8 || !*arg || ifupdown_entries >= IFUPDOWN_MAX_ENTRIES)
                return 0;
        ifupdown_depth++;
        r = ifupdown_source(m, arg, directory);
        ifupdown_depth--;
        if (r >= 0 && ifupdown_entries >= IFUPDOWN_MAX_ENTRIES) {
                (void) snprintf(what, sizeof(what), "sources more than %d directory entries", IFUPDOWN_MAX_ENTRIES);
                r = mgmt_malformed(m, path, line, what);
        }
        return r;
}

/* A list's word that takes the kernel's interfaces as they are when the script runs:
 * bridge-utils' "all" and "regex <expr>", ifenslave's "all". NULL when there is none. */
static const char *ifupdown_runtime_word(const char *list) {
        static const char *const words[] = { "all", "regex" };

        for (const char *w = list + strspn(list, " \t"); *w; w += strspn(w, " \t")) {
                size_t n = strcspn(w, " \t");

                for (size_t i = 0; i < ELEMENTSOF(words); i++)
                        if (n == strlen(words[i]) && strneq(w, words[i], n))
                                return words[i];
                w += n;
        }
        return NULL;
}

static int ifupdown_line(Mgmt *m, const char *path, unsigned line, char *section, char *text) {
        static const char *const lists[] = { "bond-slaves", "bond_slaves", "slaves", "bridge-ports",
                                             "bridge_ports", "vlan-raw-device", "vlan_raw_device" };
        char name[64], family[16];
        int words;

        if (startswith(text, "source"))
                return ifupdown_include(m, path, line, text);
        /* "iface NAME inet|inet6 METHOD"; ifupdown2 takes "iface NAME" alone too */
        words = startswith(text, "iface") && (text[5] == ' ' || text[5] == '\t')
                        ? sscanf(text, "iface %63s %15s", name, family) : 0;
        if (words >= 1 && !streq(name, "lo") && (words == 1 || streq(family, "inet") || streq(family, "inet6")))
                return mgmt_add(m, MGMT_NAME, name, strlen(name), "%s:%u", path, line);
        for (size_t i = 0; i < ELEMENTSOF(lists); i++) {
                size_t n = strlen(lists[i]);

                const char *word;

                if (strncmp(text, lists[i], n) != 0 || (text[n] != ' ' && text[n] != '\t') ||
                    strstr(text + n, "none"))
                        continue;
                word = ifupdown_runtime_word(text + n);
                if (word)
                        return mgmt_add(m, MGMT_ANY, path, strlen(path), "line %u takes \"%s\" interfaces, as the "
                                        "kernel has them when it runs, which names no device before its driver "
                                        "probes", line, word);
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

/* dir's files whose names end in suffix ("": all but NetworkManager's ignored ones); done, when
 * given, after each file, with what reading it returned. */
static int collect_dir_files(Mgmt *m, const char *dir, const char *suffix, line_cb cb, FileMode mode,
                             int (*done)(Mgmt *m, const char *path, int r)) {
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
                r = mgmt_for_each_line(m, path, cb, mode);
                if (done)
                        r = done(m, path, r);
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
        _cleanup_close_ int fd = -EBADF;
        char target[16];
        struct stat st;

        /* the entry itself first: a link to /dev/null masks, even where the tree has no /dev */
        if (root_readlink(path, target, sizeof(target)) > 0 && streq(target, "/dev/null"))
                return 1;
        fd = root_open(path, O_PATH, 0);
        if (fd < 0)
                return fd;
        if (fstat(fd, &st) < 0)
                return -errno;
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
        int r;

        m->reading = MGMT_FROM_NETWORKD;
        r = mgmt_networkd_files(m, ".network", &files);
        for (size_t i = 0; i < files.n && r >= 0; i++) {
                _cleanup_(strv_free) Strv dropins = {};
                _cleanup_free_ char *sub = strjoin3("/", strrchr(files.v[i], '/') + 1, ".d");

                r = for_each_ini_line(m, files.v[i], networkd_line);
                if (r >= 0)
                        r = sub ? mgmt_conf_files(m, networkd_dirs, ELEMENTSOF(networkd_dirs), sub, ".conf",
                                                  &dropins) : -ENOMEM;
                for (size_t j = 0; j < dropins.n && r >= 0; j++)
                        r = for_each_ini_line(m, dropins.v[j], networkd_line);
                r = networkd_match_done(m, files.v[i], r);
        }
        if (r >= 0)
                r = mgmt_networkd_files(m, ".netdev", &netdevs);
        for (size_t i = 0; i < netdevs.n && r >= 0; i++)
                r = for_each_ini_line(m, netdevs.v[i], netdev_line);
        return r;
}

/* NetworkManager's keyfiles: /etc's whatever their names (nm_ignored()), the others' .nmconnection. */
static int collect_networkmanager(Mgmt *m) {
        int r = 0;

        m->reading = MGMT_FROM_NETWORKMANAGER;
        RET_GATHER(r, collect_dir_files(m, "/etc/NetworkManager/system-connections", "", nm_line, FILE_INI,
                                        nm_match_done));
        RET_GATHER(r, collect_dir_files(m, "/run/NetworkManager/system-connections", ".nmconnection", nm_line,
                                        FILE_INI, nm_match_done));
        RET_GATHER(r, collect_dir_files(m, "/usr/lib/NetworkManager/system-connections", ".nmconnection", nm_line,
                                        FILE_INI, nm_match_done));
        return r;
}

static int collect_ifupdown(Mgmt *m) {
        int r = 0;

        m->reading = MGMT_FROM_IFUPDOWN;
        RET_GATHER(r, ifupdown_file(m, "/etc/network/interfaces"));
        RET_GATHER(r, collect_dir_files(m, "/etc/network/interfaces.d", "", ifupdown_line, FILE_PLAIN,
                                        NULL));
        ifupdown_walk_done();
        return r;
}

int mgmt_collect_config(Mgmt *m) {
        int r = 0;

        RET_GATHER(r, collect_networkd(m));
        RET_GATHER(r, mgmt_collect_netplan(m));
        RET_GATHER(r, collect_networkmanager(m));
        RET_GATHER(r, collect_ifupdown(m));
        RET_GATHER(r, mgmt_collect_renames(m));
        return r;
}

