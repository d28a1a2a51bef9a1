/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "cleanup.h"
#include "kargs.h"
#include "rootdir.h"
#include "string-table.h"

static const struct {
        const char *key;
        unsigned family;
} known_keys[] = {
        { "default_hugepagesz", KARGS_FAMILY_HUGEPAGES },
        { "hugepagesz", KARGS_FAMILY_HUGEPAGES },
        { "hugepages", KARGS_FAMILY_HUGEPAGES },
        { "isolcpus", KARGS_FAMILY_CPU },
        { "nohz_full", KARGS_FAMILY_CPU },
        { "rcu_nocbs", KARGS_FAMILY_CPU },
        { "irqaffinity", KARGS_FAMILY_CPU },
        { "intel_iommu", KARGS_FAMILY_IOMMU },
        { "amd_iommu", KARGS_FAMILY_IOMMU },
        { "iommu", KARGS_FAMILY_IOMMU },
};

int kernel_release_parse(const char *release, unsigned *ret_major, unsigned *ret_minor) {
        char major[16], minor[16];
        size_t a, b;

        if (isempty(release))
                return -EINVAL;
        a = strspn(release, "0123456789");
        if (a == 0 || a >= sizeof(major) || release[a] != '.')
                return -EINVAL;
        b = strspn(release + a + 1, "0123456789");
        if (b == 0 || b >= sizeof(minor))
                return -EINVAL;
        memcpy(major, release, a);
        major[a] = 0;
        memcpy(minor, release + a + 1, b);
        minor[b] = 0;
        if (safe_atou(major, ret_major) < 0 || safe_atou(minor, ret_minor) < 0)
                return -ERANGE;
        return 0;
}

bool kargs_per_node_supported(const KargsEnv *env) {
        return env->kernel_major > 5 || (env->kernel_major == 5 && env->kernel_minor >= 16);
}

unsigned kargs_key_family(const char *key) {
        for (size_t i = 0; i < ELEMENTSOF(known_keys); i++)
                if (cmdline_key_eq(key, known_keys[i].key))
                        return known_keys[i].family;
        return 0;
}

static const char *const family_names[] = { "hugepages", "cpu", "iommu" };

const char *kargs_family_to_string(unsigned family) {
        for (size_t i = 0; i < ELEMENTSOF(family_names); i++)
                if (family == 1u << i)
                        return family_names[i];
        return NULL;
}

unsigned kargs_family_from_string(const char *s) {
        for (size_t i = 0; s && i < ELEMENTSOF(family_names); i++)
                if (streq(s, family_names[i]))
                        return 1u << i;
        return 0;
}

unsigned kargs_plan_families(const Plan *p) {
        unsigned f = 0;

        if (p->state != PLAN_ACTIVE)
                return 0;
        if (p->n_hugepages > 0)
                f |= KARGS_FAMILY_HUGEPAGES;
        if (p->cpu.set)
                f |= KARGS_FAMILY_CPU;
        if (p->iommu != IOMMU_UNSET)
                f |= KARGS_FAMILY_IOMMU;
        return f;
}

/* The size the kernel's own hugetlbfs mount and MAP_HUGETLB get: the datapath's, else the largest;
 * of the sizes proposed (0: none is). */
static uint64_t default_size(const Plan *p) {
        uint64_t best = 0;
        bool datapath_refused = false;

        for (size_t i = 0; i < p->n_hugepages; i++) {
                if (p->hugepages[i].refused) {
                        datapath_refused = datapath_refused || p->hugepages[i].size_kb == p->datapath.hugepage_size_kb;
                        continue;
                }
                if (p->hugepages[i].size_kb > best)
                        best = p->hugepages[i].size_kb;
        }
        if (best > 0 && p->datapath.hugepage_size_kb && !datapath_refused)
                return p->datapath.hugepage_size_kb;
        return best;
}

/* "key=" and a number; the arguments are made without printf(), at every boot. */
static int push_uint(Strv *l, const char *key, uint64_t v) {
        char num[21];

        return strv_push(l, strjoin3(key, "=", format_uint64(v, num)));
}

