"""Term sheets as data: the schema, the bundled presets, and one pure module per rule family.

The same functions book actual events and drive the forecast, so the two never disagree.
"""

from jointfund.terms.catalogue import (
    STREAMS,
    Resource,
    ResourceKind,
    RevenueStream,
    StreamInfo,
    all_resources,
    covered_resources,
    resource,
    stream_info,
)
from jointfund.terms.compare import TermDifference, diff_terms, render_side_by_side
from jointfund.terms.contribution import (
    ContributionDecision,
    assess_contribution,
    past_aid_counts,
    past_aid_minor,
)
from jointfund.terms.distribution import DistributionResult, distribute
from jointfund.terms.governance import (
    RequiredApproval,
    approvals_satisfied,
    counted_approvals,
    required_approval,
)
from jointfund.terms.inflow import (
    InflowChoice,
    InflowDecision,
    LicenceFacts,
    assess_inflow,
    choose_inflow,
    is_new_licence,
    precedes_entry_into_force,
)
from jointfund.terms.loader import (
    DEFAULT_PRESET,
    load_terms,
    parse_terms,
    parse_terms_yaml,
    preset_ids,
    terms_to_yaml,
)
from jointfund.terms.lock import check_distribution_allowed, is_locked, lock_end
from jointfund.terms.priority import (
    PrioritySplit,
    SeniorBalance,
    accrual_start,
    accrue,
    accrue_senior,
    opening_balance,
    split_income,
)
from jointfund.terms.schema import (
    Action,
    ApprovalKind,
    Basis,
    ContributionForm,
    CreditTo,
    DistributionMethod,
    Instrument,
    LicenceScope,
    Status,
    TermSheet,
    Territory,
)
from jointfund.terms.threshold import (
    apply_threshold,
    headroom_minor,
    matching_shortfall_minor,
    threshold_total_minor,
)

__all__ = [
    "DEFAULT_PRESET",
    "STREAMS",
    "Action",
    "ApprovalKind",
    "Basis",
    "ContributionDecision",
    "ContributionForm",
    "CreditTo",
    "DistributionMethod",
    "DistributionResult",
    "InflowChoice",
    "InflowDecision",
    "Instrument",
    "LicenceFacts",
    "LicenceScope",
    "PrioritySplit",
    "RequiredApproval",
    "Resource",
    "ResourceKind",
    "RevenueStream",
    "SeniorBalance",
    "Status",
    "StreamInfo",
    "TermDifference",
    "TermSheet",
    "Territory",
    "accrual_start",
    "accrue",
    "accrue_senior",
    "all_resources",
    "apply_threshold",
    "approvals_satisfied",
    "assess_contribution",
    "assess_inflow",
    "check_distribution_allowed",
    "choose_inflow",
    "counted_approvals",
    "covered_resources",
    "diff_terms",
    "distribute",
    "headroom_minor",
    "is_locked",
    "is_new_licence",
    "load_terms",
    "lock_end",
    "matching_shortfall_minor",
    "opening_balance",
    "parse_terms",
    "parse_terms_yaml",
    "past_aid_counts",
    "past_aid_minor",
    "precedes_entry_into_force",
    "preset_ids",
    "render_side_by_side",
    "required_approval",
    "resource",
    "split_income",
    "stream_info",
    "terms_to_yaml",
    "threshold_total_minor",
]
