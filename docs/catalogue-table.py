#!/usr/bin/env python3
"""Print the attribute catalogue (policy/catalogue.ini) as a markdown table:
id, kind, what it means, default action. Used for docs/README-sections.md:
    python3 docs/catalogue-table.py [policy/catalogue.ini]"""
import configparser, os, sys

path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..',
                                                         'policy', 'catalogue.ini')
cat = configparser.ConfigParser(interpolation=None, comment_prefixes=('#',), inline_comment_prefixes=None)
with open(path, encoding='utf-8') as f:
    cat.read_file(f)


def cell(s):
    return ' '.join(s.split()).replace('|', '\\|')


print('| id | kind | what it means | default action |')
print('|---|---|---|---|')
for aid in cat.sections():
    a = cat[aid]
    what = a['description']
    if 'threshold' in a:
        what = what.replace('`threshold`', f"N (default {a['threshold']})")
    action = a['action']
    if a.get('enabled', 'yes') == 'no':
        action = f'off ({action})'
    extra = []
    if 'install_time_action' in a:
        extra.append(f"{a['install_time_action']} at install time")
    if 'high_action' in a:
        extra.append(f"{a['high_action']} when high or critical")
    if extra:
        action += ' (' + ', '.join(extra) + ')'
    print(f'| `{aid}` | {a["kind"]} | {cell(what)} | {action} |')
