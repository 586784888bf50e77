"""The result of assessing an evidence file: what gradecli proposes, what the reviewer decided,
and why. Renderers (table, JSON, Markdown, ...) read only these models.

Numbers in these models are finite or None (issue 9, "no NaN or inf ever reaches an output"): the
models refuse NaN and ±inf at construction (``allow_inf_nan=False``), the engine never offers one
(a statistic that cannot be computed is None with the reason in ``not_estimable`` or
``effect.warnings``), and the JSON writers dump with ``allow_nan=False`` as a last guard."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from gradecli.model.vocab import Certainty, Rating

SCHEMA_VERSION = "1.5"

LEVELS: tuple[Certainty, ...] = (Certainty.very_low, Certainty.low, Certainty.moderate, Certainty.high)
RATING_LEVELS: dict[Rating, int] = {
    Rating.not_serious: 0,
    Rating.serious: 1,
    Rating.very_serious: 2,
    Rating.extremely_serious: 3,
}
DOMAINS = ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias")
DOMAIN_NAMES = {
    "risk_of_bias": "risk of bias",
    "inconsistency": "inconsistency",
    "indirectness": "indirectness",
    "imprecision": "imprecision",
    "publication_bias": "publication bias",
    "large_effect": "large effect",
    "dose_response": "dose–response gradient",
    "residual_confounding": "plausible residual confounding",
}

Status = Literal["proposed", "overridden", "confirmed", "judged", "not_assessed", "not_applicable"]


class _Out(BaseModel):
    """Base of the output models. ``allow_inf_nan=False``: a NaN or ±inf can never be stored in an
    assessment (constructing one raises, a loud internal error), so none can reach JSON, CSV or a
    table; the engine turns non-finite statistics into None plus a not-estimable reason first."""

    model_config = ConfigDict(frozen=True, defer_build=True, extra="forbid", allow_inf_nan=False)


class AbsoluteEffect(_Out):
    """The absolute effect at one assumed comparator risk (per ``per`` people; GRADEpro formulas)."""

    label: str | None = None
    source: str | None = None
    per: int = 1000
    comparator: float
    intervention: float | None
    intervention_lb: float | None
    intervention_ub: float | None
    difference: float | None
    difference_lb: float | None
    difference_ub: float | None


class ContinuousEffect(_Out):
    """A continuous outcome's comparator mean and mean difference (or SMD with its size)."""

    comparator_mean: float | None = None
    comparator_source: str | None = None
    measure: str
    difference: float | None
    difference_lb: float | None
    difference_ub: float | None
    smd_size: str | None = None
    smd_size_source: str | None = Field(
        None,
        description=(
            "1.2: 'the outcome's thresholds' (the statement's zones) or 'Cohen's rule of thumb, context-free'."
        ),
    )
    instrument: str | None = Field(None, description="1.2: SMD re-expressed in this instrument's units (GRADE 13).")
    instrument_units: str | None = None
    instrument_difference: float | None = None
    instrument_difference_lb: float | None = None
    instrument_difference_ub: float | None = None


class Proposal(_Out):
    """What a domain rule proposes, with the facts it measured and the rule that fired."""

    rating: Rating | None = Field(description="None: the rule could not assess the domain.")
    rule: str | None = Field(None, description="Stable code of the rule that decided, e.g. IMP-CROSS.")
    threshold: str | None = Field(None, description="The threshold the rule compared against.")
    facts: list[str] = Field(default_factory=list, description="Measured values, in words.")
    explanation: str | None = Field(None, description="One sentence: why this rating.")
    applicable: bool = True
    path: list[str] = Field(
        default_factory=list,
        description="1.2: the steps the rule took, in order (as on the Core GRADE flowcharts), e.g. "
        "'target: an important reduction', 'the 95% CI crosses the MID (10 fewer per 1,000)', '−1'.",
    )
    needs_confirmation: bool = Field(
        False, description="1.2: a proposal the reviewer must confirm (e.g. more than one level for imprecision)."
    )


class DomainAssessment(_Out):
    domain: str
    proposal: Proposal
    rating: Rating | None = Field(description="The final rating (the reviewer's, or the proposal).")
    levels: int = Field(description="Levels rated down (0–3).")
    status: Status
    reviewer_reason: str | None = None
    footnote: str | None = None
    judged_by: list[str] = Field(
        default_factory=list,
        description="1.5: the reviewers the judgment used is from (files with `reviewers`): those who agreed, or "
        "the consensus's.",
    )


