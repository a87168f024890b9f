#!/usr/bin/python3
"""Prints how long template.yaml is and how much of its IAM repeats (stdlib only, read line by line).

An IAM statement is one list item under a `Statement:` key (inline policies, SAM Policies, managed policies, role
policies, bucket policy). Its text is its lines stripped of indentation and comments, so the same grant written at
another depth counts as the same. A statement repeats when its text appears more than once in the template; the
repeated share is the lines of all such statements (every copy, the first included) over all statement lines;
the redundant share counts only the copies after the first (the lines saying a grant again).

    /usr/bin/python3 .ci/template_stats.py [template.yaml]
"""
import collections
import sys


def indent(line):
    return len(line) - len(line.lstrip(' '))


def statements(lines):
    """Each statement as its list of stripped lines (comments and blank lines left out)."""
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() != 'Statement:':
            i += 1
            continue
        base = indent(line)
        i += 1
        item_indent = None
        current = None
        while i < len(lines):
            text = lines[i].split(' #', 1)[0].rstrip() if not lines[i].lstrip().startswith('#') else ''
            if not text.strip():
                i += 1
                continue
            if indent(text) <= base:
                break
            if text.lstrip().startswith('- ') and (item_indent is None or indent(text) == item_indent):
                item_indent = indent(text)
                current = []
                out.append(current)
            if current is not None:
                current.append(text.strip())
            i += 1
    return out


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else 'template.yaml'
    with open(path, encoding='utf-8') as f:
        lines = f.read().splitlines()
    stmts = statements(lines)
    counts = collections.Counter('\n'.join(s) for s in stmts)
    total = sum(len(s) for s in stmts)
    repeated = sum(len(s) for s in stmts if counts['\n'.join(s)] > 1)
    print(f'{path}: {len(lines)} lines')
    print(f'IAM statements: {len(stmts)} ({total} lines), {len(counts)} distinct')
    share = 100.0 * repeated / total if total else 0.0
    redundant = sum((n - 1) * len(text.split('\n')) for text, n in counts.items())
    print(f'statement lines that repeat: {repeated} of {total} ({share:.1f}%)')
    print(f'statement lines that say a grant again (copies after the first): {redundant} of {total} '
          f'({100.0 * redundant / total if total else 0.0:.1f}%)')


if __name__ == '__main__':
    main()
