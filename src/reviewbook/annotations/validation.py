"""What the schema cannot check: vocabulary, unique ids, and quotes against the review.

Without the article, `validate_annotations` checks the file alone; with it, also that every
reference index exists on the page, every quote anchors exactly once, where the claim says,
and every decided statement's sentence is the review's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from reviewbook.annotations.anchoring import Anchor, Quote, find_quote, near_miss, text_parts
from reviewbook.annotations.model import (
    ACCEPTED,
    AnnotationError,
    Annotations,
    Claim,
    StatementDecision,
)
from reviewbook.annotations.vocabulary import CELL_TYPES, VOCABULARIES, suggest_term, term_names
from reviewbook.model import Article


def validate_annotations(
    annotations: Annotations, article: Article | None = None
) -> list[AnnotationError]:
    """Everything wrong with ``annotations`` that the schema cannot see.

    Without the article, checks the file alone: pmid against the file name, unique claim ids,
    reference indices and decisions, vocabulary terms, and that an accepted statement names
    one of the file's claims. With it, also the pmid, reference indices against the page's
    list, that every quote anchors exactly once, at the claim's location, and that every
    decided statement's sentence is in the review's text.
    """
    errors = [
        *_file_name_errors(annotations),
        *_duplicate_errors(annotations),
        *_vocabulary_errors(annotations),
        *_decision_errors(annotations),
    ]
    if article is not None:
        errors += _article_errors(annotations, article)
    return sorted(errors, key=lambda error: (error.line or 0, error.field))


def _error(annotations: Annotations, name: str, message: str) -> AnnotationError:
    return AnnotationError(annotations.path or "<text>", annotations.line_of(name), name, message)


def _file_name_errors(annotations: Annotations) -> list[AnnotationError]:
    stem = Path(annotations.path).stem if annotations.path else ""
    if stem.isdigit() and stem != annotations.pmid:
        return [_error(annotations, "pmid", f"{annotations.pmid} does not match the file name")]
    return []


def _duplicate_errors(annotations: Annotations) -> list[AnnotationError]:
    """Claim ids and reference indices given twice, each naming the line of the first."""
    return [
        *_repeats(
            annotations,
            "claims[{}].id",
            [claim.id for claim in annotations.claims],
            "duplicate claim id {value!r} (first on line {first})",
        ),
        *_repeats(
            annotations,
            "references[{}].index",
            [entry.index for entry in annotations.references],
            "reference {value} is annotated twice (first on line {first})",
        ),
        *_repeats(
            annotations,
            "statements[{}]",
            [decision.key for decision in annotations.statements],
            "this sentence is decided twice for {value[1]!r} (first on line {first})",
        ),
    ]


def _repeats(
    annotations: Annotations, field_name: str, values: Sequence[object], message: str
) -> list[AnnotationError]:
    """An error for every value seen before in ``values`` (``field_name`` takes the position)."""
    errors: list[AnnotationError] = []
    first_position: dict[object, int] = {}
    for position, value in enumerate(values):
        if value not in first_position:
            first_position[value] = position
            continue
        first = annotations.line_of(field_name.format(first_position[value]))
        text = message.format(value=value, first=first)
        errors.append(_error(annotations, field_name.format(position), text))
    return errors


def _vocabulary_errors(annotations: Annotations) -> list[AnnotationError]:
    errors: list[AnnotationError] = []
    known = {key: frozenset(term_names(terms)) for key, terms in VOCABULARIES.items()}
    for position, claim in enumerate(annotations.claims):
        for key, terms in VOCABULARIES.items():
            value = getattr(claim, key)
            used = value if isinstance(value, tuple) else () if value is None else (value,)
            for item, term in enumerate(used):
                if term in known[key]:
                    continue
                name = f"claims[{position}].{key}" + (
                    f"[{item}]" if isinstance(value, tuple) else ""
                )
                suggestion = suggest_term(terms, term)
                hint = (
                    f"; write {suggestion!r}"
                    if suggestion
                    else f"; known terms: {', '.join(term_names(terms))}"
                )
                errors.append(_error(annotations, name, f"unknown term {term!r}{hint}"))
    cells = known["cells"]
    for position, decision in enumerate(annotations.statements):
        if decision.cell not in cells:
            suggestion = suggest_term(CELL_TYPES, decision.cell)
            hint = (
                f"; write {suggestion!r}"
                if suggestion
                else f"; known terms: {', '.join(term_names(CELL_TYPES))}"
            )
            message = f"unknown term {decision.cell!r}{hint}"
            errors.append(_error(annotations, f"statements[{position}].cell", message))
    return errors


def _decision_errors(annotations: Annotations) -> list[AnnotationError]:
    """An accepted statement names a claim of the file; a rejected one names none."""
    errors: list[AnnotationError] = []
    ids = {claim.id for claim in annotations.claims}
    for position, decision in enumerate(annotations.statements):
        name = f"statements[{position}].claim"
        if decision.decision != ACCEPTED:
            if decision.claim is not None:
                message = f"a {decision.decision} statement names no claim"
                errors.append(_error(annotations, name, message))
        elif decision.claim is None:
            message = "an accepted statement names the claim made from it"
            errors.append(_error(annotations, name, message))
        elif decision.claim not in ids:
            message = f"no claim has id {decision.claim!r}"
            errors.append(_error(annotations, name, message))
    return errors


def _article_errors(annotations: Annotations, article: Article) -> list[AnnotationError]:
    errors: list[AnnotationError] = []
    if article.pmid and article.pmid != annotations.pmid:
        errors.append(
            _error(annotations, "pmid", f"{annotations.pmid} but the page is PMID {article.pmid}")
        )
    count = len(article.references)
    listed = f"the page lists references 1-{count}" if count else "the page lists no references"
    for position, entry in enumerate(annotations.references):
        if not 1 <= entry.index <= count:
            name = f"references[{position}].index"
            errors.append(
                _error(annotations, name, f"reference {entry.index} out of range: {listed}")
            )
    parts = text_parts(article)
    for position, claim in enumerate(annotations.claims):
        for item, index in enumerate(claim.refs):
            if not 1 <= index <= count:
                name = f"claims[{position}].refs[{item}]"
                errors.append(
                    _error(annotations, name, f"reference {index} out of range: {listed}")
                )
        errors += _quote_errors(annotations, position, claim, article, parts)
    citing = _citing_sentences(article)
    for position, decision in enumerate(annotations.statements):
        errors += _sentence_errors(annotations, position, decision, article, citing)
    return errors


def _citing_sentences(article: Article) -> frozenset[str]:
    """The sentences that carry the full text's citations, as `reviewbook.model.Citation`
    gives them: a table row or a footnote among them is in no part a quote may name."""
    if article.body is None:
        return frozenset()
    return frozenset(citation.sentence for citation in article.body.citations)


def _sentence_errors(
    annotations: Annotations,
    position: int,
    decision: StatementDecision,
    article: Article,
    citing: frozenset[str],
) -> list[AnnotationError]:
    """An error for a decided sentence that is not the review's: neither in its text (found
    as a quote is, `find_quote`) nor one of its citing sentences."""
    if decision.sentence in citing or find_quote(article, Quote(decision.sentence)):
        return []
    quote = Quote(decision.sentence)
    if (place := near_miss(article, quote)) is not None:
        message = (
            f"sentence not found exactly; {place} has it with other quotes, dashes, spacing "
            "or case: copy it character for character"
        )
    else:
        message = "sentence not found in the review's text"
    return [_error(annotations, f"statements[{position}].sentence", message)]


def _quote_errors(
    annotations: Annotations,
    position: int,
    claim: Claim,
    article: Article,
    parts: Mapping[str, str],
) -> list[AnnotationError]:
    """Errors for a claim whose quote does not anchor once, at its location."""
    field_name = f"claims[{position}].quote.exact"
    if claim.location not in parts:
        known = ", ".join(parts)
        message = f"{claim.location!r} is not a part of the review (parts: {known})"
        return [_error(annotations, f"claims[{position}].location", message)]
    anchors = find_quote(article, claim.quote)
    if len(anchors) == 1:
        if anchors[0].location != claim.location:
            message = f"the quote is in {anchors[0].location}, not {claim.location}"
            return [_error(annotations, f"claims[{position}].location", message)]
        return []
    if len(anchors) > 1:
        message = f"quote occurs {_places(anchors)}; add a prefix or suffix"
        return [_error(annotations, field_name, message)]
    bare = find_quote(article, Quote(claim.quote.exact))
    if bare:
        message = "quote found, but not with the given prefix/suffix"
    elif (place := near_miss(article, claim.quote)) is not None:
        message = (
            f"quote not found exactly; {place} has it with other quotes, dashes, spacing or "
            "case: copy it character for character"
        )
    else:
        message = "quote not found in the review's text"
    return [_error(annotations, field_name, message)]


def _places(anchors: Sequence[Anchor]) -> str:
    """``3 times (abstract x2, figure:Figure)``: how often and where a quote occurs."""
    counts = Counter(anchor.location for anchor in anchors)
    places = ", ".join(
        f"{where} x{count}" if count > 1 else where for where, count in counts.items()
    )
    return f"{len(anchors)} times ({places})"
