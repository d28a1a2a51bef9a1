/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <libkmod.h>
#include <pci/pci.h>

#include "cleanup.h"

/*
 * Typed cleanups for the libraries only the helper links. They live here rather than in the
 * core's cleanup.h because the core (and the generator) must not depend on these libraries.
 */

static inline void kmod_unrefp(struct kmod_ctx **c) {
        if (*c)
                kmod_unref(*c);
}

static inline void kmod_module_unrefp(struct kmod_module **m) {
        if (*m)
                kmod_module_unref(*m);
}

static inline void kmod_module_unref_listp(struct kmod_list **l) {
        if (*l)
                kmod_module_unref_list(*l);
}

static inline void pci_cleanupp(struct pci_access **p) {
        if (*p)
                pci_cleanup(*p);
}

#define _cleanup_kmod_ctx_ _cleanup_(kmod_unrefp)
#define _cleanup_kmod_module_ _cleanup_(kmod_module_unrefp)
#define _cleanup_kmod_list_ _cleanup_(kmod_module_unref_listp)
#define _cleanup_pci_access_ _cleanup_(pci_cleanupp)
