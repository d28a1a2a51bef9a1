/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <errno.h>
#include <string.h>

#include "cleanup.h"

/*
 * One table per enum, name##_table[value] = its string, and the two lookups generated from it, in
 * the manner of systemd's string-table.h. A NULL entry is a value with no string of its own: it
 * never parses, and its _to_string() is NULL (a caller with a fallback says so where it calls).
 *
 *   static const char *const iommu_mode_table[_IOMMU_MAX] = { [IOMMU_ON] = "on", ... };
 *   DEFINE_STRING_TABLE_LOOKUP(iommu_mode, IommuMode);
 *
 * gives const char *iommu_mode_to_string(IommuMode) and int iommu_mode_from_string(const char *),
 * the latter the value or -EINVAL.
 */

#define _DEFINE_STRING_TABLE_LOOKUP_TO_STRING(name, type, scope)                        \
        scope const char *name##_to_string(type i) {                                    \
                if ((size_t) i >= ELEMENTSOF(name##_table))                             \
                        return NULL;                                                    \
                return name##_table[i];                                                 \
        }

#define _DEFINE_STRING_TABLE_LOOKUP_FROM_STRING(name, type, scope)                      \
        scope int name##_from_string(const char *s) {                                   \
                if (!s)                                                                 \
                        return -EINVAL;                                                 \
                for (size_t i = 0; i < ELEMENTSOF(name##_table); i++)                   \
                        if (name##_table[i] && strcmp(name##_table[i], s) == 0)         \
                                return (int) i;                                         \
                return -EINVAL;                                                         \
        }

#define DEFINE_STRING_TABLE_LOOKUP(name, type)                                          \
        _DEFINE_STRING_TABLE_LOOKUP_TO_STRING(name, type, )                             \
        _DEFINE_STRING_TABLE_LOOKUP_FROM_STRING(name, type, )

/* The same, for a table its file keeps to itself. */
#define DEFINE_PRIVATE_STRING_TABLE_LOOKUP(name, type)                                  \
        _DEFINE_STRING_TABLE_LOOKUP_TO_STRING(name, type, static)                       \
        _DEFINE_STRING_TABLE_LOOKUP_FROM_STRING(name, type, static)

/* Only the value -> string direction, for an enum nothing parses. */
#define DEFINE_STRING_TABLE_LOOKUP_TO_STRING(name, type)                                \
        _DEFINE_STRING_TABLE_LOOKUP_TO_STRING(name, type, )
