"""LiveNumber draws exactly what DecimalNumber draws, for every value it is set to.

LiveNumber (scenes/common.py) replaces DecimalNumber's per-frame rebuild with
reused glyphs and remembered layouts; these tests set both to the same values
in the same order (texts that repeat, grow, shrink, change sign, come back
after being evicted) and compare the pixels a camera draws and the points.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

import numpy as np
import pytest
from manim import RIGHT, Camera, DecimalNumber, MathTex, tempconfig

from scenes.common import LiveNumber
from scenes.logistic_boundary import ThemedNumber
from tests.framecheck import TEST_MEDIA_DIR

VALUES = [0.5, 0.53, 0.55, 0.6, 1.0, 9.96, 10.0, 49.9, 50.0, -3.2, 0.5, 1234.5, -0.04, 0.0, 2.0, 0.6, 0.5]


@pytest.fixture(autouse=True)
def _small_camera() -> Iterator[None]:
    with tempconfig({"pixel_width": 480, "pixel_height": 270, "media_dir": str(TEST_MEDIA_DIR)}):
        yield


def draw(*mobjects: Any) -> np.ndarray:
    camera = Camera()
    camera.capture_mobjects(list(mobjects))
    return np.array(camera.pixel_array)


def assert_same_drawing(fast: DecimalNumber, slow: DecimalNumber, value: float) -> None:
    assert fast.get_value() == slow.get_value() == value
    fast_points, slow_points = fast.get_all_points(), slow.get_all_points()
    assert fast_points.shape == slow_points.shape, f"different glyphs for {value}"
    np.testing.assert_allclose(fast_points, slow_points, rtol=0, atol=1e-12)
    fast_pixels, slow_pixels = draw(fast), draw(slow)
    assert fast_pixels.any(), "nothing drawn"
    np.testing.assert_array_equal(fast_pixels, slow_pixels, err_msg=f"pixels differ for {value}")


@pytest.mark.parametrize("places", [0, 1, 3])
def test_live_number_draws_like_decimal_number(places: int) -> None:
    label = MathTex("k =")
    numbers = [
        cls(VALUES[0], num_decimal_places=places, font_size=40, color="#ff8800")
        for cls in (LiveNumber, DecimalNumber)
    ]
    for number in numbers:
        number.scale(1.3)  # set_value keeps the current font size, not the one it was built at
    for value in VALUES:
        for number in numbers:
            number.set_value(value).next_to(label, RIGHT, buff=0.15)
        assert_same_drawing(*numbers, value)


def test_colour_and_opacity_changes_survive_set_value() -> None:
    numbers = [cls(1.0, num_decimal_places=2) for cls in (LiveNumber, DecimalNumber)]
    for number in numbers:
        number.set_color("#33aaff").set_opacity(0.5)
    for value in (1.0, 2.25, 1.0, 7.5):
        for number in numbers:
            number.set_value(value)
        assert_same_drawing(*numbers, value)


def test_sign_unit_and_edge_options_are_kept() -> None:
    options = {"num_decimal_places": 1, "include_sign": True, "unit": r"\%", "edge_to_fix": np.array(RIGHT)}
    numbers = [cls(-5.0, **options) for cls in (LiveNumber, DecimalNumber)]
    for value in (-5.0, 5.0, 12.5, -0.01, 5.0):
        for number in numbers:
            number.set_value(value)
        assert_same_drawing(*numbers, value)


def test_evicted_layouts_are_rebuilt_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(LiveNumber, "MAX_LAYOUTS", 2)
    numbers = [cls(0.0, num_decimal_places=1) for cls in (LiveNumber, DecimalNumber)]
    for value in (1.0, 2.0, 3.0, 1.0, 2.0, 0.0):
        for number in numbers:
            number.set_value(value)
        assert_same_drawing(*numbers, value)
    assert len(numbers[0]._live_layouts) <= 2


def test_glyphs_that_leave_the_number_draw_nothing() -> None:
    """The Cairo renderer may still hold the old glyphs (its moving list is taken per animation)."""
    number = LiveNumber(123.4, num_decimal_places=1)
    old = number.get_family()[1:]
    number.set_value(5.0)
    gone = [m for m in old if m not in number.get_family()]
    assert gone
    np.testing.assert_array_equal(draw(*gone), draw())


def test_a_copy_is_independent_and_draws_the_same() -> None:
    numbers = [cls(2.5, num_decimal_places=1).set_value(3.5) for cls in (LiveNumber, DecimalNumber)]
    twins = [number.copy().set_value(7.5) for number in numbers]
    assert_same_drawing(*twins, 7.5)
    assert_same_drawing(*numbers, 3.5)  # the originals did not move


class _ThemedReference(DecimalNumber):
    """ThemedNumber's glyphs on the plain DecimalNumber: what ThemedNumber drew before LiveNumber."""

    _glyphs: ClassVar[dict[tuple[str, str], Any]] = {}
    _string_to_mob = ThemedNumber._new_glyph

    def __init__(self, number: float, *, font: str, **kwargs: Any) -> None:
        self.glyph_font = font
        super().__init__(number, **kwargs)


def test_themed_number_draws_like_its_decimal_number_version() -> None:
    numbers = [
        cls(0.0, font="DejaVu Sans", num_decimal_places=3, font_size=30, color="#ffffff")
        for cls in (ThemedNumber, _ThemedReference)
    ]
    for value in (0.0, 0.693, 0.512, 0.08, 0.693):
        for number in numbers:
            number.set_value(value)
        assert_same_drawing(*numbers, value)
