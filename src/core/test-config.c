/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The config reader's edges that golden files cannot hold well: NUL bytes, very long runs of
 * continuation lines, thousands of rules and their merge. tests/config/ has the rest. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "config.h"
#include "rootdir.h"
#include "test-util.h"

#define MAIN "/etc/dpdk-boot/dpdk-boot.conf"

static char root[] = "/tmp/test-config.XXXXXX";

/* The file whose read(2) fails with EIO, as a disk's bad sector would make it: a file of the tree
 * (a link out of it to one that fails, /proc/self/mem, would not be followed). This definition
 * of read() comes before libc's for the code linked into this test; 0 fails nothing. */
static ino_t eio_inode;

ssize_t read(int fd, void *buf, size_t size) {
        struct stat st;

        if (eio_inode != 0 && fstat(fd, &st) == 0 && st.st_ino == eio_inode) {
                errno = EIO;
                return -1;
        }
        return syscall(SYS_read, fd, buf, size);
}

/* Writes len bytes (NUL bytes included) to root + rel, mode 0644 whatever the umask. */
static void write_conf(const char *rel, const char *data, size_t len) {
        char path[PATH_MAX];
        _cleanup_close_ int fd = -EBADF;

        (void) snprintf(path, sizeof(path), "%s%s", root, rel);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        check(fd >= 0);
        check(fchmod(fd, 0644) == 0);
        check(write(fd, data, len) == (ssize_t) len);
}

static void write_conf_string(const char *rel, const char *s) {
        write_conf(rel, s, strlen(s));
}

static void check_error(const Config *c, size_t i, const char *want) {
        check(i < c->errors.n);
        check_streq(c->errors.v[i], want);
}

/* Each refused line is reported with its number and kept from inih; the lines around it still
 * count, up to the last one without a newline. */
static void test_refused_lines(void) {
        static const char text[] =
                "[Datapath]\n"
                "ExtraArgs=a\0b\0c\n"            /* 2: two NUL bytes in one line */
                "Key: value\n"                   /* 3 */
                "[Broken\n"                      /* 4 */
                "\0\n"                           /* 5: another NUL, past the first line that had one */
                "ExtraArgs=--last";              /* 6, no newline */
        _cleanup_free_ char *long_line = NULL;
        Config c;

        write_conf(MAIN, text, sizeof(text) - 1);
        check(config_load_file(&c, MAIN) == 0);
        check(c.errors.n == 4);
        check_error(&c, 0, MAIN ":2: Line contains a NUL byte.");
        check_error(&c, 1, MAIN ":3: Expected Key=Value, got \"Key: value\".");
        check_error(&c, 2, MAIN ":4: Section header without ']'.");
        check_error(&c, 3, MAIN ":5: Line contains a NUL byte.");
        check_streq(c.datapath.extra_args, "--last");
        config_free(&c);

        /* 198 characters and the newline are one too many for inih's 200-byte line. */
        long_line = malloc(300);
        check(long_line);
        memcpy(long_line, "[Datapath]\nExtraArgs=", 21);
        memset(long_line + 21, 'x', 188);
        memcpy(long_line + 209, "\nExtraArgs=ok\n", 14);
        write_conf(MAIN, long_line, 223);
        check(config_load_file(&c, MAIN) == 0);
        check(c.errors.n == 1);
        check_error(&c, 0, MAIN ":2: Line is longer than 198 characters; continue a long value on indented lines.");
        check_streq(c.datapath.extra_args, "ok");
        config_free(&c);

        /* One character less fits. */
        memcpy(long_line + 208, "\n", 1);
        write_conf(MAIN, long_line, 209);
        check(config_load_file(&c, MAIN) == 0);
        check(config_ok(&c));
        check(strlen(c.datapath.extra_args) == 187);
        config_free(&c);
}

static void test_empty_and_crlf(void) {
        static const char crlf[] = "[IOMMU]\r\nMode=pt\r\n";
        Config c;

        write_conf(MAIN, "", 0);
        check(config_load_file(&c, MAIN) == 0);
        check(config_ok(&c) && c.exists && c.n_devices == 0);
        config_free(&c);

        write_conf(MAIN, crlf, sizeof(crlf) - 1);
        check(config_load_file(&c, MAIN) == 0);
        check(config_ok(&c));
        check(c.iommu == IOMMU_PT);
        config_free(&c);
}

