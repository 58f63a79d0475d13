"""Test helper: a subreaper that starts one parent per name given; each parent forks children that exit
at once and never waits for them, so they stay zombies. Prints one JSON line per family, then reaps
whatever is handed to it (the parents and their orphans) until it is killed."""
import ctypes
import json
import os
import sys
import time

libc = ctypes.CDLL(None)
libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER: orphans come here, as they would to init

for name in sys.argv[1:]:
    read_end, write_end = os.pipe()
    parent = os.fork()
    if parent == 0:
        libc.prctl(15, name.encode(), 0, 0, 0)  # PR_SET_NAME: the parent's command (comm)
        children = []
        for _ in range(3):
            child = os.fork()
            if child == 0:
                os._exit(0)
            children.append(child)
        for child in children:  # report them once they are zombies
            while open("/proc/%d/stat" % child).read().rsplit(")", 1)[1].split()[0] != "Z":
                time.sleep(0.01)
        os.write(write_end, json.dumps(children).encode())
        os.close(write_end)
        while True:  # never waits: its children stay zombies
            time.sleep(1)
    os.close(write_end)
    zombies = json.loads(os.read(read_end, 4096).decode())
    sys.stdout.write(json.dumps({"name": name, "parent": parent, "zombies": zombies}) + "\n")
    sys.stdout.flush()

sys.stdout.write("ready\n")
sys.stdout.flush()
while True:
    try:
        os.waitpid(-1, 0)
    except ChildProcessError:
        time.sleep(0.05)
