/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootloader-internal.h"
#include "cleanup.h"
#include "grub-default.h"
#include "kargs.h"
#include "rootdir.h"

#define GRUB_DEFAULT "/etc/default/grub"
#define GRUB_DEFAULT_DIR "/etc/default/grub.d"

static const char *const cmdline_vars[] = { "GRUB_CMDLINE_LINUX", "GRUB_CMDLINE_LINUX_DEFAULT" };

typedef struct Origin {
        size_t file;
        unsigned line;
        size_t pos;            /* the byte's offset in its file */
} Origin;

/* A string with where each of its bytes came from. */
typedef struct Text {
        Buf b;
        Origin *o;
        size_t cap;
} Text;

typedef struct Var {
        char *name;
        Text value;
        bool unknown;          /* its value could not be computed (a command substitution) */
        char *why;             /* ... why, without its file and line */
        size_t file;           /* ... where */
        unsigned line;
} Var;

typedef struct Parser {
        GrubDefault *g;
        size_t file;
        const char *s;
        size_t i;
        unsigned line;
        Var *vars;
        size_t n_vars;
        char *msg;             /* the last parse_error()'s words, without file and line */
        Origin cause;          /* with unknown_error(): where the value that is not known was set */
        bool caused;
        size_t expanded;       /* the bytes expansions have made so far, in all the files */
} Parser;

static void text_free(Text *t) {
        buf_free(&t->b);
        free(t->o);
        *t = (Text) {};
}

/* Room for n more bytes and their origins. */
static int text_reserve(Text *t, size_t n) {
        size_t cap = t->cap ? t->cap : 64;
        Origin *o;

        if (n > SIZE_MAX / sizeof(Origin) - t->b.len)
                return -ENOMEM;
        if (t->b.len + n <= t->cap)
                return 0;
        while (cap < t->b.len + n)
                cap *= 2;
        o = reallocarray(t->o, cap, sizeof(Origin));
        if (!o)
                return -ENOMEM;
        t->o = o;
        t->cap = cap;
        return 0;
}

static int text_putc(Text *t, char c, Origin o) {
        if (text_reserve(t, 1) < 0)
                return -ENOMEM;
        t->o[t->b.len] = o;
        return buf_putn(&t->b, &c, 1);
}

/* src's bytes with their origins, in one copy each (expansions copy up to MAX_EXPANDED). */
static int text_append(Text *t, const Text *src) {
        if (src->b.len == 0)
                return 0;
        if (text_reserve(t, src->b.len) < 0)
                return -ENOMEM;
        memcpy(t->o + t->b.len, src->o, src->b.len * sizeof(Origin));
        return buf_putn(&t->b, src->b.data, src->b.len);
}

static int parse_error(Parser *p, const char *fmt, ...) {
        va_list ap;
        char *msg = NULL;

        va_start(ap, fmt);
        if (vasprintf(&msg, fmt, ap) < 0)
                msg = NULL;
        va_end(ap);
        free(p->g->error);
        p->g->error = NULL;
        if (msg && asprintf(&p->g->error, "%s%s:%u: %s", root_get(), p->g->files.v[p->file], p->line, msg) < 0)
                p->g->error = NULL;
        free(p->msg);
        p->msg = msg;
        p->caused = false;
        return -EINVAL;
}

/* A '`' outside single quotes: a command whose output no file tells. */
static int backquote_error(Parser *p) {
        return parse_error(p, "a command substitution '`': cannot compute the command line without running it.");
}

static Var *find_var(Parser *p, const char *name, size_t len) {
        for (size_t i = 0; i < p->n_vars; i++)
                if (strlen(p->vars[i].name) == len && strneq(p->vars[i].name, name, len))
                        return &p->vars[i];
        return NULL;
}

static Var *set_var(Parser *p, const char *name, size_t len) {
        Var *v = find_var(p, name, len), *n;

        if (v) {
                text_free(&v->value);
                return v;
        }
        n = reallocarray(p->vars, p->n_vars + 1, sizeof(Var));
        if (!n)
                return NULL;
        p->vars = n;
        v = &p->vars[p->n_vars];
        *v = (Var) { .name = strndup(name, len) };
        if (!v->name)
                return NULL;
        p->n_vars++;
        return v;
}

