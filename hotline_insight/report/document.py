"""The report document model: a report is sections of typed blocks, and nothing else.

A :class:`Report` holds :class:`Section` objects, each a list of blocks:
:class:`Heading`, :class:`Paragraph` (plain text with emphasis spans),
:class:`Figures` (headline numbers with their change), :class:`Table` (from a
DataFrame, with column formats and optional sparklines), charts
(:class:`Sparkline`, :class:`BarChart`, :class:`LineChart`, :class:`Heatmap`,
:class:`StackedBarChart`), :class:`Quote` (redacted evidence with its
interaction id), :class:`Recommendation` and :class:`Callout`.

Every text field is plain text. No block accepts HTML or Markdown from the
caller: renderers escape everything they write, so customer text containing
``<script>`` or ``[link](javascript:...)`` shows as those characters. Text is
normalised on the way in (line breaks to ``\\n``; control characters, which
no reader can see and XML forbids, to U+FFFD). Numbers are kept as numbers
and formatted only when rendered; a missing number (``None`` or NaN) is kept
as ``None`` and shown as a dash, never as a number; infinities are refused.

All models are pydantic v2, frozen, with unknown fields rejected. Invalid
input raises :class:`pydantic.ValidationError` (a ``ValueError``) whose
message carries the coded error (``[E1002] ...``).

Examples:
    >>> import datetime as dt
    >>> from hotline_insight.report import Paragraph, Report, Section, Table, strong
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"theme": ["Support fee", "Caller ID fee"], "n": [412, 57], "share": [0.31, 0.04]})
    >>> report = Report(
    ...     title="Quarterly insight report",
    ...     generated_at=dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC),
    ...     sections=[Section(id="summary", title="Summary", blocks=[
    ...         Paragraph.of("Support fees drove ", strong("31%"), " of grievances."),
    ...         Table.from_frame(frame, formats={"share": "percent"}, labels={"n": "Grievances"}),
    ...     ])],
    ... )
    >>> [c.format.kind for c in report.sections[0].blocks[1].columns]
    ['text', 'int', 'percent']
    >>> "<strong>31%</strong>" in report.to_html()
    True
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ..errors import ConfigError, Errors
from ..records import Channel
from ._escape import clean_text, one_line
from ._format import NUMBER_KINDS, format_number

if TYPE_CHECKING:
    import pandas as pd

    from ..grievances import Grievance

__all__ = [
    "BarChart",
    "Block",
    "Callout",
    "Chart",
    "Column",
    "Effect",
    "Figure",
    "Figures",
    "Format",
    "Heading",
    "Heatmap",
    "LineChart",
    "Marker",
    "Paragraph",
    "Quote",
    "Recommendation",
    "Report",
    "Section",
    "Series",
    "Span",
    "Sparkline",
    "StackedBarChart",
    "Table",
    "em",
    "strong",
]

MISSING = "\u2013"
"""What a missing number shows as (an en dash)."""


class _Model(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", use_attribute_docstrings=True, hide_input_in_errors=True
    )


# ---------------------------------------------------------------------------
# text and number field types
# ---------------------------------------------------------------------------


def _owner(info: ValidationInfo) -> str:
    return str((info.config or {}).get("title") or "report block")


def _text(value: str) -> str:
    return clean_text(value)


def _label(value: str, info: ValidationInfo) -> str:
    text = one_line(value)
    if not text:
        raise ValueError(
            Errors.E1001.format(
                name=info.field_name, owner=_owner(info), expected="a non-empty text", value=value[:20]
            )
        )
    return text


def _prose(value: str, info: ValidationInfo) -> str:
    text = "\n".join(line.strip() for line in clean_text(value).strip().split("\n"))
    if not text:
        raise ValueError(
            Errors.E1001.format(
                name=info.field_name, owner=_owner(info), expected="a non-empty text", value=value[:20]
            )
        )
    return text


Text = Annotated[str, AfterValidator(_text)]
"""Any text, kept as given apart from line-break and control-character normalisation."""
Label = Annotated[str, AfterValidator(_label)]
"""Non-empty text on one line (white space runs collapse to one space)."""
Prose = Annotated[str, AfterValidator(_prose)]
"""Non-empty text; line breaks are kept, each line is stripped."""


def _is_missing(value: Any) -> bool:
    """None, NaN (Python or NumPy), pandas NA or NaT; never true for a sequence."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if type(value).__name__ in ("NAType", "NaTType"):
        import pandas as pd

        return value is pd.NA or value is pd.NaT
    return False


def _to_number(
    value: Any, *, owner: str, name: str, index: int | str, allow_none: bool = True
) -> float | None:
    """A finite float, or None for a missing value; anything else is a coded error."""
    if _is_missing(value):
        if allow_none:
            return None
        raise ValueError(Errors.E1001.format(name=name, owner=owner, expected="a number", value=None))
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        shown = value if isinstance(value, bool) else f"a value of type {type(value).__name__}"
        raise ValueError(Errors.E1001.format(name=name, owner=owner, expected="a number", value=shown))
    number = float(value)
    if math.isnan(number):
        if allow_none:
            return None
        raise ValueError(Errors.E1001.format(name=name, owner=owner, expected="a number", value=value))
    if math.isinf(number):
        raise ValueError(Errors.E1003.format(owner=owner, name=name, index=index))
    return number


def _values(value: Any, info: ValidationInfo) -> tuple[float | None, ...]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise ValueError(
            Errors.E1001.format(
                name=info.field_name,
                owner=_owner(info),
                expected="a sequence of numbers",
                value=type(value).__name__,
            )
        )
    owner, name = _owner(info), str(info.field_name)
    return tuple(_to_number(v, owner=owner, name=name, index=i) for i, v in enumerate(value))


def _finite(value: Any, info: ValidationInfo) -> float:
    number = _to_number(value, owner=_owner(info), name=str(info.field_name), index=0, allow_none=False)
    assert number is not None
    return number


def _finite_or_none(value: Any, info: ValidationInfo) -> float | None:
    return _to_number(value, owner=_owner(info), name=str(info.field_name), index=0)


