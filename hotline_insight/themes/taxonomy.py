"""Grievance themes and frustration facets: the taxonomy the matchers look for.

A :class:`Theme` is what a grievance is about (a support fee, a call-back
that never came, a wrong bill); a :class:`Facet` is how it feels (loss of
control, vulnerability, stress, feeling victimised). Both are described by
cues: spaCy ``Matcher`` token patterns and plain phrases, each with a weight,
plus example sentences that must fire the cue set and negative examples that
must not.

The built-in taxonomy (:meth:`Taxonomy.default`) ships as ``taxonomy.yaml``
(themes) and ``facets.yaml`` (facets) in this package. A user file can add
themes, replace a theme by id, or remove themes, laid over the built-in one::

    extends: default            # lay this file over the built-in taxonomy
    remove: [privacy]           # theme ids to drop (remove_facets: for facets)
    themes:
      - id: roaming_charges     # new id: added at the end
        name: Roaming charges
        description: Charges for using the phone abroad.
        negatable: true         # "no roaming charges" does not fire
        phrases: [roaming charge, charged for roaming]
        patterns:
          - [{LEMMA: charge}, {LOWER: abroad}]
          - {pattern: [{LOWER: roaming}], weight: 0.5}
        examples: [I was charged 40 dollars in roaming charges in Spain.]
      - id: refund              # existing id: replaces the built-in theme
        ...

The words ``no``, ``on``, ``off``, ``yes`` and ``y`` are read as text, not
booleans (YAML 1.2), so they need no quotes in patterns.

Token patterns use spaCy's ``Matcher`` syntax. ``LEMMA`` and ``LOWER`` values
are matched case-insensitively on every inflection the English lemma table
knows (``{LEMMA: charge}`` matches "Charged", "CHARGES", "charging"), so the
matchers work on a blank pipeline and on sentence-initial or shouted words.
Phrases are matched the same way word by word (``phrase_attr: LEMMA``, the
default: "charge for support" also matches "charging for support"; pronouns,
articles, prepositions and negations are kept as written) or exactly, case
aside (``phrase_attr: LOWER``).

Examples:
    >>> from hotline_insight.themes import Taxonomy
    >>> taxonomy = Taxonomy.default()
    >>> taxonomy.theme("support_fee_after_period").name
    'Support fee after an initial period'
    >>> [f.id for f in taxonomy.facets]
    ['loss_of_control', 'vulnerability', 'stress', 'victimised']
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NoReturn

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .._yaml import (
    TEXT_SOURCE,
    Problem,
    Problems,
    SafeLoader,
    describe_error,
    dump,
    field_path,
    find_duplicate_key,
    locate,
    plain,
    preview,
    read_source,
    yaml_reason,
)
from ..errors import ConfigError, Errors

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CuePattern", "CuePhrase", "Facet", "Taxonomy", "Theme"]

_DICT_SOURCE = "<dict>"
_MAX_LISTED = 5
_ID = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
# Matcher attributes whose string values the matchers compare in lower case
_LOWER_ATTRS = ("LOWER",)

PhraseAttr = Literal["LOWER", "LEMMA"]


class _Loader(SafeLoader):
    """YAML 1.2 booleans: only true/false, so the cue words no, on, off, yes and y stay text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


# -- located problems -------------------------------------------------------------


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


# -- cues -------------------------------------------------------------------------


