"""What every lecture scene shares: the themed base scene and small builders.

Scenes subclass :class:`LectureScene`; its ``setup()`` loads the theme
(``render.py --theme`` or ``LECTURE_THEME``) and paints the background, so a
scene renders in any theme without code changes. Builders here are small and
take their look from ``self.theme``; nothing in a scene names a colour.

Every beat is narrated the same way: wrap its animations in
``with self.narrate("caption") as beat:``, which captions exactly that beat,
lets its animations be timed to the line (``beat.duration``,
``beat.remaining()``) and holds its last frame until the line has been said.
The line is spoken by the offline voice of :mod:`lecture.voice.speech` (its real
length sets the beat's timing) and placed in the scene's audio with ManimCE's
``add_sound``; ``LECTURE_VOICE=none`` renders silent, timed at a reading pace.
"""

from __future__ import annotations

import math
import os
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from manim import (
    LEFT,
    RIGHT,
    UP,
    Animation,
    Axes,
    DashedLine,
    DecimalNumber,
    LaggedStart,
    Line,
    MathTex,
    Mobject,
    Scene,
    Text,
    VGroup,
    VMobject,
    always_redraw,
    config,
)

from lecture.settings.theme import Theme, get_theme
from lecture.voice.pronunciation import spoken_form, spoken_numbers
from lecture.voice.speech import SAMPLE_RATE, VOICE_CACHE_ENV, Speech, Voice, get_voice

__all__ = [
    "Beat",
    "LectureScene",
    "LiveNumber",
    "StackedPlot",
    "TableLayout",
    "decimal_point",
    "sampled_points",
    "speaking_seconds",
    "voice_cache_dir",
]

#: Tick numbers are set this much larger than the theme's small text: at 854x480
#: LaTeX digits at the small size are too thin to read at a glance.
TICK_NUMBER_SCALE = 7 / 6
#: Tick marks stick out this far either side of their axis, in scene units.
TICK_SIZE = 0.06


