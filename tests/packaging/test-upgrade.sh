#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# An upgrade of the Debian package never restarts or stops a running datapath. Under a real
# systemd (PID 1 of a systemd-nspawn container booted from the VM suite's Debian guest tree,
# mounted as the lower layer of an overlay, so neither the tree nor this host's systemd is
# changed), the guest:
#   1. installs DEB (dpkg -i), starts dpdk-boot.target and a datapath-like service that is
#      PartOf= it and ordered after it, as the generator writes the datapath's unit;
#   2. upgrades to the same package rebuilt with a higher version (dpkg-deb -R, Version
#      +upgrade1, dpkg-deb -b: the maintainer scripts of the package under test run as an
#      upgrade: old prerm, new preinst, old postrm, new postinst "configure OLD");
#   3. checks the service's main PID and the target's invocation are unchanged;
#   4. as a control that the check can fail, restarts dpdk-boot.target by hand: the service's
#      PID must change (it is really bound to the target);
#   5. purges the package: the removal stops the target and the service with it.
# The results come back in a bind-mounted directory and are checked here.
#
# Needs root, systemd-nspawn (package systemd-container), overlayfs and the guest tree of
# tests/vm/run (built with --base-only when missing; DPDK_BOOT_UPGRADE_BASE names another
# tree with systemd and dpdk-boot's libraries). Without them it says why and exits 77.
#
# Usage: test-upgrade.sh DEB
set -euo pipefail

deb=$(realpath "${1:?usage: test-upgrade.sh DEB}")
src=$(cd "$(dirname "$0")/../.." && pwd)
skip() {
    echo "test-upgrade: not run: $*" >&2
    exit 77
}
[ "$(id -u)" -eq 0 ] || skip "needs root (dpkg and systemd-nspawn)"
command -v systemd-nspawn > /dev/null || skip "systemd-nspawn is missing (Debian: apt install systemd-container)"
grep -qw overlay /proc/filesystems || modprobe overlay 2> /dev/null || skip "no overlayfs"

base=${DPDK_BOOT_UPGRADE_BASE:-}
if [ -z "$base" ]; then
    base=$("$src/tests/vm/run" --base-only | tail -n 1) || skip "tests/vm/run --base-only failed"
fi
if ! [ -x "$base/usr/lib/systemd/systemd" ] || ! [ -x "$base/usr/bin/dpkg" ]; then
    skip "$base is not a tree with systemd and dpkg"
fi

tmp=$(mktemp -d /tmp/dpdk-boot-upgrade.XXXXXX)
root=$tmp/root
cleanup() {
    if mountpoint -q "$root"; then umount "$root"; fi
    rm -rf "$tmp"
}
trap cleanup EXIT

# The upgrade: the same files and maintainer scripts, a higher version.
old_version=$(dpkg-deb -f "$deb" Version)
new_version=$old_version+upgrade1
dpkg-deb -R "$deb" "$tmp/repack"
sed -i "s/^Version: .*/Version: $new_version/" "$tmp/repack/DEBIAN/control"
dpkg-deb --root-owner-group -b "$tmp/repack" "$tmp/new.deb" > /dev/null
rm -rf "$tmp/repack"

mkdir -p "$tmp/upper" "$tmp/work" "$root" "$tmp/out"
mount -t overlay overlay -o "lowerdir=$base,upperdir=$tmp/upper,workdir=$tmp/work" "$root"
mkdir -p "$root/var/tmp/upgrade" "$root/etc/systemd/system/multi-user.target.wants"
cp "$deb" "$root/var/tmp/upgrade/old.deb"
cp "$tmp/new.deb" "$root/var/tmp/upgrade/new.deb"

cat > "$root/var/tmp/upgrade/check.sh" << 'EOF'
#!/bin/sh
# Runs in the container as a service of the boot; writes KEY=VALUE lines to /out/results.
set -u
out=/out/results
say() { echo "$1=$2" >> "$out"; }
prop() { systemctl show -P "$2" "$1"; }
dpkg -i /var/tmp/upgrade/old.deb > /out/install.log 2>&1
say install $?
cat > /run/systemd/system/dpdk-boot-upgrade-probe.service << 'UNIT'
[Unit]
Description=A datapath stand-in, bound to dpdk-boot.target as the generated datapath is
PartOf=dpdk-boot.target
After=dpdk-boot.target

