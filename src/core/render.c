/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "cleanup.h"
#include "config-build.h"
#include "render.h"

/*
 * The plan as units. Static units in UNITDIR carry the logic that never changes (the bind
 * template, the reservation, verification); this file only instantiates them, and writes the two
 * kinds of unit whose text depends on the config: hugetlbfs mounts and the datapath service.
 *
 * In the real root, what dpdk-boot.target pulls in is one drop-in of Wants= lines, not a .wants
 * symlink per unit: this runs at every boot with a bind instance per device, and one file costs
 * less than 72 links (a tmpfs symlink is a new inode and dentry each). The initramfs keeps its
 * .wants links, which dracut's shell-init hook reads. Names are made in stack buffers, and each
 * unit's text is made in memory and written at once.
 */

#define BIND_PREFIX "dpdk-boot-bind@"
#define BIND_SUFFIX ".service"
#define BIND_TARGET UNITDIR "/" UNIT_BIND_TEMPLATE
#define MOUNT_SUFFIX ".mount"

/* prefix + escaped s + suffix into buf: its length, or -ENAMETOOLONG. Inline, so that the lengths
 * of the literal prefix and suffix are known when compiling. */
static inline int escaped_name(const char *prefix, const char *s, const char *suffix, char *buf,
                               size_t size) {
        size_t lp = strlen(prefix), ls = strlen(suffix);
        int n;

        if (size <= lp + ls)
                return -ENAMETOOLONG;
        memcpy(buf, prefix, lp);
        n = unit_name_escape_buf(s, buf + lp, size - lp - ls);
        if (n < 0)
                return n;
        memcpy(buf + lp + (size_t) n, suffix, ls + 1);
        return (int) (lp + (size_t) n + ls);
}

/* The same, allocated: as long as it needs to be. */
static char *escaped_name_alloc(const char *prefix, const char *s, const char *suffix) {
        size_t size = strlen(prefix) + strlen(s) * 4 + strlen(suffix) + 1;
        char *r = malloc(size);

        if (r)
                (void) escaped_name(prefix, s, suffix, r, size); /* room for every byte escaped */
        return r;
}

/* "dpdk-boot-bind@0000:3b:00.0.service" */
#define BIND_NAME_LEN (sizeof(BIND_PREFIX) - 1 + 12 + sizeof(BIND_SUFFIX) - 1)

/* What escaping leaves as it is, of what a PCI address can hold. */
static const bool plain_char[256] = {
        ['0' ... '9'] = true, ['a' ... 'z'] = true, ['A' ... 'Z'] = true, [':'] = true, ['.'] = true,
};

/* Whether escaping leaves address as it is and it has the length of a normalised one: twelve
 * letters, digits, ':' or '.', not a '.' first. */
static bool address_is_plain(const char *address) {
        bool plain = address[0] != '.';

        /* All twelve looked at, without a branch per character (nor a loop); a NUL is not
         * plain, so nothing after one decides anything. */
#pragma GCC unroll 12
        for (size_t i = 0; i < 12; i++)
                plain &= plain_char[(unsigned char) address[i]];
        return plain && address[12] == 0;
}

static int bind_instance_name(const char *address, char *buf, size_t size) {
        /* The plan's addresses are normalised: copied whole, in sizes known when compiling. */
        if (size > BIND_NAME_LEN && address_is_plain(address)) {
                memcpy(buf, BIND_PREFIX, sizeof(BIND_PREFIX) - 1);
                memcpy(buf + sizeof(BIND_PREFIX) - 1, address, 12);
                memcpy(buf + sizeof(BIND_PREFIX) - 1 + 12, BIND_SUFFIX, sizeof(BIND_SUFFIX));
                return (int) BIND_NAME_LEN;
        }
        return escaped_name(BIND_PREFIX, address, BIND_SUFFIX, buf, size);
}

static const char *mount_path_to_escape(const char *where) {
        return where[0] == '/' ? where + 1 : where;
}

