"""The organisation: district, subdistricts, communities, stations and posts,
departments, officers and their roles, patrol units; and the security audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Role
from .scoping import ScopedQuerySet


class District(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class Subdistrict(models.Model):
    district = models.ForeignKey(District, models.PROTECT, related_name="subdistricts", verbose_name=_("district"))
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("subdistrict")
        verbose_name_plural = _("subdistricts")

    def __str__(self) -> str:
        return self.name


class StationQuerySet(ScopedQuerySet["Station"]):
    """A station and its officers see their station."""

    officer_sees_station = True

    def for_station(self, station_id: int) -> StationQuerySet:
        return self.filter(pk=station_id)


class Station(models.Model):
    class Kind(models.TextChoices):
        POLICE_STATION = "police_station", _("Police station")
        PATROL_POST = "patrol_post", _("Patrol post")

    district = models.ForeignKey(District, models.PROTECT, related_name="stations", verbose_name=_("district"))
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.POLICE_STATION)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("duty phone"), max_length=20, blank=True)

    objects = StationQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("station")
        verbose_name_plural = _("stations")

    def __str__(self) -> str:
        return self.name


class CommunityQuerySet(ScopedQuerySet["Community"]):
    """A station and its officers see the station's communities."""

    officer_sees_station = True

    def for_station(self, station_id: int) -> CommunityQuerySet:
        return self.filter(station_id=station_id)


class Community(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    subdistrict = models.ForeignKey(
        Subdistrict, models.PROTECT, related_name="communities", verbose_name=_("subdistrict")
    )
    station = models.ForeignKey(Station, models.PROTECT, related_name="communities", verbose_name=_("station"))

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class PatrolUnitQuerySet(ScopedQuerySet["PatrolUnit"]):
    """A patrol post and its officers see the post's units."""

    officer_sees_station = True

    def for_station(self, station_id: int) -> PatrolUnitQuerySet:
        return self.filter(station_id=station_id)


class PatrolUnit(models.Model):
    station = models.ForeignKey(
        Station,
        models.PROTECT,
        related_name="patrol_units",
        limit_choices_to={"kind": Station.Kind.PATROL_POST},
        verbose_name=_("patrol post"),
    )
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    plate_number = models.CharField(_("plate number"), max_length=20, blank=True)

    objects = PatrolUnitQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("patrol unit")
        verbose_name_plural = _("patrol units")

    def __str__(self) -> str:
        return self.name


class OfficerQuerySet(ScopedQuerySet["Officer"]):
    """A station sees its officers; an officer himself."""

    def for_station(self, station_id: int) -> OfficerQuerySet:
        return self.filter(station_id=station_id)

    def for_self(self, officer: Officer) -> OfficerQuerySet:
        return self.filter(pk=officer.pk)


class Officer(models.Model):
    """The profile of a Django user who works in the district, with one role."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="officer")
    name = models.CharField(_("name"), max_length=50)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    station = models.ForeignKey(
        Station, models.PROTECT, null=True, blank=True, related_name="officers", verbose_name=_("station")
    )
    department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, related_name="officers", verbose_name=_("department")
    )
    communities = models.ManyToManyField(Community, blank=True, related_name="officers", verbose_name=_("communities"))
    subdistrict = models.ForeignKey(
        Subdistrict,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="workers",
        verbose_name=_("subdistrict"),
        help_text=_("For subdistrict office workers."),
    )
    patrol_unit = models.ForeignKey(
        PatrolUnit, models.SET_NULL, null=True, blank=True, related_name="officers", verbose_name=_("patrol unit")
    )
    badge_number = models.CharField(_("badge number"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_auxiliary = models.BooleanField(_("auxiliary"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    objects = OfficerQuerySet.as_manager()

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(
                    role__in=[
                        "command_room",
                        "duty_leader",
                        "post_chief",
                        "duty_desk",
                        "community_officer",
                        "patrol_officer",
                    ]
                )
                | models.Q(station__isnull=False),
                name="officer_station_role_needs_station",
                violation_error_message=_("This role works at a station: choose one."),
            ),
            models.CheckConstraint(
                condition=~models.Q(role="subdistrict_worker") | models.Q(subdistrict__isnull=False),
                name="officer_subdistrict_worker_needs_subdistrict",
                violation_error_message=_("A subdistrict worker needs a subdistrict."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.user.username})"


class AuditLog(models.Model):
    """Append-only log of security events: logins, lockouts, reveals of personal data, exports."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Login")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGOUT = "logout", _("Logout")
        LOCKED = "locked", _("Account locked")
        UNLOCKED = "unlocked", _("Account released")
        SESSION_EXPIRED = "session_expired", _("Session expired")
        REVEAL = "reveal", _("Personal data revealed")
        EXPORT = "export", _("Export")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    target = models.CharField(_("object"), max_length=200, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["kind", "username", "at"], name="audit_kind_user_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.username}"


class AccountLock(models.Model):
    """A login name locked after too many failures; unknown names are locked alike."""

    username = models.CharField(_("username"), max_length=150)
    locked_at = models.DateTimeField(_("locked at"))
    locked_until = models.DateTimeField(_("locked until"))
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )

    class Meta:
        ordering = ["-locked_at"]
        verbose_name = _("account lock")
        verbose_name_plural = _("account locks")
        indexes = [models.Index(fields=["username", "locked_until"], name="lock_user_until")]

    def __str__(self) -> str:
        return self.username
