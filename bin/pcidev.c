/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "config.h"
#include "log.h"
#include "pcidev.h"
#include "rootdir.h"

char *pcidev_path(const char *bdf, const char *attr) {
        char *p = NULL;

        assert(bdf);

        if (asprintf(&p, "/sys/bus/pci/devices/%s%s%s", bdf, attr ? "/" : "", attr ?: "") < 0)
                return NULL;
        return p;
}

int pcidev_exists(const char *bdf) {
        _cleanup_free_ char *p = pcidev_path(bdf, NULL);

        return p ? root_exists(p) : -ENOMEM;
}

int pcidev_driver(const char *bdf, char **ret) {
        _cleanup_free_ char *p = pcidev_path(bdf, "driver");
        int r;

        assert(ret);

        if (!p)
                return -ENOMEM;
        r = root_readlink_basename(p, ret);
        if (r == -ENOENT) {
                *ret = NULL;
                return 0;
        }
        return r;
}

int pcidev_modalias(const char *bdf, char **ret) {
        _cleanup_free_ char *p = pcidev_path(bdf, "modalias");

        return p ? root_read_line(p, ret) : -ENOMEM;
}

int pcidev_iommu_group(const char *bdf, int *ret) {
        _cleanup_free_ char *p = pcidev_path(bdf, "iommu_group"), *name = NULL;
        int r;

        assert(ret);

        if (!p)
                return -ENOMEM;
        r = root_readlink_basename(p, &name);
        if (r == -ENOENT) {
                *ret = -1;
                return 0;
        }
        if (r < 0)
                return r;
        return safe_atoi(name, ret);
}

int pcidev_set_override(const char *bdf, const char *driver) {
        _cleanup_free_ char *p = pcidev_path(bdf, "driver_override");

        assert(driver);

        if (!p)
                return -ENOMEM;
        /* The kernel clears the override on an empty write; "\n" is what driverctl writes. */
        return root_write_string(p, isempty(driver) ? "\n" : driver);
}

int pcidev_unbind(const char *bdf) {
        _cleanup_free_ char *p = pcidev_path(bdf, "driver/unbind");

        return p ? root_write_string(p, bdf) : -ENOMEM;
}

int pcidev_probe(const char *bdf) {
        assert(bdf);

        return root_write_string("/sys/bus/pci/drivers_probe", bdf);
}

int pcidev_probe_driver(const char *bdf, int *ret_probe, char **ret) {
        assert(ret_probe);
        assert(ret);

        *ret_probe = pcidev_probe(bdf);
        return pcidev_driver(bdf, ret);
}

static int add_net_dir(const char *dir, Strv *ret) {
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;

        d = root_opendir(dir);
        if (!d)
                return errno == ENOENT ? 0 : -errno;
        while ((de = readdir(d)))
                if (de->d_name[0] != '.' && strv_pushf(ret, "%s", de->d_name) < 0)
                        return -ENOMEM;
        return 0;
}

int pcidev_net_interfaces(const char *bdf, Strv *ret) {
        _cleanup_free_ char *dev = pcidev_path(bdf, NULL), *net = NULL, *driver = NULL;
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        int r;

        assert(ret);

        if (!dev || asprintf(&net, "%s/net", dev) < 0)
                return -ENOMEM;
        r = add_net_dir(net, ret);
        if (r < 0)
                return r;

        /* virtio-net hangs its interface off the virtio bus device below the PCI function:
         * looked for only on virtio-pci, the one driver that makes such a child. */
        if (ret->n > 0 || pcidev_driver(bdf, &driver) < 0 || !driver || !streq(driver, "virtio-pci"))
                return 0;
        d = root_opendir(dev);
        if (!d)
                return -errno;
        while ((de = readdir(d))) {
                _cleanup_free_ char *sub = NULL;

                if (strncmp(de->d_name, "virtio", 6) != 0)
                        continue;
                if (asprintf(&sub, "%s/%s/net", dev, de->d_name) < 0)
                        return -ENOMEM;
                r = add_net_dir(sub, ret);
                if (r < 0)
                        return r;
        }
        return 0;
}

int pci_driver_registered(const char *driver) {
        _cleanup_free_ char *p = NULL;

        assert(driver);

        if (isempty(driver) || strchr(driver, '/'))
                return 0;
        if (asprintf(&p, "/sys/bus/pci/drivers/%s", driver) < 0)
                return -ENOMEM;
        return root_exists(p);
}

int vfio_group_exists(int group) {
        _cleanup_free_ char *p = NULL;

        if (asprintf(&p, "/dev/vfio/%i", group) < 0)
                return -ENOMEM;
        return root_exists(p);
}

bool driver_is_vfio(const char *driver) {
        size_t n;

        if (isempty(driver))
                return false;
        if (streq(driver, "vfio-pci") || streq(driver, "vfio_pci"))
                return true;
        /* Variant drivers: mlx5_vfio_pci, hisi-acc-vfio-pci, ... */
        n = strlen(driver);
        return n > 9 && (streq(driver + n - 9, "_vfio_pci") || streq(driver + n - 9, "-vfio-pci"));
}

bool driver_satisfies(const char *current, const char *target) {
        assert(target);

        if (isempty(target))
                return !current || !(driver_is_dpdk(current) || driver_is_vfio(current));
        if (!current)
                return false;
        if (streq(current, target))
                return true;
        return driver_is_vfio(target) && driver_is_vfio(current);
}

int pcidev_parse_address(const char *arg, bool must_exist, char bdf[static 13]) {
        int r;

        if (!pci_address_normalize(arg, bdf))
                return log_error_errno(EINVAL, "'%s' is not a PCI address (expected DDDD:BB:DD.F).", arg);
        if (!must_exist)
                return 0;
        r = pcidev_exists(bdf);
        if (r < 0)
                return log_error_errno(r, "%s: cannot look for the device: %m", bdf);
        if (r == 0)
                return log_error_errno(ENODEV, "%s: no such PCI device.", bdf);
        return 0;
}
