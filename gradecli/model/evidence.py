"""The evidence file, format v1, as pydantic models.

These models *are* the format: validation, the JSON Schema that editors use (``gradecli schema``)
and the documentation in ``docs/evidence-format.md`` all come from them. Structural rules (types,
vocabularies, required fields, unknown keys) live here; rules that relate one part of the file to
another (study ids, events ≤ participants across the file, ...) live in
:mod:`gradecli.model.checks`, so that each problem can be reported at its own line.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    field_validator,
    model_validator,
)

from gradecli.model.base import (
    NUMBER,
    WHOLE,
    Count,
    NonEmpty,
    Num,
    Reason,
    Strict,
    Text,
    _format_version,
)
from gradecli.model.reviewers import Consensus, Date, Id, Reviewer, ReviewerJudgements
from gradecli.model.vocab import (
    Benefit,
    Certainty,
    Design,
    Importance,
    Measure,
    Method,
    Model,
    OutcomeType,
    PicoMatch,
    PredictionInterval,
    Rating,
    Rob1,
    Rob1Domain,
    Rob2,
    Rob2Domain,
    RobinsI,
    RobinsIDomain,
)

FORMAT_VERSION = 1


# ---------------------------------------------------------------------------------------------
# Review and question


class Question(Strict):
    """The PICO question printed above the Summary-of-Findings table (population may be left out, e.g.
    by an importer that knows only the comparison's "X versus Y")."""

    population: NonEmpty | None = None
    intervention: NonEmpty
    comparison: NonEmpty
    setting: NonEmpty | None = None
    intervention_number: Literal["singular", "plural"] | None = Field(
        None,
        description="Whether statements say 'X reduces' or 'X reduce' (guessed from the name when not given).",
    )


class Comparison(Strict):
    """One comparison of the review (one Summary-of-Findings table): its PICO question and an id the
    outcomes name (``outcomes[].comparison``)."""

    id: NonEmpty
    title: NonEmpty | None = Field(
        None, description="The table's title, e.g. 'Oral ketamine compared with placebo for chronic pain'."
    )
    question: Question | None = None
    notes: Text | None = None


class Amstar(Strict):
    """How many of AMSTAR items 1–4 the review meets (a priori design, duplicate selection and
    extraction, comprehensive search, grey literature): Pollock 2016's review-quality criterion."""

    items_met: Annotated[int, Field(ge=0, le=4), WHOLE]
    reason: Reason
    source: Text | None = None


class Review(Strict):
    title: NonEmpty
    authors: list[NonEmpty] = Field(default_factory=list, max_length=10_000)
    doi: NonEmpty | None = Field(None, description="DOI of the review the numbers come from.")
    url: NonEmpty | None = None
    question: Question | None = None
    amstar: Amstar | None = Field(
        None, description="AMSTAR items 1–4 met by the review (read only by the pollock-2016 rule set's ROB-AMSTAR)."
    )
    notes: Text | None = None


# ---------------------------------------------------------------------------------------------
# Analysis choices


class Analysis(Strict):
    """How an outcome's per-study data are pooled (ignored for summary-level outcomes).

    ``model: fixed`` takes ``method`` IV, MH or PETO; ``model: random`` takes DL, REML or PM.
    Unset fields fall back to the file's ``defaults.analysis``, then to gradecli's defaults
    (random effects, REML, no Hartung–Knapp, metafor's prediction interval).
    """

    model: Model | None = None
    method: Method | None = None
    hksj: bool | None = Field(None, description="Hartung–Knapp–Sidik–Jonkman adjustment (random effects).")
    prediction_interval: PredictionInterval | None = None
    multi_arm: Literal["combine", "split_control", "as_entered"] | None = Field(
        None,
        description=(
            "Rows of one study that share one control group (a multi-arm trial): combine the arms (default), "
            "split the control between the comparisons (Cochrane Handbook ch. 23, §23.3.4), or pool them as "
            "entered (the control counted in each comparison: a unit-of-analysis error, only to reproduce a "
            "published analysis that made it)."
        ),
    )
    pool: bool | None = Field(
        None,
        description=(
            'false: the studies are not pooled (the review chose not to: RevMan\'s TOTALS="NO"); the table shows '
            "the range of the study estimates and the outcome's `narrative`, and the domains are the reviewer's to "
            "judge (GRADE without a single estimate: Murad MH et al., J Clin Epidemiol 2017;87:4–13)."
        ),
    )
    convention: Literal["metafor", "revman5"] | None = Field(
        None,
        description=(
            "Whose computing conventions to follow: metafor (the default) or revman5 — RevMan 5's continuity "
            "correction (0.5 added to zero-cell tables inside the Mantel–Haenszel sums too) and its approximate "
            "SMD correction (Deeks & Higgins, 'Statistical algorithms in Review Manager 5'). The RevMan importer "
            "sets it, so the numbers are the review's."
        ),
    )
    q_around: Literal["IV", "MH"] | None = Field(
        None,
        description=(
            "DerSimonian–Laird random effects on 2×2 data: the estimate Cochran's Q (and so τ²) is computed around — "
            "IV (the inverse-variance estimate: metafor, the default) or MH (the Mantel–Haenszel estimate: RevMan "
            "5's random-effects analysis of a Mantel–Haenszel outcome)."
        ),
    )
    critical_risk_of_bias: Literal["exclude", "include"] | None = Field(
        None,
        description=(
            "Studies at critical risk of bias (ROBINS-I: 'too problematic to provide any useful evidence') leave "
            "the primary analysis (exclude, the default; the analysis with them is kept as a sensitivity analysis) "
            "or stay in it (include)."
        ),
    )


class Defaults(Strict):
    analysis: Analysis | None = None
    rules: NonEmpty | None = Field(
        None,
        description="A rule set shipped with gradecli (by name) or a path to one, relative to this file's "
        "folder and inside it.",
    )

    @field_validator("rules")
    @classmethod
    def _path_stays_inside(cls, v: str | None) -> str | None:
        from gradecli.io.paths import check_relative, looks_like_path

        problem = check_relative(v) if v is not None and looks_like_path(v) else None
        if problem:
            raise ValueError(problem)
        return v


# ---------------------------------------------------------------------------------------------
# Risk of bias


SUPPORT_DESCRIPTION = (
    "The reviewers' support for each domain judgment (quotes from the report and the reasons for the judgment), "
    "by domain: free text, as RevMan's 'Support for judgement'."
)


class Rob2Assessment(Strict):
    """RoB 2 (randomised trials): low / some_concerns / high, per domain and overall."""

    tool: Literal["rob2"]
    overall: Rob2
    domains: dict[Rob2Domain, Rob2] = Field(default_factory=dict)
    reason: Text | None = None
    support: dict[Rob2Domain, Text] = Field(default_factory=dict, description=SUPPORT_DESCRIPTION)
    by: Id | None = Field(None, description="The reviewer (an id of `reviewers`) who made this assessment.")
    date: Date | None = None


class Rob1Assessment(Strict):
    """Cochrane RoB 1: low / unclear / high, per item and overall."""

    tool: Literal["rob1"]
    overall: Rob1
    domains: dict[Rob1Domain, Rob1] = Field(default_factory=dict)
    reason: Text | None = None
    support: dict[Rob1Domain, Text] = Field(default_factory=dict, description=SUPPORT_DESCRIPTION)
    by: Id | None = Field(None, description="The reviewer (an id of `reviewers`) who made this assessment.")
    date: Date | None = None


class RobinsIAssessment(Strict):
    """ROBINS-I (non-randomised studies): low / moderate / serious / critical / no_information."""

    tool: Literal["robins-i"]
    overall: RobinsI
    domains: dict[RobinsIDomain, RobinsI] = Field(default_factory=dict)
    reason: Text | None = None
    support: dict[RobinsIDomain, Text] = Field(default_factory=dict, description=SUPPORT_DESCRIPTION)
    by: Id | None = Field(None, description="The reviewer (an id of `reviewers`) who made this assessment.")
    date: Date | None = None


RiskOfBias = Annotated[
    Rob2Assessment | Rob1Assessment | RobinsIAssessment,
    Field(discriminator="tool"),
]


class Study(Strict):
    id: NonEmpty
    design: Design
    year: Annotated[int, Field(ge=1000, le=3000), WHOLE] | None = None
    funding: NonEmpty | None = Field(None, description="e.g. industry, public, mixed, not reported.")
    registration: NonEmpty | None = None
    notes: Text | None = None
    risk_of_bias: RiskOfBias | None = None


class RiskOfBiasOverride(Strict):
    """A study's overall judgment for one outcome (RoB 2 is assessed per result)."""

    study: NonEmpty
    overall: NonEmpty = Field(description="A judgment in the vocabulary of the study's tool.")
    tool: Literal["rob2", "rob1", "robins-i"] | None = Field(
        None, description="Needed only when the study itself has no risk-of-bias assessment."
    )
    reason: Reason


# ---------------------------------------------------------------------------------------------
# Outcome data: per-study rows


class _Row(Strict):
    study: NonEmpty
    label: NonEmpty | None = Field(
        None, description="Distinguishes several rows of one study (e.g. arms of a multi-arm trial)."
    )
    notes: Text | None = Field(
        None, description="Free text about this row (e.g. the arms compared, a footnote of the source's forest plot)."
    )


class DichotomousRow(_Row):
    """Events and participants per arm (``_t`` intervention, ``_c`` comparator)."""

    events_t: Count
    n_t: Count
    events_c: Count
    n_c: Count


class ContinuousRow(_Row):
    """Mean, standard deviation and participants per arm."""

    mean_t: Num
    sd_t: Num
    n_t: Count
    mean_c: Num
    sd_c: Num
    n_c: Count


class GenericRow(_Row):
    """A study's effect estimate, in one of three forms:

    * ``yi`` + ``sei`` on the analysis scale (log scale for RR, OR, HR);
    * ``estimate`` + ``ci: [lower, upper]`` as reported (natural scale, e.g. HR 0.8 (0.6 to 1.1));
    * ``estimate`` + ``se`` for measures that are not ratios (MD, SMD, RD, GENERIC).

    ``n_t``/``n_c`` (or ``participants``) give the number of participants when known.
    """

    yi: Num | None = None
    sei: Annotated[float, Field(gt=0), NUMBER] | None = None
    estimate: Num | None = None
    ci: tuple[Num, Num] | None = None
    se: Annotated[float, Field(gt=0), NUMBER] | None = None
    n_t: Count | None = None
    n_c: Count | None = None
    participants: Count | None = None


_ROW_KEYS = {
    "dichotomous": ("events_t", "events_c", "event"),
    "continuous": ("mean_t", "mean_c", "sd_t", "sd_c", "mean", "sd"),
    "generic": ("yi", "sei", "estimate", "se", "ci"),
}


def _row_kind(value: object) -> str | None:
    """Pick the row model from the keys present, so errors speak of the intended form."""
    if isinstance(value, BaseModel):
        return {DichotomousRow: "dichotomous", ContinuousRow: "continuous", GenericRow: "generic"}.get(type(value))
    if not isinstance(value, dict):
        return None
    if "events_t" in value or "events_c" in value:  # fast paths for well-formed rows
        return "dichotomous"
    if "mean_t" in value or "mean_c" in value:
        return "continuous"
    if "yi" in value or "estimate" in value:
        return "generic"
    keys = [str(k) for k in value]
    for kind, prefixes in _ROW_KEYS.items():
        if any(k.startswith(p) for k in keys for p in prefixes):
            return kind
    return None


DataRow = Annotated[
    Annotated[DichotomousRow, Tag("dichotomous")]
    | Annotated[ContinuousRow, Tag("continuous")]
    | Annotated[GenericRow, Tag("generic")],
    Discriminator(
        _row_kind,
        custom_error_type="row_form",
        custom_error_message=(
            "cannot tell the form of this row: give events_t/n_t/events_c/n_c (dichotomous), "
            "mean_t/sd_t/n_t/mean_c/sd_c/n_c (continuous), or yi/sei, estimate+ci or estimate+se (generic)"
        ),
    ),
]


# ---------------------------------------------------------------------------------------------
# Outcome data: summary level


class SummaryResult(Strict):
    """A pooled result copied from a published review: gradecli grades it, it does not re-pool it.

    ``estimate`` and ``ci`` are on the natural scale (RR 3.26, CI 1.05 to 10.09). ``participants``
    and ``studies`` may be null when the source does not report them; ``estimate`` and ``ci`` may
    both be left out when the source reports that studies measured the outcome but gives no result.
    """

    estimate: Num | None = None
    ci: tuple[Num, Num] | None = None
    participants: Count | None = None
    participants_t: Count | None = None
    participants_c: Count | None = None
    studies: Count | None = None
    events_t: Count | None = None
    events_c: Count | None = None
    i2: Annotated[float, Field(ge=0, le=100), NUMBER] | None = Field(None, description="I² in percent.")
    tau2: Annotated[float, Field(ge=0), NUMBER] | None = None
    model: Model | None = Field(None, description="The model the source review used, if known.")
    design: Literal["rct", "nrsi", "mixed"] | None = Field(
        None,
        description="The design of the studies behind the result (randomised, non-randomised, or both pooled); "
        "it sets the starting level.",
    )
    source: Text | None = Field(None, description="Where the numbers come from (table, page, analysis).")


# ---------------------------------------------------------------------------------------------
# Targets of the certainty rating


class Thresholds(Strict):
    """The target of the certainty rating (GRADE guidance 41; Core GRADE 2): the thresholds that
    bound the trivial zone, and which side of them the rating is about.

    For dichotomous outcomes ``mid`` (and ``mid_benefit``, ``mid_harm``, ``moderate``, ``large``)
    are absolute effects per ``per`` people (e.g. 20 fewer per 1000), judged at each assumed risk;
    for continuous and generic outcomes they are in the outcome's own units. ``mid`` is the minimal
    important difference for benefit and harm alike; ``mid_benefit`` / ``mid_harm`` set one side
    (they need the outcome's ``benefit``). ``moderate`` and ``large`` add GRADE 35's further
    boundaries (the statements' "slightly" and "large"). ``relative``: for ratio measures, the
    ratios that mark an important effect — one number r (1/r and r) or a pair ``[0.75, 1.25]``.

    ``target``: ``auto`` (Core GRADE 2: the point estimate's position against the MID chooses an
    important effect or little or no important effect; with no MID, any non-null effect),
    ``important_effect``, ``little_or_no_effect``, or ``any_effect`` (the null is the threshold
    even when MIDs are given). ``trivial_zone`` is the format-1.0 spelling of ``auto``.
    """

    target: Literal["auto", "important_effect", "little_or_no_effect", "any_effect", "trivial_zone"] = "auto"
    per: Literal[10, 100, 1000, 10000, 100000] = 1000
    mid: Annotated[float, Field(gt=0), NUMBER] | None = None
    mid_benefit: Annotated[float, Field(gt=0), NUMBER] | None = None
    mid_harm: Annotated[float, Field(gt=0), NUMBER] | None = None
    moderate: Annotated[float, Field(gt=0), NUMBER] | None = None
    large: Annotated[float, Field(gt=0), NUMBER] | None = None
    relative: (
        Annotated[float, Field(gt=1), NUMBER]
        | tuple[Annotated[float, Field(gt=0, lt=1), NUMBER], Annotated[float, Field(gt=1), NUMBER]]
        | None
    ) = None
    source: Text | None = None

    @property
    def stated_target(self) -> str:
        return "auto" if self.target == "trivial_zone" else self.target


class ReferenceInstrument(Strict):
    """A familiar instrument in whose units an SMD is re-expressed (GRADE 13; Cochrane Handbook
    v6.5 §15.5.3.1): SMD × its SD, with its comparator mean when known."""

    name: NonEmpty
    sd: Annotated[float, Field(gt=0), NUMBER] = Field(description="A representative SD of the instrument.")
    comparator_mean: Num | None = Field(
        None, description="The mean in the comparator group, in the instrument's units."
    )
    units: NonEmpty | None = Field(None, description="e.g. 'points (0–10)'.")
    source: Text | None = None


class AssumedRisk(Strict):
    """An assumed comparator risk (a proportion, 0–1) for absolute effects, with its source."""

    value: Annotated[float, Field(gt=0, lt=1), NUMBER]
    label: NonEmpty | None = Field(None, description="e.g. 'low risk', 'high risk' for several strata.")
    source: Text | None = None
    imprecision: DomainJudgement | None = Field(
        None, description="The reviewer's imprecision rating for this stratum (else the outcome's judgement)."
    )


# ---------------------------------------------------------------------------------------------
# Reviewer judgments


class DomainJudgement(Strict):
    """The reviewer's rating of one domain; it replaces gradecli's proposal and needs a reason."""

    rating: Rating
    reason: Reason
    by: Id | None = Field(None, description="The reviewer (an id of `reviewers`) who made this judgment.")
    date: Date | None = None


class IndirectnessJudgement(DomainJudgement):
    """Indirectness has no formula: the reviewer judges how each PICO element matches the question."""

    population: PicoMatch | None = None
    intervention: PicoMatch | None = None
    comparison: PicoMatch | None = None
    outcome: PicoMatch | None = None


class UpgradeJudgement(Strict):
    """A reason to rate up (observational evidence): levels 0, 1 or 2 (dose–response and
    residual confounding at most 1)."""

    levels: Annotated[int, Field(ge=0, le=2), WHOLE]
    reason: Reason
    by: Id | None = Field(None, description="The reviewer (an id of `reviewers`) who made this judgment.")
    date: Date | None = None


class CertaintyOverride(Strict):
    """The final level set by the reviewer when it departs from the sum of the domains (GRADE 11)."""

    rating: Certainty
    reason: Reason
    by: Id | None = Field(None, description="The reviewer (an id of `reviewers`) who made this judgment.")
    date: Date | None = None


class Judgements(Strict):
    risk_of_bias: DomainJudgement | None = None
    inconsistency: DomainJudgement | None = None
    indirectness: IndirectnessJudgement | None = None
    imprecision: DomainJudgement | None = None
    publication_bias: DomainJudgement | None = None
    large_effect: UpgradeJudgement | None = None
    dose_response: UpgradeJudgement | None = None
    residual_confounding: UpgradeJudgement | None = None
    certainty: CertaintyOverride | None = None


# ---------------------------------------------------------------------------------------------
# A priori subgroup hypotheses (effect modification) and their credibility (ICEMAN)

IcemanAnswer = Literal["definitely_yes", "probably_yes", "probably_no", "definitely_no", "not_applicable"]
Credibility = Literal["very_low", "low", "moderate", "high"]


class Iceman(Strict):
    """The reviewer's answers to ICEMAN's core questions for meta-analyses (Schandelmaier S et al.,
    CMAJ 2020;192:E901–E906) and the overall credibility of the effect modification. gradecli shows
    its own facts beside them (the test for subgroup differences, the number of trials, whether the
    comparison is within or between trials, the model) but never answers for the reviewer."""

    within_trial: IcemanAnswer | None = Field(
        None, description="1. Is the effect modification based on a comparison within rather than between trials?"
    )
    similar_across_trials: IcemanAnswer | None = Field(
        None, description="2. For within-trial comparisons, is the effect modification similar from trial to trial?"
    )
    many_trials: IcemanAnswer | None = Field(
        None, description="3. For between-trial comparisons, is the number of trials large?"
    )
    direction_a_priori: IcemanAnswer | None = Field(
        None, description="4. Was the direction of effect modification correctly hypothesised a priori?"
    )
    chance_unlikely: IcemanAnswer | None = Field(
        None, description="5. Does a test for interaction suggest that chance is an unlikely explanation?"
    )
    few_modifiers: IcemanAnswer | None = Field(
        None, description="6. Were only a small number of effect modifiers tested (or the number accounted for)?"
    )
    random_effects: IcemanAnswer | None = Field(None, description="7. Was a random-effects model used?")
    no_arbitrary_cut_points: IcemanAnswer | None = Field(
        None, description="8. For a continuous effect modifier, were arbitrary cut points avoided?"
    )
    credibility: Credibility | None = Field(
        None,
        description="The reviewer's overall credibility of the effect modification. Moderate or high: the "
        "subgroups become separate Summary-of-Findings rows (Core GRADE 3).",
    )
    reason: NonEmpty | None = Field(None, description="Why: required with `credibility`.")

    @model_validator(mode="after")
    def _credibility_has_a_reason(self) -> Iceman:
        if self.credibility is not None and self.reason is None:
            raise ValueError("an ICEMAN credibility rating needs a `reason`")
        return self


class SubgroupGroup(Strict):
    """One subgroup: its name and the rows in it (study ids, or 'study (label)' for one row of a study
    that reports several subgroups)."""

    name: NonEmpty
    studies: Annotated[list[NonEmpty], Field(min_length=1, max_length=100_000)]
    judgements: Judgements | None = Field(
        None,
        description="The reviewer's judgments for this subgroup's own row (used when the subgroups are "
        "separate rows); each domain given here replaces the outcome's.",
    )


class SubgroupHypothesis(Strict):
    """An a priori subgroup hypothesis: the effect modifier, the direction expected, the groups and
    (when the reviewer has rated it) ICEMAN's credibility."""

    id: NonEmpty
    modifier: NonEmpty = Field(description="The potential effect modifier, e.g. 'dose' or 'baseline severity'.")
    hypothesis: NonEmpty | None = Field(
        None, description="The direction expected before the results were seen, e.g. 'larger effect at higher doses'."
    )
    a_priori: bool | None = Field(
        True, description="Stated in the protocol before the results were known (null: not recorded, e.g. imported)."
    )
    groups: Annotated[list[SubgroupGroup], Field(min_length=2, max_length=50)]
    iceman: Iceman | None = None


# ---------------------------------------------------------------------------------------------
# Outcomes and the file


class Outcome(Strict):
    """One row of the Summary-of-Findings table.

    Data come in exactly one of three forms: ``data`` with per-study rows (gradecli pools them);
    ``summary`` with a published pooled result; or ``data: []`` when no study reported the outcome
    (the table still shows the row).
    """

    id: NonEmpty
    name: NonEmpty
    importance: Importance
    type: OutcomeType
    measure: Measure | None = Field(None, description="Defaults: RR (dichotomous), MD (continuous), GENERIC.")
    benefit: Benefit | None = Field(None, description="Which direction is good for patients.")
    scale: NonEmpty | None = Field(None, description="e.g. '0–100 VAS, lower is better'.")
    follow_up: NonEmpty | None = None
    thresholds: Thresholds | None = None
    statement_noun: NonEmpty | None = Field(
        None,
        description="What a binary outcome counts, for statements: 'the number of people with pain relief'.",
    )
    reference_instrument: ReferenceInstrument | None = Field(
        None, description="SMD outcomes: the instrument in whose units the SMD is re-expressed."
    )
    assumed_risk: list[AssumedRisk] = Field(
        default_factory=list, max_length=100, description="One assumed comparator risk, or a list of risk strata."
    )
    analysis: Analysis | None = None
    data: Annotated[list[DataRow], Field(max_length=100_000)] | None = None
    summary: SummaryResult | None = None
    risk_of_bias_overrides: list[RiskOfBiasOverride] = Field(default_factory=list, max_length=100_000)
    subgroups: list[SubgroupHypothesis] = Field(
        default_factory=list,
        max_length=50,
        description="A priori subgroup hypotheses: each is analysed (the subgroups pooled and the test for subgroup "
        "differences); one the reviewer rates credible (ICEMAN: moderate or high) splits the outcome into rows.",
    )
    judgements: Judgements = Field(default_factory=Judgements)
    recorded_certainty: Certainty | None = Field(
        None, description="The certainty the review authors reported; `gradecli check` compares it."
    )
    narrative: Text | None = Field(
        None, description="The review's narrative summary of the results (shown for an outcome not pooled)."
    )
    notes: Text | None = None
    comparison: NonEmpty | None = Field(
        None,
        description="The id of the comparison (top-level `comparisons`) this outcome belongs to; may be left out "
        "when the file has one comparison (or none: the review's question).",
    )

    @field_validator("assumed_risk", mode="before")
    @classmethod
    def _one_or_many(cls, v: object) -> object:
        return [v] if isinstance(v, dict) else v

    @model_validator(mode="after")
    def _sided_thresholds(self) -> Outcome:
        t = self.thresholds
        if t is not None and (t.mid_benefit is not None or t.mid_harm is not None) and self.benefit is None:
            raise ValueError(
                "thresholds.mid_benefit and mid_harm need `benefit` (which direction is good for patients)"
            )
        return self

    @property
    def effective_measure(self) -> Measure:
        from gradecli.model.vocab import DEFAULT_MEASURE

        return self.measure or DEFAULT_MEASURE[self.type]

    @property
    def form(self) -> Literal["studies", "summary", "none"]:
        if self.summary is not None:
            return "summary"
        return "studies" if self.data else "none"


class Evidence(Strict):
    """An evidence file: a review — one question, or several ``comparisons`` —, its studies and its outcomes."""

    model_config = ConfigDict(
        title="gradecli evidence file, format v1",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    gradecli: Annotated[Literal[1], BeforeValidator(_format_version)] = Field(
        description="Format version of the evidence file."
    )
    review: Review
    defaults: Defaults = Field(default_factory=Defaults)
    comparisons: list[Comparison] = Field(
        default_factory=list,
        max_length=1_000,
        description="The review's comparisons, each with its PICO question and one Summary-of-Findings table; "
        "without it the file is one comparison, the review's question.",
    )
    studies: list[Study] = Field(default_factory=list, max_length=100_000)
    outcomes: list[Outcome] = Field(min_length=1, max_length=10_000)
    reviewers: list[Reviewer] = Field(
        default_factory=list,
        max_length=100,
        description="The people who judge the evidence independently (each judgment may say `by:` one of them).",
    )
    reviewer_files: list[NonEmpty] = Field(
        default_factory=list,
        max_length=100,
        description="Files of one reviewer's judgments each (`gradecli-judgements: 1`), relative to this file's "
        "folder and inside it.",
    )
    reviewer_judgements: list[ReviewerJudgements] = Field(
        default_factory=list,
        max_length=100,
        description="Each reviewer's independent judgments written here instead of in a file of their own.",
    )
    consensus: list[Consensus] = Field(
        default_factory=list,
        max_length=100_000,
        description="Agreed judgments that resolve the reviewers' disagreements (who agreed, why, when).",
    )

    def comparison_of(self, outcome: Outcome) -> Comparison | None:
        """The comparison ``outcome`` belongs to (the only one when it names none), or None in a file
        without ``comparisons``."""
        if not self.comparisons:
            return None
        if outcome.comparison is None:
            return self.comparisons[0] if len(self.comparisons) == 1 else None
        return next((c for c in self.comparisons if c.id == outcome.comparison), None)

    _study_index: tuple[list[Study], dict[str, Study]] | None = PrivateAttr(default=None)

    def study(self, study_id: str) -> Study | None:
        """The study with this id, from an index built once per list of studies (``model_copy``
        with new studies gets a new index), so looking up every row is linear, not quadratic."""
        # read the private dict directly: attribute access to a pydantic private attribute goes
        # through __getattr__ (~5 µs a call, seconds over 100,000 studies)
        private = self.__pydantic_private__
        cached: tuple[list[Study], dict[str, Study]] | None = private.get("_study_index") if private else None
        if cached is None or cached[0] is not self.studies:
            index: dict[str, Study] = {}
            for s in self.studies:
                index.setdefault(s.id, s)  # the first one wins, as the former linear search did
            cached = (self.studies, index)
            self._study_index = cached
        return cached[1].get(study_id)
