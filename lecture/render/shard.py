"""``--shard I/N``: a deterministic share of the scenes, so N machines render a course between them.

Every machine computes the same split from the same registry: the scenes,
longest expected first (ties in lecture order), each go to the shard with the
least expected seconds so far (ties to the lowest number): the greedy
"longest processing time first" rule, which keeps the shards' render times
close. A shard's scenes are returned in lecture order. Nothing here imports manim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["parse_shard", "shard_scenes"]


def parse_shard(text: str) -> tuple[int, int]:
    """``"I/N"`` as ``(I, N)``, 1 ≤ I ≤ N.

    Raises
    ------
    ValueError
        With a one-line reason, if ``text`` is not of that form.

    Examples
    --------
    >>> parse_shard("2/3")
    (2, 3)
    """
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if match is None:
        raise ValueError(f"{text!r} is not I/N (e.g. 1/4: the first of four shares)")
    index, count = int(match[1]), int(match[2])
    if count < 1 or not 1 <= index <= count:
        raise ValueError(f"{text!r}: I must be from 1 to N, and N at least 1")
    return index, count


def shard_scenes(scenes: Sequence[tuple[str, float]], index: int, count: int) -> list[str]:
    """The names of shard ``index`` of ``count`` among ``scenes`` (``(name, expected seconds)``, in order).

    Examples
    --------
    >>> scenes = [("A", 50), ("B", 40), ("C", 30), ("D", 20)]
    >>> [shard_scenes(scenes, i, 2) for i in (1, 2)]
    [['A', 'D'], ['B', 'C']]
    """
    load = [0.0] * count
    owner: dict[str, int] = {}
    order = sorted(range(len(scenes)), key=lambda i: (-scenes[i][1], i))
    for i in order:
        name, seconds = scenes[i]
        target = min(range(count), key=lambda s: (load[s], s))
        owner[name] = target
        load[target] += seconds
    return [name for name, _ in scenes if owner[name] == index - 1]
