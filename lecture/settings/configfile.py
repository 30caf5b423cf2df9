"""Reading the settings files in config/: one error type, one reader, one key check.

Every message names the file and the key, so a typo in config/ is found at once.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

__all__ = ["ConfigError", "check_keys", "read_toml"]


class ConfigError(ValueError):
    """A settings file is missing, malformed or has a bad value; the message names file and key."""


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """The parsed TOML in ``path``; ``what`` names the file in errors ("theme file").

    Raises
    ------
    ConfigError
        If the file is missing, unreadable (a folder, say), not UTF-8 text or not valid TOML.
    """
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: {what} not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: {what} is a folder, not a file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the {what}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: {what} is not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def check_keys(path: Path, table: str, section: Mapping[str, object], expected: Iterable[str]) -> None:
    """Refuse a ``[table]`` that lacks one of the ``expected`` keys or has one more.

    Raises
    ------
    ConfigError
        Naming the file, the table and the missing or unknown keys.

    Examples
    --------
    >>> check_keys(Path("render.toml"), "gif", {"width": 720}, ["width", "fps"])
    Traceback (most recent call last):
    ...
    lecture.settings.configfile.ConfigError: render.toml: [gif] is missing fps
    """
    expected = set(expected)
    missing = sorted(expected - set(section))
    unknown = sorted(set(section) - expected)
    if missing:
        raise ConfigError(f"{path}: [{table}] is missing {', '.join(missing)}")
    if unknown:
        raise ConfigError(f"{path}: [{table}] has unknown key(s) {', '.join(unknown)}")