Values = Annotated[tuple[float | None, ...], BeforeValidator(_values)]
"""Numbers; ``None`` (or NaN on the way in) marks a missing value. Infinities are refused."""
Number = Annotated[float, BeforeValidator(_finite)]
"""A finite number."""
OptionalNumber = Annotated[float | None, BeforeValidator(_finite_or_none)]
"""A finite number, or ``None`` (NaN on the way in) when it is not available."""


# ---------------------------------------------------------------------------
# formats
# ---------------------------------------------------------------------------

FormatKind = Literal["text", "int", "float", "percent", "points", "pvalue", "money", "interval", "sparkline"]
NumberKind = Literal["int", "float", "percent", "points", "pvalue", "money"]
_FORMAT_KINDS: tuple[str, ...] = (
    "text",
    "int",
    "float",
    "percent",
    "points",
    "pvalue",
    "money",
    "interval",
    "sparkline",
)


_CURRENCY = re.compile(
    "[$\u00a2\u00a3\u00a5\u20ac\u20b9\u20a9\u20bd\u20ba\u20aa\u20ab\u0e3f\u20b4\u20a6\u20b1]|[A-Za-z]{1,3} ?"
)


class Format(_Model):
    """How a value is shown: a kind and its digits.

    A format can be written as a short string: ``"int"``, ``"percent"``,
    ``"percent:1"`` (one digit), ``"money:2"``, ``"interval:percent:1"``.

    ``percent`` and ``points`` take fractions (0.25 shows as 25% or 25.0 pp);
    ``pvalue`` shows values below ``10**-digits`` as ``< 0.001``; ``interval``
    shows a (low, high) pair with the bounds formatted as ``of``;
    ``sparkline`` draws a sequence of numbers as a small line.

    Examples:
        >>> Format.parse("percent:1").display(0.1234)
        '12.3%'
        >>> Format.parse("interval:percent").display((0.1, 0.25))
        '10.0% – 25.0%'
        >>> Format(kind="int").display(None)
        '–'
    """

    kind: FormatKind = "text"
    """One of text, int, float, percent, points, pvalue, money, interval, sparkline."""
    digits: int | None = Field(default=None, ge=0, le=6)
    """Digits after the decimal point; null for the kind's default (int 0, float 2, percent 1, points 1,
    pvalue 3, money 0)."""
    signed: bool = False
    """Whether positive numbers show a '+' (for changes)."""
    currency: str = Field(default="$", max_length=4)
    """Symbol written before money values."""
    of: NumberKind | None = None
    """For interval and sparkline columns: the number kind of the values (default float)."""

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if not _CURRENCY.fullmatch(value):
            raise ValueError(
                Errors.E1001.format(
                    name="currency",
                    owner="Format",
                    expected="a currency sign such as '$', '€' or '£', or one to three letters and an optional space",
                    value=value,
                )
            )
        return value

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        if isinstance(data, str):
            return cls._parse_fields(data)
        return data

    @staticmethod
    def _parse_fields(spec: str) -> dict[str, Any]:
        parts = spec.strip().split(":")
        expected = ", ".join(repr(k) for k in _FORMAT_KINDS)
        fields: dict[str, Any] = {"kind": parts[0]}
        rest = parts[1:]
        if parts[0] in ("interval", "sparkline") and rest and not rest[0].isdigit():
            fields["of"] = rest.pop(0)
        if parts[0] not in _FORMAT_KINDS or len(rest) > 1 or (rest and not rest[0].isdigit()):
            raise ValueError(Errors.E1007.format(value=spec, expected=expected))
        if fields.get("of") is not None and fields["of"] not in NUMBER_KINDS:
            raise ValueError(Errors.E1007.format(value=spec, expected=expected))
        if rest:
            digits = int(rest[0])
            if digits > 6:
                raise ValueError(Errors.E1007.format(value=spec, expected=expected))
            fields["digits"] = digits
        return fields

    @classmethod
    def parse(cls, spec: Format | str) -> Format:
        """A format from its short string (``"percent:1"``), or the format itself.

        Raises:
            ConfigError: the string names no format (E1007).
        """
        if isinstance(spec, Format):
            return spec
        if not isinstance(spec, str):
            raise ConfigError(
                Errors.E1007.format(value=type(spec).__name__, expected=", ".join(_FORMAT_KINDS))
            )
        try:
            fields = cls._parse_fields(spec)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        return cls(**fields)

    @property
    def is_number(self) -> bool:
        """Whether the kind is one of the plain number kinds."""
        return self.kind in NUMBER_KINDS

    @property
    def number_kind(self) -> str:
        """The number kind used to format single values (``of`` for intervals and sparklines)."""
        if self.kind in NUMBER_KINDS:
            return self.kind
        return self.of or "float"

    def number(self, value: float) -> str:
        """Format one finite number with this format's number kind."""
        return format_number(value, self.number_kind, self.digits, signed=self.signed, currency=self.currency)

    def display(self, value: Any) -> str:
        """The text a cell or figure with this format shows (``–`` when missing)."""
        if value is None:
            return MISSING
        if self.kind == "text":
            return str(value)
        if self.kind == "interval":
            low, high = value
            return f"{self._bound(low)} \u2013 {self._bound(high)}"
        if self.kind == "sparkline":
            present = [v for v in value if v is not None]
            return self.number(present[-1]) if present else MISSING
        return self.number(float(value))

    def _bound(self, value: float | None) -> str:
        return MISSING if value is None else self.number(value)


def _numeric_format(value: Format, info: ValidationInfo) -> Format:
    if not value.is_number:
        raise ValueError(
            Errors.E1001.format(
                name=info.field_name,
                owner=_owner(info),
                expected=f"a number format ({', '.join(NUMBER_KINDS)})",
                value=value.kind,
            )
        )
    return value


NumberFormat = Annotated[Format, AfterValidator(_numeric_format)]

_INT = Format(kind="int")
_PERCENT_CHANGE = Format(kind="percent", signed=True)


# ---------------------------------------------------------------------------
# text blocks
# ---------------------------------------------------------------------------


class Span(_Model):
    """A run of paragraph text, plain or emphasised."""

    text: Text
    """The text, shown literally."""
    style: Literal["plain", "em", "strong"] = "plain"
    """plain, em (italic) or strong (bold)."""


def em(text: str) -> Span:
    """An emphasised (italic) span for :meth:`Paragraph.of`.

    Examples:
        >>> em("after ninety days").style
        'em'
    """
    return Span(text=text, style="em")


