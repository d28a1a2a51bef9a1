/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "plan.h"
#include "util.h"

/*
 * Kernel arguments: what the plan needs on the kernel command line, which words of a command
 * line are ours, and how to put ours into a line that also carries the user's. All of it is
 * pure except the two kargs_detect_*() functions, which read the root prefix.
 *
 * Ours, by family:
 *   hugepages  default_hugepagesz= hugepagesz= hugepages=
 *   cpu        isolcpus= nohz_full= rcu_nocbs= irqaffinity=
 *   iommu      intel_iommu= amd_iommu= iommu=
 * A family is ours when the plan configures it ([Hugepages], [CPU], [IOMMU]); a word is also
 * ours when a previous run wrote it (the caller keeps that list), so that removing a setting
 * removes its arguments.
 */

typedef enum CpuVendor {
        CPU_VENDOR_UNKNOWN,
        CPU_VENDOR_INTEL,
        CPU_VENDOR_AMD,
        _CPU_VENDOR_MAX,
} CpuVendor;

typedef struct KargsEnv {
        unsigned kernel_major, kernel_minor; /* 0.0: unknown, taken as old */
        CpuVendor vendor;
} KargsEnv;

enum {
        KARGS_FAMILY_HUGEPAGES = 1 << 0,
        KARGS_FAMILY_CPU = 1 << 1,
        KARGS_FAMILY_IOMMU = 1 << 2,
};

/* "6.1.0-18-amd64" -> 6, 1. */
int kernel_release_parse(const char *release, unsigned *ret_major, unsigned *ret_minor);
/* hugepages=0:N,1:M needs Linux 5.16. */
bool kargs_per_node_supported(const KargsEnv *env);

/* The arguments the plan needs, in command-line order. Empty for a plan that is not active. */
int kargs_from_plan(const Plan *plan, const KargsEnv *env, Strv *ret);
/* The families the plan configures. */
unsigned kargs_plan_families(const Plan *plan);
/* A family's name in the plan document: "hugepages", "cpu", "iommu" (NULL for anything but one
 * KARGS_FAMILY_* bit), and back (0 for another name). */
const char *kargs_family_to_string(unsigned family);
unsigned kargs_family_from_string(const char *s);
/* The family of a key (0: not a key of ours). Keys compare with '-' and '_' equal. */
unsigned kargs_key_family(const char *key);

/* One word of a command line: [start, end) in the line, quotes included. */
typedef struct KargsWord {
        size_t start, end;
} KargsWord;
/* Splits as the kernel does (whitespace separates, double quotes group). *ret is malloc'ed. */
int kargs_split(const char *line, KargsWord **ret, size_t *ret_n);

/*
 * line with every word of ours removed (its family is in families, or it is exactly one of
 * owned) and add appended, one space apart. Everything else stays byte for byte, the text after
 * the last word (a trailing newline) included. Applying the result again changes nothing.
 * -EBADMSG when there is something to add and a double quote of line is not closed: the kernel
 * would read what is added as part of the quoted word.
 */
int kargs_merge(const char *line, unsigned families, const Strv *owned, const Strv *add, char **ret);
/* -EBADMSG when a word of line that kargs_merge() keeps leaves a double quote open (on any of its
 * lines), 0 when none does. A boot loader that joins lines asks this of every one of them. */
int kargs_check_quotes(const char *line, unsigned families, const Strv *owned);
/* The words of line that kargs_merge() would remove, in order. */
int kargs_ours(const char *line, unsigned families, const Strv *owned, Strv *ret);

/*
 * What of needed the command line lacks, as the kernel parses it: the first default_hugepagesz=,
 * isolcpus= and nohz_full= count (the kernel ignores the later ones), the last word of every
 * other key; hugepages= counts for the hugepagesz= before it, the first one after the first
 * hugepagesz= of its size (a missing pair names both words).
 */
int kargs_missing(const char *cmdline, const Strv *needed, Strv *ret);

/* What the last `dpdk-boot kargs` wrote to the boot loader, one word a line (its own file). */
#define KARGS_OWNED_FILE "/var/lib/dpdk-boot/kargs-owned"
/* KARGS_OWNED_FILE under the root prefix; an empty list when there is none. */
int kargs_owned_load(Strv *ret);
/* The words of KARGS_OWNED_FILE that needed lacks, each once: ours in the boot loader, which the
 * plan no longer asks for (a [CPU] removed, a size of hugepages gone). The generator's notice and
 * `status` both read them here. */
int kargs_stale_load(const Strv *needed, Strv *ret);

/* "a b c"; "" for an empty list. */
char *kargs_join(const Strv *args);
/* FNV-1a of the joined arguments: the key of the reboot guard. */
uint64_t kargs_hash(const Strv *args);

/* From ACPI tables under the root prefix: DMAR is Intel VT-d, IVRS is AMD-Vi; without either,
 * the vendor_id of /proc/cpuinfo. */
CpuVendor kargs_detect_vendor(void);
/* The running kernel under the root prefix (/proc/sys/kernel/osrelease), else the newest
 * /usr/lib/modules/<release> of the tree. Leaves env's version 0.0 when neither is there. */
int kargs_detect_kernel(KargsEnv *env);
/* Both of the above: the environment the plan's arguments are made for. Returns
 * kargs_detect_kernel()'s error with the vendor still set. */
int kargs_env_detect(KargsEnv *ret);
const char *cpu_vendor_to_string(CpuVendor v);
int cpu_vendor_from_string(const char *s);
