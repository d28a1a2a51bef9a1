#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The dpdk_boot role's template, rendered with Jinja2 from each vars fixture over the role's
defaults (as Ansible merges them), equals the fixture's .conf golden, and the built
`dpdk-boot check FILE` accepts it.

Usage: test-render.py DPDK_BOOT ROLE_DIR FIXTURES_DIR
"""
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    import jinja2
    import yaml
except ImportError as e:
    print(f'skipped: {e} (Debian: python3-jinja2, python3-yaml)')
    sys.exit(77)

helper, role, fixtures = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])


def ansible_bool(v):
    """Ansible's | bool."""
    if isinstance(v, bool):
        return v
    return str(v).strip().lower() in ('yes', 'on', '1', 'true', 'y', 't')


env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(role / 'templates')),
                         undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                         trim_blocks=True)  # Ansible's template module default
env.filters['bool'] = ansible_bool
template = env.get_template('dpdk-boot.conf.j2')
defaults = yaml.safe_load((role / 'defaults' / 'main.yml').read_text())


def resolve(variables):
    """Ansible's lazy templating of variables that are templates themselves, such as
    set_ovs_dpdk: "{{ set_ovs }}" (a single expression keeps its type, as in Ansible)."""
    for _ in range(len(variables)):
        pending = {k: v for k, v in variables.items() if isinstance(v, str) and '{{' in v}
        if not pending:
            return variables
        for k, v in pending.items():
            single = v.strip().startswith('{{') and v.strip().endswith('}}') and v.count('{{') == 1
            if single:
                variables[k] = env.compile_expression(v.strip()[2:-2].strip())(**variables)
            else:
                variables[k] = env.from_string(v).render(**variables)
    raise ValueError(f'variables refer to each other: {sorted(pending)}')

failures = 0
cases = sorted(fixtures.glob('*.yml'))
if not cases:
    print(f'no fixtures in {fixtures}')
    sys.exit(1)
for case in cases:
    variables = dict(defaults)
    variables.update(yaml.safe_load(case.read_text()))
    out = template.render(**resolve(variables))
    golden = case.with_suffix('.conf')
    if out != golden.read_text():
        print(f'FAIL: {case.name}: rendered text differs from {golden.name}:\n{out}')
        failures += 1
        continue
    with tempfile.NamedTemporaryFile('w', suffix='.conf') as f:
        f.write(out)
        f.flush()
        r = subprocess.run([helper, 'check', f.name], capture_output=True, text=True,
                           env={'PATH': '/usr/bin:/bin', 'DPDK_BOOT_LOG_LEVEL': 'info'})
    if r.returncode != 0:
        print(f'FAIL: {case.name}: dpdk-boot check rejects it:\n{r.stdout}{r.stderr}')
        failures += 1
        continue
    print(f'ok: {case.name}: {r.stdout.strip()}')
sys.exit(1 if failures else 0)
