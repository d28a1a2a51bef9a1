/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The readers of the management evidence: systemd-networkd's .network, .netdev and .link files
 * and drop-ins, udev rules, NetworkManager keyfiles, ifupdown's interfaces with its source
 * statements, netplan's YAML, the evidence stored in the initramfs and the record of NIC MACs,
 * and the kernel command line, all under the scratch root. The input is split at form feeds
 * (\f); each part's first byte picks its file (or the command line), the rest is its content.
 *
 * Besides memory and UB errors: every item is well formed (a known kind, a value and a source,
 * a MAC in lower case, a PCI address normalized); and what "dpdk-boot mgmt-evidence" stores
 * for the initramfs, read back there from a tree that holds nothing else, names every NIC the
 * files named: each item of the files' evidence comes back with its kind and value (its first
 * word, for a value with white space). A lost item is a management NIC the initramfs would not
 * know.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "fuzz-common.h"
#include "log.h"
#include "mgmt.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PARTS 12
#define CMDLINE ""

static const char *const files[] = {
        "/etc/systemd/network/10-a.network",
        "/run/systemd/network/10-a.network",
        "/usr/lib/systemd/network/20-b.network",
        "/etc/systemd/network/10-a.network.d/50-x.conf",
        "/etc/systemd/network/30-c.netdev",
        "/etc/systemd/network/10-l.link",
        "/etc/udev/rules.d/70-net.rules",
        "/etc/NetworkManager/system-connections/eth",
        "/run/NetworkManager/system-connections/b.nmconnection",
        "/etc/network/interfaces",
        "/etc/network/interfaces.d/extra",
        "/etc/netplan/50-a.yaml",
        "/run/netplan/50-a.yaml",
        MGMT_SAVED,
        MGMT_NIC_MACS,
        CMDLINE,
};

int LLVMFuzzerInitialize(int *argc, char ***argv) {
        (void) argc, (void) argv;
        log_set_max_level(LOG_CRIT);
        fuzz_root_setup();
        return 0;
}

static void check_items(const Mgmt *m) {
        for (size_t i = 0; i < m->n_items; i++) {
                const MgmtItem *it = &m->items[i];
                char pci[13];

                if ((unsigned) it->kind >= _MGMT_KIND_MAX || (unsigned) it->origin >= _MGMT_ORIGIN_MAX ||
                    isempty(it->value) || isempty(it->source))
                        fuzz_fail("item %zu: kind %d, origin %d, value \"%s\", source \"%s\"", i, (int) it->kind,
                                  (int) it->origin, it->value ?: "", it->source ?: "");
                if (it->kind == MGMT_MAC)
                        for (const char *s = it->value; *s; s++)
                                if (*s >= 'A' && *s <= 'Z')
                                        fuzz_fail("MAC item \"%s\" is not lower case", it->value);
                if (it->kind == MGMT_PCI && (!pci_address_normalize(it->value, pci) || !streq(pci, it->value)))
                        fuzz_fail("PCI item \"%s\" is not a normalized address", it->value);
        }
}

/* What the initramfs reads of the stored evidence must hold every item the files gave. */
static void check_saved(const Mgmt *from_files) {
        _cleanup_(mgmt_free) Mgmt back = {};
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);

        if (!f || mgmt_write(from_files, f) < 0 || fclose(f) != 0)
                fuzz_fail("mgmt_write failed");
        fuzz_put_file(MGMT_SAVED, (const uint8_t *) text, len);
        if (mgmt_collect(&back, /* cmdline= */ NULL, /* live= */ false) < 0)
                fuzz_fail("mgmt_collect of the stored evidence failed");
        for (size_t i = 0; i < from_files->n_items; i++) {
                const MgmtItem *it = &from_files->items[i];
                const char *v = it->value + strspn(it->value, " \t\n");
                size_t word = strcspn(v, " \t\n");
                bool whole = v == it->value && !v[word];
                char *first;

                /* The stored format is one word a value, the first. No interface name, MAC, PCI
                 * address or device path has white space (the kernel's dev_valid_name() refuses it
                 * in names): such an item names no NIC, stored or not, and blanks alone match
                 * nothing. A pattern or a file cut to its first word is broader. */
                if ((!whole && (it->kind == MGMT_NAME || it->kind == MGMT_MAC || it->kind == MGMT_PCI)) ||
                    (word == 0 && it->kind != MGMT_ANY))
                        continue;
                first = strndup(v, word);
                if (!first)
                        abort();
                if (!mgmt_find(&back, it->kind, first) &&
                    !(it->kind == MGMT_GLOB && !whole && mgmt_find(&back, MGMT_NAME, first)))
                        fuzz_fail("%s item \"%s\" (%s) is lost when stored for the initramfs:\n%s",
                                  it->kind == MGMT_ANY ? "any" : "a", it->value, it->source, text);
                free(first);
        }
        free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_(mgmt_free) Mgmt all = {}, from_files = {};
        _cleanup_free_ char *cmdline = NULL;
        size_t start = 0, n_parts = 0;

        for (size_t i = 0; i <= size && n_parts < MAX_PARTS; i++) {
                const char *rel;

                if (i < size && data[i] != '\f')
                        continue;
                if (i > start) {
                        rel = files[data[start] % ELEMENTSOF(files)];
                        if (streq(rel, CMDLINE)) {
                                free(cmdline);
                                cmdline = strndup((const char *) data + start + 1, i - start - 1);
                        } else
                                fuzz_put_file(rel, data + start + 1, i - start - 1);
                        n_parts++;
                }
                start = i + 1;
        }

        if (mgmt_collect(&all, cmdline ?: "", /* live= */ false) < 0)
                fuzz_fail("mgmt_collect failed");
        check_items(&all);
        if (mgmt_collect_files(&from_files) < 0)
                fuzz_fail("mgmt_collect_files failed");
        check_items(&from_files);
        fuzz_undo();

        check_saved(&from_files);
        fuzz_undo();
        return 0;
}
