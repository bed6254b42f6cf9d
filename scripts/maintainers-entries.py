#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the MAINTAINERS entries that differ between two versions of the
file: the entries the series adds or changes, as they stand after it.

    maintainers-entries.py OLD NEW
"""
import sys


def entries(path):
    """Entries keyed by their title line, the text after the file's header."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    blocks = text.split("\n\n")
    return {b.split("\n", 1)[0]: b.strip("\n") for b in blocks if b.strip()}


def main():
    old, new = entries(sys.argv[1]), entries(sys.argv[2])
    changed = [body for title, body in new.items() if old.get(title) != body]
    print("\n\n".join(changed))


if __name__ == "__main__":
    main()
