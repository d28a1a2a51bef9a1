#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The man pages and the bash completion keep up with the code.

The lists come from the sources, so that a new key, verb, option, switch or environment
variable fails this test until it is documented:
  - every [Section] and Key= the parser's tables accept (src/core/config*.c) is in dpdk-boot.conf(5),
    each key under its section's heading;
  - every verb and long option of bin/dpdk-boot.c is in dpdk-boot(8) and in the completion;
  - every kernel command-line switch (src/core/cmdline.c) is in dpdk-boot-generator(8);
  - every environment variable read with secure_getenv() is in dpdk-boot-generator(8) (core and
    generator) or dpdk-boot(8) (core and helper).

Usage: test-docs.py SOURCE_ROOT
"""
import re
import sys
from pathlib import Path

root = Path(sys.argv[1])
failures = []


def fail(msg):
    failures.append(msg)


def read(rel):
    return (root / rel).read_text()


def config_keys():
    """{section: set(keys)} from the parser's tables of { "Section", "Key", parser, ... } in
    src/core/config*.c (MATCH_ITEM("Key", ...) lines are [Device]'s)."""
    by_section = {None: set()}
    for path in sorted((root / 'src/core').glob('config*.c')):
        text = path.read_text()
        for section, key in re.findall(r'\{\s*"([A-Z][A-Za-z]*)",\s*"([A-Z][A-Za-z0-9]*)",', text):
            by_section.setdefault(section, set()).add(key)
        for key in re.findall(r'^\s*MATCH_ITEM\("([A-Z][A-Za-z0-9]*)"', text, flags=re.M):
            by_section.setdefault('Device', set()).add(key)
    return by_section


def page_sections(text):
    """{heading: text under it up to the next top-level heading}."""
    parts = re.split(r'^# (.+)$', text, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def check_conf_page():
    keys = config_keys()
    page = read('man/dpdk-boot.conf.5.scd')
    chunks = page_sections(page)
    n_keys = sum(len(v) for v in keys.values())
    if len([s for s in keys if s]) < 5 or n_keys < 15:
        fail(f'src/core/config*.c: found only {len(keys) - 1} sections and {n_keys} keys; '
             'has the parser changed shape? update this test')
    for section, names in keys.items():
        if section is None:
            for k in sorted(names):
                if f'*{k}=*' not in page:
                    fail(f'dpdk-boot.conf(5): key {k}= is not documented')
            continue
        chunk = chunks.get(f'[{section}] SECTION')
        if chunk is None:
            fail(f'dpdk-boot.conf(5): no "# [{section}] SECTION" heading')
            continue
        for k in sorted(names):
            if not re.search(r'^\*' + re.escape(k) + r'=\*', chunk, flags=re.M) and \
               f'*{k}=*' not in chunk:
                fail(f'dpdk-boot.conf(5): [{section}] {k}= is not documented under its heading')
    return keys


def verbs_and_options():
    text = read('bin/dpdk-boot.c')
    verbs = re.findall(r'\{\s*"([a-z][a-z0-9-]*)",\s*\d+,\s*\d+,\s*verb_\w+\s*\}', text)
    options = re.findall(r'\{\s*"([a-z][a-z0-9-]*)",\s*(?:no|required|optional)_argument', text)
    if len(verbs) < 7 or len(options) < 5:
        fail(f'bin/dpdk-boot.c: found only verbs {verbs} and options {options}; '
             'has the verb table changed shape? update this test')
    return verbs, options


def check_cli_page(verbs, options):
    page = read('man/dpdk-boot.8.scd')
    commands = page_sections(page).get('COMMANDS', '')
    for v in verbs:
        if not re.search(r'^\*' + re.escape(v) + r'\*', commands, flags=re.M):
            fail(f'dpdk-boot(8): verb {v} has no entry under COMMANDS')
    for o in options:
        if f'*--{o}*' not in page:
            fail(f'dpdk-boot(8): option --{o} is not documented')


def check_completion(verbs, options):
    comp = read('shell-completion/bash/dpdk-boot')
    m = re.search(r"local verbs='([^']*)'", comp)
    listed = set(m.group(1).split()) if m else set()
    if set(verbs) != listed:
        fail(f'bash completion: verbs {sorted(listed)}, the program has {sorted(verbs)}')
    m = re.search(r"local options='([^']*)'", comp)
    listed = set(m.group(1).split()) if m else set()
    for o in options:
        if f'--{o}' not in listed:
            fail(f'bash completion: option --{o} is missing')


def check_generator_page():
    text = read('src/core/cmdline.c')
    switches = re.findall(r'\{\s*"((?:rd\.)?dpdk(?:\.[a-z-]+)?)",\s*offsetof', text)
    if len(switches) < 7:
        fail(f'cmdline.c: found only switches {switches}; update this test')
    page = read('man/dpdk-boot-generator.8.scd')
    for s in switches:
        if f'*{s}=*' not in page:
            fail(f'dpdk-boot-generator(8): switch {s}= is not documented')


def env_vars(dirs, plain_getenv=False):
    pattern = r'\b(?:secure_)?getenv\("([A-Z_]+)"\)' if plain_getenv else r'\bsecure_getenv\("([A-Z_]+)"\)'
    found = set()
    for d in dirs:
        for f in sorted((root / d).glob('*.c')):
            if f.name.startswith(('test-', 'fuzz-')):
                continue
            found |= set(re.findall(pattern, f.read_text()))
    return found


def check_env():
    core = env_vars(['src/core'])
    if 'DPDK_BOOT_ROOT' not in core:
        fail('src/core: DPDK_BOOT_ROOT not found among secure_getenv() calls; update this test')
    gen_page = read('man/dpdk-boot-generator.8.scd')
    for v in sorted(core | env_vars(['generator'])):
        if f'*{v}*' not in gen_page:
            fail(f'dpdk-boot-generator(8): environment variable {v} is not documented')
    cli_page = read('man/dpdk-boot.8.scd')
    # TERM and JOURNAL_STREAM are the environment's own, not settings of ours.
    for v in sorted((core | env_vars(['bin'], plain_getenv=True)) - {'TERM', 'JOURNAL_STREAM', 'SYSTEMD_SCOPE'}):
        if f'*{v}*' not in cli_page:
            fail(f'dpdk-boot(8): environment variable {v} is not documented')


keys = check_conf_page()
verbs, options = verbs_and_options()
check_cli_page(verbs, options)
check_completion(verbs, options)
check_generator_page()
check_env()

for f in failures:
    print('FAIL:', f)
if failures:
    sys.exit(1)
print(f'ok: {sum(len(v) for v in keys.values())} keys in {len(keys) - 1} sections, '
      f'{len(verbs)} verbs, {len(options)} options documented')
