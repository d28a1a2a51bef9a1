/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * exectime RUNS WARMUP RAWFILE CMD [ARG...] [-- CMD [ARG...]]...
 *
 * Whole-process wall time of each command, spawn to reaped, on CLOCK_MONOTONIC. The commands
 * run in rounds: each round runs every command once, starting at a different one each round,
 * so that none is always the first after an idle moment. The last command is the baseline:
 * besides each command's own median, the median of the per-round ratios command/baseline is
 * reported, which cancels most of the machine's drift (boot-costs.md: absolute times on a
 * shared VM wander by up to 2x, paired ratios do not).
 *
 * The CPU time of each child (user + system, from wait4()) is recorded too: it leaves out the
 * time a child waited for a CPU, so it says whether a slow wall time was load from elsewhere.
 *
 * Children inherit the environment; their stdout and stderr go to /dev/null. Any child that
 * does not exit 0 stops the measurement. RAWFILE gets one line per measured round: each
 * command's wall ns, then each command's CPU ns. stdout gets one tab-separated line per command:
 *   index  wall_median_ns  wall_min_ns  wall_p90_ns  ratio_median  ratio_p10  ratio_p90
 *   cpu_median_ns  cpu_ratio_median
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS 8

extern char **environ;

static long long now_ns(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long tv_ns(const struct timeval *tv) {
        return tv->tv_sec * 1000000000LL + tv->tv_usec * 1000LL;
}

static int run_once(char **argv, const posix_spawn_file_actions_t *fa, long long *ret_ns,
                    long long *ret_cpu_ns) {
        long long t0 = now_ns();
        struct rusage ru;
        int status, r;
        pid_t pid;

        r = posix_spawn(&pid, argv[0], fa, NULL, argv, environ);
        if (r != 0) {
                fprintf(stderr, "exectime: cannot run %s: %s\n", argv[0], strerror(r));
                return -1;
        }
        while (wait4(pid, &status, 0, &ru) < 0)
                if (errno != EINTR) {
                        perror("exectime: wait4");
                        return -1;
                }
        *ret_ns = now_ns() - t0;
        *ret_cpu_ns = tv_ns(&ru.ru_utime) + tv_ns(&ru.ru_stime);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                fprintf(stderr, "exectime: %s failed (wait status 0x%x)\n", argv[0], (unsigned) status);
                return -1;
        }
        return 0;
}

static int cmp_ll(const void *a, const void *b) {
        long long x = *(const long long *) a, y = *(const long long *) b;

        return (x > y) - (x < y);
}

static int cmp_d(const void *a, const void *b) {
        double x = *(const double *) a, y = *(const double *) b;

        return (x > y) - (x < y);
}

/* Nearest-rank percentile of a sorted array. */
static size_t rank(size_t n, unsigned pct) {
        return (n - 1) * pct / 100;
}

/* t and cpu are [runs][k]; the baseline is column k - 1. */
static void report(size_t c, size_t k, size_t runs, const long long *t, const long long *cpu) {
        long long *w = calloc(runs, sizeof(*w)), *u = calloc(runs, sizeof(*u));
        double *q = calloc(runs, sizeof(*q)), *qu = calloc(runs, sizeof(*qu));

        if (!w || !u || !q || !qu) {
                perror("exectime");
                exit(1);
        }
        for (size_t i = 0; i < runs; i++) {
                w[i] = t[i * k + c];
                q[i] = (double) t[i * k + c] / (double) t[i * k + k - 1];
                u[i] = cpu[i * k + c];
                /* CPU time is counted in microseconds: keep a zero baseline finite. */
                qu[i] = (double) cpu[i * k + c] / (double) (cpu[i * k + k - 1] ?: 1000);
        }
        qsort(w, runs, sizeof(*w), cmp_ll);
        qsort(q, runs, sizeof(*q), cmp_d);
        qsort(u, runs, sizeof(*u), cmp_ll);
        qsort(qu, runs, sizeof(*qu), cmp_d);
        printf("%zu\t%lld\t%lld\t%lld\t%.4f\t%.4f\t%.4f\t%lld\t%.4f\n", c, w[rank(runs, 50)], w[0],
               w[rank(runs, 90)], q[rank(runs, 50)], q[rank(runs, 10)], q[rank(runs, 90)],
               u[rank(runs, 50)], qu[rank(runs, 50)]);
        free(w);
        free(u);
        free(q);
        free(qu);
}

int main(int argc, char *argv[]) {
        char **cmds[MAX_CMDS];
        size_t k = 0, runs, warmup;
        posix_spawn_file_actions_t fa;
        long long *t, *cpu;
        FILE *raw;

        if (argc < 5) {
                fprintf(stderr, "usage: %s RUNS WARMUP RAWFILE CMD [ARG...] [-- CMD [ARG...]]...\n",
                        argv[0]);
                return 2;
        }
        runs = strtoul(argv[1], NULL, 10);
        warmup = strtoul(argv[2], NULL, 10);
        if (runs == 0) {
                fprintf(stderr, "exectime: RUNS must be at least 1\n");
                return 2;
        }
        /* Split the rest at "--" into NULL-terminated argv arrays, in place. */
        cmds[k++] = &argv[4];
        for (int i = 4; i < argc; i++)
                if (strcmp(argv[i], "--") == 0) {
                        if (k == MAX_CMDS || i + 1 == argc) {
                                fprintf(stderr, "exectime: bad command list\n");
                                return 2;
                        }
                        argv[i] = NULL;
                        cmds[k++] = &argv[i + 1];
                }

        raw = fopen(argv[3], "we");
        t = calloc(runs * k, sizeof(*t));
        cpu = calloc(runs * k, sizeof(*cpu));
        if (!raw || !t || !cpu) {
                perror("exectime");
                return 1;
        }
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);

        for (size_t round = 0; round < warmup + runs; round++) {
                long long ns[MAX_CMDS], cpu_ns[MAX_CMDS];

                for (size_t j = 0; j < k; j++) {
                        size_t c = (round + j) % k;

                        if (run_once(cmds[c], &fa, &ns[c], &cpu_ns[c]) < 0)
                                return 1;
                }
                if (round < warmup)
                        continue;
                for (size_t c = 0; c < k; c++) {
                        t[(round - warmup) * k + c] = ns[c];
                        cpu[(round - warmup) * k + c] = cpu_ns[c];
                        fprintf(raw, "%lld\t", ns[c]);
                }
                for (size_t c = 0; c < k; c++)
                        fprintf(raw, "%lld%s", cpu_ns[c], c + 1 < k ? "\t" : "\n");
        }
        if (fclose(raw) != 0) {
                perror("exectime: RAWFILE");
                return 1;
        }
        for (size_t c = 0; c < k; c++)
                report(c, k, runs, t, cpu);
        posix_spawn_file_actions_destroy(&fa);
        free(t);
        free(cpu);
        return 0;
}