class LiveNumber(DecimalNumber):
    """A :class:`DecimalNumber` for readouts that change every frame: drawn the same, built far faster.

    ``DecimalNumber.set_value`` rebuilds the number on every call: it deep-copies
    a glyph per character (about a millisecond each), lays them out and scales
    them, even when the text shown has not changed. In SteepnessSweep that was
    about 40 % of the render. A ``LiveNumber``

    - returns at once when the value rounds to the text already shown (only the
      colours are re-applied, as ``DecimalNumber`` does);
    - keeps one glyph per (position, character) and, for a new text, resets
      those glyphs' points instead of copying new ones, then lays them out with
      ``DecimalNumber``'s own code, so the arithmetic and the pixels are the same;
    - remembers each text's laid-out points (up to :attr:`MAX_LAYOUTS`, least
      recently shown dropped first) and shows it again by moving them into
      place: scaled to the current font size, the ``edge_to_fix`` on the old
      edge, as ``DecimalNumber`` does.

    Glyphs that leave the number have their points zeroed, as in
    ``DecimalNumber``, so the Cairo renderer's list of moving mobjects, taken
    when an animation starts, does not draw them where they were. Subclasses
    that draw digits differently override :meth:`_new_glyph`.

    The cached glyphs and layouts live outside the number's ``__dict__``: a
    copy (``.animate``, ``.copy()``) starts with empty caches of its own, and
    ManimCE's per-animation cache key, which hashes every attribute of the
    mobjects on screen, does not see them (they change nothing drawn, but
    would make the key depend on which values were shown before, and slow).
    """

    MAX_LAYOUTS = 512

    def __init__(self, number: float = 0, **kwargs: Any) -> None:
        self._live_slot = 0
        self._live_text: str | None = None
        super().__init__(number, **kwargs)
        self._live_text = self._get_num_string(number)
        if not self.include_background_rectangle:  # still as built: at ORIGIN, base font size
            self._live_layouts[self._live_text] = self._capture_layout()

    @property
    def _live_glyphs(self) -> dict[tuple[int, str, Any], _Points]:
        return _live_caches(self)[0]

    @property
    def _live_layouts(self) -> OrderedDict[str, _Points]:
        return _live_caches(self)[1]

    # --- glyphs ---------------------------------------------------------------
    def _new_glyph(self, string: str, mob_class: Any = None, **kwargs: Any) -> VMobject:
        """A fresh glyph for ``string`` at the base font size (``DecimalNumber``'s)."""
        return super()._string_to_mob(string, mob_class, **kwargs)

    def _string_to_mob(self, string: str, mob_class: Any = None, **kwargs: Any) -> VMobject:
        key = (self._live_slot, string, mob_class)
        self._live_slot += 1
        cached = self._live_glyphs.get(key)
        if cached is None:
            glyph = self._new_glyph(string, mob_class, **kwargs)
            cached = self._live_glyphs[key] = _Points(glyph, origin=None)
        else:
            cached.place(1.0, None)  # back to the points a fresh copy would have
        return cached.mobjects[0]

    def _set_submobjects_from_number(self, number: float) -> None:
        self._live_slot = 0
        try:
            super()._set_submobjects_from_number(number)
        finally:
            # Back to 0 at rest: how many texts were built on the way to this one must not show in the
            # number's attributes, which the render cache's key hashes (lecture.render.segments.fingerprint).
            self._live_slot = 0

    def _capture_layout(self) -> _Points:
        return _Points(
            *self.submobjects,
            origin=self.get_edge_center(self.edge_to_fix),
            initial_height=self.initial_height,
        )

    # --- the value --------------------------------------------------------------
    def set_value(self, number: float) -> LiveNumber:
        """Show ``number``; the same result as :meth:`DecimalNumber.set_value`."""
        if self.include_background_rectangle:  # the rectangle is rebuilt around each text: the slow path
            super().set_value(number)
            self._live_text = None
            return self
        text = self._get_num_string(number)
        if text == self._live_text:
            self.number = number
            self.init_colors()
            return self
        old_font_size = self.font_size
        anchor = self.get_edge_center(self.edge_to_fix)
        old_family = self.get_family()
        layout = self._live_layouts.get(text)
        if layout is None:
            self._set_submobjects_from_number(number)  # laid out at the base font size, centred on ORIGIN
            layout = self._live_layouts[text] = self._capture_layout()
            if len(self._live_layouts) > self.MAX_LAYOUTS:
                self._live_layouts.popitem(last=False)
        else:
            self._live_layouts.move_to_end(text)
            self.number = number
            self.submobjects = list(layout.mobjects)
            self.initial_height = layout.initial_height
        layout.place(old_font_size / self._font_size, anchor)
        # DecimalNumber matches each new glyph's style to the old one's here, then init_colors sets
        # every part of that style again from the number's own: the matching changes nothing drawn.
        shown = set(self.get_family())
        for mob in old_family:
            if mob not in shown:
                mob.points[:] = 0
        self.init_colors()
        self._live_text = text
        return self


_Caches = tuple[dict[tuple[int, str, Any], "_Points"], OrderedDict[str, "_Points"]]
#: Each LiveNumber's caches, kept out of its __dict__ (see LiveNumber's docstring).
_CACHES: weakref.WeakKeyDictionary[LiveNumber, _Caches] = weakref.WeakKeyDictionary()


def _live_caches(number: LiveNumber) -> _Caches:
    """``number``'s glyphs by (position, character) and layouts by text, created on first use."""
    caches = _CACHES.get(number)
    if caches is None:
        caches = _CACHES[number] = ({}, OrderedDict())
    return caches


class _Points:
    """Some mobjects and the points of their families, relative to ``origin``, to put back later."""

    def __init__(self, *mobjects: Any, origin: Any, initial_height: float = 0.0) -> None:
        self.mobjects = list(mobjects)
        self.initial_height = initial_height
        self.points = [
            (m, m.points - origin if origin is not None else m.points.copy())
            for sub in self.mobjects
            for m in sub.get_family()
        ]

    def place(self, scale: float, at: Any) -> None:
        """Scale the saved points by ``scale`` and shift them by ``at`` (as saved when None)."""
        for mob, relative in self.points:
            if at is None:
                mob.points = relative.copy()
            else:
                mob.points = scale * relative + at


