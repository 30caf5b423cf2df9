"""Running renders: the pipeline that runs ManimCE on a job in a worker process
(:mod:`~lecture.render.pipeline`, :mod:`~lecture.render.manim_run`, :mod:`~lecture.render.workers`),
the render cache of per-animation segments (:mod:`~lecture.render.segments`), one scene shared out
among processes (:mod:`~lecture.render.split`) and the up-to-date check
(:mod:`~lecture.render.freshness`). The job records themselves are :mod:`lecture.jobs`.
"""
