#!/usr/bin/env python3
"""planboek's build-time benchmarks beside Hugo (and mdBook), printed as one table.

    bench/perf.py --corpus /tmp/corpus1000 --work /var/tmp/pb-bench [-n 5]
                  [--planboek target/release/planboek] [--small /tmp/corpus100]

--corpus is a folder of ../shared/bench/gen_corpus.py (--format all): its planboek/ and
hugo/ folders are copied into --work, which must be on the disk to be measured (not a
tmpfs), since the scenarios edit a section. Every scenario runs planboek and Hugo in turn
(A B A B ...), after one warm-up each, and reports medians: wall seconds, CPU seconds (user +
system), peak memory (the largest resident set of the process tree's waited-for processes,
from wait4), and the medians of the pairwise wall and CPU ratios planboek/Hugo. On a shared
machine the CPU ratio is the steadier of the two.

Scenarios, all for the `vertrouwelijk` audience, so that every page is written:
  full      a build into an empty folder (the folder is removed before each run, untimed);
  unchanged a build into the previous build's folder with nothing changed (planboek keeps
            the folder: its record of the inputs matches);
  rebuilt   the same with planboek's record of the inputs removed before each run (untimed),
            so that it makes every page and links the unchanged files;
  section   a build after one section changed (a line appended before each run, untimed).
--only full,unchanged,... runs only those.
With --small (a 100-plan corpus with an mdbook/ folder and mdbook on PATH), mdBook's full
build of that corpus beside planboek's. Python 3 standard library only.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

SECTION = "03-doelstellingen.md"


def run(cmd, cwd=None):
    """Runs CMD once; returns (wall s, cpu s, peak MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def paired(n, a, b, before=lambda: None):
    """A and B (each a (cmd, cwd) pair) in turn, N counted runs after one warm-up each."""
    runs = {"a": [], "b": []}
    for i in range(n + 1):
        for key, (cmd, cwd) in (("a", a), ("b", b)):
            before()
            result = run(cmd, cwd)
            if i > 0:
                runs[key].append(result)
    return runs


def med(values):
    return statistics.median(values)


def row(name, runs):
    a, b = runs["a"], runs["b"]
    ratio = med([x[0] / y[0] for x, y in zip(a, b)])
    cpu_ratio = med([x[1] / y[1] for x, y in zip(a, b)])
    cells = [
        name,
        f"{med([r[0] for r in a]):.2f} s ({min(r[0] for r in a):.2f}–{max(r[0] for r in a):.2f})",
        f"{med([r[1] for r in a]):.2f} s",
        f"{max(r[2] for r in a):.0f} MiB",
        f"{med([r[0] for r in b]):.2f} s ({min(r[0] for r in b):.2f}–{max(r[0] for r in b):.2f})",
        f"{med([r[1] for r in b]):.2f} s",
        f"{max(r[2] for r in b):.0f} MiB",
        f"{ratio:.3f}",
        f"{cpu_ratio:.3f}",
    ]
    print("| " + " | ".join(cells) + " |", flush=True)


def appender(*files):
    """Appends a new line to each of FILES: one section changed, for each tool."""
    count = [0]

    def append():
        count[0] += 1
        for f in files:
            with open(f, "a", encoding="utf-8") as out:
                out.write(f"\nWijziging {count[0]} voor de meting.\n")

    return append


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--planboek", default="target/release/planboek")
    p.add_argument("--hugo", default="hugo")
    p.add_argument("--small", help="a 100-plan corpus with mdbook/ and planboek/, for mdBook")
    p.add_argument("-n", type=int, default=5)
    p.add_argument("--only", default="full,unchanged,rebuilt,section", help="scenarios, comma-separated")
    args = p.parse_args()
    planboek = os.path.abspath(args.planboek)
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    src = {}
    for tool in ("planboek", "hugo"):
        src[tool] = os.path.join(work, tool)
        if not os.path.isdir(src[tool]):
            shutil.copytree(os.path.join(args.corpus, tool), src[tool], symlinks=True)
    out, hout = os.path.join(work, "out"), os.path.join(work, "hugo-out")
    pb = ([planboek, "build", src["planboek"], "-o", out, "--audience", "vertrouwelijk"], None)
    hugo = ([args.hugo, "--quiet", "--source", src["hugo"], "-d", hout], None)
    plan = sorted(e for e in os.listdir(os.path.join(src["planboek"], "content")) if not e.startswith("_"))[0]
    section = [os.path.join(src[t], "content", plan, SECTION) for t in ("planboek", "hugo")]

    print(f"{args.n} runs each, medians; planboek and Hugo in turn, on {work}\n")
    print("| scenario | planboek wall | planboek cpu | planboek peak | Hugo wall | Hugo cpu | Hugo peak | wall ratio | cpu ratio |")
    print("|---|---|---|---|---|---|---|---|---|")

    def empty():
        for d in (out, hout):
            shutil.rmtree(d, ignore_errors=True)

    def forget():
        try:
            os.remove(os.path.join(out, ".planboek-inputs"))
        except FileNotFoundError:
            pass

    scenarios = {
        "full": ("full build, empty folder", empty),
        "unchanged": ("unchanged rebuild (output kept)", lambda: None),
        "rebuilt": ("unchanged rebuild, made anew", forget),
        "section": ("one section changed", appender(*section)),
    }
    for key in args.only.split(","):
        name, before = scenarios[key]
        row(name, paired(args.n, pb, hugo, before))
    if args.small and shutil.which("mdbook"):
        small = os.path.abspath(args.small)
        mout, sout = os.path.join(work, "mdbook-out"), os.path.join(work, "small-out")
        a = ([planboek, "build", os.path.join(small, "planboek"), "-o", sout, "--audience", "vertrouwelijk"], None)
        b = (["mdbook", "build", "-d", mout], os.path.join(small, "mdbook"))
        print("\n| scenario (100 plans) | planboek wall | planboek cpu | planboek peak | mdBook wall | mdBook cpu | mdBook peak | wall ratio | cpu ratio |")
        print("|---|---|---|---|---|---|---|---|---|")
        row("full build, empty folder", paired(args.n, a, b, lambda: [shutil.rmtree(d, True) for d in (mout, sout)]))


if __name__ == "__main__":
    main()
