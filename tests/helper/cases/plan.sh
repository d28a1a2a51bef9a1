# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Cases of tests/helper/test-helper.sh: plan. Sourced; the harness is tests/helper/lib.sh.
# shellcheck disable=SC2154,SC2034 # lib.sh sets root, work, out and err; run() reads cmdline

test_plan_text() {
    fresh
    run plan
    expect_rc 0
    golden plan "$out"
}

test_plan_json() {
    fresh
    run plan --json
    expect_rc 0
    jqe '.state == "active" and .initrd == false and .steps == {"hugepages":true,"bind":true,"datapath":true}'
    jqe '[.hugepages[].size] == ["1G", "2M"] and .hugepages[0].nodes == [{"node":0,"requested":2},{"node":1,"requested":2}]'
    jqe '.devices[0] | {address, present, driver, target} == {"address":"0000:00:04.0","present":true,"driver":"virtio-pci","target":"vfio-pci"}'
    jqe '.devices[0] | .rule == "Address=0000:00:04.0" and .rule_line == 10 and .refused == false'
    jqe '.devices[0].gates | .present == "pass" and .iommu == "pass" and .management == "pass"'
    jqe '.datapath.exec_start | contains("-a 0000:00:04.0 -a 0000:00:05.0")'
    jqe '.datapath.exec_start | contains(" --socket-mem 2048,2048 ")'
    jqe '.datapath | .socket_mem == [2048, 2048] and .socket_mem_source == "derived" and .workers == "2-3"'
    jqe '([.devices[] | .numa_node] == [0, 1]) and (.hugepages[0] | .placement == "kernel" and .placed == false)'
    jqe '.switches | [.[]] | all(. == null)'
    cmdline="quiet dpdk.bind=0 rd.dpdk=1"
    run plan --json
    expect_rc 0
    jqe '.switches == {"dpdk":null,"rd.dpdk":true,"dpdk.hugepages":null,"dpdk.bind":false,"dpdk.datapath":null,"rd.dpdk.hugepages":null,"rd.dpdk.bind":null}'
    jqe '.steps == {"hugepages":true,"bind":false,"datapath":true}'
    run plan
    expect_out "Switches: rd.dpdk=yes dpdk.bind=no"
}

test_plan_json_socket_memory() {
    fresh
    # SocketMemory= wins over the derived value; a port on node 1 only with Placement=devices
    # puts all the pages there; the lcores all on node 1 (2-3, isolated on this host), where
    # the socket memory is
    set_config <<'CONF'
[Hugepages]
Size=1G
Count=3
Placement=devices

[Device]
Address=0000:00:05.0

[Datapath]
Preset=testpmd
Cores=2
MainCore=3
SocketMemory=0,1024
CONF
    run plan --json
    expect_rc 0
    jqe '.hugepages[0] | .placement == "devices" and .placed and .nodes == [{"node":1,"requested":3}]'
    jqe '.datapath | .socket_mem == [0, 1024] and .socket_mem_source == "config"'
    jqe '.datapath.exec_start | contains(" --socket-mem 0,1024 -a 0000:00:05.0 ")'
    jqe '.warnings == []'
}

test_plan_json_invalid_utf8() {
    fresh
    # A byte that is no UTF-8 comes out as \ufffd; the document stays valid UTF-8.
    printf '[Hugepages]\nSize=2M\nCount=64\n\n[Device]\nAddress=0000:00:04.0\n\n[Datapath]\nPreset=testpmd\nCores=2\nExtraArgs=--vdev net_\377x -n \303\251\n' \
        >"$root/etc/dpdk-boot/dpdk-boot.conf"
    run plan --json
    expect_rc 0
    python3 -c 'import json, sys; json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))' "$out" ||
        fail "plan --json is not valid UTF-8 JSON"
    jqe '.datapath.exec_start | contains("--vdev net_\ufffdx -n \u00e9")'
    run status --json
    python3 -c 'import json, sys; json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))' "$out" ||
        fail "status --json is not valid UTF-8 JSON"
}

test_plan_json_long_cpu_list() {
    fresh
    # Every other CPU of 0-4095: a list of about 10 kB, on continuation lines of 30 CPUs, in full
    # in the plan and the kargs.
    local list
    list=$(seq -s, 0 2 4094)
    {
        printf '[CPU]\nIsolate='
        seq 0 2 4094 | xargs -n 30 | sed 's/ /,/g; $!s/$/,/; 2,$s/^/  /'
    } >"$root/etc/dpdk-boot/dpdk-boot.conf"
    run plan --json
    expect_rc 0
    jqe ".cpu.isolated == \"$list\""
    jqe ".kernel.args | index(\"nohz_full=$list\") != null"
    run plan
    expect_rc 0
    expect_out "CPUs: isolated $list; housekeeping"
}

test_plan_units() {
    fresh
    run plan --units
    expect_rc 0
    expect_out "==> dpdk-boot.target.d/50-dpdk-boot.conf <=="
    expect_out "Wants=dpdk-boot-bind.service"
    grep -E '^==> .* <==$| -> |^Wants=' "$out" >"$work/units" || fail "no units listed"
    golden plan-units "$work/units"
    # The temporary directory is gone.
    [[ -z $(ls -A "$work/tmp") ]] || fail "plan --units left $(ls "$work/tmp") behind"
}

test_plan_units_invalid() {
    fresh
    bad_config
    run plan --units
    expect_rc 0
    expect_out "dpdk-boot-config.service"
    ! grep -q 'dpdk-boot-bind' "$out" || fail "an invalid config must not bind"
}
