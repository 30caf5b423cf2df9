"""Throughput of lecture.numerics against scipy.special, measured in the same run.

    python bench/bench_numerics.py [--repeats N] [--sizes 1e3,1e4,...]

Prints a table of elements per second (median of N runs) for our sigmoid,
logit, log_sigmoid and softmax beside scipy.special's expit, logit, log_expit
and softmax, on float64 input, with the ratio ours / scipy. A benchmark, not a
test: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable

import numpy as np
import scipy
import scipy.special as sp

from lecture import numerics as nx

PAIRS: list[tuple[str, Callable[[np.ndarray], object], str, Callable[[np.ndarray], object], str]] = [
    ("sigmoid", nx.sigmoid, "expit", sp.expit, "normal(0, 10)"),
    ("logit", nx.logit, "logit", sp.logit, "uniform(0, 1)"),
    ("log_sigmoid", nx.log_sigmoid, "log_expit", sp.log_expit, "normal(0, 10)"),
    ("softmax", nx.softmax, "softmax", sp.softmax, "normal(0, 10)"),
]


def median_seconds(fn: Callable[[np.ndarray], object], x: np.ndarray, repeats: int) -> float:
    """Median wall time of ``fn(x)``, with enough inner calls that each sample takes >= 20 ms."""
    fn(x)  # warm up caches and allocator
    inner = 1
    while True:
        start = time.perf_counter()
        for _ in range(inner):
            fn(x)
        if time.perf_counter() - start >= 0.02:
            break
        inner *= 4
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(inner):
            fn(x)
        samples.append((time.perf_counter() - start) / inner)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--sizes", default="1e3,1e4,1e5,1e6,1e7")
    args = parser.parse_args()
    sizes = [int(float(s)) for s in args.sizes.split(",")]

    rng = np.random.default_rng(0)
    print(
        f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}; "
        f"median of {args.repeats}, float64"
    )
    print("| function | input | n | ours (Melem/s) | scipy (Melem/s) | ours / scipy |")
    print("|---|---|---:|---:|---:|---:|")
    for ours_name, ours, theirs_name, theirs, dist in PAIRS:
        for n in sizes:
            x = rng.uniform(size=n) if dist.startswith("uniform") else rng.normal(scale=10, size=n)
            t_ours = median_seconds(ours, x, args.repeats)
            t_theirs = median_seconds(theirs, x, args.repeats)
            print(
                f"| {ours_name} vs {theirs_name} | {dist} | {n:.0e} | {n / t_ours / 1e6:,.0f} "
                f"| {n / t_theirs / 1e6:,.0f} | {t_theirs / t_ours:.2f}x |"
            )


if __name__ == "__main__":
    main()
