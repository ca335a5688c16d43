"""The engine: findings with locations, evidence, signals, dedupe, fingerprints, anchors,
sentence boundaries."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
from rule_fixtures.helpers import BASE_RULE, FIXTURES, document, rule, ruleset_of

from contract_audit import engine
from contract_audit.model import Page, Section
from contract_audit.nlp import get_nlp, sentence_char_starts
from contract_audit.rules import load_rules
from contract_audit.token_patterns import (
    TokenIndex,
    _csr,
    _expand,
    anchor_reach,
    pattern_anchors,
    pattern_span,
    repeats,
    split_gaps,
)

BASIC = load_rules([FIXTURES / "basic"], include_default=False)


def sentences(text: str) -> list[str]:
    return [s.text.strip() for s in get_nlp()(text).sents if s.text.strip()]


def test_sentences_respect_abbreviations_paragraphs_and_list_markers() -> None:
    text = (
        "1. FEES\n"
        "1.1 Acme Inc. shall pay the U.S. fees under Sec. 4 and No. 7, e.g. travel. "
        "Mr. Lee approves them. The CIO reports to Mag. Eva Gruber and Ing. Jan Novak.\n"
        "(a) the first item; and\n"
        "(b) the second item\n\n"
        "A new paragraph without a full stop\n\n"
        "ARTICLE IV\nThe Provider shall act."
    )
    assert sentences(text) == [
        "1. FEES",
        "1.1 Acme Inc. shall pay the U.S. fees under Sec. 4 and No. 7, e.g. travel.",
        "Mr. Lee approves them.",
        "The CIO reports to Mag. Eva Gruber and Ing. Jan Novak.",
        "(a) the first item; and",
        "(b) the second item",
        "A new paragraph without a full stop",
        "ARTICLE IV",
        "The Provider shall act.",
    ]


def test_sentence_starts_include_zero_and_are_sorted() -> None:
    starts = sentence_char_starts("One. Two! Three? four.")
    assert starts == [0, 5, 10]


def test_an_faq_question_and_the_answer_right_after_it_are_one_sentence() -> None:
    """ "Q: ...? A: Three days a month." is read as one sentence, so the answer keeps the adviser
    its question names; a blank line, or an answer without its question, keeps them apart."""
    joined = "Q: How much of Dana's time do we get? A: Three days in each month. More on request."
    assert sentences(joined) == [
        "Q: How much of Dana's time do we get? A: Three days in each month.",
        "More on request.",
    ]
    assert sentences("Question: Who pays? Answer: The Client.") == [
        "Question: Who pays? Answer: The Client."
    ]
    apart = "Q: How much of Dana's time do we get?\n\nA: Three days in each month."
    assert len(sentences(apart)) == 2
    assert len(sentences("Is that all? A: Three days in each month.")) == 2
    # a question numbered as a clause item
    numbered = "2. Q: How much of her time do we get? A: Three days a month. More on request."
    assert sentences(numbered)[0] == "2. Q: How much of her time do we get? A: Three days a month."


def test_finding_fields_come_from_the_document() -> None:
    intro = "1. SERVICES\nProvider delivers vCIO services.\n\n"
    fees = "7. FEES\n7.2 Provider may receive referral fees from vendors it recommends.\n"
    text = intro + fees
    sections = (
        Section("1", "Services", 0, len(intro), 1, None),
        Section("7", "Fees", len(intro), len(text), 1, None),
        Section("7.2", "Referral Fees", len(intro) + 8, len(text), 2, 1),
    )
    pages = (Page(1, 0, len(intro)), Page(2, len(intro), len(text)))
    result = engine.match(document(text, sections, pages), BASIC)
    (f,) = [f for f in result.findings if f.rule == "t-referral-fee"]
    assert (f.family, f.severity, f.element) == ("vendor-incentive", "high", None)
    assert f.title == "The provider is paid by vendors for what it recommends"
    assert f.match == "referral fees" == text[f.start : f.end]
    assert f.text == "7.2 Provider may receive referral fees from vendors it recommends."
    assert text[f.text_start : f.text_start + len(f.text)] == f.text
    assert (f.page, f.section) == (2, "7.2 Referral Fees")
    assert f.rationale.startswith("Pay from vendors") and f.recommendation.startswith("Add:")
    assert f.qualifiers == ()


def test_requirement_rules_give_evidence_and_signal_rules_signals() -> None:
    text = "The vCIO services comprise planning. No advisory services are included."
    result = engine.match(document(text), BASIC)
    (ev,) = result.evidence["scope"]
    assert (ev.rule, ev.match, ev.text) == (
        "t-advisor-scope",
        "vCIO services",
        "The vCIO services comprise planning.",
    )
    assert ev.page == 1 and ev.section is None
    (sig,) = result.signals
    assert (sig.rule, sig.engagement, sig.weight, sig.match) == (
        "t-signal-vcio",
        "msp-vcio",
        2.0,
        "vCIO",
    )
    assert result.findings == ()


def test_a_protection_with_evidence_for_also_defines_its_element(tmp_path: Path) -> None:
    """A duty to disclose read by a protection rule is the conflict-disclosure element too; the
    same words refused ("need not disclose") are no protection, so no evidence."""
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-disclose",
            family="protection",
            evidence_for="conflict-disclosure",
            patterns={"phrases": ["disclose its commissions"]},
            qualifiers=[{"name": "refused", "cues": ["need not"], "window": 3, "effect": "drop"}],
        ),
    )
    found = engine.match(document("The vCIO shall disclose its commissions in writing."), rs)
    (f,) = found.findings
    (ev,) = found.evidence["conflict-disclosure"]
    assert (f.family, ev.rule, ev.match) == ("protection", "t-disclose", "disclose its commissions")
    refused = engine.match(document("The vCIO need not disclose its commissions."), rs)
    assert refused.findings == () and "conflict-disclosure" not in refused.evidence


def test_result_is_picklable_and_serialisable() -> None:
    text = "Provider may receive referral fees. Provider assigns a vCIO."
    result = engine.match(document(text), BASIC)
    assert pickle.loads(pickle.dumps(result)) == result
    data = result.to_dict()
    assert data["findings"][0]["rule"] == "t-referral-fee"
    assert data["signals"][0]["engagement"] == "msp-vcio"


def test_overlapping_matches_keep_the_longest_and_one_finding_per_sentence(tmp_path: Path) -> None:
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-fee",
            patterns={
                "phrases": ["fee", "referral fee", "referral fee income"],
            },
        ),
    )
    text = "Provider keeps referral fee income and a fee for each referral fee it earns."
    (f,) = engine.match(document(text), rs).findings
    assert f.match == "referral fee income"


def test_same_text_twice_gets_distinct_stable_ids() -> None:
    sentence = "Provider may receive referral fees from vendors."
    text = f"{sentence}\n\n{sentence}"
    a, b = engine.match(document(text), BASIC).findings
    assert a.text == b.text and a.id != b.id
    again = engine.match(document(text), BASIC).findings
    assert [f.id for f in again] == [a.id, b.id]


def test_fingerprint_ignores_offsets_and_renumbering() -> None:
    one = "3.1 Provider may receive referral fees from vendors."
    two = "Preamble that shifts offsets.\n\n9.4   Provider may receive  referral fees from vendors."
    (a,) = engine.match(document(one), BASIC).findings
    (b,) = engine.match(document(two), BASIC).findings
    assert a.start != b.start and a.text != b.text
    assert a.id == b.id and len(a.id) == 12
    assert engine.normalise("(b) Section 4.2  The FEE") == "the fee"


def test_clause_scope_quotes_the_clause() -> None:
    text = "Advice is for information only; Provider owes no fiduciary duty to Client."
    (f,) = engine.match(document(text), BASIC).findings
    assert f.rule == "t-no-fiduciary"
    assert f.text == "Provider owes no fiduciary duty to Client."
    assert text[f.text_start :].startswith(f.text)


def test_section_gate_uses_headings_and_their_parents() -> None:
    body = "Equipment is invoiced at cost plus ten percent."
    head = "SCHEDULE B\n"
    text = head + body
    fees = (
        Section("", "Pricing and Fees", 0, len(text), 1, None),
        Section("2", "Equipment", len(head), len(text), 2, 0),
    )
    other = (Section("", "Confidentiality", 0, len(text), 1, None),)
    assert [f.rule for f in engine.match(document(text, fees), BASIC).findings] == ["t-markup"]
    assert engine.match(document(text, other), BASIC).findings == ()


def test_section_gate_without_sections_reads_the_sentence() -> None:
    gated = engine.match(document("All hardware is resold at a markup of 15 percent."), BASIC)
    assert gated.findings == ()
    passed = engine.match(document("Hardware fees carry a markup of 15 percent."), BASIC)
    assert [f.rule for f in passed.findings] == ["t-markup"]


def test_pattern_anchors_choose_a_rare_required_token() -> None:
    pattern = [
        {"LOWER": "the"},
        {"LOWER": {"IN": ["Rebate", "rebates"]}},
        {"LOWER": "x", "OP": "?"},
    ]
    assert pattern_anchors(pattern) == frozenset({"rebate", "rebates"})
    assert pattern_anchors([{"IS_DIGIT": True}, {"REGEX": "^x"}]) is None
    assert pattern_anchors([{"ORTH": "MSP"}]) == frozenset({"msp"})


def test_token_patterns_only_run_near_their_anchors(tmp_path: Path) -> None:
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-gated",
            patterns={"tokens": [[{"LOWER": "spiff"}]]},
            anchors=["bonus"],  # a wrong gate on purpose: the pattern can only run near "bonus"
        ),
        rule("t-derived", patterns={"tokens": [[{"LOWER": "vendor"}, {"IS_DIGIT": True}]]}),
    )
    assert engine.match(document("Provider earns a spiff."), rs).findings == ()
    found = engine.match(document("Provider earns a spiff and a bonus. Pay vendor 7 now."), rs)
    assert sorted(f.match for f in found.findings) == ["spiff", "vendor 7"]


def test_unanchored_patterns_still_match(tmp_path: Path) -> None:
    rs = ruleset_of(
        tmp_path, rule("t-regex", patterns={"tokens": [[{"TEXT": {"REGEX": "^SPIFF\\d$"}}]]})
    )
    (f,) = engine.match(document("Sales staff receive SPIFF4 payments."), rs).findings
    assert f.match == "SPIFF4"


def test_document_scope_reports_once(tmp_path: Path) -> None:
    rs = ruleset_of(tmp_path, rule("t-doc", scope="document", patterns={"phrases": ["rebate"]}))
    found = engine.match(document("A rebate here. Another rebate there."), rs).findings
    assert [f.text for f in found] == ["A rebate here."]


def test_compiled_matchers_are_cached_per_version() -> None:
    assert engine.compiled(BASIC) is engine.compiled(BASIC)
    other = BASIC.with_overrides(disabled=["t-markup"])
    assert engine.compiled(other) is not engine.compiled(BASIC)


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_empty_documents_give_empty_results(text: str) -> None:
    assert engine.match(document(text), BASIC) == engine.EngineResult()


def test_split_gaps_cuts_interior_any_token_gaps_only() -> None:
    a, b, c = {"LOWER": "a"}, {"LOWER": "b"}, {"LOWER": "c"}
    pieces, gaps = split_gaps([{"OP": "?"}, a, {"OP": "?"}, {"OP": "{0,3}"}, b, {}, c, {"OP": "?"}])
    assert pieces == [[{"OP": "?"}, a], [b], [c, {"OP": "{0,1}"}]]
    assert gaps == [(0, 4), (1, 1)]
    assert split_gaps([a, {"LOWER": "x", "OP": "?"}, b]) == (
        [[a, {"LOWER": "x", "OP": "?"}, b]],
        [],
    )
    assert split_gaps([a, {"OP": "!"}, b])[1] == []  # a negated token is not a gap


def test_repeats_and_spans() -> None:
    assert [repeats({"OP": op}) for op in ("?", "{2}", "{1,4}", "{,3}")] == [
        (0, 1),
        (2, 2),
        (1, 4),
        (0, 3),
    ]
    assert pattern_span([{"LOWER": "a"}, {"OP": "{0,5}"}, {"LOWER": "b"}]) == 7
    assert pattern_span([{"LOWER": "a"}, {"OP": "*"}]) is None


GAP_PATTERNS = [
    [
        {"LOWER": {"IN": ["share", "disclose"]}},
        {"OP": "{0,6}"},
        {"LOWER": "with"},
        {"OP": "?"},
        {"LOWER": {"IN": ["vendors", "affiliates"]}},
    ],
    [{"LOWER": "client"}, {"OP": "?"}, {"LOWER": "not"}, {"OP": "{0,2}"}, {"LOWER": "hire"}],
    [{"LOWER": "any", "OP": "?"}, {"LOWER": "rebate"}, {"IS_PUNCT": True, "OP": "?"}],
    [{"LIKE_NUM": True}, {"LOWER": {"IN": ["percent", "%"]}}, {"OP": "{0,3}"}, {"LOWER": "markup"}],
    [{"TEXT": {"REGEX": "^[A-Z]{3,}$"}}, {"LOWER": "fees"}],
]
GAP_TEXT = (
    "Provider may share usage data with its affiliates and disclose reports with vendors. "
    "Client shall not hire staff; the Client will not directly hire any advisor. "
    "Any rebate, and any rebate. The 12 percent hardware markup applies. "
    "Provider may share the data, including logs and telemetry and other records, with vendors. "
    "MSP fees apply; SUPPORT fees too."
)


def test_token_index_finds_exactly_what_the_plain_matcher_finds(tmp_path: Path) -> None:
    from spacy.matcher import Matcher

    from contract_audit.nlp import get_nlp, make_doc, sentence_starts

    rs = ruleset_of(tmp_path, rule("t-gaps", patterns={"tokens": GAP_PATTERNS}))
    index = engine.compiled(rs).tokens
    doc = make_doc(GAP_TEXT)
    starts = sentence_starts(doc, GAP_TEXT)
    ends = [*starts[1:], len(doc)]
    from spacy.attrs import LOWER

    mine = {(s, e) for _r, s, e, _si in index.find(doc, doc.to_array(LOWER), starts, ends)}
    plain = Matcher(get_nlp().vocab)
    plain.add("all", GAP_PATTERNS)
    expected = {
        (a + s, a + e) for a, b in zip(starts, ends, strict=True) for _k, s, e in plain(doc[a:b])
    }
    assert mine == expected and len(expected) >= 8


def test_anchor_reach_bounds_a_match_around_its_anchor() -> None:
    share = GAP_PATTERNS[0]  # share|disclose {0,6} with ? vendors|affiliates
    assert anchor_reach(share, frozenset({"vendors", "affiliates"})) == (9, 0)
    assert anchor_reach(share, frozenset({"with"})) == (7, 2)
    repeated = [{"LOWER": "a"}, {"LOWER": "x", "OP": "{1,3}"}, {"LOWER": "b"}]
    assert anchor_reach(repeated, frozenset({"x"})) == (3, 3)  # any of the x tokens
    assert anchor_reach([{"LOWER": "a"}, {"OP": "*"}], frozenset({"a"})) is None


def test_windows_are_tight_only_when_every_literal_is_read_on_the_lowercase_array() -> None:
    tight = [{"LOWER": "vendor"}, {"OP": "{0,3}"}, {"LOWER": "rebate"}]
    rebate = frozenset({"rebate"})
    assert TokenIndex._windows_of(tight, rebate, True, "LOWER") == [("rebate", 4, 0)]
    # "MSP" as ORTH also matches a defined name the engine reads as "provider": the windows
    # stay as first drawn (after the word a match starts with), so the matches stay the same
    orth = [{"ORTH": "MSP"}, {"OP": "{0,3}"}, {"LOWER": "rebate"}]
    assert TokenIndex._windows_of(orth, rebate, True, "LOWER") == [("msp", 0, 4)]
    upper = [{"LOWER": "the"}, {"OP": "{0,3}"}, {"LOWER": {"IN": ["Rebate", "x"]}}]
    assert TokenIndex._windows_of(upper, frozenset({"rebate", "x"}), True, "LOWER") == [
        (w, 4, 4) for w in frozenset({"rebate", "x"})
    ]
    whole = TokenIndex._windows_of(tight, frozenset({"bonus"}), False, "LOWER")
    assert whole == [("bonus", 1 << 40, 1 << 40)]  # explicit anchors: the whole sentence


def test_csr_rows_expand_to_their_values() -> None:
    import numpy as np

    keys, ptr, table = _csr({5: [(1,), (2,)], 3: [(7,)], 9: []})
    assert keys.tolist() == [3, 5, 9] and ptr.tolist() == [0, 1, 3, 3]
    flat, src = _expand(ptr, np.array([1, 0, 2, 1]))
    assert table[flat, 0].tolist() == [1, 2, 7, 1, 2] and src.tolist() == [0, 0, 1, 3, 3]


def test_identical_patterns_share_one_unit(tmp_path: Path) -> None:
    pattern = [{"LOWER": "volume"}, {"OP": "?"}, {"LOWER": "rebate"}]
    rs = ruleset_of(
        tmp_path,
        rule("t-one", patterns={"tokens": [pattern]}),
        rule("t-two", patterns={"tokens": [pattern]}),
    )
    assert len(engine.compiled(rs).tokens.units) == 1
    found = engine.match(document("Provider keeps the volume rebate."), rs).findings
    assert sorted(f.rule for f in found) == ["t-one", "t-two"]


def test_unpunctuated_runs_break_at_line_ends() -> None:
    rows = "\n".join(f"Item {i} monitoring agent licence per device per month" for i in range(60))
    parts = sentences(rows)
    assert len(parts) == 60 and parts[3] == "Item 3 monitoring agent licence per device per month"
    wrapped = "The Provider shall deliver the\nquarterly roadmap to the Client."
    assert sentences(wrapped) == [wrapped]


def test_all_caps_disclaimers_are_not_headings() -> None:
    text = (
        "LIMITATION OF LIABILITY\n"
        "IN NO EVENT SHALL THE PROVIDER BE LIABLE FOR ANY LOSS ARISING FROM\n"
        "RECOMMENDATIONS MADE BY THE VCIO, AND CLIENT ASSUMES ALL\n"
        "RISK OF RELYING ON THEM."
    )
    assert sentences(text) == [
        "LIMITATION OF LIABILITY",
        "IN NO EVENT SHALL THE PROVIDER BE LIABLE FOR ANY LOSS ARISING FROM\n"
        "RECOMMENDATIONS MADE BY THE VCIO, AND CLIENT ASSUMES ALL\nRISK OF RELYING ON THEM.",
    ]


def test_very_long_sentences_are_quoted_by_clause_then_by_window() -> None:
    filler = " ".join(["the parties will cooperate in good faith on all matters"] * 20)
    clause = "Provider may receive referral fees from vendors"
    text = f"{filler}; {clause}; {filler}."
    (f,) = engine.match(document(text), BASIC).findings
    assert f.text == clause + ";"
    text = f"{filler} and {clause} and {filler}."
    (f,) = engine.match(document(text), BASIC).findings
    assert len(f.text) < 800 and "referral fees" in f.text
    assert text[f.text_start : f.text_start + len(f.text)] == f.text


def test_negated_first_token_is_not_a_start_word(tmp_path: Path) -> None:
    pattern = [{"LOWER": "no", "OP": "!"}, {"LOWER": "referral"}, {"LOWER": "bonus"}]
    rs = ruleset_of(tmp_path, rule("t-neg-first", patterns={"tokens": [pattern]}))
    (f,) = engine.match(document("Provider earns a referral bonus."), rs).findings
    assert f.match == "a referral bonus"
    assert engine.match(document("There is no referral bonus."), rs).findings == ()


# --------------------------------------------------------------------------- defined-term aliases

ALIAS_RULES = [
    rule(
        "t-vcio-duty",
        family="divided-loyalty",
        patterns={
            "tokens": [
                [
                    {"LOWER": {"IN": ["vcio", "vcios"]}},
                    {"LOWER": {"IN": ["shall", "will"]}},
                    {"LOWER": "follow"},
                ]
            ]
        },
    ),
    rule("t-provider-staff", family="divided-loyalty", patterns={"phrases": ["provider's staff"]}),
    rule("t-client-approval", family="protection", patterns={"phrases": ["approved by client"]}),
]


def alias_names(text: str) -> dict[str, tuple[str, str]]:
    from contract_audit import aliases as A
    from contract_audit import qualifiers as Q

    vocab = A.Vocabulary.from_cues(load_rules().cues, Q.NOT_A_PARTY)
    return {a.name: (a.role, a.canonical) for a in A.find_aliases(text, vocab)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'Harrow Digital Pty Ltd, an Australian company ("Harrow"), and Quill Bakeries Ltd, '
            'a Victorian company ("Purchaser").',
            # "Purchaser" is a client word the cue lists know; defined as a party it also reads
            # as "client" for patterns written with that word
            {"Harrow": ("provider", "provider"), "Purchaser": ("client", "client")},
        ),
        (
            'Lumen Systems, Inc. ("Lumen", "we") and the business named below ("you").',
            {"Lumen": ("provider", "provider")},
        ),
        (
            'The member named in the schedule (the "Cooperative") and Tern Networks LLC, a '
            'Delaware limited liability company (the "Contractor").',
            {"Cooperative": ("client", "client")},
        ),
        (
            'Bramble Works Ltd ("Bramble") and Fjord Freight Limited, a Norwegian company '
            '("Fjord"). Bramble provides managed network services to Fjord.',
            {"Bramble": ("provider", "provider"), "Fjord": ("client", "client")},
        ),
        (
            'the Organisation ("you") and Birch Technology Ltd ("we").',
            # a bracket of pronouns alone names the party before it too
            {
                "Organisation": ("client", "client"),
                "Birch Technology Ltd": ("provider", "provider"),
            },
        ),
        (
            '"Strategy Lead" means the individual whom Provider appoints to give technology '
            "guidance to the Client.",
            {"Strategy Lead": ("advisor", "vcio")},
        ),
        (
            '"Digital Steward" means the named employee described in clause 3. "Steward Services" '
            "means the strategic planning advice described in clause 3.",
            {"Digital Steward": ("advisor", "vcio")},  # one hop through "Steward Services"
        ),
        (
            'Provider will assign one of its senior staff (each, a "Success Partner") who acts '
            "as your virtual CIO.",
            {"Success Partner": ("advisor", "vcio")},
        ),
        ("Your Account Strategist serves as your virtual CIO for the Term.", {}),  # a known word
        (
            "We will give you a named Technology Success Officer (TSO), currently Mele Tupou. "
            "Your TSO meets you monthly.",
            {
                "Technology Success Officer": ("advisor", "vcio"),
                "Mele Tupou": ("advisor", "vcio"),
                "TSO": ("advisor", "vcio"),
            },  # an acronym bracketed without quotes, and the person who holds the title now
        ),
        (
            "Premier includes our Digital Planning Adviser service: each quarter a senior team "
            'member (your "DPA") walks you through the plan.',
            {"DPA": ("advisor", "vcio")},  # the title the acronym spells stands earlier
        ),
        (
            "The Contractor shall designate a Director of Client Technology (the "
            '"Director") to serve as the Agency\'s part-time technology executive.',
            {"Director": ("advisor", "advisor")},
        ),
        (
            'Thank you for choosing Tern Advisory LLC ("Tern", "we") to serve as fractional CIO '
            'for Opal Dental, P.C. ("Opal" or "you").',
            {"Tern": ("provider", "provider"), "Opal": ("client", "client")},  # the firm
        ),
        (
            'In these terms, "KTS" means Kookaburra Technology Services Pty Ltd and "Customer" '
            "means the entity named on the Service Order.\n\nKTS will patch the servers.",
            {"KTS": ("provider", "provider")},  # a party defined like a term, beside the other
        ),
        (
            '"Technology Roadmap Lead" means the individual Vendor assigns to advise the '
            "District. The Lead meets the District monthly, and Vendor may replace the Lead.",
            {"Technology Roadmap Lead": ("advisor", "vcio"), "Lead": ("advisor", "vcio")},
            # a generic head used alone, when no other title ends with it
        ),
        (
            '"Technology Roadmap Lead" means the individual Vendor assigns to advise the '
            "District. The Lead meets the Project Lead monthly, and the Lead reports to the Board.",
            {"Technology Roadmap Lead": ("advisor", "vcio")},  # "the Lead" is ambiguous here
        ),
        (
            'Brume Conseil SRL (the "Consultant"), through its manager, Mrs. Hélène Dufresne, will '
            "act as fractional Chief Information Officer of the Company.",
            {"Hélène Dufresne": ("advisor", "advisor")},  # accented names are names
        ),
        (
            'Tsubaki Castings Co., Ltd., a company incorporated in Japan ("Party A" or the '
            '"Consignor"), and Kiri Systems K.K., a company incorporated in Japan ("Party B" or '
            'the "Consignee").\n\nParty B shall provide the services to Party A.',
            {
                "Party A": ("client", "client"),
                "Party B": ("provider", "provider"),
                "Consignor": ("client", "client"),
                "Consignee": ("provider", "provider"),
            },  # one bracket, two names, one party: still a two-party preamble
        ),
        (
            "We also give you a Strategic IT Counsel. This is a senior member of our team.",
            {"Strategic IT Counsel": ("advisor", "vcio")},  # a technology title handed over
        ),
        (
            "We also give you a Welcome Pack and a Premier Parking Pass.",
            {},  # a title-case thing handed over that is no technology role
        ),
        (
            "Your Technology Mentor is Aroha Ngata. She meets you each month.",
            {"Technology Mentor": ("advisor", "vcio"), "Aroha Ngata": ("advisor", "vcio")},
        ),
        (
            "The General Data Protection Regulation (GDPR) applies. The Data Officer is Tom Weir.",
            {},  # a bare acronym of a law; a person holding a title that is no IT advisor's
        ),
        (
            "| 2 | Solutions Account Lead acting as Virtual IT Director, 6 hours a month | 12 |",
            {"Solutions Account Lead": ("advisor", "vcio")},  # an order line: no article needed
        ),
        (
            "The Network Support Engineer acting as site contact will log each visit.",
            {},  # acting as something that is no IT leader
        ),
        (
            "Your Client Success Lead serves as your virtual CIO.",
            {"Client Success Lead": ("advisor", "vcio")},
        ),
        (
            "Acme will appoint Ms. Ruth Ngata as the Client's Technology Partner.",
            {"Technology Partner": ("advisor", "vcio"), "Ruth Ngata": ("advisor", "vcio")},
        ),
        (
            'Kea Consulting Limited (the "Advisor") will serve as the part-time CIO of Moa Dairy '
            'Limited, a New Zealand company (the "Dairy").',
            {"Dairy": ("client", "client")},  # the Advisor contracts: the other party is the client
        ),
        (
            "Wattle Grid will nominate one of its Solutions Partners to act as the Customer's "
            "virtual CIO.",
            {"Solutions Partner": ("advisor", "vcio")},  # singular of "one of its ...s"
        ),
        (
            "Order Form under the Master Terms of Wattle Grid Pty Ltd\n\n"
            "1. Wattle Grid will provide remote monitoring for the sites in Annexure A.\n"
            "2. Wattle Grid invoices monthly in arrears.",
            {"Wattle Grid": ("provider", "provider")},  # a legal name never bracketed, used bare
        ),
        (
            'Your plan includes planning help from a Technology Alignment Manager ("TAM").',
            {"TAM": ("advisor", "vcio")},  # an acronym of a technology title in brackets
        ),
        (
            'Each site is covered by the Data Protection Requirements ("DPR") in Exhibit C.',
            {},  # an acronym of a document, not of a person's title
        ),
        (
            'Acme will assign a Technology Navigator (the "Navigator") to advise you. The '
            "Navigator meets you monthly, and your Navigator keeps the plan.",
            {"Technology Navigator": ("advisor", "vcio"), "Navigator": ("advisor", "vcio")},
        ),
        (
            "Pemberton's principal, Ines Varga, will serve as the Client's fractional CIO.\n\n"
            "1.1 Ms. Varga will attend each board meeting.",
            {"Ines Varga": ("advisor", "advisor")},  # "Ms. Varga" is a mention of the person
        ),
        (
            "Ms. Okoro will act as the Client's interim CIO.",
            {"Okoro": ("advisor", "advisor")},  # a title and a surname alone
        ),
        (
            "Harrier's account executive, currently Ms. Dana Holt, will act as the Client's "
            "day-to-day risk advisor.",
            {},  # an advisor, but not an IT one
        ),
        (
            "SERVICE ORDER\n\nPROVIDER\nKestrel Cloud Works, Inc., 9 Mill Lane, Leeds\n\n"
            "Kestrel will patch the servers. Kestrel invoices monthly.",
            {"Kestrel": ("provider", "provider")},  # an order form's party block, no colon
        ),
        (
            "Buyer: Elmsworth Learning Trust, a charitable company\n\nThe Supplier will host "
            "the Trust's systems and report to the Trust's bursar.",
            {"Trust": ("client", "client")},  # a labelled party's head noun, used with "the"
        ),
        (
            "Customer: Marlow Parish Council, a local authority\n\nThe Council may end the "
            "contract. The Council pays monthly.",
            {"Council": ("client", "client")},
        ),
        (
            'Quarry Lane Advisory LLC ("I", "me" or "Quarry") and Dunmore Credit Union '
            '("Dunmore" or "you").',
            {"Quarry": ("provider", "provider")},  # "I" is the writer, not the client
        ),
        (
            'Harbour IT Ltd ("Harbour") and Kelp Foods Ltd ("Kelp"). Harbour will provide support '
            "services and a Systems Steward. The Systems Steward shall advise Kelp on its "
            "technology roadmap, and the Systems Steward attends the board.",
            {
                "Harbour": ("provider", "provider"),
                "Kelp": ("client", "client"),
                "Systems Steward": ("advisor", "vcio"),  # a new title, known by what it does
            },
        ),
        (
            '"Digital Leadership Partner" or "DLP" means the person named in Schedule 3.',
            {"Digital Leadership Partner": ("advisor", "vcio"), "DLP": ("advisor", "vcio")},
        ),
        (
            "The Customer's Operations Director shall advise the Supplier of site closures. The "
            "Operations Director signs off each change.",
            {},  # the client's own officer advises the provider: not the advisor
        ),
        (
            'Birchfield Advisory LLC ("Birchfield" or the "Consultant") will provide fractional '
            'CIO services to Osprey Freight, Inc. (the "Company"). The Company will give the '
            "Consultant desk space and access to its systems.",
            {"Birchfield": ("provider", "provider"), "Company": ("client", "client")},
        ),
        (
            'Nimbus Backup Ltd ("Nimbus") and Alder IT Ltd ("Alder"). Nimbus develops and sells '
            "the Nimbus Vault backup platform. Alder provides managed IT services to small firms. "
            "Nimbus shall pay Alder a fee for each referral of a buyer of Nimbus products.",
            {"Alder": ("provider", "provider")},  # the vendor is neither provider nor client
        ),
        (
            'In this Agreement, "Plan" means the program in Part 2; "Technology Alignment Manager" '
            'or "TAM" means the individual named in Schedule A; and "Sponsor" means the COO.',
            {"TAM": ("advisor", "vcio")},  # several definitions on one line; a known title's twin
        ),
        (
            'HARBOUR LIGHT NETWORKS LTD., a company incorporated in Manitoba\n(the "Supplier")'
            "\n\n- and -\n\nMAPLE RIDGE CREDIT UNION LIMITED, a credit union incorporated in "
            'Manitoba\n(the "Credit Union")\n\nThe Credit Union shall pay the fees.',
            {"Credit Union": ("client", "client")},  # the bracket on the line below the name
        ),
        (
            'between Fernway Networks LLC, an Oregon limited liability company ("Fernway"), and '
            'Alder Clinic, an Oregon nonprofit corporation (the "Clinic"). Fernway shall provide '
            "a virtual Chief Information Officer to the Clinic.",
            {"Fernway": ("provider", "provider"), "Clinic": ("client", "client")},
        ),
        (
            'A senior Tui consultant (the "Pathfinder") will act as the Orchard\'s part-time '
            "technology strategist.",
            {"Pathfinder": ("advisor", "advisor")},  # a long "act as ..." (part-time: "advisor")
        ),
        (
            '"Compass" means the Lindiwe consultant assigned to the Technology Compass service. '
            "The Compass will advise the Depot on systems. The Compass meets the Depot monthly.",
            {"Compass": ("advisor", "vcio")},  # a one-word title, defined and then advising
        ),
        (
            'The plan includes a Fractional Head of Technology ("FHT") for the clinic.',
            {
                "Fractional Head of Technology": ("advisor", "advisor"),
                "FHT": ("advisor", "advisor"),
            },
        ),
        (
            'Harlow Systems LLC (the "Consultant"), acting through its principal, Rosa Imrie '
            '("Ms. Imrie"), will lead the technology strategy.',
            {"Ms. Imrie": ("advisor", "vcio")},  # the advisor in person
        ),
        (
            'Larchway Distribution, Inc. ("Larchway") and the reseller named in the order form '
            '("Partner"). Larchway distributes backup subscriptions published by third parties. '
            "Larchway appoints Partner as a reseller. Partner provides managed IT services to its "
            "own customers.",
            {"Partner": ("provider", "provider")},  # a distributor is a vendor, not the client
        ),
        (
            'Tern Networks, Inc., a Delaware corporation ("Tern"), and Gull & Reed LLP, a law '
            'partnership located in Ohio (the "Firm"). Tern shall monitor the Firm\'s network. '
            "Tern will patch the Firm's systems.",
            {"Tern": ("provider", "provider"), "Firm": ("client", "client")},
        ),
        (
            'Thank you for choosing Benmore Networks Ltd ("Benmore") to support Carrick Housing '
            'Co-operative Limited (the "Co-operative"). Benmore will provide IT support services.',
            {"Benmore": ("provider", "provider"), "Co-operative": ("client", "client")},
        ),
        (
            "UVC will also provide the services of Mr Gareth Prys as the Council's \"IT Director "
            'as a Service". Gareth will attend meetings. Gareth will report to the Clerk.',
            {
                "IT Director": ("advisor", "vcio"),
                "Gareth Prys": ("advisor", "vcio"),
            },
        ),
        (
            'Benmore Networks Ltd ("Benmore") will provide a Technology Convenor, who will act as '
            "the Co-operative's part-time head of IT.",
            {"Technology Convenor": ("advisor", "advisor")},
        ),
        (
            '"SSC" means the Systems Strategy Consultant. The SSC will prepare the roadmap.',
            {"SSC": ("advisor", "vcio")},  # another name for a technology title
        ),
        (
            "Your Technology Lead is a senior consultant of ours who acts as your virtual CIO.",
            {"Technology Lead": ("advisor", "vcio")},
        ),
        (
            # the person an advisor's definition names is the advisor too
            '"Technology Liaison" means Ewan Farquhar, or any replacement agreed under clause 5.\n'
            "The Technology Liaison shall advise the Trust on its technology strategy.\n"
            "The Technology Liaison will attend the quarterly board meeting.\n"
            "Cannonmills will not move Ewan Farquhar off the account.",
            {"Technology Liaison": ("advisor", "vcio"), "Ewan Farquhar": ("advisor", "vcio")},
        ),
        (
            # a title set off by dashes, whose holder "helps you make calls about technology", and
            # whose duties are a list holding the technology roadmap
            "Each subscription includes a named adviser - your Tech Navigator - who learns how "
            "the firm operates and helps you make better calls about technology.\n"
            "Your Tech Navigator will:\n  (a) meet your office manager each month;\n"
            "  (b) maintain a two-year technology roadmap for the firm.\n",
            {"Tech Navigator": ("advisor", "vcio")},
        ),
    ],
)
def test_defined_names_get_a_role_from_their_definition(text: str, expected: dict) -> None:
    assert alias_names(text) == expected


def test_european_legal_forms_describe_a_party() -> None:
    from contract_audit import aliases as A
    from contract_audit import qualifiers as Q
    from contract_audit.brackets import read_brackets

    vocab = A.Vocabulary.from_cues(load_rules().cues, Q.NOT_A_PARTY)
    text = (
        'between\n\nSeeland Uhren SA, Rue du Lac 4, 2502 Biel, Switzerland ("Seeland")\n\nand\n\n'
        'Rigi Informatik AG, Bahnhofplatz 9, 6410 Goldau, Switzerland ("Rigi")\n\n'
        "Payment is due as agreed (Basel)."
    )
    parties = read_brackets(text, vocab, lambda name, role: None, set()).parties
    assert [name for name, _ in parties] == ["Seeland", "Rigi"]


def test_a_bracket_after_a_document_title_names_no_party() -> None:
    from contract_audit import aliases as A
    from contract_audit import qualifiers as Q
    from contract_audit.brackets import read_brackets

    vocab = A.Vocabulary.from_cues(load_rules().cues, Q.NOT_A_PARTY)
    document_ref = (
        'Orrin IT Ltd, a Welsh company (the "Contractor").\n\n1. The Contractor shall provide IT '
        'services to the Board as described in the Description of the Services ("DOS").'
    )
    parties = read_brackets(document_ref, vocab, lambda name, role: None, set()).parties
    assert [name for name, _ in parties] == ["Contractor"]
    by_reference = (
        'Orrin IT Ltd, a Welsh company (the "Contractor"), and the school named in the Order '
        'Form (the "Academy").'
    )
    parties = read_brackets(by_reference, vocab, lambda name, role: None, set()).parties
    assert [name for name, _ in parties] == ["Contractor", "Academy"]


@pytest.mark.parametrize(
    "text",
    [
        'This Services Agreement (the "Agreement") starts on the date below (the "Start Date").',
        'Provider will lead the selection of a new practice management platform (the "Project").',
        "The parties meet in Denver (Colorado) each quarter.",
        "Jo Park, our office manager, will act as the contact for invoices.",
        '"Associates" means the paralegals and clerks employed by the Agency.',
    ],
)
def test_terms_places_and_unrelated_people_are_not_aliases(text: str) -> None:
    assert alias_names(text) == {}


def test_a_named_advisor_is_the_advisor_by_name_and_by_title(tmp_path: Path) -> None:
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-keep",
            family="protection",
            patterns={
                "tokens": [
                    [
                        {"LOWER": "replace"},
                        {"LOWER": {"IN": ["the", "your"]}, "OP": "?"},
                        {"LOWER": {"IN": ["vcio", "advisor"]}},
                    ]
                ]
            },
        ),
    )
    text = (
        "Ana Ruiz, our managing principal, will personally serve as your fractional CIO.\n\n"
        "We will not replace Ms. Ruiz without your consent. We will not replace Ana Ruiz "
        "for convenience. The client may replace Mr. Okafor at any time."
    )
    found = [f.match for f in engine.match(document(text), rs).findings]
    assert found == ["replace Ms. Ruiz", "replace Ana Ruiz"]
    assert alias_names("Acme will assign Mr. Tomas Vidal as the Client's Technology Partner.") == {
        "Technology Partner": ("advisor", "vcio"),
        "Tomas Vidal": ("advisor", "vcio"),
    }


def test_rules_see_an_alias_as_its_canonical_word(tmp_path: Path) -> None:
    rs = ruleset_of(tmp_path, *ALIAS_RULES)
    text = (
        'Orchard Networks LLC, a Delaware limited liability company ("Orchard"), and Pine '
        'Dental Group, P.C., a Texas professional corporation ("Practice"). Orchard will provide '
        "managed IT services to Practice.\n\n"
        '"Technology Steward" means the individual whom Orchard designates to give strategic '
        "technology guidance.\n\n"
        "The Technology Steward will follow Orchard's playbook. Orchard's staff may be "
        "reassigned. Every purchase must be approved by Practice in writing. Our Technology "
        "Stewards will follow the same rules."
    )
    result = engine.match(document(text), rs)
    got = {(f.rule, f.match) for f in result.findings}
    assert got == {
        ("t-vcio-duty", "Technology Steward will follow"),
        ("t-vcio-duty", "Technology Stewards will follow"),  # plural
        ("t-provider-staff", "Orchard's staff"),  # possessive
        ("t-client-approval", "approved by Practice"),
    }
    for f in result.findings:  # offsets still locate the original words
        assert text[f.start : f.end] == f.match


def test_lower_case_words_are_not_aliases(tmp_path: Path) -> None:
    rs = ruleset_of(tmp_path, *ALIAS_RULES)
    text = (
        'Tern Networks LLC (the "Supplier") and Gull Ltd, an English company (the "Customer").\n\n'
        "Quotes come from three suppliers. The purchase must be approved by customer services."
    )
    assert engine.match(document(text), rs).findings == ()


def test_a_cue_written_with_the_contracts_own_word_still_counts(tmp_path: Path) -> None:
    """Aliases only add readings: a qualifier cue naming the defined word still fires."""
    neg = {"name": "consent", "cues": ["without the company's consent"], "effect": "protection"}
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-compete",
            family="divided-loyalty",
            patterns={"phrases": ["competitor of the client"]},
            qualifiers=[neg],
        ),
    )
    text = (
        'Kite Dairy Ltd, an English company (the "Company"), engages Heron IT Ltd, an English '
        'company (the "Consultant").\n\nThe Consultant shall not act for a competitor of the '
        "Company without the Company's consent."
    )
    (f,) = engine.match(document(text), rs).findings
    assert f.family == "protection" and f.match == "competitor of the Company"


def test_engagement_signals_read_aliases() -> None:
    from contract_audit.engagement import classify

    text = (
        'Orchard Networks LLC, a Delaware limited liability company ("Orchard"), provides '
        "managed IT services to the Client.\n\n"
        '"Technology Steward" means the individual whom Orchard designates to give strategic '
        "technology guidance.\n\n"
        "The Technology Steward meets the Client every quarter. The Technology Steward keeps a "
        "technology roadmap. Orchard operates the help desk and monitors the network."
    )
    doc = document(text)
    assert classify(doc, engine.match(doc, load_rules())).type == "msp-vcio"


# --------------------------------------------------------------------------- headings


@pytest.mark.parametrize(
    ("sentence", "whole_line", "expected"),
    [
        ("Section 6.1 Non-Solicitation.", False, True),
        ("4. VENDOR INCENTIVES AND CONFLICTS", True, True),
        ("Can we hire the person who advises us?", True, True),
        ("Referral Fees and Rebates", True, True),
        ("Referral Fees", False, False),  # mid-paragraph words, not a caption
        ("Provider shall not solicit Client's staff.", True, False),
        ("(b) a cyber security plan for the Board;", True, False),
        ("Hardware appliances: Provider cost + 20% uplift", True, False),
        ("| Reports to | Chief Financial Officer |", True, False),  # a table row is content
        ("Accountable to: the Practice Manager.", True, False),  # a label and its value
        ("Schedule 2: Vendor Incentives", True, True),
    ],
)
def test_looks_like_heading(sentence: str, whole_line: bool, expected: bool) -> None:
    assert engine.looks_like_heading(sentence, whole_line) is expected


def test_headings_give_no_findings_or_evidence_but_may_signal(tmp_path: Path) -> None:
    rs = ruleset_of(
        tmp_path,
        rule("t-solicit", family="divided-loyalty", patterns={"phrases": ["non-solicitation"]}),
        rule("t-hire", family="protection", patterns={"phrases": ["hire our advisor"]}),
        rule(
            "t-ev",
            family="missing-responsibility",
            kind="requirement",
            element="scope",
            patterns={"phrases": ["vendor incentives"]},
        ),
        {
            "id": "t-sig",
            "kind": "signal",
            "engagement": "msp-vcio",
            "weight": 1,
            "title": "A signal",
            "patterns": {"phrases": ["vendor incentives"]},
            "examples": BASE_RULE["examples"],
        },
    )
    text = (
        "4. VENDOR INCENTIVES AND CONFLICTS\n\n"
        "Section 6.1 Non-Solicitation. Client may hire staff freely.\n\n"
        "Can we hire our advisor?\n\n"
        "Yes. You may hire our advisor at any time. Non-solicitation terms do not apply, and "
        "vendor incentives are disclosed."
    )
    result = engine.match(document(text), rs)
    got = sorted((f.rule, f.text) for f in result.findings)
    assert got == [
        ("t-hire", "You may hire our advisor at any time."),
        ("t-solicit", "Non-solicitation terms do not apply, and vendor incentives are disclosed."),
    ]
    assert [e.text for e in result.evidence["scope"]] == [
        "Non-solicitation terms do not apply, and vendor incentives are disclosed."
    ]
    assert len(result.signals) == 2  # the heading still signals


def test_a_sections_caption_is_a_heading(tmp_path: Path) -> None:
    rs = ruleset_of(tmp_path, rule("t-fees", patterns={"phrases": ["referral fees"]}))
    text = "7.2 Referral fees\n\nProvider keeps referral fees paid by vendors."
    sections = (Section("7.2", "Referral fees", 0, len(text), 1, None),)
    result = engine.match(document(text, sections), rs)
    assert [f.text for f in result.findings] == ["Provider keeps referral fees paid by vendors."]


def test_a_list_item_reads_its_lead_in_for_a_required_context(tmp_path: Path) -> None:
    """A verbless item ("(b) a vendor shortlist ...") finishes the sentence that introduces
    the list, so a context required to be present may sit in that lead-in; an item of a list
    whose lead-in lacks it, or a line that is no list item, still needs it itself."""
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-shortlist",
            patterns={"phrases": ["vendor shortlist"]},
            qualifiers=[
                {
                    "name": "needs-verb",
                    "cues": ["provide", "deliver"],
                    "when": "absent",
                    "effect": "drop",
                }
            ],
        ),
    )
    listed = (
        "The vCIO will provide the Client with:\n"
        "(a) quarterly business reviews;\n"
        "(b) a vendor shortlist for each purchase; and\n"
        "(c) an annual budget.\n"
    )
    (f,) = engine.match(document(listed), rs).findings
    assert f.match == "vendor shortlist"
    assert not engine.match(document(listed.replace("provide", "attend")), rs).findings
    unlisted = "The vCIO will provide the Client with:\n\nA vendor shortlist for each purchase.\n"
    assert not engine.match(document(unlisted), rs).findings


def test_a_list_items_first_words_continue_its_lead_in_for_a_cue_before(tmp_path: Path) -> None:
    """A cue required within a few words before the match may end the lead-in when the match
    opens its item ("The vCIO will provide: ... (b) a review of the Provider's service
    levels"), or lies deeper in an item that names no party before it (the lead-in's subject
    still acts); an item that names its own actor before the match does not read it."""
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-review",
            patterns={"phrases": ["service review"]},
            qualifiers=[
                {
                    "name": "needs-advisor",
                    "cues": ["vcio"],
                    "direction": "before",
                    "window": 6,
                    "when": "absent",
                    "effect": "drop",
                }
            ],
        ),
    )
    listed = (
        "The vCIO will provide:\n"
        "(a) an architecture document;\n"
        "(b) a quarterly service review of the Provider's service levels.\n"
    )
    (f,) = engine.match(document(listed), rs).findings
    assert f.match == "service review"
    deep = listed.replace("a quarterly", "after the close of each calendar quarter, a")
    (f,) = engine.match(document(deep), rs).findings
    assert f.match == "service review"
    own = listed.replace("a quarterly", "after each calendar quarter, the Provider's own quarterly")
    assert not engine.match(document(own), rs).findings
    assert not engine.match(document(listed.replace("vCIO", "Client")), rs).findings


def test_a_negation_governs_the_rest_of_its_sentence_for_the_same_rule(tmp_path: Path) -> None:
    """A match far after the "not" that made an earlier match of the same rule a protection is
    under the same negation; a "but" gives the sentence a second, unnegated clause."""
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-other-clients",
            patterns={"phrases": ["advisory services", "competitor"]},
            qualifiers=[
                {
                    "name": "negated",
                    "cues": ["not"],
                    "direction": "before",
                    "window": 8,
                    "effect": "protection",
                }
            ],
        ),
    )
    negated = (
        "The Consultant shall not, during the Term, provide advisory services to any competitor."
    )
    (f,) = engine.match(document(negated), rs).findings
    assert f.family == "protection" and f.match == "advisory services"
    turned = (
        "The Consultant shall not, in its first year, sell advisory services, "
        "but may advise a competitor."
    )
    families = sorted(f.family for f in engine.match(document(turned), rs).findings)
    assert families == ["protection", "vendor-incentive"]


def test_a_table_cell_is_a_clause_of_its_own(tmp_path: Path) -> None:
    """A row's cells are separate terms: a price in the next cell is not in the clause of an
    allowance of hours, while a price in the same cell still is."""
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-hours",
            patterns={"phrases": ["hours per month"]},
            qualifiers=[{"name": "money", "cues": ["$"], "window": "clause", "effect": "drop"}],
        ),
    )
    row = "| vCIO retainer | 16 hours per month | $3,200 |\n"
    (f,) = engine.match(document(row), rs).findings
    assert f.match == "hours per month"
    same_cell = "| vCIO retainer | 16 hours per month at $200 |\n"
    assert not engine.match(document(same_cell), rs).findings


def test_a_named_advisor_called_by_first_name_is_still_the_advisor() -> None:
    from contract_audit import aliases as A
    from contract_audit import qualifiers as Q

    text = (
        'Keystone IT LLC ("Provider") and Acme Dental PC ("Client").\n\n'
        "Gareth Pryce, our senior consultant, will serve as your virtual CIO.\n\n"
        "Gareth will attend quarterly reviews. Gareth will report to the Client's owner.\n"
    )
    vocab = A.Vocabulary.from_cues(load_rules().cues, Q.NOT_A_PARTY)
    found = [text[a:b] for a, b, _c in A.mentions(text, A.find_aliases(text, vocab))]
    assert found == ["Gareth Pryce", "Gareth", "Gareth"]
    once = text.replace("Gareth will report", "She will report")  # one bare use: no alias
    assert [once[a:b] for a, b, _c in A.mentions(once, A.find_aliases(once, vocab))] == [
        "Gareth Pryce"
    ]


def test_a_number_in_brackets_is_a_number_not_an_emoticon() -> None:
    """spaCy keeps "8)" whole as a smiley; "eight (8) hours" must give the number 8."""
    from contract_audit.nlp import make_doc

    words = [t.text for t in make_doc("up to eight (8) hours a month and thirty (30) days")]
    assert words[3:6] == ["(", "8", ")"]
    assert "8)" not in words


def test_a_required_topic_with_window_context_may_sit_in_the_sentence_before(
    tmp_path: Path,
) -> None:
    """``window: context`` reads the sentence before in the same paragraph ("You may buy laptops
    through us. If you do, we price them at cost plus 12%."), never the paragraph before."""
    topic = {"name": "needs-tech", "cues": ["laptops"], "when": "absent", "effect": "drop"}
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-markup",
            patterns={"phrases": ["cost plus"]},
            qualifiers=[{**topic, "window": "context"}],
        ),
    )
    same = "You may buy laptops through us. If you do, we price them at our cost plus 12%.\n"
    (f,) = engine.match(document(same), rs).findings
    assert f.match == "cost plus"
    apart = "You may buy laptops through us.\n\nIf you do, we price them at our cost plus 12%.\n"
    assert not engine.match(document(apart), rs).findings
    narrow = ruleset_of(
        tmp_path / "n", rule("t-markup", patterns={"phrases": ["cost plus"]}, qualifiers=[topic])
    )
    assert not engine.match(document(same), narrow).findings