class UpgradeAssessment(_Out):
    domain: str
    proposed_levels: int
    levels: int
    status: Status
    rule: str | None = None
    facts: list[str] = Field(default_factory=list)
    reviewer_reason: str | None = None
    footnote: str | None = None
    needs_confirmation: bool = Field(
        False,
        description="1.2: a rating up was proposed (proposed_levels > 0): it counts in the certainty only once the "
        "reviewer confirms it (judgements.<domain>); status 'proposed' means not yet confirmed.",
    )
    path: list[str] = Field(
        default_factory=list,
        description="1.2: the steps the rule took, in order, e.g. 'OR → RR at 30%: RR 0.26 (95% CI 0.19 to 0.37)', "
        "'the whole 95% CI lies below 0.5 (not below 0.2) → a large effect, +1', '+1 proposed: needs the "
        "reviewer's confirmation'.",
    )
    judged_by: list[str] = Field(
        default_factory=list, description="1.5: the reviewers the judgment used is from (files with `reviewers`)."
    )


class Effect(_Out):
    """The outcome's effect as the table shows it (natural scale; log-scale values for ratios too)."""

    measure: str
    estimate: float | None
    ci_lb: float | None
    ci_ub: float | None
    source: Literal["pooled", "summary"]
    method: str | None = Field(None, description="e.g. 'random effects, REML', or 'as reported'.")
    k: int | None = None
    participants: int | None = None
    i2: float | None = None
    tau2: float | None = None
    q_p: float | None = None
    pi_lb: float | None = None
    pi_ub: float | None = None
    egger_p: float | None = None
    weights: dict[str, float] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)


class StudyRiskOfBias(_Out):
    """A study's risk-of-bias assessment as the file gives it (per-domain judgments in the file's order)."""

    tool: Literal["rob2", "rob1", "robins-i"]
    overall: str
    domains: dict[str, str] = Field(default_factory=dict)


class StudyRecord(_Out):
    """One study of the review, as the assessment used it."""

    id: str
    design: str
    year: int | None = None
    funding: str | None = None
    registration: str | None = None
    risk_of_bias: StudyRiskOfBias | None = None


class AnalysedRow(_Out):
    """One data row of an outcome as analysed: its estimate (natural scale; ``yi``/``sei`` on the
    analysis scale), its share of the analysis weight, the risk-of-bias judgment used for this
    outcome (a per-outcome override wins), and whether it entered the pooled analysis."""

    label: str = Field(description="The study id, with the row's label when a study has several rows.")
    study: str
    row_label: str | None = Field(None, description="The row's own label (arm, subgroup), if any.")
    estimate: float | None = None
    ci_lb: float | None = None
    ci_ub: float | None = None
    yi: float | None = None
    sei: float | None = None
    weight: float | None = Field(None, description="Share of the analysis weight (0–1).")
    participants: int | None = None
    events_t: int | None = None
    n_t: int | None = None
    events_c: int | None = None
    n_c: int | None = None
    mean_t: float | None = None
    sd_t: float | None = None
    mean_c: float | None = None
    sd_c: float | None = None
    risk_of_bias: str | None = None
    risk_of_bias_tool: str | None = None
    included: bool = True
    dropped_reason: str | None = None


class SmallStudyTest(_Out):
    """Egger's regression test (metafor ``regtest``, predictor sei): the same fit gives the p value
    and the direction (``slope`` > 0: the smaller studies have larger estimates on the analysis scale)."""

    method: str = Field(description="'Egger' with the fit: 'rma (REML)', 'fixed', ...")
    k: int
    intercept: float
    slope: float
    se: float
    stat: float
    p: float
    test: Literal["z", "t"]
    df: int | None = None
    tau2: float
    converged: bool
    direction: Literal["larger estimates in smaller studies", "smaller estimates in smaller studies", "none"]


class PooledAnalysis(_Out):
    """The pooled result as computed (analysis scale: log for ratio measures); the table's
    :class:`Effect` is its natural-scale view."""

    measure: str
    model: str
    method: str
    hksj: bool
    k: int
    estimate: float
    se: float
    ci_lb: float
    ci_ub: float
    stat: float | None = None
    pval: float | None = None
    test: str
    df: int | None = None
    tau2: float | None = None
    i2: float
    h2: float
    q: float
    q_df: int
    q_p: float
    pi_lb: float | None = None
    pi_ub: float | None = None
    prediction: str | None = None
    pi_df: int | None = None
    converged: bool
    tau2_iterations: int
    continuity_correction: dict[str, str | float | bool] | None = None
    dropped: list[dict[str, str]] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class Reference(_Out):
    """A threshold the rules judged against, on the measure's natural scale, with its label."""

    value: float
    label: str


