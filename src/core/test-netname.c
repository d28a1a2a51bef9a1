/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "netname.h"
#include "rootdir.h"
#include "test-util.h"

/* The slots live under a mkdtemp() tree that is the root prefix. */
static char root[] = "/tmp/test-netname.XXXXXX";

static void put_slot(const char *slot, const char *address) {
        char path[PATH_MAX];
        FILE *f;

        (void) snprintf(path, sizeof(path), "%s/sys/bus/pci/slots/%s", root, slot);
        for (char *p = path + strlen(root) + 1; *p; p++)
                if (*p == '/') {
                        *p = 0;
                        check(mkdir(path, 0755) == 0 || errno == EEXIST);
                        *p = '/';
                }
        check(mkdir(path, 0755) == 0 || errno == EEXIST);
        (void) snprintf(path, sizeof(path), "%s/sys/bus/pci/slots/%s/address", root, slot);
        f = fopen(path, "we");
        check(f);
        check(fprintf(f, "%s\n", address) > 0);
        check(fclose(f) == 0);
}

static NetnameDevice dev(const char *address) {
        return (NetnameDevice) { .address = address, .path = "", .acpi_index = -1, .smbios_index = -1, .ari = 0 };
}

/* eno<N>: acpi_index, and without it the SMBIOS index; port suffixes are the same function. */
static void test_onboard(void) {
        NetnameDevice d = dev("0000:02:00.0");

        check(!netname_is_device("eno1", &d));
        d.smbios_index = 1;
        check(netname_is_device("eno1", &d));
        check(netname_is_device("eno1d1", &d));
        check(netname_is_device("eno1np0", &d));
        check(!netname_is_device("eno2", &d));
        check(!netname_is_device("eno1x", &d));
        check(!netname_is_device("eno", &d));
        check(!netname_is_device("eno1n", &d));
        /* acpi_index wins over the SMBIOS index, as in net_id */
        d.acpi_index = 3;
        check(netname_is_device("eno3", &d));
        check(!netname_is_device("eno1", &d));
        /* index 0 is valid (v240) */
        d.acpi_index = 0;
        check(netname_is_device("eno0", &d));
        check(!netname_is_device("eno70000", &d));
}

/* enp: path names with the domain, the function and the port suffixes. */
static void test_path(void) {
        NetnameDevice d = dev("0000:3b:00.1");
        NetnameDevice z = dev("0000:3b:00.0");
        NetnameDevice p1 = dev("0001:03:00.0");

        check(netname_is_device("enp59s0f1", &d));
        check(netname_is_device("enp59s0f1d1", &d));
        check(netname_is_device("enp59s0f1np1", &d));
        check(netname_is_device("enp59s0f1v3", &d));  /* a VF of it: binding the PF takes it */
        check(!netname_is_device("enp59s0f0", &d));
        check(!netname_is_device("enp59s0", &d));
        check(!netname_is_device("enp59s1f1", &d));
        check(!netname_is_device("enP1p59s0f1", &d));
        check(!netname_is_device("enp59s0f1q", &d));
        /* function 0: with or without f0 (the multi-function bit) */
        check(netname_is_device("enp59s0", &z));
        check(netname_is_device("enp59s0f0", &z));
        check(netname_is_device("ibp59s0", &z));
        check(netname_is_device("enP1p3s0", &p1));
        check(netname_is_device("enP1p3s0f0", &p1));
        check(!netname_is_device("enp3s0", &p1));
        check(!netname_is_device("eth0", &z));
        check(!netname_is_device("enx001b21aabbcc", &z));
}

/* With ARI the function is fn + 8 * device; unknown ARI takes either. */
static void test_ari(void) {
        NetnameDevice d = dev("0000:81:01.2");

        check(netname_is_device("enp129s1f2", &d));
        check(!netname_is_device("enp129s1f10", &d));
        d.ari = 1;
        netname_set_scheme(255, 255);
        check(netname_is_device("enp129s1f10", &d));
        check(!netname_is_device("enp129s1f2", &d));
        /* v238 did not use ARI's numbers; a range that holds it takes either */
        netname_set_scheme(238, 238);
        check(!netname_is_device("enp129s1f10", &d));
        check(netname_is_device("enp129s1f2", &d));
        netname_set_scheme(0, 252);
        check(netname_is_device("enp129s1f10", &d));
        check(netname_is_device("enp129s1f2", &d));
        netname_set_scheme(255, 255);
        d.ari = -1;
        check(netname_is_device("enp129s1f10", &d));
        check(netname_is_device("enp129s1f2", &d));
        netname_set_scheme(0, UINT_MAX);
}

