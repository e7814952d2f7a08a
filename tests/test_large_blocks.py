"""A build worker's freed large arrays leave its memory (large_blocks.py): without it, glibc
serves them from a heap that keeps them once a larger block was freed, and the worker's RSS
climbs with every spill."""

from __future__ import annotations

import subprocess
import sys

FREE_AFTER_A_LARGER_FREE = """
import sys
from digest_tui.index.search.large_blocks import give_back_large_blocks

def anon_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) / 1024

if sys.argv[1] == "given back":
    assert give_back_large_blocks()
spill = b"x" * (24 << 20)  # a spill's arrays, freed
del spill
held = b"x" * (16 << 20)  # the next spill's
before = anon_mb()
del held
print(before - anon_mb())
"""


def freed_mb(mode: str) -> float:
    result = subprocess.run(
        [sys.executable, "-c", FREE_AFTER_A_LARGER_FREE, mode],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(result.stdout)


def test_a_workers_freed_array_leaves_its_memory_after_a_larger_one_was_freed() -> None:
    assert freed_mb("given back") > 12
