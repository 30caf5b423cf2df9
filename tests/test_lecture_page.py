"""The lecture page in real headless Chromium, opened from file://: chapters, transcript, presenter mode.

The page is the one ``render.py --lecture`` copies beside the test lecture
(tests/conftest.py's ``assembled_lecture``). Keys and clicks are sent as
the user's own input (DevTools ``Input`` events), so they count as gestures.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.chromium import Browser

pytestmark = pytest.mark.slow

FRAME = 1 / 15
KEYS = {
    "ArrowRight": (39, "ArrowRight"),
    "ArrowLeft": (37, "ArrowLeft"),
    "PageDown": (34, "PageDown"),
    "r": (82, "KeyR"),
    " ": (32, "Space"),
}


def _data(folder: Path) -> dict[str, Any]:
    text = (folder / "lecture-data.js").read_text(encoding="utf-8")
    return json.loads(text.removeprefix("window.LECTURE = ").removesuffix(";\n"))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def page(assembled_lecture: Path) -> Iterator[tuple[Browser, dict[str, Any]]]:
    folder = assembled_lecture / "lecture" / "480p15"
    with Browser("about:blank", flags=("--autoplay-policy=no-user-gesture-required",)) as browser:
        browser.call("Network.enable")  # from before the page loads: every request it makes is seen
        browser.call("Page.navigate", {"url": (folder / "index.html").as_uri()})
        ready = browser.wait_for(
            "window.lecturePage ? lecturePage.video.readyState : -1", lambda v: v >= 1, 30
        )
        assert ready >= 1, "the video's metadata did not load"
        yield browser, _data(folder)


def _press(browser: Browser, key: str) -> None:
    code, name = KEYS[key]
    browser.press(key, name, code)


def test_chapters_and_transcript_built(page: tuple[Browser, dict[str, Any]]) -> None:
    browser, data = page
    chapters = browser.evaluate(
        "[...document.querySelectorAll('#chapters button')].map(b => [b.dataset.start, b.textContent])"
    )
    assert [float(start) for start, _ in chapters] == [c["start"] for c in data["chapters"]]
    assert [text.startswith(c["title"]) for (_, text), c in zip(chapters, data["chapters"], strict=True)]
    lines = browser.evaluate("[...document.querySelectorAll('#transcript .line')].map(b => b.dataset.start)")
    assert [float(s) for s in lines] == [c["start"] for c in data["cues"]]
    tracks = browser.evaluate("[...lecturePage.video.textTracks].map(t => [t.kind, t.mode, t.cues.length])")
    assert tracks == [["captions", "showing", len(data["cues"])], ["chapters", "hidden", 3]]
    links = browser.evaluate(
        "[...document.querySelectorAll('#downloads a')].map(a => a.getAttribute('href'))"
    )
    assert links[:3] == [
        "../../480p15/NarratedScene.mp4",
        "../../480p15/NarratedScene.vtt",
        "../../480p15/NarratedScene.png",
    ]
    assert '<track kind="captions" src="lecture.vtt"' in browser.evaluate(
        "document.getElementById('embed').value"
    )


def test_clicking_chapter_three_seeks_to_its_start(page: tuple[Browser, dict[str, Any]]) -> None:
    browser, data = page
    browser.click("#chapters li:nth-child(3) button")
    start = data["chapters"][2]["start"]
    at = browser.wait_for("lecturePage.video.currentTime", lambda t: abs(t - start) < 1e-3, 10)
    assert at == pytest.approx(start, abs=1e-3)
    current = browser.wait_for(
        "document.querySelector('#chapters li.current button')?.dataset.start",
        lambda s: s is not None and float(s) == start,
        10,
    )
    assert float(current) == start


def test_the_transcript_highlights_the_cue_being_spoken(page: tuple[Browser, dict[str, Any]]) -> None:
    browser, data = page
    for cue in (data["cues"][1], data["cues"][4]):
        browser.evaluate(f"lecturePage.seek({(cue['start'] + cue['end']) / 2})")
        shown = browser.wait_for(
            "document.querySelector('#transcript .line.current')?.dataset.start",
            lambda s, c=cue: s is not None and float(s) == c["start"],
            10,
        )
        assert float(shown) == cue["start"]
        assert browser.evaluate("document.querySelectorAll('#transcript [aria-current=true]').length") == 1
    _search(browser, "AXES")
    shown = browser.evaluate(
        "[...document.querySelectorAll('#transcript .line')].filter(l => !l.hidden).length"
    )
    assert shown == sum("axes" in c["text"].lower() for c in data["cues"]) == 2
    _search(browser, "")
    assert browser.evaluate("[...document.querySelectorAll('#transcript .line')].every(l => !l.hidden)")


def test_keys_step_by_beat_and_switch_captions(page: tuple[Browser, dict[str, Any]]) -> None:
    browser, data = page
    beats = data["beats"]
    browser.evaluate("lecturePage.video.pause(); document.activeElement?.blur(); lecturePage.seek(0.5)")
    browser.wait_for("lecturePage.video.currentTime", lambda t: abs(t - 0.5) < 1e-3, 10)
    for key, beat in (("ArrowRight", 1), ("ArrowRight", 2), ("ArrowLeft", 1)):
        _press(browser, key)
        start = beats[beat]["start"]
        at = browser.wait_for("lecturePage.video.currentTime", lambda t, s=start: abs(t - s) < 1e-3, 10)
        assert at == pytest.approx(start, abs=1e-3), key
    browser.press("c", "KeyC", 67)
    assert browser.evaluate("lecturePage.video.textTracks[0].mode") == "hidden"
    assert (
        browser.evaluate("document.getElementById('captions-toggle').getAttribute('aria-pressed')") == "false"
    )
    browser.press("c", "KeyC", 67)
    assert browser.evaluate("lecturePage.video.textTracks[0].mode") == "showing"
    _press(browser, " ")
    assert browser.wait_for("lecturePage.video.paused", lambda paused: not paused, 10) is False
    _press(browser, " ")
    assert browser.wait_for("lecturePage.video.paused", bool, 10) is True


def _search(browser: Browser, text: str) -> None:
    browser.evaluate(
        f"(() => {{ const s = document.getElementById('search'); s.value = {json.dumps(text)};"
        " s.dispatchEvent(new Event('input')); })()"
    )


def _held(browser: Browser, holds: int) -> dict[str, Any]:
    state = browser.wait_for(
        "(() => { const p = lecturePage.presenter, v = lecturePage.video, r = v.played;"
        " return {holds: p.holds, paused: v.paused, t: v.currentTime, current: p.current, stopAt: p.stopAt,"
        " played: r.length ? r.end(r.length - 1) : 0,"
        " now: document.getElementById('current-caption').textContent,"
        " next: document.getElementById('next-caption').textContent}; })()",
        lambda s: s["holds"] >= holds and s["paused"] and s["stopAt"] is None,
        30,
    )
    assert state["holds"] == holds, state
    return state  # type: ignore[no-any-return]


def test_presenter_mode_holds_each_beat_within_a_frame(page: tuple[Browser, dict[str, Any]]) -> None:
    browser, data = page
    beats = data["beats"]
    browser.evaluate("lecturePage.video.pause(); location.hash = '#present'")
    assert browser.wait_for("document.body.classList.contains('presenting')", bool, 5)
    assert browser.evaluate("document.getElementById('speaker').hidden") is False
    holds = 0
    for key, beat in (("ArrowRight", 0), ("PageDown", 1), (" ", 2), ("ArrowLeft", 1), ("r", 1)):
        _press(browser, key)
        holds += 1
        state = _held(browser, holds)
        end = beats[beat]["end"]
        assert state["current"] == beat, (key, state)
        assert abs(state["t"] - end) <= FRAME, (
            f"{key}: held at {state['t']:.3f} s, the beat ends at {end:.3f} s"
        )
        assert state["played"] >= end - 2 * FRAME, f"{key}: stopped early, at {state['played']:.3f} s"
        assert state["now"] == beats[beat]["caption"]
        assert state["next"] == beats[beat + 1]["caption"]
    browser.evaluate("location.hash = ''")


def test_copy_embed_puts_the_snippet_on_the_clipboard(page: tuple[Browser, dict[str, Any]]) -> None:
    # The snippet names the lecture's own files (beside index.html) and the button copies it.
    browser, _ = page
    folder = Path(browser.evaluate("decodeURIComponent(location.pathname)")).parent
    snippet = browser.evaluate("document.getElementById('embed').value")
    for name in ("lecture.mp4", "lecture.vtt", "chapters.vtt"):
        assert f'src="{name}"' in snippet and (folder / name).is_file(), name
    poster = snippet.split('poster="', 1)[1].split('"', 1)[0]
    assert (folder / poster).is_file(), poster
    origin = browser.evaluate("location.origin")
    browser.call("Browser.grantPermissions", {"permissions": ["clipboardReadWrite"], "origin": origin})
    browser.click("#copy-embed")
    assert browser.wait_for("document.getElementById('copied').textContent", bool, 5) == "Copied."
    copied = browser.wait_for("navigator.clipboard.readText()", bool, 5)
    assert copied == snippet


def test_f_toggles_full_screen(page: tuple[Browser, dict[str, Any]]) -> None:
    browser, _ = page
    browser.evaluate("document.activeElement?.blur()")
    browser.press("f", "KeyF", 70)
    assert browser.wait_for("document.fullscreenElement?.id || ''", bool, 5) == "player"
    browser.press("f", "KeyF", 70)
    assert browser.wait_for("document.fullscreenElement === null", bool, 5) is True


def test_nothing_requested_from_the_network(page: tuple[Browser, dict[str, Any]]) -> None:
    browser, _ = page
    urls = [
        e["params"]["request"]["url"]
        for e in list(browser.events)
        if e["method"] == "Network.requestWillBeSent"
    ]
    names = {url.rsplit("/", 1)[-1] for url in urls}
    assert {"index.html", "page.css", "lecture-data.js", "page.js", "lecture.mp4"} <= names, urls
    # data: URLs are the player's own control icons, inline in Chromium; nothing has another scheme.
    assert [url for url in urls if not url.startswith(("file://", "data:"))] == []
    linked = browser.evaluate("[...document.querySelectorAll('[src],[href]')].map(e => e.src || e.href)")
    assert not [url for url in linked if url.startswith(("http:", "https:", "//"))]


def _luminance(rgb: list[float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: list[float], b: list[float]) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_both_themes_meet_wcag_aa(page: tuple[Browser, dict[str, Any]], theme: str) -> None:
    browser, _ = page
    browser.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
    colours = browser.evaluate(
        "(() => { const rgb = (el, p) => getComputedStyle(el)[p].match(/[\\d.]+/g).map(Number);"
        " const line = document.querySelector('#transcript .line'); line.classList.add('current');"
        " const out = {body: [rgb(document.body, 'color'), rgb(document.body, 'backgroundColor')],"
        " muted: [rgb(document.querySelector('.keys'), 'color'), rgb(document.body, 'backgroundColor')],"
        " link: [rgb(document.querySelector('#extras a'), 'color'), rgb(document.body, 'backgroundColor')],"
        " current: [rgb(line, 'color'), rgb(line, 'backgroundColor')],"
        " panel: [rgb(line, 'color'), rgb(document.getElementById('transcript'), 'backgroundColor')]};"
        " line.classList.remove('current'); return out; })()"
    )
    for name, (fg, bg) in colours.items():
        assert _contrast(fg, bg) >= 4.5, f"{theme}: {name} text {fg} on {bg} is {_contrast(fg, bg):.2f}:1"
    focusable = browser.evaluate(
        "[...document.querySelectorAll('button, a[href], input, select, textarea')]"
        ".every(e => e.tabIndex >= 0)"
    )
    assert focusable
    unlabelled = browser.evaluate(
        "[...document.querySelectorAll('button, input, select, textarea, video')].filter(e =>"
        " !(e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || e.textContent.trim()"
        ' || (e.id && document.querySelector(`label[for="${e.id}"]`)))).map(e => e.outerHTML)'
    )
    assert unlabelled == []
