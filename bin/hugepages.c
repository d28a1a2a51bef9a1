/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "hugepages.h"
#include "rootdir.h"
#include "util.h"

char *hugepages_path(uint64_t size_kb, int node, const char *attr) {
        char *p = NULL;
        int r;

        assert(attr);

        if (node < 0)
                r = asprintf(&p, "/sys/kernel/mm/hugepages/hugepages-%" PRIu64 "kB/%s", size_kb, attr);
        else
                r = asprintf(&p, "/sys/devices/system/node/node%i/hugepages/hugepages-%" PRIu64 "kB/%s",
                             node, size_kb, attr);
        return r < 0 ? NULL : p;
}

int hugepages_supported(uint64_t size_kb) {
        _cleanup_free_ char *p = NULL;

        if (asprintf(&p, "/sys/kernel/mm/hugepages/hugepages-%" PRIu64 "kB", size_kb) < 0)
                return -ENOMEM;
        return root_exists(p);
}

int hugepages_read(uint64_t size_kb, int node, const char *attr, unsigned *ret) {
        _cleanup_free_ char *p = NULL;
        uint64_t v;
        int r;

        assert(ret);

        p = hugepages_path(size_kb, node, attr);
        if (!p)
                return -ENOMEM;
        r = root_read_u64(p, &v);
        if (r < 0)
                return r;
        if (v > UINT32_MAX)
                return -ERANGE;
        *ret = (unsigned) v;
        return 0;
}

int hugepages_write(uint64_t size_kb, int node, unsigned count) {
        _cleanup_free_ char *p = NULL;
        char buf[16];

        p = hugepages_path(size_kb, node, "nr_hugepages");
        if (!p)
                return -ENOMEM;
        (void) snprintf(buf, sizeof(buf), "%u\n", count);
        return root_write_string(p, buf);
}

/* "Key:   123 kB" or "Node 0 Key:   123 kB" lines: the value of key, in kB. */
static int meminfo_field(const char *text, const char *key, uint64_t *ret) {
        size_t klen = strlen(key);

        for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
                const char *k = l;
                char *end;
                unsigned long long v;

                if (startswith(k, "Node ")) {   /* "Node 12 " */
                        k += 5;
                        while (*k >= '0' && *k <= '9')
                                k++;
                        if (*k++ != ' ')
                                continue;
                }
                if (!strneq(k, key, klen) || k[klen] != ':')
                        continue;
                errno = 0;
                v = strtoull(k + klen + 1, &end, 10);
                if (errno != 0 || end == k + klen + 1)
                        return -EBADMSG;
                *ret = v;
                return 0;
        }
        return -EBADMSG;
}

int meminfo_read(int node, uint64_t *ret_total_kb, uint64_t *ret_avail_kb) {
        char path[64], buf[8192];
        ssize_t n;
        int r;

        assert(ret_total_kb);
        assert(ret_avail_kb);

        /* Fits either way: at most 37 bytes and the node number's 11. */
        if (node < 0)
                (void) snprintf(path, sizeof(path), "/proc/meminfo");
        else
                (void) snprintf(path, sizeof(path), "/sys/devices/system/node/node%i/meminfo", node);
        n = root_read_buf(path, buf, sizeof(buf));
        if (n < 0)
                return (int) n;
        r = meminfo_field(buf, "MemTotal", ret_total_kb);
        if (r >= 0)
                r = meminfo_field(buf, node < 0 ? "MemAvailable" : "MemFree", ret_avail_kb);
        return r;
}

uint64_t hugepages_headroom_kb(uint64_t total_kb) {
        uint64_t floor_kb = UINT64_C(1024) * 1024;

        return total_kb / 32 > floor_kb ? total_kb / 32 : floor_kb;
}

unsigned hugepages_cap(uint64_t size_kb, unsigned current, uint64_t total_kb, uint64_t avail_kb) {
        uint64_t keep = hugepages_headroom_kb(total_kb), more;

        assert(size_kb > 0);
        if (avail_kb <= keep)
                return current;
        more = (avail_kb - keep) / size_kb;
        return more > UINT32_MAX - current ? UINT32_MAX : current + (unsigned) more;
}

bool hugepages_gigantic(uint64_t size_kb) {
        /* MAX_ORDER blocks are 4 MiB on x86-64 with 4 KiB pages; 1G pages (and arm64's 512M
         * with 64K pages) need compaction to find a free contiguous range. */
        return size_kb > 4096;
}

int parse_mount_pagesize(const char *s, uint64_t *ret_kb) {
        _cleanup_free_ char *num = NULL;
        uint64_t v, mult;
        size_t n;
        int r;

        assert(s);
        assert(ret_kb);

        n = strlen(s);
        if (n < 2)
                return -EINVAL;
        switch (s[n - 1]) {
        case 'K': case 'k':
                mult = 1;
                break;
        case 'M':
                mult = 1024;
                break;
        case 'G':
                mult = 1024 * 1024;
                break;
        default:
                return -EINVAL;
        }
        num = strndup(s, n - 1);
        if (!num)
                return -ENOMEM;
        r = safe_atou64(num, &v);
        if (r < 0)
                return r;
        *ret_kb = v * mult;
        return 0;
}

/* One line of /proc/mounts: "none /dev/hugepages1G hugetlbfs rw,relatime,pagesize=1024M 0 0". */
static bool mount_line_matches(char *line, uint64_t size_kb, const char *mount_point) {
        char *save = NULL, *where, *fstype, *opts;

        (void) strtok_r(line, " ", &save);
        where = strtok_r(NULL, " ", &save);
        fstype = strtok_r(NULL, " ", &save);
        opts = strtok_r(NULL, " ", &save);
        if (!where || !fstype || !opts || !streq(fstype, "hugetlbfs"))
                return false;

        for (char *o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
                uint64_t kb;

                if (strncmp(o, "pagesize=", 9) != 0)
                        continue;
                return parse_mount_pagesize(o + 9, &kb) >= 0 && kb == size_kb;
        }
        return mount_point && streq(where, mount_point);
}

int hugetlbfs_mounted(uint64_t size_kb, const char *mount_point) {
        _cleanup_free_ char *text = NULL;
        char *save = NULL;
        int r;

        r = root_read_file("/proc/mounts", 1024 * 1024, &text, NULL);
        if (r < 0)
                return r;

        for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
                if (mount_line_matches(l, size_kb, mount_point))
                        return 1;
        return 0;
}
