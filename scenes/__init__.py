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


SCENES: dict[str, SceneInfo] = {
    info.name: info
    for info in (
        SceneInfo(
            "SigmoidShape",
            "scenes.sigmoid_shape",
            "what makes a sigmoid; σ(x) = 1/(1+e^(−x)), its symmetry, the dimmer, hand values",
            78,
        ),
        SceneInfo(
            "SteepnessSweep",
            "scenes.steepness_sweep",
            "σ(kx) steepens toward the Heaviside step as k grows",
            52,
        ),
        SceneInfo(
            "DerivativeTrace",
            "scenes.derivative_trace",
            "σ′ = σ(1−σ) traced out under the curve by its tangent",
            52,
        ),
        SceneInfo(
            "VanishingGradient",
            "scenes.vanishing_gradient",
            "each sigmoid layer multiplies the gradient by σ′ ≤ ¼: it vanishes with depth",
            47,
        ),
        SceneInfo(
            "LogOdds",
            "scenes.log_odds",
            "probability → odds → log-odds, and σ reads log-odds back as a probability",
            57,
        ),
        SceneInfo(
            "LogitReflection",
            "scenes.logit_reflection",
            "logit as σ reflected about y = x, and the round trip",
            66,
        ),
        SceneInfo(
            "TanhRelation",
            "scenes.tanh_relation",
            "tanh x = 2σ(2x) − 1: σ squeezed, stretched and shifted onto tanh",
            40,
        ),
        SceneInfo(
            "HardSigmoid",
            "scenes.hard_sigmoid",
            "the hard sigmoid against σ: same centre and slope, no gradient when saturated",
            45,
        ),
        SceneInfo(
            "LogisticBoundary",
            "scenes.logistic_boundary",
            "a logistic-regression decision boundary forms, epoch by epoch",
            58,
        ),
        SceneInfo(
            "CrossEntropyGradient",
            "scenes.cross_entropy_gradient",
            "the cross-entropy loss's slope is σ(x) − y, checked by finite differences",
            54,
        ),
        SceneInfo(
            "SoftmaxGeneralization",
            "scenes.softmax_generalization",
            "softmax: scores to probabilities, the max shift, and σ for two classes",
            54,
        ),
        SceneInfo(
            "ChapterSummary",
            "scenes.chapter_summary",
            "the chapter's four points and where they lead, each with a small recall",
            44,
        ),
    )
}


def load_scene(name: str) -> type:
    """Import and return the scene class registered as ``name``."""
    info = SCENES[name]
    return getattr(importlib.import_module(info.module), name)  # type: ignore[no-any-return]
