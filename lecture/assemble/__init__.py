"""The lecture as a whole: the rendered scenes joined into one lecture, with a page to teach from.

``render.py --lecture`` renders the scenes that are not up to date and then
assembles ``<output-dir>/lecture/<label>/`` from their published files, one
job per module:

- :mod:`~lecture.assemble.plan` reads the scenes' manifest entries, refuses a
  missing scene or one rendered at another quality, theme or voice, and lays the
  scenes end to end: chapters, captions and narrated beats on the lecture's clock;
- :mod:`~lecture.assemble.join` writes ``lecture.mp4``: the scenes' H.264 packets
  copied with shifted timestamps (no re-encoding), one continuous AAC narration
  track, the captions as a ``mov_text`` subtitle stream, one chapter per scene,
  index first (faststart);
- :mod:`~lecture.assemble.texts` writes ``lecture.vtt``, ``chapters.vtt`` and
  ``transcript.md``;
- :mod:`~lecture.assemble.page` copies the lecture page (``page/``: index.html
  with its presenter mode, page.css, page.js; real files, nothing from the
  network) with the lecture's data beside it in ``lecture-data.js``;
- :mod:`~lecture.assemble.shards` first publishes into the output folder the
  scenes that ``--shard I/N`` machines rendered (``--assemble-only --shard-dir``);
- :mod:`~lecture.assemble.lecture` publishes all of it with one manifest entry
  through :class:`lecture.publish.transaction.Publication`, and skips the work
  when the scenes and the assembler are unchanged.

Nothing here imports manim, and nothing here is an input of a scene's render
(:data:`lecture.render.freshness.NOT_INPUT_FOLDERS`).
"""