class JudgingScale(_Out):
    """The scale on which the outcome's thresholds were judged (imprecision, inconsistency,
    statements): its kind, the zone boundaries on that scale, and where the thresholds came from."""

    kind: Literal["absolute", "relative", "difference"]
    boundaries: list[float]
    unit: str
    per: int
    assumed_risk: float | None = None
    note: str
    default_used: str | None = Field(None, description="A threshold supplied by the rule set, not the outcome.")
    references: list[Reference] = Field(default_factory=list)


TargetKind = Literal["important_effect", "little_or_no_effect", "non_null_effect"]


class Target(_Out):
    """1.2: what the certainty rating is about (GRADE guidance 41; Core GRADE 2): an important effect
    (the point estimate lies beyond the MID), little or no important effect (inside the MIDs), or any
    non-null effect (no MID: the null is the threshold). Threshold values are positive magnitudes on
    the judging scale (``scale``/``unit``): per ``per`` people for absolute effects, ratios for
    relative ones (``relative_benefit`` 0.75 means RR 0.75), the outcome's units for differences."""

    kind: TargetKind
    direction: Literal["benefit", "harm", "increase", "reduction"] | None = Field(
        None, description="The side of the null the target lies on (none for little or no effect)."
    )
    chosen_by: Literal["point_estimate", "file"] = Field(
        description="'point_estimate': from the point estimate's position (Core GRADE 2); 'file': thresholds.target."
    )
    scale: Literal["absolute", "relative", "difference"]
    unit: str
    per: int = 1000
    assumed_risk: float | None = Field(None, description="The comparator risk of the absolute scale (0–1).")
    mid_benefit: float | None = None
    mid_harm: float | None = None
    moderate: float | None = None
    large: float | None = None
    source: str | None = Field(None, description="Where the outcome's thresholds come from (the file's words).")
    defaults_used: list[str] = Field(default_factory=list, description="Thresholds the rule set supplied, and why.")
    methods_line: str = Field(
        description="e.g. 'Certainty rated for: an important reduction (MID 10 fewer per 1,000)'."
    )


class Sensitivity(_Out):
    """The analysis restricted to studies at low risk of bias (Core GRADE 4)."""

    studies: list[str]
    estimate: float | None
    ci_lb: float | None
    ci_ub: float | None
    conclusion_changes: bool | None
    note: str


class NoEventRiskDifference(_Out):
    """1.3: the pooled risk difference (proportions, −1 to 1) of an outcome with no events."""

    estimate: float
    ci_lb: float
    ci_ub: float
    method: str
    comparator_risk: float | None = Field(None, description="Events over participants in the comparator arms.")


class SubgroupEstimate(_Out):
    """1.3: one subgroup of an a priori hypothesis, pooled on its own."""

    name: str
    studies: list[str]
    k: int = Field(description="Studies in the subgroup.")
    participants: int | None = None
    estimate: float | None = Field(None, description="Natural scale (ratios as ratios).")
    ci_lb: float | None = None
    ci_ub: float | None = None
    i2: float | None = None
    not_estimable: str | None = None


class SubgroupAnalysis(_Out):
    """1.3: an a priori subgroup hypothesis (effect modification): each subgroup pooled, the test for
    subgroup differences, the reviewer's ICEMAN answers and credibility, and whether it gave
    separate rows."""

    id: str
    modifier: str
    hypothesis: str | None = None
    a_priori: bool | None = Field(True, description="null: not recorded whether stated a priori.")
    groups: list[SubgroupEstimate]
    q: float | None = Field(None, description="Test for subgroup differences: Cochran's Q across the subgroups.")
    df: int | None = None
    p: float | None = None
    i2: float | None = Field(None, description="I² of the subgroup differences (percent).")
    comparison: Literal["within_trials", "between_trials", "mixed"]
    unassigned: list[str] = Field(default_factory=list, description="Rows in no subgroup (not in the test).")
    iceman: dict[str, str] = Field(default_factory=dict, description="The reviewer's answers, by ICEMAN item.")
    credibility: str | None = Field(None, description="The reviewer's overall ICEMAN credibility.")
    credibility_reason: str | None = None
    separate_rows: bool = Field(False, description="The subgroups are the outcome's rows (credible: moderate/high).")
    facts: list[str] = Field(default_factory=list, description="What gradecli measured, beside ICEMAN's items.")


