/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <pci/pci.h>
#include <systemd/sd-hwdb.h>

#include "helper-cleanup.h"
#include "log.h"
#include "pci-names.h"
#include "rootdir.h"

struct PciNames {
        sd_hwdb *hwdb;
        struct pci_access *pacc; /* only without a hwdb */
};

/*
 * libpci's error callback must not return (pci.h declares it noreturn) and the default one calls
 * exit(1). A status screen must survive a missing sysfs or a bad pci.ids, so ours jumps back to
 * the libpci call we are in, which then fails with -EIO.
 */
static sigjmp_buf *pci_error_jump = NULL;

static _Noreturn void pci_error_cb(char *msg, ...) {
        va_list ap;
        char buf[256];

        va_start(ap, msg);
        (void) vsnprintf(buf, sizeof(buf), msg, ap);
        va_end(ap);
        log_debug("libpci: %s", buf);

        if (!pci_error_jump)
                abort();
        siglongjmp(*pci_error_jump, 1);
}

static void pci_warning_cb(char *msg, ...) {
        va_list ap;
        char buf[256];

        va_start(ap, msg);
        (void) vsnprintf(buf, sizeof(buf), msg, ap);
        va_end(ap);
        log_debug("libpci: %s", buf);
}

static void pci_debug_cb(char *msg, ...) {
        /* libpci's debug output comes in fragments; nothing of it is worth keeping. */
}

/* libpci with the tree's pci.ids: the fallback when there is no hwdb. */
static int libpci_configure(struct pci_access *pacc) {
        _cleanup_free_ char *sysfs = NULL;
        char *ids;

        if (root_is_host())
                return 0;

        /* Names only: the bus is never scanned, so libpci reads nothing below its sysfs path (it
         * would resolve the links there on the host). The method is set, not probed: probing
         * looks at the host's /proc/bus/pci and I/O ports when the tree has no sysfs. */
        pacc->method = PCI_ACCESS_SYS_BUS_PCI;
        sysfs = root_path("/sys/bus/pci");
        if (!sysfs)
                return -errno;
        if (pci_set_param(pacc, (char *) "sysfs.path", sysfs) < 0)
                return -EINVAL;

        if (root_exists("/usr/share/misc/pci.ids") > 0) {
                ids = root_path("/usr/share/misc/pci.ids");
                if (!ids)
                        return -errno;
                pci_set_name_list_path(pacc, ids, /* to_be_freed= */ 1);
        }
        return 0;
}

static int libpci_open(struct pci_access **ret) {
        _cleanup_pci_access_ struct pci_access *pacc = NULL;
        sigjmp_buf jump;
        int r;

        pacc = pci_alloc();
        if (!pacc)
                return -ENOMEM;
        pacc->error = pci_error_cb;
        pacc->warning = pci_warning_cb;
        pacc->debug = pci_debug_cb;

        r = libpci_configure(pacc);
        if (r < 0)
                return r;

        if (sigsetjmp(jump, 0)) {
                pci_error_jump = NULL;
                return -EIO;
        }
        pci_error_jump = &jump;
        pci_init(pacc);
        pci_error_jump = NULL;

        *ret = TAKE_PTR(pacc);
        return 0;
}

static const char *libpci_lookup(struct pci_access *pacc, unsigned vendor, unsigned device, char *buf,
                                 size_t size) {
        /* the tree's pci.ids only: the host's hwdb knows nothing of a test tree or an image */
        int flags = PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_NUMBERS | PCI_LOOKUP_NO_HWDB;
        sigjmp_buf jump;
        const char *n;

        if (sigsetjmp(jump, 0)) {
                pci_error_jump = NULL;
                return NULL;
        }
        pci_error_jump = &jump;
        /* pci_lookup_name() takes the size as an int. */
        n = pci_lookup_name(pacc, buf, size > INT_MAX ? INT_MAX : (int) size, flags, vendor, device);
        pci_error_jump = NULL;
        return n;
}

static int hwdb_open(sd_hwdb **ret) {
        static const char *const paths[] = { "/etc/udev/hwdb.bin", "/usr/lib/udev/hwdb.bin" };

        if (root_is_host())
                return sd_hwdb_new(ret);
        for (size_t i = 0; i < ELEMENTSOF(paths); i++) {
                _cleanup_free_ char *p = NULL;

                if (root_exists(paths[i]) <= 0)
                        continue;
                p = root_path(paths[i]);
                if (!p)
                        return -errno;
                return sd_hwdb_new_from_path(p, ret);
        }
        return -ENOENT;
}

int pci_names_open(PciNames **ret) {
        _cleanup_(pci_names_freep) PciNames *n = NULL;
        int r;

        assert(ret);

        n = calloc(1, sizeof(PciNames));
        if (!n)
                return -ENOMEM;
        r = hwdb_open(&n->hwdb);
        if (r < 0) {
                log_debug_errno(r, "No hwdb, device names from pci.ids: %m");
                r = libpci_open(&n->pacc);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(n);
        return 0;
}

PciNames *pci_names_free(PciNames *n) {
        if (!n)
                return NULL;
        sd_hwdb_unref(n->hwdb);
        if (n->pacc)
                pci_cleanup(n->pacc);
        free(n);
        return NULL;
}

/* As udev's hwdb builtin: the device's modalias, cut after the device ID; the entries are globs
 * ("pci:v00008086*", "pci:v00008086d000010FB*"). */
static const char *hwdb_lookup(sd_hwdb *hwdb, unsigned vendor, unsigned device, char *buf, size_t size) {
        const char *v = NULL, *m = NULL;
        char modalias[32];

        (void) snprintf(modalias, sizeof(modalias), "pci:v%08Xd%08X", vendor, device);
        if (sd_hwdb_get(hwdb, modalias, "ID_VENDOR_FROM_DATABASE", &v) < 0 ||
            sd_hwdb_get(hwdb, modalias, "ID_MODEL_FROM_DATABASE", &m) < 0)
                return NULL;
        (void) snprintf(buf, size, "%s %s", v, m);
        return buf;
}

const char *pci_names_lookup(PciNames *n, unsigned vendor, unsigned device, char *buf, size_t size) {
        const char *name = NULL;

        assert(buf);

        if (n && n->hwdb)
                name = hwdb_lookup(n->hwdb, vendor, device, buf, size);
        else if (n && n->pacc)
                name = libpci_lookup(n->pacc, vendor, device, buf, size);
        if (name)
                return name;
        (void) snprintf(buf, size, "%04x:%04x", vendor, device);
        return buf;
}
