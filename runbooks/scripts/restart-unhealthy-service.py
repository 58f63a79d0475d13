#!/usr/bin/env python3
"""restart-unhealthy-service: when a service's health check fails, restart it, at most N times an hour, then escalate.

The health check is typed (systemd state, an HTTP URL, a TCP port), never a shell command. Restarts
are remembered in a state file per service, so the hourly limit holds across runs; once it is
reached the result is "escalated" (exit 1), which the runbook workflow reports to the operators.
"""
import json
import os
import socket
import subprocess
import time

from urllib.request import urlopen

import runbook_common as common

HOUR = 3600


def healthy(arguments):
    if arguments.health_check == "systemd":
        return subprocess.call([arguments.systemctl, "is-active", "--quiet", arguments.service]) == 0
    if arguments.health_check == "http":
        try:
            return 200 <= urlopen(arguments.health_url, timeout=5).getcode() < 400
        except Exception:  # any error (refused, timeout, 5xx) is unhealthy
            return False
    try:
        socket.create_connection(("127.0.0.1", arguments.health_port), timeout=3).close()
        return True
    except OSError:
        return False


def state_file(arguments):
    return os.path.join(arguments.state_dir, "restarts-%s.json" % arguments.service)


def recent_restarts(arguments, now):
    try:
        with open(state_file(arguments)) as source:
            return [t for t in json.load(source) if now - t < HOUR]
    except (IOError, OSError, ValueError):
        return []


def remember(arguments, restarts):
    os.makedirs(arguments.state_dir, exist_ok=True)
    path = state_file(arguments)
    with open(path + ".tmp", "w") as target:
        json.dump(restarts, target)
    os.replace(path + ".tmp", path)


def restart(arguments):
    if healthy(arguments):
        return "unchanged", {"service": arguments.service, "healthy": True}
    now = time.time()
    restarts = recent_restarts(arguments, now)
    details = {"service": arguments.service, "healthy": False, "restartsLastHour": len(restarts),
               "maxRestartsPerHour": arguments.max_restarts_per_hour}
    if len(restarts) >= arguments.max_restarts_per_hour:
        details["escalate"] = "restarted %d times in the last hour; a human must look" % len(restarts)
        return "escalated", details
    if arguments.dry_run:
        details["wouldRestart"] = True
        return "unchanged", details
    code = subprocess.call([arguments.systemctl, "restart", arguments.service])
    remember(arguments, restarts + [now])
    if code != 0:
        raise common.RunbookError("systemctl restart %s exited %d" % (arguments.service, code))
    time.sleep(arguments.settle_seconds)
    details.update(restarted=True, restartsLastHour=len(restarts) + 1, healthyAfter=healthy(arguments))
    return "changed", details


def main():
    parser = common.parser(__doc__.splitlines()[0])
    parser.add_argument("--service", required=True, help="systemd unit, e.g. nginx.service")
    parser.add_argument("--health-check", choices=("systemd", "http", "tcp"), default="systemd")
    parser.add_argument("--health-url", help="for --health-check http: a URL answering 2xx/3xx when healthy")
    parser.add_argument("--health-port", type=int, help="for --health-check tcp: a port on 127.0.0.1")
    parser.add_argument("--max-restarts-per-hour", type=int, default=3)
    parser.add_argument("--settle-seconds", type=float, default=5.0, help="wait before checking again")
    parser.add_argument("--state-dir", default="/var/lib/cutover-runbooks", help="where restarts are counted")
    parser.add_argument("--systemctl", default="systemctl", help="the systemctl program")
    arguments = parser.parse_args()
    if arguments.health_check == "http" and not arguments.health_url:
        parser.error("--health-check http needs --health-url")
    if arguments.health_check == "tcp" and not arguments.health_port:
        parser.error("--health-check tcp needs --health-port")
    common.run("restart-unhealthy-service", arguments, restart)


if __name__ == "__main__":
    main()
