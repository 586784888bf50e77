"""IMP-EVENTS (gradecli/grade/rules/imp_events.py): the PASS and FAIL examples of its documentation
(the rulebook's worked case W2, shared/methods/grade-methods.md §14), the 9 / 10 events edge, a CI
that crosses nothing, the rule switched off, and the events of a summary (events_t + events_c).

Events are counted in both arms: a crossing CI on fewer than ``min_events`` (10) events is three
levels (GRADE 35; the cut-off is gradecli's).
"""

from __future__ import annotations

import pytest
from test_grade_helpers import assess_one, dom, outcome, rule_context, summary_outcome, with_rules

from gradecli.grade.rules.imp_events import ImpEvents, ImpEventsSettings

W2B_ROWS = [{"study": "T1", "events_t": 3, "n_t": 29, "events_c": 1, "n_c": 29}]


def imp(out, rules="default"):
    return dom(assess_one(out, None, rules), "imprecision")


def judge(out, crossing=True, settings=None):
    ctx, _, rules = rule_context(out)
    return ImpEvents.judge(ctx, settings or rules.settings(ImpEvents), crossing)


def crossing_summary(events_t, events_c, **extra):
    # RR 1.25 (0.40 to 3.90): the CI crosses the null (and spans the 0.75 / 1.25 fallback zone)
    s = {"events_t": events_t, "events_c": events_c, "participants_t": 60, "participants_c": 60, **extra}
    return summary_outcome(1.25, (0.40, 3.90), participants=120, studies=2, summary_extra=s)


# -- the documented examples ------------------------------------------------------------------------


def test_pass_59_events_and_both_mids_crossed_is_imp_cross_very_serious():
    # W2a: RR 1.11 (0.69-1.78) at 14%, MIDs ±20: 15 more (43 fewer to 109 more) per 1,000 crosses
    # both MIDs -> two levels; 31 + 28 = 59 events is not "very few"
    s = {"events_t": 31, "events_c": 28, "participants_t": 205, "participants_c": 205}
    out = summary_outcome(
        1.11,
        (0.69, 1.78),
        participants=410,
        studies=2,
        summary_extra=s,
        assumed_risk={"value": 0.14},
        thresholds={"mid": 20},
    )
    assert judge(out) is None
    d = imp(out)
    assert d.proposal.rule == "IMP-CROSS" and d.rating.value == "very_serious" and d.levels == 2
    assert any("(59 events)" in f for f in d.proposal.facts)


def test_fail_4_events_is_extremely_serious():
    # W2b: one trial, 3/29 vs 1/29: RR 3.00 (0.33-27.2) crosses the null on 4 events -> three levels
    out = outcome(data=W2B_ROWS, analysis={"model": "fixed", "method": "MH"})
    studies = [{"id": "T1", "design": "rct"}]
    ctx, _, rules = rule_context(out, studies)
    assert ctx.events == 4
    proposal = ImpEvents.judge(ctx, rules.settings(ImpEvents), True)
    assert proposal is not None and proposal.rule == "IMP-EVENTS"
    assert proposal.rating.value == "extremely_serious" and proposal.needs_confirmation
    assert proposal.threshold == "fewer than 10 events"
    assert proposal.path == ["4 events < 10 with a crossing CI → −3"]
    d = dom(assess_one(out, studies), "imprecision")
    assert d.proposal.rule == "IMP-EVENTS" and d.levels == 3 and d.proposal.needs_confirmation
    assert "only 4 events (fewer than 10)" in d.footnote


