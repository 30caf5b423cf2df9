"""Running renders: a job record per scene (:mod:`~lecture.render.jobs`), the pipeline that runs
ManimCE on it in a worker process (:mod:`~lecture.render.pipeline`, :mod:`~lecture.render.workers`),
the render cache of per-animation segments (:mod:`~lecture.render.segments`), one scene shared out
among processes (:mod:`~lecture.render.split`) and the up-to-date check
(:mod:`~lecture.render.freshness`).
"""
