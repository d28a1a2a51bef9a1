/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "config-stamp.h"
#include "rootdir.h"
#include "string-table.h"
#include "util.h"

/* The stamp is FNV-1a of the image's config files, in one short line that survives the switch to
 * the real root in /run. Config parsing hashed the files as it read them (Config.stamp); only
 * when one of them could not be read whole there (an invalid configuration) are they read again
 * here, and that file's error is the stamp's. */

static unsigned image_files(const Config *c) {
        unsigned n = 0;

        for (size_t i = 0; i < c->files.n; i++)
                if (config_file_in_image(c->files.v[i]))
                        n++;
        return n;
}

static int stamp_reread(const Config *c, uint64_t *ret) {
        uint64_t h = FNV1A_INIT;

        for (size_t i = 0; i < c->files.n; i++) {
                const char *path = c->files.v[i];
                _cleanup_free_ char *buf = NULL;
                char size[32];
                size_t len;
                int r;

                if (!config_file_in_image(path))
                        continue;
                r = root_read_file(path, CONFIG_FILE_MAX, &buf, &len);
                if (r < 0)
                        return r;
                (void) snprintf(size, sizeof(size), "%zu", len);
                h = fnv1a(h, path, strlen(path) + 1);
                h = fnv1a(h, size, strlen(size) + 1);
                h = fnv1a(h, buf, len);
        }
        *ret = h;
        return 0;
}

int config_stamp(const Config *c, char ret[static CONFIG_STAMP_MAX]) {
        unsigned n = image_files(c);
        uint64_t h = n > 0 ? c->stamp.hash : FNV1A_INIT;

        if (c->stamp.n_files != n) {
                int r = stamp_reread(c, &h);

                if (r < 0)
                        return r;
        }
        (void) snprintf(ret, CONFIG_STAMP_MAX, "v1 %016llx %u", (unsigned long long) h, n);
        return 0;
}

int initrd_stamp_check(const Config *c, InitrdStamp *ret) {
        _cleanup_free_ char *recorded = NULL;
        char now[CONFIG_STAMP_MAX];
        int r;

        r = root_read_line(INITRD_STAMP_FILE, &recorded);
        if (r == -ENOENT) {
                *ret = INITRD_STAMP_NONE;
                return 0;
        }
        if (r < 0)
                return r;
        r = config_stamp(c, now);
        if (r < 0)
                return r;
        *ret = streq(strip(recorded), now) ? INITRD_STAMP_CURRENT : INITRD_STAMP_STALE;
        return 0;
}

static const char *const initrd_stamp_table[_INITRD_STAMP_MAX] = {
        [INITRD_STAMP_NONE] = "none",
        [INITRD_STAMP_CURRENT] = "current",
        [INITRD_STAMP_STALE] = "stale",
};

DEFINE_STRING_TABLE_LOOKUP_TO_STRING(initrd_stamp, InitrdStamp);
