/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "mgmt.h"
#include "rootdir.h"
#include "test-util.h"
#include "util.h"

/* Every file lives under a mkdtemp() tree that is the root prefix. */
static char root[] = "/tmp/test-mgmt.XXXXXX";

static const char *at_root(const char *rel) {
        static char path[PATH_MAX];

        (void) snprintf(path, sizeof(path), "%s%s", root, rel);
        return path;
}

static void mkdir_parents(const char *rel) {
        char path[PATH_MAX];

        (void) snprintf(path, sizeof(path), "%s", at_root(rel));
        for (char *p = path + strlen(root) + 1; *p; p++)
                if (*p == '/') {
                        *p = 0;
                        check(mkdir(path, 0755) == 0 || errno == EEXIST);
                        *p = '/';
                }
}

static void put(const char *rel, const char *content) {
        FILE *f;

        mkdir_parents(rel);
        f = fopen(at_root(rel), "we");
        check(f);
        check(fputs(content, f) >= 0);
        check(fclose(f) == 0);
}

static void link_to(const char *target, const char *rel) {
        mkdir_parents(rel);
        check(symlink(target, at_root(rel)) == 0);
}

static const MgmtItem *find_source(const Mgmt *m, MgmtKind kind, const char *value) {
        const MgmtItem *it = mgmt_find(m, kind, value);

        if (it)
                fprintf(stderr, "%s from %s\n", it->value, it->source);
        return it;
}

/* networkd's search path: first wins, /dev/null and empty files mask, drop-ins after. */
static void test_networkd(void) {
        _cleanup_(mgmt_free) Mgmt m = {};
        const MgmtItem *it;

        put("/usr/lib/systemd/network/10-a.network", "\xef\xbb\xbf[Match]\r\nName=enp1s0\r\n");
        put("/usr/lib/systemd/network/20-b.network", "[Match]\nName=enp2s0\n");
        link_to("/dev/null", "/etc/systemd/network/20-b.network");
        put("/lib/systemd/network/30-c.network", "[Match]\nName=enp3s0\n");
        put("/run/systemd/network/30-c.network", "");
        put("/run/systemd/network/40-d.network", "[Match]\nName=enp4s0\n");
        put("/etc/systemd/network/40-d.network", "[Match]\nName=enp5s0\n");
        put("/usr/lib/systemd/network/40-d.network.d/10-x.conf", "[Match]\nName=enp6s0\n");
        put("/etc/systemd/network/40-d.network.d/10-x.conf", "[Match]\nName=enp7s0\n");
        put("/run/systemd/network/40-d.network.d/20-y.conf", "[Match]\r\nMACAddress=52:54:00:00:00:09\r\n");
        put("/etc/systemd/network/50-e.netdev", "[Match]\nName=enp8s0\n");
        check(mgmt_collect(&m, /* cmdline= */ NULL, /* live= */ false) == 0);
        it = find_source(&m, MGMT_NAME, "enp1s0");
        check(it);
        check_streq(it->source, "/usr/lib/systemd/network/10-a.network:2");
        check(it->origin == MGMT_FROM_NETWORKD);
        check(!find_source(&m, MGMT_NAME, "enp2s0"));   /* masked by /dev/null */
        check(!find_source(&m, MGMT_NAME, "enp3s0"));   /* masked by an empty file */
        check(!find_source(&m, MGMT_NAME, "enp4s0"));   /* /etc's of that name wins */
        check(find_source(&m, MGMT_NAME, "enp5s0"));
        check(!find_source(&m, MGMT_NAME, "enp6s0"));   /* a drop-in of /etc's name wins */
        it = find_source(&m, MGMT_NAME, "enp7s0");
        check(it);
        check_streq(it->source, "/etc/systemd/network/40-d.network.d/10-x.conf:2");
        check(find_source(&m, MGMT_MAC, "52:54:00:00:00:09"));
        check(!find_source(&m, MGMT_NAME, "enp8s0"));   /* not a .network */
}

/* A .network file (with its drop-ins) that selects its interfaces by what no device has before
 * its driver probes (Driver=, Type=ether, Property=, OriginalName=) and by no name, MAC or path
 * could configure any NIC: fail closed. A name narrows it; a virtual kind, a type that is not
 * ether and a file of host conditions only (networkd ignores it) name no wired port. */
static void test_networkd_other_match(void) {
        _cleanup_(mgmt_free) Mgmt m = {};
        const MgmtItem *it;

        put("/etc/systemd/network/10-wired.network", "[Match]\nHost=db1\nType=ether\n\n[Network]\nDHCP=yes\n");
        put("/usr/lib/systemd/network/20-drv.network", "[Match]\nDriver=igb\n");
        put("/etc/systemd/network/20-drv.network.d/10-name.conf", "[Match]\nName=eno1\n");
        put("/etc/systemd/network/30-prop.network", "[Match]\nKind=!bond\n");
        put("/etc/systemd/network/30-prop.network.d/50-x.conf", "[Match]\nProperty=ID_VENDOR_ID=0x8086\n");
        put("/etc/systemd/network/35-prop.network", "");
        put("/usr/lib/systemd/network/35-prop.network", "[Match]\nDriver=ixgbe\n");
        put("/etc/systemd/network/40-bond.network", "[Match]\nKind=bond\n");
        put("/etc/systemd/network/50-vlan.network", "[Match]\nType=vlan bridge\n");
        put("/etc/systemd/network/60-cond.network", "[Match]\nVirtualization=no\n");
        put("/etc/systemd/network/70-bond-ports.network", "[Match]\nOriginalName=eth*\nName=!lo\n");
        check(mgmt_collect(&m, /* cmdline= */ NULL, /* live= */ false) == 0);
        it = find_source(&m, MGMT_ANY, "/etc/systemd/network/10-wired.network");
        check(it && it->origin == MGMT_FROM_NETWORKD);
        check_streq(it->source, "matches its interfaces by Type= (/etc/systemd/network/10-wired.network:3), "
                                "which no device shows before its driver probes, and by no name, MAC or "
                                "path");
        check(!find_source(&m, MGMT_ANY, "/usr/lib/systemd/network/20-drv.network"));
        check(find_source(&m, MGMT_NAME, "eno1"));
        it = find_source(&m, MGMT_ANY, "/etc/systemd/network/30-prop.network");
        check(it && strstr(it->source, "by Kind= (/etc/systemd/network/30-prop.network:2)"));   /* !bond: ports too */
        check(!find_source(&m, MGMT_ANY, "/usr/lib/systemd/network/35-prop.network"));  /* masked */
        check(!find_source(&m, MGMT_ANY, "/etc/systemd/network/40-bond.network"));
        check(!find_source(&m, MGMT_ANY, "/etc/systemd/network/50-vlan.network"));
        check(!find_source(&m, MGMT_ANY, "/etc/systemd/network/60-cond.network"));
        /* "!lo" is a pattern every port's names match: the names narrow nothing, but count */
        check(!find_source(&m, MGMT_ANY, "/etc/systemd/network/70-bond-ports.network"));
        check(find_source(&m, MGMT_GLOB, "!lo"));
}