def test_a_clause_opening_with_such_reads_the_clause_before(tmp_path: Path) -> None:
    """A clause of its own that opens by pointing back ("5.5 If such a benefit is paid ...")
    takes its topic from the clause above it with ``window: context``; a "such" deeper in the
    sentence, or "such as", refers within its own sentence and lends nothing."""
    topic = {"name": "needs-vendor", "cues": ["supplier"], "when": "absent"}
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-report",
            patterns={"phrases": ["shall be reported"]},
            qualifiers=[{**topic, "window": "context", "effect": "drop"}],
        ),
    )
    above = "5.4 The Adviser shall accept no gift or other benefit from a supplier.\n\n"
    pointing = above + "5.5 If such a benefit is offered, it shall be reported to the Board.\n"
    (f,) = engine.match(document(pointing), rs).findings
    assert f.match == "shall be reported"
    deeper = above + "5.5 Any gift offered at a meeting and any such benefit shall be reported.\n"
    assert not engine.match(document(deeper), rs).findings
    such_as = above + "5.5 Such as it is, any gift shall be reported to the Board.\n"
    assert not engine.match(document(such_as), rs).findings


def test_a_clause_pointing_to_the_clause_it_repeats_adds_no_finding(tmp_path: Path) -> None:
    """ "If the Client breaches clause 6.1, it shall pay a placement fee" prices the breach of
    6.1's own term: with a finding in 6.1 it adds none. A carve-out ("save as set out in") or a
    cited clause without that finding keeps it."""
    from contract_audit.extract import extract

    rs = ruleset_of(tmp_path, rule("t-fee", patterns={"phrases": ["placement fee"]}))

    def sections_found(body: str) -> list[str | None]:
        path = tmp_path / "c.txt"
        path.write_text("SERVICES AGREEMENT\n\n" + body)
        return [f.section for f in engine.match(extract(path), rs).findings]

    hire = "6.1 The Client shall not hire the vCIO; a placement fee protects the Provider.\n\n"
    breach = "6.2 If the Client breaches clause 6.1, it shall pay a placement fee of 20%.\n"
    assert [s.split()[0] for s in sections_found(hire + breach)] == ["6.1"]
    saved = "6.2 Save as set out in clause 6.1, a placement fee of 20% is payable.\n"
    assert len(sections_found(hire + saved)) == 2
    other = "6.1 The Client shall not hire the vCIO.\n\n"
    assert len(sections_found(other + breach)) == 1


