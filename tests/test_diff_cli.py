"""``ictgraph diff`` on the command line: the table in words, JSON, CSV, --exit-code, estates
at git revisions of a repository made in the test (read without touching its working tree),
and clear errors with exit codes (2 usage: arguments, git; 1 bad data; 3 no database)."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ictgraph.cli import app
from tests.diff_helpers import AFTER, BEFORE, ROOT

EXPECTED = ROOT / "fixtures" / "diff" / "expected.json"
TABLE = """\
What changed from fixtures/diff/before to fixtures/diff/after:

Catalogue
  product civica/openrevenues renamed from “OpenRevenues” to “Civica OpenRevenues”

Braintree District Council
  contract c-revs-2019 removed (Revenues and benefits licence and support, with NEC Software Solutions, to 2026-09-30)
  data centre dc1 racks used 12 -> 8
  system crm removed (Customer contact, Service Cloud, saas)
  system revs now hosted by Colchester Borough Council's Revenues and benefits (was NEC Revenues and Benefits, own instance); annual cost £160,000 -> £90,000; no longer hosted in Causeway House server room

Colchester Borough Council
  contract c-revs-2021 extended from 2026-09-30 to 2027-09-30; Braintree District Council now a party
  system crm added (Customer contact, Dynamics 365 Customer Service, saas)
  system finance users 140 -> 160

Maldon District Council
  organisation E07000074 added (Maldon District Council, district, population 65,401)
  system finance added (Financial management, Unit4 ERP, saas)

10 changes:
  contract: 1 removed, 1 changed
  data centre: 1 changed
  organisation: 1 added
  product: 1 changed
  system: 2 added, 1 removed, 2 changed
"""


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def _diff(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["diff", "--quiet", *args])
    return result.exit_code, result.stdout, result.stderr


def test_help(runner: CliRunner) -> None:
    result = runner.invoke(app, ["diff", "--help"])
    assert result.exit_code == 0
    assert "REV:PATH" in result.stdout and "--exit-code" in result.stdout and "--neo4j" in result.stdout


def test_the_table_says_every_planted_change_in_words(runner: CliRunner, at_root: None) -> None:
    assert _diff(runner, "fixtures/diff/before", "fixtures/diff/after") == (0, TABLE, "")


def test_json_is_the_diff(runner: CliRunner, at_root: None) -> None:
    code, out, _ = _diff(runner, "fixtures/diff/before", "fixtures/diff/after", "--format", "json")
    assert (code, out) == (0, EXPECTED.read_text(encoding="utf-8"))


def test_csv_has_a_row_a_change(runner: CliRunner, at_root: None) -> None:
    code, out, _ = _diff(runner, "fixtures/diff/before", "fixtures/diff/after", "--format", "csv")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "organisation,organisation_name,change,label,key,sentence" and len(lines) == 11
    assert lines[3] == "E07000067,Braintree District Council,changed,DataCentre,E07000067/dc1,data centre dc1 racks used 12 -> 8"


@pytest.mark.parametrize(("sides", "flag", "code"), [
    ((BEFORE, AFTER), [], 0), ((BEFORE, AFTER), ["--exit-code"], 1),
    ((BEFORE, BEFORE), ["--exit-code"], 0), ((BEFORE, BEFORE), [], 0),
])
def test_exit_code(runner: CliRunner, sides: tuple[Path, Path], flag: list[str], code: int) -> None:
    assert _diff(runner, *map(str, sides), *flag)[0] == code


def test_no_change(runner: CliRunner) -> None:
    assert _diff(runner, str(BEFORE), str(BEFORE))[1] == f"What changed from {BEFORE} to {BEFORE}:\n  no change\n"


@pytest.mark.parametrize("args", [[str(BEFORE)], [str(BEFORE), str(AFTER), str(AFTER)], ["--neo4j", str(BEFORE), str(AFTER)]],
                         ids=["one", "three", "neo4j-and-two"])
def test_the_wrong_number_of_estates_is_a_usage_error(runner: CliRunner, args: list[str]) -> None:
    code, _, err = _diff(runner, *args)
    assert code == 2 and "give OLD and NEW, or --neo4j and NEW" in err


def test_a_missing_path(runner: CliRunner, tmp_path: Path) -> None:
    assert _diff(runner, str(tmp_path / "nowhere"), str(AFTER)) == (
        2, "", f'Error: "{tmp_path / "nowhere"}" does not exist\nHint: give a YAML file or a directory of them\n')


def test_no_database(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.setenv("NEO4J_PASSWORD", "an0ther-s3cret")
    code, out, err = _diff(runner, "--neo4j", str(AFTER))
    assert (code, out) == (3, "")
    assert err.startswith("Error: cannot reach Neo4j at bolt://127.0.0.1:1\nHint: ")
    assert "s3cret" not in err


# --- REV:PATH, in a repository made here -----------------------------------------------------


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose ``estate/`` was BEFORE in the first commit and AFTER in the
    second; the working directory is the repository."""
    _git(tmp_path, "init", "-q")
    shutil.copytree(BEFORE, tmp_path / "estate")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "before")
    shutil.rmtree(tmp_path / "estate")
    shutil.copytree(AFTER, tmp_path / "estate")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "after")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _changes(text: str) -> list[dict[str, object]]:
    return json.loads(text)["changes"]


