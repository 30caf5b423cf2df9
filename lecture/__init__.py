"""The library behind ``render.py`` and the scenes, grouped by job.

- :mod:`lecture.numerics`: all the maths, pure numpy; every value a scene draws comes from here.
- :mod:`lecture.jobs`: what a render is asked to do and how it went (plain records that cross processes).
- :mod:`lecture.settings`: the settings in ``config/`` (render defaults, themes), read and validated once.
- :mod:`lecture.voice`: the narrator: speech synthesis, its cache and mastering, and spoken forms.
- :mod:`lecture.render`: running renders: the pipeline, worker processes, the render cache,
  one scene split among processes, and the up-to-date check.
- :mod:`lecture.publish`: turning what ManimCE wrote into the published files and manifest entry,
  as one transaction, and the CLI's report of it.
- :mod:`lecture.assemble`: ``--lecture``: the scenes joined into one lecture with chapters, captions,
  a transcript and the lecture page with its presenter mode.
- :mod:`lecture.preview`: ``--watch``: the file watcher and the local preview page.

Imports only point down: ``render.py`` imports ``scenes`` and ``lecture``, ``scenes``
import ``lecture``, and nothing in ``lecture`` imports ``scenes`` (except by name at run time)
or the CLI.
"""
