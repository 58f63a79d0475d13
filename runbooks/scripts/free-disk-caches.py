#!/usr/bin/env python3
"""free-disk-caches: sync, then drop the page cache (level 1 by default, 3 only when asked).

Reports memory before and after. Level 1 frees the page cache; 3 also frees dentries and inodes,
which the file system must then read back, so it is only used when the runbook asks for it.
"""
import os

import runbook_common as common


def free_caches(arguments):
    target = os.path.join(arguments.proc, "sys", "vm", "drop_caches")
    before = common.memory_summary(arguments.proc)
    value = "%d\n" % arguments.level
    if arguments.dry_run:
        return "unchanged", {"memoryBefore": before, "wouldWrite": {"path": target, "value": value}}
    os.sync()  # dirty pages are not dropped: write them out first
    with open(target, "w") as control:
        control.write(value)
    after = common.memory_summary(arguments.proc)
    return "changed", {
        "memoryBefore": before,
        "memoryAfter": after,
        "wrote": {"path": target, "value": value},
        "freedKiB": after["availableKiB"] - before["availableKiB"],
    }


def main():
    parser = common.parser(__doc__.splitlines()[0])
    parser.add_argument("--level", type=int, choices=(1, 3), default=1,
                        help="1: page cache (default); 3: page cache, dentries and inodes")
    common.run("free-disk-caches", parser.parse_args(), free_caches)


if __name__ == "__main__":
    main()