def _pattern_problems(pattern: tuple[Mapping[str, Any], ...]) -> list[Problem]:
    """spaCy's own schema check of a token pattern, plus lower-case ``LOWER`` values."""
    from spacy.schemas import validate_token_pattern

    problems: list[Problem] = []
    seen: set[tuple[str | int, ...]] = set()
    for message in validate_token_pattern([dict(spec) for spec in pattern]):
        match = re.match(r"\[pattern -> (\d+)((?: -> .*?)?)\] (.*)", message)
        if match is None:
            problems.append(Problem((), message))
            continue
        parts = [p for p in match.group(2).split(" -> ") if p]
        # keep the keys a user wrote (LOWER, IN, OP), not pydantic's type names
        keys = [p for p in parts if re.fullmatch(r"[A-Z_]+|_", p)]
        loc: tuple[str | int, ...] = (int(match.group(1)), *keys[:2])
        if loc in seen:  # one message per place: unions repeat themselves
            continue
        seen.add(loc)
        problems.append(Problem(loc, match.group(3)))
    if problems:
        return problems
    for index, spec in enumerate(pattern):
        for attr in _LOWER_ATTRS:
            value = spec.get(attr)
            values = value.get("IN", []) + value.get("NOT_IN", []) if isinstance(value, dict) else [value]
            for item in values:
                if isinstance(item, str) and item != item.lower():
                    problems.append(
                        Problem(
                            (index, attr), f"{attr} values are compared in lower case; write {item.lower()!r}"
                        )
                    )
    return problems


class CuePattern(_Entry):
    """A spaCy ``Matcher`` token pattern and the weight of a match.

    In YAML a pattern is written as the list of token specs, or as a mapping
    with ``pattern`` and ``weight`` (default 1.0, in (0, 1]).

    Examples:
        >>> cue = CuePattern(pattern=[{"LEMMA": "charge"}, {"LOWER": "twice"}])
        >>> cue.weight, len(cue.pattern)
        (1.0, 2)
        >>> CuePattern(pattern=[{"LOWRE": "x"}])
        Traceback (most recent call last):
        ...
        pydantic_core._pydantic_core.ValidationError: 1 validation error for CuePattern
        ...
    """

    pattern: tuple[dict[str, Any], ...] = Field(min_length=1)
    weight: float = Field(default=1.0, gt=0, le=1)

    @field_validator("pattern")
    @classmethod
    def _valid_pattern(cls, value: tuple[dict[str, Any], ...]) -> tuple[dict[str, Any], ...]:
        problems = _pattern_problems(value)
        if problems:
            raise Problems(problems)
        return value


class CuePhrase(_Entry):
    """A phrase and the weight of a match.

    ``attr`` says how it is matched: ``"LEMMA"`` (every inflection of each
    content word), ``"LOWER"`` (as written, case aside), or None for the
    cue set's ``phrase_attr``. In YAML a phrase is a string, or a mapping with
    ``phrase``, ``attr`` and ``weight``.

    Examples:
        >>> CuePhrase(phrase="  support   fee ").phrase
        'support fee'
    """

    phrase: str = Field(min_length=1)
    attr: PhraseAttr | None = None
    weight: float = Field(default=1.0, gt=0, le=1)

    @field_validator("phrase")
    @classmethod
    def _collapse_space(cls, value: str) -> str:
        return " ".join(value.split())


def _short_forms(value: object, key: str) -> object:
    """Accept a bare list (pattern) or string (phrase) for the mapping form."""
    if isinstance(value, list | tuple):
        return [{key: item} if not isinstance(item, Mapping) else item for item in value]
    return value


def _clean_texts(values: tuple[str, ...], field: str) -> tuple[str, ...]:
    out: list[str] = []
    for index, value in enumerate(values):
        text = " ".join(value.split())
        if not text:
            raise ValueError(f"{field}[{index}] is empty; remove it or write the sentence")
        out.append(text)
    return tuple(out)


