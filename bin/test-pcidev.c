/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "pcidev.h"
#include "test-util.h"

static void test_driver_is_vfio(void) {
        check(driver_is_vfio("vfio-pci"));
        check(driver_is_vfio("vfio_pci"));
        check(driver_is_vfio("mlx5_vfio_pci"));
        check(driver_is_vfio("hisi-acc-vfio-pci"));
        check(!driver_is_vfio("virtio-pci"));
        check(!driver_is_vfio("uio_pci_generic"));
        check(!driver_is_vfio("_vfio_pci"));
        check(!driver_is_vfio(""));
        check(!driver_is_vfio(NULL));
}

static void test_driver_satisfies(void) {
        check(driver_satisfies("vfio-pci", "vfio-pci"));
        check(driver_satisfies("mlx5_vfio_pci", "vfio-pci"));
        check(!driver_satisfies("virtio-pci", "vfio-pci"));
        check(!driver_satisfies(NULL, "vfio-pci"));
        check(driver_satisfies("igb_uio", "igb_uio"));
        check(!driver_satisfies("vfio-pci", "uio_pci_generic"));
        /* "" is the kernel's own driver: anything but a DPDK one, or none at all. */
        check(driver_satisfies("virtio-pci", ""));
        check(driver_satisfies(NULL, ""));
        check(!driver_satisfies("vfio-pci", ""));
        check(!driver_satisfies("mlx5_vfio_pci", ""));
        check(!driver_satisfies("uio_pci_generic", ""));
}

int main(void) {
        test_driver_is_vfio();
        test_driver_satisfies();
        return 0;
}
