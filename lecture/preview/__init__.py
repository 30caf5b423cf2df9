"""``render.py --watch``: the file watcher, the render-again loop and the loopback preview server
with its page (``preview.html``) that follows every save.
"""