static int push_hugepages_count(Strv *l, const PlanHugepages *h, bool per_node) {
        _cleanup_(buf_free) Buf b = {};
        uint64_t total = 0;
        int r = 0;

        if (!h->per_node)
                return push_uint(l, "hugepages", h->count);
        for (unsigned n = 0; n < DPDK_BOOT_MAX_NODES; n++)
                total += h->node_count[n];
        if (!per_node || total == 0)
                /* Before 5.16 the kernel spreads a total over the nodes itself. */
                return push_uint(l, "hugepages", total);
        r = buf_put(&b, "hugepages=");
        for (unsigned n = 0; r >= 0 && n < DPDK_BOOT_MAX_NODES; n++)
                if (h->node_count[n] > 0) {
                        char node[21], count[21];

                        r = buf_extend(&b, b.len > sizeof("hugepages=") - 1 ? "," : "", format_uint64(n, node), ":",
                                       format_uint64(h->node_count[n], count));
                }
        if (r < 0)
                return r;
        return strv_push(l, TAKE_PTR(b.data));
}

static int push_hugepages(Strv *l, const Plan *p, const KargsEnv *env) {
        char sz[16];
        int r;

        /* Sizes the memory or the CPU cannot take are not proposed (the plan says why). */
        if (default_size(p) == 0)
                return 0;
        r = strv_push(l, strjoin3("default_hugepagesz=", format_page_size(default_size(p), sz), NULL));
        /* The plan lists gigantic pages first, as the kernel should reserve them. */
        for (size_t i = 0; r >= 0 && i < p->n_hugepages; i++) {
                if (p->hugepages[i].refused)
                        continue;
                r = strv_push(l, strjoin3("hugepagesz=", format_page_size(p->hugepages[i].size_kb, sz), NULL));
                if (r >= 0)
                        r = push_hugepages_count(l, &p->hugepages[i], kargs_per_node_supported(env));
        }
        return r;
}

static int push_cpu(Strv *l, const Plan *p) {
        _cleanup_free_ char *iso = NULL, *hk = NULL;
        int r = 0;

        if (!p->cpu.set)
                return 0;
        iso = cpuset_to_string(&p->cpu.isolated);
        hk = cpuset_to_string(&p->cpu.housekeeping);
        if (!iso || !hk)
                return -ENOMEM;
        if (iso[0]) {
                /* managed_irq keeps managed interrupts off the isolated CPUs, domain takes them
                 * out of scheduler load balancing. */
                r = strv_push(l, strjoin3("isolcpus=managed_irq,domain,", iso, NULL));
                if (r >= 0)
                        r = strv_push(l, strjoin3("nohz_full=", iso, NULL));
                if (r >= 0)
                        r = strv_push(l, strjoin3("rcu_nocbs=", iso, NULL));
        }
        if (r >= 0 && hk[0])
                r = strv_push(l, strjoin3("irqaffinity=", hk, NULL));
        return r;
}

static int push_iommu(Strv *l, const Plan *p, const KargsEnv *env) {
        const char *key = env->vendor == CPU_VENDOR_AMD ? "amd_iommu" : "intel_iommu";
        int r = 0;

        if (p->iommu == IOMMU_UNSET)
                return 0;
        /* An unknown vendor gets no vendor switch: we would only guess. amd_iommu=on is what the
         * project asks for on AMD; kernels that enable AMD-Vi by default note it as unknown and
         * carry on. */
        if (env->vendor != CPU_VENDOR_UNKNOWN)
                r = strv_push(l, strjoin3(key, "=", p->iommu == IOMMU_OFF ? "off" : "on"));
        if (r >= 0 && p->iommu == IOMMU_PT)
                r = strv_push(l, strdup("iommu=pt"));
        return r;
}

int kargs_from_plan(const Plan *p, const KargsEnv *env, Strv *ret) {
        Strv l = {};
        int r;

        if (p->state == PLAN_ACTIVE) {
                r = push_hugepages(&l, p, env);
                if (r >= 0)
                        r = push_cpu(&l, p);
                if (r >= 0)
                        r = push_iommu(&l, p, env);
                if (r < 0) {
                        strv_free(&l);
                        return r;
                }
        }
        *ret = l;
        return 0;
}

