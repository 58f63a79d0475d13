#!/usr/bin/env python3
"""clean-tmp-and-logs: when a filesystem is fuller than a threshold, delete old files under given directories.

Only regular files older than N days (by modification time) are deleted, and only inside the
configured directories: symbolic links are never followed nor deleted, and the walk does not cross
into another filesystem, so nothing outside a directory can be reached through it.
"""
import os
import stat
import time

import runbook_common as common

LISTED = 50  # deleted files named in the result; the rest are counted (SSM keeps 24,000 characters of output)


def old_files(root, cutoff):
    """(path, size) of every regular file under root older than cutoff, on root's filesystem."""
    device = os.lstat(root).st_dev
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISDIR(info.st_mode) and info.st_dev == device:
                stack.append(entry.path)
            elif stat.S_ISREG(info.st_mode) and info.st_mtime < cutoff:
                yield entry.path, info.st_size


def clean(arguments):
    directories = [d for d in arguments.directories.split(":") if d]
    cutoff = time.time() - arguments.older_than_days * 86400
    checked, deleted, freed, failures = [], [], 0, []
    for directory in directories:
        if not os.path.isabs(directory) or os.path.islink(directory) or not os.path.isdir(directory):
            checked.append({"directory": directory, "skipped": "not an existing directory (or a symlink)"})
            continue
        used = common.filesystem_used_percent(directory)
        above = used > arguments.used_above_percent
        checked.append({"directory": directory, "usedPercent": used, "above": above})
        if not above:
            continue
        for path, size in old_files(directory, cutoff):
            if not arguments.dry_run:
                try:
                    os.unlink(path)
                except OSError as error:
                    failures.append({"path": path, "error": error.strerror})
                    continue
            deleted.append(path)
            freed += size
    key = "wouldDelete" if arguments.dry_run else "deleted"
    details = {
        "directories": checked,
        "thresholdPercent": arguments.used_above_percent,
        "olderThanDays": arguments.older_than_days,
        key: deleted[:LISTED],
        key + "Count": len(deleted),
        ("wouldFreeBytes" if arguments.dry_run else "bytesFreed"): freed,
    }
    if failures:
        details["failures"] = failures[:LISTED]
    status = "unchanged" if arguments.dry_run or not deleted else "changed"
    return status, details


def main():
    parser = common.parser(__doc__.splitlines()[0])
    parser.add_argument("--directories", required=True, metavar="DIR[:DIR…]",
                        help="absolute directories to clean, separated by colons")
    parser.add_argument("--older-than-days", type=int, default=7, help="delete files not modified for this long")
    parser.add_argument("--used-above-percent", type=common.percent, default=80,
                        help="clean a directory only when its filesystem is fuller than this")
    common.run("clean-tmp-and-logs", parser.parse_args(), clean)


if __name__ == "__main__":
    main()