def strong(text: str) -> Span:
    """A strong (bold) span for :meth:`Paragraph.of`.

    Examples:
        >>> strong("31%").style
        'strong'
    """
    return Span(text=text, style="strong")


def _spans(parts: Iterable[str | Span]) -> tuple[Span, ...]:
    return tuple(p if isinstance(p, Span) else Span(text=p) for p in parts)


def _check_spans(spans: tuple[Span, ...], owner: str) -> tuple[Span, ...]:
    if not spans or not "".join(s.text for s in spans).strip():
        raise ValueError(Errors.E1016.format(owner=owner, what="span of non-blank text"))
    return spans


class Heading(_Model):
    """A sub-heading inside a section (sections have their own titles)."""

    kind: Literal["heading"] = "heading"
    text: Label
    """The heading text."""
    level: Literal[3, 4] = 3
    """3 for a sub-heading, 4 for a minor heading (the report title is level 1, sections level 2)."""


class Paragraph(_Model):
    """Plain text with optional emphasis: a sequence of :class:`Span`.

    Examples:
        >>> Paragraph.of("Fees rose ", strong("12%"), ".").spans[1].text
        '12%'
        >>> Paragraph.of("one plain sentence").spans[0].style
        'plain'
    """

    kind: Literal["paragraph"] = "paragraph"
    spans: tuple[Span, ...]
    """The runs of text, in order; together they must hold some non-blank text."""

    @field_validator("spans")
    @classmethod
    def _not_blank(cls, spans: tuple[Span, ...]) -> tuple[Span, ...]:
        return _check_spans(spans, "Paragraph")

    @classmethod
    def of(cls, *parts: str | Span) -> Paragraph:
        """A paragraph from strings (plain) and spans (from :func:`em`, :func:`strong`)."""
        return cls(spans=_spans(parts))


class Callout(_Model):
    """A boxed note, warning or key finding.

    Examples:
        >>> Callout.of("Parse failures were 0.4%.", tone="note", title="Data quality").tone
        'note'
    """

    kind: Literal["callout"] = "callout"
    tone: Literal["note", "warning", "finding"] = "note"
    """note (neutral), warning (a caveat to read first) or finding (a key result)."""
    title: Label | None = None
    """An optional short title."""
    spans: tuple[Span, ...]
    """The callout text, as paragraph spans."""

    @field_validator("spans")
    @classmethod
    def _not_blank(cls, spans: tuple[Span, ...]) -> tuple[Span, ...]:
        return _check_spans(spans, "Callout")

    @classmethod
    def of(
        cls,
        *parts: str | Span,
        tone: Literal["note", "warning", "finding"] = "note",
        title: str | None = None,
    ) -> Callout:
        """A callout from strings and spans."""
        return cls(tone=tone, title=title, spans=_spans(parts))


# ---------------------------------------------------------------------------
# headline figures
# ---------------------------------------------------------------------------


class Figure(_Model):
    """One headline number, with its change from the previous period.

    ``direction`` is derived from the sign of ``change`` when left out
    (``up``, ``down``, ``flat``; null without a change). ``better`` says which
    direction is good news (``down`` for grievances), so renderers can mark
    the change as good or bad; null when neither is.

    Examples:
        >>> f = Figure(label="Grievances", value=1320, change=0.12, better="down")
        >>> f.direction, f.format.display(f.value), f.change_format.display(f.change)
        ('up', '1,320', '+12.0%')
    """

    label: Label
    """What the number is."""
    value: OptionalNumber
    """The number; null when it cannot be computed (shown as a dash)."""
    format: Format = _INT
    """How the value is shown (a number format)."""
    previous: OptionalNumber = None
    """The value in the previous period, if known."""
    change: OptionalNumber = None
    """The change from the previous period, in change_format's units (a fraction for percent)."""
    change_format: Format = _PERCENT_CHANGE
    """How the change is shown (default: percent); a change always shows its sign."""
    direction: Literal["up", "down", "flat"] | None = None
    """The direction of the change; derived from its sign when left out."""
    better: Literal["up", "down"] | None = None
    """Which direction is good news; null when neither is."""
    note: Prose | None = None
    """A short note (what is counted, a caveat)."""

    @model_validator(mode="after")
    def _check(self) -> Figure:
        for name in ("format", "change_format"):
            fmt = getattr(self, name)
            if not fmt.is_number:
                raise ValueError(
                    Errors.E1001.format(
                        name=name,
                        owner="Figure",
                        expected=f"a number format ({', '.join(NUMBER_KINDS)})",
                        value=fmt.kind,
                    )
                )
        if not self.change_format.signed:
            object.__setattr__(self, "change_format", self.change_format.model_copy(update={"signed": True}))
        derived = (
            None
            if self.change is None
            else ("up" if self.change > 0 else "down" if self.change < 0 else "flat")
        )
        if self.direction is None:
            object.__setattr__(self, "direction", derived)
        elif self.direction != derived:
            raise ValueError(
                Errors.E1015.format(
                    label=repr(self.label[:40]),
                    value=self.direction,
                    change=self.change,
                    expected=repr(derived) if derived else "no direction (there is no change)",
                )
            )
        return self


class Figures(_Model):
    """A row of headline figures."""

    kind: Literal["figures"] = "figures"
    items: tuple[Figure, ...]
    """The figures, in display order (at least one)."""

    @field_validator("items")
    @classmethod
    def _not_empty(cls, items: tuple[Figure, ...]) -> tuple[Figure, ...]:
        if not items:
            raise ValueError(Errors.E1016.format(owner="Figures", what="figure"))
        return items


# ---------------------------------------------------------------------------
# tables
# ---------------------------------------------------------------------------

Cell = StrictStr | StrictInt | StrictFloat | tuple[float | None, ...] | None
"""A table cell: text, a number, a (low, high) interval or a sparkline's values, or null if missing."""


class Column(_Model):
    """A table column: its key in the source frame, its header and its format."""

    key: Label
    """The column's name in the DataFrame it came from (stable, for machine readers)."""
    label: Label
    """The header shown to readers."""
    format: Format = Format()
    """How the column's cells are shown."""


