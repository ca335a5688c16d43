"""Measure the analyzer against a labelled folder (``<stem>.txt|pdf|docx`` + ``<stem>.labels.yml``).

Rule authors iterate on ``patterns/`` with this: it prints precision and recall per family, element
and engagement accuracy, risk findings on negative controls, and lists every miss and false
positive with its file and text. The matching rules are in docs/evaluation.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from contract_audit.domain import ELEMENTS, ENGAGEMENT_TYPES, FAMILIES
from contract_audit.results import DocumentResult, Finding

SPAN_FAMILIES: tuple[str, ...] = ("vendor-incentive", "divided-loyalty", "protection")
MISSING = "missing-responsibility"
FORMATS: tuple[str, ...] = (".txt", ".pdf", ".docx")
LABEL_SUFFIX = ".labels.yml"

# The project's quality gate (tests/test_evaluation.py asserts it on fixtures/contracts).
FLOORS: Mapping[str, float] = {
    "precision": 0.90,
    "recall": 0.90,
    "element_accuracy": 0.95,
    "engagement_accuracy": 0.95,
    "negative_control_findings": 0,
}


class EvalError(Exception):
    """A labelled folder that cannot be evaluated (no labels, a malformed label file)."""


# --- labels --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelFinding:
    family: str
    idea: str
    quote: str


@dataclass(frozen=True)
class Labels:
    engagement: str
    negative_control: bool = False
    findings: tuple[LabelFinding, ...] = ()
    elements: Mapping[str, str] = field(default_factory=dict)


def load_labels(path: Path) -> Labels:
    """Read one ``.labels.yml``; a malformed file is an :class:`EvalError` naming it and, where
    known, the line.

    Read like the rule files (:func:`~contract_audit.rules.yamlread.read_yaml`): YAML 1.2
    scalars, so ``no`` is a word rather than false, and a duplicate key is an error rather than
    silently replacing the first.
    """
    from contract_audit.rules.yamlread import YamlProblem, line_of, read_yaml

    try:
        data, lines = read_yaml(path)
    except YamlProblem as exc:
        where = f"{path}:{exc.line}" if exc.line else f"{path}"
        raise EvalError(f"{where}: cannot read labels: {exc.message}") from None

    def at(*loc: str | int) -> str:
        line = line_of(lines, loc)
        return f"{path}:{line}" if line else f"{path}"

    data = data or {}
    if not isinstance(data, dict):
        raise EvalError(f"{at()}: labels must be a mapping")
    engagement = str(data.get("engagement", ""))
    if engagement not in ENGAGEMENT_TYPES:
        raise EvalError(
            f"{at('engagement')}: engagement {engagement!r} is not one of {ENGAGEMENT_TYPES}"
        )
    negative = data.get("negative_control")
    if negative is not None and not isinstance(negative, bool):
        raise EvalError(f"{at('negative_control')}: negative_control: write true or false")
    findings = []
    for i, item in enumerate(data.get("findings") or ()):
        family = str((item or {}).get("family", ""))
        quote = str((item or {}).get("quote", "")).strip()
        if family not in FAMILIES or not quote:
            raise EvalError(f"{at('findings', i)}: findings[{i}]: needs a known family and a quote")
        findings.append(LabelFinding(family, str(item.get("idea", "")), quote))
    elements = {str(k): str(v) for k, v in (data.get("elements") or {}).items()}
    bad = {
        k: v for k, v in elements.items() if k not in ELEMENTS or v not in ("present", "missing")
    }
    if bad:
        where = at("elements", next(iter(bad)))
        raise EvalError(f"{where}: elements: unknown element or status: {bad}")
    return Labels(engagement, bool(negative), tuple(findings), elements)


def labelled_files(folder: Path) -> list[tuple[Path, Path]]:
    """(input file, labels file) pairs: every .txt/.pdf/.docx that has a labels file."""
    pairs = []
    for labels in sorted(folder.glob(f"*{LABEL_SUFFIX}")):
        stem = labels.name[: -len(LABEL_SUFFIX)]
        pairs += [
            (folder / (stem + ext), labels) for ext in FORMATS if (folder / (stem + ext)).is_file()
        ]
    return pairs


# --- locating quotes -----------------------------------------------------------------------

_FOLD = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "«": '"', "»": '"', "–": "-", "—": "-", "\u00a0": " "}
)

_GUILLEMET_SPACE = re.compile(r"(?<=«)\s+|\s+(?=»)")


def normalise(text: str) -> tuple[str, list[int]]:
    """Whitespace collapsed, quotes and dashes folded, lower-cased; with each character's
    offset in ``text`` so a span found in the normalised text maps back. A table's cell
    separator ("|") counts as a space: a quoted row reads across its cells."""
    out: list[str] = []
    where: list[int] = []
    # the spaces inside French guillemets ("« Prestataire »"), which extraction drops
    inside = {i for m in _GUILLEMET_SPACE.finditer(text) for i in range(*m.span())}
    for i, ch in enumerate(text.translate(_FOLD)):
        if i in inside:
            continue
        if ch.isspace() or ch == "|":
            if out and out[-1] != " ":
                out.append(" ")
                where.append(i)
            continue
        if ch == "\u00ad":  # soft hyphen
            continue
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
        where.append(i)
    return "".join(out), where


def locate(quote: str, norm_text: str, where: Sequence[int]) -> tuple[int, int] | None:
    """The span of ``quote`` in the original text, or None. Falls back to the quote's first and
    last 40 characters (a page header or footnote may sit inside a clause in a PDF)."""
    q, _ = normalise(quote)
    q = q.strip()
    if not q:
        return None
    i = norm_text.find(q)
    if i >= 0:
        return where[i], where[i + len(q) - 1] + 1
    if len(q) < 100:
        return None
    head, tail = q[:40], q[-40:]
    i = norm_text.find(head)
    if i < 0:
        return None
    j = norm_text.find(tail, i + len(head))
    if j < 0 or j + len(tail) - i > 2 * len(q):
        return None
    return where[i], where[j + len(tail) - 1] + 1


# --- scoring one document ------------------------------------------------------------------


@dataclass(frozen=True)
class Miss:
    """A labelled clause no finding of its family covers (``located`` False: quote not found)."""

    file: str
    family: str
    idea: str
    quote: str
    located: bool = True
    # With ``eval --why``: what the rules did with the clause instead (a match a qualifier
    # dropped, a finding of another family or severity), so a rule author sees the mechanism.
    why: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class FalsePositive:
    file: str
    family: str
    rule: str
    severity: str
    text: str
    section: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        """1.0 when nothing was predicted (no prediction was wrong)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """1.0 when nothing was labelled (nothing was missed)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def to_dict(self) -> dict:
        return {
            **asdict(self),
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
        }


@dataclass(frozen=True)
class CaseScore:
    """Everything measured on one input file."""

    file: str
    format: str
    status: str
    message: str
    families: Mapping[str, Counts]
    misses: tuple[Miss, ...]
    false_positives: tuple[FalsePositive, ...]
    elements_correct: int
    elements_total: int
    element_errors: tuple[str, ...]
    engagement_expected: str
    engagement_predicted: str | None
    negative_control: bool
    negative_hits: tuple[FalsePositive, ...]

    @property
    def engagement_correct(self) -> bool:
        return self.engagement_expected == self.engagement_predicted


def counted(finding: Finding, result: DocumentResult) -> bool:
    """Whether a finding is a prediction: risk families above info; protections at any severity,
    except on contracts classified ``other`` (where every finding is informational by design)."""
    if finding.family == "protection":
        return result.engagement is None or result.engagement.type != "other"
    return finding.family in SPAN_FAMILIES and finding.severity != "info"


def finding_span(f: Finding) -> tuple[int, int]:
    """The text the finding quotes (its sentence or clause), which is what a reader sees."""
    return min(f.start, f.text_start), max(f.end, f.text_start + len(f.text))


CLAUSE_CHARS = 1200  # a longer paragraph is a run of clauses (hard-wrapped text), not one


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _paragraph(text: str, offset: int) -> tuple[int, int] | None:
    """The paragraph (blank-line delimited) holding ``offset``, when it is short enough to be
    one clause."""
    lo = max(0, offset - CLAUSE_CHARS)
    breaks = [m.end() for m in _BLANK_LINE.finditer(text, lo, offset)]
    if not breaks and lo > 0:
        return None  # no paragraph break within reach: a run of clauses, not one
    start = breaks[-1] if breaks else 0
    after = _BLANK_LINE.search(text, offset)
    end = after.start() if after else len(text)
    return (start, end) if end - start <= CLAUSE_CHARS else None


def score_case(file: str, text: str, result: DocumentResult, labels: Labels) -> CaseScore:
    """Compare one analysed file with its labels (``text`` is the extracted document text)."""
    fmt = Path(file).suffix.lstrip(".") or "txt"
    norm, where = normalise(text)
    families: dict[str, Counts] = {}
    misses: list[Miss] = []
    fps: list[FalsePositive] = []
    predictions = [f for f in result.findings if counted(f, result)]
    for family in SPAN_FAMILIES:
        wanted = [lab for lab in labels.findings if lab.family == family]
        spans = [locate(lab.quote, norm, where) if norm else None for lab in wanted]
        preds = [f for f in predictions if f.family == family]
        hit = [False] * len(wanted)
        fp = 0
        for f in preds:
            a, b = finding_span(f)
            overlaps = [i for i, s in enumerate(spans) if s is not None and a < s[1] and s[0] < b]
            if not overlaps:
                # A clause is labelled once per idea, by one of its sentences; a finding on
                # another sentence of the same clause (paragraph) is that same finding.
                clause = _paragraph(text, a)
                overlaps = [
                    i
                    for i, s in enumerate(spans)
                    if s is not None and clause is not None and clause[0] <= s[0] < clause[1]
                ]
            for i in overlaps:
                hit[i] = True
            if not overlaps:
                fp += 1
                fps.append(_fp(file, f))
        for lab, span, ok in zip(wanted, spans, hit, strict=True):
            if not ok:
                misses.append(Miss(file, family, lab.idea, lab.quote, span is not None))
        families[family] = Counts(sum(hit), fp, len(wanted) - sum(hit))

    predicted_missing = {e for e, r in result.elements.items() if r.status == "missing"}
    labelled_missing = {e for e, s in labels.elements.items() if s == "missing"}
    families[MISSING] = Counts(
        len(predicted_missing & labelled_missing),
        len(predicted_missing - labelled_missing),
        len(labelled_missing - predicted_missing),
    )
    for e in sorted(labelled_missing - predicted_missing):
        status = result.elements[e].status if e in result.elements else "not-assessed"
        ev = result.elements.get(e)
        said = f": {ev.evidence.text[:160]!r}" if ev is not None and ev.evidence else ""
        misses.append(Miss(file, MISSING, e, f"labelled missing, predicted {status}{said}"))
    for e in sorted(predicted_missing - labelled_missing):
        said = f"predicted missing, labelled {labels.elements.get(e, 'not assessed')}"
        fps.append(FalsePositive(file, MISSING, f"missing-{e}", "-", said))

    errors = []
    correct = 0
    for e, expected in labels.elements.items():
        got = result.elements.get(e)
        status = got.status if got else "not-assessed"
        if status == expected:
            correct += 1
        else:
            ev = f" (evidence: {got.evidence.text[:160]!r})" if got and got.evidence else ""
            errors.append(f"{e}: labelled {expected}, predicted {status}{ev}")

    negative_hits: tuple[FalsePositive, ...] = ()
    if labels.negative_control:
        negative_hits = tuple(
            _fp(file, f) for f in result.findings if f.severity in ("high", "medium")
        )
    return CaseScore(
        file=file,
        format=fmt,
        status=result.status,
        message=result.message,
        families=families,
        misses=tuple(misses),
        false_positives=tuple(fps),
        elements_correct=correct,
        elements_total=len(labels.elements),
        element_errors=tuple(errors),
        engagement_expected=labels.engagement,
        engagement_predicted=result.engagement.type if result.engagement else None,
        negative_control=labels.negative_control,
        negative_hits=negative_hits,
    )


def _fp(file: str, f: Finding) -> FalsePositive:
    return FalsePositive(file, f.family, f.rule, f.severity, " ".join(f.text.split()), f.section)


# --- the whole folder ----------------------------------------------------------------------


@dataclass(frozen=True)
class EvalReport:
    cases: tuple[CaseScore, ...]
    ruleset_version: str = ""

    def subset(self, fmt: str) -> EvalReport:
        return EvalReport(tuple(c for c in self.cases if c.format == fmt), self.ruleset_version)

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.format for c in self.cases))

    def family(self, family: str) -> Counts:
        total = Counts()
        for c in self.cases:
            total += c.families.get(family, Counts())
        return total

    @property
    def element_accuracy(self) -> float:
        total = sum(c.elements_total for c in self.cases)
        return sum(c.elements_correct for c in self.cases) / total if total else 1.0

    @property
    def engagement_accuracy(self) -> float:
        n = len(self.cases)
        return sum(c.engagement_correct for c in self.cases) / n if n else 1.0

    @property
    def negative_control_findings(self) -> int:
        return sum(len(c.negative_hits) for c in self.cases)

    def failures(self) -> list[str]:
        """The floors this report does not meet, one readable line each."""
        out = []
        for fam in FAMILIES:
            c = self.family(fam)
            for metric in ("precision", "recall"):
                value = getattr(c, metric)
                if value < FLOORS[metric]:
                    out.append(f"{fam} {metric} {value:.3f} < {FLOORS[metric]:.2f}")
        for metric in ("element_accuracy", "engagement_accuracy"):
            value = getattr(self, metric)
            if value < FLOORS[metric]:
                out.append(f"{metric.replace('_', ' ')} {value:.3f} < {FLOORS[metric]:.2f}")
        if self.negative_control_findings > FLOORS["negative_control_findings"]:
            out.append(
                f"{self.negative_control_findings} medium/high findings on negative controls"
            )
        return out

    def summary(self) -> dict:
        return {
            "files": len(self.cases),
            "families": {fam: self.family(fam).to_dict() for fam in FAMILIES},
            "element_accuracy": round(self.element_accuracy, 4),
            "engagement_accuracy": round(self.engagement_accuracy, 4),
            "negative_control_findings": self.negative_control_findings,
        }

    def to_dict(self) -> dict:
        return {
            "ruleset_version": self.ruleset_version,
            "floors": dict(FLOORS),
            "all": self.summary(),
            "by_format": {fmt: self.subset(fmt).summary() for fmt in self.formats},
            "failures": self.failures(),
            "misses": [m.to_dict() for c in self.cases for m in c.misses],
            "false_positives": [f.to_dict() for c in self.cases for f in c.false_positives],
            "element_errors": [f"{c.file}: {e}" for c in self.cases for e in c.element_errors],
            "engagement_errors": [
                {
                    "file": c.file,
                    "expected": c.engagement_expected,
                    "predicted": c.engagement_predicted,
                }
                for c in self.cases
                if not c.engagement_correct
            ],
            "negative_control_hits": [f.to_dict() for c in self.cases for f in c.negative_hits],
            "unreadable": [
                {"file": c.file, "status": c.status, "message": c.message}
                for c in self.cases
                if c.status != "ok"
            ],
        }


def explain_misses(
    case: CaseScore, document: Any, result: DocumentResult, ruleset: Any
) -> CaseScore:
    """``case`` with each located miss told what happened to its clause: the matches the
    engine gated or dropped there (and by which qualifier), and the findings it gave there that
    do not count for the labelled family."""
    from contract_audit import engine

    if not any(m.located and m.family in SPAN_FAMILIES for m in case.misses):
        return case
    trace: list[engine.TraceEvent] = []
    engine.match(document, ruleset, trace=trace)
    norm, where = normalise(document.text)
    misses = []
    for m in case.misses:
        span = locate(m.quote, norm, where) if m.located and m.family in SPAN_FAMILIES else None
        if span is None:
            misses.append(m)
            continue
        a, b = span
        why = [
            f"{e.status} {e.rule} at {_clip(e.match, 60)!r}: {e.reason}"
            for e in trace
            if e.status != "merged" and e.start < b and a < e.end
        ]
        for f in result.findings:
            fa, fb = finding_span(f)
            if fa < b and a < fb:
                why.append(f"found as {f.family} by {f.rule} [{f.severity}]")
        misses.append(replace(m, why=tuple(dict.fromkeys(why)) or ("no rule matched",)))
    return replace(case, misses=tuple(misses))


def evaluate(
    folder: Path, ruleset: Any, *, formats: Iterable[str] = FORMATS, why: bool = False
) -> EvalReport:
    """Extract, analyse and score every labelled file in ``folder`` (``why``: explain each
    miss, at the cost of a second engine pass over the files that have one)."""
    from contract_audit.analysis import analyze_document
    from contract_audit.extract import ExtractionError, extract

    wanted = set(formats)
    pairs = [(p, lab) for p, lab in labelled_files(folder) if p.suffix in wanted]
    if not pairs:
        raise EvalError(
            f"{folder}: no labelled contracts (<name>.txt|pdf|docx with <name>{LABEL_SUFFIX})"
        )
    cache: dict[Path, Labels] = {}
    cases = []
    for path, label_path in pairs:
        labels = cache.get(label_path) or cache.setdefault(label_path, load_labels(label_path))
        document = None
        try:
            document = extract(path)
            result, text = analyze_document(document, ruleset), document.text
        except ExtractionError as exc:
            result, text = DocumentResult(str(path), status=exc.status, message=exc.message), ""
        except Exception as exc:  # noqa: BLE001 - one broken file must not hide the others' figures
            message = f"analysis failed: {type(exc).__name__}: {exc}"
            result, text = DocumentResult(str(path), status="error", message=message), ""
        case = score_case(path.name, text, result, labels)
        if why and document is not None and result.status == "ok":
            case = explain_misses(case, document, result, ruleset)
        cases.append(case)
    return EvalReport(tuple(cases), getattr(ruleset, "version", ""))


# --- the readable report -------------------------------------------------------------------


def render(report: EvalReport) -> str:
    """The text report: figures first, then every miss and false positive, grouped."""
    lines: list[str] = []
    add = lines.append
    formats = report.formats
    add(
        f"{len(report.cases)} labelled files ({', '.join(formats)}); rules {report.ruleset_version}"
    )
    add("Figures are over all files together; each format is also shown alone.")
    add("")
    header = f"{'':28}{'all':>16}" + "".join(f"{fmt:>16}" for fmt in formats)
    add(header)
    views = [report] + [report.subset(fmt) for fmt in formats]
    for fam in FAMILIES:
        add(f"{fam + ' P/R':28}" + "".join(f"{_pr(v.family(fam)):>16}" for v in views))
    add(f"{'element accuracy':28}" + "".join(f"{v.element_accuracy:>16.3f}" for v in views))
    add(f"{'engagement accuracy':28}" + "".join(f"{v.engagement_accuracy:>16.3f}" for v in views))
    add(
        f"{'negative-control med/high':28}"
        + "".join(f"{v.negative_control_findings:>16}" for v in views)
    )
    add("")
    for fam in FAMILIES:
        c = report.family(fam)
        add(f"{fam}: tp {c.tp}, fp {c.fp}, fn {c.fn}")
    failures = report.failures()
    add("")
    add("Floors met." if not failures else "Below the floors: " + "; ".join(failures))

    unreadable = [c for c in report.cases if c.status != "ok"]
    if unreadable:
        _section(
            lines,
            "Files not analysed (every label of theirs counts as missed)",
            [f"{c.file}: {c.status}: {c.message}" for c in unreadable],
        )
    for fam in FAMILIES:
        misses = [m for c in report.cases for m in c.misses if m.family == fam]
        _section(lines, f"Missed {fam} ({len(misses)})", [_miss(m) for m in misses])
        fps = [f for c in report.cases for f in c.false_positives if f.family == fam]
        _section(lines, f"False positive {fam} ({len(fps)})", [_fpline(f) for f in fps])
    _section(
        lines,
        "Element errors",
        [f"{c.file}: {e}" for c in report.cases for e in c.element_errors],
    )
    _section(
        lines,
        "Engagement errors",
        [
            f"{c.file}: labelled {c.engagement_expected}, predicted {c.engagement_predicted}"
            for c in report.cases
            if not c.engagement_correct
        ],
    )
    _section(
        lines,
        "Medium/high findings on negative controls",
        [_fpline(f) for c in report.cases for f in c.negative_hits],
    )
    return "\n".join(lines) + "\n"


def _pr(c: Counts) -> str:
    return f"{c.precision:.2f}/{c.recall:.2f}"


def _section(lines: list[str], title: str, items: list[str]) -> None:
    if not items:
        return
    lines.extend(["", f"== {title}"])
    lines.extend(f"  {item}" for item in items)


def _miss(m: Miss) -> str:
    where = "" if m.located else " [QUOTE NOT FOUND in the extracted text]"
    line = f"{m.file}: [{m.idea}] {_clip(m.quote)}{where}"
    return "\n".join([line, *(f"      why: {w}" for w in m.why)])


def _fpline(f: FalsePositive) -> str:
    label = f.section if f.section and f.section.startswith("§") else f"§ {f.section}"
    section = f" ({label})" if f.section else ""
    return f"{f.file}{section}: {f.rule} [{f.severity}] {_clip(f.text)}"


def _clip(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