char *unit_bind_instance(const char *address) {
        return escaped_name_alloc(BIND_PREFIX, address, BIND_SUFFIX);
}

char *unit_mount_name(const char *where) {
        return escaped_name_alloc("", mount_path_to_escape(where), MOUNT_SUFFIX);
}

static int mkdir_one(const char *path) {
        if (mkdir(path, 0755) < 0 && errno != EEXIST)
                return -errno;
        return 0;
}

/* dst = a + b + c, or -ENAMETOOLONG; no allocation (a generator writes a link per device). */
static int path_join3(char *dst, size_t size, const char *a, const char *b, const char *c) {
        size_t la = strlen(a), lb = strlen(b), lc = strlen(c);

        if (la + lb + lc >= size)
                return -ENAMETOOLONG;
        memcpy(dst, a, la);
        memcpy(dst + la, b, lb);
        memcpy(dst + la + lb, c, lc + 1);
        return 0;
}

/*
 * dir/<unit>.wants, made and opened with its first link, so that a directory without links is
 * never made. The links of all devices go into one such directory: each is then a single
 * symlinkat() on its name, with no path to build and no directory to make again.
 */
typedef struct Wants {
        const char *dir;
        const char *unit;
        int fd;
} Wants;

#define WANTS_INIT(d, u) { .dir = (d), .unit = (u), .fd = -EBADF }

static void wants_close(Wants *w) {
        closep(&w->fd);
}

static int wants_open(Wants *w) {
        char path[PATH_MAX];
        size_t n;
        int r;

        r = path_join3(path, sizeof(path), w->dir, "/", w->unit);
        if (r < 0)
                return r;
        n = strlen(path);
        r = path_join3(path + n, sizeof(path) - n, ".wants", "", "");
        if (r < 0)
                return r;
        r = mkdir_one(path);
        if (r < 0)
                return r;
        /* O_PATH: the descriptor only anchors the *at() calls; nothing is read through it. */
        w->fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        return w->fd < 0 ? -errno : 0;
}

/* <unit>.wants/<name> -> target; an existing link is fine. */
static int wants_link(Wants *w, const char *name, const char *target) {
        int r;

        if (w->fd < 0) {
                r = wants_open(w);
                if (r < 0)
                        return r;
        }
        if (symlinkat(target, w->fd, name) < 0 && errno != EEXIST)
                return -errno;
        return 0;
}

static int want_static(Wants *w, const char *unit) {
        char target[PATH_MAX];
        int r;

        r = path_join3(target, sizeof(target), UNITDIR, "/", unit);
        if (r < 0)
                return r;
        return wants_link(w, unit, target);
}

static int want_generated(Wants *w, const char *unit) {
        char target[PATH_MAX];
        int r;

        r = path_join3(target, sizeof(target), "../", unit, "");
        if (r < 0)
                return r;
        return wants_link(w, unit, target);
}

/* O_EXCL: a second writer of the same unit is a bug, and must say so. */
#define UNIT_HEADER "# Automatically generated by dpdk-boot-generator\n\n"

/* The unit's text, made in memory beforehand: a unit that cannot be made whole is not created.
 * One writev() of the header and the text, no stdio: its buffer and the fstat() behind it cost
 * more than the write itself. A short write (a full /run) is continued, then reported. */
static int write_unit_file(const char *dir, const char *name, const Buf *text) {
        char path[PATH_MAX];
        struct iovec iov[2] = {
                { .iov_base = (void *) UNIT_HEADER, .iov_len = sizeof(UNIT_HEADER) - 1 },
                { .iov_base = text->data, .iov_len = text->len },
        };
        struct iovec *v = iov;
        int n = 2, r;
        _cleanup_close_ int fd = -EBADF;

        r = path_join3(path, sizeof(path), dir, "/", name);
        if (r < 0)
                return r;
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0666);
        if (fd < 0)
                return -errno;
        while (n > 0) {
                ssize_t k = writev(fd, v, n);

                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (k == 0)
                        return -EIO;
                for (; n > 0 && (size_t) k >= v->iov_len; v++, n--)
                        k -= (ssize_t) v->iov_len;
                if (n > 0) {
                        v->iov_base = (char *) v->iov_base + k;
                        v->iov_len -= (size_t) k;
                }
        }
        r = close(TAKE_FD(fd));
        return r < 0 && errno != EINTR ? -errno : 0;
}

