"""Code systems, codes and canonical URLs of HL7 FHIR R5 and the EBM-on-FHIR implementation guide
(HL7/ebm) that ``gradecli export fhir`` writes and ``gradecli import fhir`` reads.

Data only, no network access at run time. Each entry names the page it was copied from (looked up
in December 2026); where sources disagree the choice is explained beside it.
"""

from __future__ import annotations

FHIR_VERSION = "5.0.0"
"""FHIR R5 (the fhir.resources 8.x models the tests parse the output with are R5, FHIR 5.0.0)."""

# --- GRADE code systems -------------------------------------------------------------------------

CERTAINTY_TYPE = "http://hl7.org/fhir/certainty-type"
"""EvidenceCertaintyType. Source: https://www.hl7.org/fhir/codesystem-certainty-type.xml.html (FHIR
v5.0.0: "This code system http://hl7.org/fhir/certainty-type defines the following codes"); the IG
example ArtifactAssessment-certainty-of-evidence-rating-of-day-mortal-example.json (HL7/ebm,
input/examples) uses the same system. (R4B and earlier R5 drafts used
http://terminology.hl7.org/CodeSystem/certainty-type.)"""

CERTAINTY_RATING = "http://hl7.org/fhir/certainty-rating"
"""EvidenceCertaintyRating. Source: package hl7.fhir.r5.core@5.0.0, CodeSystem certainty-rating
("url": "http://hl7.org/fhir/certainty-rating", OID 2.16.840.1.113883.4.642.4.1941), and the IG example
ArtifactAssessment-certainty-of-evidence-rating-of-day-mortal-example.json (HL7/ebm). The R4B page
and the R5 ballot (2022Sep) give http://terminology.hl7.org/CodeSystem/certainty-rating instead; the
published R5 and the IG use the hl7.org/fhir URL."""

# certainty-type codes (display as in the code system) — source: CERTAINTY_TYPE's page above; the
# three reasons to rate up (DoseResponseGradient, PlausibleConfounding, LargeEffect) also in the
# CodeSystem JSON of the R5 package ("higher certainty due to ...").
TYPE_OVERALL = ("Overall", "Overall certainty")
DOMAIN_TYPES: dict[str, tuple[str, str]] = {
    "risk_of_bias": ("RiskOfBias", "Risk of bias"),
    "inconsistency": ("Inconsistency", "Inconsistency"),
    "indirectness": ("Indirectness", "Indirectness"),
    "imprecision": ("Imprecision", "Imprecision"),
    "publication_bias": ("PublicationBias", "Publication bias"),
    "large_effect": ("LargeEffect", "Large effect"),
    "dose_response": ("DoseResponseGradient", "Dose response gradient"),
    "residual_confounding": ("PlausibleConfounding", "Plausible confounding"),
}

# certainty-rating codes — source: CERTAINTY_RATING's package above (concepts high, moderate, low,
# very-low, no-concern, serious-concern, very-serious-concern, extremely-serious-concern, present,
# absent, no-change, downcode1..3, upcode1..2; displays as there).
CERTAINTY_LEVELS: dict[str, tuple[str, str]] = {
    "high": ("high", "High quality"),
    "moderate": ("moderate", "Moderate quality"),
    "low": ("low", "Low quality"),
    "very_low": ("very-low", "Very low quality"),
}
CONCERNS: dict[str, tuple[str, str]] = {
    "not_serious": ("no-concern", "no serious concern"),
    "serious": ("serious-concern", "serious concern"),
    "very_serious": ("very-serious-concern", "very serious concern"),
    "extremely_serious": ("extremely-serious-concern", "extremely serious concern"),
}
DOWNCODES: dict[int, tuple[str, str]] = {
    0: ("no-change", "no change to rating"),
    1: ("downcode1", "reduce rating: -1"),
    2: ("downcode2", "reduce rating: -2"),
    3: ("downcode3", "reduce rating: -3"),
}
UPCODES: dict[int, tuple[str, str]] = {
    0: ("no-change", "no change to rating"),
    1: ("upcode1", "increase rating: +1"),
    2: ("upcode2", "increase rating: +2"),
}
PRESENT = ("present", "present")
ABSENT = ("absent", "absent")

# --- statistics ----------------------------------------------------------------------------------

STATISTIC_TYPE = "http://terminology.hl7.org/CodeSystem/statistic-type"
"""StatisticStatisticType (THO). Source: HL7/UTG
input/sourceOfTruth/fhir/codeSystems/CodeSystem-statistic-type.xml. NB: 0000424 is *Risk
Difference* and the standardized mean difference is 0000100; the hazard ratio is C93150."""

STATISTIC_TYPES: dict[str, tuple[str, str]] = {
    "RR": ("C93152", "Relative Risk"),
    "OR": ("C16932", "Odds Ratio"),
    "PETO_OR": ("C16932", "Odds Ratio"),  # Peto's odds ratio: an odds ratio (the method says Peto)
    "RD": ("0000424", "Risk Difference"),
    "MD": ("0000457", "Mean Difference"),
    "SMD": ("0000100", "Standardized Mean Difference"),
    "HR": ("C93150", "Hazard Ratio"),
}
"""gradecli measure → statistic-type. GENERIC has no code (statisticType.text only)."""

ATTRIBUTE_ESTIMATE_TYPE = "http://terminology.hl7.org/CodeSystem/attribute-estimate-type"
"""StatisticAttributeEstimateType (THO). Source: HL7/UTG
input/sourceOfTruth/fhir/codeSystems/CodeSystem-attribute-estimate-type.xml."""
CONFIDENCE_INTERVAL = ("C53324", "Confidence interval")
I_SQUARED = ("0000420", "I-squared")
TAU_SQUARED = ("0000421", "Tau squared")
COCHRAN_Q = ("0000419", "Cochran's Q statistic")
P_VALUE = ("C44185", "P-value")