# -- the edge: 9 events vs 10 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("events_t", "events_c", "applies"),
    [(5, 4, True), (5, 5, False), (9, 0, True), (10, 0, False), (0, 0, True)],
)
def test_nine_events_is_very_few_ten_is_not(events_t, events_c, applies):
    out = crossing_summary(events_t, events_c)
    proposal = judge(out)
    assert (proposal is not None) is applies
    d = imp(out)
    if applies:
        total = events_t + events_c
        assert proposal.rating.value == "extremely_serious"
        assert proposal.explanation.startswith(f"the 95% CI crosses a threshold on only {total} event")
        assert d.proposal.rule == "IMP-EVENTS" and d.levels == 3
    else:
        # 10 events: IMP-RELATIVE's two levels (the CI spans the appreciable reduction and increase)
        assert d.proposal.rule == "IMP-RELATIVE" and d.levels == 2


def test_one_event_is_worded_in_the_singular():
    proposal = judge(crossing_summary(1, 0))
    assert proposal is not None and "on only 1 event (fewer than 10)" in proposal.explanation


def test_a_single_null_crossing_on_few_events_goes_to_three_levels():
    # RR 0.80 (0.60-1.05): crosses the null only (-1, not spanning 0.75 and 1.25), on 8 events
    s = {"events_t": 3, "events_c": 5, "participants_t": 60, "participants_c": 60}
    out = summary_outcome(0.80, (0.60, 1.05), participants=120, studies=2, summary_extra=s)
    d = imp(out)
    assert d.levels == 3 and d.proposal.rule == "IMP-EVENTS"
    assert any(step.endswith("crosses the null → −1") for step in d.proposal.path)


# -- does not apply ---------------------------------------------------------------------------------


def test_does_not_apply_when_the_ci_crosses_nothing():
    # 8 events, but RR 0.30 (0.12-0.75) excludes the null: no crossing, so not this rule
    s = {"events_t": 3, "events_c": 5, "participants_t": 60, "participants_c": 60}
    out = summary_outcome(0.30, (0.12, 0.75), participants=120, studies=2, summary_extra=s)
    assert judge(out, crossing=False) is None
    d = imp(out)
    assert d.proposal.rule != "IMP-EVENTS"
    assert not any("events <" in step for step in d.proposal.path)


def test_does_not_apply_without_events():
    cont = summary_outcome(0.5, (-0.5, 1.5), participants=120, type="continuous", measure="MD")
    assert judge(cont) is None  # a continuous outcome has no events
    assert judge(summary_outcome(1.25, (0.40, 3.90), participants=120)) is None  # events not reported


def test_min_events_is_a_setting():
    out = crossing_summary(10, 5)  # 15 events
    assert judge(out) is None
    fewer = judge(out, settings=ImpEventsSettings(min_events=20))
    assert fewer is not None and fewer.threshold == "fewer than 20 events"
    assert imp(out, with_rules(IMP_EVENTS={"min_events": 20})).proposal.rule == "IMP-EVENTS"


# -- switched off: skipped --------------------------------------------------------------------------


def test_switched_off_it_is_skipped():
    out = outcome(data=W2B_ROWS, analysis={"model": "fixed", "method": "MH"})
    studies = [{"id": "T1", "design": "rct"}]
    off = dom(assess_one(out, studies, with_rules(IMP_EVENTS={"enabled": False})), "imprecision")
    # the rest of imprecision is judged as usual: RR 3.00 (0.33-27.2) at 1/29 spans 0.75 and 1.25 -> −2
    assert off.proposal.rule == "IMP-RELATIVE" and off.levels == 2
    assert off.rating is not None and "switched off" not in (off.proposal.explanation or "")
    assert not any("events <" in step for step in off.proposal.path)


# -- the events of a summary ------------------------------------------------------------------------


def test_summary_events_are_events_t_plus_events_c():
    ctx, _, _ = rule_context(crossing_summary(6, 3))
    assert ctx.events == 9
    d = imp(crossing_summary(6, 3))
    assert any("120 participants (9 events)" in f for f in d.proposal.facts)
    # only one arm's events: the total is not known, so the rule cannot apply
    one_arm = summary_outcome(1.25, (0.40, 3.90), participants=120, summary_extra={"events_t": 2})
    ctx, _, _ = rule_context(one_arm)
    assert ctx.events is None and judge(one_arm) is None