class LectureScene(Scene):
    """A Scene with the lecture's theme applied and themed builders."""

    theme: Theme
    voice: Voice | None
    beats: list[Beat]
    #: Left out of the render cache's keys (lecture.render.segments.scene_state): the narrator and the beats
    #: so far, whose times move when an earlier line gets longer; nothing an updater draws from.
    RENDER_KEY_EXEMPT = ("voice", "beats")

    def setup(self) -> None:
        self.theme = get_theme()
        self.camera.background_color = self.theme.background
        #: The narrator (None: silent, captions timed at a reading pace) and the beats narrated so far.
        self.voice = get_voice(cache_dir=voice_cache_dir())
        self.beats: list[Beat] = []

    # --- text -------------------------------------------------------------
    def text(self, content: str, *, size: str = "label", color: str | None = None, **kwargs: Any) -> Text:
        """Plain text in the theme's font; ``size`` is title, label or small."""
        return Text(
            content,
            font=self.theme.font,
            font_size=getattr(self.theme, f"{size}_size"),
            color=color or self.theme.text,
            **kwargs,
        )

    def math(self, *tex: str, size: str = "label", color: str | None = None, **kwargs: Any) -> MathTex:
        """LaTeX maths in the theme's text colour. Build once, never in an updater."""
        return MathTex(
            *tex,
            font_size=getattr(self.theme, f"{size}_size") * 1.25,
            color=color or self.theme.text,
            **kwargs,
        )

    def title(self, content: str) -> Text:
        """A slide title, pinned to the top edge."""
        return self.text(content, size="title").to_edge(UP, buff=0.35)

    # --- axes -------------------------------------------------------------
    def make_axes(
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
        """Axes in the theme's muted colour with exactly the given ticks labelled.

        A 0 in ``x_numbers`` or ``y_numbers`` is labelled too (ManimCE leaves
        the origin out by default): list it only where the other axis does not
        cross there, e.g. after :meth:`left_y_axis`.
        """
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
                "tick_size": TICK_SIZE,
                "font_size": self.tick_font_size,
            },
            **kwargs,
        )
        number_config = {"font_size": self.tick_font_size, "color": t.muted, "excluding": []}
        if x_numbers:
            axes.x_axis.add_numbers(x_numbers, **number_config)
        if y_numbers:
            axes.y_axis.add_numbers(y_numbers, **number_config)
        return axes

    @property
    def tick_font_size(self) -> float:
        """Font size of the numbers on axis ticks."""
        return self.theme.small_size * TICK_NUMBER_SCALE

    def left_y_axis(self, axes: Axes, ticks: Sequence[float], *, gridlines: bool = False) -> VGroup:
        """Move ``axes``' y axis to the left edge of the plot, labelled at ``ticks``.

        ManimCE puts the y axis at x = 0, where a curve often does its most
        interesting thing and the axis and its labels would be in the way. The
        axis there is hidden (``c2p`` still uses it) and a stand-in is drawn at
        the smallest x instead: a spine, a tick and a number at each of
        ``ticks`` (as many decimals as the value needs), and with ``gridlines``
        a faint dashed line across the plot at each tick above 0.

        Returns
        -------
        VGroup
            The stand-in, already added to ``axes``.
        """
        t = self.theme
        (x_min, x_max), (y_min, y_max) = axes.x_range[:2], axes.y_range[:2]
        spine = Line(axes.c2p(x_min, y_min), axes.c2p(x_min, y_max), color=t.muted, stroke_width=t.axis_width)
        marks = VGroup()
        for y in ticks:
            at = axes.c2p(x_min, y)
            tick = Line(at + TICK_SIZE * LEFT, at + TICK_SIZE * RIGHT).set_stroke(t.muted, t.axis_width)
            label = DecimalNumber(
                y, num_decimal_places=decimal_places(y), font_size=self.tick_font_size, color=t.muted
            )
            marks.add(tick, label.next_to(tick, LEFT, buff=0.1))
            if gridlines and y > 0:
                grid = DashedLine(at, axes.c2p(x_max, y), dash_length=0.08).set_stroke(t.grid, t.guide_width)
                marks.add(grid)
        axes.y_axis.set_stroke(opacity=0)
        stand_in = VGroup(spine, marks)
        axes.add(stand_in)
        return stand_in

    def axis_labels(
        self,
        axes: Axes,
        x_tex: str | None = None,
        y_tex: str | None = None,
        *,
        y_axis_at: float | None = None,
        color: str | None = None,
    ) -> VGroup:
        """LaTeX names for the axes: ``x_tex`` right of the x axis's end, ``y_tex`` above the y axis's top.

        ``y_axis_at`` is the x where the y axis stands (the left edge after
        :meth:`left_y_axis`; by default where ManimCE draws it, x = 0 or the
        nearest end of the range). Labels are in the muted axis colour unless
        ``color`` is given, at the tick numbers' size.

        Returns
        -------
        VGroup
            The labels (``x_tex``'s first if given), not added to ``axes``.
        """
        (x_min, x_max), (y_min, y_max) = axes.x_range[:2], axes.y_range[:2]
        x_cross = float(np.clip(0.0, y_min, y_max))
        y_at = float(np.clip(0.0, x_min, x_max)) if y_axis_at is None else y_axis_at
        labels = VGroup()
        size = self.tick_font_size * 1.15
        if x_tex is not None:
            label = MathTex(x_tex, font_size=size, color=color or self.theme.muted)
            labels.add(label.next_to(axes.c2p(x_max, x_cross), RIGHT, buff=0.15))
        if y_tex is not None:
            label = MathTex(y_tex, font_size=size, color=color or self.theme.muted)
            labels.add(label.next_to(axes.c2p(y_at, y_max), UP, buff=0.15))
        return labels

    # --- narration ----------------------------------------------------------
    @contextmanager
    def narrate(self, caption: str, *, say: str | None = None) -> Iterator[Beat]:
        """Caption and speak the beat played inside the ``with`` block; yield its :class:`Beat`.

        ``caption`` is what the subtitles show (symbols welcome: σ(kx), σ′, ≈);
        ``say`` is what the narrator says, when it differs; without it the
        caption is read with ``config/pronunciation.toml``'s words for its
        symbols. The line is synthesized (or found in the speech cache) at
        once and placed with ManimCE's own ``add_sound`` just after the beat's
        start, so plain ``manim`` renders the voice too. The yielded
        :class:`Beat` tells how long until the line has been said
        (``beat.duration``) and how much of it is left (``beat.remaining()``),
        so animations can be timed to the speech. When the block ends, the
        last frame is held until the line has been said and a breath taken, so
        speech never runs into the next beat; the subtitle spans exactly the
        beat, so one beat's caption ends where the next one's starts.

        Examples
        --------
        ::

            with self.narrate("First, the destination: the Heaviside step.") as beat:
                self.play(Create(step), run_time=0.6 * beat.duration)
                self.play(FadeIn(step_label), run_time=beat.remaining())
        """
        said = spoken_numbers(say) if say is not None else spoken_form(caption)
        beat = Beat(self, caption, said, self.time)
        if beat.speech is not None:
            # A play served from ManimCE's partial-movie cache leaves the renderer skipping until the
            # next play starts, and add_sound drops sounds while skipping: that is how a cached
            # render loses voice lines. Restore the scene's own skipping state first.
            renderer = self.renderer
            renderer.skip_animations = getattr(
                renderer, "_original_skipping_status", renderer.skip_animations
            )
            self.add_sound(str(beat.speech.path), time_offset=LEAD_IN_SECONDS)
        self.beats.append(beat)
        yield beat
        # Held until the line is said and a breath taken, and never shorter than reading the caption takes.
        unsaid = beat.start + max(beat.duration + BREATH_SECONDS, reading_seconds(caption)) - self.time
        if unsaid > _SAME_INSTANT:
            # ManimCE holds a frame for a whole number of frames, rounded down: round up instead, so
            # the breath is never shortened (the epsilon keeps n/fps*fps from flooring to n-1).
            frames = math.ceil(unsaid * config.frame_rate - _SAME_INSTANT)
            self.wait(frames / config.frame_rate + _SAME_INSTANT)
        beat.end = self.time  # the render records it: the lecture's presenter mode holds here
        self.add_subcaption(caption, duration=self.time - beat.start, offset=beat.start - self.time)

    def play_narrated(
        self,
        caption: str,
        *animations: Animation,
        run_time: float = 0.0,
        lag_ratio: float = 0.0,
        say: str | None = None,
    ) -> None:
        """Play ``animations`` as one narrated beat, slowed to last as long as the line takes to say.

        Where :meth:`narrate` holds the last frame, this keeps things moving:
        the animations run together (``lag_ratio`` staggers them, 1 plays them
        in turn) for ``run_time`` or the line's speaking time, whichever is
        longer.
        """
        with self.narrate(caption, say=say) as beat:
            self.play(LaggedStart(*animations, lag_ratio=lag_ratio), run_time=max(run_time, beat.duration))

    def tear_down(self) -> None:
        """Pad the narration with silence to the scene's end, so the audio track is as long as the video.

        ManimCE's track ends where its last sound does; the last beat's breath
        and any closing hold would otherwise play without an audio track.
        """
        super().tear_down()
        writer = self.renderer.file_writer
        if getattr(writer, "includes_sound", False):
            from pydub import AudioSegment

            writer.add_audio_segment(AudioSegment.silent(0, frame_rate=SAMPLE_RATE), time=float(self.time))

    # --- stacked plots and tangents ------------------------------------------
    def get_stacked_axes(
        self,
        x_range: Sequence[float],
        *,
        x_length: float,
        left: float,
        top: StackedPlot,
        bottom: StackedPlot,
    ) -> tuple[Axes, Axes]:
        """Two plots one above the other on the same x scale, so a given x sits in the same screen column.

        Each plot's corner (x min, y min) is put at the scene point
        (``left``, its ``origin_y``): placing by a data point, not by the
        bounding box, keeps both plots' columns identical whatever labels hang
        off either of them. The y axes stand at the left edge
        (:meth:`left_y_axis`, with gridlines), out of the way of x = 0, where
        the guides between the plots run.

        Returns
        -------
        (Axes, Axes)
            The top plot's axes and the bottom plot's.
        """

        def build(plot: StackedPlot) -> Axes:
            axes = self.make_axes(
                x_range, plot.y_range, x_length=x_length, y_length=plot.height, x_numbers=plot.x_numbers
            )
            corner = axes.c2p(x_range[0], plot.y_range[0])
            axes.shift(np.array([left, plot.origin_y, 0.0]) - corner)
            self.left_y_axis(axes, plot.y_ticks, gridlines=True)
            return axes

        return build(top), build(bottom)

    def get_tangent(
        self,
        axes: Axes,
        at: tuple[float, float, float] | Callable[[], tuple[float, float, float]],
        *,
        length: float,
        color: str | None = None,
        width: float = 0.7,
        z_index: float = 2.0,
        rim: bool = False,
    ) -> VMobject:
        """The tangent to a curve on ``axes`` at ``at`` = (x, y, slope): a segment of a fixed screen length.

        The segment is centred on the point of tangency and cut where it would
        leave the plot's x range, so near an edge it stops at the axes' end. Its
        stroke is ``color`` (the theme's derivative colour by default) at
        ``width`` times the curve width; ``rim`` draws a rim of background
        colour around it, which keeps it apart from the curve it touches.
        ``at`` given as a function (read every frame) makes a tangent that
        rides the curve: an ``always_redraw`` mobject.
        """
        t = self.theme
        left, right = axes.c2p(axes.x_range[0], 0)[0], axes.c2p(axes.x_range[1], 0)[0]

        def build(x: float, y: float, slope: float) -> Line:
            p = axes.c2p(x, y)
            direction = axes.c2p(x + 1, y + slope) - p
            direction /= np.linalg.norm(direction)
            half = length / 2
            back = min(half, (p[0] - left) / direction[0])
            ahead = min(half, (right - p[0]) / direction[0])
            line = Line(p - back * direction, p + ahead * direction)
            line.set_stroke(color or t.derivative, t.curve_width * width).set_z_index(z_index)
            if rim:
                line.set_background_stroke(color=t.background, width=t.curve_width * 1.5)
            return line

        if callable(at):
            return always_redraw(lambda: build(*at()))
        return build(*at)

    # --- value tables ---------------------------------------------------------
    def get_value_table(
        self,
        headers: Sequence[Mobject],
        columns: Sequence[Sequence[float]],
        colors: Sequence[str],
        *,
        places: int,
        layout: TableLayout,
    ) -> tuple[VGroup, list[tuple[DecimalNumber, ...]]]:
        """A table of numbers: a header row, a rule under it, one row per value, columns in line.

        ``columns[0]`` holds integers (written without decimals), the other
        columns ``places`` decimals; ``colors`` gives each column's colour.
        The header row sits at scene y = 0 with each header centred on its
        column's ``layout.column_x``; move the returned table as a whole to
        place it. The integer column is right-aligned, the decimal columns
        aligned as ``layout.align`` says.

        Returns
        -------
        (VGroup, list of tuples of DecimalNumber)
            The table (header, rule, rows) and its rows of numbers, which the
            tests read.
        """
        t = self.theme
        size = t.small_size * 1.25
        values = [
            tuple(
                DecimalNumber(v, num_decimal_places=0 if j == 0 else places, font_size=size, color=colors[j])
                for j, v in enumerate(row)
            )
            for row in zip(*columns, strict=True)
        ]
        xs = layout.column_x
        header = VGroup(*headers)
        for j, cell in enumerate(header):
            cell.move_to([xs[j], 0, 0])
        rows = VGroup()
        for i, row in enumerate(values):
            y = -layout.first_row - layout.row_gap * i
            row[0].move_to([xs[0], y, 0]).align_to([xs[0] + INTEGER_COLUMN_RIGHT, 0, 0], RIGHT)
            for j in range(1, len(row)):
                row[j].move_to([xs[j], y, 0])
                if layout.align == "point":
                    row[j].shift((xs[j] - decimal_point(row[j]).get_x()) * RIGHT)
                else:
                    row[j].align_to([xs[j] + DECIMAL_COLUMN_RIGHT, 0, 0], RIGHT)
            rows.add(VGroup(*row))
        ends = header.get_left()[0] - layout.rule_overhang, header.get_right()[0] + layout.rule_overhang
        rule = Line([ends[0], -layout.rule_y, 0], [ends[1], -layout.rule_y, 0])
        rule.set_stroke(t.muted, t.guide_width)
        return VGroup(header, rule, rows), values


