#!/usr/bin/env python3
"""reap-zombies: send SIGCHLD to the parents of zombie processes; terminate a parent only when allowed.

A zombie is gone once its parent waits for it. SIGCHLD reminds the parent; a parent whose command is
on the allow-list and still holds zombies after the grace period is terminated (SIGTERM), so its
zombies pass to init, which reaps them. PID 1 and parents whose own parent is PID 1 or 0 (daemons,
a container's init) are never signalled, and no signal ever goes to pid 0 or -1.
"""
import signal
import time

import runbook_common as common


def zombie_parents(processes):
    """{parent pid: [zombie pids]} for the zombies of this moment."""
    parents = {}
    for zombie in common.zombies(processes):
        parents.setdefault(zombie["ppid"], []).append(zombie["pid"])
    return parents


def protected(pid, processes):
    parent = processes.get(pid)
    return pid <= 1 or parent is None or parent["ppid"] <= 1


def signal_parents(parents, processes, signum, dry_run):
    sent = []
    for pid in sorted(parents):
        entry = {"pid": pid, "command": processes[pid]["command"], "zombies": sorted(parents[pid])}
        if not dry_run:
            try:
                common.send_signal(pid, signum)
            except ProcessLookupError:
                continue
        sent.append(entry)
    return sent


def reap(arguments):
    allowed = set(name for name in arguments.terminate_parent.split(",") if name)
    processes = common.read_processes(arguments.proc)
    parents = zombie_parents(processes)
    before = sorted(pid for pids in parents.values() for pid in pids)
    untouchable = dict((pid, zs) for pid, zs in parents.items() if protected(pid, processes))
    eligible = dict((pid, zs) for pid, zs in parents.items() if pid not in untouchable)
    details = {
        "zombiesBefore": before,
        "protectedParents": [
            {"pid": pid, "command": processes.get(pid, {}).get("command"), "zombies": sorted(zs)}
            for pid, zs in sorted(untouchable.items())
        ],
    }
    signalled = signal_parents(eligible, processes, signal.SIGCHLD, arguments.dry_run)
    details["signalled"] = signalled
    if arguments.dry_run:
        details["wouldTerminate"] = [e for e in signalled if e["command"] in allowed]
        return "unchanged", details

    if eligible:
        time.sleep(arguments.grace_seconds)
    processes = common.read_processes(arguments.proc)
    still = dict((pid, zs) for pid, zs in zombie_parents(processes).items()
                 if pid in eligible and processes[pid]["command"] in allowed and not protected(pid, processes))
    details["terminated"] = signal_parents(still, processes, signal.SIGTERM, False)
    if still:
        time.sleep(arguments.grace_seconds)
    remaining = set(z["pid"] for z in common.zombies(common.read_processes(arguments.proc)))
    details["reaped"] = [pid for pid in before if pid not in remaining]
    details["zombiesAfter"] = sorted(remaining)
    return ("changed" if details["reaped"] else "unchanged"), details


def main():
    parser = common.parser(__doc__.splitlines()[0])
    parser.add_argument("--terminate-parent", default="", metavar="COMMAND[,COMMAND…]",
                        help="allow-list: parents with these commands (comm) may be terminated")
    parser.add_argument("--grace-seconds", type=float, default=2.0,
                        help="how long parents get to reap after SIGCHLD, and to exit after SIGTERM")
    common.run("reap-zombies", parser.parse_args(), reap)


if __name__ == "__main__":
    main()
