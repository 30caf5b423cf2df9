"""What every lecture scene shares: the themed base scene and small builders.

Scenes subclass :class:`LectureScene`; its ``setup()`` loads the theme
(``render.py --theme`` or ``LECTURE_THEME``) and paints the background, so a
scene renders in any theme without code changes. Builders here are small and
take their look from ``self.theme``; nothing in a scene names a colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from manim import (
    DOWN,
    UP,
    Axes,
    MathTex,
    Scene,
    Tex,
    Text,
    VGroup,
)

from lecture.theme import Theme, get_theme

__all__ = ["LectureScene"]


class LectureScene(Scene):
    """A Scene with the lecture's theme applied and themed builders."""

    theme: Theme

    def setup(self) -> None:
        self.theme = get_theme()
        self.camera.background_color = self.theme.background

    # --- text -------------------------------------------------------------
    def text(
        self, content: str, *, size: str = "label", color: str | None = None, **kwargs: Any
    ) -> Text:
        """Plain text in the theme's font; ``size`` is title, label or small."""
        return Text(
            content,
            font=self.theme.font,
            font_size=getattr(self.theme, f"{size}_size"),
            color=color or self.theme.text,
            **kwargs,
        )

    def math(
        self, *tex: str, size: str = "label", color: str | None = None, **kwargs: Any
    ) -> MathTex:
        """LaTeX maths in the theme's text colour. Build once, never in an updater."""
        return MathTex(
            *tex,
            font_size=getattr(self.theme, f"{size}_size") * 1.25,
            color=color or self.theme.text,
            **kwargs,
        )

    def tex(self, *tex: str, size: str = "label", color: str | None = None, **kwargs: Any) -> Tex:
        """LaTeX text (mixed words and maths) in the theme's text colour."""
        return Tex(
            *tex,
            font_size=getattr(self.theme, f"{size}_size") * 1.25,
            color=color or self.theme.text,
            **kwargs,
        )

    def title(self, content: str) -> Text:
        """A slide title, pinned to the top edge."""
        return self.text(content, size="title").to_edge(UP, buff=0.35)

    # --- axes -------------------------------------------------------------
    def axes(
        self,
        x_range: Sequence[float],
        y_range: Sequence[float],
        *,
        x_length: float,
        y_length: float,
        x_numbers: Sequence[float] = (),
        y_numbers: Sequence[float] = (),
        **kwargs: Any,
    ) -> Axes:
        """Axes in the theme's muted colour with the given ticks labelled."""
        t = self.theme
        axes = Axes(
            x_range=x_range,
            y_range=y_range,
            x_length=x_length,
            y_length=y_length,
            tips=False,
            axis_config={
                "color": t.muted,
                "stroke_width": t.axis_width,
                "include_ticks": True,
                "tick_size": 0.06,
                "font_size": t.small_size,
            },
            **kwargs,
        )
        number_config = {"font_size": t.small_size, "color": t.muted}
        if x_numbers:
            axes.x_axis.add_numbers(x_numbers, **number_config)
        if y_numbers:
            axes.y_axis.add_numbers(y_numbers, **number_config)
        return axes

    def stack(self, *rows: Any, buff: float = 0.2) -> VGroup:
        """Rows arranged top to bottom, left-aligned."""
        from manim import LEFT

        return VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=buff)


# --- narration pacing ---------------------------------------------------------

#: An unhurried lecture pace, and a breath between captions.
WORDS_PER_SECOND = 2.9
BREATH_SECONDS = 0.3


def speaking_seconds(caption: str) -> float:
    """How long a narrator takes to say ``caption`` at an unhurried lecture pace.

    A beat that carries ``caption`` should last at least this long, so the
    subtitles can be read and the narration fits.

    Examples
    --------
    >>> round(speaking_seconds("one two three four five six seven eight nine ten"), 2)
    3.75
    """
    return len(caption.split()) / WORDS_PER_SECOND + BREATH_SECONDS