/* A MAC is resolved by a record of the NICs' MACs or by the initramfs' saved evidence; an enx
 * name is a MAC too. */
static void test_resolved(void) {
        _cleanup_(mgmt_free) Mgmt m = {};
        const MgmtItem *it;

        put("/etc/NetworkManager/system-connections/a.nmconnection",
            "[ethernet]\nmac-address=52:54:00:00:00:0a\n");
        put("/etc/NetworkManager/system-connections/b.nmconnection",
            "[ethernet]\nmac-address=52:54:00:00:00:0b\n");
        put("/etc/NetworkManager/system-connections/c.nmconnection",
            "[connection]\ninterface-name=enx52540000000c\n");
        put("/var/lib/dpdk-boot/nic-macs", "0000:00:0a.0 52:54:00:00:00:0a enp0s10\n");
        put("/usr/lib/dpdk-boot/mgmt-evidence",
            "mac 52:54:00:00:00:0d /etc/systemd/network/x.network:3\n"
            "pci 0000:00:0d.0 MAC 52:54:00:00:00:0d of enp0s13 when the initramfs was built "
            "(/etc/systemd/network/x.network:3)\n");
        check(mgmt_collect(&m, /* cmdline= */ NULL, /* live= */ false) == 0);
        check(find_source(&m, MGMT_MAC, "52:54:00:00:00:0a")->resolved);
        check(find_source(&m, MGMT_PCI, "0000:00:0a.0")->origin == MGMT_FROM_RECORD);
        check(!find_source(&m, MGMT_MAC, "52:54:00:00:00:0b")->resolved);
        check(!find_source(&m, MGMT_MAC, "52:54:00:00:00:0c")->resolved);
        check(find_source(&m, MGMT_MAC, "52:54:00:00:00:0d")->resolved);
        it = mgmt_next_unresolved_mac(&m, NULL);
        check(it && streq(it->value, "52:54:00:00:00:0b"));
        it = mgmt_next_unresolved_mac(&m, it);
        check(it && streq(it->value, "52:54:00:00:00:0c"));
        check(!mgmt_next_unresolved_mac(&m, it));
}

/* netplan: /run shadows /etc shadows /lib by file name; ethernets by match or id, set-name,
 * a bond's interfaces, a vlan's link. */
static void test_netplan(void) {
        _cleanup_(mgmt_free) Mgmt m = {};
        const MgmtItem *it;

        put("/lib/netplan/50-cloud-init.yaml", "network:\n  ethernets:\n    enp9s0: {dhcp4: true}\n");
        put("/etc/netplan/50-cloud-init.yaml", "network:\n  version: 2\n  ethernets:\n    eno1:\n      dhcp4: true\n");
        put("/etc/netplan/60-bond.yaml",
            "network:\n"
            "  ethernets:\n"
            "    port1:\n"
            "      match:\n"
            "        macaddress: 3C:FD:FE:AA:BB:01\n"
            "      set-name: data1\n"
            "    port2:\n"
            "      match: {name: \"enp59s0f*\"}\n"
            "  bonds:\n"
            "    bond0:\n"
            "      interfaces: [port1, eno2]\n"
            "  vlans:\n"
            "    vlan10: {id: 10, link: ens1f1}\n");
        put("/run/netplan/70-broken.yaml", "network: [\n");
        link_to("/dev/null", "/run/netplan/80-masked.yaml");
        put("/etc/netplan/80-masked.yaml", "network:\n  ethernets:\n    enp8s0: {}\n");
        check(mgmt_collect(&m, /* cmdline= */ NULL, /* live= */ false) == 0);
        it = find_source(&m, MGMT_NAME, "eno1");
        check(it);
        check_streq(it->source, "/etc/netplan/50-cloud-init.yaml:4");
        check(it->origin == MGMT_FROM_NETPLAN);
        check(!find_source(&m, MGMT_NAME, "enp9s0"));  /* shadowed by /etc's file */
        check(!find_source(&m, MGMT_NAME, "enp8s0"));  /* masked by /run's /dev/null */
        it = find_source(&m, MGMT_MAC, "3c:fd:fe:aa:bb:01");
        check(it);
        check_streq(it->source, "/etc/netplan/60-bond.yaml:5");
        check(!find_source(&m, MGMT_NAME, "port1"));   /* an id with a match names nothing itself */
        check(find_source(&m, MGMT_NAME, "data1"));
        check(!find_source(&m, MGMT_NAME, "enp59s0f*"));
        check(find_source(&m, MGMT_GLOB, "enp59s0f*"));  /* a pattern counts, as a pattern */
        check(find_source(&m, MGMT_NAME, "eno2"));
        check(find_source(&m, MGMT_NAME, "ens1f1"));
        /* YAML that does not parse could name any NIC once it is fixed */
        it = mgmt_any(&m);
        check(it && streq(it->value, "/run/netplan/70-broken.yaml"));
        check(startswith(it->source, "cannot be parsed at line 2 (YAML: "));
        check(it->origin == MGMT_FROM_NETPLAN);
}

/* netplan: an ethernet whose match: has no name: and no macaddress: (only driver:, or nothing,
 * which matches every ethernet) could be any NIC: fail closed, the entry named. */
