/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bootloader-internal.h"
#include "cleanup.h"
#include "log.h"
#include "rootdir.h"

/*
 * Unified kernel images. A UKI carries its command line inside (signed with it under Secure
 * Boot), so the arguments go into a command-line addon: a small PE file that systemd-stub 254
 * and later reads from <uki>.efi.extra.d/ beside the UKI, measures, and (under Secure Boot) only
 * takes when it is signed by a key the firmware or shim trusts. ukify builds it from the addon
 * stub of systemd-boot-efi; [Kernel] SecureBootPrivateKey= and SecureBootCertificate= sign it.
 *
 * Every UKI kernel-install made for this installation (<entry token>-<version>.efi in EFI/Linux
 * of the ESP or XBOOTLDR) gets dpdk-boot.addon.efi, each built to a temporary file in the same
 * directory, synced and renamed over the old one. systemd 255's global addons directory
 * (loader/addons/) is not used: systemd-stub 254 does not read it, and it applies to every UKI
 * on the ESP, those of other installations as well. An existing /etc/kernel/cmdline (what
 * kernel-install builds the UKIs of later kernels from) gets our words too; without one, those
 * take /proc/cmdline, which has the addon's words once booted.
 *
 * A UKI's own command line (its .cmdline section) comes first, the addon's after it, and the
 * kernel keeps the first isolcpus=, nohz_full=, default_hugepagesz= and hugepagesz= of a size: an
 * addon cannot change what the UKI itself says. So each UKI's own line is read first. Without
 * words of ours it gets the addon; with exactly ours (kernel-install built it from our
 * /etc/kernel/cmdline) it needs none, and ours is removed, never a second copy; with other words
 * of our families (an older configuration's, or the user's) it is named as an error: only
 * building it again (kernel-install add) changes them.
 *
 * The addons' command line, keys and UKIs are recorded in UKI_STATE: the same again builds
 * nothing. The pending stamp is written before the first build and removed after the last, so
 * a failed or killed ukify is built again by the next run, the old addon left in place.
 */

#define UKI_ADDON "dpdk-boot.addon.efi"
/* The name the kargs tests' kill -9 harness knows as a temporary file of ours. */
#define UKI_ADDON_TMP ".#" UKI_ADDON ".dpdk-boot-ukify0"
#define UKI_STATE "/var/lib/dpdk-boot/uki-addon"

static const char *const uki_dirs[] = {
        "/efi/EFI/Linux",
        "/boot/EFI/Linux",
        "/boot/efi/EFI/Linux",
};

static const char *const entry_dirs[] = {
        "/boot/loader/entries",
        "/efi/loader/entries",
        "/boot/efi/loader/entries",
};

#if defined(__aarch64__)
#define ADDON_STUB "/usr/lib/systemd/boot/efi/addonaa64.efi.stub"
#elif defined(__i386__)
#define ADDON_STUB "/usr/lib/systemd/boot/efi/addonia32.efi.stub"
#else
#define ADDON_STUB "/usr/lib/systemd/boot/efi/addonx64.efi.stub"
#endif

static bool is_ours(const char *name, const char *token, const char *suffix) {
        size_t len = strlen(name), t = strlen(token), s = strlen(suffix);

        return t > 0 && strneq(name, token, t) && name[t] == '-' && len > t + 1 + s &&
               streq(name + len - s, suffix);
}

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The files of ours (token-*suffix) in dirs, as paths under the root prefix, sorted. */
static int find_ours(const char *const *dirs, size_t n_dirs, const char *token, const char *suffix, Strv *ret) {
        for (size_t i = 0; i < n_dirs; i++) {
                _cleanup_closedir_ DIR *d = root_opendir(dirs[i]);
                struct dirent *de;

                if (!d && errno != ENOENT && errno != ENOTDIR)
                        return -errno;
                while (d && (de = readdir(d)))
                        if (is_ours(de->d_name, token, suffix) && strv_push(ret, strjoin3(dirs[i], "/", de->d_name)) < 0)
                                return -ENOMEM;
        }
        if (ret->n > 1)
                qsort(ret->v, ret->n, sizeof(char *), cmp_str);
        return 0;
}

