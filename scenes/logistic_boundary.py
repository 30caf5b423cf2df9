"""A logistic-regression decision boundary forms, epoch by epoch.

Storyboard
----------
1. Two clouds of labelled points on the plane (x₁, x₂): circles are class 0,
   squares class 1, so it reads in greyscale too.
2. The model σ(w·x + b) = P(class 1): a linear score squashed into a probability.
3. Its boundary w·x + b = 0, with w drawn as an arrow normal to it and the two
   half-planes labelled "class 1" (where w points) and "class 0", so the
   student can see which side is which even while σ ≈ ½ everywhere.
4. The weights start small and random: the points on the wrong side light up.
5. The loss is the cross-entropy; with w ≈ 0 every p ≈ ½, so it starts near
   ln 2, marked on the loss plot.
6. Gradient descent (:func:`lecture.numerics.fit_logistic_regression`)
   replayed: the line swings round, slides into the gap, and then the arrow
   keeps growing with |w| while the smooth probability field σ(w·x + b)
   sharpens and the loss falls.
7. A probe walks along w across the line; its σ(w·x + b) climbs the sigmoid.
8. The verdict: training accuracy.

Render with ``manim -ql -c config/manim.cfg scenes/logistic_boundary.py LogisticBoundary``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
from manim import *
from manim.utils.color import ManimColor

from lecture.numerics import (
    FitHistory,
    bce_with_logits,
    fit_logistic_regression,
    logit,
    make_two_blobs,
    predict_proba,
    sigmoid,
)
from scenes.common import LectureScene, LiveNumber

__all__ = [
    "LogisticBoundary",
    "boundary_segment",
    "class0_label_opacity",
    "half_plane_polygon",
    "interpolate_history",
]

# --- the data and the fit: fixed seeds, so every render is the same film ----
N_PER_CLASS = 50
DATA_SEED = 1
#: Off the origin on purpose: the bias has to travel, so the line slides.
CENTERS = ((0.0, 0.6), (2.8, 2.6))
SPREAD = 0.8
LEARNING_RATE = 0.6
EPOCHS = 100
#: Starting weights that point the wrong way (accuracy 41% at epoch 0).
FIT_SEED = 2

# --- the data plane (equal scale on both axes, so w is drawn perpendicular) --
PLANE_X = (-3.0, 6.0, 1.0)
PLANE_Y = (-2.0, 5.0, 1.0)
PLANE_UNIT = 0.9  # scene units per data unit
PLANE_LEFT = -6.85  # scene x of the plane's left edge
PLANE_BOTTOM = -3.75  # scene y of the plane's bottom edge
#: The probability field is painted as layers {σ(w·x + b) ≥ level}, one per level, each
#: over the last: σ depends on the score alone, so every layer is a half-plane, and
#: layered half-planes leave no gaps and no staircase. 48 levels step the tint by 2 %.
FIELD_LEVELS = 48
#: Opacity of the field where the model is certain (σ near 0 or 1).
FIELD_OPACITY = 0.42
# (A raster field as an ImageMobject is not an option here: manim 0.22's Cairo camera
# builds its canvas with Image.fromarray(np.zeros((h, w)), mode="RGBA"), a float64 2-D
# array that Pillow 13 rejects with "Invalid mode for data type", whatever the image's
# own array; the vector layers are also sharp at every resolution.)

# --- the weight vector w, drawn normal to the boundary -------------------------
#: The arrow's foot is the point of the boundary nearest this one: the empty lower
#: right of the plane, where the fitted line ends up clear of both clouds.
ARROW_ANCHOR = (3.14, -0.34)
#: Arrow length in data units: a floor so the direction reads while w is tiny, plus
#: a part that grows with |w|, so the weights' growth is visible.
ARROW_MIN, ARROW_PER_W = 0.9, 0.35
#: Where "predicts class 0" and "predicts class 1" stand, in data units: fixed spots left
#: of the class-0 cloud and below the class-1 cloud, on their own sides of the line at
#: every epoch replayed and clear of every point and of the line (the tests check both).
#: A label that rode along with the line sat over the clouds and the line itself.
SIDE_LABEL_SPOTS = ((-2.15, 1.5), (5.15, -1.45))
#: No spot on the class-0 side stays clear while the first step swings the line round (it
#: sweeps the whole left of the plane between epochs 0.6 and 1.4): "predicts class 0" fades
#: out over the first of these epochs and back in over the second, while the line goes by.
CLASS0_LABEL_HIDDEN = ((0.1, 0.5), (1.5, 1.9))
#: The labels stand on plates of background colour at this opacity, readable on the deep field.
SIDE_LABEL_PLATE_OPACITY = 0.8
#: Marker sizes in scene units: about 13 px across at 480p.
MARKER_RADIUS = 0.1

# --- the right-hand panel ----------------------------------------------------
PANEL_LEFT = 1.65
LOSS_SIZE = (4.3, 1.7)
LOSS_Y = (0.0, 0.8, 0.2)
#: The cross-entropy of a guess of ½ for any label: −ln ½ = ln 2 (the loss at w = 0, b = 0).
LN2 = float(bce_with_logits(0.0, 1.0))

# --- pacing: the replay, in (last epoch, seconds, caption) phases ------------
TRAINING_PHASES = (
    (5, 5.0, "The first steps swing the line round, so w points at the squares."),
    (30, 5.0, "Then the bias slides the line into the gap between the classes."),
    (EPOCHS, 6.0, "Then w keeps growing, so the probabilities sharpen and the loss falls."),
)
#: Half-length of the probe's walk across the boundary, in data units.
PROBE_REACH = 2.0
#: Score range of the sigmoid inset (the walk spans about ±|w| PROBE_REACH = ±4.4).
SIGMOID_Z = (-5.0, 5.0, 1.0)


def interpolate_history(history: FitHistory, epoch: float) -> tuple[np.ndarray, float, float]:
    """Weights, bias and loss at a fractional epoch, linear between recorded epochs.

    Examples
    --------
    >>> h = fit_logistic_regression([[0.0, 1.0], [1.0, 0.0]], [0.0, 1.0], learning_rate=1.0, epochs=2)
    >>> w, b, loss = interpolate_history(h, 0.5)
    >>> bool(np.allclose(w, (h.weights[0] + h.weights[1]) / 2)), bool(loss == (h.loss[0] + h.loss[1]) / 2)
    (True, True)
    """
    epoch = float(np.clip(epoch, 0, history.epochs))
    i = min(int(epoch), history.epochs - 1)
    f = epoch - i
    w = (1 - f) * history.weights[i] + f * history.weights[i + 1]
    b = (1 - f) * history.bias[i] + f * history.bias[i + 1]
    loss = (1 - f) * history.loss[i] + f * history.loss[i + 1]
    return w, float(b), float(loss)


def boundary_segment(
    w: Sequence[float], b: float, x_range: Sequence[float], y_range: Sequence[float]
) -> tuple[np.ndarray, np.ndarray] | None:
    """The part of the line ``w·x + b = 0`` inside a box, as two end points.

    Returns ``None`` if the line misses the box (or ``w`` is zero).

    Examples
    --------
    >>> a, c = boundary_segment([1.0, 0.0], -2.0, (0, 5), (-1, 1))
    >>> sorted([a.tolist(), c.tolist()])
    [[2.0, -1.0], [2.0, 1.0]]
    >>> boundary_segment([1.0, 0.0], -9.0, (0, 5), (-1, 1)) is None
    True
    """
    w1, w2 = float(w[0]), float(w[1])
    (x0, x1), (y0, y1) = x_range[:2], y_range[:2]
    hits = []
    if abs(w2) > 1e-12:  # crossings with the left and right edges
        hits += [(x, -(w1 * x + b) / w2) for x in (x0, x1)]
    if abs(w1) > 1e-12:  # crossings with the bottom and top edges
        hits += [(-(w2 * y + b) / w1, y) for y in (y0, y1)]
    eps = 1e-9
    inside = [np.array(p) for p in hits if x0 - eps <= p[0] <= x1 + eps and y0 - eps <= p[1] <= y1 + eps]
    if len(inside) < 2:
        return None
    # Through a corner two crossings coincide: keep the two farthest apart.
    pairs = [
        (np.linalg.norm(p - q), i, j) for i, p in enumerate(inside) for j, q in enumerate(inside) if i < j
    ]
    length, i, j = max(pairs)
    return (inside[i], inside[j]) if length > eps else None


def half_plane_polygon(
    w: Sequence[float], c: float, x_range: Sequence[float], y_range: Sequence[float]
) -> np.ndarray:
    """Corners of the part of a box where ``w·x ≥ c`` (Sutherland-Hodgman, one clip edge).

    Returns an empty (0, 2) array when the half-plane misses the box.

    Examples
    --------
    >>> half_plane_polygon([1.0, 0.0], 1.0, (0, 2), (0, 1)).tolist()
    [[1.0, 0.0], [2.0, 0.0], [2.0, 1.0], [1.0, 1.0]]
    >>> half_plane_polygon([1.0, 0.0], 5.0, (0, 2), (0, 1)).shape
    (0, 2)
    """
    (x0, x1), (y0, y1) = x_range[:2], y_range[:2]
    box = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=float)
    side = box @ np.asarray(w, dtype=float) - c
    corners = []
    for i in range(4):
        j = (i + 1) % 4
        if side[i] >= 0:
            corners.append(box[i])
        if (side[i] >= 0) != (side[j] >= 0):  # the edge crosses the line: keep the crossing
            f = side[i] / (side[i] - side[j])
            corners.append(box[i] + f * (box[j] - box[i]))
    return np.array(corners, dtype=float).reshape(-1, 2)


def class0_label_opacity(epoch: float) -> float:
    """How visible "predicts class 0" is at ``epoch``: 1, fading to 0 and back while the line swings by.

    Examples
    --------
    >>> [class0_label_opacity(e) for e in (0.0, 0.3, 1.0, 1.7, 5.0)]
    [1.0, 0.5, 0.0, 0.5, 1.0]
    """
    (out0, out1), (in0, in1) = CLASS0_LABEL_HIDDEN
    fade_out = np.clip((out1 - epoch) / (out1 - out0), 0, 1)
    fade_in = np.clip((epoch - in0) / (in1 - in0), 0, 1)
    return round(float(max(fade_out, fade_in)), 12)


def on_baseline(number: Mobject, word: Text) -> Mobject:
    """Sit ``number`` on the baseline of ``word`` (its first letter has no descender)."""
    return number.align_to(word[0], DOWN)


class ThemedNumber(LiveNumber):
    """A live number whose digits are set in the theme's font, to match the words beside it.

    :class:`DecimalNumber` caches one glyph per character across all instances
    and classes, so the Text glyphs get a cache of their own here.
    """

    _glyphs: ClassVar[dict[tuple[str, str], Text]] = {}

    def __init__(self, number: float, *, font: str, **kwargs: Any) -> None:
        self.glyph_font = font
        super().__init__(number, **kwargs)

    def _new_glyph(self, string: str, mob_class: Any = None, **kwargs: Any) -> VMobject:
        key = (self.glyph_font, string)
        if key not in self._glyphs:
            self._glyphs[key] = Text(string, font=self.glyph_font, font_size=48)
        glyph = self._glyphs[key].copy()
        glyph.font_size = self._font_size
        return glyph


class LogisticBoundary(LectureScene):
    """Gradient descent moves a decision boundary into place between two classes.

    Attributes set by ``construct`` (for tests): ``axes`` (the data plane),
    ``boundary`` (the line w·x + b = 0), ``w_arrow`` (w, drawn from the
    boundary), ``side_labels`` (class 0 side, class 1 side), ``history`` (the
    :class:`FitHistory` replayed), ``accuracy`` (final training accuracy, a
    fraction), ``accuracy_number`` (its on-screen percentage), ``field`` (the
    probability field's layers), ``loss_axes`` and ``ln2_mark``.
    """

    def construct(self) -> None:
        t = self.theme
        self.X, self.y = make_two_blobs(N_PER_CLASS, seed=DATA_SEED, centers=CENTERS, spread=SPREAD)
        self.history = fit_logistic_regression(
            self.X, self.y, learning_rate=LEARNING_RATE, epochs=EPOCHS, seed=FIT_SEED
        )
        self.accuracy = float(self.history.accuracy[-1])
        self.epoch = ValueTracker(0)
        self.axes = self.get_plane()

        # Beat 1: two classes of points on a plane
        title = self.title("Logistic regression: a boundary finds its place")
        points = self.get_points()
        legend = self.get_legend().next_to(title, DOWN, buff=0.4).set_x(PANEL_LEFT, LEFT)
        self.add(title)
        with self.narrate("Two classes of points: circles are class 0, squares are class 1.") as beat:
            self.play(
                Create(self.axes),
                LaggedStart(*(GrowFromCenter(p) for p in points), lag_ratio=0.02),
                FadeIn(legend),
                run_time=beat.duration,
            )

        # Beat 2: the model, a linear score squashed through the sigmoid
        model = self.math(r"\sigma(w \cdot x + b)")
        model.next_to(legend, DOWN, buff=0.45).set_x(PANEL_LEFT, LEFT)
        output_note = self.text("the model's output: P(class 1)", size="small", color=t.muted)
        output_note.next_to(model, DOWN, buff=0.15, aligned_edge=LEFT)
        with self.narrate(
            "The model turns a score, w·x + b, into a probability with σ.",
            say="The model turns a score, w dot x plus b, into a probability with sigma.",
        ) as beat:
            self.play(Write(model), FadeIn(output_note, shift=0.1 * UP), run_time=beat.duration)

        # Beat 3: the boundary, w normal to it, and which side is which
        self.field = self.get_field()
        self.boundary = self.get_boundary()
        self.w_arrow = self.get_w_arrow()
        self.side_labels = self.get_side_labels()
        self.bring_to_back(self.field)  # under the axes and the points
        with self.narrate(
            "The boundary is where the score is 0; the arrow w points to the class 1 side.",
            say="The boundary is where the score is zero; the arrow, w, points to the class one side.",
        ) as beat:
            self.play(Create(self.boundary), run_time=0.35 * beat.duration)
            self.play(GrowArrow(self.w_arrow[0]), FadeIn(self.w_arrow[1]), run_time=0.3 * beat.duration)
            self.add(self.w_arrow)  # the group, whose updater keeps the arrow on the line
            self.play(FadeIn(self.side_labels), run_time=beat.remaining())

        # Beat 4: training starts from small random weights, so most points are wrong
        wrong = VGroup(*(points[i] for i in self.misclassified(epoch=0)))
        rings = VGroup(*(self.ring(m) for m in wrong))
        with self.narrate(
            "The weights start small and random, so most points sit on the wrong side."
        ) as beat:
            self.play(LaggedStart(*(Create(r) for r in rings), lag_ratio=0.03), run_time=0.6 * beat.duration)
            self.play(FadeOut(rings), run_time=beat.remaining())

        # Beat 5: the loss is cross-entropy, and it starts near ln 2
        counter = self.get_counter().next_to(output_note, DOWN, buff=0.4).set_x(PANEL_LEFT, LEFT)
        self.loss_axes = loss_axes = self.get_loss_axes().next_to(counter, DOWN, buff=0.3)
        loss_axes.shift((PANEL_LEFT - loss_axes.get_left()[0] + 0.1) * RIGHT)
        epoch_label = self.text("epoch", size="small", color=t.muted)
        epoch_label.next_to(loss_axes.x_axis, DOWN, buff=0.38).align_to(loss_axes, RIGHT)
        loss_curve = self.get_loss_curve(loss_axes)
        self.ln2_mark = self.get_ln2_mark(loss_axes)
        loss_name = self.get_loss_name(loss_axes)
        with self.narrate(
            "The loss is the cross-entropy. With w near 0, every p is about ½,",
            say="The loss is the cross-entropy. With w near zero, every p is about a half,",
        ) as beat:
            self.play(
                FadeIn(counter), FadeIn(loss_axes, epoch_label, loss_curve), run_time=0.5 * beat.duration
            )
            self.play(FadeIn(loss_name), run_time=beat.remaining())
        with self.narrate(
            "so it starts near −ln ½ = ln 2, about 0.69.",
            say="so it starts near minus log of a half: log two, about 0.69.",
        ) as beat:
            self.play(Create(self.ln2_mark), run_time=0.5 * beat.duration)
            self.play(Indicate(counter[3], color=t.highlight), run_time=beat.remaining())

        # Beat 6: replay gradient descent, epoch by epoch
        self.field.add_updater(self.update_field)
        self.side_labels[0].add_updater(self.fade_class0_label)
        for last_epoch, seconds, caption in TRAINING_PHASES:
            with self.narrate(caption) as beat:
                self.play(
                    self.epoch.animate.set_value(last_epoch),
                    run_time=max(seconds, beat.duration),
                    rate_func=linear,
                )
        self.field.clear_updaters()
        self.side_labels[0].clear_updaters()

        # Beat 7: walk a probe across the line along w; its output traces the sigmoid
        loss_panel = VGroup(loss_axes, loss_curve, epoch_label, self.ln2_mark, loss_name)
        probe, readout = self.get_probe(model)
        path = self.get_probe_path()
        inset = self.get_sigmoid_inset(probe).move_to(loss_axes)
        with self.narrate("Walk a probe across the line, along w.") as beat:
            self.play(
                FadeOut(loss_panel),
                FadeIn(inset),
                Create(path),
                FadeIn(probe, scale=0.5),
                FadeIn(readout),
                run_time=beat.duration,
            )
        with self.narrate(
            "Its probability climbs the sigmoid, through ½ at the line.",
            say="Its probability climbs the sigmoid, through a half at the line.",
        ) as beat:
            self.play(probe.animate.move_to(path.get_end()), run_time=0.85 * beat.duration, rate_func=smooth)
            self.play(FadeOut(probe), FadeOut(readout), FadeOut(path), run_time=beat.remaining())

        # Beat 8: the verdict, training accuracy; the caption stays up to the last frame
        self.accuracy_number = ThemedNumber(
            100 * self.accuracy,
            font=t.font,
            num_decimal_places=0,
            unit="%",
            font_size=t.label_size,
            color=t.highlight,
        )
        accuracy_label = self.text("training accuracy")
        verdict = VGroup(accuracy_label, self.accuracy_number).arrange(RIGHT, buff=0.25)
        on_baseline(self.accuracy_number, accuracy_label)
        verdict.next_to(epoch_label, DOWN, buff=0.3).set_x(PANEL_LEFT, LEFT)
        with self.narrate(
            f"The model now gets {100 * self.accuracy:.0f}% of its training points right."
        ) as beat:
            self.play(FadeIn(verdict, shift=0.15 * UP), run_time=0.5 * beat.duration)
            self.wait(beat.remaining() + 1)

    # --- builders -----------------------------------------------------------
    def get_plane(self) -> Axes:
        """The data plane: equal scale on both axes, pinned to the left edge."""
        x_len = (PLANE_X[1] - PLANE_X[0]) * PLANE_UNIT
        y_len = (PLANE_Y[1] - PLANE_Y[0]) * PLANE_UNIT
        plane = self.make_axes(PLANE_X, PLANE_Y, x_length=x_len, y_length=y_len, x_numbers=(), y_numbers=())
        plane.shift(np.array([PLANE_LEFT, PLANE_BOTTOM, 0]) - plane.c2p(PLANE_X[0], PLANE_Y[0]))
        frame = Rectangle(
            width=x_len, height=y_len, stroke_color=self.theme.grid, stroke_width=self.theme.guide_width
        ).move_to(plane.c2p((PLANE_X[0] + PLANE_X[1]) / 2, (PLANE_Y[0] + PLANE_Y[1]) / 2))
        plane.add(frame)
        # The axes cross at the origin, inside the plane; their names sit at the far ends
        plane.add(self.axis_labels(plane, "x_1", "x_2"))
        return plane

    def get_loss_axes(self) -> Axes:
        """Small axes for the loss against epochs."""
        return self.make_axes(
            (0, EPOCHS, 25),
            LOSS_Y,
            x_length=LOSS_SIZE[0],
            y_length=LOSS_SIZE[1],
            x_numbers=(50, 100),
            y_numbers=(0.4, 0.8),
        )

    def get_ln2_mark(self, loss_axes: Axes) -> VGroup:
        """A dashed level at ln 2 across the loss plot, labelled: where the cross-entropy starts."""
        t = self.theme
        start, end = loss_axes.c2p(0, LN2), loss_axes.c2p(EPOCHS, LN2)
        level = DashedLine(start, end, dash_length=0.08).set_stroke(t.highlight, t.guide_width)
        label = self.math(r"\ln 2", size="small", color=t.highlight)
        label.next_to(end, UP, buff=0.08).align_to(end, RIGHT)
        return VGroup(level, label)

    def get_loss_name(self, loss_axes: Axes) -> Text:
        """'cross-entropy loss' in the empty middle of the loss plot, in the loss curve's colour."""
        name = self.text("cross-entropy loss", size="small", color=self.theme.step)
        return name.move_to(loss_axes.c2p(0.62 * EPOCHS, 0.42))

    def marker(self, label: float) -> VMobject:
        """A point's marker: a circle for class 0, a square for class 1 (readable in greyscale)."""
        t = self.theme
        if label < 0.5:
            shape: VMobject = Circle(radius=MARKER_RADIUS)
            color = t.class0
        else:
            shape = Square(side_length=1.8 * MARKER_RADIUS)
            color = t.class1
        return shape.set_fill(color, opacity=1).set_stroke(t.background, width=2)

    def ring(self, marker: Mobject) -> Circle:
        """A highlight ring around a marker, to pick it out."""
        t = self.theme
        return Circle(
            radius=1.9 * MARKER_RADIUS, stroke_color=t.highlight, stroke_width=t.guide_width * 1.5
        ).move_to(marker)

    def get_points(self) -> VGroup:
        """One marker per training point, at its place on the plane."""
        return VGroup(
            *(self.marker(c).move_to(self.axes.c2p(*x)) for x, c in zip(self.X, self.y, strict=True))
        )

    def get_legend(self) -> VGroup:
        """Which marker is which class."""
        entries = [
            VGroup(self.marker(c), self.text(f"class {c}", size="small")).arrange(RIGHT, buff=0.15)
            for c in (0, 1)
        ]
        return VGroup(*entries).arrange(RIGHT, buff=0.6)

    def field_color(self, p: np.ndarray) -> np.ndarray:
        """RGB (0-1) of the field where the model says ``p`` (an array of probabilities).

        Tinted from class 0 to class 1 by p and laid over the background with a
        strength that grows with the model's certainty |2p − 1|, so the field is
        blank where p is one half.
        """
        p = np.asarray(p, dtype=float)[..., None]
        c0, c1, bg = (
            np.array(ManimColor(c).to_rgb())
            for c in (self.theme.class0, self.theme.class1, self.theme.background)
        )
        tint = c0 + (c1 - c0) * p
        return bg + (tint - bg) * FIELD_OPACITY * np.abs(2 * p - 1)

    def get_field(self) -> VGroup:
        """The probability field σ(w·x + b): layers {p ≥ level} painted one over another."""
        # Layer 0 covers the whole plane in the colour of the lowest band; layer j the
        # half-plane p ≥ j/N in the colour of the band above j/N.
        self.field_levels = np.arange(FIELD_LEVELS) / FIELD_LEVELS
        self.field_band_p = (np.arange(FIELD_LEVELS) + 0.5) / FIELD_LEVELS
        field = VGroup(*(VMobject(stroke_width=0) for _ in range(FIELD_LEVELS)))
        for layer, rgb in zip(field, self.field_color(self.field_band_p), strict=True):
            layer.set_fill(ManimColor.from_rgb(rgb), opacity=1)
        self.update_field(field)
        return field

    def update_field(self, field: VGroup) -> None:
        """Reshape the layers for the current epoch (their colours never change)."""
        w, b, _ = interpolate_history(self.history, self.epoch.get_value())
        # p ≥ level  ⇔  w·x + b ≥ logit(level)  ⇔  w·x ≥ logit(level) − b
        with np.errstate(divide="ignore"):
            thresholds = np.asarray(logit(self.field_levels)) - b
        for layer, c in zip(field, thresholds, strict=True):
            corners = half_plane_polygon(w, float(c), PLANE_X, PLANE_Y)
            if len(corners) < 3:
                layer.set_points(np.zeros((0, 3)))
                continue
            layer.set_points_as_corners(self.axes.c2p(np.vstack([corners, corners[:1]])))

    def field_value_at(self, point: Sequence[float]) -> np.ndarray:
        """RGB (0-255) the field paints at a data point, with the layers' banding (for tests)."""
        w, b, _ = interpolate_history(self.history, self.epoch.get_value())
        p = float(predict_proba(np.array([point], dtype=float), w, b)[0])
        band = min(int(p * FIELD_LEVELS), FIELD_LEVELS - 1)
        return np.asarray(self.field_color(self.field_band_p[band]) * 255)

    def get_boundary(self) -> VMobject:
        """The line w·x + b = 0 at the current epoch, clipped to the plane."""
        line = VMobject(stroke_color=self.theme.text, stroke_width=self.theme.curve_width)

        def follow(m: VMobject) -> None:
            w, b, _ = interpolate_history(self.history, self.epoch.get_value())
            ends = boundary_segment(w, b, PLANE_X, PLANE_Y)
            if ends is None:
                m.set_stroke(opacity=0)
                return
            m.set_points_as_corners([self.axes.c2p(*e) for e in ends]).set_stroke(opacity=1)

        follow(line)
        return line.add_updater(follow)

    def arrow_foot(self, w: np.ndarray, b: float) -> np.ndarray:
        """The point of the line w·x + b = 0 nearest :data:`ARROW_ANCHOR`, in data units."""
        anchor = np.array(ARROW_ANCHOR)
        return anchor - (anchor @ w + b) / (w @ w) * w

    def get_w_arrow(self) -> VGroup:
        """w drawn from the boundary, normal to it, towards class 1; longer as |w| grows; labelled w."""
        t = self.theme
        label = self.math(r"w", color=t.highlight)

        def arrow_between(start: np.ndarray, end: np.ndarray) -> Arrow:
            arrow = Arrow(start, end, buff=0, stroke_width=t.curve_width, max_tip_length_to_length_ratio=0.3)
            return arrow.set_color(t.highlight)

        arrow = arrow_between(LEFT, RIGHT)

        def follow(group: VGroup) -> None:
            w, b, _ = interpolate_history(self.history, self.epoch.get_value())
            norm = float(np.linalg.norm(w))
            foot = self.arrow_foot(w, b)
            tip = foot + (ARROW_MIN + ARROW_PER_W * norm) * w / norm
            arrow.become(arrow_between(self.axes.c2p(*foot), self.axes.c2p(*tip)))
            # Beside the arrow's middle, on the side up the line, away from the side labels
            up_line = np.array([-w[1], w[0], 0.0]) / norm
            label.next_to(self.axes.c2p(*(foot + tip) / 2), up_line, buff=0.12)

        group = VGroup(arrow, label)
        follow(group)
        return group.add_updater(follow)

    def get_side_labels(self) -> VGroup:
        """'predicts class 0' and 'predicts class 1', plated, at the empty :data:`SIDE_LABEL_SPOTS`."""
        t = self.theme
        labels = VGroup(
            self.text("predicts\nclass 0", size="small", color=t.class0, line_spacing=0.8),
            self.text("predicts\nclass 1", size="small", color=t.class1, line_spacing=0.8),
        )
        plated = VGroup()
        for label, spot in zip(labels, SIDE_LABEL_SPOTS, strict=True):
            # A plate of background colour keeps the words readable once the field is deeply tinted
            plate = BackgroundRectangle(
                label, color=t.background, fill_opacity=SIDE_LABEL_PLATE_OPACITY, buff=0.07
            )
            plated.add(VGroup(plate, label).move_to(self.axes.c2p(*spot)))
        return plated

    def fade_class0_label(self, label: VGroup) -> None:
        """Fade "predicts class 0" (plate and words) while the swinging line passes over its spot."""
        opacity = class0_label_opacity(self.epoch.get_value())
        plate, words = label
        plate.set_fill(opacity=SIDE_LABEL_PLATE_OPACITY * opacity)
        words.set_fill(opacity=opacity)

    def live_number(self, value: float, decimals: int, color: str) -> ThemedNumber:
        """A number in the theme's font at label size, for the panel's read-outs."""
        return ThemedNumber(
            value,
            font=self.theme.font,
            num_decimal_places=decimals,
            font_size=self.theme.label_size,
            color=color,
        )

    def get_counter(self) -> VGroup:
        """'epoch N    loss L', live from the epoch tracker; the loss in the loss curve's colour."""
        t = self.theme
        epoch_text = self.text("epoch", size="small", color=t.muted)
        self.epoch_number = self.live_number(0, 0, t.text)
        loss_text = self.text("loss", size="small", color=t.muted)
        loss_number = self.live_number(self.history.loss[0], 3, t.step)
        row = VGroup(epoch_text, self.epoch_number, loss_text, loss_number)
        row.arrange(RIGHT, buff=0.2)
        # Room for three digits, so the loss does not jump when the epoch grows.
        loss_text.next_to(epoch_text, RIGHT, buff=1.4)
        on_baseline(loss_text, epoch_text)
        loss_number.next_to(loss_text, RIGHT, buff=0.2)
        on_baseline(loss_number, loss_text)

        def follow_epoch(m: ThemedNumber) -> None:
            m.set_value(int(self.epoch.get_value())).next_to(epoch_text, RIGHT, buff=0.2)
            on_baseline(m, epoch_text)

        def follow_loss(m: ThemedNumber) -> None:
            m.set_value(interpolate_history(self.history, self.epoch.get_value())[2])

        self.epoch_number.add_updater(follow_epoch)
        loss_number.add_updater(follow_loss)
        return row

    def get_loss_curve(self, loss_axes: Axes) -> VGroup:
        """The loss history drawn up to the current epoch, with a dot at its head."""
        t = self.theme
        curve = VMobject(stroke_color=t.step, stroke_width=t.curve_width * 0.7)
        head = Dot(radius=0.06, color=t.step)

        def follow(group: VGroup) -> None:
            e = self.epoch.get_value()
            pts = [loss_axes.c2p(i, self.history.loss[i]) for i in range(int(e) + 1)]
            pts.append(loss_axes.c2p(e, interpolate_history(self.history, e)[2]))
            curve.set_points_as_corners(pts)
            head.move_to(pts[-1])

        group = VGroup(curve, head)
        follow(group)
        return group.add_updater(follow)

    def misclassified(self, epoch: int) -> np.ndarray:
        """Indices of the training points on the wrong side of the line after ``epoch`` epochs."""
        p = predict_proba(self.X, self.history.weights[epoch], float(self.history.bias[epoch]))
        return np.flatnonzero((p > 0.5) != (self.y > 0.5))

    def final_model(self) -> tuple[np.ndarray, float]:
        """The fitted weights and bias (the last epoch)."""
        return self.history.weights[-1], float(self.history.bias[-1])

    def probe_path(self) -> tuple[np.ndarray, np.ndarray]:
        """A walk along w across the fitted boundary, from the class-0 side to the class-1 side.

        It crosses the line at the foot of the perpendicular from the data's mean.
        """
        w, b = self.final_model()
        unit = w / np.linalg.norm(w)
        mean = self.X.mean(axis=0)
        foot = mean - (mean @ w + b) / (w @ w) * w
        return foot - PROBE_REACH * unit, foot + PROBE_REACH * unit

    def get_probe_path(self) -> DashedLine:
        """The probe's walk, drawn as a faint dashed guide."""
        start, end = (self.axes.c2p(*p) for p in self.probe_path())
        return DashedLine(start, end, stroke_color=self.theme.muted, stroke_width=self.theme.guide_width)

    def score(self, point: np.ndarray) -> float:
        """The fitted model's score w·x + b at a scene point of the plane."""
        w, b = self.final_model()
        return float(np.dot(w, self.axes.p2c(point)[:2]) + b)

    def get_sigmoid_inset(self, probe: Mobject) -> VGroup:
        """σ against the score, drawn as far as the probe has walked, with a dot at the probe's value."""
        t = self.theme
        z0, z1 = (self.score(self.axes.c2p(*p)) for p in self.probe_path())
        axes = self.make_axes(
            SIGMOID_Z, (0, 1, 0.5), x_length=LOSS_SIZE[0], y_length=LOSS_SIZE[1], y_numbers=(0.5, 1)
        )
        guide = axes.plot(
            lambda z: float(sigmoid(z)), x_range=(z0, z1), color=t.grid, stroke_width=t.curve_width * 0.7
        )
        traced = guide.copy().set_stroke(t.sigma)
        dot = Dot(radius=0.07, color=t.highlight)
        label = self.math(r"w \cdot x + b", size="small", color=t.muted)
        label.next_to(axes.x_axis, DOWN, buff=0.15).align_to(axes, RIGHT)

        def follow(group: VGroup) -> None:
            z = self.score(probe.get_center())
            traced.pointwise_become_partial(guide, 0, float(np.clip((z - z0) / (z1 - z0), 0, 1)))
            w, b = self.final_model()
            p = predict_proba(np.array([self.axes.p2c(probe.get_center())[:2]]), w, b)[0]
            dot.move_to(axes.c2p(z, float(p)))

        group = VGroup(axes, guide, traced, dot, label)
        follow(group)
        return group.add_updater(follow)

    def get_probe(self, model: Mobject) -> tuple[VGroup, VGroup]:
        """A ringed point at the probe's start and a live '= σ' read-out after the model's formula."""
        t = self.theme
        w, b = self.final_model()
        ring = Circle(radius=0.15, stroke_color=t.highlight, stroke_width=t.curve_width * 0.8)
        probe = VGroup(ring, Dot(radius=0.05, color=t.highlight))
        probe.move_to(self.axes.c2p(*self.probe_path()[0]))
        equals = self.math("=")
        value = LiveNumber(0.5, num_decimal_places=2, font_size=t.label_size * 1.25, color=t.highlight)
        readout = VGroup(equals, value).arrange(RIGHT, buff=0.2).next_to(model, RIGHT, buff=0.2)
        value.align_to(equals, DOWN).shift(0.02 * DOWN)

        def read(m: DecimalNumber) -> None:
            x = self.axes.p2c(probe.get_center())
            m.set_value(float(predict_proba(np.array([x[:2]]), w, b)[0]))

        read(value)
        value.add_updater(read)
        return probe, readout