static void test_netplan_other_match(void) {
        _cleanup_(mgmt_free) Mgmt m = {};
        const MgmtItem *it;

        put("/etc/netplan/50-mgmt.yaml",
            "network:\n"
            "  ethernets:\n"
            "    onboard:\n"
            "      match:\n"
            "        driver: igb\n"
            "      dhcp4: true\n"
            "    data:\n"
            "      match: {driver: ixgbe, name: \"ens1f*\"}\n");
        put("/etc/netplan/60-all.yaml", "network:\n  ethernets:\n    any:\n      match: {}\n");
        check(mgmt_collect(&m, /* cmdline= */ NULL, /* live= */ false) == 0);
        it = find_source(&m, MGMT_ANY, "/etc/netplan/50-mgmt.yaml");
        check(it && it->origin == MGMT_FROM_NETPLAN);
        check_streq(it->source, "matches the ethernet onboard (line 5) by driver:, which no device shows "
                                "before its driver probes, and by no name or MAC");
        check(find_source(&m, MGMT_GLOB, "ens1f*"));      /* a name narrows the driver: */
        it = find_source(&m, MGMT_ANY, "/etc/netplan/60-all.yaml");
        check(it && strstr(it->source, "matches the ethernet any (line 4) by nothing (every ethernet)"));
}

/* netplan: a list of ports repeated by YAML aliases is looked up each time it is used: past
 * 16384 references the file is not judged and fails closed (before: 9 million lookups, 47 s of
 * this test, then every port a name). */
static void test_netplan_aliases(void) {
        _cleanup_(mgmt_free) Mgmt m = {};
        _cleanup_(buf_free) Buf b = {};
        const MgmtItem *it;

        check(buf_put(&b, "network:\n  ethernets:\n    e0: {match: {name: x0}}\n  bridges:\n    b0: {interfaces: &L [") >= 0);
        for (unsigned i = 0; i < 3000; i++)
                check(buf_printf(&b, "%sp%u", i ? ", " : "", i) >= 0);
        check(buf_put(&b, "]}\n") >= 0);
        for (unsigned i = 1; i < 3000; i++)
                check(buf_printf(&b, "    b%u: {interfaces: *L}\n", i) >= 0);
        put("/etc/netplan/50-aliases.yaml", b.data);
        put("/etc/netplan/60-small.yaml", "network:\n  bridges:\n    br0: {interfaces: [eno1]}\n");
        check(mgmt_collect(&m, /* cmdline= */ NULL, /* live= */ false) == 0);
        it = find_source(&m, MGMT_ANY, "/etc/netplan/50-aliases.yaml");
        check(it && strstr(it->source, "more than 16384 ports"));
        check(!find_source(&m, MGMT_NAME, "p1"));
        check(find_source(&m, MGMT_NAME, "eno1")); /* the other file is judged */
}

/* NetworkManager: an ethernet connection that names no interface and no MAC (nor a [match]
 * name or path) activates on any NIC, as does one that matches by driver=: fail closed. A
 * [match] section's names and paths, and a VLAN's parent, are evidence. */
static void test_networkmanager_match(void) {
        _cleanup_(mgmt_free) Mgmt m = {};
        const MgmtItem *it;

        put("/etc/NetworkManager/system-connections/wired.nmconnection",
            "[connection]\nid=wired\ntype=ethernet\nautoconnect=true\n\n[ipv4]\nmethod=auto\n");
        put("/run/NetworkManager/system-connections/drv.nmconnection",
            "[connection]\nid=drv\ntype=ethernet\n\n[match]\ndriver=igb;\n");
        put("/usr/lib/NetworkManager/system-connections/ports.nmconnection",
            "[connection]\nid=ports\ntype=802-3-ethernet\n\n[match]\ninterface-name=eno1;|eno2;!eno3\n"
            "path=pci-0000:3b:00.0;pci-0000:af:00.*\n");
        put("/etc/NetworkManager/system-connections/vlan10.nmconnection",
            "[connection]\nid=vlan10\ntype=vlan\ninterface-name=vlan10\n\n[vlan]\nid=10\nparent=ens1f1\n");
        put("/etc/NetworkManager/system-connections/bond0.nmconnection",
            "[connection]\nid=bond0\ntype=bond\ninterface-name=bond0\n");
        check(mgmt_collect(&m, /* cmdline= */ NULL, /* live= */ false) == 0);
        it = find_source(&m, MGMT_ANY, "/etc/NetworkManager/system-connections/wired.nmconnection");
        check(it && it->origin == MGMT_FROM_NETWORKMANAGER);
        check_streq(it->source, "an ethernet connection (line 3) that names no interface and no MAC, which "
                                "NetworkManager activates on any NIC");
        it = find_source(&m, MGMT_ANY, "/run/NetworkManager/system-connections/drv.nmconnection");
        check(it && streq(it->source, "matches its devices by driver= (line 6), which no device shows before "
                                      "its driver probes, and by no interface name, MAC or path"));
        check(!find_source(&m, MGMT_ANY, "/usr/lib/NetworkManager/system-connections/ports.nmconnection"));
        check(find_source(&m, MGMT_NAME, "eno1"));
        check(find_source(&m, MGMT_NAME, "eno2"));
        check(find_source(&m, MGMT_GLOB, "!eno3"));
        check(find_source(&m, MGMT_PCI, "0000:3b:00.0"));
        check(find_source(&m, MGMT_PATH_GLOB, "pci-0000:af:00.*"));
        check_streq(find_source(&m, MGMT_NAME, "ens1f1")->source,
                    "/etc/NetworkManager/system-connections/vlan10.nmconnection:8");
        check(!find_source(&m, MGMT_ANY, "/etc/NetworkManager/system-connections/bond0.nmconnection"));
}

/* An older keyfile's [802-3-ethernet] section, which NetworkManager reads as [ethernet]. */
static void test_networkmanager_long_section(void) {
        _cleanup_(mgmt_free) Mgmt m = {};

        put("/etc/NetworkManager/system-connections/System eth0",
            "[connection]\nid=System eth0\ntype=802-3-ethernet\n\n[802-3-ethernet]\nmac-address=3C:FD:FE:AA:BB:03\n");
        check(mgmt_collect(&m, /* cmdline= */ NULL, /* live= */ false) == 0);
        check_streq(find_source(&m, MGMT_MAC, "3c:fd:fe:aa:bb:03")->source,
                    "/etc/NetworkManager/system-connections/System eth0:6");
        check(!mgmt_any(&m));
}

/* A config space whose Device Serial Number holds 3c:fd:fe:aa:bb:cc as Intel writes it. */
static void put_config_dsn(const char *rel) {
        static const char dsn[] = "\x03\x00\x01\x00\xcc\xbb\xaa\xff\xff\xfe\xfd\x3c";
        char config[4096] = { 0 };
        FILE *f;

        memcpy(config + 0x100, dsn, sizeof(dsn) - 1);
        mkdir_parents(rel);
        f = fopen(at_root(rel), "we");
        check(f);
        check(fwrite(config, 1, sizeof(config), f) == sizeof(config));
        check(fclose(f) == 0);
}