class _CueSet(_Entry):
    """Shared fields of themes and facets."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    description: str = Field(min_length=1)
    negatable: bool = False
    phrase_attr: PhraseAttr = "LEMMA"
    patterns: tuple[CuePattern, ...] = ()
    phrases: tuple[CuePhrase, ...] = ()
    examples: tuple[str, ...] = ()
    negative_examples: tuple[str, ...] = ()

    @field_validator("id")
    @classmethod
    def _snake_case(cls, value: str) -> str:
        if not _ID.fullmatch(value):
            raise ValueError(
                f"ids are snake_case (lower-case letters, digits and single underscores, "
                f"starting with a letter); got {value!r}"
            )
        return value

    @field_validator("patterns", mode="before")
    @classmethod
    def _pattern_forms(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            # a bare token pattern is a list of mappings; a mapping item is the long form
            return [{"pattern": item} if isinstance(item, list | tuple) else item for item in value]
        return value

    @field_validator("phrases", mode="before")
    @classmethod
    def _phrase_forms(cls, value: object) -> object:
        return _short_forms(value, "phrase") if isinstance(value, list | tuple) else value

    @field_validator("examples", "negative_examples")
    @classmethod
    def _texts(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        return _clean_texts(value, str(info.field_name))

    @model_validator(mode="after")
    def _has_cues(self) -> _CueSet:
        if not self.patterns and not self.phrases:
            raise ValueError(f"{self.id!r} has no cues: give it 'patterns' and/or 'phrases'")
        return self

    @property
    def n_cues(self) -> int:
        """The number of patterns and phrases."""
        return len(self.patterns) + len(self.phrases)


class Theme(_CueSet):
    """A grievance theme: what a complaint is about, and the cues that show it.

    ``negatable`` themes do not fire when a negation comes right before the
    cue ("no hidden fees", "wasn't charged"); themes whose complaint is itself
    a negation ("no refund", "can't log in") leave it False.

    Examples:
        >>> theme = Theme(
        ...     id="roaming_charges", name="Roaming charges",
        ...     description="Charges for using the phone abroad.",
        ...     phrases=["roaming charge"], examples=["Why are there roaming charges on my bill?"],
        ... )
        >>> theme.phrases[0].phrase, theme.phrase_attr
        ('roaming charge', 'LEMMA')
        >>> Theme(id="Roaming", name="R", description="d", phrases=["x"])
        Traceback (most recent call last):
        ...
        pydantic_core._pydantic_core.ValidationError: 1 validation error for Theme
        ...
    """


class Facet(_CueSet):
    """A frustration facet: how a complaint feels (loss of control, stress, ...), and its cues.

    Examples:
        >>> Facet(id="stress", name="Stress", description="d", phrases=["stressed out"]).n_cues
        1
    """


# -- the taxonomy -------------------------------------------------------------------


def _duplicate_problems(field: str, kind: str, entries: tuple[_CueSet, ...]) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        if entry.id in seen:
            problems.append(
                Problem(
                    (field, index, "id"),
                    f"duplicate {kind} id {entry.id!r} (first used by {field}[{seen[entry.id]}])",
                )
            )
        else:
            seen[entry.id] = index
    return problems


class Taxonomy(_Entry):
    """Grievance themes and frustration facets, in the order reports list them.

    Build it with :meth:`default`, :meth:`from_yaml` or :meth:`from_dict`; use
    it with the ``hotline_themes`` and ``hotline_facets`` spaCy components.

    Examples:
        >>> taxonomy = Taxonomy.from_yaml('''
        ... themes:
        ...   - id: roaming_charges
        ...     name: Roaming charges
        ...     description: Charges for using the phone abroad.
        ...     phrases: [roaming charge]
        ... ''')
        >>> [t.id for t in taxonomy.themes], taxonomy.facets
        (['roaming_charges'], ())
    """

    themes: tuple[Theme, ...] = ()
    facets: tuple[Facet, ...] = ()

    _theme_index: dict[str, Theme] = PrivateAttr(default_factory=dict)
    _facet_index: dict[str, Facet] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _unique_ids(self) -> Taxonomy:
        problems = _duplicate_problems("themes", "theme", self.themes)
        problems += _duplicate_problems("facets", "facet", self.facets)
        if problems:
            raise Problems(problems)
        return self

    def model_post_init(self, context: Any, /) -> None:
        self._theme_index = {t.id: t for t in self.themes}
        self._facet_index = {f.id: f for f in self.facets}

    # -- construction ------------------------------------------------------------

    @classmethod
    def default(cls) -> Taxonomy:
        """The built-in taxonomy (``taxonomy.yaml`` and ``facets.yaml``), loaded once.

        Examples:
            >>> taxonomy = Taxonomy.default()
            >>> len(taxonomy.themes) >= 18, taxonomy is Taxonomy.default()
            (True, True)
        """
        return _default_taxonomy()

    @classmethod
    def from_yaml(cls, path_or_text: str | os.PathLike[str], *, base: Taxonomy | None = None) -> Taxonomy:
        """Load a taxonomy from a YAML file, or from YAML text.

        A ``Path`` is always a file. A string is read as YAML text when it has
        a line break, and as a path when it names an existing file or ends in
        ``.yaml``/``.yml``; otherwise it is YAML text.

        The file has ``themes`` and/or ``facets``, and may lay itself over a
        base taxonomy: ``extends: default`` (or ``base=``) takes the base's
        themes and facets, replaces those whose id the file defines again
        (keeping their place), appends new ones, and drops the ids listed
        under ``remove`` (themes) and ``remove_facets``.

        Args:
            path_or_text: The file, or the YAML itself.
            base: The taxonomy to lay this one over; overrides ``extends``.

        Returns:
            The validated taxonomy.

        Raises:
            ConfigError: E702 when the file can't be read or isn't valid YAML
                (with the line of the syntax error); E701 naming the line and
                field of each invalid value, unknown key, missing field,
                repeated id or unknown id to remove. Several problems come in
                one error (E704) that lists the first five.

        Examples:
            >>> taxonomy = Taxonomy.from_yaml('''
            ... extends: default
            ... remove: [privacy]
            ... themes:
            ...   - {id: roaming_charges, name: Roaming charges, description: d, phrases: [roaming charge]}
            ... ''')
            >>> [t.id for t in taxonomy.themes][-1], "privacy" in [t.id for t in taxonomy.themes]
            ('roaming_charges', False)
            >>> Taxonomy.from_yaml('''
            ... themes:
            ...   - id: roaming_charges
            ...     name: Roaming charges
            ...     description: d
            ...     patterns: [[{LOWRE: roaming}]]
            ... ''')
            Traceback (most recent call last):
            ...
            hotline_insight.errors.ConfigError: [E701] Invalid taxonomy <string>, line 6, field 'themes[0].patterns[0][0].LOWRE': ...
        """
        source, text = read_source(path_or_text, error=Errors.E702)
        try:
            loader = _Loader(text)
            try:
                root = loader.get_single_node()
                duplicate = find_duplicate_key(root)
                if duplicate is not None:
                    loc, line = duplicate
                    raise ConfigError(
                        Errors.E701.format(
                            source=source,
                            line=line,
                            field=field_path(loc),
                            reason=f"the key {loc[-1]!r} appears twice in the same mapping",
                        )
                    )
                data = loader.construct_document(root) if root is not None else None
            finally:
                loader.dispose()
        except yaml.YAMLError as exc:
            raise ConfigError(Errors.E702.format(source=source, reason=yaml_reason(exc))) from None
        if data is None:
            raise ConfigError(
                Errors.E702.format(
                    source=source, reason="it is empty; expected a mapping with 'themes' and/or 'facets'"
                )
            )
        return _load(data, source=source, root=root, base=base)

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, source: str = _DICT_SOURCE, base: Taxonomy | None = None
    ) -> Taxonomy:
        """Build a taxonomy from a mapping laid out like the YAML file.

        Args:
            data: A mapping with ``themes``, ``facets`` and optionally
                ``extends``, ``remove`` and ``remove_facets``.
            source: The name errors give for where the data came from.
            base: The taxonomy to lay this one over; overrides ``extends``.

        Raises:
            ConfigError: E703 naming the field of each problem (E704 for several).

        Examples:
            >>> Taxonomy.from_dict({"themes": [{"id": "x", "name": "X", "description": "d"}]})
            Traceback (most recent call last):
            ...
            hotline_insight.errors.ConfigError: [E703] Invalid taxonomy <dict>, field 'themes[0]': 'x' has no cues: give it 'patterns' and/or 'phrases'
        """
        return _load(data, source=source, root=None, base=base)

    def merge(
        self,
        other: Taxonomy,
        *,
        remove: tuple[str, ...] | list[str] = (),
        remove_facets: tuple[str, ...] | list[str] = (),
    ) -> Taxonomy:
        """This taxonomy with ``other`` laid over it: ``base.merge(user)``.

        A theme (facet) of ``other`` replaces the one with the same id as a
        whole, keeping the base's position; new ones follow in their order.
        ``remove``/``remove_facets`` ids are dropped from this taxonomy first.

        Raises:
            KeyError: E705 when an id to remove is not in this taxonomy.

        Examples:
            >>> base = Taxonomy.default()
            >>> user = Taxonomy.from_dict(
            ...     {"themes": [{"id": "refund", "name": "Refunds", "description": "d", "phrases": ["refund"]}]}
            ... )
            >>> merged = base.merge(user, remove=["privacy"])
            >>> merged.theme("refund").name, len(merged.themes) == len(base.themes) - 1
            ('Refunds', True)
        """
        for kind, ids, index in (
            ("theme", remove, self._theme_index),
            ("facet", remove_facets, self._facet_index),
        ):
            for id in ids:
                if id not in index:
                    raise KeyError(Errors.E705.format(kind=kind, value=id, expected=preview(index)))

        def overlay(base: tuple[Any, ...], top: tuple[Any, ...], dropped: set[str]) -> list[Any]:
            replacements = {e.id: e for e in top}
            merged = [replacements.pop(e.id, e) for e in base if e.id not in dropped]
            return merged + [e for e in top if e.id in replacements]

        return type(self)(
            themes=tuple(overlay(self.themes, other.themes, set(remove))),
            facets=tuple(overlay(self.facets, other.facets, set(remove_facets))),
        )

    # -- conversion ----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The taxonomy as plain data in the YAML layout, leaving out default fields.

        Patterns and phrases with the default weight and attr are written in
        their short form (a list of token specs, a string).

        Examples:
            >>> Taxonomy.from_dict(
            ...     {"facets": [{"id": "stress", "name": "Stress", "description": "d", "phrases": ["stressed"]}]}
            ... ).to_dict()
            {'facets': [{'id': 'stress', 'name': 'Stress', 'description': 'd', 'phrases': ['stressed']}]}
        """
        data: dict[str, Any] = {}
        for field in ("themes", "facets"):
            entries = [_entry_dict(entry) for entry in getattr(self, field)]
            if entries:
                data[field] = entries
        return data

    def to_yaml(self) -> str:
        """The taxonomy as YAML text that :meth:`from_yaml` reads back into an equal taxonomy.

        Examples:
            >>> taxonomy = Taxonomy.default()
            >>> Taxonomy.from_yaml(taxonomy.to_yaml()) == taxonomy
            True
        """
        return dump(self.to_dict())

    # -- look-ups -------------------------------------------------------------------

    def theme(self, id: str) -> Theme:
        """The theme with this id.

        Raises:
            KeyError: E705 when there is no such theme.

        Examples:
            >>> Taxonomy.default().theme("refund").negatable
            False
            >>> Taxonomy.default().theme("refunds")
            Traceback (most recent call last):
            ...
            KeyError: "[E705] The taxonomy has no theme with id 'refunds'. Known theme ids: ..."
        """
        try:
            return self._theme_index[id]
        except KeyError:
            raise KeyError(
                Errors.E705.format(kind="theme", value=id, expected=preview(self._theme_index))
            ) from None

    def facet(self, id: str) -> Facet:
        """The facet with this id.

        Raises:
            KeyError: E705 when there is no such facet.

        Examples:
            >>> Taxonomy.default().facet("stress").name
            'Stress'
        """
        try:
            return self._facet_index[id]
        except KeyError:
            raise KeyError(
                Errors.E705.format(kind="facet", value=id, expected=preview(self._facet_index))
            ) from None

    def themes_frame(self) -> pd.DataFrame:
        """One row per theme, in taxonomy order.

        Columns: ``theme_id``, ``name``, ``description`` (string); ``negatable``
        (bool); ``n_patterns``, ``n_phrases``, ``n_examples`` (int); ``examples``
        (list of str).

        Examples:
            >>> frame = Taxonomy.default().themes_frame()
            >>> list(frame.columns[:3]), frame["theme_id"].iloc[0]
            (['theme_id', 'name', 'description'], 'support_fee_after_period')
        """
        return _frame("theme_id", self.themes)

    def facets_frame(self) -> pd.DataFrame:
        """One row per facet, with the columns of :meth:`themes_frame` (``facet_id`` first).

        Examples:
            >>> Taxonomy.default().facets_frame()["facet_id"].tolist()
            ['loss_of_control', 'vulnerability', 'stress', 'victimised']
        """
        return _frame("facet_id", self.facets)


