// The lecture page: chapters, an interactive transcript, keys, downloads, and the presenter mode.
// Its data is window.LECTURE (lecture-data.js beside this file, written by lecture/assemble/page.py).
// Captions and chapters are given to the player as text tracks made from that data, so they work
// opened from disk too (Chromium does not load a <track> file from file://).
"use strict";
(() => {
  const D = window.LECTURE;
  const $ = (id) => document.getElementById(id);
  const video = $("player");
  const frame = 1 / (D.fps || 30);
  const clock = (s) => {
    s = Math.max(0, Math.floor(s));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = String(s % 60).padStart(2, "0");
    return h ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
  };
  const el = (tag, props = {}, ...children) => {
    const node = Object.assign(document.createElement(tag), props);
    for (const child of children) node.append(child);
    return node;
  };

  document.title = D.title;
  $("title").textContent = D.title;

  // --- theme -------------------------------------------------------------------------------------
  const setTheme = (name) => {
    document.documentElement.dataset.theme = name;
    const other = name === "dark" ? "light" : "dark";
    $("theme-toggle").textContent = `${other[0].toUpperCase()}${other.slice(1)} theme`;
    $("theme-toggle").setAttribute("aria-pressed", String(name === "light"));
  };
  setTheme(D.theme === "light" ? "light" : "dark");
  $("theme-toggle").addEventListener("click", () =>
    setTheme(document.documentElement.dataset.theme === "dark" ? "light" : "dark"));

  // --- text tracks ---------------------------------------------------------------------------------
  const captions = video.addTextTrack("captions", "English", "en");
  for (const cue of D.cues) captions.addCue(new VTTCue(cue.start, cue.end, cue.text));
  captions.mode = "showing";
  const chaptersTrack = video.addTextTrack("chapters", "Chapters", "en");
  for (const c of D.chapters) chaptersTrack.addCue(new VTTCue(c.start, c.end, c.title));
  chaptersTrack.mode = "hidden";
  const setCaptions = (on) => {
    captions.mode = on ? "showing" : "hidden";
    $("captions-toggle").textContent = on ? "Captions on" : "Captions off";
    $("captions-toggle").setAttribute("aria-pressed", String(on));
  };
  $("captions-toggle").addEventListener("click", () => setCaptions(captions.mode !== "showing"));

  const seek = (t) => { video.currentTime = Math.min(Math.max(0, t), D.duration); };

  // --- chapters ------------------------------------------------------------------------------------
  const chapterItems = D.chapters.map((c, i) => {
    const button = el("button", { type: "button" }, el("span", { textContent: `${c.title}` }),
      el("span", { className: "time", textContent: clock(c.start) }));
    button.dataset.start = String(c.start);
    button.setAttribute("aria-label", `Chapter ${i + 1}: ${c.title}, at ${clock(c.start)}`);
    button.addEventListener("click", () => seek(c.start));
    const item = el("li", {}, button);
    $("chapters").append(item);
    return item;
  });

  // --- transcript ----------------------------------------------------------------------------------
  const transcript = $("transcript");
  const headings = D.chapters.map((c) => el("h3", { textContent: c.title }));
  const lines = D.cues.map((cue) => {
    const line = el("button", { type: "button", className: "line" },
      el("span", { className: "time", textContent: clock(cue.start) }), cue.text);
    line.dataset.start = String(cue.start);
    line.dataset.end = String(cue.end);
    line.setAttribute("role", "listitem");
    line.addEventListener("click", () => seek(cue.start));
    return line;
  });
  D.chapters.forEach((_, i) => {
    transcript.append(headings[i]);
    D.cues.forEach((cue, j) => { if (cue.chapter === i) transcript.append(lines[j]); });
  });
  $("search").addEventListener("input", (event) => {
    const query = event.target.value.trim().toLowerCase();
    lines.forEach((line, j) => { line.hidden = Boolean(query) && !D.cues[j].text.toLowerCase().includes(query); });
    headings.forEach((h, i) => {
      h.hidden = D.cues.every((cue, j) => cue.chapter !== i || lines[j].hidden);
    });
  });

  let shownCue = -1, shownChapter = -1;
  const follow = () => {
    const t = video.currentTime;
    $("now").textContent = `${clock(t)} / ${clock(D.duration)}`;
    const cue = D.cues.findIndex((c) => c.start <= t && t < c.end);
    if (cue !== shownCue) {
      if (shownCue >= 0) { lines[shownCue].classList.remove("current"); lines[shownCue].removeAttribute("aria-current"); }
      if (cue >= 0) {
        const line = lines[cue];
        line.classList.add("current");
        line.setAttribute("aria-current", "true");
        // Kept in view inside the transcript's own scroll box (the page itself does not move).
        const top = line.offsetTop - transcript.offsetTop;
        if (top < transcript.scrollTop || top + line.offsetHeight > transcript.scrollTop + transcript.clientHeight) {
          transcript.scrollTop = top - transcript.clientHeight / 3;
        }
      }
      shownCue = cue;
    }
    const chapter = D.chapters.findIndex((c) => c.start <= t && t < c.end);
    if (chapter !== shownChapter) {
      chapterItems.forEach((item, i) => item.classList.toggle("current", i === chapter));
      shownChapter = chapter;
    }
  };
  video.addEventListener("timeupdate", follow);
  video.addEventListener("seeked", follow);

  $("speed").addEventListener("change", (event) => { video.playbackRate = Number(event.target.value); });

  // --- downloads and embed -----------------------------------------------------------------------
  D.chapters.forEach((c) => {
    const cell = (href, text) => el("td", {}, href ? el("a", { href, textContent: text, download: "" }) : "—");
    $("downloads").append(el("tr", {}, el("th", { scope: "row", textContent: c.title }),
      cell(c.mp4, "MP4"), cell(c.vtt, "VTT"), cell(c.png, "PNG")));
  });
  $("embed").value = [
    `<video controls preload="metadata" width="854" poster="${D.poster}" src="${D.video}">`,
    `  <track kind="captions" src="${D.captions}" srclang="en" label="English" default>`,
    `  <track kind="chapters" src="${D.chapters_vtt}" srclang="en" label="Chapters">`,
    `</video>`,
  ].join("\n");
  $("copy-embed").addEventListener("click", async () => {
    const text = $("embed").value;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      $("embed").select();
      document.execCommand("copy");
    }
    $("copied").textContent = "Copied.";
  });

  // --- beats: the keys on the page, and the presenter mode -----------------------------------------
  const beats = D.beats;
  const nextBeatStart = (t) => beats.find((b) => b.start > t + frame / 2);
  const previousBeatStart = (t) => [...beats].reverse().find((b) => b.start < t - 0.5);

  const presenter = {
    active: false,
    current: -1,      // the beat on screen (playing, or held on its last frame)
    stopAt: null,     // where the playing beat ends
    startedAt: null,  // wall clock of the first beat played, for the elapsed time
    holds: 0,         // how many times a beat was held (for the tests)
  };

  const hold = () => {
    const end = presenter.stopAt;
    presenter.stopAt = null;
    video.pause();
    // On the beat's last frame: half a frame before its end, whatever frame playback had reached.
    video.currentTime = Math.max(0, end - frame / 2);
    presenter.holds += 1;
    showSpeaker();
  };
  const watchFrames = () => {
    if (presenter.stopAt === null) return;
    if ("requestVideoFrameCallback" in video) {
      video.requestVideoFrameCallback((now, meta) => {
        if (presenter.stopAt === null) return;
        // This frame is the beat's last one (or past it): stop here.
        if (meta.mediaTime >= presenter.stopAt - frame * 1.5) hold(); else watchFrames();
      });
    }
  };
  video.addEventListener("timeupdate", () => {  // a second check, for browsers without frame callbacks
    if (presenter.stopAt !== null && video.currentTime >= presenter.stopAt - frame / 2) hold();
  });

  const playBeat = (i) => {
    if (!beats.length) return;
    i = Math.min(Math.max(0, i), beats.length - 1);
    const beat = beats[i];
    const from = presenter.current === i - 1 && presenter.stopAt === null && Math.abs(video.currentTime - (beats[i - 1]?.end ?? 0)) < frame
      ? video.currentTime : beat.start;  // straight on from the held beat: nothing in between is skipped
    presenter.current = i;
    presenter.stopAt = beat.end;
    if (presenter.startedAt === null) presenter.startedAt = performance.now();
    video.currentTime = from;
    showSpeaker();
    const playing = video.play();
    if (playing) playing.catch(() => {});
    watchFrames();
  };
  const next = () => playBeat(presenter.current + 1);
  const previous = () => playBeat(presenter.current - 1);
  const replay = () => playBeat(Math.max(0, presenter.current));

  const showSpeaker = () => {
    const i = presenter.current, beat = beats[i], after = beats[i + 1];
    $("slide-index").textContent = String(i + 1);
    $("slide-total").textContent = String(beats.length);
    $("slide-chapter").textContent = beat ? D.chapters[beat.chapter].title : "press → to start";
    $("current-caption").textContent = beat ? beat.caption : "";
    $("next-caption").textContent = after ? after.caption : "(the end)";
  };
  setInterval(() => {
    if (presenter.startedAt !== null) $("elapsed").textContent = clock((performance.now() - presenter.startedAt) / 1000);
  }, 250);

  const setMode = () => {
    presenter.active = location.hash === "#present";
    document.body.classList.toggle("presenting", presenter.active);
    $("speaker").hidden = !presenter.active;
    $("present-link").hidden = presenter.active;
    $("watch-link").hidden = !presenter.active;
    if (presenter.active) {
      document.activeElement?.blur();  // a focused button would take the clicker's space bar as a click
      showSpeaker();
    }
  };
  window.addEventListener("hashchange", setMode);
  setMode();

  const toggleFullScreen = () => {
    if (document.fullscreenElement) document.exitFullscreen();
    else (presenter.active ? document.documentElement : video).requestFullscreen?.();
  };

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key;
    let handled = true;
    if (presenter.active !== (location.hash === "#present")) setMode();  // a hash set just now: hashchange comes later
    if (presenter.active && (key === "ArrowRight" || key === " " || key === "PageDown")) next();
    else if (presenter.active && (key === "ArrowLeft" || key === "PageUp")) previous();
    else if (presenter.active && key === "r") replay();
    else if (key === " " && !(target instanceof HTMLButtonElement)) { if (video.paused) video.play(); else video.pause(); }
    else if (key === "ArrowRight" && target !== video) { const b = nextBeatStart(video.currentTime); if (b) seek(b.start); }
    else if (key === "ArrowLeft" && target !== video) { const b = previousBeatStart(video.currentTime); seek(b ? b.start : 0); }
    else if (key === "c") setCaptions(captions.mode !== "showing");
    else if (key === "f") toggleFullScreen();
    else handled = false;
    if (handled) event.preventDefault();
  });

  // For tests and for anyone scripting the page.
  window.lecturePage = { video, beats, presenter, next, previous, replay, seek };
})();