/* Before probe: an Intel function 0's serial number gives its MAC; an interface there is now
 * gives its own; a Broadcom's serial number gives nothing. */
static void test_resolve_pre_probe(void) {
        _cleanup_(mgmt_free) Mgmt m = {};
        const MgmtItem *it;

        put("/etc/systemd/network/10-a.network", "[Match]\nMACAddress=3c:fd:fe:aa:bb:cc\n");
        put("/etc/systemd/network/20-b.network", "[Match]\nMACAddress=52:54:00:00:00:0e\n");
        put("/etc/systemd/network/30-c.network", "[Match]\nMACAddress=00:10:18:00:00:01\n");
        put("/sys/bus/pci/devices/0000:3b:00.0/vendor", "0x8086\n");
        put("/sys/bus/pci/devices/0000:3b:00.0/class", "0x020000\n");
        put_config_dsn("/sys/bus/pci/devices/0000:3b:00.0/config");
        put("/sys/bus/pci/devices/0000:5e:00.0/vendor", "0x14e4\n");
        put("/sys/bus/pci/devices/0000:5e:00.0/class", "0x020000\n");
        put_config_dsn("/sys/bus/pci/devices/0000:5e:00.0/config");
        put("/sys/devices/pci0000:00/0000:00:06.0/net/eth9/address", "52:54:00:00:00:0e\n");
        link_to("../../devices/pci0000:00/0000:00:06.0/net/eth9", "/sys/class/net/eth9");
        link_to("../../../0000:00:06.0", "/sys/devices/pci0000:00/0000:00:06.0/net/eth9/device");
        check(mgmt_collect(&m, /* cmdline= */ NULL, /* live= */ false) == 0);
        it = find_source(&m, MGMT_PCI, "0000:3b:00.0");
        check(it && startswith(it->source, "MAC 3c:fd:fe:aa:bb:cc (from /etc/systemd/network/10-a.network:2), "
                                           "which the Device Serial Number of 0000:3b:00.0 gives"));
        it = find_source(&m, MGMT_PCI, "0000:00:06.0");
        check(it && strstr(it->source, "which eth9 has now"));
        check(it->origin == MGMT_FROM_HARDWARE);
        check(!find_source(&m, MGMT_PCI, "0000:5e:00.0"));
        it = mgmt_next_unresolved_mac(&m, NULL);
        check(it && streq(it->value, "00:10:18:00:00:01") && !mgmt_next_unresolved_mac(&m, it));
}

/* The device's facts against the evidence. */
static void test_find_device(void) {
        _cleanup_(mgmt_free) Mgmt m = {};
        MgmtDevice d = {
                .pci = { .address = "0000:01:00.1", .path = "", .acpi_index = -1, .smbios_index = 2, .ari = 0 },
                .ifname = "", .mac = "",
        };

        put("/etc/network/interfaces", "iface bond0 inet dhcp\n    bond-slaves eno1 eno2\n");
        check(mgmt_collect(&m, "ip=enx3cfdfeaabbcc:dhcp", /* live= */ false) == 0);
        check_streq(mgmt_find_device(&m, &d)->value, "eno2");
        d.pci.smbios_index = 3;
        check(!mgmt_find_device(&m, &d));
        d.mac = "3C:FD:FE:AA:BB:CC";
        check_streq(mgmt_find_device(&m, &d)->source, "kernel command line ip=enx3cfdfeaabbcc:dhcp");
}

/* A boot that needs a network: a NIC named for it is the evidence; none named, any NIC could
 * carry it (MGMT_ANY, from the first word that asks for the network). */
static void test_netboot(void) {
        static const char *const any[] = {
                "root=nfs:192.0.2.1:/srv/root ip=dhcp",
                "ip=dhcp",
                "rd.neednet=1 ip=any",
                "netroot=iscsi:192.0.2.1::::iqn.2009-06.com.example:root",
                "root=/dev/nfs nfsroot=192.0.2.1:/srv",
                "root=cifs://192.0.2.1/root",
                "root=live:http://192.0.2.1/live.img",
                "root=dhcp",
                "fcoe=edd:nodcb root=/dev/sda1",
                "ip=192.0.2.10::192.0.2.1:255.255.255.0:host::none",
                "ip=::::::dhcp",
                "ip=192.0.2.10",
        };
        static const char *const named[] = {
                "root=nfs:192.0.2.1:/srv/root ip=dhcp BOOTIF=01-3c-fd-fe-aa-bb-cc",
                "root=nfs:192.0.2.1:/srv/root ip=enp59s0f0:dhcp",
                "rd.neednet=1 ifname=mgmt0:3c:fd:fe:aa:bb:cc ip=mgmt0:dhcp",
                "ip=192.0.2.10::192.0.2.1:255.255.255.0:host:eno1:none root=nfs:192.0.2.1:/srv",
                "root=/dev/sda1 ip=off",
                "root=/dev/sda1 ro",
                "root=live:CDLABEL=Fedora",
                "ip=:::::eno1:dhcp",
                "ip=none",
        };

        for (size_t i = 0; i < ELEMENTSOF(any); i++) {
                _cleanup_(mgmt_free) Mgmt m = {};
                const MgmtItem *it;

                check(mgmt_collect(&m, any[i], /* live= */ false) == 0);
                it = mgmt_any(&m);
                check(it);
                check_streq(it->source, "kernel command line");
                check(it->origin == MGMT_FROM_CMDLINE);
                check(strstr(any[i], it->value) == any[i]);
        }
        for (size_t i = 0; i < ELEMENTSOF(named); i++) {
                _cleanup_(mgmt_free) Mgmt m = {};

                check(mgmt_collect(&m, named[i], /* live= */ false) == 0);
                check(!mgmt_any(&m));
        }
}

/* Whether a netboot names its NIC is for the command line and iBFT to say, whatever the other
 * readers found: a NIC that a .network file, the stored evidence or the NIC record names is not
 * one the initramfs brings up for the boot. The netboot's item comes before a broken file's, so
 * the refusal tells of the netboot. Fails if netboot_any() runs after the files are read (the
 * decision, or the first MGMT_ANY, then depends on them). */
