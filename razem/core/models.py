from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address (no separate username)."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def membership_in(self, partnership: Partnership) -> Membership | None:
        """The user's membership, cached on the user for the length of a request."""
        cache = self.__dict__.setdefault("_membership_cache", {})
        if partnership.pk not in cache:
            cache[partnership.pk] = (
                Membership.objects.filter(user=self, partnership=partnership).first()
                if self.is_authenticated
                else None
            )
        return cache[partnership.pk]


class LegalForm(models.TextChoices):
    # The forms of partnership allowed by art. 10e-10g of the gmina self-government act.
    INTERMUNICIPAL_UNION = "intermunicipal_union", _("inter-municipal union")
    POWIAT_GMINA_UNION = "powiat_gmina_union", _("powiat-gmina union")
    ASSOCIATION = "association", _("association")
    AGREEMENT = "agreement", _("agreement")


class PartnershipQuerySet(models.QuerySet["Partnership"]):
    def touch(self) -> int:
        """Mark these partnerships changed, superseding their cached pages.

        Imports of shared data (units, boundaries, statistics) call it on all
        partnerships: every one of them may show what changed.
        """
        return self.update(updated_at=timezone.now())


class Partnership(models.Model):
    """A development partnership of local governments: the tenant of the platform."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm.choices)
    description = models.TextField(_("description"), blank=True)
    units = models.ManyToManyField(
        "territory.Unit", related_name="partnerships", verbose_name=_("member units"), blank=True
    )
    leader_unit = models.ForeignKey(
        "territory.Unit", on_delete=models.PROTECT, null=True, blank=True,
        related_name="led_partnerships", verbose_name=_("leader unit"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped on every change that shows on public pages; it versions cached fragments.
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnership", args=[self.slug])

    def touch(self) -> None:
        Partnership.objects.filter(pk=self.pk).touch()


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinator")
    OFFICER = "officer", _("officer")
    ADVISOR = "advisor", _("advisor")
    OBSERVER = "observer", _("observer")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # An officer represents one member unit; other roles act for the whole partnership.
    unit = models.ForeignKey(
        "territory.Unit", on_delete=models.PROTECT, null=True, blank=True,
        verbose_name=_("represented unit"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership"], name="one_membership_per_user")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.partnership})"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        "territory.Unit", on_delete=models.PROTECT, null=True, blank=True,
        verbose_name=_("represented unit"),
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.partnership}"

    def save(self, *args, **kwargs) -> None:
        if not self.expires_at:
            self.expires_at = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
        super().save(*args, **kwargs)

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )

    def get_absolute_url(self) -> str:
        return reverse("accept_invitation", args=[self.token])


class AuditLogEntry(models.Model):
    """Who changed what and when; written in the same transaction as the change."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, null=True, blank=True, related_name="audit_log"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept as text so the entry still says who acted after the account is gone.
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=255, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class LoginAttempt(models.Model):
    """A failed login, counted to throttle guessing.

    Stored in the database (not a per-process cache) so the limit holds across
    all application processes. The key is a hash, never a raw address.
    """

    key = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