static bool is_blank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int kargs_split(const char *line, KargsWord **ret, size_t *ret_n) {
        KargsWord *v = NULL;
        size_t n = 0, cap = 0, i = 0;

        for (;;) {
                bool quoted = false;
                size_t start;

                while (is_blank(line[i]))
                        i++;
                if (!line[i])
                        break;
                start = i;
                /* in runs up to the next quote or (outside quotes) blank; an open quote ends at
                 * the end of the line, never takes the newline (and the file's next line) in */
                for (;;) {
                        i += strcspn(line + i, quoted ? "\"\n" : "\" \t\n\r");
                        if (line[i] != '"')
                                break;
                        quoted = !quoted;
                        i++;
                }
                if (n == cap) {
                        KargsWord *nv = reallocarray(v, cap = cap ? cap * 2 : 32, sizeof(KargsWord));

                        if (!nv) {
                                free(v);
                                return -ENOMEM;
                        }
                        v = nv;
                }
                v[n++] = (KargsWord) { start, i };
        }
        *ret = v;
        *ret_n = n;
        return 0;
}

/* The key of a word as the kernel's next_arg() takes it: "hugepages" of "hugepages=4" and of
 * "\"hugepages=4\"". Only a leading quote is dropped (and, in a word without '=', the closing one);
 * quotes further in stay part of the key, so ""intel_iommu=off is not intel_iommu to the kernel,
 * and is not ours to remove. */
typedef char WordKey[64];

static void word_key(const char *line, const KargsWord *w, char *key, size_t size) {
        size_t i = w->start, end = w->end, k = 0;
        bool quoted = i < end && line[i] == '"';

        if (quoted)
                i++;
        if (quoted && end > i && line[end - 1] == '"' && !memchr(line + i, '=', end - i))
                end--;
        for (; i < end && line[i] != '=' && k + 1 < size; i++)
                key[k++] = line[i];
        key[k] = 0;
}

static bool word_is(const char *line, const KargsWord *w, const char *s) {
        size_t len = w->end - w->start;

        return strlen(s) == len && memcmp(line + w->start, s, len) == 0;
}

static bool word_is_ours(const char *line, const KargsWord *w, unsigned families, const Strv *owned) {
        char key[64];

        word_key(line, w, key, sizeof(key));
        if (kargs_key_family(key) & families)
                return true;
        for (size_t i = 0; owned && i < owned->n; i++)
                if (word_is(line, w, owned->v[i]))
                        return true;
        return false;
}

int kargs_ours(const char *line, unsigned families, const Strv *owned, Strv *ret) {
        _cleanup_free_ KargsWord *w = NULL;
        Strv l = {};
        size_t n;
        int r;

        r = kargs_split(line, &w, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++)
                if (word_is_ours(line, &w[i], families, owned)) {
                        r = strv_push(&l, strndup(line + w[i].start, w[i].end - w[i].start));
                        if (r < 0)
                                return r;
                }
        *ret = l;
        return 0;
}

static bool quote_open(const char *line, const KargsWord *w) {
        bool open = false;

        for (size_t i = w->start; i < w->end; i++)
                open ^= line[i] == '"';
        return open;
}

/* Just past the newline that ends the line pos is on, or the end of the text. */
static size_t line_end(const char *line, size_t pos) {
        const char *nl = strchr(line + pos, '\n');

        return nl ? (size_t) (nl - line) + 1 : strlen(line);
}

/* The end of the last word on the line of w[i]: the line's own trailing text starts there. */
static size_t line_words_end(const char *line, const KargsWord *w, size_t n, size_t i) {
        size_t end = w[i].end;

        for (size_t j = i + 1; j < n && !memchr(line + end, '\n', w[j].start - end); j++)
                end = w[j].end;
        return end;
}

/*
 * What goes between the kept words w[a] and w[i] when words between them were taken out: on one
 * line, the blanks before w[i]; over lines, the rest of w[a]'s line as it was (its blanks and its
 * newline) and the blanks that start w[i]'s line. Lines of words all taken out go, and no line
 * takes in another's text: a quote left open at the end of a line does not grow.
 */
static int put_gap(Buf *b, const char *line, const KargsWord *w, size_t n, size_t a, size_t i) {
        size_t from = w[i - 1].end, end;
        const char *nl;
        int r;

        if (!memchr(line + w[a].end, '\n', w[i].start - w[a].end))
                return buf_putn(b, line + from, w[i].start - from);
        end = line_words_end(line, w, n, a);
        r = buf_putn(b, line + end, line_end(line, end) - end);
        nl = memrchr(line + from, '\n', w[i].start - from);
        if (nl)
                from = (size_t) (nl - line) + 1;
        return r < 0 ? r : buf_putn(b, line + from, w[i].start - from);
}