STATISTIC_MODEL_CODE = "http://terminology.hl7.org/CodeSystem/statistic-model-code"
"""StatisticModelCode (THO). Source: HL7/UTG input/sourceOfTruth/fhir/codeSystems/
CodeSystem-statistic-model-code.xml (effectsFixed, effectsRandom, the tau² estimators, inverse
variance, Mantel-Haenszel — spelt "manteHaenszelMethod" there — Peto, Hartung-Knapp)."""
MODEL_FIXED = ("effectsFixed", "Fixed-effects")
MODEL_RANDOM = ("effectsRandom", "Random-effects")
META_ANALYSIS = ("metaAnalysis", "Meta-analysis")
TAU2_METHODS: dict[str, tuple[str, str]] = {
    "DL": ("dersimonianLairdMethod", "Dersimonian-Laird method"),
    "PM": ("pauleMandelMethod", "Paule-Mandel method"),
    "REML": ("restrictedLikelihood", "Restricted Maximum Likelihood method"),
    "ML": ("maximumLikelihood", "Maximum Likelihood method"),
    "EB": ("empiricalBayes", "Empirical Bayes method"),
    "HS": ("hunterSchmidt", "Hunter-Schmidt method"),
    "SJ": ("sidikJonkman", "Sidik-Jonkman method"),
}
POOLING_METHODS: dict[str, tuple[str, str]] = {
    "IV": ("inverseVariance", "Inverse variance method"),
    "MH": ("manteHaenszelMethod", "Mantel-Haenszel method"),
    "PETO": ("petoMethod", "Peto method"),
}
HARTUNG_KNAPP = ("hartungKnapp", "Hartung-Knapp adjustment")

# --- variables, reports, resources ---------------------------------------------------------------

VARIABLE_ROLE = "http://terminology.hl7.org/CodeSystem/variable-role"
"""EvidenceVariableRole. Source: https://hl7.org/fhir/uv/xver-r5.r4/0.1.0/CodeSystem-variable-role.html
(the R5 code system: population, subpopulation, exposure, referenceExposure, measuredVariable, confounder)."""
ROLE_POPULATION = ("population", "population")
ROLE_EXPOSURE = ("exposure", "exposure")
ROLE_REFERENCE_EXPOSURE = ("referenceExposure", "reference exposure")
ROLE_MEASURED = ("measuredVariable", "measured variable")

SUMMARY_OF_FINDINGS_PROFILE = "http://hl7.org/fhir/uv/ebm/StructureDefinition/summary-of-findings"
"""The SummaryOfFindings Composition profile. Source: HL7/ebm input/fsh/composition/p-summary-of-findings.fsh
("Profile: SummaryOfFindings ... Id: summary-of-findings"; the IG's canonical base http://hl7.org/fhir/uv/ebm)."""
SUMMARY_OF_FINDINGS_CATEGORY = "Summary of Findings"  # category[summaryOfFindings].text, same file
OUTCOME_ENTRY_TEXT = "Summary of findings entry for a single outcome"  # section[outcomeEntry].code.text

EVIDENCE_REPORT_SECTION = "http://hl7.org/fhir/evidence-report-section"
"""Section codes of the SummaryOfFindings profile. Source: p-summary-of-findings.fsh (above)."""
SECTION_COLUMN_HEADERS = ("Column-Headers", "Column Headers")
SECTION_OUTCOME = ("EvidenceVariable-outcome", "Evidence Variable in variable role Outcome (MeasuredVariable)")
SECTION_SAMPLE_SIZE = ("SampleSize", "Sample Size")
SECTION_WITHOUT_TREATMENT = ("Control-group-alone-Evidence", "Evidence Results for the control exposure only")
SECTION_WITH_TREATMENT = (
    "Intervention-group-alone-Evidence",
    "Evidence Results for the intervention exposure only",
)
SECTION_EFFECT = ("Intervention-vs-Control-Evidence", "Evidence Results for comparison of Intervention and Control")
SECTION_CERTAINTY = ("Certainty-of-Evidence", "Certainty of Evidence")
SECTION_ASSERTION = ("Assertion", "Assertion")

CERTAINTY_OF_EVIDENCE_PROFILE = "http://hl7.org/fhir/uv/ebm/StructureDefinition/certainty-of-evidence"
"""ArtifactAssessment profile for a certainty rating. Source: HL7/ebm
input/fsh/artifact-assessment/p-certainty-of-evidence.fsh (Id: certainty-of-evidence) and the example's
meta.profile."""
RISK_OF_BIAS_PROFILE = "http://hl7.org/fhir/uv/ebm/StructureDefinition/risk-of-bias"
"""ArtifactAssessment profile for a study's risk of bias. Source: HL7/ebm
input/fsh/artifact-assessment/p-risk-of-bias.fsh (file name; Id risk-of-bias)."""

DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
"""Core extension for a required element with no value (Composition.date, Bundle.timestamp when the
file gives no date: gradecli never writes the clock's time). Source: FHIR R5 extension registry."""

GRADECLI_SYSTEM = "urn:gradecli"
"""gradecli's own identifiers and extensions (outcome ids, importance, status of a judgment): a URN,
as FHIR allows for an identifier system or an extension URL that no registry defines."""
EXT_IMPORTANCE = f"{GRADECLI_SYSTEM}:fhir:outcome-importance"
EXT_STATUS = f"{GRADECLI_SYSTEM}:fhir:judgment-status"
EXT_MEASURE = f"{GRADECLI_SYSTEM}:fhir:measure"
EXT_DESIGN = f"{GRADECLI_SYSTEM}:fhir:start-design"