static void test_netboot_other_evidence(void) {
        _cleanup_(mgmt_free) Mgmt m = {};
        const MgmtItem *it;

        put("/etc/systemd/network/10-a.network", "[Match]\nName=enp1s0\nMACAddress=52:54:00:00:00:01\n");
        put(MGMT_SAVED, "name eno1 /etc/systemd/network/x.network:2\n");
        put(MGMT_NIC_MACS, "0000:00:01.0 52:54:00:00:00:01 enp1s0\n");
        mkdir_parents("/etc/NetworkManager/system-connections/broken/x");
        check(mgmt_collect(&m, "root=nfs:192.0.2.1:/srv/root ip=dhcp", /* live= */ false) == 0);
        check(find_source(&m, MGMT_NAME, "enp1s0"));
        check(find_source(&m, MGMT_NAME, "eno1"));
        check(find_source(&m, MGMT_PCI, "0000:00:01.0"));
        check(find_source(&m, MGMT_ANY, "/etc/NetworkManager/system-connections/broken"));
        it = mgmt_any(&m);
        check(it && it->origin == MGMT_FROM_CMDLINE);
        check_streq(it->value, "root=nfs:192.0.2.1:/srv/root");
        check(unlink(at_root(MGMT_NIC_MACS)) == 0);    /* /var is not cleaned between the tests */
}

/* The boot firmware names the boot's NIC (iBFT): no MGMT_ANY. Fails if iBFT is read after the
 * netboot is judged. */
static void test_netboot_ibft(void) {
        _cleanup_(mgmt_free) Mgmt m = {};

        put("/sys/firmware/ibft/ethernet0/mac", "52:54:00:00:00:02\n");
        check(mgmt_collect(&m, "root=iscsi:192.0.2.1::::iqn.2009-06.com.example:root ip=dhcp",
                           /* live= */ false) == 0);
        check(find_source(&m, MGMT_MAC, "52:54:00:00:00:02")->origin == MGMT_FROM_IBFT);
        check(!mgmt_any(&m));
}

/* dracut's bond and bridge without ports take eth0 and eth1 (a bond) or eth0 (a bridge): kernel
 * names, given in probe order, so any NIC; with ports, only those. fcoe= names its NIC. */
static void test_cmdline_default_ports(void) {
        static const char *const defaults[] = { "bond", "bond=bond0", "bond=bond0::mode=802.3ad", "bridge",
                                                "bridge=br0" };

        for (size_t i = 0; i < ELEMENTSOF(defaults); i++) {
                _cleanup_(mgmt_free) Mgmt m = {};
                const MgmtItem *it;

                check(mgmt_collect(&m, defaults[i], /* live= */ false) == 0);
                it = find_source(&m, MGMT_NAME, "eth0");
                check(it && it->origin == MGMT_FROM_CMDLINE);
                check(strstr(it->source, "dracut's default port"));
                check(find_source(&m, MGMT_ANY, "eth0"));
                check(!startswith(defaults[i], "bond") || find_source(&m, MGMT_NAME, "eth1"));
        }
        {
                _cleanup_(mgmt_free) Mgmt m = {};

                check(mgmt_collect(&m, "bond=bond0:eno1,eno2:mode=802.3ad", /* live= */ false) == 0);
                check(find_source(&m, MGMT_NAME, "eno2"));
                check(!find_source(&m, MGMT_NAME, "eth0"));
                check(!mgmt_any(&m));
        }
        {
                _cleanup_(mgmt_free) Mgmt m = {};

                /* FCoE's NIC, by name or by MAC (whose colons are no field separators) */
                check(mgmt_collect(&m, "fcoe=ens1f0:dcb:fabric fcoe=3C:FD:FE:AA:BB:CC:nodcb", /* live= */ false) == 0);
                check_streq(find_source(&m, MGMT_NAME, "ens1f0")->source, "kernel command line fcoe=ens1f0:dcb:fabric");
                check(find_source(&m, MGMT_MAC, "3c:fd:fe:aa:bb:cc"));
                check(!find_source(&m, MGMT_NAME, "3C"));
                check(!mgmt_any(&m));
        }
}

/* A FIFO where a .network file (or any evidence file) is: refused without blocking, the other
 * files still read. */
static void test_fifo(void) {
        _cleanup_(mgmt_free) Mgmt m = {};

        put("/etc/systemd/network/20-b.network", "[Match]\nName=enp2s0\n");
        mkdir_parents("/etc/systemd/network/10-a.network");
        check(mkfifo(at_root("/etc/systemd/network/10-a.network"), 0644) == 0);
        mkdir_parents("/etc/netplan/10-a.yaml");
        check(mkfifo(at_root("/etc/netplan/10-a.yaml"), 0644) == 0);
        mkdir_parents("/etc/network/interfaces");
        check(mkfifo(at_root("/etc/network/interfaces"), 0644) == 0);
        check(mgmt_collect(&m, /* cmdline= */ NULL, /* live= */ false) == 0);
        check(find_source(&m, MGMT_NAME, "enp2s0"));
        /* each could name any NIC: fail closed, the file named */
        check(find_source(&m, MGMT_ANY, "/etc/systemd/network/10-a.network"));
        check(find_source(&m, MGMT_ANY, "/etc/netplan/10-a.yaml"));
        check_streq(find_source(&m, MGMT_ANY, "/etc/network/interfaces")->source,
                    "cannot be read (not a regular file)");
}

/* Unreadable and malformed files fail closed; a broken line outside the sections that say
 * which device the file is for does not. */
static void test_fail_closed(void) {
        _cleanup_(mgmt_free) Mgmt m = {}, ok = {};

        put("/etc/systemd/network/10-a.network", "[Match]\nName=enp1s0 \\\n  enp9s0\n\n[Network]\nDHCP yes\n");
        check(mgmt_collect(&ok, /* cmdline= */ NULL, /* live= */ false) == 0);
        check(find_source(&ok, MGMT_NAME, "enp1s0"));
        check_streq(find_source(&ok, MGMT_NAME, "enp9s0")->source, "/etc/systemd/network/10-a.network:2");
        check(!mgmt_any(&ok));
        put("/etc/systemd/network/20-b.network", "[Match]\nName enp2s0\n");
        put("/usr/lib/NetworkManager/system-connections/c.nmconnection", "[connection\ninterface-name=enp3s0\n");
        put("/etc/systemd/network/30-c.netdev", "[NetDev]\nName=bond0\n");
        mkdir_parents("/etc/systemd/network/40-d.network/x");
        check(mgmt_collect(&m, /* cmdline= */ NULL, /* live= */ false) == 0);
        check_streq(find_source(&m, MGMT_ANY, "/etc/systemd/network/20-b.network")->source,
                    "cannot be parsed at line 2 (no \"=\" in the line)");
        check(find_source(&m, MGMT_ANY, "/usr/lib/NetworkManager/system-connections/c.nmconnection")->origin ==
              MGMT_FROM_NETWORKMANAGER);
        check(strstr(find_source(&m, MGMT_ANY, "/etc/systemd/network/40-d.network")->source, "cannot be read"));
        check(!find_source(&m, MGMT_ANY, "/etc/systemd/network/30-c.netdev"));
}