def test_a_question_grants_nothing_its_answer_does(tmp_path: Path) -> None:
    """An FAQ's question ("Do we have to tell our clients about our margins?") promises
    nothing; the answer below it is the term."""
    rs = ruleset_of(tmp_path, rule("t-margin", patterns={"phrases": ["our margins"]}))
    faq = "Do we have to tell our clients about our margins?\n\nNo. Our margins stay ours.\n"
    (f,) = engine.match(document(faq), rs).findings
    assert f.text == "Our margins stay ours."


def _time_evidence(tmp_path: Path, window: str) -> Callable[[str], list]:
    """The evidence of a time-commitment rule ("hours a month") that needs the adviser named
    within ``window``, as a function of the text."""
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-time",
            kind="requirement",
            family="missing-responsibility",
            element="time-commitment",
            patterns={"tokens": [[{"LOWER": "hours"}, {"LOWER": "a"}, {"LOWER": "month"}]]},
            qualifiers=[
                {
                    "name": "needs-advisor",
                    "cues": ["adviser"],
                    "when": "absent",
                    "window": window,
                    "effect": "drop",
                }
            ],
        ),
    )

    def evidence(text: str) -> list:
        return list(engine.match(document(text), rs).evidence.get("time-commitment", ()))

    return evidence


def test_an_faq_answer_takes_its_topic_from_the_question_above(tmp_path: Path) -> None:
    """An answer paragraph under a question line ("How much of the adviser's time do we get?")
    reads the question with ``window: context``; a caption or a clause above does not lend."""
    evidence = _time_evidence(tmp_path, "context")
    faq = (
        "How much of the adviser's time do we get?\n\nUp to four hours a month. More on request.\n"
    )
    assert len(evidence(faq)) == 1
    caption = "Support hours for the adviser\n\nUp to four hours a month. More on request.\n"
    assert evidence(caption) == []
    clause = "The adviser meets you each quarter.\n\nUp to four hours a month are included.\n"
    assert evidence(clause) == []


