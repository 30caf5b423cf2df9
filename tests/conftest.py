"""Suite-wide settings."""

import fcntl
import os
import shutil
from pathlib import Path

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
    "test_lecture.py",
    "test_render_faults.py",
    "test_render_e2e.py",
    "test_scene_softmax_generalization.py",
    "test_narration.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: files keep their order


# --- the test lecture (tests/lecture_scenes.py), rendered once per run ------------------------------
def _shared(tmp_path_factory: pytest.TempPathFactory, name: str) -> tuple[Path, Path]:
    """A folder shared by every test process of this run (pytest-xdist's), and its lock file."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # each worker has its own basetemp under a common one
        root = root.parent
    return root / name, root / f"{name}.lock"


@pytest.fixture(scope="session")
def lecture_scenes_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder with the test lecture's three scenes rendered (-q l, dark, voice joe), no lecture.

    Rendered by the first test process that asks; the others wait for it and share the folder.
    """
    from lecture.render.pipeline import render_scene
    from tests.lecture_scenes import registry_entries
    from tests.test_render_e2e import tiny_job

    output, lock = _shared(tmp_path_factory, "lecture-scenes")
    done = output.with_name("lecture-scenes.done")
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        if not done.is_file():
            shutil.rmtree(output, ignore_errors=True)  # from a process that failed half-way
            for info in registry_entries():
                result = render_scene(tiny_job(output, scene=info.name, module=info.module, voice="joe"))
                assert result.ok, f"{info.name}: {result.error}"
            done.touch()
    return output


@pytest.fixture(scope="session")
def assembled_lecture(lecture_scenes_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of :func:`lecture_scenes_dir` with the lecture assembled (tests read it, never change it)."""
    from lecture.assemble.lecture import assemble_lecture
    from tests.lecture_scenes import LECTURE

    output = tmp_path_factory.mktemp("assembled") / "out"
    shutil.copytree(lecture_scenes_dir, output, symlinks=True)
    result = assemble_lecture(
        output, LECTURE, label="480p15", theme="dark", voice="joe", title="Test lecture"
    )
    assert not result.up_to_date
    return output
