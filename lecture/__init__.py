"""The library behind ``render.py`` and the scenes, grouped by job.

- :mod:`lecture.numerics`: all the maths, pure numpy; every value a scene draws comes from here.
- :mod:`lecture.settings`: the settings in ``config/`` (render defaults, themes), read and validated once.
- :mod:`lecture.voice`: the narrator: speech synthesis, its cache and mastering, and spoken forms.
- :mod:`lecture.render`: running renders: jobs, the pipeline, worker processes, the render cache,
  one scene split among processes, and the up-to-date check.
- :mod:`lecture.publish`: turning what ManimCE wrote into the published files and manifest entry,
  as one transaction, and the CLI's report of it.
- :mod:`lecture.preview`: ``--watch``: the file watcher and the local preview page.

Imports only point down: ``render.py`` imports ``scenes`` and ``lecture``, ``scenes``
import ``lecture``, and nothing in ``lecture`` imports ``scenes`` (except by name at run time)
or the CLI.
"""
