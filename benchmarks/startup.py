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


def median_seconds(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """The median wall time of each command over ``runs`` runs, taken in turn (so a busy moment of
    the machine weighs on every command alike), after one run each to warm the file cache."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
    for _ in range(runs):
        for name, command in commands.items():
            began = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
            times[name].append(time.perf_counter() - began)
    return {name: statistics.median(seconds) for name, seconds in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    script = Path(sys.executable).with_name("protestwire")  # the console script, as a user runs it
    cli = [str(script)] if script.exists() else [sys.executable, "-m", "protestwire"]
    medians = median_seconds({"python -c 'pass'": [sys.executable, "-c", "pass"],
                              "python -c 'import click, sqlalchemy'": [sys.executable, "-c", "import click, sqlalchemy"],
                              "protestwire --help": [*cli, "--help"]}, args.runs)
    ratio = medians["protestwire --help"] / medians["python -c 'import click, sqlalchemy'"]
    print(f"median of {args.runs} runs each, taken in turn")
    for label, seconds in medians.items():
        print(f"{label:<40} {seconds * 1000:7.0f} ms")
    print(f"ratio {ratio:.2f}x (target <= {TARGET_RATIO}x): {'met' if ratio <= TARGET_RATIO else 'NOT met'}")


if __name__ == "__main__":
    main()
