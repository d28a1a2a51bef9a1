/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "util.h"

/*
 * The command lines of dpdk-boot.conf (ExecStart=, testpmd's ExtraArgs=) and of the plan: words
 * separated by spaces; "..." and '...' group (also inside a word, as in systemd); a backslash
 * escapes '\', '"' and '\'' and nothing else; '%', '$' and ';' are ordinary characters. That is
 * systemd.service(5)'s syntax without its specifiers, variables, command separators and C escapes,
 * which the plan does not have: the command is decided when the plan is made, and `dpdk-boot plan`
 * prints it as it runs.
 */

/* The words of s. -EINVAL for an unbalanced quote or an unknown escape, with what is wrong in
 * *ret_why (a static string) when given. */
int execline_split(const char *s, Strv *ret, const char **ret_why);

/*
 * Whether s is a command line systemd can be given: it splits, and its first word is an absolute
 * path systemd runs as it is (no '$', quote or backslash in it, no control character, not a
 * directory, no name longer than 255 bytes). 0, or -EINVAL with the reason in *ret_why.
 */
int execline_check(const char *s, const char **ret_why);

/*
 * Appends argv as the value of an Exec*= setting that systemd splits back into exactly these words:
 * '%' doubled (specifiers), '$' doubled (variables) except in the executable's path, which
 * execline_check() keeps free of it, a word that is a lone ';' as "\;", and a word with a space,
 * a quote or a backslash, or an empty one, in double quotes with '\' and '"' escaped.
 */
int execline_put(Buf *b, const Strv *argv);