def _cell(value: Any, fmt: Format, *, column: str, row: int) -> Any:
    """Normalise one cell for its column's format, or raise a coded error."""

    def bad(expected: str) -> ValueError:
        shown = repr(value) if isinstance(value, bool) else f"a value of type {type(value).__name__}"
        return ValueError(
            Errors.E1004.format(column=column, kind=fmt.kind, row=row, value=shown, expected=expected)
        )

    if _is_missing(value):
        return None
    owner = f"Table column {column!r}"
    if fmt.kind in ("interval", "sparkline"):
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
            raise bad("a (low, high) pair" if fmt.kind == "interval" else "a sequence of numbers")
        found = tuple(_to_number(v, owner=owner, name=f"row {row}", index=i) for i, v in enumerate(value))
        if fmt.kind == "interval":
            if len(found) != 2:
                raise bad("a (low, high) pair")
            low, high = found
            if low is not None and high is not None and low > high:
                raise bad("a (low, high) pair with low <= high")
        elif not found:
            raise bad("a non-empty sequence of numbers")
        return found
    if fmt.kind == "text":
        if not isinstance(value, str):
            raise bad("a str (or None)")
        return clean_text(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise bad("a number (or None)")
    number = _to_number(value, owner=owner, name=f"row {row}", index=0)
    if fmt.kind == "pvalue" and number is not None and not 0.0 <= number <= 1.0:
        raise bad("a p-value in [0, 1]")
    return int(value) if isinstance(value, numbers.Integral) else number


class Table(_Model):
    """A table of formatted values, usually built with :meth:`from_frame`.

    Cells are stored as values, not text: numbers stay numbers (formatted at
    render time by the column's :class:`Format`), intervals are (low, high)
    pairs and sparkline cells are sequences of numbers. ``None`` is a missing
    value, shown as a dash.

    Examples:
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"policy": ["Support fee"], "n": [412], "p": [0.0002],
        ...                       "lo": [0.21], "hi": [0.34], "trend": [[3, 40, 120, 412]]})
        >>> t = Table.from_frame(frame, formats={"p": "pvalue", "ci": "interval:percent:0"},
        ...                      intervals={"ci": ("lo", "hi")}, labels={"ci": "95% CI"})
        >>> [(c.key, c.format.kind) for c in t.columns]
        [('policy', 'text'), ('n', 'int'), ('p', 'pvalue'), ('ci', 'interval'), ('trend', 'sparkline')]
        >>> [c.format.display(v) for c, v in zip(t.columns, t.rows[0])]
        ['Support fee', '412', '< 0.001', '21% – 34%', '412']
    """

    kind: Literal["table"] = "table"
    columns: tuple[Column, ...]
    """The columns, in display order (at least one)."""
    rows: tuple[tuple[Cell, ...], ...]
    """The rows; each has one cell per column."""
    caption: Label | None = None
    """A caption shown above the table."""
    note: Prose | None = None
    """A note shown under the table (what is counted, sources)."""
    total_rows: int | None = Field(default=None, ge=0)
    """How many rows there were before the table was cut (for 'top 50 of 312'); null if not cut."""

    @field_validator("columns")
    @classmethod
    def _columns(cls, columns: tuple[Column, ...]) -> tuple[Column, ...]:
        if not columns:
            raise ValueError(Errors.E1016.format(owner="Table", what="column"))
        keys = [c.key for c in columns]
        for key in keys:
            if keys.count(key) > 1:
                raise ValueError(Errors.E1005.format(what="table column key", value=key))
        return columns

    @field_validator("rows", mode="before")
    @classmethod
    def _rows(cls, rows: Any, info: ValidationInfo) -> Any:
        columns = info.data.get("columns")
        if columns is None or isinstance(rows, str) or not isinstance(rows, Iterable):
            return rows
        out = []
        for r, row in enumerate(rows):
            cells = tuple(row) if isinstance(row, Iterable) and not isinstance(row, str) else (row,)
            if len(cells) != len(columns):
                raise ValueError(
                    Errors.E1002.format(
                        owner=f"Table row {r}",
                        got=len(cells),
                        what="cells",
                        expected=len(columns),
                        per="column",
                    )
                )
            out.append(
                tuple(_cell(v, c.format, column=c.key, row=r) for v, c in zip(cells, columns, strict=True))
            )
        return tuple(out)

    @model_validator(mode="after")
    def _total(self) -> Table:
        if self.total_rows is not None and self.total_rows < len(self.rows):
            raise ValueError(
                Errors.E1001.format(
                    name="total_rows",
                    owner="Table",
                    expected=f"at least the {len(self.rows)} rows shown",
                    value=self.total_rows,
                )
            )
        return self

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        columns: Sequence[str] | None = None,
        labels: Mapping[str, str] | None = None,
        formats: Mapping[str, Format | str] | None = None,
        intervals: Mapping[str, tuple[str, str]] | None = None,
        caption: str | None = None,
        note: str | None = None,
        max_rows: int | None = None,
        total_rows: int | None = None,
    ) -> Table:
        """A table from a DataFrame's columns (its index is not shown: ``reset_index()`` to keep it).

        Formats are inferred from the dtypes unless given: integers (also
        nullable ``Int64``) as ``int``, floats as ``float``, booleans as text
        (``yes``/``no``), datetimes as ISO dates (or date and time when any has
        a time), columns holding lists or arrays as ``sparkline``, everything
        else as text. Missing values (None, NaN, NA, NaT) become ``None``.

        Args:
            frame: the data.
            columns: the keys to show, in order; by default every frame column,
                with each interval in place of its low column and its high
                column dropped.
            labels: headers by key (default: the key).
            formats: formats by key, as :class:`Format` or short strings
                (``"percent:1"``, ``"interval:percent"``).
            intervals: new interval columns: key -> (low column, high column).
            caption: the caption shown above the table.
            note: the note shown under it.
            max_rows: show only the first rows (sort the frame first).
            total_rows: the number of rows before any cut; defaults to the
                frame's length when ``max_rows`` cut it.

        Returns:
            The table.

        Raises:
            ConfigError: a named column is not in the frame (E1008), or a
                format string is invalid (E1007).
        """
        labels = dict(labels or {})
        parsed = {k: Format.parse(v) for k, v in (formats or {}).items()}
        intervals = dict(intervals or {})
        available = [str(c) for c in frame.columns]
        for name in available:
            if available.count(name) > 1:
                raise ConfigError(Errors.E1005.format(what="DataFrame column name", value=name))
        by_name = dict(zip(available, frame.columns, strict=True))
        for key, bounds in intervals.items():
            for bound in bounds:
                if bound not in available:
                    raise ConfigError(
                        Errors.E1008.format(value=bound, param=f"intervals[{key!r}]", columns=available)
                    )
        if columns is None:
            consumed_high = {hi for _, hi in intervals.values()}
            low_to_key = {lo: key for key, (lo, _) in intervals.items()}
            keys = [low_to_key.get(c, c) for c in available if c not in consumed_high]
        else:
            keys = [str(c) for c in columns]
            for key in keys:
                if key not in available and key not in intervals:
                    raise ConfigError(Errors.E1008.format(value=key, param="columns", columns=available))
        for name, mapping in (("labels", labels), ("formats", parsed)):
            for key in mapping:
                if key not in keys:
                    raise ConfigError(Errors.E1008.format(value=key, param=name, columns=keys))
        shown = frame if max_rows is None else frame.iloc[: max(0, max_rows)]
        if total_rows is None and len(shown) < len(frame):
            total_rows = len(frame)
        cols: list[Column] = []
        data: list[list[Any]] = []
        for key in keys:
            if key in intervals:
                lo, hi = intervals[key]
                fmt = parsed.get(key) or Format(kind="interval")
                lows = _column_values(shown[by_name[lo]], Format(kind="float"), lo)
                highs = _column_values(shown[by_name[hi]], Format(kind="float"), hi)
                values = [
                    None if a is None and b is None else (a, b) for a, b in zip(lows, highs, strict=True)
                ]
            else:
                series = shown[by_name[key]]
                fmt = parsed.get(key) or _infer_format(series)
                values = _column_values(series, fmt, key)
            cols.append(Column(key=key, label=labels.get(key, key), format=fmt))
            data.append(values)
        rows = [tuple(col[i] for col in data) for i in range(len(shown))]
        return cls(columns=tuple(cols), rows=tuple(rows), caption=caption, note=note, total_rows=total_rows)


