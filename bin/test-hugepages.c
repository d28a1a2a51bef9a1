/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "hugepages.h"
#include "rootdir.h"
#include "test-util.h"

static void test_parse_mount_pagesize(void) {
        uint64_t kb;

        check(parse_mount_pagesize("2M", &kb) == 0 && kb == 2048);
        check(parse_mount_pagesize("1024M", &kb) == 0 && kb == 1048576);
        check(parse_mount_pagesize("1G", &kb) == 0 && kb == 1048576);
        check(parse_mount_pagesize("64K", &kb) == 0 && kb == 64);
        check(parse_mount_pagesize("2", &kb) < 0);
        check(parse_mount_pagesize("M", &kb) < 0);
        check(parse_mount_pagesize("-2M", &kb) < 0);
        check(parse_mount_pagesize("2MB", &kb) < 0);
}

static void test_paths(void) {
        _cleanup_free_ char *g = hugepages_path(2048, -1, "nr_hugepages");
        _cleanup_free_ char *n = hugepages_path(1048576, 1, "free_hugepages");

        check_streq(g, "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages");
        check_streq(n, "/sys/devices/system/node/node1/hugepages/hugepages-1048576kB/free_hugepages");
        check(hugepages_gigantic(1048576));
        check(!hugepages_gigantic(2048));
}

static void test_plan_totals(void) {
        PlanHugepages h = { .size_kb = 1048576, .count = 7 };

        check(plan_hugepages_total(&h) == 7);
        check(!plan_hugepages_has_node(&h, 0));
        h.per_node = true;
        h.node_count[0] = 2;
        h.node_count[3] = 5;
        check(plan_hugepages_total(&h) == 7);
        check(plan_hugepages_has_node(&h, 3));
        check(!plan_hugepages_has_node(&h, 1));
        check(!plan_hugepages_has_node(&h, -1));
        check(!plan_hugepages_has_node(&h, DPDK_BOOT_MAX_NODES));
}

static void write_mounts(const char *root, const char *text) {
        char p[4096];
        FILE *f;

        (void) snprintf(p, sizeof(p), "%s/proc", root);
        (void) mkdir(p, 0755);
        (void) snprintf(p, sizeof(p), "%s/proc/mounts", root);
        f = fopen(p, "we");
        check(f);
        fputs(text, f);
        check(fclose(f) == 0);
}

static void test_hugetlbfs_mounted(void) {
        char root[] = "/tmp/test-hugepages.XXXXXX";
        char cmd[256];

        check(mkdtemp(root));
        root_set(root);

        check(hugetlbfs_mounted(2048, "/dev/hugepages2M") == -ENOENT);
        write_mounts(root, "/dev/vda1 / ext4 rw 0 0\n"
                           "hugetlbfs /mnt/huge hugetlbfs rw,relatime,pagesize=1024M 0 0\n"
                           "nodev /dev/hugepages2M tmpfs rw 0 0\n");
        /* By pagesize=, wherever it is mounted. */
        check(hugetlbfs_mounted(1048576, "/dev/hugepages1G") == 1);
        /* A tmpfs on the planned mount point is no hugetlbfs. */
        check(hugetlbfs_mounted(2048, "/dev/hugepages2M") == 0);
        write_mounts(root, "hugetlbfs /dev/hugepages2M hugetlbfs rw,relatime 0 0\n");
        /* No pagesize= (old kernels): the planned mount point decides. */
        check(hugetlbfs_mounted(2048, "/dev/hugepages2M") == 1);
        check(hugetlbfs_mounted(1048576, "/dev/hugepages1G") == 0);

        root_set(NULL);
        (void) snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
        check(system(cmd) == 0); /* NOLINT(cert-env33-c): a fixed command on our mkdtemp() tree */
}

static void test_cap(void) {
        char root[] = "/tmp/test-hugepages.XXXXXX";
        char cmd[PATH_MAX + 32], path[PATH_MAX];
        uint64_t total = 0, avail = 0;
        FILE *f;

        /* 1 GiB floor, then MemTotal/32. */
        check(hugepages_headroom_kb(8 * 1024 * 1024) == 1024 * 1024);
        check(hugepages_headroom_kb(UINT64_C(512) * 1024 * 1024 * 1024 / 1024) == UINT64_C(16) * 1024 * 1024);
        /* 8 GiB host, 5 GiB available: 4 GiB may go, 2048 2M pages on top of 10. */
        check(hugepages_cap(2048, 10, 8 * 1024 * 1024, 5 * 1024 * 1024) == 10 + 2048);
        check(hugepages_cap(1048576, 1, 8 * 1024 * 1024, 5 * 1024 * 1024) == 1 + 4);
        /* Nothing beyond the headroom: the pool keeps what it has, never less. */
        check(hugepages_cap(2048, 7, 8 * 1024 * 1024, 1024 * 1024) == 7);
        check(hugepages_cap(2048, 0, 8 * 1024 * 1024, 512 * 1024) == 0);

        check(mkdtemp(root));
        root_set(root);
        check(meminfo_read(-1, &total, &avail) == -ENOENT);
        (void) snprintf(path, sizeof(path), "%s/proc", root);
        check(mkdir(path, 0755) == 0);
        (void) snprintf(path, sizeof(path), "%s/proc/meminfo", root);
        check((f = fopen(path, "we")));
        fputs("MemTotal:        8131508 kB\nMemFree:         7000000 kB\nMemAvailable:    7408960 kB\n", f);
        check(fclose(f) == 0);
        check(meminfo_read(-1, &total, &avail) == 0);
        check(total == 8131508 && avail == 7408960);
        (void) snprintf(path, sizeof(path), "%s/sys/devices/system/node/node1", root);
        (void) snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path);
        check(system(cmd) == 0); /* NOLINT(cert-env33-c): a fixed command on our mkdtemp() tree */
        (void) snprintf(path, sizeof(path), "%s/sys/devices/system/node/node1/meminfo", root);
        check((f = fopen(path, "we")));
        fputs("Node 1 MemTotal:       4065754 kB\nNode 1 MemFree:        3500000 kB\n", f);
        check(fclose(f) == 0);
        check(meminfo_read(1, &total, &avail) == 0);
        check(total == 4065754 && avail == 3500000);
        /* A file without the field is malformed, not zero. */
        check((f = fopen(path, "we")));
        fputs("Node 1 MemTotal:       4065754 kB\n", f);
        check(fclose(f) == 0);
        check(meminfo_read(1, &total, &avail) == -EBADMSG);

        root_set(NULL);
        (void) snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
        check(system(cmd) == 0); /* NOLINT(cert-env33-c): a fixed command on our mkdtemp() tree */
}

int main(void) {
        test_cap();
        test_parse_mount_pagesize();
        test_paths();
        test_plan_totals();
        test_hugetlbfs_mounted();
        return 0;
}