/*
 * Whether a command line can go into ExecStart= as it is: no control character (a newline would
 * start a new unit line), and no backslash at the end (the unit line would continue onto the
 * next one, taking it into the command).
 */
static bool exec_line_valid(const char *s) {
        size_t n = strlen(s);

        return !string_has_cc(s) && (n == 0 || s[n - 1] != '\\');
}

/*
 * ExecStart= as systemd reads it: a '%' would be a unit specifier, so it is doubled; a word that
 * is a lone ';' would start a second command, so it is escaped as "\;", a literal argument. Both
 * are rare: the text between them is copied in runs.
 */
static int put_exec_escaped(Buf *b, const char *s) {
        for (const char *c = s;; c++) {
                size_t n = strcspn(c, "%;");
                int r;

                r = buf_putn(b, c, n);
                if (r < 0)
                        return r;
                c += n;
                if (!*c)
                        return 0;
                if (*c == '%')
                        r = buf_put(b, "%%");
                else if ((c == s || isspace((unsigned char) c[-1])) &&
                         (!c[1] || isspace((unsigned char) c[1])))
                        r = buf_put(b, "\\;");
                else
                        r = buf_put(b, ";");
                if (r < 0)
                        return r;
        }
}

/*
 * Requires= + After= on every step, so a unit starts only after all of them succeeded. Kept as
 * the finished lines, since every datapath unit takes them as they are; room is made first, so
 * that a failure adds nothing. Inline: with n known when compiling (add_bind()), the copies
 * are a few moves.
 */
static inline int add_dep_n(Buf *deps, const char *unit, size_t n) {
        static const char requires[] = "Requires=", after[] = "\nAfter=";
        char *t;

        if (!buf_room(deps, sizeof(requires) - 1 + n + sizeof(after) - 1 + n + 1))
                return -ENOMEM;
        t = mempcpy(deps->data + deps->len, requires, sizeof(requires) - 1);
        t = mempcpy(t, unit, n);
        t = mempcpy(t, after, sizeof(after) - 1);
        t = mempcpy(t, unit, n);
        *t++ = '\n';
        *t = 0;
        deps->len = (size_t) (t - deps->data);
        return 0;
}

static int add_dep(Buf *deps, const char *unit) {
        return add_dep_n(deps, unit, strlen(unit));
}

/* "Wants=<unit>" in the drop-in of dpdk-boot.target; room is made first, as in add_dep_n(). */
static inline int add_want_n(Buf *wants, const char *unit, size_t n) {
        static const char key[] = "Wants=";
        char *t;

        if (!buf_room(wants, sizeof(key) - 1 + n + 1))
                return -ENOMEM;
        t = mempcpy(wants->data + wants->len, key, sizeof(key) - 1);
        t = mempcpy(t, unit, n);
        *t++ = '\n';
        *t = 0;
        wants->len = (size_t) (t - wants->data);
        return 0;
}

static int add_want(Buf *wants, const char *unit) {
        return add_want_n(wants, unit, strlen(unit));
}

/* The lines of a bind instance. Its name is BIND_NAME_LEN bytes in the common case, passed as the
 * constant so that the inlined copies have sizes known when compiling. */
static int add_bind(Buf *deps, Buf *wants, const char *name, size_t n) {
        int r = 0;

        if (n == BIND_NAME_LEN) {
                RET_GATHER(r, add_want_n(wants, name, BIND_NAME_LEN));
                RET_GATHER(r, add_dep_n(deps, name, BIND_NAME_LEN));
        } else {
                RET_GATHER(r, add_want_n(wants, name, n));
                RET_GATHER(r, add_dep_n(deps, name, n));
        }
        return r;
}

