/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdarg.h>
#include <syslog.h>

/*
 * Logging for the generator and the helper. Only the main/run layer of a program logs above
 * debug; core helpers return negative errno and let the caller say what failed.
 *
 * Target: /dev/kmsg when we run as a generator under systemd (SYSTEMD_SCOPE is set for
 * generators) or DPDK_BOOT_LOG_TARGET=kmsg (the shell-init initramfs hook), stderr otherwise. DPDK_BOOT_LOG_LEVEL=debug|info|notice|warning|err raises or
 * lowers the threshold (default: info).
 */

void log_setup(const char *ident, int generator);
void log_set_max_level(int level);
int log_get_max_level(void);

/* Logs, and returns -abs(err) (or -EIO when err is 0), so callers can "return log_error_errno()". */
int log_internal(int level, int err, const char *file, int line, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));

#define log_full_errno(level, err, ...) log_internal(level, err, __FILE__, __LINE__, __VA_ARGS__)
#define log_full(level, ...) (void) log_full_errno(level, 0, __VA_ARGS__)

#define log_debug(...) log_full(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_full(LOG_INFO, __VA_ARGS__)
#define log_notice(...) log_full(LOG_NOTICE, __VA_ARGS__)
#define log_warning(...) log_full(LOG_WARNING, __VA_ARGS__)
#define log_error(...) log_full(LOG_ERR, __VA_ARGS__)

#define log_debug_errno(err, ...) log_full_errno(LOG_DEBUG, err, __VA_ARGS__)
#define log_info_errno(err, ...) log_full_errno(LOG_INFO, err, __VA_ARGS__)
#define log_warning_errno(err, ...) log_full_errno(LOG_WARNING, err, __VA_ARGS__)
#define log_error_errno(err, ...) log_full_errno(LOG_ERR, err, __VA_ARGS__)
#define log_oom() log_error_errno(ENOMEM, "Out of memory.")
