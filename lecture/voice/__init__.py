"""The narrator: an offline Piper voice behind a small engine interface, the speech cache and
the mastering of every line (:mod:`~lecture.voice.speech`), and the table that turns a caption's
symbols into the words the voice says (:mod:`~lecture.voice.pronunciation`).
"""