def _entry_dict(entry: _CueSet) -> dict[str, Any]:
    data: dict[str, Any] = plain(entry.model_dump(mode="python", exclude_defaults=True))
    if entry.patterns:
        data["patterns"] = [
            plain(list(p.pattern))
            if p.weight == 1.0
            else {"pattern": plain(list(p.pattern)), "weight": p.weight}
            for p in entry.patterns
        ]
    if entry.phrases:
        data["phrases"] = [
            p.phrase if p.weight == 1.0 and p.attr is None else plain(p.model_dump(exclude_defaults=True))
            for p in entry.phrases
        ]
    order = (
        "id",
        "name",
        "description",
        "negatable",
        "phrase_attr",
        "phrases",
        "patterns",
        "examples",
        "negative_examples",
    )
    return {key: data[key] for key in order if key in data}


def _frame(id_column: str, entries: tuple[_CueSet, ...]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(
        {
            id_column: pd.Series([e.id for e in entries], dtype="string"),
            "name": pd.Series([e.name for e in entries], dtype="string"),
            "description": pd.Series([e.description for e in entries], dtype="string"),
            "negatable": pd.Series([e.negatable for e in entries], dtype="bool"),
            "n_patterns": pd.Series([len(e.patterns) for e in entries], dtype="int64"),
            "n_phrases": pd.Series([len(e.phrases) for e in entries], dtype="int64"),
            "n_examples": pd.Series([len(e.examples) for e in entries], dtype="int64"),
            "examples": pd.Series([list(e.examples) for e in entries], dtype="object"),
        }
    )


# -- loading ----------------------------------------------------------------------------


class _TaxonomyFile(_Entry):
    """What a taxonomy YAML file holds (before it is laid over a base)."""

    extends: Literal["default"] | None = None
    remove: tuple[str, ...] = ()
    remove_facets: tuple[str, ...] = ()
    themes: tuple[Theme, ...] = ()
    facets: tuple[Facet, ...] = ()

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> _TaxonomyFile:
        problems = _duplicate_problems("themes", "theme", self.themes)
        problems += _duplicate_problems("facets", "facet", self.facets)
        context = info.context if isinstance(info.context, Mapping) else {}
        base: Taxonomy | None = context.get("base")
        if base is None and self.extends == "default":
            base = Taxonomy.default()
        for field, kind, entries, known in (
            ("remove", "theme", self.themes, [t.id for t in base.themes] if base else []),
            ("remove_facets", "facet", self.facets, [f.id for f in base.facets] if base else []),
        ):
            removed: tuple[str, ...] = getattr(self, field)
            defined = {e.id for e in entries}
            for index, id in enumerate(removed):
                if base is None:
                    reason = (
                        f"there is no base taxonomy to remove {kind} {id!r} from; add 'extends: default' "
                        "or pass base="
                    )
                elif id not in known:
                    close = difflib.get_close_matches(id, known, n=1)
                    hint = f"did you mean {close[0]!r}?" if close else f"known {kind} ids: {preview(known)}"
                    reason = f"unknown {kind} id {id!r}; {hint}"
                elif id in defined:
                    reason = f"{kind} {id!r} is both removed and defined in this file; keep one"
                else:
                    continue
                problems.append(Problem((field, index), reason))
        if problems:
            raise Problems(problems)
        return self


_MODEL_FOR: dict[str, type[BaseModel]] = {"themes": Theme, "facets": Facet}
_SHORT_KEYS = {"patterns": "pattern", "phrases": "phrase"}


def _allowed_keys(loc: tuple[str | int, ...]) -> list[str]:
    parent = loc[:-1]
    if not parent:
        return list(_TaxonomyFile.model_fields)
    if len(parent) == 2 and parent[0] in _MODEL_FOR:
        return list(_MODEL_FOR[str(parent[0])].model_fields)
    if len(parent) == 4 and parent[0] in _MODEL_FOR and parent[2] in _SHORT_KEYS:
        return list((CuePattern if parent[2] == "patterns" else CuePhrase).model_fields)
    return []


def _file_loc(root: yaml.Node | None, loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Drop the ``pattern``/``phrase`` keys that a short-form entry does not write."""
    if root is None:
        return loc
    out: list[str | int] = []
    node: yaml.Node | None = root
    for position, part in enumerate(loc):
        previous = loc[position - 2] if position >= 2 else None
        if (
            isinstance(part, str)
            and previous in _SHORT_KEYS
            and part == _SHORT_KEYS[str(previous)]
            and not isinstance(node, yaml.MappingNode)
        ):
            continue
        out.append(part)
        node = locate(root, tuple(out))[1]
    return tuple(out)


def _message(source: str, root: yaml.Node | None, loc: tuple[str | int, ...], reason: str) -> tuple[int, str]:
    loc = _file_loc(root, loc)
    if root is None:
        return 0, Errors.E703.format(source=source, field=field_path(loc), reason=reason)
    line = locate(root, loc)[0]
    return line, Errors.E701.format(source=source, line=line, field=field_path(loc), reason=reason)


def _messages(exc: ValidationError, *, source: str, root: yaml.Node | None) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        problems = error.get("ctx", {}).get("error")
        if isinstance(problems, Problems):
            found.extend(_message(source, root, (*loc, *p.loc), p.reason) for p in problems.problems)
            continue
        node = locate(root, _file_loc(root, loc))[1] if root is not None else None
        found.append(_message(source, root, loc, describe_error(error, node, _allowed_keys(loc))))
    found.sort(key=lambda item: item[0])
    return found


def _raise_problems(messages: list[tuple[int, str]], source: str) -> NoReturn:
    if len(messages) == 1:
        raise ConfigError(messages[0][1]) from None
    listing = "\n".join(f"  {message}" for _, message in messages[:_MAX_LISTED])
    if len(messages) > _MAX_LISTED:
        listing += f"\n  ... and {len(messages) - _MAX_LISTED} more"
    raise ConfigError(Errors.E704.format(n_problems=len(messages), source=source, listing=listing)) from None


def _load(data: object, *, source: str, root: yaml.Node | None, base: Taxonomy | None) -> Taxonomy:
    if not isinstance(data, Mapping):
        problem = f"expected a mapping with 'themes' and/or 'facets', got {type(data).__name__}"
        if isinstance(data, str) and source == TEXT_SOURCE and "\n" not in data.strip():
            problem += "; if this was meant as a path, no such file exists"
        _raise_problems([_message(source, root, (), problem)], source)
    try:
        spec = _TaxonomyFile.model_validate(data, context={"base": base})
    except ValidationError as exc:
        _raise_problems(_messages(exc, source=source, root=root), source)
    if base is None and spec.extends == "default":
        base = Taxonomy.default()
    top = Taxonomy(themes=spec.themes, facets=spec.facets)
    if base is None:
        return top
    return base.merge(top, remove=spec.remove, remove_facets=spec.remove_facets)


@functools.cache
def _default_taxonomy() -> Taxonomy:
    here = Path(__file__).resolve().parent
    themes = Taxonomy.from_yaml(here / "taxonomy.yaml")
    facets = Taxonomy.from_yaml(here / "facets.yaml")
    return Taxonomy(themes=themes.themes, facets=facets.facets)
