"""The e-mail reminders form: the weekly digest on or off, and each of its parts."""

from wtforms import BooleanField

from programme.forms.base import BaseForm
from programme.models.mail import DIGEST_PARTS


class DigestPreferencesForm(BaseForm):
    enabled = BooleanField(
        "Send me the weekly digest",
        description="One e-mail a week listing what needs you. Nothing is sent in a week with "
        "nothing for you to act on.",
    )
    milestones = BooleanField(
        "Milestones I own",
        description="For anyone who owns milestones: yours that are overdue or due in the next "
        "14 days.",
    )
    recruitment = BooleanField(
        "Recruitment",
        description="For HR leads: adult specialist posts not yet recruited in localities going "
        "live within 3 months, posts unchanged for 4 weeks, and localities below the recruitment "
        "threshold.",
    )
    training = BooleanField(
        "Training",
        description="For trainers: your sessions in the next 14 days, past sessions with no "
        "register, and how many staff still need each course in localities going live within "
        "3 months.",
    )
    readiness = BooleanField(
        "Readiness for the board",
        description="For operational board members: every locality's readiness, what changed "
        "since the last digest, and localities within 4 weeks of go-live that are not ready.",
    )

    def part_fields(self):
        """The parts' checkboxes, in the digest's order."""
        return [self[part] for part in DIGEST_PARTS]

    def parts_on(self) -> list[str]:
        return [part for part in DIGEST_PARTS if self[part].data]
