"""Excerpts: highlight the right words, never build HTML, trim long clauses sensibly."""

from __future__ import annotations

from contract_audit.report.excerpt import Piece, clause_pieces, locate, pieces


def test_offset_is_trusted_when_it_agrees() -> None:
    text = "fee here; and the fee there"
    assert locate(text, "fee", 18) == (18, 21)


def test_wrong_offset_falls_back_to_search() -> None:
    text = "Provider keeps the Referral Fee."
    assert locate(text, "referral fee", 99) == (19, 31)
    assert locate(text, "referral  fee", None) is None or locate(text, "referral  fee", None) == (
        19,
        31,
    )


def test_whitespace_differences_still_found() -> None:
    text = "Provider keeps the referral\nfee."
    assert locate(text, "referral fee", None) == (19, 31)


def test_missing_match_gives_plain_text() -> None:
    assert pieces("No such words.", "commission", 0) == [Piece("No such words.")]
    assert pieces("", "x", 0) == []


def test_pieces_join_back_to_the_text() -> None:
    text = "Provider may accept <b>referral fees</b> from vendors."
    ps = pieces(text, "referral fees", text.index("referral"))
    assert "".join(p.text for p in ps) == text
    assert [p.text for p in ps if p.mark] == ["referral fees"]


def test_trim_keeps_match_and_marks_cuts() -> None:
    text = "word " * 400 + "TARGET" + " more" * 400
    ps = pieces(text, "TARGET", text.index("TARGET"))
    joined = "".join(p.text for p in ps)
    assert joined.startswith("…") and joined.endswith("…")
    assert len(joined) < 1000
    assert [p.text for p in ps if p.mark] == ["TARGET"]


def test_match_near_the_start_is_not_prefixed() -> None:
    text = "TARGET " + "tail " * 500
    joined = "".join(p.text for p in pieces(text, "TARGET", 0))
    assert joined.startswith("TARGET") and joined.endswith("…")


def test_clause_pieces_separate_suggested_language() -> None:
    rec = (
        'Ask for disclosure: "Provider shall disclose every referral fee it receives in '
        'writing." Also ask for a "credit".'
    )
    ps = clause_pieces(rec)
    assert [p.mark for p in ps] == [False, True, False]
    assert ps[1].text == "Provider shall disclose every referral fee it receives in writing."
    assert '"credit"' in ps[2].text  # a short quoted term stays in the prose
    assert clause_pieces("") == []
    assert clause_pieces("Plain advice.") == [Piece("Plain advice.")]


def test_curly_quotes() -> None:
    ps = clause_pieces(
        "Add: “The Advisor shall act in the best interests of the Client at all times.”"
    )
    assert ps[-1].mark and ps[-1].text.startswith("The Advisor")


def test_bidi_controls_are_shown_not_obeyed() -> None:
    text = "Client pays \u202eeef larrefer\u202c nothing."
    joined = "".join(p.text for p in pieces(text, "nothing", None))
    assert "\u202e" not in joined and "[U+202E]" in joined and "[U+202C]" in joined