/* ifupdown's source and source-directory, relative to /etc/network, a loop ended. */
static void test_ifupdown_source(void) {
        _cleanup_(mgmt_free) Mgmt m = {};

        put("/etc/network/interfaces", "source interfaces.d/*.cfg\nsource-directory /etc/network/more\n"
                                       "source /etc/network/interfaces\n");
        put("/etc/network/interfaces.d/a.cfg", "iface enp1s0 inet dhcp\n");
        put("/etc/network/more/b", "iface enp2s0 inet6 auto\n");
        put("/etc/network/more/c.bak", "iface enp3s0 inet dhcp\n");
        check(mgmt_collect(&m, /* cmdline= */ NULL, /* live= */ false) == 0);
        check(find_source(&m, MGMT_NAME, "enp1s0")->origin == MGMT_FROM_IFUPDOWN);
        check(find_source(&m, MGMT_NAME, "enp2s0"));
        check(!find_source(&m, MGMT_NAME, "enp3s0"));  /* not a run-parts name */
}

/* Files that source themselves and each other many times over are each read once: with the
 * depth limit alone, these few lines were about 18^8 reads, days. SIGALRM fails the test where the
 * reads are not bounded. */
static void test_ifupdown_source_fanout(void) {
        _cleanup_(mgmt_free) Mgmt m = {};
        char text[1024] = "";
        size_t n = 0;

        for (int i = 0; i < 6; i++)
                n += (size_t) snprintf(text + n, sizeof(text) - n, "source interfaces\nsource interfaces.d/*\n");
        put("/etc/network/interfaces", text);
        (void) snprintf(text + n, sizeof(text) - n, "iface enp4s0 inet dhcp\n");
        put("/etc/network/interfaces.d/a", text);
        put("/etc/network/interfaces.d/b", "source ../interfaces\nsource-directory interfaces.d\n"
                                           "iface enp5s0 inet dhcp\n");
        alarm(20);
        check(mgmt_collect(&m, /* cmdline= */ NULL, /* live= */ false) == 0);
        alarm(0);
        check(find_source(&m, MGMT_NAME, "enp4s0"));
        check(find_source(&m, MGMT_NAME, "enp5s0"));
        /* the second collection walks again: what the first read is not skipped */
        mgmt_free(&m);
        check(mgmt_collect(&m, /* cmdline= */ NULL, /* live= */ false) == 0);
        check(find_source(&m, MGMT_NAME, "enp5s0"));
}

/* "source" patterns are matched inside the tree, a ".." after a wildcard too, and one walk looks at
 * no more than 4096 directory entries (found by fuzz-mgmt: the ".*" of a 2 kB file's patterns
 * took glob(3) above the tree, into the host's filesystem, for more than 300 s). Before, a pattern
 * with a wildcard before its last name matched nothing. */
static void test_ifupdown_source_bounded(void) {
        _cleanup_(mgmt_free) Mgmt m = {}, n = {};
        char text[128] = "source ";
        size_t len = strlen(text);
        const MgmtItem *it;

        put("/etc/network/interfaces", "source /etc/netw*/../../../../../../../../etc/dpdk-boot-tree-only-*\n");
        put("/etc/dpdk-boot-tree-only-a", "iface enp6s0 inet dhcp\n");
        check(mgmt_collect(&m, /* cmdline= */ NULL, /* live= */ false) == 0);
        check(find_source(&m, MGMT_NAME, "enp6s0"));
        /* ".*" matches "." and "..": 2^13 ways to the tree's top, each listed again */
        for (int i = 0; i < 13; i++)
                len += (size_t) snprintf(text + len, sizeof(text) - len, "/.*");
        (void) snprintf(text + len, sizeof(text) - len, "/x\niface enp7s0 inet dhcp\n");
        put("/etc/network/interfaces", text);
        alarm(20);
        check(mgmt_collect(&n, /* cmdline= */ NULL, /* live= */ false) == 0);
        alarm(0);
        it = find_source(&n, MGMT_ANY, "/etc/network/interfaces");
        check(it && it->origin == MGMT_FROM_IFUPDOWN);
        check_streq(it->source, "cannot be parsed at line 1 (sources more than 4096 directory entries)");
        check(find_source(&n, MGMT_NAME, "enp7s0"));
}

/* ifupdown's "bridge_ports all" and "regex ..." (bridge-utils) and "bond-slaves all" (ifenslave)
 * take the kernel's interfaces as they are at run time: fail closed, the line named. */
static void test_ifupdown_all(void) {
        _cleanup_(mgmt_free) Mgmt m = {};
        const MgmtItem *it;

        put("/etc/network/interfaces", "auto br0\niface br0 inet dhcp\n    bridge_ports all\n");
        put("/etc/network/interfaces.d/bond", "iface bond0 inet manual\n    bond-slaves none\n"
                                              "iface br1 inet manual\n    bridge-ports regex (eth|eno)[0-9]\n");
        check(mgmt_collect(&m, /* cmdline= */ NULL, /* live= */ false) == 0);
        it = find_source(&m, MGMT_ANY, "/etc/network/interfaces");
        check(it && it->origin == MGMT_FROM_IFUPDOWN);
        check_streq(it->source, "line 3 takes \"all\" interfaces, as the kernel has them when it runs, which "
                                "names no device before its driver probes");
        it = find_source(&m, MGMT_ANY, "/etc/network/interfaces.d/bond");
        check(it && strstr(it->source, "line 4 takes \"regex\" interfaces"));
        check(!find_source(&m, MGMT_NAME, "all"));
        check(!find_source(&m, MGMT_NAME, "none"));
}

/* ifupdown2's "iface NAME" without an address family (classic ifupdown refuses the line, and
 * then the whole file, which could name the NIC): a name either way. */
