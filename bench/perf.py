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
  rebuilt   the same with planboek's records of the inputs and of the plans removed before
            each run (untimed), so that it makes every page and links the unchanged files;
  section   a build after one section changed (a line appended before each run, untimed):
            planboek takes the other plans from the previous output.
Versions, against planboek's own full build of the corpus into an empty folder (the
repository, a copy of the corpus with ten tags from bench/versions_corpus.sh, is made once
in --work):
  versions-cold  every version built from an empty cache into an empty folder (no warm-up);
  versions-tag   a warm build after one more tag (each run adds one, untimed).
The preview server (planboek only; ../shared/bench/rebuild_latency.py and
bench/serve_new_file.py, medians of their runs):
  serve-save     a saved section until its page is served (10 saves);
  serve-new      a new section file until its page is served (3 files).
--only full,unchanged,... runs only those (default: every build scenario beside Hugo).
With --small (a 100-plan corpus with an mdbook/ folder and mdbook on PATH), mdBook's full
build of that corpus beside planboek's. Python 3 standard library only.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

SECTION = "03-doelstellingen.md"
HERE = os.path.dirname(os.path.abspath(__file__))
LATENCY = os.path.join(HERE, "..", "..", "shared", "bench", "rebuild_latency.py")


def run(cmd, cwd=None):
    """Runs CMD once; returns (wall s, cpu s, peak MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def paired(n, a, b, before=lambda: None, before_b=None, warmup=True):
    """A and B (each a (cmd, cwd) pair) in turn, N counted runs (after one warm-up each);
    BEFORE runs untimed before each run (BEFORE_B before B's, if given)."""
    runs = {"a": [], "b": []}
    for i in range(n + 1 if warmup else n):
        for key, (cmd, cwd) in (("a", a), ("b", b)):
            (before_b if key == "b" and before_b else before)()
            result = run(cmd, cwd)
            if i > 0 or not warmup:
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
        for record in (".planboek-inputs", ".planboek-plans"):
            try:
                os.remove(os.path.join(out, record))
            except FileNotFoundError:
                pass

    scenarios = {
        "full": ("full build, empty folder", empty),
        "unchanged": ("unchanged rebuild (output kept)", lambda: None),
        "rebuilt": ("unchanged rebuild, made anew", forget),
        "section": ("one section changed", appender(*section)),
    }
    for key in (k for k in args.only.split(",") if k in scenarios):
        name, before = scenarios[key]
        row(name, paired(args.n, pb, hugo, before))
    keys = args.only.split(",")
    versions = [k for k in keys if k.startswith("versions-")]
    if versions:
        versions_table(args, planboek, work, empty, versions)
    serve = [k for k in keys if k.startswith("serve-")]
    if serve:
        serve_table(planboek, src["planboek"], plan, serve)
    if args.small and shutil.which("mdbook"):
        small = os.path.abspath(args.small)
        mout, sout = os.path.join(work, "mdbook-out"), os.path.join(work, "small-out")
        a = ([planboek, "build", os.path.join(small, "planboek"), "-o", sout, "--audience", "vertrouwelijk"], None)
        b = (["mdbook", "build", "-d", mout], os.path.join(small, "mdbook"))
        print("\n| scenario (100 plans) | planboek wall | planboek cpu | planboek peak | mdBook wall | mdBook cpu | mdBook peak | wall ratio | cpu ratio |")
        print("|---|---|---|---|---|---|---|---|---|")
        row("full build, empty folder", paired(args.n, a, b, lambda: [shutil.rmtree(d, True) for d in (mout, sout)]))



def versions_table(args, planboek, work, empty, keys):
    """The versioned builds against the full build of one version into an empty folder."""
    repo, out = os.path.join(work, "versions"), os.path.join(work, "versions-out")
    corpus = os.path.join(work, "versions-corpus")
    if not os.path.isdir(repo):
        shutil.copytree(os.path.join(args.corpus, "planboek"), repo, symlinks=True)
        subprocess.run(["bash", os.path.join(HERE, "versions_corpus.sh"), repo], check=True, stdout=subprocess.DEVNULL)
    if not os.path.isdir(corpus):
        shutil.copytree(os.path.join(args.corpus, "planboek"), corpus, symlinks=True)
    one = ([planboek, "build", corpus, "-o", os.path.join(work, "out"), "--audience", "vertrouwelijk"], None)
    versioned = ([planboek, "build", repo, "-o", out, "--audience", "vertrouwelijk"], None)
    tags = subprocess.run(["git", "-C", repo, "tag", "-l", "v*"], capture_output=True, text=True).stdout.split()
    print(f"\n| scenario ({len(tags)} tags at the start) | versioned wall | versioned cpu | versioned peak "
          "| one version wall | one version cpu | one version peak | wall ratio | cpu ratio |")
    print("|---|---|---|---|---|---|---|---|---|")

    def cold():
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(os.path.join(repo, ".planboek-cache"), ignore_errors=True)

    def tag():
        subprocess.run(["bash", os.path.join(HERE, "versions_corpus.sh"), "--add", repo], check=True, stdout=subprocess.DEVNULL)

    if "versions-cold" in keys:
        row("every version, cold", paired(args.n, versioned, one, cold, empty, warmup=False))
    if "versions-tag" in keys:
        row("warm, after a new tag", paired(args.n, versioned, one, tag, empty))


def serve_table(planboek, repo, plan, keys):
    """The preview server's latencies on the corpus copy in --work."""
    print("\n| scenario (planboek serve) | median | range |")
    print("|---|---|---|")
    folder = os.path.join(repo, "content", plan)
    jobs = {
        "serve-save": ("a saved section served", 3993, [sys.executable, LATENCY, "--url", f"http://127.0.0.1:3993/{plan}/01-aanleiding.html",
                       "--file", os.path.join(folder, "01-aanleiding.md"), "-k", "10"]),
        "serve-new": ("a new section served", 3994, [sys.executable, os.path.join(HERE, "serve_new_file.py"), "--plan", folder,
                      "--url", f"http://127.0.0.1:3994/{plan}/", "-k", "3"]),
    }
    for key in keys:
        name, port, cmd = jobs[key]
        serve = f"{planboek} serve {repo} -p {port} --audience vertrouwelijk"
        text = subprocess.run(cmd + ["--serve", serve], capture_output=True, text=True).stdout
        found = re.search(r"median (\d+) ms \(?(?:min )?(\d+)\D+(\d+)", text)
        cells = [f"{found[1]} ms", f"{found[2]}–{found[3]} ms"] if found else ["failed", text.strip()[-80:]]
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)

if __name__ == "__main__":
    main()
