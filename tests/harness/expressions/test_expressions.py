"""Tests for harness.expressions: our own cases, then the shared conformance vectors."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from harness.expressions import (EvaluationError, ExpressionError, ExpressionSyntaxError,
                                 LexerError, ParserError, evaluate, evaluate_if, evaluate_template,
                                 interpolate, kind_of, to_string, truthy)

VECTORS_DIR = Path(__file__).resolve().parents[4] / "shared/conformance/expressions"
EXPECTED_VECTOR_COUNT = 1020
MISSING_VECTORS = (f"conformance vectors not found at {VECTORS_DIR}: they live in the shared "
                   "workspace next to the repository, outside a user's clone")

# Shaped like the payloads our auto-promote workflow sees.
RUN_EVENT = {
    "github": {
        "event_name": "workflow_run",
        "sha": "0000000000000000000000000000000000000000",
        "repository": "molecule-ai/platform",
        "event": {
            "workflow_run": {"conclusion": "success", "head_sha": "abc123", "name": "E2E"},
        },
    },
    "steps": {"gate": {"outputs": {"proceed": "true"}}, "sha": {"outputs": {"short": "abc123"}}},
    "secrets": {"GITHUB_TOKEN": "t0ken"},
}
DISPATCH_EVENT = {
    "github": {"event_name": "workflow_dispatch", "sha": "def456",
               "event": {"inputs": {"sha": "fedcba"}}},
    "steps": {"gate": {"outputs": {"proceed": "true"}}},
}
SUCCESS = {"success": True, "failure": False, "cancelled": False}
FAILED = {"success": False, "failure": True, "cancelled": False}
CANCELLED = {"success": False, "failure": False, "cancelled": True}

TRIGGER_IF = ("github.event_name == 'workflow_dispatch' || (github.event_name == 'workflow_run' "
              "&& github.event.workflow_run.conclusion == 'success')")
PUBLISH_IF = "steps.gate.outputs.proceed == 'true' && github.event_name != 'workflow_dispatch'"
SHA_EXPR = "github.event.workflow_run.head_sha || github.event.inputs.sha || github.sha"


# --- operators, literals and coercion -------------------------------------------------------

@pytest.mark.parametrize("expr, expected", [
    ("1 == 1.0", True),
    ("'abc' == 'ABC'", True),
    ("'abc' != 'abd'", True),
    ("2 > 1 && 1 >= 1 && 0 < 1 && 1 <= 1", True),
    ("!0", True),
    ("!'x'", False),
    ("null == false", True),
    ("'' == 0", True),
    ("'1.5e1' == 15", True),
    ("' 0x10 ' == 16", True),
    ("'abc' == 0", False),
    ("NaN == NaN", False),
    ("NaN != NaN", True),
    ("'b' > 'A'", True),
    ("true > false", True),
    ("fromJSON('[1]') == fromJSON('[1]')", False),
    ("-0 == 0", True),
    ("(1 == 1) == true", True),
], ids=lambda value: str(value))
def test_operators_and_coercion(expr, expected):
    assert evaluate(expr, {}) is expected


@pytest.mark.parametrize("expr, expected", [
    ("null || 'fallback'", "fallback"),
    ("'first' || 'second'", "first"),
    ("0 || '' || null", None),
    ("'a' && 'b'", "b"),
    ("'a' && 0 && 'b'", 0),
    ("1 || 2 && 3", 1),
])
def test_logical_operators_return_operands(expr, expected):
    assert evaluate(expr, {}) == expected


def test_literals_keep_their_kinds():
    assert evaluate("0xff", {}) == 255
    assert evaluate("-2.99e-2", {}) == pytest.approx(-0.0299)
    assert evaluate("'it''s'", {}) == "it's"
    assert math.isinf(evaluate("-Infinity", {}))
    assert evaluate("", {}) is None
    assert kind_of(evaluate("null", {})) == "Null"


def test_shared_object_is_equal_only_to_itself():
    shared = {"a": 1}
    contexts = {"x": shared, "y": shared, "z": {"a": 1}}
    assert evaluate("x == y", contexts) is True
    assert evaluate("x == z", contexts) is False


# --- property access ------------------------------------------------------------------------

def test_property_access_is_case_insensitive():
    assert evaluate("GITHUB.Event_Name", RUN_EVENT) == "workflow_run"
    assert evaluate("github['EVENT_NAME']", RUN_EVENT) == "workflow_run"


def test_missing_property_is_null():
    assert evaluate("github.event.inputs.sha", RUN_EVENT) is None
    assert evaluate("github.sha.length", RUN_EVENT) is None


def test_array_index_and_wildcards():
    contexts = {"labels": [{"name": "bug"}, {"name": "ci"}, {"other": 1}]}
    assert evaluate("labels[1].name", contexts) == "ci"
    assert evaluate("labels[5]", contexts) is None
    assert evaluate("labels.*.name", contexts) == ["bug", "ci"]
    assert evaluate("contains(labels.*.name, 'CI')", contexts) is True
    assert evaluate("join(labels.*.name)", contexts) == "bug,ci"


# --- functions ------------------------------------------------------------------------------

@pytest.mark.parametrize("expr, expected", [
    ("contains('Hello World', 'WORLD')", True),
    ("startsWith('refs/heads/main', 'REFS/')", True),
    ("endsWith('image:staging-abc', '-ABC')", True),
    ("format('{0}-{1}-{{literal}}', 'a', 2)", "a-2-{literal}"),
    ("join(fromJSON('[1, true, null]'), '; ')", "1; true; "),
    ("toJSON(fromJSON('{\"a\": [1, 2.5]}'))", '{\n  "a": [\n    1,\n    2.5\n  ]\n}'),
    ("fromJSON('{\"n\": 3}').n", 3),
    ("case(github.event_name == 'push', 'p', github.event_name == 'workflow_run', 'r', 'x')", "r"),
    ("FORMAT('{0}', 1)", "1"),
])
def test_functions(expr, expected):
    assert evaluate(expr, RUN_EVENT) == expected


def test_status_functions_default_to_success():
    assert evaluate("success() && !failure() && !cancelled() && always()", {}) is True


@pytest.mark.parametrize("expr, error", [
    ("'unterminated", LexerError),
    ('"double quoted"', LexerError),
    ("1 === 1", LexerError),
    ("nosuch.value", ParserError),
    ("unknownFunction()", ParserError),
    ("contains('a')", ParserError),
    ("case(true, 1)", ParserError),
    ("(1 == 1", ParserError),
    ("format('{0}')", EvaluationError),
    ("format('{', 1)", EvaluationError),
    ("fromJSON('not json')", EvaluationError),
    ("case(1, 'a', 'b')", EvaluationError),
    ("hashFiles('**/*.lock')", EvaluationError),
])
def test_errors_raise_expression_error(expr, error):
    with pytest.raises(error) as raised:
        evaluate(expr, {"github": {}})
    assert isinstance(raised.value, ExpressionError)


def test_unknown_context_error_names_it_and_its_position():
    expected = r"Unrecognized named-value: 'env'\. Located at position 11"
    with pytest.raises(ParserError, match=expected):
        evaluate("github && env.X", {"github": {}})


# --- coercion helpers -----------------------------------------------------------------------

@pytest.mark.parametrize("value, text", [
    (None, ""), (True, "true"), (False, "false"), (1.0, "1"), (-0.0, "0"), (0.5, "0.5"),
    (1e20, "1E+20"), (math.nan, "NaN"), (math.inf, "Infinity"), (42, "42"),
    ([1], "Array"), ({}, "Object"), ("text", "text"),
])
def test_to_string(value, text):
    assert to_string(value) == text


@pytest.mark.parametrize("value, expected", [
    (None, False), (False, False), (0, False), (-0.0, False), ("", False), (math.nan, False),
    ("false", True), ("0", True), ([], True), ({}, True), (-1, True),
])
def test_truthy(value, expected):
    assert truthy(value) is expected


# --- interpolation --------------------------------------------------------------------------

def test_interpolate_concurrency_group_for_each_trigger():
    group = "auto-promote-latest-${{ " + SHA_EXPR + " }}"
    assert interpolate(group, RUN_EVENT) == "auto-promote-latest-abc123"
    assert interpolate(group, DISPATCH_EVENT) == "auto-promote-latest-fedcba"


def test_interpolate_nulls_become_empty_strings():
    run = 'if [ -n "${{ github.event.inputs.sha }}" ]; then echo ${{ steps.sha.outputs.short }}; fi'
    assert interpolate(run, RUN_EVENT) == 'if [ -n "" ]; then echo abc123; fi'


def test_interpolate_leaves_plain_text_and_quoted_braces_alone():
    assert interpolate("no expressions here", {}) == "no expressions here"
    assert interpolate("${{ format('{0}}}', 'x') }}!", {}) == "x}!"


def test_interpolate_unclosed_expression_is_an_error():
    with pytest.raises(ExpressionSyntaxError):
        interpolate("echo ${{ github.sha", RUN_EVENT)


def test_evaluate_template_keeps_type_of_a_lone_expression():
    assert evaluate_template("${{ fromJSON('[1, 2]') }}", {}) == [1, 2]
    assert evaluate_template("n=${{ 1 }}", {}) == "n=1"


# --- if: conditions -------------------------------------------------------------------------

def test_workflow_trigger_condition():
    block = TRIGGER_IF.replace(" || ", " ||\n  ") + "\n"  # as written in an `if: |` block
    assert evaluate_if(block, RUN_EVENT, status=SUCCESS) is True
    assert evaluate_if(block, DISPATCH_EVENT, status=SUCCESS) is True
    failed_run = json.loads(json.dumps(RUN_EVENT))
    failed_run["github"]["event"]["workflow_run"]["conclusion"] = "failure"
    assert evaluate_if(block, failed_run, status=SUCCESS) is False


def test_publish_condition():
    assert evaluate_if(PUBLISH_IF, RUN_EVENT, status=SUCCESS) is True
    assert evaluate_if(PUBLISH_IF, DISPATCH_EVENT, status=SUCCESS) is False
    assert evaluate_if("${{ " + PUBLISH_IF + " }}", RUN_EVENT, status=SUCCESS) is True


def test_if_is_implicitly_and_success():
    assert evaluate_if("steps.gate.outputs.proceed == 'true'", RUN_EVENT, status=FAILED) is False
    assert evaluate_if("true", {}, status=CANCELLED) is False


@pytest.mark.parametrize("condition, status, expected", [
    ("failure()", FAILED, True),
    ("failure()", SUCCESS, False),
    ("always()", FAILED, True),
    ("${{ always() }}", CANCELLED, True),
    ("cancelled()", CANCELLED, True),
    ("success() || failure()", FAILED, True),
    ("!cancelled() && github.event_name == 'workflow_run'", FAILED, True),
])
def test_if_with_status_functions(condition, status, expected):
    assert evaluate_if(condition, RUN_EVENT, status=status) is expected


@pytest.mark.parametrize("condition, status, expected", [
    ("", SUCCESS, True),
    (None, SUCCESS, True),
    ("   ", FAILED, False),
    (True, SUCCESS, True),
    (False, SUCCESS, False),
])
def test_empty_or_literal_if(condition, status, expected):
    assert evaluate_if(condition, {}, status=status) is expected


def test_partial_expression_in_if_is_a_non_empty_string():
    assert evaluate_if("true && ${{ false }}", {}, status=SUCCESS) is True
    assert evaluate_if("${{ false }} ", {}, status=SUCCESS) is False
    assert evaluate_if("${{ false }} && ${{ false }}", {}, status=SUCCESS) is True
    assert evaluate_if("true && ${{ false }}", {}, status=FAILED) is False


def test_multiline_if_block():
    condition = "github.event_name == 'workflow_run'\n&& steps.gate.outputs.proceed == 'true'\n"
    assert evaluate_if(condition, RUN_EVENT, status=SUCCESS) is True


def test_if_errors_propagate():
    with pytest.raises(ExpressionError):
        evaluate_if("env.X == '1'", RUN_EVENT, status=SUCCESS)


# --- shared conformance vectors -------------------------------------------------------------

def _load_vectors() -> list:
    cases = []
    for path in sorted(VECTORS_DIR.glob("*.json")):
        groups = json.loads(path.read_text(encoding="utf-8"))
        for group, items in groups.items():
            for index, case in enumerate(items):
                cases.append(pytest.param(case, id=f"{path.name}::{group}::{index}"))
    return cases


VECTORS = _load_vectors() if VECTORS_DIR.is_dir() else []


def _canonical(value):
    """JSON-comparable form: numbers as floats (so 1 == 1.0 and -0 == 0), key order kept."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return float(value) + 0.0
    if isinstance(value, (list, tuple)):
        return [_canonical(item) for item in value]
    return [[key, _canonical(item)] for key, item in value.items()]


def _same(actual, expected) -> bool:
    return json.dumps(_canonical(actual)) == json.dumps(_canonical(expected))


@pytest.mark.parametrize("case", VECTORS or [pytest.param(None, id="vectors-missing")])
def test_conformance_vector(case):
    if case is None:
        pytest.skip(MISSING_VECTORS)
    contexts = case.get("contexts") or {}
    if "err" in case:
        with pytest.raises(ExpressionError) as raised:
            evaluate(case["expr"], contexts)
        assert raised.value.kind == case["err"]["kind"]
        assert case["err"]["value"] in str(raised.value)
        return
    result = evaluate(case["expr"], contexts)
    assert kind_of(result) == case["result"]["kind"]
    assert _same(result, case["result"]["value"]), result


def test_conformance_vector_count():
    if not VECTORS_DIR.is_dir():
        pytest.skip(MISSING_VECTORS)
    assert len(VECTORS) == EXPECTED_VECTOR_COUNT