/* An open quote runs to the end of its line here; the kernel (and kernel-install, which joins the
 * lines of /etc/kernel/cmdline, and systemd-boot, which joins options lines) takes everything after
 * it in: with a word of the user's that leaves one open, what is added, and the words of the lines
 * after it, would be read as a part of it. */
int kargs_check_quotes(const char *line, unsigned families, const Strv *owned) {
        _cleanup_free_ KargsWord *w = NULL;
        size_t n;
        int r;

        r = kargs_split(line, &w, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++)
                if (quote_open(line, &w[i]) && !word_is_ours(line, &w[i], families, owned))
                        return -EBADMSG;
        return 0;
}

int kargs_merge(const char *line, unsigned families, const Strv *owned, const Strv *add, char **ret) {
        _cleanup_free_ KargsWord *w = NULL;
        _cleanup_(buf_free) Buf b = {};
        size_t n, tail;
        ssize_t last = -1; /* the last word kept so far */
        bool removed = false; /* a word taken out since then */
        int r;

        if (add && add->n > 0) {
                r = kargs_check_quotes(line, families, owned);
                if (r < 0)
                        return r;
        }
        r = kargs_split(line, &w, &n);
        if (r < 0)
                return r;
        /* The text before the first word; each kept word with what preceded it (put_gap() where
         * words were taken out); ours after the last word kept, on its line; then the rest. */
        r = buf_putn(&b, line, n > 0 ? w[0].start : strcspn(line, "\n"));
        for (size_t i = 0; r >= 0 && i < n; i++) {
                if (word_is_ours(line, &w[i], families, owned)) {
                        removed = true;
                        continue;
                }
                if (last >= 0 && removed)
                        r = put_gap(&b, line, w, n, (size_t) last, i);
                else if (last >= 0)
                        r = buf_putn(&b, line + w[last].end, w[i].start - w[last].end);
                if (r >= 0)
                        r = buf_putn(&b, line + w[i].start, w[i].end - w[i].start);
                last = (ssize_t) i;
                removed = false;
        }
        for (size_t i = 0; r >= 0 && add && i < add->n; i++)
                r = buf_printf(&b, "%s%s", b.len > 0 && !strchr(" \t\n", b.data[b.len - 1]) ? " " : "", add->v[i]);
        /* The rest of the text. After words taken out at the end: the rest of the last kept word's
         * line, and the lines after the last word's (those in between had only words of ours). */
        tail = n > 0 ? w[n - 1].end : strcspn(line, "\n");
        if (r >= 0 && last >= 0 && removed) {
                size_t end = line_words_end(line, w, n, (size_t) last);

                r = buf_putn(&b, line + end, line_end(line, end) - end);
                tail = line_end(line, tail);
        }
        if (r >= 0)
                r = buf_put(&b, line + tail);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(b.data) ?: strdup("");
        return *ret ? 0 : -ENOMEM;
}

/* Whether the value word w gives, without its quotes, is s; a word without '=' gives "". Compared
 * in place: the check runs at every boot, and allocates nothing. */
static bool value_eq(const char *line, const KargsWord *w, const char *s) {
        const char *c = memchr(line + w->start, '=', w->end - w->start), *end = line + w->end;

        if (c)
                for (c++; c < end; c++) {
                        if (*c == '"')
                                continue;
                        if (*c != *s)
                                return false;
                        s++;
                }
        return *s == 0;
}

static bool is_dash(char c) {
        return c == '-' || c == '_';
}

/* cmdline_key_eq(), its call saved for keys whose first characters differ: most of them. */
static bool key_eq(const char *a, const char *b) {
        return (a[0] == b[0] || (is_dash(a[0]) && is_dash(b[0]))) && cmdline_key_eq(a, b);
}

/* Keys whose first word counts: the kernel ignores a repeated default_hugepagesz=, and an
 * isolcpus= or nohz_full= whose CPUs differ from those of the first one (housekeeping_setup():
 * "nohz_full= must match isolcpus="). Of the others (rcu_nocbs=, irqaffinity=, the IOMMU
 * switches) each word overrides the one before it: the last one counts. */