class SubgroupRow(_Out):
    """1.3: the subgroup an outcome row stands for (the outcome split by a credible subgroup effect)."""

    hypothesis: str
    modifier: str
    group: str
    p: float | None = None
    credibility: str


class StratumAssessment(_Out):
    """1.2: one baseline-risk stratum (Core GRADE 6; GRADE 35): its own absolute effect, target,
    imprecision, certainty and statement. Listed when an outcome gives more than one assumed risk."""

    label: str | None = None
    assumed_risk: float = Field(description="The stratum's comparator risk (0–1).")
    source: str | None = None
    absolute: AbsoluteEffect
    target: Target | None = None
    zone: str | None = Field(
        None, description="Where the point estimate lies: trivial, small, moderate, large, important."
    )
    imprecision: DomainAssessment
    points: int = 0
    computed_certainty: Certainty | None = None
    certainty: Certainty | None = None
    provisional: bool = False
    certainty_ceiling: Certainty | None = None
    statement: str | None = None
    footnotes: list[str] = Field(default_factory=list)


class Disagreement(_Out):
    """1.5: an item the reviewers rate differently, with no consensus yet."""

    item: str = Field(description="A domain, an upgrade or `certainty`; `risk_of_bias` with `study`.")
    study: str | None = None
    ratings: dict[str, str] = Field(description="Reviewer id → rating, in the file's order of reviewers.")


class OutcomeAssessment(_Out):
    id: str
    name: str
    importance: str
    form: Literal["studies", "summary", "none"]
    measure: str | None = None
    scale: str | None = None
    follow_up: str | None = None
    benefit: str | None = None
    absolute: list[AbsoluteEffect] = Field(default_factory=list)
    continuous: ContinuousEffect | None = None
    statement: str | None = Field(None, description="Plain-language statement (GRADE guidance 26).")
    effect: Effect | None = None
    not_estimable: str | None = None
    start: Certainty | None = None
    start_reason: str | None = None
    domains: list[DomainAssessment] = Field(default_factory=list)
    upgrades: list[UpgradeAssessment] = Field(default_factory=list)
    points: int = 0
    computed_certainty: Certainty | None = Field(None, description="From the domains alone.")
    certainty: Certainty | None = Field(None, description="Final: the reviewer's override, else computed.")
    certainty_reason: str | None = None
    not_assessed: list[str] = Field(default_factory=list)
    recorded_certainty: Certainty | None = None
    footnotes: list[str] = Field(default_factory=list)
    sensitivity: Sensitivity | None = None
    not_pooled: bool = Field(False, description="1.3: the studies are not pooled (analysis.pool: false).")
    study_range: tuple[float, float] | None = Field(
        None, description="1.3: the lowest and highest study estimate (natural scale) of an outcome not pooled."
    )
    narrative: str | None = Field(None, description="1.3: the review's narrative summary (the file's `narrative`).")
    no_event_risk_difference: NoEventRiskDifference | None = Field(
        None,
        description="1.3: no study had an event (or every participant had one), so no ratio exists: the pooled "
        "risk difference the table shows instead.",
    )
    with_critical: Sensitivity | None = Field(
        None,
        description="1.3: the analysis with the studies at critical risk of bias (ROBINS-I) that the primary "
        "analysis leaves out.",
    )
    analysis: str | None = Field(None, description="How the rows are pooled, e.g. 'random effects, REML'.")
    rows: list[AnalysedRow] = Field(default_factory=list, description="The per-study rows as analysed.")
    pooled: PooledAnalysis | None = None
    small_study_test: SmallStudyTest | None = None
    judging_scale: JudgingScale | None = None
    control_risk: float | None = Field(None, description="The comparator risk the absolute effects use.")
    control_risk_source: str | None = None
    target: Target | None = None
    zone: str | None = Field(None, description="1.2: where the point estimate lies against the target's thresholds.")
    strata: list[StratumAssessment] = Field(
        default_factory=list,
        description="1.2: one entry per assumed-risk stratum when there are several; the outcome's own "
        "imprecision and certainty are then the least certain stratum's.",
    )
    provisional: bool = Field(
        False,
        description="1.2: risk of bias, imprecision or indirectness is not assessed: `certainty` is None and "
        "`certainty_ceiling` is the most it could be (GRADE: certainty is judged over all domains).",
    )
    missing_domains: list[str] = Field(default_factory=list, description="1.2: the domains that make it provisional.")
    body: Literal["rct", "nrsi"] | None = Field(
        None,
        description="1.2: an outcome whose studies mix randomised and non-randomised designs is assessed as two "
        "bodies of evidence (GRADE 24), each its own row: which one this is.",
    )
    source_id: str | None = Field(
        None, description="1.2: with `body` (1.3: or `subgroup`), the outcome's id in the evidence file."
    )
    subgroup_analyses: list[SubgroupAnalysis] = Field(
        default_factory=list, description="1.3: the outcome's a priori subgroup hypotheses, analysed."
    )
    subgroup: SubgroupRow | None = Field(None, description="1.3: this row is one subgroup of a credible effect.")
    certainty_ceiling: Certainty | None = None
    comparison: str | None = Field(
        None, description="1.4: the id of the comparison this outcome belongs to (files with `comparisons`)."
    )
    disagreements: list[Disagreement] = Field(
        default_factory=list,
        description="1.5: what the reviewers disagree on without a consensus (a domain, an upgrade, `certainty`, "
        "or a study's risk of bias), each with the reviewers' ratings: it makes the outcome provisional.",
    )


