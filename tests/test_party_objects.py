"""Party attribution ignores a party that is the object of a preposition: in "Hiring your
advisor away from us will cost you a fee" the sentence obliges the client, not "us"."""

from __future__ import annotations

from rule_fixtures.helpers import document

from contract_audit import engine
from contract_audit import qualifiers as Q
from contract_audit.rules import load_rules

RULES = load_rules()


def _roles(text: str) -> list[str | None]:
    run = engine._Run(document(text), engine.compiled(RULES))
    roles = []
    for si in range(len(run.starts)):
        found = Q.obligated_party(run.context(si), 0, 1)
        roles.append(found[0] if found else None)
    return roles


def test_a_party_after_a_preposition_is_not_the_subject() -> None:
    assert _roles("Hiring your advisor away from us will cost you a fee.") == [None]
    assert _roles(
        "Any recruitment by you of staff seconded from Provider shall cost you a fee."
    ) == ["client"]


def test_a_participle_s_agent_is_not_the_bound_party() -> None:
    """ "proposed by the Provider" describes the plan; the sentence binds nobody by it (and the
    agent of a real passive still counts)."""
    assert _roles("Any plan proposed by the Provider is adopted at the Client's own risk.") == [
        None
    ]
    assert _roles("Any plan shall be proposed by the Provider.") == ["provider"]


def test_subjects_and_passive_agents_still_count() -> None:
    assert _roles("Provider shall keep all rebates.") == ["provider"]
    assert _roles("Rebates shall be retained by Provider.") == ["provider"]
    assert _roles("Rebates shall be credited to the Client.") == ["client"]


def test_the_no_hire_rule_no_longer_reads_the_object_as_the_bound_party() -> None:
    found = [
        f
        for f in engine.match(
            document("Hiring your advisor away from us will cost you a fee of three months' pay."),
            RULES,
        ).findings
        if f.rule == "client-no-hire"
    ]
    assert [f.severity for f in found] == ["medium"]