def test_an_answer_reads_the_question_of_its_own_paragraph(tmp_path: Path) -> None:
    """ "Q: How much of my adviser's time do I get? A: Up to four hours a month." answers the
    question before it in the same paragraph: a ``window: sentence`` requirement reads it, as a
    list item reads its lead-in; a question on a line of its own above stays a heading."""
    evidence = _time_evidence(tmp_path, "sentence")
    same = "Q: How much of my adviser's time do I get? A: Up to four hours a month.\n"
    assert len(evidence(same)) == 1
    above = "How much of the adviser's time do we get?\n\nUp to four hours a month.\n"
    assert evidence(above) == []
    assert evidence("We are glad to help. Up to four hours a month.\n") == []


def test_window_context_is_only_for_a_required_topic(tmp_path: Path) -> None:
    from contract_audit.rules import RuleError

    bad = rule(
        "t-bad",
        patterns={"phrases": ["cost plus"]},
        qualifiers=[{"name": "neg", "cues": ["not"], "window": "context", "effect": "drop"}],
    )
    with pytest.raises(RuleError) as info:
        ruleset_of(tmp_path, bad)
    assert "window: context' only applies to 'when: absent'" in str(info.value.problems)


def test_a_cue_ending_a_lists_lead_in_governs_its_items(tmp_path: Path) -> None:
    """ "The vCIO will not:" then "- accept a referral fee ...": the item is negated."""
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-fee",
            patterns={"phrases": ["referral fee"]},
            qualifiers=[
                {
                    "name": "negated",
                    "cues": ["not", "never"],
                    "direction": "before",
                    "window": 6,
                    "effect": "protection",
                }
            ],
        ),
    )
    negated = "The vCIO will not:\n- accept a referral fee from a vendor;\n- share data.\n"
    (f,) = engine.match(document(negated), rs).findings
    assert f.family == "protection" and f.qualifiers[0].cue == "not"
    plain = "The vCIO will:\n- accept a referral fee from a vendor;\n- share data.\n"
    (g,) = engine.match(document(plain), rs).findings
    assert g.family == "vendor-incentive"
    early = "The vCIO will not be paid, and will:\n- accept a referral fee from a vendor.\n"
    (h,) = engine.match(document(early), rs).findings
    assert h.family == "vendor-incentive"  # the cue must end the lead-in