class Beat:
    """One narrated line in progress: how long it is said for, and how much is left.

    Yielded by :meth:`LectureScene.narrate`, in the spirit of manim-voiceover's
    tracker. ``say`` is the text spoken, ``speech`` its synthesized audio
    (None when the scene runs without a voice), ``duration`` the seconds from
    the beat's start until the line has been said: a short lead-in plus the
    speech's real length (without a voice, an estimate at a lecture pace).
    """

    def __init__(self, scene: LectureScene, caption: str, say: str, start: float) -> None:
        self.scene, self.caption, self.say, self.start = scene, caption, say, start
        #: Scene time when the beat ended (its last frame held), set when the ``with`` block is done.
        self.end: float | None = None
        self.speech: Speech | None = None
        if scene.voice is not None:
            self.speech = scene.voice.synthesize(say)
            self.duration = LEAD_IN_SECONDS + self.speech.duration
        else:
            self.duration = len(say.split()) / WORDS_PER_SECOND

    def elapsed(self) -> float:
        """Seconds of scene time since the line started, as whole frames.

        The scene clock moves in whole frames, but ``time - start`` carries
        rounding that depends on when the beat started: a run time taken from
        it would differ in its last bits after an earlier beat got longer, and
        with it the render cache's key of this beat's animations.
        """
        return round((self.scene.time - self.start) * config.frame_rate) / config.frame_rate

    def remaining(self, *, at_least: float = 1 / 15) -> float:
        """Seconds of speech still to come, never below ``at_least`` (usable as a run_time)."""
        return max(at_least, self.duration - self.elapsed())


