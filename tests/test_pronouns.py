"""Who "we" and "you" are: a letter written by the client turns the pronouns round."""

from __future__ import annotations

from pathlib import Path

import pytest
from rule_fixtures.helpers import document, rule, ruleset_of
from test_engine import alias_names

from contract_audit import engine

CLIENT_LETTER = (
    "Dear Ms Okafor,\n\n"
    "On behalf of the Board of Tregaron Housing Association Limited "
    '("the Association", "we", "us"), '
    'I am pleased to appoint Okafor Digital Ltd ("Okafor Digital", "you") as our part-time '
    "Chief Digital Officer.\n\n"
    "1. You will report to our Chief Executive and attend our board meetings.\n"
    "2. We will pay your fees monthly in arrears against your invoice.\n"
    "3. You will not accept any commission from a supplier you recommend to us.\n"
)
PROVIDER_TERMS = (
    'These terms are between Brightwater IT Ltd ("Brightwater", "we", "us") and the '
    'customer named in the order ("you").\n\n'
    "1. We will provide our help desk and our vCIO service.\n"
    "2. You will pay our fees within 30 days of our invoice.\n"
    "3. We will advise you on your technology roadmap.\n"
)


def test_a_client_letter_makes_we_the_client_and_you_the_provider() -> None:
    names = alias_names(CLIENT_LETTER)
    assert names["we"] == ("client", "client")
    assert names["your"] == ("provider", "provider")
    assert names["Okafor Digital"][0] == "provider"
    assert names["Association"][0] == "client"


def test_the_client_letter_is_recognised_by_what_the_pronouns_do_without_brackets() -> None:
    unbracketed = CLIENT_LETTER.replace(' ("the Association", "we", "us")', "").replace(
        ' ("Okafor Digital", "you")', ""
    )
    unbracketed += "4. We will reimburse your travel, and you will invoice us quarterly.\n"
    assert alias_names(unbracketed)["you"] == ("provider", "provider")


@pytest.mark.parametrize(
    "text", [PROVIDER_TERMS, "You will pay our fees. We will provide support."]
)
def test_provider_written_terms_keep_the_usual_reading(text: str) -> None:
    names = alias_names(text)
    assert "we" not in names and "you" not in names
    if "Brightwater" in text:
        assert names["Brightwater"][0] == "provider"


def test_rules_read_a_reversed_you_as_the_provider(tmp_path: Path) -> None:
    rs = ruleset_of(
        tmp_path,
        rule("t-provider-commission", patterns={"phrases": ["provider will not accept"]}),
    )
    (f,) = engine.match(document(CLIENT_LETTER), rs).findings
    assert f.match == "You will not accept"
    assert not engine.match(document(PROVIDER_TERMS + "You will not accept it.\n"), rs).findings


def test_a_bracket_of_pronouns_only_names_the_writer_before_it() -> None:
    text = (
        "This letter sets out the basis on which I, Fergal Hanna, trading as Mourne Advisory "
        '("I", "me"), will act for Banbridge Joinery Limited ("the Company").\n\n'
        "1. I will advise the Company on its technology plan.\n"
    )
    names = alias_names(text)
    assert names["Mourne Advisory"][0] == "provider"


def test_a_cue_does_not_see_the_plain_reading_of_a_turned_pronoun(tmp_path: Path) -> None:
    """A rule's "you will not" means the client; in the client's letter "You will not accept"
    binds the provider, so the cue must not fire there (a renamed party keeps its plain
    spelling for cues; a turned pronoun does not)."""
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-commission",
            patterns={"phrases": ["accept any commission"]},
            qualifiers=[{"name": "client-side", "cues": ["you will not"], "effect": "drop"}],
        ),
    )
    assert engine.match(document(CLIENT_LETTER), rs).findings
    assert not engine.match(
        document(PROVIDER_TERMS + "You will not accept any commission.\n"), rs
    ).findings