[Service]
ExecStart=/bin/sleep infinity
UNIT
systemctl daemon-reload
systemctl start dpdk-boot.target dpdk-boot-upgrade-probe.service
say probe_before "$(prop dpdk-boot-upgrade-probe.service MainPID)"
say target_before "$(prop dpdk-boot.target InvocationID)"
dpkg -i /var/tmp/upgrade/new.deb > /out/upgrade.log 2>&1
say upgrade $?
say version "$(dpkg-query -W -f '${Version}' dpdk-boot)"
say probe_after "$(prop dpdk-boot-upgrade-probe.service MainPID)"
say probe_state "$(prop dpdk-boot-upgrade-probe.service ActiveState)"
say target_after "$(prop dpdk-boot.target InvocationID)"
systemctl restart dpdk-boot.target
sleep 1
say probe_restarted "$(prop dpdk-boot-upgrade-probe.service MainPID)"
dpkg --purge dpdk-boot > /out/purge.log 2>&1
say purge $?
say probe_after_purge "$(prop dpdk-boot-upgrade-probe.service ActiveState)"
say finished yes
systemctl poweroff
EOF
chmod 0755 "$root/var/tmp/upgrade/check.sh"
cat > "$root/etc/systemd/system/dpdk-boot-upgrade-check.service" << 'EOF'
[Unit]
Description=dpdk-boot package upgrade check
After=multi-user.target

[Service]
Type=oneshot
ExecStart=/var/tmp/upgrade/check.sh
EOF
ln -s ../dpdk-boot-upgrade-check.service "$root/etc/systemd/system/multi-user.target.wants/"

# --register=no --keep-unit: no machined or D-Bus needed on this host.
if ! timeout 300 systemd-nspawn --quiet --register=no --keep-unit --boot --directory="$root" \
    --bind="$tmp/out:/out" --console=pipe > "$tmp/boot.log" 2>&1; then
    tail -n 30 "$tmp/boot.log" >&2
    echo "FAIL: the container did not boot and power off" >&2
    exit 1
fi

fail=0
err() {
    echo "FAIL: $*" >&2
    fail=1
}
get() { sed -n "s/^$1=//p" "$tmp/out/results" 2> /dev/null | tail -n 1; }
[ "$(get finished)" = yes ] || err "the check did not finish: $(cat "$tmp/out/results" 2> /dev/null)"
[ "$(get install)" = 0 ] || { cat "$tmp/out/install.log" >&2; err "dpkg -i $old_version failed"; }
[ "$(get upgrade)" = 0 ] || { cat "$tmp/out/upgrade.log" >&2; err "the upgrade failed"; }
[ "$(get version)" = "$new_version" ] || err "installed version $(get version), expected $new_version"
before=$(get probe_before) after=$(get probe_after)
case $before in '' | 0) err "the datapath stand-in did not run (MainPID '$before')" ;; esac
[ "$before" = "$after" ] || err "the upgrade restarted the datapath: MainPID $before -> $after"
[ "$(get probe_state)" = active ] || err "after the upgrade the datapath is $(get probe_state)"
[ "$(get target_before)" = "$(get target_after)" ] || err "the upgrade restarted dpdk-boot.target"
restarted=$(get probe_restarted)
case $restarted in '' | 0 | "$before") err "control: restarting dpdk-boot.target did not restart the stand-in ($before -> $restarted)" ;; esac
[ "$(get purge)" = 0 ] || { cat "$tmp/out/purge.log" >&2; err "dpkg --purge failed"; }
[ "$(get probe_after_purge)" = inactive ] || err "the removal left the datapath $(get probe_after_purge)"
[ "$fail" -eq 0 ] || exit 1
echo "ok: upgrade $old_version -> $new_version kept the datapath (MainPID $before), a target restart did not ($restarted), the purge stopped it"
