"""A Python stand-in for the W3C Web Annotation test harness (``annotation-model``).

The Working Group's suite is a set of JSON Schema (draft-04) *assertion* files, grouped by
``*.test`` files, that its browser harness (``scripts/JSONtest.js``, with Ajv 4) applies to
a pasted annotation.  This module applies them the same way:

* every assertion is compiled as a draft-04 schema; its ``$ref``s name the files in
  ``definitions/`` by their ``id`` (``"annotations.json#/definitions/..."``);
* the submitted text is parsed as strict JSON (as ``JSON.parse`` does); if it does not parse,
  that is the one, failed, result;
* an assertion *passes* when the validation outcome is its ``expectedResult`` (default
  ``"valid"``; ``"invalid"`` inverts it; any other value never passes);
* when an assertion does not pass, its ``onUnexpectedResult`` (default ``failAndContinue``)
  decides what happens to the *following* assertions: ``…AndContinue`` runs them, ``…AndSkip``
  and ``…AndAbort`` stop running them (they are reported as not run).  The failure is
  reported in every case, with the assertion's ``errorMessage`` (default "Result was not
  <expected>") prefixed "WARNING: " for ``should`` and "INFORMATIONAL: " for ``may``;
* a test's ``skipFailures`` lists assertion types whose failures are not reported;
* a condition object (``{"compareWith": "and"|"or", "assertions": [...]}``) runs its children
  and passes when all (``and``) or any (``or``) of them passed;
* formats are Ajv 4's default "fast" formats (``uri``: a scheme-ish prefix then ``:`` or
  ``/`` and no white space; ``date-time``: RFC 3339 shape with a mandatory zone), and
  ``pattern``/``patternProperties`` use JavaScript regular-expression anchoring (``$`` is the
  end of the string, ``\\d`` is ASCII).

Nested assertion *lists* are never run by the harness (it drops them when it builds its
list); this checker refuses them rather than silently passing them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import referencing
from jsonschema import Draft4Validator, FormatChecker
from referencing.jsonschema import DRAFT4

# vendored (tests/conformance_suites/README.md): the suite runs with nothing beside the clone
CONFORMANCE = Path(__file__).resolve().parent / "conformance_suites"
SUITE = CONFORMANCE / "w3c-web-annotation"
SAMPLES = SUITE / "tools" / "samples"

ANNOTATION_MUSTS = "annotations/annotationMusts.test"
COLLECTION_MUSTS = "collections/collectionMusts.test"
PAGE_MUSTS = "collections/pages/pageMusts.test"

# ----------------------------------------------------------------------------------------
# JavaScript (Ajv 4) flavoured formats and regular expressions

# JavaScript's \s (for use inside a character class)
_JS_SPACE = r"\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
# Ajv 4 formats.fast.uri: /^(?:[a-z][a-z0-9+-.]*)?(?:\:|\/)\/?[^\s]*$/i
_FAST_URI = re.compile(f"(?:[a-z][a-z0-9+-.]*)?(?::|/)/?[^{_JS_SPACE}]*", re.IGNORECASE)
# Ajv 4 formats.fast['date-time']
_FAST_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-1][0-9]-[0-3][0-9][t" + _JS_SPACE + r"][0-2][0-9]:[0-5][0-9]:[0-5][0-9]"
    r"(?:\.[0-9]+)?(?:z|[+-][0-9]{2}:[0-9]{2})",
    re.IGNORECASE,
)
SUPPORTED_FORMATS = frozenset({"uri", "date-time"})

FORMATS = FormatChecker(formats=())


@FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or _FAST_URI.fullmatch(value) is not None


@FORMATS.checks("date-time")
def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or _FAST_DATE_TIME.fullmatch(value) is not None


def js_regex(pattern: str) -> re.Pattern[str]:
    """Compile a JSON Schema pattern the way JavaScript reads it (no flags)."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escape = pattern[i + 1]
            if escape == "d":
                out.append("0-9" if in_class else "[0-9]")
            elif escape == "D":
                out.append("[^0-9]")
            elif escape == "s":
                out.append(_JS_SPACE if in_class else f"[{_JS_SPACE}]")
            elif escape == "S":
                out.append(f"[^{_JS_SPACE}]")
            else:
                out.append(char + escape)
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        elif char == "$" and not in_class:
            char = r"\Z"
        out.append(char)
        i += 1
    return re.compile("".join(out))


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    if validator.is_type(instance, "string") and not js_regex(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(
    validator: Any, patterns: dict[str, Any], instance: Any, schema: Any
) -> Iterator[Any]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        regex = js_regex(pattern)
        for key, value in instance.items():
            if regex.search(key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def _js_integer(checker: Any, instance: Any) -> bool:
    # JavaScript has one number type: 1.0 is an integer there.
    if isinstance(instance, bool):
        return False
    return isinstance(instance, int) or (isinstance(instance, float) and instance.is_integer())


AjvLikeValidator = jsonschema.validators.extend(
    Draft4Validator,
    validators={"pattern": _pattern, "patternProperties": _pattern_properties},
    type_checker=Draft4Validator.TYPE_CHECKER.redefine("integer", _js_integer),
)

# ----------------------------------------------------------------------------------------
# Loading


def _strict_json(text: str) -> Any:
    def reject(constant: str) -> Any:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=reject)


@cache
def _load(relative: str) -> Any:
    return _strict_json((SUITE / relative).read_text(encoding="utf-8"))


def _formats_used(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "format" and isinstance(value, str):
                yield value
            else:
                yield from _formats_used(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from _formats_used(item)


@cache
def _registry() -> referencing.Registry[Any]:
    resources = []
    for path in sorted((SUITE / "definitions").glob("*.json")):
        contents = _load(f"definitions/{path.name}")
        unsupported = set(_formats_used(contents)) - SUPPORTED_FORMATS
        if unsupported:
            raise ValueError(f"{path.name}: formats {sorted(unsupported)} are not implemented")
        resources.append((contents["id"], DRAFT4.create_resource(contents)))
    return referencing.Registry().with_resources(resources)


def load_assertion(reference: str | dict[str, Any]) -> dict[str, Any]:
    """An assertion from a file name (relative to the suite), an object naming an
    ``assertionFile`` (its other keys override the file's), or an inline object."""
    if isinstance(reference, str):
        assertion = dict(_load(reference))
        assertion["assertionFile"] = reference
    elif "assertionFile" in reference:
        assertion = dict(_load(reference["assertionFile"]))
        assertion.update({k: v for k, v in reference.items() if k != "assertionFile"})
    else:
        assertion = dict(reference)
    unsupported = set(_formats_used(assertion)) - SUPPORTED_FORMATS
    if unsupported:
        raise ValueError(f"{reference}: formats {sorted(unsupported)} are not implemented")
    return assertion


def load_test(test_file: str) -> dict[str, Any]:
    test: dict[str, Any] = _load(test_file)
    if not isinstance(test.get("assertions"), list):
        raise ValueError(f"{test_file}: no assertions list")
    return test


def assertion_files(test_file: str) -> list[str]:
    """The assertion files a test lists, in order (for parametrising one test per must)."""
    return [a for a in load_test(test_file)["assertions"] if isinstance(a, str)]


# ----------------------------------------------------------------------------------------
# Running

_ACTIONS = {
    "failAndContinue": "continue",
    "failAndSkip": "skip",
    "failAndAbort": "abort",
    "passAndContinue": "continue",
    "passAndSkip": "skip",
    "passAndAbort": "abort",
}
_TYPE_PREFIX = {"must": "", "should": "WARNING: ", "may": "INFORMATIONAL: "}


@dataclass(frozen=True)
class AssertionResult:
    name: str
    title: str
    assertion_type: str
    passed: bool
    message: str = ""
    errors: tuple[str, ...] = ()


@dataclass
class Report:
    results: list[AssertionResult] = field(default_factory=list)
    not_run: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def failures(self) -> list[AssertionResult]:
        return [r for r in self.results if not r.passed]

    def explain(self) -> str:
        return "\n".join(
            f"{r.name}: {r.message} {'; '.join(r.errors)}".rstrip() for r in self.failures
        )


def validation_errors(assertion: dict[str, Any], instance: Any) -> list[str]:
    """Ajv's verdict on ``instance`` for one assertion schema: the errors (none = valid)."""
    validator = AjvLikeValidator(assertion, registry=_registry(), format_checker=FORMATS)
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
        for e in validator.iter_errors(instance)
    ]


def _expected(assertion: dict[str, Any]) -> str:
    return str(assertion.get("expectedResult", "valid"))


def _matches_expectation(assertion: dict[str, Any], valid: bool) -> bool:
    expected = _expected(assertion)
    return (expected == "valid" and valid) or (expected == "invalid" and not valid)


def _next_action(assertion: dict[str, Any], as_expected: bool) -> str:
    if as_expected:
        return "continue"
    return _ACTIONS.get(assertion.get("onUnexpectedResult", "failAndContinue"), "continue")


def _type_of(assertion: dict[str, Any]) -> str:
    kind = str(assertion.get("assertionType", "must")).lower()
    return kind if kind in _TYPE_PREFIX else "must"


def _run(
    assertions: list[Any], content: Any, report: Report, skip_failures: list[str]
) -> tuple[str, list[bool]]:
    action = "continue"
    outcomes: list[bool] = []
    for reference in assertions:
        if isinstance(reference, list):
            raise ValueError("nested assertion lists are not run by the W3C harness")
        assertion = load_assertion(reference)
        name = assertion.get("assertionFile", assertion.get("title", "inline assertion"))
        if action != "continue":
            report.not_run.append(name)
            continue
        kind = _type_of(assertion)
        message = _TYPE_PREFIX[kind] + str(
            assertion.get("errorMessage", f"Result was not {_expected(assertion)}")
        )
        if "compareWith" in assertion and isinstance(assertion.get("assertions"), list):
            action, children = _run(assertion["assertions"], content, report, skip_failures)
            combine = any if assertion["compareWith"] == "or" else all
            as_expected = combine(children)
            errors: list[str] = []
        else:
            errors = validation_errors(assertion, content)
            as_expected = _matches_expectation(assertion, not errors)
        outcomes.append(as_expected)
        action = _next_action(assertion, as_expected)
        if as_expected or kind not in skip_failures:
            report.results.append(
                AssertionResult(
                    name=name,
                    title=str(assertion.get("title", "")),
                    assertion_type=kind,
                    passed=as_expected,
                    message="" if as_expected else message,
                    errors=tuple(errors),
                )
            )
    return action, outcomes


def run_test(test_file: str, document: Any) -> Report:
    """Apply every assertion a ``.test`` file lists to ``document`` (a JSON text, or the
    already-parsed value)."""
    report = Report()
    if isinstance(document, str | bytes):
        try:
            document = _strict_json(document if isinstance(document, str) else document.decode())
        except ValueError as err:
            report.results.append(
                AssertionResult(
                    name="Parsing submitted input",
                    title="Parsing submitted input",
                    assertion_type="must",
                    passed=False,
                    message=f"Parse of JSON failed: {err}",
                )
            )
            return report
    test = load_test(test_file)
    return run_assertions(test["assertions"], document, test.get("skipFailures", ()), report)


def run_assertions(
    assertions: list[Any],
    document: Any,
    skip_failures: Sequence[str] = (),
    report: Report | None = None,
) -> Report:
    """Apply a list of assertions (file names, objects naming an ``assertionFile``, inline
    assertions or condition objects) to a parsed document, in order."""
    report = Report() if report is None else report
    _run(list(assertions), document, report, list(skip_failures))
    return report


def check_assertion(assertion_file: str, document: Any) -> AssertionResult:
    """One assertion on its own (for one pytest case per must)."""
    return run_assertions([assertion_file], document).results[0]