static int put_deps(Buf *b, const Buf *deps) {
        return deps->len > 0 ? buf_putn(b, deps->data, deps->len) : 0;
}

static int write_mount(const char *dir, const Plan *p, const PlanHugepages *h, char *name, size_t size) {
        _cleanup_(buf_free) Buf b = {};
        char sz[16], kb[21], mode[24] = "";
        int r;

        r = escaped_name("", mount_path_to_escape(h->mount_point), MOUNT_SUFFIX, name, size);
        if (r < 0)
                return r;
        format_page_size(h->size_kb, sz);
        format_uint64(h->size_kb, kb);
        /* Mode= of a non-root datapath; the owner is set by `dpdk-boot grant` (names need NSS). */
        if (p->datapath.mode && p->do_datapath)
                (void) snprintf(mode, sizeof(mode), ",mode=%04o", mode_for_directory(p->datapath.mode));
        r = buf_extend(&b,
                "[Unit]\n"
                "Description=Hugepages (", sz, ") for DPDK at ", h->mount_point, "\n"
                "Documentation=man:dpdk-boot-generator(8)\n"
                "SourcePath=", str_or_null(p->source), "\n"
                "DefaultDependencies=no\n"
                "Before=sysinit.target " UNIT_VERIFY " " UNIT_TARGET "\n"
                "ConditionPathExists=/sys/kernel/mm/hugepages/hugepages-", kb, "kB\n"
                "ConditionCapability=CAP_SYS_ADMIN\n"
                "\n"
                "[Mount]\n"
                "What=hugetlbfs\n"
                "Where=", h->mount_point, "\n"
                "Type=hugetlbfs\n"
                "Options=pagesize=", sz, mode, "\n");
        if (r < 0)
                return r;
        return write_unit_file(dir, name, &b);
}

static bool wants_grant(const PlanDatapath *pd) {
        return pd->user || pd->group || pd->mode;
}

/* The [Service] lines every preset's datapath gets from us: ownership of its pages and VFIO
 * groups ('+': as root, before User= applies), and the hand-back on a clean stop. */
static int put_service_hooks(Buf *b, const PlanDatapath *pd) {
        int r = 0;

        if (wants_grant(pd))
                RET_GATHER(r, buf_put(b, "ExecStartPre=+" SBINDIR "/dpdk-boot grant\n"));
        if (pd->restore_on_stop)
                RET_GATHER(r, buf_put(b, "ExecStopPost=+" SBINDIR "/dpdk-boot restore --on-stop\n"));
        return r;
}