static size_t name_len(const char *s) {
        size_t n = 0;

        if (!(s[0] == '_' || (s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
                return 0;
        while (s[n] == '_' || (s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z') ||
               (s[n] >= '0' && s[n] <= '9'))
                n++;
        return n;
}

static char next(Parser *p) {
        char c = p->s[p->i];

        if (c) {
                p->i++;
                if (c == '\n')
                        p->line++;
        }
        return c;
}

static int literal(Parser *p, Text *out, char c) {
        /* c is the byte before p->i: every caller has just taken it with next(), which counted
         * a line break as the next line's already; it belongs to the line it ends */
        return text_putc(out, c, (Origin) { p->file, p->line - (c == '\n'), p->i - 1 });
}


/* What an expansion adds to out. Past MAX_EXPANDED bytes made by expansions in all, far above
 * what a command line needs, each one is an error: A="$A$A" doubles A with each line, and
 * B1=$A, B2=$A, ... copy it, so that a few kB of shell would ask for gigabytes. The fuzz build
 * takes the same path past a budget 16 times smaller: inputs that reach the budget would
 * otherwise take most of its time (bench/README.md, "fuzz-bootloader"). */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define MAX_EXPANDED (64 * 1024)
#else
#define MAX_EXPANDED (1024 * 1024)
#endif

static int append(Parser *p, Text *out, const Text *src) {
        if (src->b.len > MAX_EXPANDED - p->expanded)
                return parse_error(p, "expansions have made more than %u bytes in these files: cannot compute "
                                   "the command line.", MAX_EXPANDED);
        p->expanded += src->b.len;
        return text_append(out, src);
}

/* The error names where v was set and why that could not be computed; p->msg is that why, so
 * that a variable set from v is not known for the same reason, not for one more level of it. */
static int unknown_error(Parser *p, const Var *v) {
        int r = parse_error(p, "uses $%s, whose value (%s%s:%u) cannot be computed: %s", v->name, root_get(),
                            p->g->files.v[v->file], v->line, v->why ?: "see there.");

        free(p->msg);
        p->msg = v->why ? strdup(v->why) : NULL;
        p->cause = (Origin) { v->file, v->line, 0 };
        p->caused = true;
        return r;
}

/* "$NAME" or "${NAME}" after the '$' (inside the word of a ${NAME:+word}: nothing more nests). */
static int expand_simple(Parser *p, Text *out) {
        bool brace = p->s[p->i] == '{';
        size_t n = name_len(p->s + p->i + brace);
        const Var *v;

        if (n == 0 && p->s[p->i] == '(')
                return parse_error(p, "a command substitution '$(': cannot compute the command line without "
                                   "running it.");
        if (n == 0)
                return brace ? parse_error(p, "'${' inside '${...}' is not understood.") : literal(p, out, '$');
        v = find_var(p, p->s + p->i + brace, n);
        p->i += brace + n;
        if (brace && next(p) != '}')
                return parse_error(p, "an operator inside the word of '${...}' is not understood.");
        if (v && v->unknown)
                return unknown_error(p, v);
        return v ? append(p, out, &v->value) : 0;
}

/* The word of ${NAME:+word}, up to the unquoted '}': quotes, escapes, $NAME and ${NAME}. */
static int parse_brace_word(Parser *p, Text *out) {
        bool dquoted = false;

        for (;;) {
                char c = p->s[p->i];
                int r = 0;

                if (!c)
                        return parse_error(p, "'${' without its '}'.");
                if (c == '}' && !dquoted)
                        return 0;
                c = next(p);
                if (c == '"')
                        dquoted = !dquoted;
                else if (c == '\'' && !dquoted) {
                        while (p->s[p->i] && p->s[p->i] != '\'' && r >= 0)
                                r = literal(p, out, next(p));
                        if (r >= 0 && next(p) != '\'')
                                return parse_error(p, "a \"'\" string without its end.");
                } else if (c == '\\' && p->s[p->i])
                        r = literal(p, out, next(p));
                else if (c == '$')
                        r = expand_simple(p, out);
                else if (c == '`')
                        return backquote_error(p);
                else
                        r = literal(p, out, c);
                if (r < 0)
                        return r;
        }
}

/* After "${NAME": "}" or an operator and its word, up to the "}". */
static int parse_brace(Parser *p, Text *out) {
        size_t n = name_len(p->s + p->i);
        const char *name = p->s + p->i;
        _cleanup_(text_free) Text word = {};
        const Var *v;
        char op[3] = "";
        bool set, nonempty;
        int r;

        if (n == 0)
                return parse_error(p, "'${' without a variable name: cannot compute the command line.");
        p->i += n;
        v = find_var(p, name, n);
        if (v && v->unknown)
                return unknown_error(p, v);
        set = v != NULL;
        nonempty = v && v->value.b.len > 0;
        if (p->s[p->i] == ':' && strchr("+-", p->s[p->i + 1]) && p->s[p->i + 1]) {
                op[0] = ':', op[1] = p->s[p->i + 1];
                p->i += 2;
        } else if (p->s[p->i] && strchr("+-", p->s[p->i]))
                op[0] = next(p);
        else if (p->s[p->i] != '}')
                return parse_error(p, "'${%.*s%c' is not understood: cannot compute the command line.", (int) n,
                                   name, p->s[p->i] ?: ' ');
        if (op[0]) {
                r = parse_brace_word(p, &word);
                if (r < 0)
                        return r;
        }
        if (next(p) != '}')
                return parse_error(p, "'${' without its '}'.");
        if (streq(op, ":+") || streq(op, "+"))
                return (op[0] == ':' ? nonempty : set) ? append(p, out, &word) : 0;
        if (streq(op, ":-") || streq(op, "-"))
                if (!(op[0] == ':' ? nonempty : set))
                        return append(p, out, &word);
        return v ? append(p, out, &v->value) : 0;
}

/* After a '$'. */
static int parse_expansion(Parser *p, Text *out) {
        size_t n;
        const Var *v;

        if (p->s[p->i] == '(')
                return parse_error(p, "a command substitution '$(': cannot compute the command line without "
                                   "running it.");
        if (p->s[p->i] == '{') {
                p->i++;
                return parse_brace(p, out);
        }
        n = name_len(p->s + p->i);
        if (n == 0)
                return literal(p, out, '$');
        v = find_var(p, p->s + p->i, n);
        p->i += n;
        if (v && v->unknown)
                return unknown_error(p, v);
        return v ? append(p, out, &v->value) : 0;
}

static int parse_dquoted(Parser *p, Text *out) {
        for (;;) {
                char c = next(p);
                int r;

                if (!c)
                        return parse_error(p, "a '\"' string without its end.");
                if (c == '"')
                        return 0;
                if (c == '`')
                        return backquote_error(p);
                if (c == '\\' && p->s[p->i] && strchr("$`\"\\\n", p->s[p->i])) {
                        c = next(p);
                        r = c == '\n' ? 0 : literal(p, out, c);
                } else if (c == '$')
                        r = parse_expansion(p, out);
                else
                        r = literal(p, out, c);
                if (r < 0)
                        return r;
        }
}

/* A shell word, up to an unquoted blank, newline or ';'. */
static int parse_word(Parser *p, Text *out) {
        for (;;) {
                char c = p->s[p->i];
                int r = 0;

                if (!c || strchr(" \t\n;&|", c))
                        return 0;
                c = next(p);
                if (c == '\'') {
                        while (p->s[p->i] && p->s[p->i] != '\'' && r >= 0)
                                r = literal(p, out, next(p));
                        if (r >= 0 && next(p) != '\'')
                                return parse_error(p, "a \"'\" string without its end.");
                } else if (c == '"')
                        r = parse_dquoted(p, out);
                else if (c == '`')
                        return backquote_error(p);
                else if (c == '\\' && p->s[p->i]) {
                        c = next(p);
                        r = c == '\n' ? 0 : literal(p, out, c);
                } else if (c == '$')
                        r = parse_expansion(p, out);
                else
                        r = literal(p, out, c);
                if (r < 0)
                        return r;
        }
}

#define MAX_NESTING 64

/*
 * Past what the parser does not compute, to where the shell would find its end: with close ' ' a
 * word (up to an unquoted blank, newline or ';&|'), with '\n' a command (up to an unquoted
 * newline); '"', '`', ')' and '}' for what nests in them: quotes, escapes, `...`, $(...), ${...}.
 * A string that runs on across lines is then never read as assignments of its own.
 */
static int skip_shell(Parser *p, char close, unsigned depth) { /* NOLINT(misc-no-recursion): MAX_NESTING */
        bool quoted = close == '"' || close == '`';

        if (depth > MAX_NESTING)
                return parse_error(p, "quotes and substitutions nested more than %u deep are not understood.",
                                   MAX_NESTING);
        for (;;) {
                char c = p->s[p->i];
                int r = 0;

                if (!c) {
                        if (close == ' ' || close == '\n')
                                return 0;
                        return parse_error(p, "a '%s' without its end.",
                                           close == '"' ? "\"" : close == '`' ? "`" : close == ')' ? "$(" : "${");
                }
                if ((close == ' ' && strchr(" \t\n;&|", c)) || (close == '\n' && c == '\n'))
                        return 0;
                (void) next(p);
                if (c == close)
                        return 0;
                if (c == '\\') {
                        if (p->s[p->i])
                                (void) next(p);
                } else if (c == '`' || (c == '"' && !quoted))
                        r = skip_shell(p, c, depth + 1);
                else if (c == '$' && (p->s[p->i] == '(' || p->s[p->i] == '{') && close != '`')
                        r = skip_shell(p, next(p) == '(' ? ')' : '}', depth + 1);
                else if (c == '(' && close == ')')
                        r = skip_shell(p, ')', depth + 1);
                else if (c == '<' && p->s[p->i] == '<' && !quoted && close != '}')
                        /* its lines are text, but where they end needs the shell's rules */
                        return parse_error(p, "a here-document '<<' is not understood: cannot compute the "
                                           "command line.");
                else if (c == '\'' && !quoted) {
                        while (p->s[p->i] && p->s[p->i] != '\'')
                                (void) next(p);
                        if (next(p) != '\'')
                                return parse_error(p, "a \"'\" string without its end.");
                } else if (c == '#' && !quoted && close != ' ' && close != '}' &&
                           (p->i < 2 || strchr(" \t\n;&|(", p->s[p->i - 2])))
                        while (p->s[p->i] && p->s[p->i] != '\n')
                                (void) next(p);
                if (r < 0)
                        return r;
        }
}

static bool is_cmdline_var(const char *name, size_t len) {
        for (size_t i = 0; i < ELEMENTSOF(cmdline_vars); i++)
                if (strlen(cmdline_vars[i]) == len && strneq(cmdline_vars[i], name, len))
                        return true;
        return false;
}

/* One string or bare word with nothing in it that expands or quotes, on one line: words can be
 * taken out of it as they stand. In '...' only a "'" would end it, but a '"' in it reaches the
 * kernel, which reads it as a quote: with an odd number of them, taking a word out could change
 * what the open one quotes. In "..." or bare, $ ` \ and quotes mean more. */
static bool value_editable(const char *s, size_t start, size_t end) {
        size_t len = end - start, dquotes = 0;
        const char *v = s + start, *special = "$`\\\"'\n";

        if (len >= 2 && v[0] == '\'' && v[len - 1] == '\'')
                v++, len -= 2, special = "'\n";
        else if (len >= 2 && v[0] == '"' && v[len - 1] == '"')
                v++, len -= 2;
        for (size_t i = 0; i < len; i++) {
                if (strchr(special, v[i]))
                        return false;
                dquotes += v[i] == '"';
        }
        return dquotes % 2 == 0;
}

static int record_assign(Parser *p, unsigned line, size_t start) {
        GrubDefault *g = p->g;
        GrubAssign *n = reallocarray(g->assigns, g->n_assigns + 1, sizeof(GrubAssign));

        if (!n)
                return -ENOMEM;
        g->assigns = n;
        n[g->n_assigns++] = (GrubAssign) {
                .file = p->file, .line = line, .start = start, .end = p->i,
                .editable = value_editable(p->s, start, p->i),
        };
        return 0;
}

/* NAME=word at p->i (n: the length of NAME). */
static int parse_assignment(Parser *p, size_t n) {
        const char *name = p->s + p->i;
        _cleanup_(text_free) Text value = {};
        unsigned line = p->line;
        size_t start;
        Var *v;
        int r;

        p->i += n + 1;
        start = p->i;
        r = parse_word(p, &value);
        if (r == -EINVAL && !is_cmdline_var(name, n)) {
                /* GRUB_DISTRIBUTOR=`lsb_release ...`: an error only if one of ours uses it */
                v = set_var(p, name, n);
                if (!v)
                        return -ENOMEM;
                v->unknown = true;
                free(v->why);
                v->why = TAKE_PTR(p->msg);
                free(p->g->error);
                p->g->error = NULL;
                v->file = p->caused ? p->cause.file : p->file;
                v->line = p->caused ? p->cause.line : line;
                /* the word again from its start, to its end as the shell finds it: a string it
                 * opens may run on across lines (where the error stopped does not tell) */
                p->i = start;
                p->line = line;
                return skip_shell(p, ' ', 0);
        }
        if (r < 0)
                return r;
        v = set_var(p, name, n);
        if (!v)
                return -ENOMEM;
        v->value = value;
        v->unknown = false;
        value = (Text) {};
        return is_cmdline_var(name, n) ? record_assign(p, line, start) : 0;
}

static void skip_line(Parser *p) {
        while (p->s[p->i] && p->s[p->i] != '\n')
                p->i++;
}

/* Whether the text from start to p->i names one of the two variables. */
static bool mentions(Parser *p, size_t start) {
        _cleanup_free_ char *text = strndup(p->s + start, p->i - start);

        return !text || strstr(text, "GRUB_CMDLINE_LINUX");
}

static int parse_file(Parser *p) {
        p->i = 0;
        p->line = 1;
        while (p->s[p->i]) {
                size_t n, start;
                unsigned line;
                int r;

                p->i += strspn(p->s + p->i, " \t;");
                if (p->s[p->i] == '\n' || p->s[p->i] == '#') {
                        skip_line(p);
                        (void) next(p);
                        continue;
                }
                if (strneq(p->s + p->i, "export", 6) && strchr(" \t", p->s[p->i + 6]) && p->s[p->i + 6])
                        p->i += 6 + strspn(p->s + p->i + 6, " \t");
                n = name_len(p->s + p->i);
                if (n > 0 && p->s[p->i + n] == '=') {
                        r = parse_assignment(p, n);
                        if (r < 0)
                                return r;
                        continue;
                }
                /* a command, to its end: its strings may span lines */
                start = p->i;
                line = p->line;
                r = skip_shell(p, '\n', 0);
                if (r < 0)
                        return r;
                if (mentions(p, start)) {
                        p->line = line;
                        return parse_error(p, "GRUB_CMDLINE_LINUX set by something else than an assignment: "
                                           "cannot compute the command line without running it.");
                }
        }
        return 0;
}

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* /etc/default/grub, then the *.cfg of grub.d in name order (the overlay's file among them when
 * it is written, not when it is removed). */
static int list_files(Strv *ret, const char *overlay_path, const char *overlay) {
        _cleanup_closedir_ DIR *d = root_opendir(GRUB_DEFAULT_DIR);
        const char *base = overlay_path && strneq(overlay_path, GRUB_DEFAULT_DIR "/", strlen(GRUB_DEFAULT_DIR) + 1)
                                   ? overlay_path + strlen(GRUB_DEFAULT_DIR) + 1 : NULL;
        Strv names = {};
        struct dirent *de;
        int r = 0;

        while (d && r >= 0 && (de = readdir(d))) {
                size_t len = strlen(de->d_name);

                if (len > 4 && streq(de->d_name + len - 4, ".cfg") && !(base && streq(de->d_name, base)))
                        r = strv_push(&names, strdup(de->d_name));
        }
        if (r >= 0 && base && overlay)
                r = strv_push(&names, strdup(base));
        if (r >= 0)
                r = strv_push(ret, strdup(GRUB_DEFAULT));
        qsort_safe(names.v, names.n, sizeof(char *), cmp_str);
        for (size_t i = 0; r >= 0 && i < names.n; i++)
                r = strv_push(ret, strjoin3(GRUB_DEFAULT_DIR, "/", names.v[i]));
        strv_free(&names);
        return r;
}

/* The file, "" when it does not exist; one over MAX_FILE is an error, never read in part. */
static int read_limited(GrubDefault *g, const char *path, char **ret) {
        size_t size;
        int r = root_read_file(path, MAX_FILE + 1, ret, &size);

        if (r == -ENOENT) {
                *ret = strdup("");
                return *ret ? 0 : -ENOMEM;
        }
        if (r >= 0 && strlen(*ret) != size) {
                /* the parser would stop at it, and no shell reads it as a text file either */
                free(*ret);
                *ret = NULL;
                free(g->error);
                if (asprintf(&g->error, "%s%s holds a NUL byte: not a shell file, not reading it.", root_get(),
                             path) < 0)
                        g->error = NULL;
                return -EINVAL;
        }
        if (r >= 0 && size > MAX_FILE) {
                free(*ret);
                *ret = NULL;
                free(g->error);
                if (asprintf(&g->error, "%s%s is larger than %u bytes: not reading it.", root_get(), path,
                             MAX_FILE) < 0)
                        g->error = NULL;
                return -EINVAL;
        }
        return r;
}

static int read_files(GrubDefault *g, const char *overlay_path, const char *overlay) {
        int r;

        r = list_files(&g->files, overlay_path, overlay);
        for (size_t i = 0; r >= 0 && i < g->files.n; i++) {
                char *text = NULL;

                if (overlay_path && streq(g->files.v[i], overlay_path))
                        text = strdup(overlay ?: "");
                else
                        r = read_limited(g, g->files.v[i], &text);
                if (r >= 0)
                        r = strv_push(&g->texts, text);
        }
        return r;
}

/* "${GRUB_CMDLINE_LINUX} ${GRUB_CMDLINE_LINUX_DEFAULT}", split into words with their origins. */
static int effective_line(Parser *p) {
        const Var *linux_ = find_var(p, cmdline_vars[0], strlen(cmdline_vars[0])),
                  *dflt = find_var(p, cmdline_vars[1], strlen(cmdline_vars[1]));
        _cleanup_(text_free) Text t = {};
        _cleanup_free_ KargsWord *w = NULL;
        GrubDefault *g = p->g;
        const char *nl;
        size_t n;
        int r = 0;

        if (linux_)
                r = text_append(&t, &linux_->value);
        if (r >= 0)
                r = text_putc(&t, ' ', (Origin) {});
        if (r >= 0 && dflt)
                r = text_append(&t, &dflt->value);
        if (r < 0)
                return r;
        /* grub-mkconfig writes the line into grub.cfg as it is: after a line break, the rest is a
         * GRUB command of its own, not kernel arguments (and a quote open before it is not closed
         * there, for the kernel). No word of such a line can be said to reach the kernel. */
        nl = memchr(t.b.data, '\n', t.b.len);
        if (nl) {
                const Origin *o = t.o + (nl - t.b.data);

                p->file = o->file;
                p->line = o->line;
                return parse_error(p, "%s holds a line break, after which grub-mkconfig writes the rest as a "
                                   "command of its own, not as kernel arguments: put the value on one line.",
                                   (size_t) (nl - t.b.data) < (linux_ ? linux_->value.b.len : 0) ? cmdline_vars[0]
                                                                                               : cmdline_vars[1]);
        }
        r = kargs_split(t.b.data, &w, &n);
        if (r < 0)
                return r;
        g->words = calloc(n ?: 1, sizeof(GrubWord));
        if (!g->words)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                const Origin *o = t.o + w[i].start;
                bool in_place = true;

                /* its bytes one after the other in one file, as a value that is not expanded has them */
                for (size_t k = 1; k < w[i].end - w[i].start; k++)
                        in_place = in_place && o[k].file == o[0].file && o[k].pos == o[0].pos + k;
                g->words[i] = (GrubWord) { .text = strndup(t.b.data + w[i].start, w[i].end - w[i].start),
                                           .file = o->file, .line = o->line, .pos = o->pos,
                                           .in_place = in_place };
                if (!g->words[i].text)
                        return -ENOMEM;
                g->n_words++;
        }
        g->line = TAKE_PTR(t.b.data);
        return 0;
}

int grub_default_read(GrubDefault *g, const char *overlay_path, const char *overlay) {
        Parser p = { .g = g };
        int r;

        *g = (GrubDefault) {};
        r = read_files(g, overlay_path, overlay);
        for (size_t i = 0; r >= 0 && i < g->files.n; i++) {
                p.file = i;
                p.s = g->texts.v[i];
                r = parse_file(&p);
        }
        if (r >= 0)
                r = effective_line(&p);
        for (size_t i = 0; i < p.n_vars; i++) {
                free(p.vars[i].name);
                free(p.vars[i].why);
                text_free(&p.vars[i].value);
        }
        free(p.vars);
        free(p.msg);
        return r;
}

void grub_default_free(GrubDefault *g) {
        strv_free(&g->files);
        strv_free(&g->texts);
        free(g->line);
        for (size_t i = 0; i < g->n_words; i++)
                free(g->words[i].text);
        free(g->words);
        free(g->assigns);
        free(g->error);
        *g = (GrubDefault) {};
}
