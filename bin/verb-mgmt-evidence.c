/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootloader.h"
#include "cleanup.h"
#include "helper.h"
#include "log.h"
#include "mgmt.h"
#include "netname.h"
#include "pcidev.h"
#include "rootdir.h"
#include "util.h"

/*
 * mgmt-evidence: print what the network configuration says about the management path, in the
 * format of MGMT_SAVED (mgmt.h). The dracut module stores it in the initramfs, which cannot see
 * the real root's network configuration. A MAC that an interface of this host has right now is
 * also given as that interface's PCI address: early in the next boot, before any NIC driver, a
 * MAC names no device.
 */
static int add_pci_of_macs(const Mgmt *files, FILE *out) {
        _cleanup_closedir_ DIR *d = root_opendir("/sys/class/net");
        struct dirent *de;

        if (!d)
                return 0;
        while ((de = readdir(d))) {
                char path[PATH_MAX], mac[18];
                _cleanup_free_ char *dev = NULL;
                const MgmtItem *it;

                if (de->d_name[0] == '.' || netname_permanent_mac(dirfd(d), de->d_name, mac) < 0)
                        continue;
                it = mgmt_find(files, MGMT_MAC, mac);
                if (!it)
                        continue;
                (void) snprintf(path, sizeof(path), "/sys/class/net/%s/device", de->d_name);
                if (root_readlink_basename(path, &dev) < 0 || !pci_address_normalize(dev, (char[13]) {}))
                        continue;
                fprintf(out, "pci %s MAC %s of %s when the initramfs was built (%s)\n", dev, mac, de->d_name,
                        it->source);
        }
        return 0;
}

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(char * const *) a, *(char * const *) b);
}

void record_nic_macs(void) {
        _cleanup_closedir_ DIR *d = root_opendir("/sys/class/net");
        _cleanup_free_ char *old = NULL, *scratch = NULL;
        _cleanup_(strv_free) Strv lines = {};
        _cleanup_(buf_free) Buf b = {};
        struct dirent *de;
        int r;

        (void) root_read_file(MGMT_NIC_MACS, 1 << 20, &old, NULL);
        /* The NICs with an interface now. */
        while (d && (de = readdir(d))) {
                char path[PATH_MAX], mac[18];
                _cleanup_free_ char *dev = NULL;

                if (de->d_name[0] == '.' || netname_permanent_mac(dirfd(d), de->d_name, mac) < 0)
                        continue;
                (void) snprintf(path, sizeof(path), "/sys/class/net/%s/device", de->d_name);
                if (root_readlink_basename(path, &dev) < 0 || !pci_address_normalize(dev, (char[13]) {}))
                        continue;
                if (strv_pushf(&lines, "%s %s %s", dev, mac, de->d_name) < 0)
                        return;
        }
        /* What an earlier boot saw of the NICs without one now (on vfio-pci, say), while they exist. */
        if (old && (scratch = strdup(old)))
                for (char *l = scratch, *e; l && *l; l = e ? e + 1 : NULL) {
                        char addr[32], path[64];
                        bool seen = false;

                        e = strchr(l, '\n');
                        if (e)
                                *e = 0;
                        if (sscanf(l, "%31s", addr) != 1 || !pci_address_normalize(addr, (char[13]) {}))
                                continue;
                        for (size_t i = 0; i < lines.n && !seen; i++)
                                seen = startswith(lines.v[i], addr);
                        (void) snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", addr); /* a BDF */
                        if (!seen && root_exists(path) > 0 && strv_push(&lines, strdup(l)) < 0)
                                return;
                }
        qsort_safe(lines.v, lines.n, sizeof(char *), cmp_str);
        for (size_t i = 0; i < lines.n; i++)
                (void) buf_printf(&b, "%s\n", lines.v[i]);
        if (lines.n == 0 || !b.data || (old && streq(old, b.data)))
                return;
        r = kargs_state_write(MGMT_NIC_MACS, b.data);
        if (r < 0)
                log_warning_errno(r, "Failed to record the NICs' MACs in %s%s, ignoring: %m", root_get(),
                                  MGMT_NIC_MACS);
}

int mgmt_evidence_write(FILE *out) {
        _cleanup_(mgmt_free) Mgmt m = {};
        int r;

        r = mgmt_collect_files(&m);
        if (r >= 0)
                r = mgmt_write(&m, out);
        if (r >= 0)
                r = add_pci_of_macs(&m, out);
        return r;
}

int verb_mgmt_evidence(int argc, char **argv) {
        int r;

        (void) argc, (void) argv;
        r = mgmt_evidence_write(stdout);
        if (r < 0 || fflush(stdout) != 0 || ferror(stdout))
                return log_error_errno(r < 0 ? r : EIO, "Failed to collect or write the evidence: %m"),
                       EXIT_FAILURE;
        return EXIT_SUCCESS;
}