/* Preset=testpmd and custom: our own service. */
static int write_datapath(const char *dir, const Plan *p, const Buf *deps) {
        const PlanDatapath *pd = &p->datapath;
        _cleanup_(buf_free) Buf b = {};
        char limit[21];
        int r = 0;

        /* Checked before the file exists: a refused command leaves no half-written unit. */
        if (!exec_line_valid(pd->exec_start))
                return -EINVAL;
        RET_GATHER(r, buf_extend(&b,
                "[Unit]\n"
                "Description=DPDK datapath (", datapath_preset_to_string(pd->preset), ")\n"
                "Documentation=man:dpdk-boot-generator(8)\n"
                "SourcePath=", str_or_null(p->source), "\n"
                "After=network-pre.target\n"
                "Before=" UNIT_TARGET " " UNIT_DATAPATH_TARGET "\n"
                "PartOf=" UNIT_TARGET "\n"));
        if (pd->restart_limit > 0)
                RET_GATHER(r, buf_extend(&b,
                        "StartLimitIntervalSec=10min\n"
                        "StartLimitBurst=", format_uint64(pd->restart_limit, limit), "\n"));
        RET_GATHER(r, put_deps(&b, deps));
        RET_GATHER(r, buf_put(&b,
                "\n"
                "[Service]\n"
                "Type=simple\n"));
        if (pd->user)
                RET_GATHER(r, buf_extend(&b, "User=", pd->user, "\n"));
        if (pd->group)
                RET_GATHER(r, buf_extend(&b, "Group=", pd->group, "\n"));
        if (pd->user)
                /* EAL keeps its runtime files in $XDG_RUNTIME_DIR when it is not root. */
                RET_GATHER(r, buf_put(&b,
                        "RuntimeDirectory=dpdk-boot-datapath\n"
                        "Environment=XDG_RUNTIME_DIR=%t/dpdk-boot-datapath\n"));
        RET_GATHER(r, put_service_hooks(&b, pd));
        RET_GATHER(r, buf_put(&b, "ExecStart="));
        RET_GATHER(r, put_exec_escaped(&b, pd->exec_start));
        RET_GATHER(r, buf_extend(&b,
                "\n"
                "StandardInput=null\n"
                "LimitMEMLOCK=infinity\n"
                "Restart=", pd->restart_limit > 0 ? "on-failure" : "no", "\n"
                "RestartSec=5s\n"
                "KillSignal=SIGINT\n"
                "TimeoutStopSec=30s\n"));
        if (pd->preset == DATAPATH_TESTPMD)
                /* What testpmd needs: /dev/vfio, its pages, /sys to read, /run for EAL; no more.
                 * A custom application gets the same through a drop-in of its own. */
                RET_GATHER(r, buf_put(&b,
                        "NoNewPrivileges=yes\n"
                        "ProtectSystem=full\n"
                        "ProtectHome=yes\n"
                        "PrivateTmp=yes\n"
                        "ProtectControlGroups=yes\n"
                        "ProtectKernelModules=yes\n"
                        "LockPersonality=yes\n"
                        "RestrictRealtime=yes\n"));
        if (r < 0)
                return r;
        return write_unit_file(dir, UNIT_DATAPATH, &b);
}

/* dir/<unit>.d/50-dpdk-boot.conf, for a unit another package owns. */
static int write_dropin(const char *dir, const char *unit, const Buf *text) {
        char path[PATH_MAX], name[PATH_MAX];
        int r;

        r = path_join3(name, sizeof(name), unit, ".d/", DROPIN_NAME);
        if (r < 0)
                return r;
        r = path_join3(path, sizeof(path), dir, "/", unit);
        if (r < 0)
                return r;
        r = path_join3(path + strlen(path), sizeof(path) - strlen(path), ".d", "", "");
        if (r < 0)
                return r;
        r = mkdir_one(path);
        if (r < 0)
                return r;
        return write_unit_file(dir, name, text);
}

/*
 * Preset=ovs: a oneshot that writes the DPDK settings, bridges and ports into ovsdb (ovsdb-server
 * up, ovs-vswitchd not yet), and a drop-in that makes ovs-vswitchd wait for it. Open vSwitch's own
 * units stay as its package ships them.
 */
static int write_ovs(const char *dir, const Plan *p, const Buf *deps) {
        const PlanDatapath *pd = &p->datapath;
        _cleanup_(buf_free) Buf b = {}, dropin = {};
        int r = 0;

        RET_GATHER(r, buf_extend(&b,
                "[Unit]\n"
                "Description=Open vSwitch DPDK settings, bridges and ports from the DPDK host config\n"
                "Documentation=man:dpdk-boot(8) man:dpdk-boot.conf(5)\n"
                "SourcePath=", str_or_null(p->source), "\n"
                "Requires=" UNIT_OVSDB "\n"
                "After=" UNIT_OVSDB "\n"
                "Before=" UNIT_OVS_VSWITCHD " " UNIT_TARGET "\n"
                "PartOf=" UNIT_TARGET "\n"));
        RET_GATHER(r, put_deps(&b, deps));
        RET_GATHER(r, buf_put(&b,
                "\n"
                "[Service]\n"
                "Type=oneshot\n"
                "RemainAfterExit=yes\n"
                "ExecStart=" SBINDIR "/dpdk-boot ovs-setup\n"));
        if (r < 0)
                return r;
        r = write_unit_file(dir, UNIT_OVS_SETUP, &b);
        if (r < 0)
                return r;

        RET_GATHER(r, buf_put(&dropin,
                "# ovs-vswitchd starts with DPDK only on a verified host, with the settings above.\n"
                "[Unit]\n"
                "Requires=" UNIT_OVS_SETUP "\n"
                "After=" UNIT_OVS_SETUP "\n"
                "Before=" UNIT_DATAPATH_TARGET "\n"));
        if (wants_grant(pd) || pd->restore_on_stop) {
                RET_GATHER(r, buf_put(&dropin, "\n[Service]\n"));
                RET_GATHER(r, put_service_hooks(&dropin, pd));
        }
        if (r < 0)
                return r;
        return write_dropin(dir, UNIT_OVS_VSWITCHD, &dropin);
}

