"""Reading YAML files (configs, campaign and experiment specs): plain data only, one-line errors.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "run.yaml"
>>> _ = path.write_text("name: demo")
>>> read_yaml_mapping(path)
{'name': 'demo'}
>>> non_plain({"a": [1, b"x"]})
('a.1', b'x')
"""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml

from clusterkit.errors import ConfigError, did_you_mean

__all__ = ["non_plain", "read_yaml_mapping", "validation_message"]


def non_plain(value, where: str = "", dates: bool = False) -> tuple[str, object] | None:
    """The first value that is not plain YAML data (a date, bytes, a set …), with its key.

    ``dates=True`` lets dates and datetimes through (campaign specs have windows).
    """
    if value is None or isinstance(value, str | bool | int | float):
        return None
    if dates and isinstance(value, datetime.date):
        return None
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str | int | float | bool) and k is not None:
                return where or "<top level>", k
            hit = non_plain(v, f"{where}.{k}" if where else str(k), dates)
            if hit:
                return hit
        return None
    if isinstance(value, list):
        for i, v in enumerate(value):
            hit = non_plain(v, f"{where}.{i}" if where else str(i), dates)
            if hit:
                return hit
        return None
    return where or "<top level>", value


def read_yaml_mapping(path, *, dates: bool = True) -> dict:
    """Read a YAML file whose top level is a mapping of plain values; one-line ConfigErrors.

    Refused: a missing or unreadable path (a directory), bytes that are not UTF-8, invalid
    YAML, a top level that is not a mapping, and values that are not plain data
    (``!!binary``, ``!!set``; dates too with ``dates=False``, as in a run config): quote
    them to make them strings.
    """
    source = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8")
        raw = yaml.safe_load(text) or {}
    except FileNotFoundError:
        raise ConfigError(f"config file {source!r} not found.") from None
    except IsADirectoryError:
        raise ConfigError(f"config {source!r} is a folder; give a YAML file.") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{source}: not UTF-8 text (byte {exc.start}); save the config as "
                          "UTF-8.") from None
    except OSError as exc:
        raise ConfigError(f"config file {source!r} cannot be read: "
                          f"{exc.strerror or exc}.") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: the top level must be a mapping of keys to values.")
    bad = non_plain(raw, dates=dates)
    if bad:
        key, value = bad
        raise ConfigError(
            f"{source}: {key}: {type(value).__name__} value {str(value)[:40]!r} is not plain "
            "data (strings, numbers, true/false, lists, mappings); quote it to make it a "
            "string.")
    return raw


def validation_message(exc, source: str, root) -> str:
    """A pydantic ``ValidationError`` of the mapping read from ``source`` as one line: its
    first error; for an unknown key, a "did you mean" and the keys valid there (``root``:
    the model that was validated, walked down the error's location)."""
    from pydantic import BaseModel

    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    if err["type"] == "extra_forbidden":
        key = str(err["loc"][-1])
        parent = root
        for part in err["loc"][:-1]:
            field = parent.model_fields.get(str(part)) if isinstance(parent, type) else None
            ann = getattr(field, "annotation", None)
            parent = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
        valid = list(parent.model_fields) if parent else []
        return (f"{source}: unknown key {loc!r}.{did_you_mean(key, valid)} Valid keys here: "
                f"{', '.join(valid)}.")
    return f"{source}: {loc}: {err['msg']} (got {err.get('input')!r})."