static bool first_counts(const char *key) {
        return key_eq(key, "default_hugepagesz") || key_eq(key, "isolcpus") || key_eq(key, "nohz_full");
}

/* The hugepages= the kernel takes for size (mm/hugetlb.c): the first one after the first
 * hugepagesz=size, before the next hugepagesz. A hugepagesz= of a size already set is ignored,
 * and so is every hugepages= after it; a second hugepages= without a hugepagesz= between is
 * ignored too. A hugepagesz without '=' is taken to end the group as well. */
static ssize_t sized_count_word(const char *line, const KargsWord *w, const WordKey *keys, size_t n,
                                const char *size) {
        bool in_group = false;

        for (size_t i = 0; i < n; i++) {
                if (key_eq(keys[i], "hugepagesz")) {
                        if (in_group)
                                return -1; /* its group had no hugepages=, and a later one is ignored */
                        in_group = memchr(line + w[i].start, '=', w[i].end - w[i].start) &&
                                   value_eq(line, &w[i], size);
                        continue;
                }
                if (in_group && key_eq(keys[i], "hugepages"))
                        return (ssize_t) i;
        }
        return -1;
}

/* The index of the word of key the kernel takes (for "hugepages" with size set, the count of that
 * size), or -1. */
static ssize_t effective_word(const char *line, const KargsWord *w, const WordKey *keys, size_t n, const char *key,
                              const char *size) {
        bool first = first_counts(key);
        ssize_t found = -1;

        if (size)
                return sized_count_word(line, w, keys, n, size);
        for (size_t i = 0; i < n; i++)
                if (key_eq(keys[i], key)) {
                        found = (ssize_t) i;
                        if (first)
                                break;
                }
        return found;
}

static int check_one(const char *cmdline, const KargsWord *w, const WordKey *keys, size_t n, const Strv *needed,
                     size_t i, Strv *out) {
        const char *arg = needed->v[i], *eq = strchr(arg, '=');
        size_t len = eq ? (size_t) (eq - arg) : strlen(arg);
        const char *size = NULL;
        WordKey key;
        ssize_t have;

        if (len >= sizeof(key)) /* longer than word_key() keeps any: not on the line */
                return strv_push(out, strdup(arg));
        memcpy(key, arg, len);
        key[len] = 0;
        if (key_eq(key, "hugepagesz"))
                return 0; /* checked with the hugepages= after it */
        if (key_eq(key, "hugepages") && i > 0 && strncmp(needed->v[i - 1], "hugepagesz=", 11) == 0)
                size = needed->v[i - 1] + 11;
        have = effective_word(cmdline, w, keys, n, key, size);
        if (have >= 0 && value_eq(cmdline, &w[have], eq ? eq + 1 : ""))
                return 0;
        if (size && strv_push(out, strdup(needed->v[i - 1])) < 0)
                return -ENOMEM;
        return strv_push(out, strdup(arg));
}

int kargs_missing(const char *cmdline, const Strv *needed, Strv *ret) {
        _cleanup_free_ KargsWord *w = NULL;
        _cleanup_free_ WordKey *keys = NULL;
        Strv l = {};
        size_t n;
        int r;

        r = kargs_split(cmdline ?: "", &w, &n);
        if (r < 0)
                return r;
        /* Each word's key once, not once per needed argument. */
        keys = reallocarray(NULL, n ?: 1, sizeof(WordKey));
        if (!keys)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                word_key(cmdline ?: "", &w[i], keys[i], sizeof(keys[i]));
        for (size_t i = 0; i < needed->n; i++) {
                r = check_one(cmdline ?: "", w, keys, n, needed, i, &l);
                if (r < 0) {
                        strv_free(&l);
                        return r;
                }
        }
        *ret = l;
        return 0;
}

/* More would not be ours: kargs_owned_save() writes a word a line of what one plan needs. */
#define OWNED_MAX (64 * 1024)

int kargs_owned_load(Strv *ret) {
        _cleanup_free_ char *text = NULL;
        char *save = NULL;
        size_t size;
        int r;

        *ret = (Strv) {};
        r = root_read_file(KARGS_OWNED_FILE, OWNED_MAX + 1, &text, &size);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        if (size > OWNED_MAX)
                return -EFBIG;
        for (char *t = strtok_r(text, "\n", &save); t; t = strtok_r(NULL, "\n", &save)) {
                t = strip(t);
                if (*t && *t != '#' && strv_push(ret, strdup(t)) < 0) {
                        strv_free(ret);
                        return -ENOMEM;
                }
        }
        return 0;
}