# --- narration pacing ---------------------------------------------------------

#: An unhurried lecture pace (the voice's own, about 2.9 words a second), for timing without a voice.
WORDS_PER_SECOND = 2.9
#: Silence at the start of each beat before its line is spoken, and after it before the next beat.
LEAD_IN_SECONDS = 0.1
BREATH_SECONDS = 0.25
#: The fastest a caption may go by: subtitle guidelines (e.g. the BBC's, Netflix's) keep adult captions
#: at or under about 15-17 characters a second; a brisk voice line can be quicker than that to say.
CAPTION_CHARS_PER_SECOND = 15.0
#: Time left to speak below this is floating-point noise, not a hold (a frame is 1/60 s or more).
_SAME_INSTANT = 1e-6


def speaking_seconds(caption: str) -> float:
    """An estimate of how long a narrator takes to say ``caption``, breath included, at a lecture pace.

    For planning a scene without synthesizing; with a voice, a beat's real
    length is ``beat.duration`` (the synthesized speech).

    Examples
    --------
    >>> round(speaking_seconds("one two three four five six seven eight nine ten"), 2)
    3.7
    """
    return len(caption.split()) / WORDS_PER_SECOND + BREATH_SECONDS


def reading_seconds(caption: str) -> float:
    """The least time ``caption`` stays up: its length read at :data:`CAPTION_CHARS_PER_SECOND`.

    Examples
    --------
    >>> reading_seconds("Thirty characters, read in 2 s")
    2.0
    """
    return len(caption) / CAPTION_CHARS_PER_SECOND


