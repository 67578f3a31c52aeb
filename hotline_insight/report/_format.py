"""Number formatting for tables, figures and chart axes, and "nice" axis ticks.

Every number a report shows is formatted here, with a fixed number of digits,
so that the same value always gives the same characters. Negative numbers use
the typographic minus sign (U+2212); a value that rounds to zero never shows a
sign. Missing values are formatted by the callers (as a dash), never here.

Examples:
    >>> format_number(1234567, "int")
    '1,234,567'
    >>> format_number(0.1234, "percent")
    '12.3%'
    >>> format_number(-0.042, "points", signed=True)
    '−4.2 pp'
    >>> format_number(0.0004, "pvalue")
    '< 0.001'
    >>> format_number(-1250.5, "money")
    '−$1,251'
    >>> nice_ticks(0, 87)
    [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

__all__ = ["DEFAULT_DIGITS", "MINUS", "NUMBER_KINDS", "format_number", "format_tick", "nice_ticks"]

MINUS: Final = "\u2212"

NUMBER_KINDS: Final = ("int", "float", "percent", "points", "pvalue", "money")
"""The numeric format kinds; ``percent`` and ``points`` take fractions (0.25 is 25%)."""

DEFAULT_DIGITS: Final = {"int": 0, "float": 2, "percent": 1, "points": 1, "pvalue": 3, "money": 0}


def _fixed(magnitude: float, digits: int, *, group: bool) -> str:
    """Round half away from zero on the shortest decimal form of the float (1250.5 -> 1251, 0.125 -> 0.13)."""
    rounded = Decimal(repr(magnitude)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f"{rounded:,.{digits}f}" if group else f"{rounded:.{digits}f}"


def format_number(
    value: float,
    kind: str,
    digits: int | None = None,
    *,
    signed: bool = False,
    currency: str = "$",
) -> str:
    """Format one finite number for display.

    Args:
        value: the number; must be finite (callers show missing values themselves).
        kind: one of :data:`NUMBER_KINDS`.
        digits: digits after the decimal point; ``None`` uses the kind's default
            (:data:`DEFAULT_DIGITS`). For ``pvalue`` values below ``10**-digits``
            show as ``< 0.001``.
        signed: write ``+`` before positive values (for changes).
        currency: the symbol written before ``money`` values.

    Returns:
        The formatted number.

    Examples:
        >>> format_number(3, "float", 1, signed=True)
        '+3.0'
        >>> format_number(-0.0001, "percent")
        '0.0%'
        >>> format_number(0.125, "float")
        '0.13'
    """
    if not math.isfinite(value):
        raise ValueError(f"format_number needs a finite number, got {value!r}")
    d = DEFAULT_DIGITS[kind] if digits is None else digits
    if kind == "pvalue":
        floor = 10.0**-d
        if value < floor:
            return f"< {floor:.{d}f}"
        return f"{value:.{d}f}"
    scaled = value * 100.0 if kind in ("percent", "points") else float(value)
    body = _fixed(abs(scaled), d, group=True)
    is_zero = body.strip("0.,") == ""
    sign = "" if is_zero else (MINUS if scaled < 0 else ("+" if signed else ""))
    if kind == "percent":
        return f"{sign}{body}%"
    if kind == "points":
        return f"{sign}{body} pp"
    if kind == "money":
        return f"{sign}{currency}{body}"
    return f"{sign}{body}"


def _compact(value: float, step: float) -> str:
    """Axis labels for large numbers: 12k, 1.5M; as many digits as the tick step needs."""
    for scale, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= scale or (value == 0 and step >= scale):
            digits = max(0, -math.floor(math.log10(step / scale) + 1e-9)) if step < scale else 0
            body = f"{abs(value) / scale:.{digits}f}"
            sign = MINUS if value < 0 and body.strip("0.") else ""
            return f"{sign}{body}{suffix}"
    return format_number(value, "float", max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0)


def format_tick(value: float, kind: str, step: float, *, currency: str = "$") -> str:
    """Format an axis tick: as few digits as the step between ticks needs; 10,000+ as 10k.

    Examples:
        >>> [format_tick(v, "int", 5000) for v in (0, 5000, 15000)]
        ['0', '5,000', '15k']
        >>> format_tick(0.25, "percent", 0.05)
        '25%'
        >>> format_tick(0.025, "percent", 0.005)
        '2.5%'
    """
    if kind in ("percent", "points"):
        digits = max(0, -math.floor(math.log10(step * 100.0) + 1e-9)) if step * 100.0 < 1 else 0
        return format_number(value, kind, digits).replace(" pp", "")
    if kind == "pvalue":
        digits = max(0, -math.floor(math.log10(step) + 1e-9))
        return f"{value:.{digits}f}"
    if abs(value) >= 10_000:
        text = _compact(value, step)
    else:
        digits = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0
        text = format_number(value, "float", digits)
    if kind == "money":
        return text.replace(MINUS, MINUS + currency) if text.startswith(MINUS) else currency + text
    return text


def nice_ticks(low: float, high: float, target: int = 5, *, integer: bool = False) -> list[float]:
    """Evenly spaced round tick values that cover ``[low, high]``.

    The step is 1, 2, 2.5 or 5 times a power of ten (1, 2 or 5 when
    ``integer``, and never below 1), chosen so that about ``target`` intervals
    cover the range. Ticks are computed as integer multiples of the step, so
    they carry no accumulated rounding error.

    Examples:
        >>> nice_ticks(0, 1)
        [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
        >>> nice_ticks(0, 3, integer=True)
        [0.0, 1.0, 2.0, 3.0]
        >>> nice_ticks(-12, 30)
        [-20.0, -10.0, 0.0, 10.0, 20.0, 30.0]
        >>> nice_ticks(5, 5)
        [4.0, 4.5, 5.0, 5.5, 6.0]
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"nice_ticks needs finite bounds, got {low!r}, {high!r}")
    if high < low:
        low, high = high, low
    if high - low <= 1e-9 * max(1.0, abs(low), abs(high)):
        pad = 1.0 if abs(low) < 1e-300 else 10 ** math.floor(math.log10(abs(low)))
        low, high = low - pad, high + pad
    raw = (high - low) / max(1, target)
    magnitude = 10 ** math.floor(math.log10(raw))
    multiples = (1.0, 2.0, 5.0, 10.0) if integer else (1.0, 2.0, 2.5, 5.0, 10.0)
    step = next(m * magnitude for m in multiples if m * magnitude >= raw * (1 - 1e-9))
    if integer:
        step = max(1.0, round(step))
    first = math.floor(low / step + 1e-9)
    last = max(math.ceil(high / step - 1e-9), first + 1)
    return [_tidy(i * step) for i in range(first, last + 1)]


def _tidy(x: float) -> float:
    """Drop binary noise such as 0.30000000000000004 and negative zero."""
    y = float(f"{x:.12g}")
    return 0.0 if y == 0 else y
