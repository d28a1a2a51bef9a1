/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>

#include "helper-cleanup.h"
#include "log.h"
#include "pci-names.h"
#include "rootdir.h"

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

static int pci_names_configure(struct pci_access *pacc) {
        _cleanup_free_ char *sysfs = NULL;
        char *ids;

        if (root_is_host())
                return 0;

        sysfs = root_path("/sys/bus/pci");
        if (!sysfs)
                return -ENOMEM;
        if (pci_set_param(pacc, (char *) "sysfs.path", sysfs) < 0)
                return -EINVAL;

        if (root_exists("/usr/share/misc/pci.ids") > 0) {
                ids = root_path("/usr/share/misc/pci.ids");
                if (!ids)
                        return -ENOMEM;
                pci_set_name_list_path(pacc, ids, /* to_be_freed= */ 1);
        }
        return 0;
}

int pci_names_open(struct pci_access **ret) {
        _cleanup_pci_access_ struct pci_access *pacc = NULL;
        sigjmp_buf jump;
        int r;

        assert(ret);

        pacc = pci_alloc();
        if (!pacc)
                return -ENOMEM;
        pacc->error = pci_error_cb;
        pacc->warning = pci_warning_cb;
        pacc->debug = pci_debug_cb;

        r = pci_names_configure(pacc);
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

static const char *lookup(struct pci_access *pacc, int flags, unsigned vendor, unsigned device,
                          char *buf, size_t size) {
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

const char *pci_names_lookup(struct pci_access *pacc, unsigned vendor, unsigned device,
                             char *buf, size_t size) {
        int flags = PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_NUMBERS;
        const char *n = NULL;

        assert(buf);

        /* Test trees and images bring their own pci.ids; the host's hwdb knows nothing of them. */
        if (!root_is_host())
                flags |= PCI_LOOKUP_NO_HWDB;
        if (pacc)
                n = lookup(pacc, flags, vendor, device, buf, size);
        if (n)
                return n;
        (void) snprintf(buf, size, "%04x:%04x", vendor, device);
        return buf;
}