def voice_cache_dir() -> Path:
    """Where synthesized lines are cached: ``$LECTURE_VOICE_CACHE`` (set by the CLI), else ``voice/``
    in ManimCE's media folder (``media/cache/voice`` under plain ``manim -c config/manim.cfg``)."""
    return Path(os.environ.get(VOICE_CACHE_ENV) or Path(config.media_dir) / "voice")


def sampled_points(
    axes: Axes, func: Callable[[np.ndarray], np.ndarray], x0: float, x1: float, *, per_unit: float
) -> np.ndarray:
    """Scene points of ``func`` on ``axes``, sampled on [x0, x1] ``per_unit`` times per x unit.

    For ``VMobject().set_points_as_corners``: a curve drawn straight from the
    numerics, sample by sample, with at least two samples however short the range.
    """
    n = max(2, int(abs(x1 - x0) * per_unit) + 1)
    xs = np.linspace(x0, x1, n)
    ys = np.asarray(func(xs), dtype=float)
    return np.array([axes.c2p(x, y) for x, y in zip(xs, ys, strict=True)])


def decimal_places(value: float) -> int:
    """How many decimals ``value`` needs when written plainly.

    Examples
    --------
    >>> decimal_places(0.25), decimal_places(0.5), decimal_places(1.0), decimal_places(-6)
    (2, 1, 0, 0)
    """
    return len(f"{value:g}".partition(".")[2])


