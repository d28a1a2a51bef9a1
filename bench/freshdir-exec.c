/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * freshdir-exec SCRATCH PROGRAM: makes SCRATCH/run.XXXXXX/{normal,early,late} and execs
 * PROGRAM with those three directories, as systemd runs a generator.
 *
 * Generators create their units with O_EXCL, so every timed run needs output directories that
 * do not exist yet; making them here, in the process that is then replaced by the generator,
 * keeps the cost identical for the generator and for the /bin/true baseline, and keeps a shell
 * out of the measurement. Nothing is removed: bench/run deletes SCRATCH afterwards. Built
 * static when the toolchain can, so the wrapper itself costs as little as possible.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char *argv[]) {
        static const char *const names[] = { "normal", "early", "late" };
        char base[PATH_MAX], dirs[3][PATH_MAX];
        char *args[5];

        if (argc != 3) {
                fprintf(stderr, "usage: %s SCRATCH PROGRAM\n", argv[0]);
                return 2;
        }
        if ((size_t) snprintf(base, sizeof(base), "%s/run.XXXXXX", argv[1]) >= sizeof(base) - 8 ||
            !mkdtemp(base)) {
                perror("freshdir-exec: mkdtemp");
                return 1;
        }
        args[0] = argv[2];
        for (int i = 0; i < 3; i++) {
                snprintf(dirs[i], sizeof(dirs[i]), "%s/%s", base, names[i]);
                if (mkdir(dirs[i], 0755) < 0) {
                        perror("freshdir-exec: mkdir");
                        return 1;
                }
                args[i + 1] = dirs[i];
        }
        args[4] = NULL;
        execv(argv[2], args);
        perror("freshdir-exec: execv");
        return 127;
}
