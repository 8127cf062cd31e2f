"""Helpers shared by the client checks: the CSV files as the reference, and error reporting."""

import csv
import sys
from pathlib import Path

MAX_ERRORS = 60


class Problems:
    def __init__(self, name):
        self.name = name
        self.lines = []

    def add(self, message):
        self.lines.append(message)

    def check(self, condition, message):
        if not condition:
            self.add(message)

    def __bool__(self):
        return bool(self.lines)

    def exit(self, folder, success):
        """Print the problems (or `success`) and exit with the right status."""
        if self.lines:
            for line in self.lines[:MAX_ERRORS]:
                print(f"{self.name}: {folder}: {line}", file=sys.stderr)
            if len(self.lines) > MAX_ERRORS:
                print(f"{self.name}: {folder}: ... and {len(self.lines) - MAX_ERRORS} more",
                      file=sys.stderr)
            sys.exit(1)
        print(f"{self.name}: {folder}: {success}")
        sys.exit(0)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def nodes(folder):
    """nodes.csv (plain flavor) as a list of dicts, in file order."""
    return read_csv(Path(folder) / "nodes.csv")


def edges(folder):
    """edges.csv (plain flavor) as a list of dicts, in file order, each with its `id`."""
    rows = read_csv(Path(folder) / "edges.csv")
    for row in rows:
        row["id"] = f"{row['source']}|{row['relation']}|{row['role']}|{row['target']}"
    return rows