/* A value continued over many lines is joined with spaces, however long it gets. */
static void test_long_continuation(void) {
        const size_t lines = 20000;
        _cleanup_(buf_free) Buf b = {};
        Config c;

        check(buf_put(&b, "[Datapath]\nPreset=custom\nCores=2-3\nExtraArgs=a\n") == 0);
        for (size_t i = 0; i < lines; i++)
                check(buf_put(&b, i % 2 ? "\tx\n" : "    x\n") == 0);
        check(buf_put(&b, "ExecStart=/bin/app\n  {eal}\n") == 0);
        write_conf(MAIN, b.data, b.len);
        check(config_load_file(&c, MAIN) == 0);
        check(config_ok(&c));
        check(strlen(c.datapath.extra_args) == 1 + 2 * lines);
        check(strneq(c.datapath.extra_args, "a x x ", 6));
        check(streq(c.datapath.extra_args + 2 * lines - 2, "x x"));
        /* The next key starts a value of its own. */
        check_streq(c.datapath.exec_start, "/bin/app {eal}");
        config_free(&c);
}

static void device_address(unsigned i, char buf[static 13]) {
        (void) snprintf(buf, 13, "0000:%02x:%02x.%x", i / 256, (i / 8) % 32, i % 8);
}

/* Thousands of exact rules, some given again later with another driver, a pattern rule among
 * them, and a drop-in: the last rule for an address wins, the order of the rest is kept. */
static void test_many_devices(void) {
        const unsigned n = 3000, again = 7;
        _cleanup_(buf_free) Buf b = {};
        unsigned line = 0, igb_uio = 0;
        bool in_dropin = false;
        char address[13];
        Config c;

        for (unsigned i = 0; i < n; i++) {
                device_address(i, address);
                check(buf_printf(&b, "[Device]\nAddress=%s\nDriver=vfio-pci\n\n", address) == 0);
                if (i == n / 2)
                        check(buf_put(&b, "[Device]\nID=8086:*\nDriver=vfio_pci\n\n") == 0);
        }
        for (unsigned i = 0; i < n; i += again) {
                device_address(i, address);
                check(buf_printf(&b, "[Device]\nAddress=%s\nDriver=igb_uio\n\n", address) == 0);
        }
        write_conf(MAIN, b.data, b.len);
        /* The drop-in replaces the rule for device 1 and excludes it. */
        write_conf_string("/etc/dpdk-boot/conf.d/50-exclude.conf", "[Device]\nAddress=00:00.1\nExclude=yes\n");

        check(config_load(&c) == 0);
        check(config_ok(&c));
        check(c.files.n == 2);
        check(c.n_devices == n + 1);
        for (size_t i = 0; i < c.n_devices; i++) {
                const DeviceConfig *d = &c.devices[i];

                /* In the order read: lines grow within a file, the drop-in comes last. */
                if (d->loc.file == c.files.v[1])
                        in_dropin = true;
                else {
                        check(d->loc.file == c.files.v[0] && !in_dropin && d->loc.line > line);
                        line = d->loc.line;
                }
                if (isempty(d->address)) {
                        check(d->match[MATCH_ID].patterns.n == 1);
                        check_streq(d->driver, "vfio-pci");
                        continue;
                }
                if (streq(d->address, "0000:00:00.1")) {
                        check(d->exclude && isempty(d->driver) && !driver_is_dpdk(d->driver));
                        check(d->loc.file == c.files.v[1]);
                        continue;
                }
                /* The second rule of an address is after the first n rules and the pattern rule. */
                check(driver_is_dpdk(d->driver));
                check_streq(d->driver, d->loc.line > 4 * n + 4 ? "igb_uio" : "vfio-pci");
                igb_uio += d->loc.line > 4 * n + 4;
        }
        check(in_dropin);
        check(igb_uio == (n + again - 1) / again);
        config_free(&c);
}

/* Names and values are kept where they are in the text: what inih trims (spaces, inline comments,
 * a CR) stays out of them, the last line's value ends at the end of the file, and a
 * value continued from there still grows. Keys and sections are matched whole. */
