from __future__ import annotations

import subprocess
import sys

import hotline_insight as hi


def test_all_names_import_and_none_is_private() -> None:
    for name in hi.__all__:
        obj = getattr(hi, name)
        module = getattr(obj, "__module__", "hotline_insight") or "hotline_insight"
        assert not any(part.startswith("_") for part in module.split(".")), (name, module)


def test_unknown_attribute_raises() -> None:
    try:
        hi.no_such_thing  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected AttributeError")


def test_import_is_lazy_and_fast() -> None:
    code = (
        "import sys, time; t = time.perf_counter(); import hotline_insight; "
        "dt = time.perf_counter() - t; "
        "heavy = [m for m in ('pandas', 'spacy', 'pyarrow', 'pydantic', 'bertopic', 'pyspark') if m in sys.modules]; "
        "print(dt, ','.join(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    seconds = float(out[0])
    heavy = out[1] if len(out) > 1 else ""
    assert heavy == "", f"import hotline_insight loaded {heavy}"
    assert seconds < 0.5, seconds
