from __future__ import annotations

import re
import string

import pytest

from hotline_insight.errors import (
    ConfigError,
    Errors,
    HotlineError,
    MissingDependencyError,
    NotFittedError,
    ParseError,
    ParseFailureReason,
    Warnings,
    scrub,
)


def _codes(catalogue: type) -> dict[str, str]:
    return {name: getattr(catalogue, name) for name in vars(catalogue) if re.fullmatch(r"[EW]\d{3,4}", name)}


def test_codes_are_unique_and_prefixed() -> None:
    errors, warns = _codes(Errors), _codes(Warnings)
    assert errors and warns
    assert not set(errors) & set(warns)
    for code, message in {**errors, **warns}.items():
        assert message.startswith(f"[{code}] ")


@pytest.mark.parametrize("code,message", sorted({**_codes(Errors), **_codes(Warnings)}.items()))
def test_every_placeholder_can_be_filled(code: str, message: str) -> None:
    fields = {name for _, name, _, _ in string.Formatter().parse(message) if name}
    filled = message.format(**{name: f"<{name}>" for name in fields})
    assert "{" not in filled.replace("{{", "")
    for name in fields:
        assert f"<{name}>" in filled or f"'<{name}>'" in filled


@pytest.mark.parametrize(
    "exc,builtin",
    [
        (ParseError, ValueError),
        (ConfigError, ValueError),
        (NotFittedError, AttributeError),
        (MissingDependencyError, ImportError),
    ],
)
def test_exceptions_inherit_builtins(exc: type[Exception], builtin: type[Exception]) -> None:
    assert issubclass(exc, HotlineError)
    assert issubclass(exc, builtin)


@pytest.mark.parametrize(
    "value,expected",
    [
        ("write to jane.doe@example.com now", "'write to [EMAIL] now'"),
        ("call 555-010-2000 please", "'call [NUMBER] please'"),
        ("card 4111 1111 1111 1111", "'card [NUMBER]'"),
        ("order 42", "'order 42'"),
    ],
)
def test_scrub_masks_personal_data(value: str, expected: str) -> None:
    assert scrub(value) == expected


def test_scrub_keeps_digits_when_asked_and_cuts_long_values() -> None:
    assert scrub("2023-02-30 10:00", mask_digits=False) == "'2023-02-30 10:00'"
    assert len(scrub("x" * 500)) <= 62


def test_reason_codes_are_stable_strings() -> None:
    assert ParseFailureReason("malformed_json") is ParseFailureReason.MALFORMED_JSON
    assert str(ParseFailureReason.TRUNCATED) == "truncated"