def test_a_required_topic_may_sit_in_the_clause_a_sentence_refers_to(tmp_path: Path) -> None:
    """ "terminate if the Advisor breaches clause 6.2": with ``window: context`` the topic may be
    named by clause 6.2 itself (its heading or opening words)."""
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-terminate",
            family="protection",
            patterns={"phrases": ["breaches clause"]},
            qualifiers=[
                {
                    "name": "needs-conflict",
                    "cues": ["commission", "conflict"],
                    "when": "absent",
                    "window": "context",
                    "effect": "drop",
                }
            ],
        ),
    )
    text = (
        "6. INDEPENDENCE\n\n6.2 The Advisor shall not accept any commission from a supplier.\n\n"
        "7. CONFIDENTIALITY\n\n7.1 The Advisor shall keep the Group's information secret.\n\n"
        "10. TERMINATION\n\n10.1 The Group may terminate if the Advisor breaches clause {n}.\n"
    )
    sections = (
        Section("6.2", "", text.index("6.2"), text.index("7."), 2, None),
        Section("7.1", "", text.index("7.1"), text.index("10."), 2, None),
    )
    found = engine.match(document(text.format(n="6.2"), sections=sections), rs).findings
    assert [f.match for f in found] == ["breaches clause"]
    other = text.format(n="7.1")
    assert not engine.match(document(other, sections=sections), rs).findings
    carved = text.replace(
        "terminate if the Advisor breaches clause {n}",
        "except under clause {n}, the Advisor breaches clause",
    ).format(n="6.2")
    assert not engine.match(document(carved, sections=sections), rs).findings
    # a schedule's own numbering: "paragraph C1"
    lettered = text.replace("6.2 The Advisor", "C1 The Advisor")
    sections = (Section("C1", "", lettered.index("C1"), lettered.index("7."), 2, None),)
    found = engine.match(document(lettered.format(n="C1"), sections=sections), rs).findings
    assert [f.match for f in found] == ["breaches clause"]


