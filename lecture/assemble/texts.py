"""The lecture's text files: all captions (``lecture.vtt``), the chapters (``chapters.vtt``), the transcript.

Times are on the lecture's clock (:class:`lecture.assemble.plan.LecturePlan`).
The transcript is Markdown, the spoken text by chapter with each chapter's
start time, for students who read and for accessibility requirements.
"""

from __future__ import annotations

from lecture.assemble.plan import LecturePlan
from lecture.publish.outputs import captions_to_vtt
from lecture.publish.storyboard import Caption

__all__ = ["chapters_vtt", "clock", "lecture_vtt", "transcript_md"]


def lecture_vtt(plan: LecturePlan) -> str:
    """Every scene's captions, shifted to where the scene starts in the lecture."""
    return captions_to_vtt([cue for _, cue in plan.captions()], plan.duration_s)


def chapters_vtt(plan: LecturePlan) -> str:
    """WebVTT for ``<track kind="chapters">``: one cue per scene, its title as the text."""
    return captions_to_vtt([Caption(c.start, c.end, c.title) for c in plan.chapters()], plan.duration_s)


def clock(seconds: float) -> str:
    """``m:ss`` (``h:mm:ss`` past an hour), as a chapter list shows a time.

    Examples
    --------
    >>> clock(0), clock(83.9), clock(3725)
    ('0:00', '1:23', '1:02:05')
    """
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def transcript_md(plan: LecturePlan, *, title: str) -> str:
    """The spoken text by chapter, in Markdown: a heading per chapter (with its start), a line per cue."""
    lines = [f"# {title}", "", f"Transcript of the lecture ({clock(plan.duration_s)}).", ""]
    cues = plan.captions()
    for index, chapter in enumerate(plan.chapters()):
        lines += [f"## {index + 1}. {chapter.title} ({clock(chapter.start)})", ""]
        said = [" ".join(cue.text.split()) for i, cue in cues if i == index]
        lines += [*(said or ["(no narration)"]), ""]
    return "\n".join(lines)