/*
 * Preset=vpp: VPP reads a startup.conf we complete from its own (dpdk-boot vpp-config), and
 * starts after every step. The hugepages are asserted again right before it: the sysctl.d file
 * of VPP's package sets vm.nr_hugepages whenever it is applied.
 */
static int write_vpp(const char *dir, const Plan *p, const Buf *deps) {
        const PlanDatapath *pd = &p->datapath;
        _cleanup_(buf_free) Buf b = {};
        int r = 0;

        RET_GATHER(r, buf_extend(&b,
                "# VPP starts on a verified host, with the cpu and dpdk sections of this plan.\n"
                "[Unit]\n"
                "SourcePath=", str_or_null(p->source), "\n"
                "Before=" UNIT_DATAPATH_TARGET "\n"));
        RET_GATHER(r, put_deps(&b, deps));
        RET_GATHER(r, buf_put(&b, "\n[Service]\n"));
        if (p->do_hugepages)
                RET_GATHER(r, buf_put(&b, "ExecStartPre=" SBINDIR "/dpdk-boot reserve\n"));
        RET_GATHER(r, buf_put(&b, "ExecStartPre=" SBINDIR "/dpdk-boot vpp-config\n"));
        RET_GATHER(r, put_service_hooks(&b, pd));
        RET_GATHER(r, buf_put(&b,
                "ExecStart=\n"
                "ExecStart=" VPP_PATH " -c " VPP_STARTUP_CONF "\n"));
        if (r < 0)
                return r;
        return write_dropin(dir, UNIT_VPP, &b);
}

/* A target other services order after: reached only once the datapath started. */
static int write_datapath_target(const char *dir, const Plan *p) {
        _cleanup_(buf_free) Buf b = {};
        const char *unit = str_or_null(p->datapath.unit);
        int r;

        r = buf_extend(&b,
                "[Unit]\n"
                "Description=DPDK datapath (", datapath_preset_to_string(p->datapath.preset),
                ") started on a verified host\n"
                "Documentation=man:dpdk-boot(8)\n"
                "SourcePath=", str_or_null(p->source), "\n"
                "Requires=", unit, "\n"
                "After=", unit, "\n");
        if (r < 0)
                return r;
        return write_unit_file(dir, UNIT_DATAPATH_TARGET, &b);
}

static int render_datapath(const char *dir, const Plan *p, const Buf *deps, Buf *target,
                           Wants *multi_user) {
        int ret = 0;

        switch (p->datapath.preset) {
        case DATAPATH_OVS:
                RET_GATHER(ret, write_ovs(dir, p, deps));
                RET_GATHER(ret, add_want(target, UNIT_OVS_SETUP));
                RET_GATHER(ret, add_want(target, UNIT_OVS_VSWITCHD));
                break;
        case DATAPATH_VPP:
                RET_GATHER(ret, write_vpp(dir, p, deps));
                RET_GATHER(ret, add_want(target, UNIT_VPP));
                break;
        default:
                RET_GATHER(ret, write_datapath(dir, p, deps));
                RET_GATHER(ret, add_want(target, UNIT_DATAPATH));
                break;
        }
        RET_GATHER(ret, write_datapath_target(dir, p));
        RET_GATHER(ret, want_generated(multi_user, UNIT_DATAPATH_TARGET));
        return ret;
}