static void test_ifupdown2_iface(void) {
        _cleanup_(mgmt_free) Mgmt m = {};

        put("/etc/network/interfaces", "auto lo\niface lo inet loopback\n\nauto swp1\niface swp1\n"
                                       "    mtu 9000\n\niface eno1 inet manual\niface\n");
        check(mgmt_collect(&m, /* cmdline= */ NULL, /* live= */ false) == 0);
        check_streq(find_source(&m, MGMT_NAME, "swp1")->source, "/etc/network/interfaces:5");
        check(find_source(&m, MGMT_NAME, "eno1"));
        check(!find_source(&m, MGMT_NAME, "lo"));
        check(!find_source(&m, MGMT_NAME, "mtu"));
}

/* The live state: the interfaces of the IPv4 and IPv6 default routes and every device below
 * them (a bridge over a bond over two ports, a VLAN over a port); lo's unreachable IPv6 default
 * and a route that is not a default count for nothing. */
static void test_live_routes(void) {
        _cleanup_(mgmt_free) Mgmt m = {};

        put("/proc/net/route", "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\n"
                               "br0\t00000000\t0100000A\t0003\t0\t0\t0\t00000000\n"
                               "enp1s0\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\n");
        put("/proc/net/ipv6_route",
            "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
            "fe800000000000000000000000000001 00000400 00000001 00000000 00000003 mgmt.10\n"
            "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
            "00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n"
            "20010db8000000000000000000000000 40 00000000000000000000000000000000 00 "
            "00000000000000000000000000000000 00000100 00000001 00000000 00000001 enp2s0\n");
        link_to("../bond0", "/sys/class/net/br0/lower_bond0");
        link_to("../eno1", "/sys/class/net/bond0/lower_eno1");
        link_to("../eno2", "/sys/class/net/bond0/lower_eno2");
        link_to("../ens3f0", "/sys/class/net/mgmt.10/lower_ens3f0");
        check(mgmt_collect_live(&m) == 0);
        check(find_source(&m, MGMT_NAME, "br0")->origin == MGMT_FROM_ROUTE);
        check_streq(find_source(&m, MGMT_NAME, "eno2")->source, "the IPv4 default route (below bond0)");
        check(find_source(&m, MGMT_NAME, "bond0"));
        check(find_source(&m, MGMT_NAME, "eno1"));
        check_streq(find_source(&m, MGMT_NAME, "ens3f0")->source, "the IPv6 default route (below mgmt.10)");
        check(!find_source(&m, MGMT_NAME, "lo"));
        check(!find_source(&m, MGMT_NAME, "enp1s0"));
        check(!find_source(&m, MGMT_NAME, "enp2s0"));
}

/* Names that .link files and udev rules give, and a kernel name: their matches are the
 * evidence. */
static void test_renames(void) {
        _cleanup_(mgmt_free) Mgmt m = {};
        const MgmtItem *it;

        put("/etc/systemd/network/10-mgmt.link", "[Match]\nPermanentMACAddress=3C:FD:FE:AA:BB:01\n\n[Link]\nName=mgmt0\n");
        put("/usr/lib/systemd/network/20-data.link", "[Match]\nPath=pci-0000:3b:00.1\n\n[Link]\nName=data0\n");
        put("/run/systemd/network/30-stor.link", "[Match]\nDriver=ixgbe\n\n[Link]\nName=stor0\n");
        put("/etc/systemd/network/40-other.link", "[Match]\nDriver=igb\n\n[Link]\nName=other0\n");
        put("/etc/systemd/network/10-mgmt.network", "[Match]\nName=mgmt0 data*\n");
        put("/etc/udev/rules.d/70-net.rules",
            "SUBSYSTEM==\"net\", ACTION==\"add\", ATTR{address}==\"52:54:00:00:00:10\", NAME=\"lan0\"\n"
            "SUBSYSTEM==\"net\", KERNELS==\"0000:5e:00.0\", NAME:=\"lan1\"\n");
        put("/etc/network/interfaces", "iface br0 inet dhcp\n    bridge_ports lan0 lan1 stor0\n");
        check(mgmt_collect(&m, "ip=eth0:dhcp", /* live= */ false) == 0);
        it = find_source(&m, MGMT_MAC, "3c:fd:fe:aa:bb:01");
        check(it && streq(it->source, "/etc/systemd/network/10-mgmt.link:5, which names mgmt0 (used by "
                                      "/etc/systemd/network/10-mgmt.network:2)"));
        check(find_source(&m, MGMT_PCI, "0000:3b:00.1"));              /* data0, by the data* pattern */
        check(find_source(&m, MGMT_MAC, "52:54:00:00:00:10"));
        check(find_source(&m, MGMT_PCI, "0000:5e:00.0"));
        it = find_source(&m, MGMT_ANY, "/run/systemd/network/30-stor.link");
        check(it && strstr(it->source, "gives the name stor0 (used by /etc/network/interfaces:2)"));
        check(it->origin == MGMT_FROM_RENAME);
        check(!find_source(&m, MGMT_ANY, "/etc/systemd/network/40-other.link"));  /* other0 is no evidence */
        it = find_source(&m, MGMT_ANY, "eth0");
        check(it && strstr(it->source, "(used by kernel command line ip=eth0:dhcp) is a kernel name"));
        /* the kernel name's reader made it, not the command line's: it is no netboot */
        check(it->origin == MGMT_FROM_KERNEL_NAME);
        check(find_source(&m, MGMT_NAME, "eth0")->origin == MGMT_FROM_CMDLINE);
}

/* Patterns against the names a device could get, and Path= globs. */
static void test_globs(void) {
        _cleanup_(mgmt_free) Mgmt m = {};
        MgmtDevice d = {
                .pci = { .address = "0000:3b:00.1", .path = "", .acpi_index = -1, .smbios_index = -1, .ari = 0 },
                .ifname = "", .mac = "",
        };
        MgmtDevice other = {
                .pci = { .address = "0000:af:00.0", .path = "", .acpi_index = -1, .smbios_index = -1, .ari = 0 },
                .ifname = "", .mac = "",
        };

        put("/sys/bus/pci/slots/4/address", "0000:3b:00\n");
        put("/etc/systemd/network/10-a.network", "[Match]\nName=ens4f*\n");
        check(mgmt_collect(&m, /* cmdline= */ NULL, /* live= */ false) == 0);
        check_streq(mgmt_find_device(&m, &d)->value, "ens4f*");
        check(!mgmt_find_device(&m, &other));
        mgmt_free(&m);
        put("/etc/systemd/network/10-a.network", "[Match]\nPath=pci-0000:af:00.*\n");
        check(mgmt_collect(&m, /* cmdline= */ NULL, /* live= */ false) == 0);
        check(!mgmt_find_device(&m, &d));
        check_streq(mgmt_find_device(&m, &other)->value, "pci-0000:af:00.*");
        mgmt_free(&m);
        put("/etc/systemd/network/10-a.network", "[Match]\nName=!enp59s0f1\n");
        check(mgmt_collect(&m, /* cmdline= */ NULL, /* live= */ false) == 0);
        /* 3b:00.1 could be ens4f1 too, which the inverted list matches */
        check(mgmt_find_device(&m, &d));
        check(mgmt_find_device(&m, &other));
}