/* layout=uki in kernel-install's install.conf (the one in /etc wins over /usr/lib's), quoted or
 * not, as the shell reads it. */
static bool layout_is_uki(void) {
        static const char *const files[] = { "/etc/kernel/install.conf", "/usr/lib/kernel/install.conf" };

        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                _cleanup_free_ char *text = NULL;
                const char *layout = NULL;

                if (bootloader_read_optional(files[i], &text) < 0 || !text)
                        continue;
                for (char *s = text, *save = NULL, *l; (l = strtok_r(s, "\n", &save)); s = NULL)
                        if (strneq(strip(l), "layout=", 7))
                                layout = strip(l) + 7;  /* the last one counts, as for kernel-install */
                return layout && (streq(layout, "uki") || streq(layout, "\"uki\"") || streq(layout, "'uki'"));
        }
        return false;
}

int bootloader_uki_detect(void) {
        _cleanup_free_ char *token = NULL;
        _cleanup_(strv_free) Strv ukis = {}, entries = {};
        int r;

        if (layout_is_uki())
                return 1;
        if (bootloader_entry_token(&token) < 0 || isempty(token))
                return 0;
        r = find_ours(uki_dirs, ELEMENTSOF(uki_dirs), token, ".efi", &ukis);
        if (r >= 0)
                r = find_ours(entry_dirs, ELEMENTSOF(entry_dirs), token, ".conf", &entries);
        if (r < 0)
                return r;
        return ukis.n > 0 && entries.n == 0;
}