@pytest.mark.parametrize(
    ("salutation", "you"), [("Dear Dr. Imani Reyes,", "consultant"), ("Dear Sirs,", "provider")]
)
def test_a_letter_of_appointment_to_a_person_reads_you_as_the_advisor(
    salutation: str, you: str
) -> None:
    """In a client's letter appointing one person, "you" is the provider and its advisor at
    once; a letter to a firm keeps "you" as the provider only."""
    letter = (
        f'HALEWOOD SCHOOL BOARD\n\n{salutation}\n\nThe Board of Halewood School (the "Board", '
        '"we", "us") is pleased to appoint you as our part-time head of technology. You will '
        "report to our Principal. We will pay your invoices within 30 days."
    )
    names = alias_names(letter)
    assert names["we"] == ("client", "client")
    assert names["you"] == ("provider", you)


def test_a_one_word_advisor_name_inside_another_title_is_someone_else() -> None:
    """The "Director" defined for the advisor is not the "Finance Director", the "Director of
    Nursing" or the "Board of Directors"; "Director of Client Technology" is the advisor."""
    from contract_audit import aliases as A
    from contract_audit import qualifiers as Q

    vocab = A.Vocabulary.from_cues(load_rules().cues, Q.NOT_A_PARTY)
    text = (
        'The Contractor shall designate a Director of Client Technology (the "Director") to '
        "serve as the Agency's part-time technology executive. The Director reports to the "
        "Finance Director and the Director of Nursing, and attends the Board of Directors."
    )
    aliases = A.find_aliases(text, vocab)
    assert [a.name for a in aliases] == ["Director"]
    found = [text[a:b] for a, b, _ in A.mentions(text, aliases)]
    assert found.count("Director") == 3  # the bracket, "The Director" and the full title
    assert "Directors" not in found