static void put_file(const char *rel, const char *content) {
        char path[PATH_MAX], cmd[PATH_MAX + 32];
        FILE *f;

        (void) snprintf(path, sizeof(path), "%s%s", root, rel);
        (void) snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
        check(system(cmd) == 0); /* NOLINT(cert-env33-c): a fixed command on our mkdtemp() tree */
        f = fopen(path, "we");
        check(f);
        check(fputs(content, f) >= 0);
        check(fclose(f) == 0);
}

/* What the scheme in force changes: the on-board index limit, the bridge's slot, the firmware
 * node's _SUN; which scheme is in force. */
static void test_schemes(void) {
        NetnameDevice o = dev("0000:02:00.0"), b = dev("0000:5e:00.0"), s = dev("0000:17:00.1");
        unsigned v;

        o.acpi_index = 20000;
        netname_set_scheme(247, 247);
        check(!netname_is_device("eno20000", &o));
        netname_set_scheme(0, 249);
        check(netname_is_device("eno20000", &o));
        /* the bridge above 5e:00.0 is in slot 6 */
        put_slot("6", "0000:5d:03");
        b.path = "pci0000:5d/0000:5d:03.0/0000:5e:00.0";
        netname_set_scheme(245, 245);
        check(netname_is_device("ens6", &b));
        netname_set_scheme(247, 247);
        check(!netname_is_device("ens6", &b));
        netname_set_scheme(252, 252);
        check(netname_is_device("ens6", &b));
        netname_set_scheme(255, 255);
        check(!netname_is_device("ens6", &b));
        /* no hotplug slot, the firmware node's _SUN: from v257 */
        put_file("/sys/bus/pci/devices/0000:17:00.1/firmware_node/sun", "12\n");
        netname_set_scheme(255, 255);
        check(!netname_is_device("ens12f1", &s));
        netname_set_scheme(257, 257);
        check(netname_is_device("ens12f1", &s));
        netname_set_scheme(0, UINT_MAX);
        check(netname_is_device("ens12f1", &s));
        /* which schemes: the command line's, else at most the installed systemd's latest */
        check(netname_scheme_from_name("v247", &v) == 0 && v == 247);
        check(netname_scheme_from_name("v256", &v) == -ENOENT);
        check(netname_scheme_from_name("rhel-9.4", &v) == -EINVAL);
        check(netname_latest_scheme(256) == 255 && netname_latest_scheme(252) == 252);
        put_file("/usr/lib/systemd/libsystemd-shared-252.so", "");
        netname_setup_scheme(NULL);
        check(!netname_is_device("ens12f1", &s));     /* 252 has no _SUN names */
        check(netname_is_device("ens6", &b));
        netname_setup_scheme("v255");
        check(!netname_is_device("ens6", &b));
        netname_setup_scheme("v256");                 /* no such scheme: the default */
        check(netname_is_device("ens6", &b));
        netname_setup_scheme("rhel-9.4");             /* not known here: every scheme */
        check(netname_is_device("ens12f1", &s));
        netname_setup_scheme("latest");
        check(!netname_is_device("ens12f1", &s));
        netname_set_scheme(0, UINT_MAX);
}

/* ens: the slot's address, the device's own, its parent bridge's, or device 0 with ARI. */
static void test_slot(void) {
        NetnameDevice a = dev("0000:3b:00.0"), b = dev("0000:3b:00.1"), c = dev("0000:5e:00.0");
        NetnameDevice e = dev("0002:12:00.1"), f = dev("0000:af:01.3");

        put_slot("1", "0000:3b:00");
        put_slot("4", "0000:5d:02");
        put_slot("7", "0002:12:00");
        put_slot("9", "0000:af:00");
        check(netname_is_device("ens1f0", &a));
        check(netname_is_device("ens1", &a));
        check(netname_is_device("ens1f1", &b));
        check(netname_is_device("ens1f1d1", &b));
        check(!netname_is_device("ens1f0", &b));
        check(!netname_is_device("ens2f0", &a));     /* no slot 2 */
        check(!netname_is_device("ens0", &a));
        /* behind the bridge in slot 4 */
        check(!netname_is_device("ens4f0", &c));
        c.path = "pci0000:5d/0000:5d:02.0/0000:5e:00.0";
        check(netname_is_device("ens4f0", &c));
        check(netname_is_device("ens4f0np0", &c));
        /* a domain other than 0: P<domain> */
        check(netname_is_device("enP2s7f1", &e));
        check(!netname_is_device("ens7f1", &e));
        /* ARI: function 8 * 1 + 3 of the card in slot 9 */
        check(!netname_is_device("ens9f11", &f));
        f.ari = 1;
        check(netname_is_device("ens9f11", &f));
}

