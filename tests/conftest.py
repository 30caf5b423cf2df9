"""Suite-wide settings."""

import os

import pytest
from hypothesis import settings

# CI must be reproducible: the same examples every run. Locally, explore.
settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


#: The test files that take longest (``--durations`` of a full run), run first: with ``make test``'s
#: two processes, each taking whole files, a long file left for the end would keep one process busy
#: while the other idles.
LONGEST_FIRST = (
    "test_split.py",
    "test_registry.py",
    "test_watch.py",
    "test_render_faults.py",
    "test_render_e2e.py",
    "test_scene_softmax_generalization.py",
    "test_narration.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: files keep their order