static void test_values_in_place(void) {
        static const char text[] =
                "[Datapath]\n"
                "Preset = testpmd   \n"
                "Cores=2-3 ; two lcores\n"
                "ExtraArgs=a\n"
                "  b\n"
                "\tc\r\n"
                "FilePrefix=x\r\n"
                "[Device]\n"
                "Address=0000:3B:00.0\n"
                "Driver=vfio-pci\n"
                "[Device]\n"
                "Address=3b:00.1\n"
                "Driver=igb_uio\n"
                "[Device]\n"
                "Addresss=3b:00.2\n"
                "Drive=vfio-pci\n"
                "Address=3b:00.3\n"
                "[Devic]\n"
                "[Devices]\n"
                "[Device]\n"
                "Address=3b:00.4\n"
                "Driver=vfio-pcI\n"
                "[Kernel]\n"
                "ManageArgs=yes\n"
                "Bootloader=grub";
        Config c;

        write_conf(MAIN, text, sizeof(text) - 1);
        check(config_load_file(&c, MAIN) == 0);
        check(c.errors.n == 5);
        check_error(&c, 0, MAIN ":15: Unknown key 'Addresss' in section [Device].");
        check_error(&c, 1, MAIN ":16: Unknown key 'Drive' in section [Device].");
        check_error(&c, 2, MAIN ":18: Unknown section [Devic].");
        check_error(&c, 3, MAIN ":19: Unknown section [Devices].");
        check_error(&c, 4, MAIN ":22: Driver=vfio-pcI: expected vfio-pci, uio_pci_generic, igb_uio, or empty for "
                    "the kernel's own driver.");
        check(c.datapath.preset == DATAPATH_TESTPMD);
        check(cpuset_isset(&c.datapath.cores, 2) && cpuset_isset(&c.datapath.cores, 3));
        check_streq(c.datapath.extra_args, "a b c");
        check_streq(c.datapath.file_prefix, "x");
        check(c.n_devices == 2);
        check_streq(c.devices[0].address, "0000:3b:00.0");
        check(driver_is_dpdk(c.devices[0].driver));
        check_streq(c.devices[0].driver, "vfio-pci");
        check_streq(c.devices[1].address, "0000:3b:00.1");
        check_streq(c.devices[1].driver, "igb_uio");
        check(c.kernel.manage_args && c.kernel.bootloader == BOOTLOADER_GRUB);
        config_free(&c);

        /* A value on the last line, without a newline, continued by nothing; and one continued. */
        write_conf_string(MAIN, "[Datapath]\nExtraArgs=--end");
        check(config_load_file(&c, MAIN) == 0);
        check(config_ok(&c));
        check_streq(c.datapath.extra_args, "--end");
        config_free(&c);
        write_conf_string(MAIN, "[Datapath]\nExtraArgs=--end\n  --more");
        check(config_load_file(&c, MAIN) == 0);
        check(config_ok(&c));
        check_streq(c.datapath.extra_args, "--end --more");
        config_free(&c);
}

/* Blank lines and comments are passed over before inih sees them: a value still continues past
 * them, and inih's own complaint (it takes " ;" as the start of a comment, so this key has no
 * '=') still names the line of the file. */
static void test_inert_lines(void) {
        static const char crlf[] =
                "[Datapath]\r\n"
                "ExtraArgs=a\r\n"
                "\r\n"
                "# c\r\n"
                ";d\r\n"
                "\r\n"
                "  b\r\n"
                "\r";
        static const char syntax[] =
                "# c\n"
                "\n"
                "[Datapath]\n"
                "\n"
                "\r\n"
                "ExtraArgs=x\n"
                ";\n"
                "  y\n"
                "#\n"
                "ExtraArgs ;=b\n"
                "\n";
        Config c;

        write_conf(MAIN, crlf, sizeof(crlf) - 1);
        check(config_load_file(&c, MAIN) == 0);
        check(config_ok(&c));
        check_streq(c.datapath.extra_args, "a b");
        config_free(&c);

        write_conf(MAIN, syntax, sizeof(syntax) - 1);
        check(config_load_file(&c, MAIN) == 0);
        check(c.errors.n == 1);
        check_error(&c, 0, MAIN ":10: Syntax error.");
        check_streq(c.datapath.extra_args, "x y");
        config_free(&c);

        /* The first line is always inih's; here its complaint is about that very line. */
        write_conf_string(MAIN, "[Datapath ;x]\n\n\n[Datapath]\n");
        check(config_load_file(&c, MAIN) == 0);
        check(c.errors.n == 2);
        check_error(&c, 0, MAIN ":1: Syntax error.");
        config_free(&c);
}

/* An exact Address= is taken as pci_address_normalize() takes it, or not at all: every address
 * with one byte changed, in both of its forms, to a byte at an edge of what may be there. */