/* The names a device could get: each one is the device's by netname_is_device(), and the
 * expected spellings are there. */
static void test_candidates(void) {
        NetnameDevice a = dev("0000:3b:00.0"), e = dev("0002:12:00.1"), f = dev("0000:af:01.3");
        const char *want_a[] = { "eno5", "enp59s0", "enp59s0f0", "ens1", "ens1f0", "ibp59s0f0", "wlo5" };
        const char *want_e[] = { "enP2p18s0f1", "enP2s7f1" };
        Strv names = {};
        char enx[16];

        a.acpi_index = 5;
        check(netname_candidates(&a, &names) == 0);
        for (size_t i = 0; i < names.n; i++)
                check(netname_is_device(names.v[i], &a));
        for (size_t i = 0; i < ELEMENTSOF(want_a); i++)
                check(strv_contains(&names, want_a[i]));
        check(!strv_contains(&names, "ens1f1"));
        strv_free(&names);
        check(netname_candidates(&e, &names) == 0);
        for (size_t i = 0; i < names.n; i++)
                check(netname_is_device(names.v[i], &e));
        for (size_t i = 0; i < ELEMENTSOF(want_e); i++)
                check(strv_contains(&names, want_e[i]));
        check(!strv_contains(&names, "enP2s7"));     /* function 1 always says so */
        strv_free(&names);
        /* ARI unknown: both function numbers */
        f.ari = -1;
        check(netname_candidates(&f, &names) == 0);
        check(strv_contains(&names, "ens9f11") && strv_contains(&names, "ens9f3"));
        check(strv_contains(&names, "enp175s1f3") && strv_contains(&names, "enp175s1f11"));
        strv_free(&names);
        check(netname_from_mac("3c:fd:fe:aa:bb:0c", enx));
        check(streq(enx, "enx3cfdfeaabb0c"));
        check(!netname_from_mac("3c:fd:fe:aa:bb", enx));
        check(!netname_from_mac("3c:fd:fe:aa:bb:0c:00", enx));
}

static void test_mac(void) {
        char mac[18];

        check(netname_mac("enx001B21AABBCC", mac));
        check_streq(mac, "00:1b:21:aa:bb:cc");
        check(!netname_mac("enx001b21aabbc", mac));
        check(!netname_mac("enx001b21aabbccd", mac));
        check(!netname_mac("enp0s3", mac));
        check(!netname_mac("enx001b21aabbcg", mac));
}

