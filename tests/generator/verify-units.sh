#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# systemd-analyze verify on every shipped unit and on every unit the generator writes for the
# golden cases. The shipped units point at the installed helper and the generated datapath at
# dpdk-testpmd, which a build host need not have: verify runs on copies whose ExecStart paths
# are rewritten to /bin/true (verify insists the command exists). Symlinks into the unit dir are
# pointed at those copies, so the .wants/ structure is loaded as systemd would load it.
#
# usage: verify-units.sh GENERATOR UNITDIR SBINDIR TESTPMD STATIC-UNIT...
set -euo pipefail

gen=$1 unitdir=$2 sbindir=$3 testpmd=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/static"
for u in "$@"; do
    sed -e "s|$sbindir/dpdk-boot|/bin/true|" "$u" > "$work/static/$(basename "$u")"
done

# systemd 252's verify cannot load an instance whose name contains ':' by name ("Couldn't
# process aliases"), although systemd runs such instances; the template is checked through a
# colon-free instance.
# The units of other packages the presets order against, as Debian's openvswitch-switch and
# fd.io's vpp packages ship them (ordering and dependencies kept, commands made harmless).
cat > "$work/static/ovsdb-server.service" <<'EOF2'
[Unit]
Description=Open vSwitch Database Unit
After=systemd-journald.socket network-pre.target local-fs.target
Before=network.target networking.service
DefaultDependencies=no
[Service]
Type=oneshot
ExecStart=/bin/true
EOF2
cat > "$work/static/ovs-vswitchd.service" <<'EOF2'
[Unit]
Description=Open vSwitch Forwarding Unit
After=ovsdb-server.service network-pre.target systemd-udev-settle.service
Before=network.target networking.service
Requires=ovsdb-server.service
DefaultDependencies=no
[Service]
Type=oneshot
ExecStart=/bin/true
EOF2
cat > "$work/static/vpp.service" <<'EOF2'
[Unit]
Description=vector packet processing engine
After=network.target
[Service]
Type=simple
ExecStartPre=-/bin/true
ExecStart=/bin/true
EOF2

verify() {
    local path=$1
    shift
    SYSTEMD_UNIT_PATH="$path:$work/static:" systemd-analyze verify --man=no "$@"
}

fail=0
if verify "$work/static" dpdk-boot.target dpdk-boot-hugepages.service dpdk-boot-verify.service \
        dpdk-boot-config.service dpdk-boot-bind.service; then
    echo "PASS static units"
else
    echo "FAIL static units"; fail=1
fi

for case in "$here"/cases/*.case; do
    name=$(basename "$case" .case)
    CONFIG="" CMDLINE="" INITRD=0 DROPINS=""
    # shellcheck source=/dev/null
    . "$case"
    root=$work/$name/root out=$work/$name/out
    mkdir -p "$out"
    cp -a "$here/root" "$root"
    if [ -n "$CONFIG" ]; then
        mkdir -p "$root/etc/dpdk-boot"
        install -m 0644 "$here/confs/$CONFIG" "$root/etc/dpdk-boot/dpdk-boot.conf"
    fi
    for d in $DROPINS; do
        mkdir -p "$(dirname "$root/${d%%=*}")"
        install -m 0644 "$here/confs/${d##*=}" "$root/${d%%=*}"
    done
    DPDK_BOOT_ROOT=$root SYSTEMD_PROC_CMDLINE=$CMDLINE SYSTEMD_IN_INITRD=$INITRD \
        DPDK_BOOT_LOG_LEVEL=err "$gen" "$out" 2>/dev/null || true
    find "$out" -type l | while read -r l; do
        t=$(readlink "$l")
        case $t in "$unitdir"/*) ln -sfn "$work/static/${t##*/}" "$l" ;; esac
    done
    find "$out" -type f -exec sed -i "s|$sbindir/dpdk-boot|/bin/true|; s|^ExecStart=/usr/bin/vpp |ExecStart=/bin/true |" {} +
    [ -f "$out/dpdk-boot-datapath.service" ] &&
        sed -i "s|^ExecStart=$testpmd |ExecStart=/bin/true |; s|^ExecStart=/usr/local/bin/my-dpdk-app |ExecStart=/bin/true |" \
            "$out/dpdk-boot-datapath.service"
    units=()
    while read -r u; do
        case $u in *@0000:*) continue ;; esac   # see above
        units+=("$u")
    done < <(cd "$out" && {
        # what the .wants links and the Wants= of the drop-ins pull in
        find . -mindepth 2 -name '*.*' -not -path './*.d/*' -printf '%f\n'
        find . -path './*.d/*.conf' -exec sed -n 's/^Wants=//p' {} +
    } | sort -u)
    if [ ${#units[@]} -eq 0 ]; then
        echo "PASS $name (no units)"
        continue
    fi
    if verify "$out" "${units[@]}"; then
        echo "PASS $name: ${units[*]}"
    else
        echo "FAIL $name"; fail=1
    fi
done
exit $fail