static void test_exact_addresses(void) {
        static const char *const forms[] = { "0000:3b:00.0", "ffff:ff:1f.7", "3b:00.0" };
        static const char bytes[] = "!*-./0126789:;@AFGZ`afgz\x7f\x80\xff";

        for (size_t f = 0; f < ELEMENTSOF(forms); f++)
                for (size_t i = 0; i < strlen(forms[f]); i++)
                        for (size_t b = 0; b < sizeof(bytes) - 1; b++) {
                                char v[13], want[13], text[64];
                                Config c;

                                (void) snprintf(v, sizeof(v), "%s", forms[f]);
                                v[i] = bytes[b];
                                (void) snprintf(text, sizeof(text), "[Device]\nAddress=%s\n", v);
                                write_conf_string(MAIN, text);
                                check(config_load_file(&c, MAIN) == 0);
                                if (pci_address_normalize(v, want)) {
                                        check(config_ok(&c) && c.n_devices == 1);
                                        check_streq(c.devices[0].address, want);
                                } else
                                        check(c.n_devices == 0 || isempty(c.devices[0].address));
                                config_free(&c);
                        }
}

/* The drivers of rules are the table's own strings, but a name from elsewhere (a copy, sysfs) is
 * judged by its text. */
static void test_driver_is_dpdk(void) {
        static const char *const dpdk[] = { "vfio-pci", "uio_pci_generic", "igb_uio" };
        static const char *const other[] = { "", "kernel", "vfio_pci", "vfio-pc", "vfio-pcix", "ixgbe", "igb" };
        char copy[32];

        for (size_t i = 0; i < ELEMENTSOF(dpdk); i++) {
                (void) snprintf(copy, sizeof(copy), "%s", dpdk[i]);
                check(driver_is_dpdk(copy));
                check(driver_is_dpdk(dpdk[i]));
        }
        for (size_t i = 0; i < ELEMENTSOF(other); i++) {
                (void) snprintf(copy, sizeof(copy), "%s", other[i]);
                check(!driver_is_dpdk(copy));
        }
}

static void remove_conf(const char *rel) {
        char path[PATH_MAX];

        (void) snprintf(path, sizeof(path), "%s%s", root, rel);
        check(unlink(path) == 0 || errno == ENOENT);
}

/* config_probe() says whether there is a config by config_load()'s rules and reads none of it:
 * a broken file is no error, and nothing of it is kept. */
static void test_probe(void) {
        static const char *const dropins[] = { "/etc/dpdk-boot/conf.d/50-exclude.conf",
                                                "/etc/dpdk-boot/conf.d/60-probe.conf" };
        Config c;

        for (size_t i = 0; i < ELEMENTSOF(dropins); i++)
                remove_conf(dropins[i]);
        write_conf_string(MAIN, "[Device\nAddress=zz\n");
        check(config_load(&c) == 0);
        check(c.exists && !config_ok(&c) && c.files.n == 1);
        config_free(&c);
        check(config_probe(&c) == 0);
        check(c.exists && config_ok(&c) && c.files.n == 0 && c.n_devices == 0);
        config_free(&c);

        /* a drop-in alone is a config too */
        remove_conf(MAIN);
        write_conf_string(dropins[1], "[Device]\nAddress=00:00.1\n");
        check(config_probe(&c) == 0);
        check(c.exists && c.files.n == 0 && c.n_devices == 0);
        config_free(&c);

        remove_conf(dropins[1]);
        check(config_probe(&c) == 0);
        check(!c.exists);
        config_free(&c);
}

static void link_conf(const char *target, const char *rel) {
        char path[PATH_MAX];

        (void) snprintf(path, sizeof(path), "%s%s", root, rel);
        check(symlink(target, path) == 0);
}

/* Which files are read and which links to /dev/null hid something (c.masks, what an initramfs
 * must mask as well): /etc's drop-in hides /usr/lib's of the same name, a symlinked drop-in is
 * read through its link, and the names order the drop-ins across the directories. */
