"""Publishing what a render made: web-ready files from ManimCE's output
(:mod:`~lecture.publish.outputs`, :mod:`~lecture.publish.storyboard`), one finisher per output
kind (:mod:`~lecture.publish.finishers`), the transaction that puts files and manifest entry in
place together or not at all (:mod:`~lecture.publish.transaction`), and the CLI's progress report
(:mod:`~lecture.publish.report`).
"""
