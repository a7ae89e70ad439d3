#!/usr/bin/env python3
"""Serve-mode latency of a structural change: a new section file, timed until it is served.

    bench/serve_new_file.py --serve 'planboek serve REPO -p 3999 --audience vertrouwelijk' \
        --plan REPO/content/PLAN --url http://127.0.0.1:3999/PLAN/ [-k 5]

Starts the server (its own process group), waits for its first build, then K times: writes
a new section file `97-bench-N.md` with a unique marker into the plan folder and polls
URL + `97-bench-N.html` every 5 ms until the marker is in the page; the latency runs from the
file's close to that response. After each, it waits for the server's full rebuild to end
(its `rebuilt everything` line), removes the file, and waits for that rebuild too, so that no
measurement waits for another's build. Prints each latency and the median, and how long the
full rebuild took. Loopback URLs only; Python 3 standard library only.
"""
import argparse
import os
import queue
import shlex
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid


def fetch(url):
    """The body of URL when it answers 200, else None."""
    req = urllib.request.Request(url, headers={"Cache-Control": "no-cache"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.read().decode("utf-8", "replace") if r.status == 200 else None
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def lines_of(proc):
    """A queue of the server's output lines, read on a thread."""
    q = queue.Queue()

    def read():
        for line in proc.stdout:
            q.put(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    return q


def wait_line(q, prefix, timeout=600):
    """Waits for a line starting with PREFIX; returns it."""
    deadline = time.monotonic() + timeout
    while True:
        line = q.get(timeout=max(0.0, deadline - time.monotonic()))
        if line.startswith(prefix):
            return line


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--serve", required=True)
    ap.add_argument("--plan", required=True, help="the plan folder to add a section to")
    ap.add_argument("--url", required=True, help="the plan's URL, ending in /")
    ap.add_argument("-k", "--runs", type=int, default=5)
    args = ap.parse_args()
    if urllib.parse.urlsplit(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("only loopback URLs")
    proc = subprocess.Popen(shlex.split(args.serve), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, start_new_session=True)
    q = lines_of(proc)
    latencies, rebuilds = [], []
    try:
        wait_line(q, "rebuilt everything (first build)")
        for n in range(args.runs):
            name = f"97-bench-{n}"
            path = os.path.join(args.plan, name + ".md")
            marker = uuid.uuid4().hex
            with open(path, "w") as f:
                f.write(f'+++\ntitle = "Meting {n}"\n+++\n\nMarkering {marker}.\n')
            written = time.perf_counter()
            while marker not in (fetch(args.url + name + ".html") or ""):
                time.sleep(0.005)
            latencies.append((time.perf_counter() - written) * 1000)
            line = wait_line(q, "rebuilt everything (")
            rebuilds.append(line)
            print(f"new file {n}: served after {latencies[-1]:.0f} ms; {line}", flush=True)
            os.remove(path)
            wait_line(q, "rebuilt everything (")
    finally:
        for n in range(args.runs):
            p = os.path.join(args.plan, f"97-bench-{n}.md")
            if os.path.exists(p):
                os.remove(p)
        # Stopping removes the preview folder's trees, which takes a while on a large handbook.
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(120)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    print(f"median {statistics.median(latencies):.0f} ms ({min(latencies):.0f}-{max(latencies):.0f}), "
          f"{len(latencies)} new files")


if __name__ == "__main__":
    main()