def test_revisions_give_the_same_diff_as_paths(runner: CliRunner, repo: Path) -> None:
    code, out, _ = _diff(runner, "HEAD~1:estate", "HEAD:estate", "--format", "json")
    assert code == 0
    assert _changes(out) == _changes(EXPECTED.read_text(encoding="utf-8"))
    assert json.loads(out)["from"] == "HEAD~1:estate"


def test_a_revision_against_the_working_tree_and_the_tree_is_untouched(runner: CliRunner, repo: Path) -> None:
    (repo / "estate" / "maldon.yaml").unlink()                     # uncommitted: Maldon leaves again
    (repo / "estate" / "notes.txt").write_text("not YAML\n")
    status = _git(repo, "status", "--porcelain")
    code, out, _ = _diff(runner, "HEAD:estate", "estate", "--format", "json")
    assert code == 0
    assert [(c["change"], c["key"]) for c in _changes(out)] == [("removed", "E07000074"), ("removed", "E07000074/finance")]
    assert _diff(runner, "HEAD~1:estate", "HEAD:estate", "--format", "json")[1].count('"change"') == 10
    assert _git(repo, "status", "--porcelain") == status
    assert not (repo / "estate" / "maldon.yaml").exists()


def test_a_file_at_a_revision_and_a_subdirectory(runner: CliRunner, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = _diff(runner, "HEAD~1:estate/catalogue.yaml", "HEAD:estate/catalogue.yaml", "--format", "json")
    assert code == 0
    assert [c["key"] for c in _changes(out)] == ["civica/openrevenues"]
    (repo / "sub").mkdir()
    monkeypatch.chdir(repo / "sub")
    code, out, _ = _diff(runner, "HEAD~1:../estate", "HEAD:../estate", "--format", "json")
    assert (code, len(_changes(out))) == (0, 10)


def test_bad_data_at_a_revision_points_into_the_revision(runner: CliRunner, repo: Path) -> None:
    (repo / "estate" / "maldon.yaml").write_text("format: ictgraph/v1\norganisation: {id: E07000074, population: many}\n")
    _git(repo, "commit", "-qam", "broken")
    code, out, err = _diff(runner, "HEAD:estate", "HEAD~1:estate")
    assert (code, out) == (1, "")
    assert "\nHEAD:estate/maldon.yaml:2:" in err and err.endswith("1 error(s), 1 warning(s)\n")


@pytest.mark.parametrize(("side", "message"), [
    ("nosuch:estate", 'Error: unknown revision "nosuch" in the git repository "{repo}"\n'
                      "Hint: name a commit, branch or tag (`git log --oneline` lists them), e.g. HEAD~1\n"),
    ("HEAD~5:estate", 'Error: unknown revision "HEAD~5" in the git repository "{repo}"\n'
                      "Hint: name a commit, branch or tag (`git log --oneline` lists them), e.g. HEAD~1\n"),
    ("HEAD:elsewhere", 'Error: "elsewhere" is not in revision "HEAD"\n'
                       "Hint: `git ls-tree -r --name-only HEAD` lists what the revision holds\n"),
    (":estate", 'Error: ":estate" names no revision before ":"\nHint: write REV:PATH, e.g. HEAD~1:fixtures/sample\n'),
])
def test_git_errors(runner: CliRunner, repo: Path, side: str, message: str) -> None:
    assert _diff(runner, side, "estate") == (2, "", message.format(repo=repo.resolve()))


def test_not_a_repository(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(AFTER, tmp_path / "estate")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert _diff(runner, "HEAD:estate", "estate") == (
        2, "", 'Error: "estate" is not in a git repository\n'
               "Hint: REV:PATH reads PATH at a revision of the repository that holds it; "
               "give a plain path for files that git does not keep\n")


def test_the_readme_shows_the_table_as_it_prints() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("$ ictgraph diff fixtures/diff/before fixtures/diff/after\n")
    excerpt = readme[start:readme.index("```\n", start)].split("\n", 1)[1]
    assert excerpt == TABLE
