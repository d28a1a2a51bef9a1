#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Every configuration example in dpdk-boot.conf(5) (each literal block that starts with a
[Section] line) passes the built `dpdk-boot check FILE`.

Usage: test-examples.py DPDK_BOOT MAN_PAGE_SCD
"""
import re
import subprocess
import sys
import tempfile

helper, page = sys.argv[1], sys.argv[2]
blocks = re.findall(r'^```\n(.*?)^```', open(page).read(), flags=re.M | re.S)
examples = [b for b in blocks if b.startswith('[')]
if len(examples) < 3:
    print(f'FAIL: only {len(examples)} configuration examples found in {page}')
    sys.exit(1)

failures = 0
for i, text in enumerate(examples, 1):
    with tempfile.NamedTemporaryFile('w', suffix='.conf') as f:
        f.write(text)
        f.flush()
        r = subprocess.run([helper, 'check', f.name], capture_output=True, text=True)
    first = text.splitlines()[0]
    if r.returncode != 0:
        print(f'FAIL: example {i} ({first} ...) is rejected:\n{r.stderr}{text}')
        failures += 1
    else:
        print(f'ok: example {i} ({first} ...): {r.stdout.strip()}')
sys.exit(1 if failures else 0)
