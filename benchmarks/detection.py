"""Detection figures, for rule authors iterating on patterns/ (run: python benchmarks/detection.py).

(a) the evaluation on fixtures/contracts (every miss and false positive listed);
(b) recall of the lawyer-labelled "No-Solicit Of Employees" clauses in ../shared/corpus/cuad:
    the share overlapped by a divided-loyalty finding of any severity (target >= 85%);
(c) medium/high findings on the negative controls ../shared/corpus/standard/NEG_* (target 0).

(b) and (c) are skipped with a message when ../shared/corpus is absent. Options: --only a|b|c,
--quiet (figures without the per-miss lists).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
NO_SOLICIT = "No-Solicit Of Employees"
NO_SOLICIT_TARGET = 0.85


def fixtures(ruleset, quiet: bool) -> None:
    from contract_audit.evaluation import evaluate, render

    started = time.perf_counter()
    report = evaluate(ROOT / "fixtures" / "contracts", ruleset)
    text = render(report)
    if quiet:
        text = text.split("\n== ", 1)[0]
    print(text.rstrip())
    print(f"({time.perf_counter() - started:.1f} s)")


def no_solicit(ruleset, quiet: bool) -> None:
    from contract_audit.analysis import analyze_document
    from contract_audit.evaluation import finding_span, locate, normalise
    from contract_audit.extract import ExtractionError, extract

    labels = CORPUS / "cuad" / "labels.csv"
    if not labels.is_file():
        print(f"skipped: {labels} not found")
        return
    clauses: dict[str, list[str]] = defaultdict(list)
    with labels.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["category"] == NO_SOLICIT:
                clauses[row["contract"]].append(row["clause"])
    caught, missed, unlocated = 0, [], []
    for contract, texts in sorted(clauses.items()):
        path = CORPUS / "cuad" / "txt" / f"{contract}.txt"
        try:
            document = extract(path)
        except ExtractionError as exc:
            unlocated += [(contract, c, f"unreadable: {exc.status}") for c in texts]
            continue
        result = analyze_document(document, ruleset)
        loyalty = [finding_span(f) for f in result.findings if f.family == "divided-loyalty"]
        norm, where = normalise(document.text)
        for clause in texts:
            # CUAD joins the parts of a clause split across the text with "<omitted>".
            parts = [locate(p, norm, where) for p in clause.split("<omitted>") if p.strip()]
            spans = [s for s in parts if s is not None]
            if not spans:
                unlocated.append((contract, clause, "clause not found in the text"))
                continue
            if any(_overlaps(s, f) for s in spans for f in loyalty):
                caught += 1
                continue
            near = [
                f"{f.family}/{f.rule}[{f.severity}]"
                for f in result.findings
                if any(_overlaps(s, finding_span(f)) for s in spans)
            ]
            missed.append((contract, clause, result.engagement.type, near))
    total = caught + len(missed)
    share = caught / total if total else 0.0
    verdict = "meets" if share >= NO_SOLICIT_TARGET else "BELOW"
    print(
        f"No-solicit clauses caught by a divided-loyalty finding: {caught}/{total} = {share:.1%} "
        f"({verdict} the {NO_SOLICIT_TARGET:.0%} target; {len(clauses)} contracts, "
        f"{len(unlocated)} clauses not located)"
    )
    if quiet:
        return
    for contract, clause, kind, near in missed:
        other = f"; overlapping: {', '.join(near)}" if near else ""
        print(f"  MISSED {contract} [{kind}]{other}\n    {_clip(clause)}")
    for contract, clause, why in unlocated:
        print(f"  NOT LOCATED ({why}) {contract}\n    {_clip(clause)}")


def negatives(ruleset, quiet: bool) -> None:
    from contract_audit.analysis import analyze_file

    folder = CORPUS / "standard"
    files = sorted(folder.glob("NEG_*")) if folder.is_dir() else []
    if not files:
        print(f"skipped: no {folder}/NEG_* files")
        return
    hits = []
    for path in files:
        result = analyze_file(path, ruleset)
        if result.status != "ok":
            print(f"  {path.name}: {result.status}: {result.message}")
            continue
        risky = [f for f in result.findings if f.severity in ("high", "medium")]
        hits += [(path.name, result.engagement.type, f) for f in risky]
    verdict = "meets" if not hits else "ABOVE"
    print(
        f"Medium/high findings on {len(files)} negative controls: {len(hits)} "
        f"({verdict} the target of 0)"
    )
    if not quiet:
        for name, kind, f in hits:
            print(f"  {name} [{kind}] {f.family}/{f.rule} [{f.severity}]\n    {_clip(f.text)}")


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _clip(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("a", "b", "c"), action="append")
    parser.add_argument("--quiet", action="store_true", help="figures only, no per-miss lists")
    args = parser.parse_args(argv)
    from contract_audit.rules import load_rules

    ruleset = load_rules()
    parts = {
        "a": ("(a) fixtures/contracts", fixtures),
        "b": ("(b) CUAD no-solicit clauses", no_solicit),
        "c": ("(c) negative controls in shared/corpus/standard", negatives),
    }
    for key in args.only or ("a", "b", "c"):
        title, run = parts[key]
        print(f"\n=== {title} (rules {ruleset.version})")
        run(ruleset, args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
