"""The lecture's scenes, in the order they play.

``SCENES`` is the one registry the CLI, the tests and the README use. Scene
modules are imported only when a scene is asked for, so listing is instant.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

__all__ = ["SCENES", "SceneInfo", "load_scene"]


@dataclass(frozen=True)
class SceneInfo:
    """Where a scene lives and what it is, for ``render.py --list``."""

    name: str
    module: str
    description: str
    duration_s: int  # expected length at normal speed, rounded
    title: str = ""  # its on-screen title, the lecture's chapter title ("" : from the name)


SCENES: dict[str, SceneInfo] = {
    info.name: info
    for info in (
        SceneInfo(
            "SigmoidShape",
            "scenes.sigmoid_shape",
            "what makes a sigmoid; σ(x) = 1/(1+e^(−x)), its symmetry, the dimmer, hand values",
            78,
            "What makes a sigmoid?",
        ),
        SceneInfo(
            "SteepnessSweep",
            "scenes.steepness_sweep",
            "σ(kx) steepens toward the Heaviside step as k grows",
            52,
            "Turning up the steepness k",
        ),
        SceneInfo(
            "DerivativeTrace",
            "scenes.derivative_trace",
            "σ′ = σ(1−σ) traced out under the curve by its tangent",
            60,
            "The slope of σ, traced out",
        ),
        SceneInfo(
            "VanishingGradient",
            "scenes.vanishing_gradient",
            "each sigmoid layer multiplies the gradient by σ′ ≤ ¼: it vanishes with depth",
            63,
            "Vanishing gradients",
        ),
        SceneInfo(
            "LogOdds",
            "scenes.log_odds",
            "probability → odds → log-odds, and σ reads log-odds back as a probability",
            57,
            "Probability, odds, log-odds",
        ),
        SceneInfo(
            "LogitReflection",
            "scenes.logit_reflection",
            "logit as σ reflected about y = x, and the round trip",
            66,
            "Logit: σ in a mirror",
        ),
        SceneInfo(
            "TanhRelation",
            "scenes.tanh_relation",
            "tanh x = 2σ(2x) − 1: σ squeezed, stretched and shifted onto tanh",
            40,
            "tanh is a rescaled sigmoid",
        ),
        SceneInfo(
            "HardSigmoid",
            "scenes.hard_sigmoid",
            "the hard sigmoid against σ: same centre and slope, no gradient when saturated",
            49,
            "The hard sigmoid",
        ),
        SceneInfo(
            "LogisticBoundary",
            "scenes.logistic_boundary",
            "a logistic-regression decision boundary forms, epoch by epoch",
            58,
            "Logistic regression: a boundary finds its place",
        ),
        SceneInfo(
            "CrossEntropyGradient",
            "scenes.cross_entropy_gradient",
            "the cross-entropy loss's slope is σ(x) − y, checked by finite differences",
            61,
            "The slope of cross-entropy is σ − y",
        ),
        SceneInfo(
            "StableSigmoid",
            "scenes.stable_sigmoid",
            "why 1/(1+np.exp(−x)) overflows at x = −1000, the two-branch fix, and softmax's max shift",
            69,
            "A sigmoid that never overflows",
        ),
        SceneInfo(
            "SoftmaxGeneralization",
            "scenes.softmax_generalization",
            "softmax: scores to probabilities, the max shift, and σ for two classes",
            54,
            "Softmax: the sigmoid for K classes",
        ),
        SceneInfo(
            "ChapterSummary",
            "scenes.chapter_summary",
            "the chapter recalled on one σ curve, each idea lighting up in turn, and where it leads",
            56,
            "The sigmoid, in summary",
        ),
    )
}


def load_scene(name: str) -> type:
    """Import and return the scene class registered as ``name``."""
    info = SCENES[name]
    return getattr(importlib.import_module(info.module), name)  # type: ignore[no-any-return]