class Question(_Out):
    population: str | None = None
    intervention: str | None = None
    comparison: str | None = None
    setting: str | None = None


class ComparisonRecord(_Out):
    """1.4: one comparison of the review: its own Summary-of-Findings table."""

    id: str
    title: str
    question: Question | None = None
    notes: str | None = None


class ReviewerRecord(_Out):
    """1.5: a reviewer of the file."""

    id: str
    name: str | None = None
    role: str | None = None


class ReviewerRating(_Out):
    """1.5: one reviewer's rating of one item (an upgrade's levels as "0", "1", "2")."""

    reviewer: str
    rating: str
    reason: str | None = None
    date: str | None = None


class ConsensusRecord(_Out):
    """1.5: the agreed judgment that resolves an item."""

    rating: str
    reason: str | None = None
    agreed_by: list[str]
    date: str | None = None


class ReviewRecord(_Out):
    """1.5: one item judged by the reviewers: an outcome's domain, upgrade or certainty, or a study's
    overall risk of bias."""

    outcome: str | None = Field(None, description="The outcome's id in the evidence file.")
    study: str | None = None
    item: str
    proposal: str | None = Field(
        None,
        description="What gradecli proposes: the rule's rating, the proposed levels, or the certainty computed "
        "from the domains; for a study, the overall judgment in the evidence file.",
    )
    ratings: list[ReviewerRating] = Field(default_factory=list)
    consensus: ConsensusRecord | None = None
    status: Literal["agreed", "single", "resolved", "unresolved"]
    used: str | None = Field(None, description="The rating the assessment uses (None: the proposal stands).")


class AgreementStatistic(_Out):
    """1.5: one agreement statistic with its 95% CI (None where undefined: see ``note``)."""

    statistic: str
    estimate: float | None = None
    se: float | None = None
    ci_lb: float | None = None
    ci_ub: float | None = None
    note: str | None = None


class AgreementRecord(_Out):
    """1.5: agreement between reviewers over one scope (a domain, all domains, the certainty, rating
    up, the studies' risk of bias)."""

    scope: str
    reviewers: list[str]
    categories: list[str] = Field(description="The ordered scale the weighted statistics use.")
    n: int = Field(description="Items rated by all these reviewers.")
    n_missing: int = Field(description="Items rated by some of them only (left out of the two-rater statistics).")
    statistics: list[AgreementStatistic]


class Assessment(_Out):
    """A whole assessment; ``schema_version`` changes when keys change (see docs/assessment-json.md)."""

    schema_version: str = SCHEMA_VERSION
    gradecli_version: str
    rules: str
    title: str
    doi: str | None = None
    question: Question | None = None
    outcomes: list[OutcomeAssessment]
    studies: list[StudyRecord] = Field(default_factory=list, description="The review's studies, in file order.")
    comparisons: list[ComparisonRecord] = Field(
        default_factory=list,
        description="1.4: the review's comparisons, in file order (empty: one comparison, `question`); each "
        "outcome's `comparison` names one.",
    )
    reviewers: list[ReviewerRecord] = Field(default_factory=list, description="1.5: the file's reviewers.")
    reviews: list[ReviewRecord] = Field(
        default_factory=list, description="1.5: every item a reviewer judged or a consensus resolved, file order."
    )
    agreement: list[AgreementRecord] = Field(
        default_factory=list, description="1.5: agreement between each pair of reviewers (and all of them)."
    )


def clamp_level(start: Certainty, points: int) -> Certainty:
    index = LEVELS.index(start) - points
    return LEVELS[max(0, min(len(LEVELS) - 1, index))]