def _infer_format(series: pd.Series) -> Format:
    import pandas as pd

    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return Format(kind="text")
    if pd.api.types.is_integer_dtype(dtype):
        return Format(kind="int")
    if pd.api.types.is_float_dtype(dtype):
        return Format(kind="float")
    if pd.api.types.is_object_dtype(dtype):
        present = [v for v in series if isinstance(v, list | tuple) or hasattr(v, "__array__")]
        if present and len(present) == int(series.notna().sum()):
            integral = all(
                isinstance(x, numbers.Integral) and not isinstance(x, bool)
                for v in present
                for x in list(v)
                if x is not None
            )
            return Format(kind="sparkline", of="int" if integral else "float")
    return Format(kind="text")


def _column_values(series: pd.Series, fmt: Format, key: str) -> list[Any]:
    """The column's values as plain Python objects ready for :func:`_cell`."""
    import pandas as pd

    dtype = series.dtype
    if fmt.kind == "text":
        if pd.api.types.is_bool_dtype(dtype):
            return [None if _is_missing(v) else ("yes" if v else "no") for v in series]
        if pd.api.types.is_datetime64_any_dtype(dtype):
            stamps = pd.to_datetime(series)
            has_time = bool((stamps.dropna() != stamps.dropna().dt.normalize()).any())
            pattern = "%Y-%m-%d %H:%M" if has_time else "%Y-%m-%d"
            return [None if pd.isna(v) else v.strftime(pattern) for v in stamps]
        return [None if _is_scalar_missing(v) else _as_text(v) for v in series]
    if fmt.kind == "sparkline":
        out: list[Any] = []
        for v in series:
            if v is None or (
                not isinstance(v, list | tuple) and not hasattr(v, "__array__") and _is_scalar_missing(v)
            ):
                out.append(None)
            elif isinstance(v, list | tuple) or hasattr(v, "__array__"):
                out.append([x.item() if hasattr(x, "item") else x for x in list(v)])
            else:
                raise ConfigError(
                    Errors.E1019.format(
                        column=key,
                        reason=f"a value of type {type(v).__name__}",
                        expected="lists or arrays of numbers",
                    )
                )
        return out
    if fmt.kind in NUMBER_KINDS:
        if pd.api.types.is_bool_dtype(dtype) or not (
            pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_object_dtype(dtype)
        ):
            raise ConfigError(
                Errors.E1019.format(column=key, reason=f"its dtype is {dtype}", expected="a numeric column")
            )
        return [None if _is_scalar_missing(v) else (v.item() if hasattr(v, "item") else v) for v in series]
    return [v.item() if hasattr(v, "item") else v for v in series]


