"""The product's lines since a base commit, by the piece of work each commit belongs to.

    .venv/bin/python benchmarks/lines_by_issue.py [--base e71460f]

Issue 14 asks for "fewer lines than today for the same behaviour". Lines added since
for other capabilities (issues 15, 16, 17, the new full-text search) are not the same
behaviour, so each commit's net product lines (git's --numstat, *.py in incidents/,
geodata/, app_pages/ and app.py) are summed under the label benchmarks/lines_by_issue.txt
gives it; the sums must add up to the change in the line count, which this checks.
A commit not labelled there counts as the same behaviour (the figure can only rise).
"""

from __future__ import annotations

import argparse
import collections
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOTS = ("incidents", "geodata", "app_pages")
NAMES = {
    "14a": "issue 14: consolidating what the base did",
    "14b": "issue 14: full-text search (new)",
    "pub": "public rows at their town (new)",
    "15": "issue 15: the map first (new)",
    "16": "issue 16: Arabic (new)",
    "17": "issue 17: duplicates (new)",
    "FU": "follow-ups of issues 11-13, unclear",
    "new": "capabilities found missing in reviews (new)",
    "?": "commits not labelled yet",
}


def git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout


def is_product(path: str) -> bool:
    return path.endswith(".py") and (path == "app.py" or path.split("/", maxsplit=1)[0] in ROOTS)


def renamed_to(path: str) -> str:
    """The new path of a numstat path ('a/{x => y}/z' or 'x => y')."""
    if "{" in path and " => " in path:
        head, rest = path.split("{", 1)
        middle, tail = rest.split("}", 1)
        return (head + middle.split(" => ")[1] + tail).replace("//", "/")
    return path.rsplit(" => ", maxsplit=1)[-1]


def numstat(*revs: str) -> list[tuple[str, int]]:
    """(path, net lines) of product files changed between two revisions."""
    out = []
    for line in git("diff", "--numstat", "-M", *revs, "--", *ROOTS, "app.py").splitlines():
        added, deleted, path = line.split("\t", 2)
        if added != "-" and is_product(renamed_to(path)):
            out.append((renamed_to(path), int(added) - int(deleted)))
    return out


def commit_nets(sha: str, parents: list[str]) -> list[tuple[str, int]]:
    """A commit's net lines per file; a merge's beyond what its second parent brought."""
    if len(parents) == 1:
        return numstat(parents[0], sha)
    base = git("merge-base", *parents).strip()
    return numstat(parents[0], sha) + [(p, -n) for p, n in numstat(base, parents[1])]


def lines_at(rev: str) -> int:
    files = [f for f in git("ls-tree", "-r", "--name-only", rev).splitlines() if is_product(f)]
    return sum(git("show", f"{rev}:{f}").count("\n") for f in files)


def labels() -> dict[str, tuple[str, list[tuple[str, str]]]]:
    out = {}
    for line in (HERE / "lines_by_issue.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            sha, label, *overrides = line.split()
            out[sha] = (label, [tuple(o.split("=", 1)) for o in overrides])  # type: ignore[misc]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="e71460f")
    base = parser.parse_args().base
    known, net = labels(), collections.Counter[str]()
    for line in git("log", "--reverse", "--format=%h %p", f"{base}..HEAD").splitlines():
        sha, *parents = line.split()
        label, overrides = known.get(sha, ("?", []))
        for path, lines in commit_nets(sha, parents):
            net[next((lab for pre, lab in overrides if path.startswith(pre)), label)] += lines
    before, now = lines_at(base), lines_at("HEAD")
    for label, name in NAMES.items():
        print(f"{name:45} {net[label]:+7,}")
    print(f"{'all (check: HEAD minus base)':45} {sum(net.values()):+7,} ({now - before:+,})")
    same = before + net["14a"] + net["FU"] + net["?"]  # unlabelled: counted as the same
    print(f"base {before:,} lines; HEAD {now:,}; HEAD without the new capabilities {same:,}")


if __name__ == "__main__":
    main()
