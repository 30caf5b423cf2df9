"""Suite-wide settings."""

import os

from hypothesis import settings

# CI must be reproducible: the same examples every run. Locally, explore.
settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


# --- the test lecture (tests/lecture_scenes.py), rendered once per session ---------------------------
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def lecture_scenes_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder with the test lecture's three scenes rendered (-q l, dark, voice joe), no lecture."""
    from lecture.render.pipeline import render_scene
    from tests.lecture_scenes import registry_entries
    from tests.test_render_e2e import tiny_job

    output = tmp_path_factory.mktemp("lecture")
    for info in registry_entries():
        result = render_scene(tiny_job(output, scene=info.name, module=info.module, voice="joe"))
        assert result.ok, f"{info.name}: {result.error}"
    return output


@pytest.fixture(scope="session")
def assembled_lecture(lecture_scenes_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of :func:`lecture_scenes_dir` with the lecture assembled (tests read it, never change it)."""
    import shutil

    from lecture.assemble.lecture import assemble_lecture
    from tests.lecture_scenes import LECTURE

    output = tmp_path_factory.mktemp("assembled") / "out"
    shutil.copytree(lecture_scenes_dir, output, symlinks=True)
    result = assemble_lecture(
        output, LECTURE, label="480p15", theme="dark", voice="joe", title="Test lecture"
    )
    assert not result.up_to_date
    return output
