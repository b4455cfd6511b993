"""The ORM models, one module per aggregate. Import from here."""

from programme.models.audit import AuditEvent
from programme.models.programme import Locality, Programme, Team
from programme.models.timeline import (
    Milestone,
    MilestoneStatus,
    TimelineTemplate,
    TimelineTemplateItem,
    Workstream,
)
from programme.models.users import ROLES, LoginAttempt, User

__all__ = [
    "ROLES",
    "AuditEvent",
    "Locality",
    "LoginAttempt",
    "Milestone",
    "MilestoneStatus",
    "Programme",
    "Team",
    "TimelineTemplate",
    "TimelineTemplateItem",
    "User",
    "Workstream",
]
