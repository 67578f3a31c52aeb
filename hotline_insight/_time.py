"""Timestamp parsing shared by every parser.

One function, :func:`parse_datetime`, turns what sources write (ISO 8601,
US ``MM/DD/YY``, epoch seconds/milliseconds/microseconds, ``datetime`` and
``date`` objects) into timezone-aware UTC datetimes. Naive values are placed
in the zone the caller names; nothing is guessed without being counted, so
the parse report can warn about it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ConfigError, Errors

__all__ = ["TimestampError", "get_zone", "parse_clock", "parse_datetime"]

EpochUnit = Literal["s", "ms", "us"]

# A plausible window for contact-centre records; anything outside is an error,
# not a record from the year 1970 or 2300.
_MIN = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
_MAX = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


class TimestampError(ValueError):
    """A value is not a valid or plausible timestamp."""


def get_zone(name: str | dt.tzinfo | None) -> dt.tzinfo | None:
    """Resolve an IANA zone name (or tzinfo) once; raise a coded error when unknown."""
    if name is None or isinstance(name, dt.tzinfo):
        return name
    if name.upper() in {"UTC", "Z", "GMT"}:
        return dt.UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(Errors.E108.format(value=name)) from exc


_US_DATE = re.compile(
    r"^(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{2}|\d{4})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d{1,6}))?)?\s*(?P<ampm>[AaPp][Mm])?)?$"
)
_NUMERIC = re.compile(r"^-?\d+(?:\.\d+)?$")


class NaiveCounter:
    """Counts naive values placed in the default zone, for the W101 warning."""

    def __init__(self) -> None:
        self.n = 0


def _check_range(value: dt.datetime, raw: object) -> dt.datetime:
    if not (_MIN <= value < _MAX):
        raise TimestampError(f"timestamp {raw!r} is outside 1980-2099")
    return value


def parse_datetime(
    value: object,
    *,
    tz: dt.tzinfo | None = None,
    unit: EpochUnit | None = None,
    naive: NaiveCounter | None = None,
) -> dt.datetime | None:
    """Parse one timestamp into an aware UTC datetime, or None for a missing value.

    Args:
        value: the source's value. ``None``, ``""``, ``"None"``, ``"null"``,
            ``"N/A"`` and NaN mean missing.
        tz: the zone for naive values. When None, naive values are read as UTC
            and counted in ``naive``, so the caller can warn.
        unit: epoch unit for numeric values. When None, the unit is inferred
            from the magnitude (seconds, milliseconds or microseconds).
        naive: a counter of naive values read without ``tz``.

    Raises:
        TimestampError: the value is not a timestamp, or not a plausible one.

    Examples:
        >>> parse_datetime("2026-03-01T10:00:00+01:00").isoformat()
        '2026-03-01T09:00:00+00:00'
        >>> parse_datetime("03/22/23").isoformat()
        '2023-03-22T00:00:00+00:00'
        >>> parse_datetime(1767225600000).isoformat()
        '2026-01-01T00:00:00+00:00'
    """
    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    if isinstance(value, bool):
        raise TimestampError(f"boolean {value!r} is not a timestamp")
    result: dt.datetime
    if isinstance(value, dt.datetime):
        result = value
    elif isinstance(value, dt.date):
        result = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, (int, float)):
        return _check_range(_from_epoch(float(value), unit), value)
    elif isinstance(value, str):
        text = value.strip()
        if text == "" or text.lower() in {"none", "null", "nan", "nat", "n/a", "na"}:
            return None
        if _NUMERIC.match(text):
            return _check_range(_from_epoch(float(text), unit), value)
        result = _parse_text(text)
    else:
        # pandas Timestamp and numpy datetime64 expose to_pydatetime / item
        to_py = getattr(value, "to_pydatetime", None)
        if to_py is None:
            raise TimestampError(f"{type(value).__name__} is not a timestamp")
        result = to_py()
        if result != result:  # NaT
            return None
    if result.tzinfo is None or result.utcoffset() is None:
        if tz is None:
            if naive is not None:
                naive.n += 1
            result = result.replace(tzinfo=dt.UTC)
        elif isinstance(tz, ZoneInfo):
            result = result.replace(tzinfo=tz)
        else:
            result = result.replace(tzinfo=tz)
    return _check_range(result.astimezone(dt.UTC), value)


def _from_epoch(number: float, unit: EpochUnit | None) -> dt.datetime:
    if unit is None:
        magnitude = abs(number)
        unit = "s" if magnitude < 1e11 else "ms" if magnitude < 1e14 else "us"
    divisor = {"s": 1.0, "ms": 1e3, "us": 1e6}[unit]
    try:
        return dt.datetime.fromtimestamp(number / divisor, tz=dt.UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise TimestampError(f"epoch value {number!r} is out of range") from exc


def _parse_text(text: str) -> dt.datetime:
    match = _US_DATE.match(text)
    if match:
        year = int(match["y"])
        if year < 100:
            year += 2000 if year < 70 else 1900
        hour = int(match["H"] or 0)
        if match["ampm"]:
            if not 1 <= hour <= 12:
                raise TimestampError(f"hour {hour} is not valid with AM/PM in {text!r}")
            hour = hour % 12 + (12 if match["ampm"].lower() == "pm" else 0)
        try:
            return dt.datetime(
                year,
                int(match["m"]),
                int(match["d"]),
                hour,
                int(match["M"] or 0),
                int(match["S"] or 0),
                int((match["f"] or "0").ljust(6, "0")),
            )
        except ValueError as exc:
            raise TimestampError(f"impossible date {text!r}: {exc}") from exc
    candidate = text
    if candidate.endswith(("Z", "z")):
        candidate = candidate[:-1] + "+00:00"
    candidate = re.sub(r"\s+(UTC|GMT)$", "+00:00", candidate)
    # fromisoformat in 3.11 accepts most ISO 8601 forms; normalise a few others.
    candidate = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", candidate)  # +0100
    candidate = re.sub(r"\s+([+-]\d{2}:\d{2})$", r"\1", candidate)  # '... +01:00'
    try:
        return dt.datetime.fromisoformat(candidate)
    except ValueError:
        pass
    for fmt in ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d", "%d %b %Y %H:%M:%S", "%d %b %Y", "%b %d, %Y"):
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise TimestampError(f"unrecognised timestamp {text!r}")


_CLOCK = re.compile(r"^(?:(?:(?P<h>\d+):)?(?P<m>\d{1,2}):)?(?P<s>\d{1,2})(?:[.,](?P<f>\d{1,6}))?$")


def parse_clock(text: str) -> float:
    """Parse an offset such as ``01:02:03.500``, ``02:03,5`` or ``3`` into seconds.

    Examples:
        >>> parse_clock("01:02:03.500")
        3723.5
        >>> parse_clock("02:03,25")
        123.25
    """
    match = _CLOCK.match(text.strip())
    if not match:
        raise TimestampError(f"unrecognised time offset {text!r}")
    hours = int(match["h"] or 0)
    minutes = int(match["m"] or 0)
    seconds = int(match["s"])
    if match["m"] is not None and (minutes >= 60 or seconds >= 60):
        raise TimestampError(f"impossible time offset {text!r}")
    fraction = float("0." + match["f"]) if match["f"] else 0.0
    return hours * 3600 + minutes * 60 + seconds + fraction