def _is_scalar_missing(value: Any) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float | int) or hasattr(value, "item"):
        return str(value.item() if hasattr(value, "item") else value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------------------
# charts
# ---------------------------------------------------------------------------


class _Chart(_Model):
    title: Label
    """The chart's title, drawn in the chart and used as its accessible name."""
    description: Prose | None = None
    """A text description for screen readers; generated from the data when left out."""
    caption: Prose | None = None
    """A caption shown under the chart (what is counted, sources)."""
    value_format: NumberFormat = _INT
    """How values are shown on the axis and in labels (a number format)."""


def _check_length(owner: str, got: int, expected: int, what: str, per: str) -> None:
    if got != expected:
        raise ValueError(Errors.E1002.format(owner=owner, got=got, what=what, expected=expected, per=per))


def _check_labels(owner: str, labels: tuple[str, ...], what: str) -> None:
    if not labels:
        raise ValueError(Errors.E1016.format(owner=owner, what=what))
    for label in labels:
        if labels.count(label) > 1:
            raise ValueError(Errors.E1005.format(what=f"{owner} {what}", value=label))


class Sparkline(_Chart):
    """A small trend line with its last value, for a number's recent history.

    Examples:
        >>> Sparkline(title="Support fee grievances", values=[0, 120, 300, 412]).values[-1]
        412.0
    """

    kind: Literal["sparkline"] = "sparkline"
    values: Values
    """The values, oldest first (at least one)."""

    @field_validator("values")
    @classmethod
    def _not_empty(cls, values: tuple[float | None, ...]) -> tuple[float | None, ...]:
        if not values:
            raise ValueError(Errors.E1016.format(owner="Sparkline", what="value"))
        return values


class BarChart(_Chart):
    """Horizontal bars, one per category, in the order given (sort before).

    Examples:
        >>> BarChart(title="Grievances by theme", categories=["Fees", "Waits"], values=[312, 210],
        ...          highlight=["Fees"]).highlight
        ('Fees',)
    """

    kind: Literal["bar"] = "bar"
    categories: tuple[Label, ...]
    """The category labels, top to bottom (unique)."""
    values: Values
    """One value per category (null: no data)."""
    highlight: tuple[Label, ...] = ()
    """Categories drawn in the accent colour (each must be one of the categories)."""
    x_label: Label | None = None
    """The title of the value axis."""

    @model_validator(mode="after")
    def _check(self) -> BarChart:
        _check_labels("BarChart", self.categories, "category")
        _check_length("BarChart", len(self.values), len(self.categories), "values", "category")
        for label in self.highlight:
            if label not in self.categories:
                raise ValueError(
                    Errors.E1001.format(
                        name="highlight", owner="BarChart", expected="one of the categories", value=label
                    )
                )
        return self


class Series(_Model):
    """One named series of values, for line and stacked bar charts."""

    name: Label
    """The series name, shown in the legend."""
    values: Values
    """One value per x position or category (null: no data, drawn as a gap)."""


class Marker(_Model):
    """A labelled vertical line on a line chart, such as the date a policy changed."""

    x: dt.date | str
    """Where: a date within the x range (time axis), or one of the x labels (category axis)."""
    label: Label
    """What happened there."""

    @field_validator("x", mode="before")
    @classmethod
    def _day(cls, value: Any) -> Any:
        return value.date() if isinstance(value, dt.datetime) else value


class LineChart(_Chart):
    """Lines over time or over ordered categories, with optional markers.

    ``x`` holds dates (a time axis: points are placed by date, and markers
    can fall between them) or labels such as quarters (evenly spaced).
    ``x_labels`` optionally names the points of a time axis (``"2026Q1"``).

    Examples:
        >>> import datetime as dt
        >>> chart = LineChart(title="Paper bill fee grievances",
        ...     x=[dt.date(2025, 7, 1), dt.date(2025, 10, 1), dt.date(2026, 1, 1), dt.date(2026, 4, 1)],
        ...     x_labels=["2025Q3", "2025Q4", "2026Q1", "2026Q2"],
        ...     series=[Series(name="Grievances", values=[18, 21, 19, 2])],
        ...     markers=[Marker(x=dt.date(2026, 4, 1), label="Fee withdrawn")])
        >>> chart.x_type
        'time'
    """

    kind: Literal["line"] = "line"
    x: tuple[dt.date | str, ...]
    """The x positions: dates in increasing order, or unique labels."""
    x_type: Literal["time", "category"] | None = None
    """time (x are dates) or category (x are labels); inferred from x when left out."""
    x_labels: tuple[Label, ...] | None = None
    """Labels shown for the x positions (default: the dates or the labels themselves)."""
    series: tuple[Series, ...]
    """The lines (at least one), each with one value per x position."""
    markers: tuple[Marker, ...] = ()
    """Vertical markers (policy changes, releases)."""
    y_label: Label | None = None
    """The title of the value axis."""

    @model_validator(mode="before")
    @classmethod
    def _infer_x_type(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and "x" in data:
            xs = data["x"]
            if isinstance(xs, Iterable) and not isinstance(xs, str):
                xs = [v.date() if isinstance(v, dt.datetime) else v for v in xs]
                x_type = data.get("x_type")
                if x_type is None:
                    x_type = "time" if xs and all(isinstance(v, dt.date) for v in xs) else "category"
                return {**data, "x": xs, "x_type": x_type}
        return data

    @model_validator(mode="after")
    def _check(self) -> LineChart:
        if not self.x:
            raise ValueError(Errors.E1016.format(owner="LineChart", what="x position"))
        if not self.series:
            raise ValueError(Errors.E1016.format(owner="LineChart", what="series"))
        xs: list[dt.date | str] = []
        for i, v in enumerate(self.x):
            if self.x_type == "time":
                if isinstance(v, dt.datetime):
                    v = v.date()
                elif isinstance(v, str):
                    text = v
                    try:
                        v = dt.date.fromisoformat(text)
                    except ValueError:
                        raise ValueError(
                            Errors.E1014.format(
                                expected="dates on a time axis", value=repr(text[:20]), index=i
                            )
                        ) from None
                if xs and not v > xs[-1]:  # type: ignore[operator]
                    raise ValueError(
                        Errors.E1014.format(expected="dates in increasing order", value=v, index=i)
                    )
            else:
                if not isinstance(v, str):
                    raise ValueError(
                        Errors.E1014.format(
                            expected="all dates or all labels", value=f"a {type(v).__name__}", index=i
                        )
                    )
                v = one_line(v)
                if not v or v in xs:
                    raise ValueError(
                        Errors.E1014.format(expected="unique, non-empty labels", value=repr(v), index=i)
                    )
            xs.append(v)
        object.__setattr__(self, "x", tuple(xs))
        if self.x_labels is not None:
            _check_length("LineChart", len(self.x_labels), len(xs), "x_labels", "x position")
        names = tuple(s.name for s in self.series)
        _check_labels("LineChart", names, "series name")
        for s in self.series:
            _check_length(f"LineChart series {s.name!r}", len(s.values), len(xs), "values", "x position")
        markers = []
        for m in self.markers:
            x = m.x
            if self.x_type == "time":
                if isinstance(x, dt.datetime):
                    x = x.date()
                if isinstance(x, str):
                    try:
                        x = dt.date.fromisoformat(x)
                    except ValueError:
                        x = None  # type: ignore[assignment]
                if not isinstance(x, dt.date) or not xs[0] <= x <= xs[-1]:  # type: ignore[operator]
                    raise ValueError(
                        Errors.E1013.format(
                            label=repr(m.label[:40]),
                            value=str(m.x),
                            low=xs[0],
                            high=xs[-1],
                            expected="a date in that range",
                        )
                    )
            elif not isinstance(x, str) or x not in xs:
                raise ValueError(
                    Errors.E1013.format(
                        label=repr(m.label[:40]),
                        value=str(m.x),
                        low=xs[0],
                        high=xs[-1],
                        expected="one of the x labels",
                    )
                )
            markers.append(m if x == m.x else m.model_copy(update={"x": x}))
        object.__setattr__(self, "markers", tuple(markers))
        return self


class Heatmap(_Chart):
    """A grid of values, such as grievances by product (rows) and theme (columns), with a colour legend.

    All values >= 0 use a sequential scale (light to dark); values on both
    sides of zero use a diverging scale centred on zero. Missing cells are grey.

    Examples:
        >>> Heatmap(title="Grievances by product and theme", rows=["Hub 5", "Fibre 100"],
        ...         columns=["Support fee", "Reboots"], values=[[120, 88], [95, None]]).values[1]
        (95.0, None)
    """

    kind: Literal["heatmap"] = "heatmap"
    rows: tuple[Label, ...]
    """Row labels (unique), top to bottom."""
    columns: tuple[Label, ...]
    """Column labels (unique), left to right."""
    values: tuple[Values, ...]
    """One tuple of values per row, one value per column (null: no data)."""
    legend_title: Label | None = None
    """The title of the colour legend (what the colour measures)."""

    @model_validator(mode="after")
    def _check(self) -> Heatmap:
        _check_labels("Heatmap", self.rows, "row")
        _check_labels("Heatmap", self.columns, "column")
        _check_length("Heatmap", len(self.values), len(self.rows), "rows of values", "row label")
        for label, row in zip(self.rows, self.values, strict=True):
            _check_length(f"Heatmap row {label!r}", len(row), len(self.columns), "values", "column")
        return self


class StackedBarChart(_Chart):
    """Vertical stacked bars: one bar per category (such as a quarter), one segment per series.

    Values must be >= 0; a missing value draws no segment.

    Examples:
        >>> StackedBarChart(title="Grievances by channel", categories=["2026Q2", "2026Q3"],
        ...     series=[Series(name="Calls", values=[40, 52]), Series(name="Tickets", values=[120, 98])]).categories
        ('2026Q2', '2026Q3')
    """

    kind: Literal["stacked_bar"] = "stacked_bar"
    categories: tuple[Label, ...]
    """The bars' labels (unique), left to right."""
    series: tuple[Series, ...]
    """The segments (at least one), bottom to top, each with one value per category."""
    y_label: Label | None = None
    """The title of the value axis."""

    @model_validator(mode="after")
    def _check(self) -> StackedBarChart:
        _check_labels("StackedBarChart", self.categories, "category")
        if not self.series:
            raise ValueError(Errors.E1016.format(owner="StackedBarChart", what="series"))
        _check_labels("StackedBarChart", tuple(s.name for s in self.series), "series name")
        for s in self.series:
            _check_length(
                f"StackedBarChart series {s.name!r}",
                len(s.values),
                len(self.categories),
                "values",
                "category",
            )
            for i, v in enumerate(s.values):
                if v is not None and v < 0:
                    raise ValueError(
                        Errors.E1017.format(
                            owner="StackedBarChart series",
                            name=s.name,
                            index=i,
                            reason="segments cannot be stacked below zero",
                        )
                    )
        return self


Chart = Sparkline | BarChart | LineChart | Heatmap | StackedBarChart
CHART_KINDS: tuple[str, ...] = ("sparkline", "bar", "line", "heatmap", "stacked_bar")


# ---------------------------------------------------------------------------
# evidence and recommendations
# ---------------------------------------------------------------------------


class Quote(_Model):
    """A redacted excerpt a customer wrote or said, with where it came from.

    Examples:
        >>> import datetime as dt
        >>> q = Quote(text="Why am I paying [MONEY] for support after 90 days?", interaction_id="ZD-1042",
        ...           channel="ticket", date=dt.date(2026, 8, 14), theme="Support fee after a period")
        >>> q.channel
        'ticket'
    """

    kind: Literal["quote"] = "quote"
    text: Prose
    """The excerpt: redacted text only (the report's PII guard redacts again when rendering)."""
    interaction_id: Label
    """The interaction it comes from; recommendations cite quotes by this id."""
    channel: Channel | None = None
    """call, chat, email, ticket or social."""
    date: dt.date | None = None
    """The day of the interaction."""
    theme: Label | None = None
    """The grievance theme the quote is evidence for."""
    product: Label | None = None
    """The product or policy it concerns, if one."""

    @classmethod
    def from_grievance(
        cls, grievance: Grievance, *, theme: str | None = None, product: str | None = None
    ) -> Quote:
        """A quote from a :class:`~hotline_insight.Grievance` (its redacted text, id, channel and day).

        Examples:
            >>> import datetime as dt
            >>> from hotline_insight import Grievance
            >>> g = Grievance(interaction_id="ZD-1042", turn_position=0, start_char=0, end_char=30,
            ...               text="I was charged [MONEY] for support", role="customer", channel="ticket",
            ...               created_at=dt.datetime(2026, 8, 14, 9, tzinfo=dt.UTC), themes=("fee_after_period",),
            ...               complaint_score=0.9)
            >>> Quote.from_grievance(g).theme, Quote.from_grievance(g).date
            ('fee_after_period', datetime.date(2026, 8, 14))
        """
        return cls(
            text=grievance.text,
            interaction_id=grievance.interaction_id,
            channel=grievance.channel,
            date=grievance.created_at.date() if grievance.created_at is not None else None,
            theme=theme if theme is not None else (grievance.themes[0] if grievance.themes else None),
            product=product,
        )


class Effect(_Model):
    """An expected effect of a recommendation, in numbers."""

    label: Label
    """What changes (such as 'fewer grievances a quarter')."""
    value: Number
    """By how much, in the format's units."""
    format: NumberFormat = _INT
    """How the value is shown."""


class Recommendation(_Model):
    """What to change first, on which product or policy, what it would change, and the evidence.

    Examples:
        >>> r = Recommendation(target_kind="policy", target_id="pol_tech_support_fee",
        ...     target_name="Technical support fee after 90 days", action="Waive the fee for premium customers.",
        ...     effects=[Effect(label="fewer grievances a quarter", value=-310)], evidence=["ZD-1042"])
        >>> r.effects[0].format.display(r.effects[0].value)
        '−310'
    """

    kind: Literal["recommendation"] = "recommendation"
    target_kind: Literal["product", "policy"]
    """Whether a product or a policy should change."""
    target_id: Label
    """The catalog id of the product or policy."""
    target_name: Label
    """Its name, for readers."""
    action: Prose
    """What to do."""
    rationale: Prose | None = None
    """Why, in a sentence or two."""
    effects: tuple[Effect, ...]
    """The expected effects, in numbers (at least one)."""
    evidence: tuple[Label, ...] = ()
    """Interaction ids of the quotes that support it."""

    @field_validator("effects")
    @classmethod
    def _not_empty(cls, effects: tuple[Effect, ...]) -> tuple[Effect, ...]:
        if not effects:
            raise ValueError(Errors.E1016.format(owner="Recommendation", what="expected effect"))
        return effects


Block = Annotated[
    Heading
    | Paragraph
    | Figures
    | Table
    | Sparkline
    | BarChart
    | LineChart
    | Heatmap
    | StackedBarChart
    | Quote
    | Recommendation
    | Callout,
    Field(discriminator="kind"),
]
"""Any block; ``kind`` says which."""


# ---------------------------------------------------------------------------
# sections and the report
# ---------------------------------------------------------------------------

_SECTION_ID = re.compile(r"[a-z][a-z0-9-]{0,63}")


class Section(_Model):
    """A titled part of the report, with its blocks in order.

    Examples:
        >>> Section(id="policy-scorecard", title="Policy scorecard", blocks=[Paragraph.of("...")]).id
        'policy-scorecard'
    """

    id: str
    """A stable id: lower-case letters, digits and hyphens, starting with a letter (used for links and file names)."""
    title: Label
    """The section title."""
    blocks: tuple[Block, ...]
    """The blocks, in order (at least one)."""

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _SECTION_ID.fullmatch(value):
            raise ValueError(Errors.E1006.format(value=value[:70]))
        return value

    @field_validator("blocks")
    @classmethod
    def _not_empty(cls, blocks: tuple[Any, ...]) -> tuple[Any, ...]:
        if not blocks:
            raise ValueError(Errors.E1016.format(owner="Section", what="block"))
        return blocks

    def charts(self) -> list[tuple[str, Chart]]:
        """The section's chart blocks with their ids (``<section id>-<n>``, n from 1), in order."""
        out: list[tuple[str, Chart]] = []
        for block in self.blocks:
            if isinstance(block, Sparkline | BarChart | LineChart | Heatmap | StackedBarChart):
                out.append((f"{self.id}-{len(out) + 1}", block))
        return out


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            Errors.E1001.format(
                name="generated_at",
                owner="Report",
                expected="a timezone-aware datetime",
                value=value.isoformat(),
            )
        )
    return value.astimezone(dt.UTC)


class Report(_Model):
    """A report: title, generation time and sections; renders to HTML, Markdown and JSON.

    Rendering runs :func:`hotline_insight.redact` over every text once more (a
    second line of defence: text should arrive redacted) and warns with
    ``W401`` when that changed anything. Output is deterministic: the same
    report gives the same bytes; ``generated_at`` (default: now, in UTC,
    whole seconds) is the only time written, once per file.

    Examples:
        >>> import datetime as dt
        >>> r = Report(title="Q3 report", generated_at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
        ...            sections=[Section(id="summary", title="Summary", blocks=[Paragraph.of("All quiet.")])])
        >>> r.to_html().count("2026-10-01 00:00 UTC")
        1
        >>> Report.from_json(r.to_json()) == r
        True
    """

    title: Label
    """The report title."""
    subtitle: Label | None = None
    """A subtitle (such as the period and the company)."""
    generated_at: Annotated[dt.datetime, AfterValidator(_utc)] = Field(default_factory=_now)
    """When the report was generated (timezone-aware; stored in UTC)."""
    sections: tuple[Section, ...]
    """The sections, in order (at least one; ids unique)."""

    @field_validator("sections")
    @classmethod
    def _sections(cls, sections: tuple[Section, ...]) -> tuple[Section, ...]:
        if not sections:
            raise ValueError(Errors.E1016.format(owner="Report", what="section"))
        seen: set[str] = set()
        for s in sections:
            if s.id in seen:
                raise ValueError(Errors.E1005.format(what="section id", value=s.id))
            seen.add(s.id)
        return sections

    # -- rendering ---------------------------------------------------------

    def to_html(self, *, fragment: bool = False) -> str:
        """The report as one self-contained HTML page (or, with ``fragment``, a ``<div>`` for embedding).

        The page has inline CSS and inline SVG charts, loads nothing, and
        carries a Content-Security-Policy that forbids scripts and every
        network request.
        """
        from .html import render_html

        return render_html(self, fragment=fragment)

    def to_markdown(self, *, assets: str = "report_files") -> str:
        """The report as Markdown; charts are linked as ``<assets>/<chart id>.svg`` (see :meth:`chart_files`)."""
        from .markdown import render_markdown

        return render_markdown(self, assets=assets)

    def chart_files(self) -> dict[str, str]:
        """Each chart as a standalone SVG document, by file name (``<chart id>.svg``)."""
        from .markdown import render_chart_files

        return render_chart_files(self)

    def to_json(self) -> str:
        """The report as JSON, valid against the shipped schema (:func:`hotline_insight.report.json_schema`)."""
        from .serialize import render_json

        return render_json(self)

    @classmethod
    def from_json(cls, source: str | Path) -> Report:
        """Read a report from JSON text or a ``.json`` file written by :meth:`to_json` or :meth:`write`."""
        from .serialize import read_json

        return read_json(source)

    def write(self, path: str | Path, *, format: Literal["html", "md", "json"] | None = None) -> Path:
        """Write the report; the format comes from the suffix (``.html``/``.htm``, ``.md``, ``.json``).

        Markdown charts go to a folder beside the file, named after it
        (``report.md`` -> ``report_files/``), linked relatively. Files are
        written whole or not at all (through a temporary file).

        Returns:
            The path written.

        Raises:
            ConfigError: the suffix names no known format (E1009).
            HotlineError: the file cannot be written (E1010).
        """
        from .serialize import write_report

        return write_report(self, Path(path), format=format)

    def _repr_html_(self) -> str:
        return self.to_html(fragment=True)