static uint32_t le32(const unsigned char *p) {
        return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

static int read_at(FILE *f, uint64_t offset, void *buf, size_t size) {
        if (fseeko(f, (off_t) offset, SEEK_SET) < 0)
                return -errno;
        return fread(buf, 1, size, f) == size ? 0 : -EBADMSG;
}

/* The .cmdline section of a PE file (a UKI) into *ret, NUL-terminated; NULL (and 0) when the file
 * is not PE or has no such section: then nothing is known of its own line. */
static int embedded_cmdline(const char *path, char **ret) {
        _cleanup_fclose_ FILE *f = root_fopen(path);
        unsigned char dos[64], pe[24], sec[40];
        uint64_t table;
        unsigned n_sections;

        *ret = NULL;
        if (!f)
                return -errno;
        if (read_at(f, 0, dos, sizeof(dos)) < 0 || dos[0] != 'M' || dos[1] != 'Z' ||
            read_at(f, le32(dos + 0x3c), pe, sizeof(pe)) < 0 || memcmp(pe, "PE\0\0", 4) != 0)
                return 0;
        n_sections = pe[6] | pe[7] << 8;
        /* the section table follows the COFF header and the optional header */
        table = (uint64_t) le32(dos + 0x3c) + sizeof(pe) + (pe[20] | pe[21] << 8);
        for (unsigned i = 0; i < n_sections; i++) {
                uint32_t size;
                char *text;

                if (read_at(f, table + 40 * (uint64_t) i, sec, sizeof(sec)) < 0)
                        return 0;
                if (memcmp(sec, ".cmdline", 8) != 0)
                        continue;
                /* VirtualSize is the text, SizeOfRawData that padded to the file alignment */
                size = le32(sec + 8) < le32(sec + 16) ? le32(sec + 8) : le32(sec + 16);
                if (size > MAX_FILE)
                        return log_error_errno(EFBIG, "%s%s: its .cmdline section is larger than %u bytes.",
                                               root_get(), path, MAX_FILE);
                text = calloc(size + 1, 1);
                if (!text)
                        return -ENOMEM;
                if (read_at(f, le32(sec + 20), text, size) < 0) {
                        free(text);
                        return 0;
                }
                *ret = text;
                return 0;
        }
        return 0;
}

typedef enum UkiUse {
        UKI_USE_ADDON,    /* its own line has no word of ours: the addon brings them */
        UKI_USE_EMBEDDED, /* its own line has exactly ours: no addon */
        UKI_USE_STALE,    /* its own line has other words of our families: an error */
} UkiUse;

static int uki_use(const KargsRequest *req, const char *uki, const char *want, UkiUse *ret) {
        _cleanup_free_ char *own = NULL, *joined = NULL;
        _cleanup_(strv_free) Strv ours = {};
        int r = embedded_cmdline(uki, &own);

        if (r < 0)
                return log_error_errno(r, "Failed to read %s%s: %m", root_get(), uki);
        if (own && kargs_ours(own, req->families, &req->owned, &ours) < 0)
                return -ENOMEM;
        if (ours.n == 0) {
                *ret = UKI_USE_ADDON;
                return 0;
        }
        joined = kargs_join(&ours);
        if (!joined)
                return -ENOMEM;
        *ret = streq(joined, want) ? UKI_USE_EMBEDDED : UKI_USE_STALE;
        if (*ret == UKI_USE_STALE && *want)
                log_error("%s%s carries %s in its own command line, which comes before an addon's, and the "
                          "kernel keeps the first isolcpus=, nohz_full= and hugepagesz=: an addon cannot "
                          "change them to %s. Build the UKI again (kernel-install add, from "
                          "/etc/kernel/cmdline).", root_get(), uki, joined, want);
        else if (*ret == UKI_USE_STALE)
                log_error("%s%s carries %s in its own command line, which the configuration no longer asks "
                          "for, and no addon can take them out. Build the UKI again (kernel-install add, "
                          "from /etc/kernel/cmdline).", root_get(), uki, joined);
        return 0;
}

/* Each UKI's use into use[] (allocated); returns how many are stale. */
static int uki_uses(const KargsRequest *req, const Strv *ukis, const char *want, UkiUse **ret) {
        _cleanup_free_ UkiUse *use = calloc(ukis->n ?: 1, sizeof(UkiUse));
        int stale = 0;

        if (!use)
                return -ENOMEM;
        for (size_t i = 0; i < ukis->n; i++) {
                int r = uki_use(req, ukis->v[i], want, &use[i]);

                if (r < 0)
                        return r;
                stale += use[i] == UKI_USE_STALE;
        }
        *ret = TAKE_PTR(use);
        return stale;
}

static const char *ukify_command(void) {
        static const char *const paths[] = { "/usr/lib/systemd/ukify", "/lib/systemd/ukify" };

        if (secure_getenv("DPDK_BOOT_UKIFY"))
                return secure_getenv("DPDK_BOOT_UKIFY");
        for (size_t i = 0; i < ELEMENTSOF(paths); i++)
                if (access(paths[i], X_OK) >= 0)
                        return paths[i];
        return "ukify";
}

/* What the addons are made of, one a line: compared with UKI_STATE to build only on a change. */
static int uki_state(const KargsRequest *req, const char *cmdline, const Strv *ukis, const UkiUse *use,
                     char **ret) {
        _cleanup_(buf_free) Buf b = {};

        (void) buf_printf(&b, "# The command-line addons dpdk-boot kargs built (%s in <uki>.extra.d/).\n"
                          "cmdline=%s\n", UKI_ADDON, cmdline);
        if (req->secureboot_private_key)
                (void) buf_printf(&b, "private-key=%s\ncertificate=%s\n", req->secureboot_private_key,
                                  req->secureboot_certificate ?: "");
        for (size_t i = 0; i < ukis->n; i++)
                (void) buf_printf(&b, "uki=%s%s\n", ukis->v[i], use[i] == UKI_USE_ADDON ? "" :
                                  use[i] == UKI_USE_EMBEDDED ? " (its own line has them)" : " (stale)");
        if (!b.data)
                return -ENOMEM;
        *ret = TAKE_PTR(b.data);
        return 0;
}

static int addon_path(const char *uki, const char *name, char **ret) {
        return asprintf(ret, "%s.extra.d/%s", uki, name) < 0 ? -ENOMEM : 0;
}

/* Whether each UKI that takes the addon has it, none other has, and UKI_STATE says it was built
 * from state. */
static int addons_current(const Strv *ukis, const UkiUse *use, const char *state) {
        _cleanup_free_ char *old = NULL;
        int r = bootloader_read_optional(UKI_STATE, &old);

        if (r < 0 || !old || !streq(old, state))
                return r < 0 ? r : 0;
        for (size_t i = 0; i < ukis->n; i++) {
                _cleanup_free_ char *addon = NULL;

                if (addon_path(ukis->v[i], UKI_ADDON, &addon) < 0)
                        return -ENOMEM;
                r = root_exists(addon);
                if (r < 0)
                        return r;
                if (use[i] != UKI_USE_STALE && r != (use[i] == UKI_USE_ADDON))
                        return 0;
        }
        return 1;
}

static int fsync_path(const char *full, int flags) {
        _cleanup_close_ int fd = open(full, flags | O_CLOEXEC);

        if (fd < 0 || fsync(fd) < 0)
                return -errno;
        return 0;
}

/* The key files ukify signs with, under the root prefix: both or none, each there. */
static int signing_args(const KargsRequest *req, char **ret_key, char **ret_cert) {
        const char *paths[2] = { req->secureboot_private_key, req->secureboot_certificate };
        char **full[2] = { ret_key, ret_cert };

        if (!paths[0] && !paths[1])
                return 0;
        if (!paths[0] || !paths[1])
                return log_error_errno(EINVAL, "[Kernel] SecureBootPrivateKey= and SecureBootCertificate= "
                                       "go together: set both, or neither for an unsigned addon.");
        for (size_t i = 0; i < 2; i++) {
                *full[i] = root_path(paths[i]);
                if (!*full[i])
                        return -ENOMEM;
                if (access(*full[i], R_OK) < 0)
                        return log_error_errno(errno, "Cannot read %s, the %s to sign the addon with: %m",
                                               *full[i], i == 0 ? "private key" : "certificate");
        }
        return 0;
}

static int run_ukify(const KargsRequest *req, const char *cmdline, const char *output) {
        _cleanup_free_ char *stub = root_path(ADDON_STUB), *key = NULL, *cert = NULL, *a_stub = NULL,
                            *a_cmdline = NULL, *a_out = NULL, *a_key = NULL, *a_cert = NULL;
        char *argv[8] = { (char *) ukify_command(), (char *) "build" };
        size_t n = 2;
        int r;

        if (!stub)
                return -ENOMEM;
        if (access(stub, R_OK) < 0)
                return log_error_errno(errno, "No addon stub %s (systemd-boot-efi, systemd 254 or later): %m", stub);
        r = signing_args(req, &key, &cert);
        if (r < 0)
                return r;
        if (asprintf(&a_stub, "--stub=%s", stub) < 0 || asprintf(&a_cmdline, "--cmdline=%s", cmdline) < 0 ||
            asprintf(&a_out, "--output=%s", output) < 0)
                return -ENOMEM;
        argv[n++] = a_stub;
        argv[n++] = a_cmdline;
        if (key) {
                if (asprintf(&a_key, "--secureboot-private-key=%s", key) < 0 ||
                    asprintf(&a_cert, "--secureboot-certificate=%s", cert) < 0)
                        return -ENOMEM;
                argv[n++] = a_key;
                argv[n++] = a_cert;
        }
        argv[n++] = a_out;
        r = spawn_command(argv, NULL);
        if (r != 0)
                return log_error_errno(r < 0 ? r : EPROTO, "%s failed (%s %i) building %s: the old addon stays. "
                                       "%s stays, and the next 'dpdk-boot kargs' builds it again.", argv[0],
                                       r < 0 ? "error" : "exit status", r < 0 ? -r : r, output,
                                       KARGS_PENDING_FILE);
        return 0;
}

/* ukify into a temporary file beside the addon, synced, renamed over it, the directory synced. */
static int build_addon(const KargsRequest *req, const char *cmdline, const char *uki, FILE *out) {
        _cleanup_free_ char *addon = NULL, *tmp = NULL, *full = NULL, *full_tmp = NULL;
        int r;

        if (addon_path(uki, UKI_ADDON, &addon) < 0 || addon_path(uki, UKI_ADDON_TMP, &tmp) < 0)
                return -ENOMEM;
        full = root_path(addon);
        full_tmp = root_path(tmp);
        if (!full || !full_tmp)
                return -ENOMEM;
        r = root_mkdir_parents(addon);
        if (r < 0)
                return r;
        if (unlink(full_tmp) < 0 && errno != ENOENT)
                return -errno;
        r = run_ukify(req, cmdline, full_tmp);
        if (r < 0) {
                (void) unlink(full_tmp);
                return r;
        }
        r = fsync_path(full_tmp, O_RDONLY);
        if (r >= 0 && rename(full_tmp, full) < 0)
                r = -errno;
        if (r < 0)
                return log_error_errno(r, "Failed to put %s in place: %m", full);
        *strrchr(full, '/') = 0;
        (void) fsync_path(full, O_RDONLY | O_DIRECTORY);
        fprintf(out, "%s: built with ukify\n", addon);
        return 0;
}

static int remove_pending(void) {
        _cleanup_free_ char *full = root_path(KARGS_PENDING_FILE);

        if (!full)
                return -ENOMEM;
        if (unlink(full) < 0 && errno != ENOENT)
                return -errno;
        return 0;
}

/* Our addon out of one UKI's extra.d/: 1 when it was there. */
static int remove_addon(const char *uki, bool dry_run, FILE *out) {
        _cleanup_free_ char *addon = NULL, *full = NULL;

        if (addon_path(uki, UKI_ADDON, &addon) < 0)
                return -ENOMEM;
        if (root_exists(addon) <= 0)
                return 0;
        if (!dry_run) {
                full = root_path(addon);
                if (!full)
                        return -ENOMEM;
                if (unlink(full) < 0)
                        return -errno;
                *strrchr(full, '/') = 0;
                (void) fsync_path(full, O_RDONLY | O_DIRECTORY);
        }
        fprintf(out, "%s: %s\n", addon, dry_run ? "would remove" : "removed");
        return 1;
}

/* No arguments: our addon out of every UKI, and the state. */
static int remove_addons(const Strv *ukis, bool dry_run, FILE *out) {
        int changed = 0, r;

        for (size_t i = 0; i < ukis->n; i++) {
                r = remove_addon(ukis->v[i], dry_run, out);
                if (r < 0)
                        return r;
                changed = changed || r > 0;
        }
        if (dry_run)
                return changed;
        r = bootloader_update_file(UKI_STATE, NULL, false, out);
        if (r >= 0)
                r = remove_pending();
        return r < 0 ? r : changed;
}

/* Each UKI as its use says: the addon built, or ours removed where its own line has them. */
static int put_addons(const KargsRequest *req, const char *cmdline, const Strv *ukis, const UkiUse *use,
                      FILE *out) {
        int r = 0;

        for (size_t i = 0; r >= 0 && i < ukis->n; i++) {
                if (use[i] == UKI_USE_ADDON && req->dry_run)
                        fprintf(out, "%s.extra.d/%s: would build with ukify, --cmdline=%s%s\n", ukis->v[i],
                                UKI_ADDON, cmdline, req->secureboot_private_key ? ", signed" : "");
                else if (use[i] == UKI_USE_ADDON)
                        r = build_addon(req, cmdline, ukis->v[i], out);
                else if (use[i] == UKI_USE_EMBEDDED)
                        r = remove_addon(ukis->v[i], req->dry_run, out);
        }
        return r;
}

static int stale_error(int stale) {
        return log_error_errno(EEXIST, "%i UKI%s carr%s other words of dpdk-boot's families in %s own command "
                               "line (above): the kernel booted from %s does not get what the configuration "
                               "asks for.", stale, stale == 1 ? "" : "s", stale == 1 ? "ies" : "y",
                               stale == 1 ? "its" : "their", stale == 1 ? "it" : "them");
}

static int build_addons(const KargsRequest *req, const Strv *ukis, FILE *out) {
        _cleanup_free_ char *cmdline = kargs_join(&req->args), *state = NULL;
        _cleanup_free_ UkiUse *use = NULL;
        int pending, stale, r;

        if (!cmdline)
                return -ENOMEM;
        stale = uki_uses(req, ukis, cmdline, &use);
        if (stale < 0)
                return stale;
        if (uki_state(req, cmdline, ukis, use, &state) < 0)
                return -ENOMEM;
        pending = root_exists(KARGS_PENDING_FILE);
        r = pending > 0 ? 0 : addons_current(ukis, use, state);
        if (pending < 0 || r < 0)
                return pending < 0 ? pending : r;
        if (r > 0) {
                fprintf(out, "%s: unchanged in %zu UKI%s\n", UKI_ADDON, ukis->n, ukis->n == 1 ? "" : "s");
                return stale > 0 ? stale_error(stale) : 0;
        }
        if (req->dry_run) {
                r = put_addons(req, cmdline, ukis, use, out);
                return r < 0 ? r : stale > 0 ? stale_error(stale) : 1;
        }
        /* Recorded as not done before the first addon changes, done once the last is in place. */
        r = pending > 0 ? 0 : kargs_state_write(KARGS_PENDING_FILE, "ukify\n");
        if (r >= 0)
                r = put_addons(req, cmdline, ukis, use, out);
        if (r >= 0)
                r = kargs_state_write(UKI_STATE, state);
        if (r >= 0)
                r = remove_pending();
        return r < 0 ? r : stale > 0 ? stale_error(stale) : 1;
}

int bootloader_apply_uki(const KargsRequest *req, FILE *out) {
        _cleanup_free_ char *token = NULL;
        _cleanup_(strv_free) Strv ukis = {};
        int changed = 0, r;

        if (bootloader_entry_token(&token) < 0 || isempty(token))
                return log_error_errno(ENOENT, "No %s/etc/kernel/entry-token or %s/etc/machine-id: cannot tell "
                                       "which UKIs kernel-install made for this installation.", root_get(), root_get());
        r = find_ours(uki_dirs, ELEMENTSOF(uki_dirs), token, ".efi", &ukis);
        if (r < 0)
                return log_error_errno(r, "Failed to list the UKIs in %s/{efi,boot,boot/efi}/EFI/Linux: %m", root_get());
        if (root_exists("/etc/kernel/cmdline") > 0) {
                changed = bootloader_kernel_cmdline(token, req, out);
                if (changed < 0)
                        return changed;
        }
        if (ukis.n == 0) {
                fprintf(out, "No UKI %s-*.efi in /efi, /boot or /boot/efi EFI/Linux: no addon to build.\n", token);
                return changed;
        }
        r = req->args.n == 0 ? remove_addons(&ukis, req->dry_run, out) : build_addons(req, &ukis, out);
        if (r >= 0 && req->args.n == 0) {
                /* no addon left, but a UKI built from our /etc/kernel/cmdline still says them */
                _cleanup_free_ UkiUse *use = NULL;
                int stale = uki_uses(req, &ukis, "", &use);

                if (stale != 0)
                        return stale < 0 ? stale : stale_error(stale);
        }
        return r < 0 ? r : changed + r;
}
