"""Products and policies: what grievances are linked to.

A company describes its products (with the aliases and SKUs customers and
systems use for them) and its policies (with the phrases that signal them and
the dates they were in effect) in a YAML file. :class:`Catalog` loads it,
checks it, and reports every problem with the file, line and field so it can
be fixed in one go.

The YAML layout::

    company: Acme Telecom            # optional
    products:
      - id: fibre-500                # unique among products
        name: Fibre 500
        aliases: [fiber 500, fibre500, "500 meg"]
        skus: [FB-500]
        family: broadband
        launched_at: 2023-01-15      # optional, YYYY-MM-DD
        discontinued_at: null        # optional
        description: ...             # optional
        meta: {owner: broadband-team}  # optional, free-form
    policies:
      - id: support-fee-90d          # unique among policies
        name: Paid support after 90 days
        description: ...
        phrases: [support fee, charged for support, "90 days"]
        effective_from: 2025-04-01
        effective_to: null           # optional, not before effective_from
        products: [fibre-500]        # product ids from this catalog
        themes: [support_fee_after_period]  # optional: grievance themes it causes
        meta: {}

Examples:
    >>> from hotline_insight.catalog import Catalog
    >>> catalog = Catalog.from_yaml('''
    ... company: Acme Telecom
    ... products:
    ...   - {id: fibre-500, name: Fibre 500, aliases: [fiber 500, " 500  meg "]}
    ... policies:
    ...   - id: support-fee-90d
    ...     name: Paid support after 90 days
    ...     phrases: [support fee, charged for support]
    ...     effective_from: 2025-04-01
    ...     products: [fibre-500]
    ... ''')
    >>> catalog.product("fibre-500").aliases
    ('fiber 500', '500 meg')
    >>> catalog.policy("support-fee-90d").effective_from
    datetime.date(2025, 4, 1)
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ._yaml import (
    Problem,
    Problems,
    SafeDumper,
    SafeLoader,
    describe_error,
    field_path,
    find_duplicate_key,
    line_of,
    locate,
    plain,
    preview,
    read_source,
    yaml_reason,
)
from .errors import ConfigError, Errors, scrub

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Catalog", "Policy", "Product"]

_MAX_LISTED = 5
_TEXT_SOURCE = "<string>"
_DICT_SOURCE = "<dict>"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# -- field types ----------------------------------------------------------------


def _to_date(value: object) -> object:
    """Accept ``datetime.date`` or a ``YYYY-MM-DD`` string; reject everything else.

    Pydantic's lax mode would read an integer as a Unix timestamp, so
    ``effective_from: 20250401`` would silently become a day in 1970.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        raise ValueError(f"expected a date written YYYY-MM-DD, got a date and time {value.isoformat()!r}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if _ISO_DATE.fullmatch(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError as exc:
                raise ValueError(f"{text!r} is not a valid date ({exc})") from None
    raise ValueError(f"expected a date written YYYY-MM-DD, got {scrub(value, mask_digits=False)}")


_Date = Annotated[dt.date | None, BeforeValidator(_to_date)]


def _clean_terms(values: tuple[str, ...], field: str, *, fold_case: bool) -> tuple[str, ...]:
    """Collapse whitespace, reject empty terms, drop repeats (case-insensitively if ``fold_case``)."""
    seen: set[str] = set()
    out: list[str] = []
    for index, value in enumerate(values):
        term = " ".join(value.split())
        if not term:
            raise ValueError(f"{field}[{index}] is empty; remove it or write the term")
        key = term.casefold() if fold_case else term
        if key not in seen:
            seen.add(key)
            out.append(term)
    return tuple(out)


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


# -- records --------------------------------------------------------------------


class Product(_Entry):
    """A product or service grievances can be linked to.

    ``aliases`` are the other names customers and systems use for it; they are
    normalised (surrounding and repeated whitespace removed, case-insensitive
    repeats dropped) but keep the case they were written in, as does ``name``.
    ``skus`` are stripped and de-duplicated.

    Examples:
        >>> product = Product(id="fibre-500", name="Fibre 500", aliases=("fiber  500", "Fiber 500", "500 meg"))
        >>> product.aliases
        ('fiber 500', '500 meg')
        >>> product.terms
        ('Fibre 500', 'fiber 500', '500 meg')
    """

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    skus: tuple[str, ...] = ()
    family: str | None = None
    description: str | None = None
    launched_at: _Date = None
    discontinued_at: _Date = None
    meta: Mapping[str, Any] = Field(default_factory=dict)

    @field_validator("aliases")
    @classmethod
    def _normalise_aliases(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _clean_terms(value, "aliases", fold_case=True)

    @field_validator("skus")
    @classmethod
    def _normalise_skus(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _clean_terms(value, "skus", fold_case=False)

    @field_validator("discontinued_at")
    @classmethod
    def _discontinued_after_launch(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        launched = info.data.get("launched_at")
        if value is not None and launched is not None and value < launched:
            raise ValueError(
                f"discontinued_at {value.isoformat()} is before launched_at {launched.isoformat()}"
            )
        return value

    @property
    def terms(self) -> tuple[str, ...]:
        """The name followed by the aliases, without case-insensitive repeats.

        Examples:
            >>> Product(id="p", name="Fibre 500", aliases=("fibre 500", "F500")).terms
            ('Fibre 500', 'F500')
        """
        return _clean_terms((self.name, *self.aliases), "terms", fold_case=True)


class Policy(_Entry):
    """A company policy grievances can be linked to, such as a fee or a cut product line.

    ``phrases`` are what customers say when the policy is behind their
    grievance; they are normalised like product aliases. ``products`` lists
    the ids of the products the policy applies to; :class:`Catalog` checks
    that each exists. ``effective_to`` may not be before ``effective_from``.
    ``themes`` are the grievance themes (taxonomy ids) the policy typically
    causes: customers rarely name a policy, so a complaint with one of these
    themes and no policy named is linked to this policy when no other policy
    claims the theme (method ``"theme"``, see
    :class:`~hotline_insight.nlp.pipeline.GrievanceExtractor`).

    Examples:
        >>> import datetime as dt
        >>> fee = Policy(
        ...     id="support-fee-90d",
        ...     name="Paid support after 90 days",
        ...     phrases=("support fee", "Support  Fee", "charged for support"),
        ...     effective_from="2025-04-01",
        ... )
        >>> fee.phrases
        ('support fee', 'charged for support')
        >>> fee.is_in_effect(dt.date(2025, 6, 1)), fee.is_in_effect(dt.date(2025, 1, 1))
        (True, False)
    """

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    description: str | None = None
    phrases: tuple[str, ...] = ()
    effective_from: _Date = None
    effective_to: _Date = None
    products: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    meta: Mapping[str, Any] = Field(default_factory=dict)

    @field_validator("phrases")
    @classmethod
    def _normalise_phrases(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _clean_terms(value, "phrases", fold_case=True)

    @field_validator("products")
    @classmethod
    def _normalise_products(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _clean_terms(value, "products", fold_case=False)

    @field_validator("themes")
    @classmethod
    def _normalise_themes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _clean_terms(value, "themes", fold_case=False)

    @field_validator("effective_to")
    @classmethod
    def _ends_after_start(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("effective_from")
        if value is not None and start is not None and value < start:
            raise ValueError(
                f"effective_to {value.isoformat()} is before effective_from {start.isoformat()}; "
                "it must be on or after it"
            )
        return value

    def is_in_effect(self, when: dt.date | dt.datetime) -> bool:
        """Whether the policy applied on a day; open-ended dates count as always.

        A ``datetime`` is compared by its date in its own timezone (records
        are in UTC). Both ends are inclusive.

        Examples:
            >>> import datetime as dt
            >>> policy = Policy(id="p", name="P", effective_from="2025-01-01", effective_to="2025-12-31")
            >>> policy.is_in_effect(dt.date(2025, 12, 31)), policy.is_in_effect(dt.date(2026, 1, 1))
            (True, False)
        """
        day = when.date() if isinstance(when, dt.datetime) else when
        if self.effective_from is not None and day < self.effective_from:
            return False
        return self.effective_to is None or day <= self.effective_to


# -- catalog-level problems -----------------------------------------------------


class Catalog(_Entry):
    """A company's products and policies, loaded from YAML or a dict.

    Product ids are unique among products and policy ids among policies;
    every id in a policy's ``products`` must be a product of the catalog.
    ``len(catalog)`` is the number of products plus policies.

    Examples:
        >>> catalog = Catalog.from_yaml('''
        ... products:
        ...   - {id: fibre-500, name: Fibre 500}
        ...   - {id: mobile-s, name: Mobile S}
        ... policies:
        ...   - {id: caller-id-fee, name: Caller ID blocking fee, products: [mobile-s]}
        ... ''')
        >>> len(catalog), [p.id for p in catalog.products]
        (3, ['fibre-500', 'mobile-s'])
    """

    company: str | None = None
    products: tuple[Product, ...] = ()
    policies: tuple[Policy, ...] = ()

    _product_index: dict[str, Product] = PrivateAttr(default_factory=dict)
    _policy_index: dict[str, Policy] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _check_ids(self, info: ValidationInfo) -> Catalog:
        problems: list[Problem] = []
        groups: tuple[tuple[str, str, tuple[Product | Policy, ...]], ...] = (
            ("product", "products", self.products),
            ("policy", "policies", self.policies),
        )
        for kind, plural, entries in groups:
            seen: dict[str, int] = {}
            for index, entry in enumerate(entries):
                if entry.id in seen:
                    problems.append(
                        Problem(
                            (plural, index, "id"),
                            f"duplicate {kind} id {entry.id!r} (first used by {plural}[{seen[entry.id]}])",
                            kind=kind,
                            value=entry.id,
                        )
                    )
                else:
                    seen[entry.id] = index
        known = {p.id for p in self.products}
        if isinstance(info.context, Mapping):
            known.update(info.context.get("known_products", ()))
        for index, policy in enumerate(self.policies):
            for position, product_id in enumerate(policy.products):
                if product_id not in known:
                    close = difflib.get_close_matches(product_id, sorted(known), n=1)
                    hint = (
                        f"; did you mean {close[0]!r}?"
                        if close
                        else f"; known product ids: {_preview(sorted(known))}"
                    )
                    problems.append(
                        Problem(
                            ("policies", index, "products", position),
                            f"unknown product id {product_id!r}{hint}",
                        )
                    )
        if problems:
            raise Problems(problems)
        return self

    def model_post_init(self, context: Any, /) -> None:
        self._product_index = {p.id: p for p in self.products}
        self._policy_index = {p.id: p for p in self.policies}

    # -- construction ----------------------------------------------------------

    @classmethod
    def from_yaml(cls, path_or_text: str | os.PathLike[str], *, base: Catalog | None = None) -> Catalog:
        """Load a catalog from a YAML file, or from YAML text.

        A ``Path`` is always a file. A string is read as YAML text when it has
        a line break, and as a path when it names an existing file or ends in
        ``.yaml``/``.yml``; otherwise it is YAML text.

        Args:
            path_or_text: The file, or the YAML itself.
            base: A catalog to lay this one over (see :meth:`merge`). The
                file's policies may then name the base's products, and errors
                still point into the file.

        Returns:
            The validated catalog, merged over ``base`` when given.

        Raises:
            ConfigError: E302 when the file can't be read or isn't valid YAML
                (with the line of the syntax error); E301 naming the line and
                field of each invalid value, unknown key or missing field;
                E303 for a repeated id. Several problems come in one error
                (E307) that lists the first five.

        Examples:
            >>> catalog = Catalog.from_yaml('''
            ... products:
            ...   - id: fibre-500
            ...     name: Fibre 500
            ...     colour: blue
            ... ''')
            Traceback (most recent call last):
            ...
            hotline_insight.errors.ConfigError: [E301] Invalid catalog <string>, line 5, field 'products[0].colour': unknown key 'colour'; ...
        """
        source, text = _read_source(path_or_text)
        try:
            loader = _SafeLoader(text)
            try:
                root = loader.get_single_node()
                _check_duplicate_keys(root, source)
                data = loader.construct_document(root) if root is not None else None
            finally:
                loader.dispose()
        except yaml.YAMLError as exc:
            raise ConfigError(Errors.E302.format(source=source, reason=_yaml_reason(exc))) from None
        if data is None:
            raise ConfigError(
                Errors.E302.format(
                    source=source,
                    reason="it is empty; expected a mapping with 'products' and/or 'policies'",
                )
            )
        return cls._validate(data, source=source, root=root, base=base)

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, source: str = _DICT_SOURCE, base: Catalog | None = None
    ) -> Catalog:
        """Build a catalog from a mapping laid out like the YAML file.

        Args:
            data: A mapping with optional ``company``, ``products`` and ``policies``.
            source: The name errors give for where the data came from.
            base: A catalog to lay this one over (see :meth:`merge`); the
                data's policies may then name the base's products.

        Returns:
            The validated catalog, merged over ``base`` when given.

        Raises:
            ConfigError: E304 naming the field of each invalid value, unknown
                key or missing field, E305 for a repeated id.

        Examples:
            >>> catalog = Catalog.from_dict({"products": [{"id": "tv-basic", "name": "TV Basic"}]})
            >>> catalog.product("tv-basic").name
            'TV Basic'
            >>> Catalog.from_dict({"products": [{"id": "tv-basic"}]})
            Traceback (most recent call last):
            ...
            hotline_insight.errors.ConfigError: [E304] Invalid catalog <dict>, field 'products[0].name': required field is missing
            >>> user = Catalog.from_dict(
            ...     {"policies": [{"id": "fee", "name": "Support fee", "products": ["tv-basic"]}]}, base=catalog
            ... )
            >>> len(user), user.policy("fee").products
            (2, ('tv-basic',))
        """
        return cls._validate(data, source=source, root=None, base=base)

    @classmethod
    def _validate(
        cls, data: object, *, source: str, root: yaml.Node | None, base: Catalog | None = None
    ) -> Catalog:
        if not isinstance(data, Mapping):
            problem = f"expected a mapping with 'products' and/or 'policies', got {type(data).__name__}"
            if isinstance(data, str) and source == _TEXT_SOURCE and "\n" not in data.strip():
                problem += "; if this was meant as a path, no such file exists"
            raise ConfigError(_format_problem(source, root, (), problem))
        context = {"known_products": [p.id for p in base.products]} if base is not None else None
        try:
            catalog = cls.model_validate(data, context=context)
        except ValidationError as exc:
            _raise_problems(_messages(exc, source=source, root=root), source)
        return base.merge(catalog) if base is not None else catalog

    # -- conversion ------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The catalog as plain data in the YAML layout, leaving out empty and default fields.

        Examples:
            >>> Catalog.from_dict({"products": [{"id": "p", "name": "P", "skus": ["S-1"]}]}).to_dict()
            {'products': [{'id': 'p', 'name': 'P', 'skus': ['S-1']}]}
        """
        data: dict[str, Any] = _plain(self.model_dump(mode="python", exclude_defaults=True))
        return data

    def to_yaml(self) -> str:
        """The catalog as YAML text that :meth:`from_yaml` reads back into an equal catalog.

        Examples:
            >>> catalog = Catalog.from_yaml('''
            ... policies:
            ...   - {id: fee, name: Support fee, effective_from: 2025-04-01, phrases: [support fee]}
            ... ''')
            >>> print(catalog.to_yaml())
            policies:
            - id: fee
              name: Support fee
              phrases:
              - support fee
              effective_from: 2025-04-01
            >>> Catalog.from_yaml(catalog.to_yaml()) == catalog
            True
        """
        return yaml.dump(
            self.to_dict(), Dumper=_SafeDumper, sort_keys=False, allow_unicode=True, default_flow_style=False
        )

    # -- look-ups ---------------------------------------------------------------

    def product(self, id: str) -> Product:
        """The product with this id.

        Raises:
            KeyError: E306 when there is no such product.

        Examples:
            >>> catalog = Catalog.from_dict({"products": [{"id": "fibre-500", "name": "Fibre 500"}]})
            >>> catalog.product("fibre-500").name
            'Fibre 500'
            >>> catalog.product("fibre-1000")
            Traceback (most recent call last):
            ...
            KeyError: "[E306] The catalog has no product with id 'fibre-1000'. Known product ids: 'fibre-500'."
        """
        try:
            return self._product_index[id]
        except KeyError:
            raise KeyError(
                Errors.E306.format(kind="product", value=id, expected=_preview(self._product_index))
            ) from None

    def policy(self, id: str) -> Policy:
        """The policy with this id.

        Raises:
            KeyError: E306 when there is no such policy.

        Examples:
            >>> catalog = Catalog.from_dict({"policies": [{"id": "fee", "name": "Support fee"}]})
            >>> catalog.policy("fee").name
            'Support fee'
        """
        try:
            return self._policy_index[id]
        except KeyError:
            raise KeyError(
                Errors.E306.format(kind="policy", value=id, expected=_preview(self._policy_index))
            ) from None

    def __len__(self) -> int:
        return len(self.products) + len(self.policies)

    # -- frames -----------------------------------------------------------------

    def products_frame(self) -> pd.DataFrame:
        """One row per product.

        Columns: ``product_id``, ``name``, ``family``, ``description``
        (string); ``aliases``, ``skus`` (lists of str); ``launched_at``,
        ``discontinued_at`` (``date32[pyarrow]``); ``meta`` (dict). An empty
        catalog gives the same columns with no rows.

        Examples:
            >>> catalog = Catalog.from_dict({"products": [{"id": "p1", "name": "Fibre", "aliases": ["fiber"]}]})
            >>> catalog.products_frame()[["product_id", "name", "aliases"]]
              product_id   name  aliases
            0         p1  Fibre  [fiber]
        """
        columns: dict[str, tuple[str, list[Any]]] = {
            "product_id": ("string", [p.id for p in self.products]),
            "name": ("string", [p.name for p in self.products]),
            "aliases": ("object", [list(p.aliases) for p in self.products]),
            "skus": ("object", [list(p.skus) for p in self.products]),
            "family": ("string", [p.family for p in self.products]),
            "description": ("string", [p.description for p in self.products]),
            "launched_at": ("date", [p.launched_at for p in self.products]),
            "discontinued_at": ("date", [p.discontinued_at for p in self.products]),
            "meta": ("object", [dict(p.meta) for p in self.products]),
        }
        return _frame(columns)

    def policies_frame(self) -> pd.DataFrame:
        """One row per policy.

        Columns: ``policy_id``, ``name``, ``description`` (string);
        ``phrases``, ``products`` (lists of str, ``products`` holding product
        ids); ``effective_from``, ``effective_to`` (``date32[pyarrow]``);
        ``meta`` (dict).

        Examples:
            >>> catalog = Catalog.from_yaml('''
            ... products: [{id: p1, name: Fibre}]
            ... policies: [{id: fee, name: Fee, effective_from: 2025-04-01, products: [p1]}]
            ... ''')
            >>> catalog.policies_frame()[["policy_id", "effective_from", "products"]]
              policy_id effective_from products
            0       fee     2025-04-01     [p1]
        """
        columns: dict[str, tuple[str, list[Any]]] = {
            "policy_id": ("string", [p.id for p in self.policies]),
            "name": ("string", [p.name for p in self.policies]),
            "description": ("string", [p.description for p in self.policies]),
            "phrases": ("object", [list(p.phrases) for p in self.policies]),
            "effective_from": ("date", [p.effective_from for p in self.policies]),
            "effective_to": ("date", [p.effective_to for p in self.policies]),
            "products": ("object", [list(p.products) for p in self.policies]),
            "meta": ("object", [dict(p.meta) for p in self.policies]),
        }
        return _frame(columns)

    # -- combination ------------------------------------------------------------

    def merge(self, other: Catalog) -> Catalog:
        """This catalog with ``other`` laid over it: ``base.merge(user)``.

        An entry of ``other`` replaces the entry of this catalog with the same
        id as a whole (fields are not mixed), keeping the base's position;
        entries new in ``other`` follow in their order. ``other.company`` wins
        when set. The result is validated again. To load a user catalog whose
        policies name base products, pass ``base=`` to :meth:`from_yaml` or
        :meth:`from_dict`.

        Raises:
            ConfigError: E304 when the merged catalog is invalid.

        Examples:
            >>> base = Catalog.from_dict({"products": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}]})
            >>> user = Catalog.from_dict({
            ...     "company": "Acme",
            ...     "products": [{"id": "b", "name": "B2"}, {"id": "c", "name": "C"}],
            ...     "policies": [{"id": "fee", "name": "Fee", "products": ["c"]}],
            ... })
            >>> merged = base.merge(user)
            >>> [(p.id, p.name) for p in merged.products], merged.company, len(merged)
            ([('a', 'A'), ('b', 'B2'), ('c', 'C')], 'Acme', 4)
        """

        def overlay(base: tuple[Any, ...], top: tuple[Any, ...]) -> list[Any]:
            replacements = {e.id: e for e in top}
            merged = [replacements.pop(e.id, e) for e in base]
            return merged + [e for e in top if e.id in replacements]

        data = {
            "company": other.company if other.company is not None else self.company,
            "products": overlay(self.products, other.products),
            "policies": overlay(self.policies, other.policies),
        }
        try:
            return type(self).model_validate(data)
        except ValidationError as exc:
            _raise_problems(_messages(exc, source="<merged catalog>", root=None), "<merged catalog>")


# -- loading helpers --------------------------------------------------------------


_SafeLoader = SafeLoader
_SafeDumper = SafeDumper
_yaml_reason = yaml_reason
_locate = locate
_line_of = line_of
_field_path = field_path
_preview = preview
_plain = plain


def _read_source(path_or_text: str | os.PathLike[str]) -> tuple[str, str]:
    """Return (source name, YAML text)."""
    return read_source(path_or_text, error=Errors.E302)


def _check_duplicate_keys(node: yaml.Node | None, source: str) -> None:
    """PyYAML keeps the last of repeated keys silently; report them instead."""
    found = find_duplicate_key(node)
    if found is not None:
        loc, line = found
        raise ConfigError(
            Errors.E301.format(
                source=source,
                line=line,
                field=_field_path(loc),
                reason=f"the key {loc[-1]!r} appears twice in the same mapping",
            )
        )


def _format_problem(source: str, root: yaml.Node | None, loc: tuple[str | int, ...], reason: str) -> str:
    field = _field_path(loc)
    if root is None:
        return Errors.E304.format(source=source, field=field, reason=reason)
    return Errors.E301.format(source=source, line=_line_of(root, loc), field=field, reason=reason)


_MODEL_FOR: dict[str, type[BaseModel]] = {"products": Product, "policies": Policy}


def _allowed_keys(loc: tuple[str | int, ...]) -> list[str]:
    parent = loc[:-1]
    if not parent:
        model: type[BaseModel] = Catalog
    elif len(parent) == 2 and parent[0] in _MODEL_FOR:
        model = _MODEL_FOR[str(parent[0])]
    else:
        return []
    return list(model.model_fields)


def _reason(error: Mapping[str, Any], node: yaml.Node | None = None) -> str:
    return describe_error(error, node, _allowed_keys(tuple(error["loc"])))


def _messages(exc: ValidationError, *, source: str, root: yaml.Node | None) -> list[tuple[int, str]]:
    """One coded message per problem, sorted by line, as (line, message) pairs."""
    found: list[tuple[int, str]] = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        problems = error.get("ctx", {}).get("error")
        if isinstance(problems, Problems):
            for problem in problems.problems:
                line = _line_of(root, problem.loc) if root is not None else 0
                field = _field_path(problem.loc)
                if problem.kind and root is not None:
                    message = Errors.E303.format(
                        kind=problem.kind, value=problem.value, source=source, line=line
                    )
                elif problem.kind:
                    message = Errors.E305.format(
                        kind=problem.kind, value=problem.value, source=source, field=field
                    )
                else:
                    message = _format_problem(source, root, problem.loc, problem.reason)
                found.append((line, message))
            continue
        line, node = _locate(root, loc) if root is not None else (0, None)
        found.append((line, _format_problem(source, root, loc, _reason(error, node))))
    found.sort(key=lambda item: item[0])
    return found


def _raise_problems(messages: list[tuple[int, str]], source: str) -> NoReturn:
    """Raise one ConfigError: the single message, or E307 listing the first few."""
    if len(messages) == 1:
        raise ConfigError(messages[0][1]) from None
    listing = "\n".join(f"  {message}" for _, message in messages[:_MAX_LISTED])
    if len(messages) > _MAX_LISTED:
        listing += f"\n  ... and {len(messages) - _MAX_LISTED} more"
    raise ConfigError(Errors.E307.format(n_problems=len(messages), source=source, listing=listing)) from None


def _frame(columns: Mapping[str, tuple[str, list[Any]]]) -> pd.DataFrame:
    import pandas as pd

    data: dict[str, pd.Series[Any]] = {}
    for name, (dtype, values) in columns.items():
        if dtype == "date":
            data[name] = pd.Series(values, dtype="date32[pyarrow]")
        elif dtype == "string":
            data[name] = pd.Series(values, dtype="string")
        else:
            data[name] = pd.Series(values, dtype="object")
    return pd.DataFrame(data)
