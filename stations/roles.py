"""The roles of the three tiers and what each may see.

A role is stored on the officer's profile and mirrored as a permission group
(created by a migration) so that the admin can grant model permissions by role.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CENTER_STAFF = "center_staff", _("Control center staff")
    SUPERVISOR = "supervisor", _("Supervisor")
    COMMAND_ROOM = "command_room", _("Station command room")
    DUTY_LEADER = "duty_leader", _("Station duty leader")
    POST_CHIEF = "post_chief", _("Patrol post chief")
    DUTY_DESK = "duty_desk", _("Patrol post duty desk")
    COMMUNITY_OFFICER = "community_officer", _("Community officer")
    PATROL_OFFICER = "patrol_officer", _("Patrol officer")
    DEPARTMENT_STAFF = "department_staff", _("Department staff")
    INTERNAL_SECURITY = "internal_security", _("Internal-security brigade")
    AUDITOR = "auditor", _("Auditor")
    SUBDISTRICT_WORKER = "subdistrict_worker", _("Subdistrict office worker")
    COMMUNITY_WORKER = "community_worker", _("Community committee worker")


# Roles whose scope is the whole district.
DISTRICT_ROLES = frozenset(
    {Role.CENTER_STAFF, Role.SUPERVISOR, Role.DEPARTMENT_STAFF, Role.INTERNAL_SECURITY, Role.AUDITOR}
)
# Roles whose scope is one station (the officer's own).
STATION_ROLES = frozenset({Role.COMMAND_ROOM, Role.DUTY_LEADER, Role.DUTY_DESK, Role.POST_CHIEF})
# Who signs off at a station (the command room; a patrol post's duty desk, its command room) and who leads
# it (the duty leader; a post's chief): reminders of a sign-off go to the first, escalations to the second.
SIGN_OFF_ROLES = frozenset({Role.COMMAND_ROOM, Role.DUTY_DESK})
LEAD_ROLES = frozenset({Role.DUTY_LEADER, Role.POST_CHIEF})
# Roles whose scope is the officer's own work.
FIELD_ROLES = frozenset({Role.COMMUNITY_OFFICER, Role.PATROL_OFFICER})
# Subdistrict and community workers see only the pushes of their area (disputes.Push).
AREA_ROLES = frozenset({Role.SUBDISTRICT_WORKER, Role.COMMUNITY_WORKER})
# Roles that need a caller's phone and resident ID in full.
PERSONAL_DATA_ROLES = frozenset(
    {Role.CENTER_STAFF, Role.COMMAND_ROOM, Role.DUTY_LEADER, Role.DUTY_DESK, Role.POST_CHIEF}
)