static int render_active(const Plan *p, const char *dir) {
        _cleanup_(wants_close) Wants multi_user = WANTS_INIT(dir, "multi-user.target");
        _cleanup_(buf_free) Buf deps = {}, target = {};
        char name[NAME_MAX + 1];
        int r, ret = 0;

        RET_GATHER(ret, want_static(&multi_user, UNIT_TARGET));
        RET_GATHER(ret, buf_put(&target, "[Unit]\n"));
        RET_GATHER(ret, add_want(&target, UNIT_VERIFY));
        RET_GATHER(ret, add_dep(&deps, UNIT_VERIFY));

        if (p->do_hugepages) {
                RET_GATHER(ret, add_want(&target, UNIT_HUGEPAGES));
                RET_GATHER(ret, add_dep(&deps, UNIT_HUGEPAGES));
        }
        for (size_t i = 0; i < p->n_hugepages; i++) {
                r = write_mount(dir, p, &p->hugepages[i], name, sizeof(name));
                if (RET_GATHER(ret, r) < 0)
                        continue;
                RET_GATHER(ret, add_want(&target, name));
                RET_GATHER(ret, add_dep(&deps, name));
        }
        if (p->do_bind) {
                /* Room for every device's lines at once; without it, each line asks again. */
                (void) buf_reserve(&deps, p->n_devices * (sizeof("Requires=\nAfter=\n") - 1 + 2 * BIND_NAME_LEN));
                (void) buf_reserve(&target, p->n_devices * (sizeof("Wants=\n") - 1 + BIND_NAME_LEN));
        }
        for (size_t i = 0; p->do_bind && i < p->n_devices; i++) {
                if (!p->devices[i].present || p->devices[i].refused)
                        continue;  /* nothing to bind; verify names it */
                r = bind_instance_name(p->devices[i].address, name, sizeof(name));
                if (RET_GATHER(ret, r) < 0)
                        continue;
                RET_GATHER(ret, add_bind(&deps, &target, name, (size_t) r));
        }
        if (p->do_datapath)
                RET_GATHER(ret, render_datapath(dir, p, &deps, &target, &multi_user));
        /* Last, with every Wants= that could be made; as with links, a step that failed is
         * missing and the error returned. */
        RET_GATHER(ret, write_dropin(dir, UNIT_TARGET, &target));
        return ret;
}

/* In the initramfs: only what must happen before the real root's udev sees the devices. */
static int render_initrd(const Plan *p, const char *dir) {
        _cleanup_(wants_close) Wants initrd = WANTS_INIT(dir, "initrd.target");
        char name[NAME_MAX + 1];
        int r, ret = 0;

        if (p->do_hugepages)
                RET_GATHER(ret, want_static(&initrd, UNIT_HUGEPAGES));
        for (size_t i = 0; p->do_bind && i < p->n_devices; i++) {
                /* Handing a device back to its kernel driver waits for the real root: here it
                 * would load that NIC driver into the initramfs. */
                if (!p->devices[i].present || p->devices[i].refused || isempty(p->devices[i].driver))
                        continue;
                r = bind_instance_name(p->devices[i].address, name, sizeof(name));
                if (RET_GATHER(ret, r) < 0)
                        continue;
                RET_GATHER(ret, wants_link(&initrd, name, BIND_TARGET));
        }
        return ret;
}

int render_units(const Plan *p, const char *dir) {
        switch (p->state) {
        case PLAN_ACTIVE:
                return p->initrd ? render_initrd(p, dir) : render_active(p, dir);
        case PLAN_INVALID: {
                _cleanup_(wants_close) Wants multi_user = WANTS_INIT(dir, "multi-user.target");

                /* Touch no device; make the failure visible in systemctl --failed and the journal. */
                if (p->initrd)
                        return 0;
                return want_static(&multi_user, UNIT_CONFIG_ERROR);
        }
        default:
                return 0;
        }
}
