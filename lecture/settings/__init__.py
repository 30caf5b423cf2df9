"""Settings, not code: the render defaults and voices in ``config/render.toml`` and the themes in
``config/themes.toml``, each read once into typed records whose errors name the file and key
(:mod:`~lecture.settings.configfile`). Nothing here imports manim, so ``render.py --help`` stays fast.
"""
