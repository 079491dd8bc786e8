"""schema/report.schema.json (draft 2020-12): every corpus output validates,
and the schema is strict enough to catch a report that breaks the contract.
Validation uses the `jsonschema` package."""

import copy
import json

import jsonschema
import pytest

import gongkai


@pytest.fixture(scope="module")
def validator(repo):
    with open(repo / "schema" / "report.schema.json", encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _all_valid(validator, inputs):
    for p in inputs:
        errors = [e.message for e in validator.iter_errors(gongkai.parse_file(p))]
        assert not errors, (p, errors[:3])


def test_project_corpus_validates(validator, project_inputs):
    _all_valid(validator, project_inputs)


def test_shared_corpus_validates(validator, shared_inputs):
    _all_valid(validator, shared_inputs)


def _report(inputs, template):
    for p in inputs:
        r = gongkai.parse_file(p)
        if r["meta"]["template"] == template and "requests" in r["tables"]:
            return r
    raise AssertionError(f"no {template} report with section 三 in the project corpus")


@pytest.mark.parametrize(
    "damage",
    [
        "row of the other template",
        "unknown row",
        "text in a cell",
        "missing column",
        "unknown flag code",
        "tables on a legacy report",
        "another schema version",
    ],
)
def test_schema_rejects_a_broken_report(validator, project_inputs, damage):
    r = copy.deepcopy(_report(project_inputs, "2019"))
    requests = r["tables"]["requests"]
    row = next(iter(requests.values()))
    if damage == "row of the other template":
        requests["other_misc"] = dict(row)  # a 2021 row
    elif damage == "unknown row":
        requests["new_recieved"] = dict(row)
    elif damage == "text in a cell":
        row["total"] = "12"
    elif damage == "missing column":
        del row["total"]
    elif damage == "unknown flag code":
        r["flags"].append(dict(code="NOT_A_CODE", severity="error", table=None, row=None, column=None, message="", evidence=None))
    elif damage == "tables on a legacy report":
        r["meta"]["template"] = "legacy"
    elif damage == "another schema version":
        r["schema_version"] = 2
    assert not validator.is_valid(r)


def test_a_2021_report_validates_and_its_rows_are_not_2019_rows(validator, project_inputs):
    r = _report(project_inputs, "2021")
    assert validator.is_valid(r)
    r["tables"]["requests"]["other_handling"] = r["tables"]["requests"]["other_misc"]
    assert not validator.is_valid(r)