/* What "dpdk-boot mgmt-evidence" stores for the initramfs reads back as every item it holds, of
 * every kind: "path-glob" (9 bytes) was once dropped for a too short buffer, so the initramfs
 * forgot the Path= globs of .network files (found by fuzz/fuzz-mgmt). */
static void test_saved_roundtrip(void) {
        _cleanup_(mgmt_free) Mgmt files = {}, back = {};
        _cleanup_free_ char *text = NULL;
        size_t len = 0;
        FILE *f;

        put("/etc/systemd/network/10-a.network",
            "[Match]\nName=eno1 en*\nMACAddress=52:54:00:00:00:0e\nPath=pci-0000:3b:00.* pci-0000:00:04.0\n");
        put("/etc/netplan/50-broken.yaml", "network: [\n");
        check(mgmt_collect_files(&files) == 0);
        for (MgmtKind k = 0; k < _MGMT_KIND_MAX; k++) {
                bool seen = false;

                for (size_t i = 0; i < files.n_items; i++)
                        seen = seen || files.items[i].kind == k;
                check(seen);
        }
        check(f = open_memstream(&text, &len));
        check(mgmt_write(&files, f) == 0);
        check(fclose(f) == 0);
        check(unlink(at_root("/etc/systemd/network/10-a.network")) == 0);
        check(unlink(at_root("/etc/netplan/50-broken.yaml")) == 0);
        put(MGMT_SAVED, text);
        check(mgmt_collect(&back, /* cmdline= */ NULL, /* live= */ false) == 0);
        for (size_t i = 0; i < files.n_items; i++)
                check(mgmt_find(&back, files.items[i].kind, files.items[i].value)->origin == MGMT_FROM_SAVED);
}

/* A PCI address of the stored evidence without its domain, or in upper case, is the address
 * sysfs gives the device (found by fuzz-mgmt: "3b:00.1" stayed as it was and named no device). */
static void test_saved_pci_forms(void) {
        _cleanup_(mgmt_free) Mgmt m = {};
        MgmtDevice dev = { .pci = { .address = "0000:3b:00.1", .path = "", .acpi_index = -1, .smbios_index = -1,
                                    .ari = -1 },
                           .ifname = "", .mac = "" };

        put(MGMT_SAVED, "pci 3b:00.1 from an older image\npci 00A0:3B:00.0 from another\n");
        check(mgmt_collect(&m, /* cmdline= */ NULL, /* live= */ false) == 0);
        check(mgmt_find_device(&m, &dev));
        check_streq(find_source(&m, MGMT_PCI, "0000:3b:00.1")->value, "0000:3b:00.1");
        check_streq(find_source(&m, MGMT_PCI, "00a0:3b:00.0")->value, "00a0:3b:00.0");
}

int main(void) {
        char cmd[PATH_MAX + 16];

        check(mkdtemp(root));
        root_set(root);
        test_networkd();
        (void) snprintf(cmd, sizeof(cmd), "rm -rf '%s'/etc '%s'/run '%s'/usr '%s'/lib '%s'/sys '%s'/proc", root, root,
                        root, root, root, root);
        check(system(cmd) == 0); /* NOLINT(cert-env33-c): a fixed command on our mkdtemp() tree */
        test_networkd_other_match();
        check(system(cmd) == 0); /* NOLINT(cert-env33-c) */
        test_resolved();
        check(system(cmd) == 0); /* NOLINT(cert-env33-c) */
        test_netplan();
        check(system(cmd) == 0); /* NOLINT(cert-env33-c) */
        test_netplan_other_match();
        check(system(cmd) == 0); /* NOLINT(cert-env33-c) */
        test_netplan_aliases();
        check(system(cmd) == 0); /* NOLINT(cert-env33-c) */
        test_networkmanager_match();
        check(system(cmd) == 0); /* NOLINT(cert-env33-c) */
        test_networkmanager_long_section();
        check(system(cmd) == 0); /* NOLINT(cert-env33-c) */
        test_resolve_pre_probe();
        check(system(cmd) == 0); /* NOLINT(cert-env33-c) */
        test_find_device();
        check(system(cmd) == 0); /* NOLINT(cert-env33-c) */
        test_netboot();
        check(system(cmd) == 0); /* NOLINT(cert-env33-c) */
        test_netboot_other_evidence();
        check(system(cmd) == 0); /* NOLINT(cert-env33-c) */
        test_netboot_ibft();
        check(system(cmd) == 0); /* NOLINT(cert-env33-c) */
        test_cmdline_default_ports();
        check(system(cmd) == 0); /* NOLINT(cert-env33-c) */
        test_fifo();
        check(system(cmd) == 0); /* NOLINT(cert-env33-c) */
        test_fail_closed();
        check(system(cmd) == 0); /* NOLINT(cert-env33-c) */
        test_ifupdown_source();
        check(system(cmd) == 0); /* NOLINT(cert-env33-c) */
        test_ifupdown_source_fanout();
        check(system(cmd) == 0); /* NOLINT(cert-env33-c) */
        test_ifupdown_source_bounded();
        check(system(cmd) == 0); /* NOLINT(cert-env33-c) */
        test_ifupdown_all();
        check(system(cmd) == 0); /* NOLINT(cert-env33-c) */
        test_ifupdown2_iface();
        check(system(cmd) == 0); /* NOLINT(cert-env33-c) */
        test_live_routes();
        check(system(cmd) == 0); /* NOLINT(cert-env33-c) */
        test_renames();
        check(system(cmd) == 0); /* NOLINT(cert-env33-c) */
        test_globs();
        check(system(cmd) == 0); /* NOLINT(cert-env33-c) */
        test_saved_roundtrip();
        check(system(cmd) == 0); /* NOLINT(cert-env33-c) */
        test_saved_pci_forms();
        root_set(NULL);
        (void) snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
        check(system(cmd) == 0); /* NOLINT(cert-env33-c): a fixed command on our mkdtemp() tree */
        return 0;
}
