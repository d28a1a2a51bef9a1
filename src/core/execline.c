/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>

#include "cleanup.h"
#include "execline.h"

/* One word from *p into b; *p moves past it. 0 at the end of s, 1 for a word. */
static int next_word(const char **p, Buf *b, const char **why) {
        const char *s = *p + strspn(*p, " ");
        char quote = 0;

        if (!*s) {
                *p = s;
                return 0;
        }
        /* The word exists even when empty (""), so the buffer always gets its NUL. */
        if (buf_putn(b, "", 0) < 0)
                return -ENOMEM;
        for (; *s && (quote || *s != ' '); s++) {
                int r;

                if (*s == '\\') {
                        if (!s[1] || !strchr("\\\"'", s[1])) {
                                *why = s[1] ? "an unknown escape" : "a trailing backslash";
                                return -EINVAL;
                        }
                        r = buf_putn(b, ++s, 1);
                } else if (quote && *s == quote) {
                        quote = 0;
                        continue;
                } else if (!quote && (*s == '"' || *s == '\'')) {
                        quote = *s;
                        continue;
                } else
                        r = buf_putn(b, s, 1);
                if (r < 0)
                        return r;
        }
        if (quote) {
                *why = "an unbalanced quote";
                return -EINVAL;
        }
        *p = s;
        return 1;
}

int execline_split(const char *s, Strv *ret, const char **ret_why) {
        _cleanup_(strv_free) Strv l = {};
        const char *why = NULL;

        for (;;) {
                Buf w = {};
                int r = next_word(&s, &w, &why);

                if (r <= 0) {
                        buf_free(&w);
                        if (r < 0 && ret_why)
                                *ret_why = why;
                        if (r < 0)
                                return r;
                        break;
                }
                r = strv_push(&l, TAKE_PTR(w.data));
                if (r < 0)
                        return r;
        }
        *ret = l;
        l = (Strv) {};
        return 0;
}

/* The executable: systemd refuses a path with quotes, backslashes or control characters
 * (string_is_safe()), a directory, and names longer than NAME_MAX; it expands no variable in
 * it, so a '$' could not be written to mean itself. */
static const char *path_problem(const char *path) {
        if (path[0] != '/')
                return "the command is not an absolute path";
        if (strpbrk(path, "\"'\\$") || string_has_cc(path))
                return "the command's path has a quote, a backslash or a '$'";
        if (path[strlen(path) - 1] == '/')
                return "the command's path is a directory";
        for (const char *c = path; *c; ) {
                size_t n = strcspn(c, "/");

                if (n > 255)
                        return "the command's path has a name longer than 255 bytes";
                c += n + strspn(c + n, "/");
        }
        return strlen(path) >= 4096 ? "the command's path is longer than 4095 bytes" : NULL;
}

int execline_check(const char *s, const char **ret_why) {
        _cleanup_(strv_free) Strv argv = {};
        const char *why = NULL;
        int r;

        r = execline_split(s, &argv, &why);
        if (r == -EINVAL) {
                *ret_why = why;
                return r;
        }
        if (r < 0)
                return r;
        why = argv.n == 0 ? "no command" : path_problem(argv.v[0]);
        if (!why)
                for (size_t i = 1; i < argv.n && !why; i++)
                        if (string_has_cc(argv.v[i]))
                                why = "a control character";
        *ret_why = why;
        return why ? -EINVAL : 0;
}

static bool needs_quotes(const char *w) {
        return !*w || strpbrk(w, " \"'\\");
}

static int put_word(Buf *b, const char *w, bool path) {
        bool quoted = needs_quotes(w);
        int r = 0;

        if (streq(w, ";"))
                return buf_put(b, "\\;");
        if (quoted)
                r = buf_put(b, "\"");
        for (const char *c = w; *c && r >= 0; ) {
                size_t n = strcspn(c, quoted ? "%$\\\"" : "%$");

                r = buf_putn(b, c, n);
                c += n;
                if (r < 0 || !*c)
                        break;
                if (*c == '%' || (*c == '$' && !path))
                        r = buf_putn(b, c, 1);
                else if (*c == '\\' || *c == '"')
                        r = buf_put(b, "\\");
                if (r >= 0)
                        r = buf_putn(b, c++, 1);
        }
        if (quoted && r >= 0)
                r = buf_put(b, "\"");
        return r;
}

int execline_put(Buf *b, const Strv *argv) {
        for (size_t i = 0; i < argv->n; i++) {
                int r = i > 0 ? buf_put(b, " ") : 0;

                if (r >= 0)
                        r = put_word(b, argv->v[i], i == 0);
                if (r < 0)
                        return r;
        }
        return 0;
}