/* A config space with a Device Serial Number capability after an AER one. */
static void test_dsn(void) {
        uint8_t cfg[4096] = {};
        char mac[18];

        /* 0x100: AER (id 1), next 0x140; 0x140: DSN (id 3), next 0 */
        cfg[0x100] = 0x01, cfg[0x101] = 0x00, cfg[0x102] = 0x01, cfg[0x103] = 0x14;
        cfg[0x140] = 0x03, cfg[0x141] = 0x00, cfg[0x142] = 0x01, cfg[0x143] = 0x00;
        /* lspci's "Device Serial Number 00-1b-21-ff-ff-aa-bb-cc": low dword, then high */
        cfg[0x144] = 0xcc, cfg[0x145] = 0xbb, cfg[0x146] = 0xaa, cfg[0x147] = 0xff;
        cfg[0x148] = 0xff, cfg[0x149] = 0x21, cfg[0x14a] = 0x1b, cfg[0x14b] = 0x00;
        check(netname_dsn_mac(cfg, sizeof(cfg), 0x8086, 0, mac) == NETNAME_DSN_PORT);
        check_streq(mac, "00:1b:21:aa:bb:cc");
        /* only Intel, only function 0 */
        check(!netname_dsn_mac(cfg, sizeof(cfg), 0x14e4, 0, mac));
        check(!netname_dsn_mac(cfg, sizeof(cfg), 0x8086, 1, mac));
        /* an EUI-64 with ff fe (Broadcom's "b0-26-28-ff-fe-c1-24-b0"): the card's, any function */
        cfg[0x144] = 0xb0, cfg[0x145] = 0x24, cfg[0x146] = 0xc1, cfg[0x147] = 0xfe;
        cfg[0x148] = 0xff, cfg[0x149] = 0x28, cfg[0x14a] = 0x26, cfg[0x14b] = 0xb0;
        check(netname_dsn_mac(cfg, sizeof(cfg), 0x14e4, 1, mac) == NETNAME_DSN_CARD);
        check_streq(mac, "b0:26:28:c1:24:b0");
        /* not from a unicast MAC: nothing */
        cfg[0x14b] = 0xb1;
        check(!netname_dsn_mac(cfg, sizeof(cfg), 0x14e4, 1, mac));
        cfg[0x144] = 0xcc, cfg[0x145] = 0xbb, cfg[0x146] = 0xaa, cfg[0x147] = 0xff;
        cfg[0x148] = 0xff, cfg[0x149] = 0x21, cfg[0x14a] = 0x1b, cfg[0x14b] = 0x00;
        /* the first 256 bytes only (a non-root read): no extended space */
        check(!netname_dsn_mac(cfg, 256, 0x8086, 0, mac));
        /* a serial number that is not OUI ff ff ... */
        cfg[0x147] = 0x12;
        check(!netname_dsn_mac(cfg, sizeof(cfg), 0x8086, 0, mac));
        /* no DSN: the list ends at AER */
        cfg[0x147] = 0xff;
        cfg[0x103] = 0x00, cfg[0x102] = 0x01;
        check(!netname_dsn_mac(cfg, sizeof(cfg), 0x8086, 0, mac));
        /* a list that loops back onto itself ends */
        cfg[0x103] = 0x10;
        check(!netname_dsn_mac(cfg, sizeof(cfg), 0x8086, 0, mac));
}

/* The permanent MAC of an interface: the address when the kernel says it is the hardware's (or
 * does not say), a bond member's from the bonding driver, none when it was set by hand. */
static void test_permanent_mac(void) {
        _cleanup_closedir_ DIR *d = NULL;
        char mac[18];

        put_file("/sys/class/net/eno1/addr_assign_type", "0\n");
        put_file("/sys/class/net/eno1/address", "3C:FD:FE:AA:BB:CC\n");
        /* a bond's second member: the bond's MAC now, its own kept by the bonding driver */
        put_file("/sys/class/net/eno2/addr_assign_type", "3\n");
        put_file("/sys/class/net/eno2/address", "3c:fd:fe:aa:bb:cc\n");
        put_file("/sys/class/net/eno2/bonding_slave/perm_hwaddr", "3c:fd:fe:aa:bb:cd\n");
        /* a MAC set by hand outside a bond */
        put_file("/sys/class/net/eno3/addr_assign_type", "3\n");
        put_file("/sys/class/net/eno3/address", "02:00:00:00:00:01\n");
        /* a tree (or a kernel before 3.2) without addr_assign_type */
        put_file("/sys/class/net/eno4/address", "3c:fd:fe:aa:bb:ce\n");
        put_file("/sys/class/net/eno5/addr_assign_type", "0\n");
        put_file("/sys/class/net/eno5/address", "not a mac\n");

        d = root_opendir("/sys/class/net");
        check(d);
        check(netname_permanent_mac(dirfd(d), "eno1", mac) == 0);
        check_streq(mac, "3c:fd:fe:aa:bb:cc");
        check(netname_permanent_mac(dirfd(d), "eno2", mac) == 0);
        check_streq(mac, "3c:fd:fe:aa:bb:cd");
        check(netname_permanent_mac(dirfd(d), "eno3", mac) == -ENODATA);
        check(netname_permanent_mac(dirfd(d), "eno4", mac) == 0);
        check_streq(mac, "3c:fd:fe:aa:bb:ce");
        check(netname_permanent_mac(dirfd(d), "eno5", mac) == -ENODATA);
        check(netname_permanent_mac(dirfd(d), "eno9", mac) == -ENOENT);
}

int main(void) {
        char cmd[PATH_MAX + 16];

        check(mkdtemp(root));
        root_set(root);
        test_onboard();
        test_path();
        test_ari();
        test_slot();
        test_candidates();
        test_schemes();
        test_mac();
        test_dsn();
        test_permanent_mac();
        root_set(NULL);
        (void) snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
        check(system(cmd) == 0); /* NOLINT(cert-env33-c): a fixed command on our mkdtemp() tree */
        return 0;
}
