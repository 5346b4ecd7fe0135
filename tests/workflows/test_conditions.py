"""Rules are JsonLogic: the shared cases (the builder runs the same file through
json-logic-js) hold in Python, and a rule the engine cannot use is refused or false."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from frontdesk.core.workflows.conditions import evaluate, rule_problems
from frontdesk.core.workflows.matching import message_matches
from frontdesk.core.workflows.steps.answers import choose, cpf_digits
from frontdesk.core.workflows.variables import render, render_value

CASES = json.loads(
    (Path(__file__).parent.parent / "fixtures" / "workflow_rules_cases.json").read_text()
)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_the_shared_rule_cases_hold_in_python(case: dict[str, Any]) -> None:
    assert rule_problems(case["rule"]) == []
    assert evaluate(case["rule"], case["data"]) is case["expected"]


def test_unknown_operations_and_deep_rules_are_refused_and_false() -> None:
    assert rule_problems({"eval": ["1"]}) == ["unknown operation 'eval'"]
    assert evaluate({"eval": ["1"]}, {}) is False
    deep: Any = True
    for _ in range(30):
        deep = {"!!": [deep]}
    assert any("deeper" in p for p in rule_problems(deep))


def test_variables_render_into_texts_and_keep_types_alone() -> None:
    data = {"contact": {"name": "Erin", "fields": {"age": 31}}, "vars": {"tags": ["a", "b"]}}
    assert render("Olá {{ contact.name }}, {{contact.fields.city}}!", data) == "Olá Erin, !"
    assert render_value({"age": "{{contact.fields.age}}", "t": "{{vars.tags}} x"}, data) == {
        "age": 31,
        "t": "a, b x",
    }


def test_cpf_check_digits_and_menu_choices() -> None:
    assert cpf_digits("529.982.247-25") == "52998224725"
    assert cpf_digits("529.982.247-24") is None
    assert cpf_digits("111.111.111-11") is None
    options = [
        {"id": "vagas", "title": "Vagas", "keywords": ["emprego"]},
        {"id": "entrevista", "title": "Entrevista", "keywords": ["entrevista marcada"]},
    ]
    assert choose(options, "2", None) == "entrevista"
    assert choose(options, " VAGAS ", None) == "vagas"
    assert choose(options, "quero um EMPREGO", None) == "vagas"
    assert choose(options, "tenho entrevista marcada", None) == "entrevista"
    assert choose(options, "oi", "entrevista") == "entrevista"
    assert choose(options, "9", None) is None


def test_message_triggers_match_keywords_by_word_and_bounded_regexes() -> None:
    keywords = {"match": "keyword", "keywords": ["currículo", "cv"]}
    assert message_matches(keywords, "Segue meu CURRICULO!")
    assert message_matches(keywords, "meu cv")
    assert not message_matches(keywords, "cvs")
    assert message_matches({"match": "regex", "pattern": r"\bvaga\s+\d+"}, "Vaga 12?")
    assert not message_matches({"match": "regex", "pattern": "(" * 300}, "x")
