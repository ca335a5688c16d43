"""Playbooks: discovery, validation with the file and key named, and merging with the flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract_audit.review.config import (
    Config,
    ConfigError,
    Settings,
    find_config,
    load_config,
    resolve,
)

PLAYBOOK = """\
rules = ["playbooks/acme"]
default-rules = false
disable = ["exclusive-projects"]
fail-on = "medium"
format = "html,json"
output = "out"

[severity]
referral-commission = "low"
"""


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "playbooks" / "acme").mkdir(parents=True)
    (tmp_path / "contract-audit.toml").write_text(PLAYBOOK)
    (tmp_path / "deep" / "er").mkdir(parents=True)
    return tmp_path


def test_found_upward_and_paths_relative_to_the_file(project: Path) -> None:
    config = load_config(start=project / "deep" / "er")
    assert config.path == (project / "contract-audit.toml").resolve()
    assert config.rules == (project.resolve() / "playbooks" / "acme",)
    assert config.default_rules is False
    assert config.disabled == ("exclusive-projects",)
    assert config.severities == {"referral-commission": "low"}
    assert config.fail_on == "medium"
    assert config.formats == ("html", "json")
    assert config.output == project.resolve() / "out"


def test_pyproject_table_and_precedence(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.contract-audit]\nfail-on = "high"\nformat = ["json"]\n'
    )
    assert load_config(start=tmp_path).fail_on == "high"
    assert load_config(start=tmp_path).formats == ("json",)
    (tmp_path / "contract-audit.toml").write_text('fail-on = "low"\n')
    assert load_config(start=tmp_path).fail_on == "low"  # the dedicated file wins


def test_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "contract-audit.toml").write_text('fail-on = "low"\n')
    mid = tmp_path / "mid"
    (mid / "inner").mkdir(parents=True)
    (mid / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_config(mid / "inner") == (tmp_path / "contract-audit.toml").resolve()
    with pytest.raises(ConfigError, match=r"pyproject.toml: no \[tool.contract-audit\] table"):
        load_config(mid / "pyproject.toml")


def test_no_file_means_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("contract_audit.review.config.find_config", lambda start: None)
    settings = resolve(load_config(start=tmp_path))
    assert settings == Settings()
    assert settings.formats == ("html", "json") and settings.output == Path("reports")
    assert settings.default_rules is True and settings.fail_on is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('fail_on = "high"\n', r"unknown key 'fail_on' \(expected one of: rules, "),
        ('fail-on = "severe"\n', r"key 'fail-on': 'severe' is not one of high, medium, low, info"),
        ('format = "html,pdf"\n', r"key 'format': 'pdf' is not one of html, json"),
        ('rules = "x"\n', r"key 'rules': expected a list of strings"),
        ('rules = ["missing-folder"]\n', r"key 'rules': rule folder .*missing-folder does not"),
        ("default-rules = 1\n", r"key 'default-rules': expected true or false"),
        ('[severity]\nreferral = "urgent"\n', r"key 'severity': rule 'referral': 'urgent'"),
        ("output = 3\n", r"key 'output': expected a folder name"),
        ("fail-on = \n", r"not valid TOML"),
    ],
)
def test_bad_values_name_the_file_and_key(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "contract-audit.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=expected) as info:
        load_config(path)
    assert str(path) in str(info.value)


def test_pyproject_errors_name_the_table(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.contract-audit]\ncolour = 1\n")
    with pytest.raises(ConfigError, match=r"pyproject.toml: \[tool.contract-audit\] unknown key"):
        load_config(start=tmp_path)


def test_missing_explicit_file() -> None:
    with pytest.raises(ConfigError, match="nope.toml: configuration file not found"):
        load_config("nope.toml")


def test_command_line_wins_and_lists_add_up(project: Path) -> None:
    config = load_config(project / "contract-audit.toml")
    settings = resolve(
        config,
        rules=["extra"],
        default_rules=True,
        disabled=["other-rule"],
        severities={"referral-commission": "high"},
        fail_on="high",
        formats="json",
        output="elsewhere",
    )
    assert settings.rules == (project / "playbooks" / "acme", Path("extra"))
    assert settings.default_rules is True
    assert settings.disabled == ("exclusive-projects", "other-rule")
    assert settings.severities == {"referral-commission": "high"}
    assert settings.fail_on == "high"
    assert settings.formats == ("json",)
    assert settings.output == Path("elsewhere")
    untouched = resolve(config)
    assert (untouched.fail_on, untouched.formats, untouched.output) == (
        "medium",
        ("html", "json"),
        project / "out",
    )
    assert untouched.default_rules is False and untouched.config == config.path


def test_bad_flag_values_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="--format: 'xml'"):
        resolve(Config(), formats="html,xml")
    with pytest.raises(ConfigError, match="--fail-on: 'urgent'"):
        resolve(Config(), fail_on="urgent")


def test_given_tells_flags_from_defaults() -> None:
    import click
    from click.testing import CliRunner

    from contract_audit.review.config import given

    seen: dict[str, bool] = {}

    @click.command()
    @click.option("--fail-on", default="high")
    @click.pass_context
    def cmd(ctx: click.Context, fail_on: str) -> None:
        seen["given"] = given(ctx, "fail_on")

    CliRunner().invoke(cmd, [])
    assert seen["given"] is False
    CliRunner().invoke(cmd, ["--fail-on", "low"])
    assert seen["given"] is True


def test_config_is_frozen() -> None:
    with pytest.raises(AttributeError):
        Config().fail_on = "high"  # type: ignore[misc]
