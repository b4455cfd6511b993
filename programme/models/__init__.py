"""The ORM models, one module per aggregate. Import from here."""

from programme.models.api_tokens import ApiToken
from programme.models.audit import AuditEvent
from programme.models.board_packs import BoardPack
from programme.models.finance import (
    BudgetLine,
    CostScenario,
    PartnerPledge,
    ScenarioYear,
    Spend,
)
from programme.models.imports import ColumnMapping, ImportChange, ImportRecord, ValueAlias
from programme.models.mail import AccountLink, CalendarFeed, DigestPreference, OutboxMessage
from programme.models.memberships import Membership
from programme.models.organisations import Organisation
from programme.models.outcomes import Indicator, IndicatorTarget, IndicatorValue
from programme.models.programme import Locality, Programme, Team
from programme.models.readiness import (
    CheckSignOff,
    DecisionIsFinal,
    GateCriterion,
    GateException,
    GoLiveDecision,
    ReadinessSnapshot,
)
from programme.models.recruitment import (
    EstablishmentTemplate,
    EstablishmentTemplateLine,
    Post,
    PostStatusChange,
    Role,
    post_values,
)
from programme.models.security import RecoveryCode, SecurityEvent
from programme.models.supervision import SupervisionSession
from programme.models.timeline import (
    Milestone,
    MilestoneStatus,
    TimelineTemplate,
    TimelineTemplateItem,
    Workstream,
)
from programme.models.training import (
    Attendance,
    Course,
    CourseModule,
    StaffMember,
    TrainingSession,
    course_role,
)
from programme.models.users import LoginAttempt, User

__all__ = [
    "SupervisionSession",
    "IndicatorValue",
    "IndicatorTarget",
    "Indicator",
    "Spend",
    "ScenarioYear",
    "PartnerPledge",
    "CostScenario",
    "BudgetLine",
    "AccountLink",
    "ApiToken",
    "CalendarFeed",
    "DigestPreference",
    "OutboxMessage",
    "ValueAlias",
    "Attendance",
    "AuditEvent",
    "BoardPack",
    "CheckSignOff",
    "ColumnMapping",
    "Course",
    "CourseModule",
    "DecisionIsFinal",
    "EstablishmentTemplate",
    "EstablishmentTemplateLine",
    "GateCriterion",
    "GateException",
    "GoLiveDecision",
    "ImportChange",
    "ImportRecord",
    "Locality",
    "Membership",
    "LoginAttempt",
    "Milestone",
    "MilestoneStatus",
    "Organisation",
    "Post",
    "PostStatusChange",
    "Programme",
    "ReadinessSnapshot",
    "RecoveryCode",
    "Role",
    "SecurityEvent",
    "StaffMember",
    "Team",
    "TimelineTemplate",
    "TimelineTemplateItem",
    "TrainingSession",
    "User",
    "Workstream",
    "course_role",
    "post_values",
]