int kargs_stale_load(const Strv *needed, Strv *ret) {
        _cleanup_(strv_free) Strv owned = {};
        Strv l = {};
        int r;

        *ret = (Strv) {};
        r = kargs_owned_load(&owned);
        if (r < 0)
                return r;
        for (size_t i = 0; i < owned.n; i++)
                if (!strv_contains(needed, owned.v[i]) && !strv_contains(&l, owned.v[i]) &&
                    strv_push(&l, strdup(owned.v[i])) < 0) {
                        strv_free(&l);
                        return -ENOMEM;
                }
        *ret = l;
        return 0;
}

char *kargs_join(const Strv *args) {
        _cleanup_(buf_free) Buf b = {};

        for (size_t i = 0; i < args->n; i++)
                if (buf_printf(&b, "%s%s", i ? " " : "", args->v[i]) < 0)
                        return NULL;
        return TAKE_PTR(b.data) ?: strdup("");
}

uint64_t kargs_hash(const Strv *args) {
        uint64_t h = FNV1A_INIT;

        /* with each word's NUL, so "a b" and "ab" differ */
        for (size_t i = 0; i < args->n; i++)
                h = fnv1a(h, args->v[i], strlen(args->v[i]) + 1);
        return h;
}

static CpuVendor vendor_from_cpuinfo(void) {
        _cleanup_free_ char *text = NULL;
        const char *v;

        if (root_read_file("/proc/cpuinfo", 64 * 1024, &text, NULL) < 0)
                return CPU_VENDOR_UNKNOWN;
        v = strstr(text, "vendor_id");
        if (!v)
                return CPU_VENDOR_UNKNOWN;
        v += strcspn(v, ":\n");
        if (strncmp(v, ": GenuineIntel", 14) == 0)
                return CPU_VENDOR_INTEL;
        if (strncmp(v, ": AuthenticAMD", 14) == 0 || strncmp(v, ": HygonGenuine", 14) == 0)
                return CPU_VENDOR_AMD;
        return CPU_VENDOR_UNKNOWN;
}

CpuVendor kargs_detect_vendor(void) {
        if (root_exists("/sys/firmware/acpi/tables/DMAR") > 0)
                return CPU_VENDOR_INTEL;
        if (root_exists("/sys/firmware/acpi/tables/IVRS") > 0)
                return CPU_VENDOR_AMD;
        /* No table (an IOMMU switched off in the firmware, a VM): the CPU's vendor still says
         * which switch turns it on. */
        return vendor_from_cpuinfo();
}

static bool version_newer(unsigned a1, unsigned a2, unsigned b1, unsigned b2) {
        return a1 > b1 || (a1 == b1 && a2 > b2);
}

int kargs_detect_kernel(KargsEnv *env) {
        _cleanup_free_ char *release = NULL;
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        unsigned a, b;

        if (root_read_line("/proc/sys/kernel/osrelease", &release) >= 0 &&
            kernel_release_parse(strip(release), &env->kernel_major, &env->kernel_minor) >= 0)
                return 0;
        d = root_opendir("/usr/lib/modules");
        if (!d)
                return errno == ENOENT ? 0 : -errno;
        while ((de = readdir(d)))
                if (de->d_name[0] != '.' && kernel_release_parse(de->d_name, &a, &b) >= 0 &&
                    version_newer(a, b, env->kernel_major, env->kernel_minor)) {
                        env->kernel_major = a;
                        env->kernel_minor = b;
                }
        return 0;
}

int kargs_env_detect(KargsEnv *ret) {
        KargsEnv e = { .vendor = kargs_detect_vendor() };
        int r;

        r = kargs_detect_kernel(&e);
        *ret = e;
        return r;
}

static const char *const cpu_vendor_table[_CPU_VENDOR_MAX] = {
        [CPU_VENDOR_UNKNOWN] = "unknown",
        [CPU_VENDOR_INTEL] = "intel",
        [CPU_VENDOR_AMD] = "amd",
};

DEFINE_STRING_TABLE_LOOKUP(cpu_vendor, CpuVendor);