static void test_masks(void) {
        Config c;

        write_conf_string(MAIN, "[IOMMU]\nMode=on\n");
        link_conf("/dev/null", "/etc/dpdk-boot/conf.d/20-a.conf");
        write_conf_string("/usr/lib/dpdk-boot/conf.d/20-a.conf", "[IOMMU]\nMode=off\n");
        write_conf_string("/usr/lib/dpdk-boot/conf.d/30-b.conf", "[IOMMU]\nMode=pt\n");
        write_conf_string("/srv/40-real.conf", "[Device]\nAddress=00:00.1\n");
        link_conf("../../../srv/40-real.conf", "/etc/dpdk-boot/conf.d/40-c.conf");
        check(config_load(&c) == 0);
        check(config_ok(&c) && c.exists);
        check(c.files.n == 3 && c.masks.n == 1);
        check_streq(c.files.v[0], MAIN);
        check_streq(c.files.v[1], "/usr/lib/dpdk-boot/conf.d/30-b.conf");
        check_streq(c.files.v[2], "/etc/dpdk-boot/conf.d/40-c.conf");
        check_streq(c.masks.v[0], "/etc/dpdk-boot/conf.d/20-a.conf");
        check(c.iommu == IOMMU_PT && c.n_devices == 1);
        config_free(&c);

        /* The main file masked: still a config (config.exists), read from the drop-ins. */
        remove_conf(MAIN);
        link_conf("/dev/null", MAIN);
        check(config_load(&c) == 0);
        check(config_ok(&c) && c.exists && c.files.n == 2 && c.masks.n == 2);
        check_streq(c.masks.v[0], MAIN);
        config_free(&c);

        remove_conf(MAIN);
        remove_conf("/etc/dpdk-boot/conf.d/20-a.conf");
        remove_conf("/etc/dpdk-boot/conf.d/40-c.conf");
        remove_conf("/usr/lib/dpdk-boot/conf.d/20-a.conf");
        remove_conf("/usr/lib/dpdk-boot/conf.d/30-b.conf");
}

/* What a hostile or broken tree puts where a config is read: a FIFO must not block the boot,
 * a file whose read(2) fails must not read as empty, a drop-in directory that cannot be opened
 * must not read as absent. Each is a config error naming the file. */
static void test_hostile_files(void) {
        static const char fifo[] = "/etc/dpdk-boot/conf.d/50-x.conf";
        static const char mem[] = "/etc/dpdk-boot/conf.d/60-mem.conf";
        char path[PATH_MAX];
        struct stat st;
        Config c;

        write_conf_string(MAIN, "[IOMMU]\nMode=on\n");
        (void) snprintf(path, sizeof(path), "%s%s", root, fifo);
        check(mkfifo(path, 0644) == 0);
        check(config_load(&c) == 0);
        check(c.errors.n == 1);
        check_error(&c, 0, "/etc/dpdk-boot/conf.d/50-x.conf: Not a regular file.");
        config_free(&c);
        remove_conf(fifo);

        /* a regular file whose read fails (EIO) */
        write_conf_string(mem, "[IOMMU]\nMode=on\n");
        (void) snprintf(path, sizeof(path), "%s%s", root, mem);
        check(stat(path, &st) == 0);
        eio_inode = st.st_ino;
        check(config_load(&c) == 0);
        eio_inode = 0;
        check(c.errors.n == 1);
        check_error(&c, 0, "/etc/dpdk-boot/conf.d/60-mem.conf: Cannot read: Input/output error");
        config_free(&c);
        remove_conf(mem);

        /* conf.d a file: opendir() fails with ENOTDIR, which is no "no drop-ins". */
        (void) snprintf(path, sizeof(path), "%s/etc/dpdk-boot/conf.d", root);
        check(rmdir(path) == 0);
        write_conf_string("/etc/dpdk-boot/conf.d", "");
        check(config_load(&c) == 0);
        check(c.errors.n == 1);
        check_error(&c, 0, "/etc/dpdk-boot/conf.d: Cannot open directory: Not a directory");
        config_free(&c);
        remove_conf("/etc/dpdk-boot/conf.d");
        check(mkdir(path, 0755) == 0 && chmod(path, 0755) == 0);
        remove_conf(MAIN);
}

int main(void) {
        static const char *const dirs[] = { "/etc", "/etc/dpdk-boot", "/etc/dpdk-boot/conf.d", "/usr", "/usr/lib",
                                            "/usr/lib/dpdk-boot", "/usr/lib/dpdk-boot/conf.d", "/srv" };
        char path[PATH_MAX], cmd[PATH_MAX + 16];

        check(mkdtemp(root));
        /* Directories others may write are refused, whatever the umask made them. */
        check(chmod(root, 0755) == 0);
        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                (void) snprintf(path, sizeof(path), "%s%s", root, dirs[i]);
                check(mkdir(path, 0755) == 0 && chmod(path, 0755) == 0);
        }
        root_set(root);

        test_refused_lines();
        test_empty_and_crlf();
        test_long_continuation();
        test_many_devices();
        test_driver_is_dpdk();
        test_values_in_place();
        test_inert_lines();
        test_exact_addresses();
        test_probe();
        test_masks();
        test_hostile_files();

        root_set(NULL);
        (void) snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
        check(system(cmd) == 0); /* NOLINT(cert-env33-c): a fixed command on our mkdtemp() tree */
        return 0;
}
