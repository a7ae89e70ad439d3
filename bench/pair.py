#!/usr/bin/env python3
"""Two builds of one corpus side by side: what a stage of the pipeline costs.

    bench/pair.py --corpus /tmp/corpus1000/planboek -n 10 \
        --a target/release/planboek --b /tmp/planboek-without-search [--b-env NO_SEARCH=1]

Runs A and B in turn (A B A B ..., after one warm-up each), each a full build for the
`vertrouwelijk` audience into a fresh, empty folder under --tmp (a tmpfs by default, so the
disk does not blur a CPU cost), removed after each run. Prints the medians of wall and CPU
seconds (user + system) and of peak memory for each, and the medians of the pairwise ratios
A/B with their range. On a shared machine the CPU ratio is the steadier one.
Python 3 standard library only.
"""
import argparse
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from perf import med, paired  # noqa: E402


def build(binary, corpus, tmp, env):
    """The command of one build of CORPUS by BINARY into TMP/out, and that folder."""
    out = os.path.join(tmp, "out")
    cmd = ["env", *env, os.path.abspath(binary), "build", corpus, "-o", out]
    cmd += ["--audience", "vertrouwelijk", "--today", "2026-03-01"]
    return cmd, out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", required=True, help="a planboek repository")
    p.add_argument("--a", required=True, help="the planboek binary measured")
    p.add_argument("--b", required=True, help="the planboek binary it is compared with")
    p.add_argument("--a-env", action="append", default=[], help="NAME=VALUE for A's runs")
    p.add_argument("--b-env", action="append", default=[], help="NAME=VALUE for B's runs")
    p.add_argument("--tmp", default="/dev/shm", help="where the output folders are made")
    p.add_argument("-n", type=int, default=5)
    args = p.parse_args()
    tmp = tempfile.mkdtemp(prefix="pb-pair-", dir=args.tmp)
    a_cmd, a_out = build(args.a, args.corpus, os.path.join(tmp, "a"), args.a_env)
    b_cmd, b_out = build(args.b, args.corpus, os.path.join(tmp, "b"), args.b_env)

    def clear():
        for folder in (a_out, b_out):
            shutil.rmtree(folder, ignore_errors=True)

    try:
        runs = paired(args.n, (a_cmd, None), (b_cmd, None), before=clear)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    a, b = runs["a"], runs["b"]
    print(f"{args.n} pairs, medians")
    for name, rs in (("A", a), ("B", b)):
        wall, cpu, peak = (med([r[i] for r in rs]) for i in range(3))
        print(f"{name}: wall {wall:.2f} s, cpu {cpu:.2f} s, peak {peak:.0f} MiB")
    for i, what in ((1, "cpu"), (0, "wall")):
        ratios = sorted(x[i] / y[i] for x, y in zip(a, b))
        print(f"A/B {what}: x{med(ratios):.2f} (x{ratios[0]:.2f}-x{ratios[-1]:.2f})")


if __name__ == "__main__":
    main()
