#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The bash completion of dpdk-boot in a real interactive bash on a pseudo-terminal.

bash -i loads bash-completion and the completion file, dpdk-boot is a shell function that prints
its arguments, and each case types a line, a TAB and Enter: the arguments printed are the line
as readline completed it, with COMP_WORDBREAKS as bash sets it (':' and '=' split words).
Usage: test-completion-pty.py COMPLETION_FILE [BASH_COMPLETION]
"""
import os
import pty
import select
import sys
import tempfile
import time

completion = os.path.abspath(sys.argv[1])
bash_completion = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/bash-completion/bash_completion"


def read_until(fd, marker, timeout=20.0):
    buf = b""
    end = time.monotonic() + timeout
    while marker not in buf:
        left = end - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no {marker!r} in: {buf.decode(errors='replace')[-400:]}")
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                chunk = b""
            if not chunk:
                raise EOFError(f"bash exited; output: {buf.decode(errors='replace')[-400:]}")
            buf += chunk
    return buf


def main():
    tmp = tempfile.mkdtemp()
    root = os.path.join(tmp, "root")
    for bdf in ("0000:00:04.0", "0000:3b:00.1"):
        os.makedirs(os.path.join(root, "sys/bus/pci/devices", bdf))
    os.makedirs(os.path.join(root, "usr/lib/modules/6.1.0-18-amd64"))
    os.makedirs(os.path.join(root, "etc/dpdk-boot/conf.d"))
    open(os.path.join(root, "etc/dpdk-boot/conf.d/90-override-0000:3b:00.1.conf"), "w").close()

    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": tmp, "TERM": "dumb",
           "INPUTRC": "/dev/null", "PS1": "$ ", "LC_ALL": "C.UTF-8"}
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(tmp)
        os.execvpe("bash", ["bash", "--norc", "--noprofile", "-i"], env)

    setup = (f". {bash_completion}; . {completion}; bind 'set bell-style none'; "
             "dpdk-boot() { printf 'ARGS<%s>\\n' \"$*\"; }; echo READY''\n")
    os.write(fd, setup.encode())
    read_until(fd, b"READY\r\n")

    cases = [
        (f"dpdk-boot --root {root} bind 0000:3", f"--root {root} bind 0000:3b:00.1"),
        (f"dpdk-boot --root={root} set-override 0000:00:0", f"--root={root} set-override 0000:00:04.0"),
        (f"dpdk-boot --root={root} set-override 0000:00:04.0 vf", f"--root={root} set-override 0000:00:04.0 vfio-pci"),
        (f"dpdk-boot --root={root} kargs --kernel=6", f"--root={root} kargs --kernel=6.1.0-18-amd64"),
        ("dpdk-boot kargs --bootloader=grubb", "kargs --bootloader=grubby"),
        ("dpdk-boot set-ov", "set-override"),
        (f"dpdk-boot --root {root} unset-override 0", f"--root {root} unset-override 0000:3b:00.1"),
    ]
    failed = 0
    for typed, want in cases:
        os.write(fd, typed.encode() + b"\t")
        time.sleep(0.2)  # the TAB completes before Enter runs the line
        os.write(fd, b"\n")
        out = read_until(fd, b">\r\n").decode(errors="replace")
        got = out[out.rfind("ARGS<") + 5:out.rfind(">\r\n")] if "ARGS<" in out else None
        if got != want:
            print(f"FAIL: typed '{typed}' + TAB: got '{got}', expected '{want}'", file=sys.stderr)
            failed = 1
    os.write(fd, b"exit\n")
    os.waitpid(pid, 0)
    if failed:
        sys.exit(1)
    print("ok: completion in an interactive bash")


main()