def test_table_rows_that_restate_a_clause_add_no_finding(tmp_path: Path) -> None:
    rs = ruleset_of(tmp_path, rule("t-uplift", patterns={"phrases": ["uplift"]}))
    rows = "| Laptops | cost + 15% uplift |\n| Firewalls | cost + 20% uplift |\n"
    lead = "C1. Hardware is priced at distributor cost plus the uplift shown below.\n\n"
    found = engine.match(document(lead + rows), rs).findings
    assert [f.text for f in found] == [lead.strip().removeprefix("C1. ")]
    docx_rows = "Laptops | cost + 15% uplift\nFirewalls | cost + 20% uplift\n"  # as DOCX reads
    assert len(engine.match(document(lead + docx_rows), rs).findings) == 1
    alone = "PRICING\n\n" + rows  # no clause outside the table: each row is a term of its own
    assert engine.match(document(alone), rs).findings
    # a fee schedule restating a clause anywhere else: "| Hardware | cost + 15% uplift |"
    clause = "3.2 Hardware is resold at cost plus an uplift.\n\n4. Term\n\nOne year.\n\n"
    found = engine.match(document(clause + "SCHEDULE 1\n\n" + rows), rs).findings
    assert [f.text for f in found] == ["3.2 Hardware is resold at cost plus an uplift."]


