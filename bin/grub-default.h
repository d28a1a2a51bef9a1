/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/*
 * The kernel command line grub-mkconfig writes for the default entry, computed as it does: it
 * sources /etc/default/grub, then the *.cfg of /etc/default/grub.d in name order, and 10_linux puts
 * "${GRUB_CMDLINE_LINUX} ${GRUB_CMDLINE_LINUX_DEFAULT}" on the linux line. The files are shell;
 * what they use of it is read here: assignments (NAME=value, "export NAME=value") whose value is
 * made of '...' and "..." strings, backslash escapes, $NAME, ${NAME} and ${NAME:+word},
 * ${NAME:-word}, ${NAME+word}, ${NAME-word}; comments. A command substitution, or any other
 * statement that assigns one of the two variables, is an error naming its file and line: the line
 * then cannot be known without running it.
 *
 * Every word of the line keeps where it came from (file, line and offset), for a conflict report, and
 * every assignment of the two variables keeps where its value is in its file, for taking words
 * out of it.
 */

typedef struct GrubWord {
        char *text;
        size_t file;           /* index into GrubDefault.files */
        unsigned line;
        size_t pos;            /* the offset of its first byte in that file */
        bool in_place;         /* its bytes stand in the file as they are, from pos on */
} GrubWord;

typedef struct GrubAssign {
        size_t file;
        unsigned line;
        size_t start, end;     /* the value's text in the file, quotes included */
        bool editable;         /* one '...' or "..." string (or a bare word) without expansions */
} GrubAssign;

typedef struct GrubDefault {
        Strv files;            /* the files read, in order, as paths under the root */
        Strv texts;            /* their contents */
        char *line;            /* the effective command line of the default entry */
        GrubWord *words;
        size_t n_words;
        GrubAssign *assigns;   /* the assignments of GRUB_CMDLINE_LINUX and _DEFAULT */
        size_t n_assigns;
        char *error;           /* "file:line: why" when it returns -EINVAL */
} GrubDefault;

/*
 * Reads the files under the root prefix. overlay_path, when not NULL, is read as overlay (NULL:
 * as absent) instead of from disk: the line as it will be once overlay is written.
 */
int grub_default_read(GrubDefault *g, const char *overlay_path, const char *overlay);
void grub_default_free(GrubDefault *g);
