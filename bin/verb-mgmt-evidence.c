/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "helper.h"
#include "log.h"
#include "mgmt.h"
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
                char path[PATH_MAX], mac[64];
                _cleanup_free_ char *dev = NULL;
                const MgmtItem *it;

                if (de->d_name[0] == '.')
                        continue;
                snprintf(path, sizeof(path), "/sys/class/net/%s/address", de->d_name);
                if (root_read_buf(path, mac, sizeof(mac)) <= 0)
                        continue;
                strip(mac);
                it = mgmt_find(files, MGMT_MAC, mac);
                if (!it)
                        continue;
                snprintf(path, sizeof(path), "/sys/class/net/%s/device", de->d_name);
                if (root_readlink_basename(path, &dev) < 0 || !pci_address_normalize(dev, (char[13]) {}))
                        continue;
                fprintf(out, "pci %s MAC %s of %s when the initramfs was built (%s)\n", dev, mac, de->d_name,
                        it->source);
        }
        return 0;
}

int verb_mgmt_evidence(int argc, char **argv) {
        _cleanup_(mgmt_free) Mgmt m = {};
        int r;

        (void) argc, (void) argv;
        r = mgmt_collect_files(&m);
        if (r < 0)
                return log_error_errno(r, "Failed to read the network configuration: %m"), EXIT_FAILURE;
        r = mgmt_write(&m, stdout);
        if (r >= 0)
                r = add_pci_of_macs(&m, stdout);
        if (r < 0 || fflush(stdout) != 0)
                return log_error_errno(r < 0 ? r : EIO, "Failed to write the evidence: %m"), EXIT_FAILURE;
        return EXIT_SUCCESS;
}
