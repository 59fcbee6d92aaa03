"""The organization tree, people, their memberships and the roles granted on subtrees."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from lantoa.core.text import name_sort_key, nfc, search_key


class OrganizationKind(models.TextChoices):
    PROVINCIAL_COMMITTEE = "provincial_committee", _("Provincial party committee")
    BLOC_COMMITTEE = "bloc_committee", _("Bloc party committee")
    BASE_COMMITTEE = "base_committee", _("Base party committee")
    BASE_CELL = "base_cell", _("Base party cell")
    CELL = "cell", _("Party cell")


class HostKind(models.TextChoices):
    NONE = "", _("Not specified")
    AGENCY = "agency", _("Agency")
    PUBLIC_SERVICE = "public_service", _("Public service unit")
    ENTERPRISE = "enterprise", _("Enterprise")


class OrganizationQuerySet(MP_NodeQuerySet):
    def active(self) -> "OrganizationQuerySet":
        return self.filter(archived=False)

    def subtree_of(self, org: "Organization") -> "OrganizationQuerySet":
        """The organization and all its descendants, in one query at any depth."""
        return self.filter(path__startswith=org.path)


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):
    def get_queryset(self) -> OrganizationQuerySet:
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")


class Organization(MP_Node):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    host_name = models.CharField(_("agency or enterprise"), max_length=255, blank=True)
    host_kind = models.CharField(
        _("kind of host unit"), max_length=32, choices=HostKind.choices, blank=True, default=""
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    archived = models.BooleanField(_("archived"), default=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    search_key = models.CharField(max_length=400, editable=False, db_index=True, default="")
    # Current (non-archived) people attached to this very organization, kept by database
    # triggers on the people table (migration 0003); subtree figures add these up.
    direct_member_count = models.IntegerField(default=0, editable=False)

    objects = OrganizationManager()
    node_order_by: list[str] = []

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        indexes = [
            # Subtree sums of direct_member_count, the ids of a subtree and the top levels
            # in path order read this index only; the operator classes let PostgreSQL match
            # `path LIKE 'prefix%'` with it (SQLite ignores them and uses the range of
            # `queries.subtree_q`).
            models.Index(
                fields=["path", "depth", "direct_member_count", "id"],
                name="org_path_members",
                opclasses=["varchar_pattern_ops", "int4_ops", "int4_ops", "int8_ops"],
            ),
            # Children of a node (and the top levels of the tree) without reading the rest.
            models.Index(
                fields=["depth", "path"],
                name="org_depth_path",
                opclasses=["int4_ops", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.code = nfc(self.code).upper()
        self.name = nfc(self.name)
        self.short_name = nfc(self.short_name)
        self.host_name = nfc(self.host_name)
        self.search_key = search_key(f"{self.name} {self.short_name} {self.code}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    def audit_organization_path(self) -> str:
        return self.path

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def is_active_on(self, day: datetime.date) -> bool:
        starts = self.valid_from is None or self.valid_from <= day
        ends = self.valid_to is None or day <= self.valid_to
        return starts and ends


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class PersonQuerySet(models.QuerySet):
    def in_subtree(self, org: Organization) -> "PersonQuerySet":
        return self.filter(organization__path__startswith=org.path)

    def matching(self, text: str) -> "PersonQuerySet":
        """People whose name contains the text, ignoring case and diacritics."""
        key = search_key(text)
        return self.filter(search_key__contains=key) if key else self

    def sorted(self) -> "PersonQuerySet":
        return self.order_by("sort_key", "id")


class Person(models.Model):
    # The natural key of imports and the API: a party card number or the agency's own code.
    code = models.CharField(
        _("personal code"),
        max_length=32,
        unique=True,
        null=True,
        blank=True,
        help_text=_(
            "Recognizes this person when a spreadsheet is imported again, "
            "e.g. the party card number."
        ),
    )
    family_name = models.CharField(_("family name"), max_length=50)
    middle_name = models.CharField(_("middle name"), max_length=100, blank=True)
    given_name = models.CharField(_("given name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    party_joined_on = models.DateField(_("date of joining the party"), null=True, blank=True)
    party_official_on = models.DateField(_("date of full membership"), null=True, blank=True)
    position = models.CharField(_("position"), max_length=255, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="people",
        null=True,
        blank=True,
        db_index=False,  # person_org_archived_sort starts with it
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    archived = models.BooleanField(_("archived"), default=False)
    sort_key = models.BinaryField(editable=False, default=b"")
    search_key = models.CharField(max_length=255, editable=False, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(
                fields=["organization", "archived", "sort_key"], name="person_org_archived_sort"
            ),
            # The whole list in name order; `id`, the organization and the flag make a walk
            # in that order read the index alone (PostgreSQL walks it for big subtrees).
            models.Index(
                fields=["sort_key", "id", "organization", "archived"], name="person_sort_covering"
            ),
            models.Index(fields=["search_key", "archived"], name="person_search_archived"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.refresh_keys()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_key", "search_key"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return " ".join(
            part for part in (self.family_name, self.middle_name, self.given_name) if part
        )

    def refresh_keys(self) -> None:
        self.family_name = nfc(self.family_name)
        self.middle_name = nfc(self.middle_name)
        self.given_name = nfc(self.given_name)
        self.position = nfc(self.position)
        self.sort_key = name_sort_key(self.family_name, self.middle_name, self.given_name)
        self.search_key = search_key(self.full_name)

    def audit_organization_path(self) -> str:
        return self.organization.path if self.organization_id else ""


class PersonPrivate(models.Model):
    """Private data, stored apart from the person and shown only to roles allowed."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, primary_key=True, related_name="private"
    )
    citizen_id = models.CharField(_("citizen ID number"), max_length=12, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("private data")
        verbose_name_plural = _("private data")

    def __str__(self) -> str:
        return str(self.person)

    def audit_organization_path(self) -> str:
        return self.person.audit_organization_path()


class Membership(models.Model):
    """A person in an organization over a date range; transfers keep the history."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="memberships",
        db_index=False,  # membership_org_start starts with it
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["start_date", "id"]
        indexes = [models.Index(fields=["organization", "start_date"], name="membership_org_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="membership_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.organization}"

    def audit_organization_path(self) -> str:
        return self.organization.path


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    COMMITTEE_STAFF = "committee_staff", _("Committee staff")
    ORGANIZATION_STAFF = "organization_staff", _("Organization staff")
    COUNCIL_MEMBER = "council_member", _("Council member")
    MEMBER = "member", _("Party member")
    READ_ONLY = "read_only", _("Read-only")


class RoleGrant(models.Model):
    """A role granted to an account on an organization and its whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="role_grants",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="role_grants",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organization"], name="rolegrant_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organization}"

    def audit_organization_path(self) -> str:
        return self.organization.path


class OrganizationMove(models.Model):
    """A change of parent in the tree, kept so that figures dated before it still report
    under the organizations that existed then (see `lantoa.orgs.history`)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="moves"
    )
    old_parent = models.ForeignKey(
        Organization,
        verbose_name=_("former parent"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )
    new_parent = models.ForeignKey(
        Organization, verbose_name=_("new parent"), on_delete=models.PROTECT, related_name="+"
    )
    moved_on = models.DateField(_("date of the move"))

    class Meta:
        verbose_name = _("organization move")
        verbose_name_plural = _("organization moves")
        indexes = [models.Index(fields=["moved_on"], name="orgmove_date")]

    def __str__(self) -> str:
        return f"{self.organization}: {self.old_parent} → {self.new_parent}"

    def audit_organization_path(self) -> str:
        return self.organization.path
