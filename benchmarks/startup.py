"""Start-up cost of the CLI (issue 20): `protestwire --help` beside importing click and SQLAlchemy
alone, each the median wall time of --runs fresh processes. Target: at most 1.5 times.

    python benchmarks/startup.py                 # 15 runs of each
    python benchmarks/startup.py --runs 31
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_RATIO = 1.5


def median_seconds(command: list[str], runs: int) -> float:
    """The median wall time of ``command`` over ``runs`` runs, after one run to warm the file cache."""
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    script = Path(sys.executable).with_name("protestwire")  # the console script, as a user runs it
    cli = [str(script)] if script.exists() else [sys.executable, "-m", "protestwire"]
    floor = median_seconds([sys.executable, "-c", "import click, sqlalchemy"], args.runs)
    bare = median_seconds([sys.executable, "-c", "pass"], args.runs)
    help_time = median_seconds([*cli, "--help"], args.runs)
    ratio = help_time / floor
    print(f"median of {args.runs} runs each")
    for label, seconds in (("python -c 'pass'", bare), ("python -c 'import click, sqlalchemy'", floor),
                           ("protestwire --help", help_time)):
        print(f"{label:<40} {seconds * 1000:7.0f} ms")
    print(f"ratio {ratio:.2f}x (target <= {TARGET_RATIO}x): {'met' if ratio <= TARGET_RATIO else 'NOT met'}")


if __name__ == "__main__":
    main()
