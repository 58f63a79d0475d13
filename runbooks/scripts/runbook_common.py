"""Shared by every runbook script: arguments, preconditions, /proc readers, guarded signals, the JSON result.

Python 3.6+ standard library only: it runs on the managed instances as the SSM document ships it
(next to the runbook's script) and on this host for `cutover runbook run <name> --local`.
"""
import argparse
import json
import os
import signal
import sys

EXIT_OK = 0
EXIT_FAILED = 1


class RunbookError(Exception):
    """A failure the result reports (exit 1) rather than a crash."""


def boolean(text):
    if text in ("true", "false"):
        return text == "true"
    raise argparse.ArgumentTypeError("expected true or false, got %r" % text)


def percent(text):
    value = int(text)
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError("expected a percentage from 0 to 100, got %r" % text)
    return value


def filesystem_threshold(text):
    path, _, value = text.rpartition("=")
    if not path.startswith("/"):
        raise argparse.ArgumentTypeError("expected /absolute/path=PERCENT, got %r" % text)
    return path, percent(value)


def parser(description):
    """The arguments every runbook takes: dry run, the /proc to read, and the preconditions."""
    result = argparse.ArgumentParser(description=description)
    result.add_argument("--dry-run", type=boolean, nargs="?", const=True, default=False,
                        help="report what would change, change nothing")
    result.add_argument("--proc", default="/proc", help=argparse.SUPPRESS)
    result.add_argument("--only-if-memory-available-below", type=percent, metavar="PERCENT",
                        help="run only when MemAvailable is under PERCENT of MemTotal")
    result.add_argument("--only-if-zombies-at-least", type=int, metavar="COUNT",
                        help="run only when at least COUNT zombie processes exist")
    result.add_argument("--only-if-filesystem-used-above", type=filesystem_threshold,
                        metavar="PATH=PERCENT", help="run only when PATH's filesystem is fuller than PERCENT")
    return result


def read_meminfo(proc):
    """MemTotal, MemFree, MemAvailable, Cached … in KiB, from <proc>/meminfo."""
    values = {}
    with open(os.path.join(proc, "meminfo")) as source:
        for line in source:
            name, _, rest = line.partition(":")
            fields = rest.split()
            if fields and fields[0].isdigit():
                values[name.strip()] = int(fields[0])
    return values


def memory_summary(proc):
    info = read_meminfo(proc)
    total = info.get("MemTotal", 0)
    available = info.get("MemAvailable", info.get("MemFree", 0))
    return {
        "totalKiB": total,
        "availableKiB": available,
        "freeKiB": info.get("MemFree", 0),
        "cachedKiB": info.get("Cached", 0),
        "availablePercent": round(100.0 * available / total, 1) if total else None,
    }


def read_processes(proc):
    """Every process in <proc>: pid, ppid, state and command (comm), skipping those that vanish meanwhile."""
    processes = {}
    for entry in os.listdir(proc):
        if not entry.isdigit():
            continue
        try:
            with open(os.path.join(proc, entry, "stat")) as source:
                stat = source.read()
        except (IOError, OSError):
            continue
        # "pid (comm) state ppid …": comm may hold spaces and parentheses, so split at the last ")".
        open_at, close_at = stat.find("("), stat.rfind(")")
        fields = stat[close_at + 2:].split()
        if open_at < 0 or close_at < 0 or len(fields) < 2:
            continue
        processes[int(entry)] = {
            "pid": int(entry),
            "command": stat[open_at + 1:close_at],
            "state": fields[0],
            "ppid": int(fields[1]),
        }
    return processes


def zombies(processes):
    return [p for p in processes.values() if p["state"] == "Z"]


def filesystem_used_percent(path):
    stats = os.statvfs(path)
    total = stats.f_blocks * stats.f_frsize
    available = stats.f_bavail * stats.f_frsize
    used = total - stats.f_bfree * stats.f_frsize
    # As df computes Use%: used over what non-root users can have (used + available).
    return round(100.0 * used / (used + available), 1) if used + available else 0.0


def unmet_precondition(arguments):
    """The first precondition that does not hold, as a sentence; None when the runbook may run."""
    below = arguments.only_if_memory_available_below
    if below is not None:
        available = memory_summary(arguments.proc)["availablePercent"]
        if available is not None and available >= below:
            return "available memory is %s %%, not under %d %%" % (available, below)
    at_least = arguments.only_if_zombies_at_least
    if at_least is not None:
        count = len(zombies(read_processes(arguments.proc)))
        if count < at_least:
            return "%d zombie processes, fewer than %d" % (count, at_least)
    threshold = arguments.only_if_filesystem_used_above
    if threshold is not None:
        path, limit = threshold
        used = filesystem_used_percent(path)
        if used <= limit:
            return "%s is %s %% used, not above %d %%" % (path, used, limit)
    return None


def send_signal(pid, signum):
    """os.kill for one real process only: never 0 (own group), -1 (every process) or PID 1."""
    if not isinstance(pid, int) or pid <= 1:
        raise RunbookError("refusing to signal pid %r" % (pid,))
    os.kill(pid, signum)


def finish(runbook, arguments, status, **details):
    """Prints the machine-readable result (one JSON line on stdout) and exits 0, or 1 when it failed."""
    result = {"runbook": runbook, "dryRun": arguments.dry_run, "status": status}
    result.update(details)
    sys.stdout.write(json.dumps(result, sort_keys=True) + "\n")
    sys.stdout.flush()
    sys.exit(EXIT_FAILED if status in ("failed", "escalated") else EXIT_OK)


def run(runbook, arguments, body):
    """Checks the preconditions, then runs body(arguments) → (status, details); reports any failure as JSON."""
    try:
        unmet = unmet_precondition(arguments)
        if unmet:
            finish(runbook, arguments, "skipped", reason="precondition: " + unmet)
        status, details = body(arguments)
    except (RunbookError, OSError, IOError) as error:
        finish(runbook, arguments, "failed", error=str(error))
    finish(runbook, arguments, status, **details)
