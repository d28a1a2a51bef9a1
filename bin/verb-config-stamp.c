/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>

#include "cleanup.h"
#include "config-stamp.h"
#include "helper.h"
#include "log.h"

/*
 * config-stamp: print the stamp of the configuration (see config-stamp.h). The dracut module
 * runs it at image build time and stores the line in the image; nothing else needs it.
 */
int verb_config_stamp(int argc, char **argv) {
        _cleanup_(config_free) Config c = {};
        char stamp[CONFIG_STAMP_MAX];
        int r;

        r = config_load(&c);
        if (r < 0)
                return log_error_errno(r, "Failed to read the configuration: %m"), EXIT_FAILURE;
        r = config_stamp(&c, stamp);
        if (r < 0)
                return log_error_errno(r, "Failed to read the configuration files: %m"), EXIT_FAILURE;
        printf("%s\n", stamp);
        return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_SUCCESS : EXIT_FAILURE;
}