def test_a_token_value_the_tokenizer_cuts_matches_its_words(tmp_path: Path) -> None:
    """The tokenizer cuts "co-marketing" into "co", "-", "marketing" and "vendor's" into
    "vendor", "'s": a token spec listing such a value matches that sequence, its one-word values
    still match alone, and an optional spec may still be skipped."""
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-fund",
            patterns={
                "tokens": [
                    [
                        {"LOWER": {"IN": ["co-marketing", "co-op", "marketing"]}},
                        {"LOWER": {"IN": ["fund", "funds"]}},
                    ],
                    [
                        {"LOWER": "paid"},
                        {"LOWER": {"IN": ["up-front"]}, "OP": "?"},
                        {"LOWER": "to"},
                    ],
                    [{"LOWER": {"IN": ["vendor's", "its"]}}, {"LOWER": "rebate"}],
                ]
            },
        ),
    )
    for text, words in [
        ("Vendor pays a co-marketing fund to Provider.", "co-marketing fund"),
        ("Vendor pays into co-op funds each quarter.", "co-op funds"),
        ("Vendor pays a marketing fund to Provider.", "marketing fund"),
        ("The fee is paid up-front to Provider.", "paid up-front to"),
        ("The fee is paid to Provider.", "paid to"),
        ("Provider keeps the vendor's rebate.", "vendor's rebate"),
        ("Provider keeps its rebate.", "its rebate"),
    ]:
        assert [f.match for f in engine.match(document(text), rs).findings] == [words], text
    assert not engine.match(document("A co-branded fund was set up."), rs).findings


def test_a_sub_clause_reads_the_clause_its_number_extends(tmp_path: Path) -> None:
    """ "4.2.4 give the Firm his assessment ..." is an item of "4.2 The Virtual CIO shall:"; a
    "4.3" clause after the items is not, though it follows the same lead-in."""
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-review",
            patterns={"phrases": ["assessment of the service levels"]},
            qualifiers=[
                {"name": "needs-vcio", "cues": ["vcio"], "when": "absent", "effect": "drop"}
            ],
        ),
    )
    text = (
        "4.2 The vCIO shall:\n\n"
        "4.2.1 advise the Firm on technology;\n\n"
        "4.2.2 give the Firm an assessment of the service levels each quarter.\n\n"
    )
    (f,) = engine.match(document(text), rs).findings
    assert f.match == "assessment of the service levels"
    later = text + "4.3 The Firm may ask for an assessment of the service levels at any time.\n"
    assert len(engine.match(document(later), rs).findings) == 1


@pytest.mark.parametrize(
    "waiver",
    ["without prior notice to or the consent", "without the need to obtain the consent"],
)
def test_a_negator_reaches_a_cue_through_or(tmp_path: Path, waiver: str) -> None:
    """ "without prior notice to or the consent of the Client", "without the need to obtain the
    consent of the Client": the consent is dispensed with, though "without" stands more than
    three words before it."""
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-swap",
            patterns={"phrases": ["replace the vCIO"]},
            qualifiers=[
                {
                    "name": "consented",
                    "cues": ["consent of the client"],
                    "negators": ["without"],
                    "effect": "drop",
                }
            ],
        ),
    )
    waived = f"The Provider may, {waiver} of the Client, replace the vCIO."
    assert engine.match(document(waived), rs).findings
    needed = (
        "The Provider may, with prior notice to and the consent of the Client, replace the vCIO."
    )
    assert not engine.match(document(needed), rs).findings
    # a negator across other words still reaches nothing
    far = (
        "The Provider may, without delay but subject to the consent of the Client, replace the"
        " vCIO."
    )
    assert not engine.match(document(far), rs).findings


def test_a_numbers_abbreviation_is_no_negation(tmp_path: Path) -> None:
    """ "in the amount fixed in Appendix No. 2": "No." abbreviates a number and negates nothing,
    though the cue "no" reads the negation everywhere else."""
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-bonus",
            patterns={"phrases": ["pays the partner a bonus"]},
            qualifiers=[
                {"name": "refused", "cues": ["no"], "direction": "before", "effect": "drop"}
            ],
        ),
    )
    for numbered in ("Appendix No. 2", "Appendix No 2", "Contract No.17", "Annex no. 2"):
        text = f"Under {numbered} the Vendor pays the Partner a bonus each quarter."
        assert engine.match(document(text), rs).findings, numbered
    refused = "Under no plan the Vendor pays the Partner a bonus each quarter."
    assert not engine.match(document(refused), rs).findings


def test_a_name_ending_a_sentence_in_an_initial_still_reads_as_its_party(tmp_path: Path) -> None:
    """'... through Party B.': the tokenizer reads "B." as an initial, one token; the mention
    "Party B" must still become the provider."""
    rs = ruleset_of(tmp_path, rule("t-through", patterns={"phrases": ["through provider"]}))
    preamble = "PARTY A: Mekong Foods JSC\nPARTY B: Saigon IT Co., Ltd.\n\n"
    final = preamble + "1. Party A buys all equipment through Party B.\n"
    assert engine.match(document(final), rs).findings
    inner = preamble + "1. Party A buys all equipment through Party B each year.\n"
    assert engine.match(document(inner), rs).findings


def test_not_exclusive_is_no_negation(tmp_path: Path) -> None:
    """ "This engagement is not exclusive: the Consultant may advise other clients": "not" there
    qualifies "exclusive" (the engagement is non-exclusive), it negates no verb after it."""
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-shared",
            patterns={"phrases": ["advise other clients"]},
            qualifiers=[
                {"name": "refused", "cues": ["not"], "direction": "before", "effect": "drop"}
            ],
        ),
    )
    for shared in ("is not exclusive:", "shall not be exclusive, and", "is Not Exclusive;"):
        text = f"This engagement {shared} the Consultant may advise other clients."
        assert engine.match(document(text), rs).findings, shared
    refused = "This engagement is exclusive: the Consultant may not advise other clients."
    assert not engine.match(document(refused), rs).findings


def test_a_clause_naming_an_earlier_payment_as_its_subject_adds_no_finding(tmp_path: Path) -> None:
    """ "4.2 The Growth Rebate shall be issued as a credit memo" says how the rebate 4.1 created is
    paid; a new payment, or the name anywhere but as the subject, keeps its own finding."""
    rs = ruleset_of(
        tmp_path,
        rule("t-rebate", patterns={"phrases": ["growth rebate", "referral fee"]}),
    )

    def found(text: str) -> list[str]:
        return [f.match for f in engine.match(document(text), rs).findings]

    grant = "4.1 The Distributor shall grant the Reseller a growth rebate of 4% of purchases.\n"
    paid = "4.2 The Growth Rebate shall be issued as a credit memo within 45 days.\n"
    assert found(grant + paid) == ["growth rebate"]
    assert found(paid) == ["Growth Rebate"]  # nothing earlier created it
    other = "4.2 For each account, the Distributor also pays the Growth Rebate in cash.\n"
    assert found(grant + other) == ["growth rebate", "Growth Rebate"]
    fee = "4.2 The Referral Fee is paid on every new subscription.\n"
    assert found(grant + fee) == ["growth rebate", "Referral Fee"]


def test_a_cue_recited_as_already_done_in_the_sentence_before_is_voided(tmp_path: Path) -> None:
    """A required cue ("informed") negated by "having been" in the sentence before does not
    lend the context: "acknowledges having been informed that ..." recites a disclosure made."""
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-tie",
            patterns={"phrases": ["sponsored by the publisher"]},
            qualifiers=[
                {
                    "name": "needs-disclosure",
                    "cues": ["informed", "disclose"],
                    "negators": ["having been"],
                    "when": "absent",
                    "window": "context",
                    "effect": "drop",
                }
            ],
        ),
    )

    def found(text: str) -> int:
        return len(engine.match(document(text), rs).findings)

    tie = " The Consultant is sponsored by the publisher for its events."
    assert found("The Client acknowledges having been informed of this partnership." + tie) == 0
    assert found("The Consultant shall keep the Client informed of each partnership." + tie) == 1


def test_an_faq_question_gives_its_answer_a_topic_but_grants_nothing(tmp_path: Path) -> None:
    """In "Q: ...? A: ..." read as one sentence, a cue in the question ("any vendor") does not
    turn the answer's risk into a protection, and no match runs from the question into the
    answer; a cue in the answer still does."""
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-stack",
            patterns={
                "phrases": ["standard stack"],
                "tokens": [[{"LOWER": "suggest"}, {"OP": "{0,12}"}, {"LOWER": "stack"}]],
            },
            qualifiers=[
                {"name": "freedom", "cues": ["any vendor"], "window": "sentence",
                 "effect": "protection"}
            ],
        ),
    )

    def found(text: str) -> list[tuple[str, str]]:
        return [(f.family, f.match) for f in engine.match(document(text), rs).findings]

    faq = "Q: Will my vCIO suggest any vendor? A: Your vCIO works from our Standard Stack only.\n"
    assert found(faq) == [("vendor-incentive", "Standard Stack")]
    free = "Q: What will my vCIO suggest? A: Any vendor, not only our Standard Stack.\n"
    assert [family for family, _ in found(free)] == ["protection"]