#: A value table's integer column ends this far right of its centre; a right-aligned decimal
#: column (``TableLayout.align == "right"``) this far, room for four places.
INTEGER_COLUMN_RIGHT = 0.25
DECIMAL_COLUMN_RIGHT = 0.75


def decimal_point(number: DecimalNumber) -> Mobject:
    """The glyph of ``number``'s decimal point, to line a column up on."""
    text = f"{number.get_value():.{number.num_decimal_places}f}"
    return number[text.index(".")]


@dataclass(frozen=True)
class TableLayout:
    """Where :meth:`LectureScene.get_value_table` puts its cells, relative to the header row at y = 0.

    ``column_x`` is each column's centre (scene x); ``first_row`` how far
    below the header the first row is, ``row_gap`` the step between rows and
    ``rule_y`` how far below the header the rule runs, ``rule_overhang`` past
    the headers at both ends. ``align`` lines the decimal columns up on their
    decimal points (``"point"``, at ``column_x``) or on their right edges
    (``"right"``, at ``column_x + DECIMAL_COLUMN_RIGHT``).
    """

    column_x: tuple[float, ...]
    first_row: float
    row_gap: float
    rule_y: float
    rule_overhang: float
    align: Literal["point", "right"] = "point"


@dataclass(frozen=True)
class StackedPlot:
    """One plot of :meth:`LectureScene.get_stacked_axes`' pair.

    ``y_range`` is (min, max, step); ``y_ticks`` the values labelled on the
    y axis at the plot's left edge; ``height`` its height and ``origin_y``
    the scene y of its x axis (where y = y min), in scene units;
    ``x_numbers`` the x ticks labelled under it.
    """

    y_range: tuple[float, float, float]
    y_ticks: tuple[float, ...]
    height: float
    origin_y: float
    x_numbers: Sequence[float] = ()
