"""Publication bias (reporting bias; GRADE 5, Core GRADE 4).

The rules are asked in the order of the Core GRADE 4 flowchart, each adding its steps to the
proposal's path:

1. PUB-FUNDING — most or all studies small and industry-funded (the studies' ``funding``)?
2. the small-study test: PUB-FEW (a summary-level result, fewer study estimates than PUB-EGGER's
   ``min_studies``, or no test computable: uninformative), PUB-UNINFORMATIVE (I² at least 50%, or
   studies of similar size: uninformative), else PUB-EGGER (Egger's, Peters' or Harbord's test:
   asymmetry that exaggerates the pooled effect, in either direction of effect);
3. PUB-REGISTRY — registered studies whose results are unpublished (the studies' ``registration``)?

The named result is the first word of the explanation and the last step of the path:

* **suspected** — a signal (1 or 3) or exaggerating asymmetry (2): serious (−1), for the reviewer to
  confirm (``needs_confirmation``); the rule that found it is the proposal's rule (the test's when
  both did), and every finding is in the facts and the explanation;
* **undetected — test uninformative** — no signal and the test cannot tell (too few studies,
  heterogeneity, similar sizes): not assessed (no rating), for the reviewer to judge; a significant
  but uninformative test is named as such ("test uninformative … though it finds asymmetry");
* **undetected** — no signal and an informative test without exaggerating asymmetry: not serious
  (a significant test towards the null still asks for the reviewer's confirmation).

When the rule set switches PUB-EGGER off, no test is run; without a signal the domain is then not
assessed and says which rule set switched it off. Never very serious automatically.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import studies_word, switched_off
from gradecli.grade.rules.pub_egger import PubEgger, find_small_study_test
from gradecli.grade.rules.pub_few import PubFew
from gradecli.grade.rules.pub_funding import PubFunding
from gradecli.grade.rules.pub_registry import PubRegistry
from gradecli.grade.rules.pub_uninformative import PubUninformative, informative_step
from gradecli.model.vocab import Rating

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext
    from gradecli.grade.ruleset import RuleSet
    from gradecli.grade.scale import Scale

SUSPECTED = "suspected — "


def _test(ctx: OutcomeContext, rules: RuleSet) -> Proposal:
    """The small-study test's proposal: switched off, PUB-FEW, PUB-UNINFORMATIVE or PUB-EGGER."""
    if not rules.enabled(PubEgger):
        off = switched_off(
            PubEgger.code,
            "the small-study test",
            rules.disabled_by(PubEgger),
            "judge publication bias from funding, registries and unpublished trials (judgements.publication_bias)",
        )
        return off.model_copy(update={"path": [f"no small-study test: {off.facts[0]}"]})
    s = rules.settings(PubEgger)
    found = find_small_study_test(ctx, s)
    few = PubFew.judge(ctx, s, found)
    if few is not None:
        return few
    assert found is not None, "PUB-FEW covers every outcome without a test"
    feasible = f"a small-study test is feasible: {studies_word(found.test.k)}"
    step = []
    if rules.enabled(PubUninformative):
        u = rules.settings(PubUninformative)
        unclear = PubUninformative.judge(ctx, u, s, found)
        if unclear is not None:
            return unclear.model_copy(update={"path": [feasible, *unclear.path]})
        step.append(informative_step(ctx, u))
    decided = PubEgger.judge(ctx, s, found)
    assert decided is not None, "a test was found"
    return decided.model_copy(update={"path": [feasible, *step, *decided.path]})


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def propose(ctx: OutcomeContext, rules: RuleSet, scale: Scale | None) -> Proposal:
    funding = PubFunding.judge(ctx, rules.settings(PubFunding)) if rules.enabled(PubFunding) else None
    registry = PubRegistry.judge(ctx) if rules.enabled(PubRegistry) else None
    signals = [p for p in (funding, registry) if p is not None]
    test = _test(ctx, rules)
    path = [*(funding.path if funding else []), *test.path, *(registry.path if registry else [])]
    facts = _unique([*test.facts, *(f for p in signals for f in p.facts)])
    suspected = [p for p in (test, *signals) if p.rating is Rating.serious]
    if suspected:
        decided = suspected[0]
        found = "; ".join((p.explanation or "").removeprefix(SUSPECTED) for p in suspected)
        if test.rating is None and test.rule != PubEgger.code and test.path:
            found += f"; {test.path[0]}"  # the test could not tell: said beside the signal
        path.append("publication bias: suspected → −1, for the reviewer to confirm")
        return Proposal(
            rating=Rating.serious,
            rule=decided.rule,
            threshold=decided.threshold,
            facts=facts,
            explanation=SUSPECTED + found,
            path=path,
            needs_confirmation=True,
        )
    if test.rating is None:
        result = (test.explanation or "not assessed").split(";")[0].split(":")[0]
        path.append(f"publication bias: {result} → for the reviewer to judge (judgements.publication_bias)")
    else:
        path.append(
            "publication bias: undetected → not serious"
            + (" (asymmetry towards the null: for the reviewer to confirm)" if test.needs_confirmation else "")
        )
    if not rules.enabled(PubEgger):
        facts = test.facts  # switched off: the proposal says so alone (the signals checked are in the path)
    return test.model_copy(update={"facts": facts, "path": path})
