"""What staff do with stories: write and correct them, publish and withdraw them, delete a
draft, and manage their photos.

Stories are kept by a committee's staff: every write needs `Perm.MANAGE_ROUNDS` on the
story's organization. A story may rest on an award of an issued (and not revoked)
decision, a unit model or a good deed, each of the organization's subtree; its subject
may be an organization of that subtree. The address (slug) is made from the title without
diacritics ("Điển hình" → "dien-hinh"), with a numeric suffix when it is taken.

Only a published story is public: publishing sets `published_at` the first time;
withdrawing needs a reason, recorded in the audit with the status change. Photos come
already checked and re-encoded (`lantoa.movements.photos.process_photo`); their files are
written last and removed again if the transaction fails.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lantoa.awards.models import Award, DecisionStatus
from lantoa.core import audit
from lantoa.core.errors import ValidationError, require
from lantoa.core.files import files_removed_on_error, remove_after_commit
from lantoa.core.text import nfc, search_key
from lantoa.movements.models import GoodDeed
from lantoa.movements.photos import ProcessedPhoto
from lantoa.orgs.models import Organization
from lantoa.orgs.rules import Perm, User, can
from lantoa.programs.models import UnitModel
from lantoa.public.models import Story, StoryPhoto, StoryStatus

__all__ = [
    "FIELDS",
    "MAX_BODY",
    "MAX_CAPTION",
    "MAX_PHOTOS",
    "MAX_REASON",
    "add_photos",
    "caption_photo",
    "create_story",
    "delete_photo",
    "delete_story",
    "eligible_awards",
    "move_photo",
    "publish_story",
    "reorder_photos",
    "slug_from",
    "unique_slug",
    "update_story",
    "withdraw_story",
]

MAX_TITLE = 300
MAX_SUMMARY = 500
MAX_BODY = 50_000  # characters of Markdown: a long article, not a book
MAX_REASON = 1000
MAX_CAPTION = 300
MAX_PHOTOS = 30
SLUG_LENGTH = 100  # room left for a suffix within the column's 120
DEFAULT_SLUG = "bai-viet"

FIELDS = (
    "title",
    "summary",
    "body",
    "slug",
    "subject_organization",
    "award",
    "unit_model",
    "good_deed",
    "comments_open",
)
LINKS = ("subject_organization", "award", "unit_model", "good_deed")


def _figure(value: int) -> str:
    return number_format(value, force_grouping=True)


def _require_manage(by: User, story: Story) -> None:
    require(can(by, Perm.MANAGE_ROUNDS, story.organization))


def _in_subtree(organization: Organization, other: Organization | None) -> bool:
    return other is not None and other.path.startswith(organization.path)


# --- addresses ----------------------------------------------------------------------------


def slug_from(text: str) -> str:
    """The ASCII address of a text: "Điển hình tiên tiến" → "dien-hinh-tien-tien"."""
    slug = slugify(search_key(text or ""))[:SLUG_LENGTH].strip("-")
    return slug


def unique_slug(base: str, exclude: int | None = None) -> str:
    """`base`, or `base-2`, `base-3`… the first not taken by another story."""
    base = base or DEFAULT_SLUG
    others = Story.objects.filter(Q(slug=base) | Q(slug__startswith=f"{base}-"))
    if exclude is not None:
        others = others.exclude(pk=exclude)
    taken = set(others.values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _save_with_slug(story: Story, asked: str) -> None:
    """Save the story under the address asked for (refused if taken) or, with none asked,
    under one made from its title (a suffix added if taken, even by a concurrent save)."""
    for _attempt in range(5):
        if asked:
            story.slug = asked
        else:
            story.slug = unique_slug(slug_from(story.title), exclude=story.pk)
        try:
            with transaction.atomic():
                story.save()
        except IntegrityError as error:
            if asked or not Story.objects.filter(slug=story.slug).exclude(pk=story.pk).exists():
                raise ValidationError(
                    {"slug": _("This address is already used by another story.")}
                ) from error
            continue
        return
    raise ValidationError({"slug": _("This address is already used by another story.")})


# --- checks -------------------------------------------------------------------------------


def eligible_awards() -> Any:
    """Awards a story may rest on: those of an issued decision, not revoked."""
    return Award.objects.filter(decision__status=DecisionStatus.ISSUED, revoked_by__isnull=True)


def _check_text(errors: dict[str, str], story: Story) -> None:
    if not story.title:
        errors["title"] = _("Enter the title.")
    elif len(story.title) > MAX_TITLE:
        errors["title"] = _("The title has at most %(limit)s characters.") % {"limit": MAX_TITLE}
    if len(story.summary) > MAX_SUMMARY:
        errors["summary"] = _("The summary has at most %(limit)s characters.") % {
            "limit": MAX_SUMMARY
        }
    if not story.body:
        errors["body"] = _("Write the text of the story.")
    elif len(story.body) > MAX_BODY:
        errors["body"] = _("The text has %(length)s characters; at most %(limit)s are allowed.") % {
            "length": _figure(len(story.body)),
            "limit": _figure(MAX_BODY),
        }


def _check_award(errors: dict[str, str], story: Story) -> None:
    award = story.award
    if award is None:
        return
    decision = award.decision
    if decision.status != DecisionStatus.ISSUED:
        errors["award"] = _("Choose an award of an issued decision.")
    elif award.revoked_by_id is not None:
        errors["award"] = _("This award was revoked: a story cannot rest on it.")
    elif not _in_subtree(story.organization, decision.organization):
        errors["award"] = _("Choose an award decided within %(organization)s.") % {
            "organization": story.organization.name
        }


def _link_organization(story: Story, name: str) -> Organization | None:
    """The organization a link belongs to: the subject itself, the model's, the deed's."""
    target = getattr(story, name)
    return target if name == "subject_organization" else target.organization


def _link_messages() -> dict[str, str]:
    return {
        "subject_organization": _("Choose an organization within %(organization)s."),
        "unit_model": _("Choose a model registered within %(organization)s."),
        "good_deed": _("Choose a good deed recorded within %(organization)s."),
    }


def _check_links(errors: dict[str, str], story: Story, kept: Story | None) -> None:
    """Each link within the organization's subtree; a link kept unchanged stays allowed."""

    def changed(name: str) -> bool:
        return kept is None or getattr(kept, f"{name}_id") != getattr(story, f"{name}_id")

    organization = story.organization
    if changed("award"):
        _check_award(errors, story)
    for name, message in _link_messages().items():
        if getattr(story, f"{name}_id") is None or not changed(name):
            continue
        if not _in_subtree(organization, _link_organization(story, name)):
            errors[name] = message % {"organization": organization.name}


def _asked_slug(errors: dict[str, str], value: str) -> str:
    """The address typed, made ASCII; empty if none was typed."""
    value = (value or "").strip()
    if not value:
        return ""
    slug = slug_from(value)
    if not slug:
        errors["slug"] = _("Use letters or digits in the address.")
    return slug


def _check(story: Story, kept: Story | None, slug: str) -> str:
    """Every error at once, or the address asked for."""
    errors: dict[str, str] = {}
    _check_text(errors, story)
    _check_links(errors, story, kept)
    asked = _asked_slug(errors, slug)
    if asked and Story.objects.filter(slug=asked).exclude(pk=story.pk).exists():
        errors["slug"] = _("This address is already used by another story.")
    if errors:
        raise ValidationError(errors)
    return asked


def _clean_text(fields: dict[str, Any]) -> None:
    for name in ("title", "summary", "body"):
        if name in fields:
            fields[name] = nfc(fields[name] or "")


# --- stories ------------------------------------------------------------------------------


def create_story(
    *,
    by: User,
    organization: Organization,
    title: str,
    body: str,
    summary: str = "",
    slug: str = "",
    subject_organization: Organization | None = None,
    award: Award | None = None,
    unit_model: UnitModel | None = None,
    good_deed: GoodDeed | None = None,
    comments_open: bool = True,
) -> Story:
    """Write a draft story kept by `organization`."""
    require(can(by, Perm.MANAGE_ROUNDS, organization))
    fields = {"title": title, "summary": summary, "body": body}
    _clean_text(fields)
    story = Story(
        organization=organization,
        subject_organization=subject_organization,
        award=award,
        unit_model=unit_model,
        good_deed=good_deed,
        comments_open=comments_open,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        **fields,
    )
    if organization.archived:
        raise ValidationError({"organization": _("This organization is archived.")})
    asked = _check(story, None, slug)
    with transaction.atomic():
        _save_with_slug(story, asked)
    return story


def update_story(story: Story, *, by: User, **fields: Any) -> Story:
    """Correct a story (whatever its status). An empty `slug` makes the address again from
    the title; one typed is kept if free. Returns the story as saved."""
    _require_manage(by, story)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    _clean_text(fields)
    with transaction.atomic():
        kept = Story.objects.select_for_update().select_related("organization").get(pk=story.pk)
        current = Story.objects.select_related("organization").get(pk=story.pk)
        slug = fields.pop("slug", current.slug)
        for name, value in fields.items():
            setattr(current, name, value)
        asked = _check(current, kept, slug)
        _save_with_slug(current, asked)
    return current


def _locked(story: Story) -> Story:
    return Story.objects.select_for_update().select_related("organization").get(pk=story.pk)


@transaction.atomic
def publish_story(story: Story, *, by: User) -> Story:
    """Make a draft or withdrawn story public; it keeps its first publication date."""
    _require_manage(by, story)
    story = _locked(story)
    if story.status == StoryStatus.PUBLISHED:
        raise ValidationError(_("This story is already published."))
    if not story.body.strip():
        raise ValidationError(_("Write the text of the story before publishing it."))
    if not story.title.strip():
        raise ValidationError(_("Enter the title before publishing the story."))
    old = story.status
    story.status = StoryStatus.PUBLISHED
    fields = ["status"]
    if story.published_at is None:
        story.published_at = timezone.now()
        fields.append("published_at")
    story.save(update_fields=fields)
    audit.record(
        story,
        "public.story.published",
        changes={"status": [old, StoryStatus.PUBLISHED]},
        actor=by,
    )
    return story


@transaction.atomic
def withdraw_story(story: Story, *, by: User, reason: str) -> Story:
    """Take a published story off the public site, saying why (kept in the audit)."""
    _require_manage(by, story)
    reason = nfc(reason or "")
    if not reason:
        raise ValidationError({"reason": _("Say why the story is withdrawn.")})
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {"reason": _("The reason has at most %(limit)s characters.") % {"limit": MAX_REASON}}
        )
    story = _locked(story)
    if story.status != StoryStatus.PUBLISHED:
        raise ValidationError(_("Only a published story can be withdrawn."))
    story.status = StoryStatus.WITHDRAWN
    story.save(update_fields=["status"])
    audit.record(
        story,
        "public.story.withdrawn",
        changes={"status": [StoryStatus.PUBLISHED, StoryStatus.WITHDRAWN], "reason": ["", reason]},
        actor=by,
    )
    return story


@transaction.atomic
def delete_story(story: Story, *, by: User) -> None:
    """Delete a draft written by mistake, with its photos and comments. A story once
    published is withdrawn, never deleted."""
    _require_manage(by, story)
    story = _locked(story)
    if story.status != StoryStatus.DRAFT:
        raise ValidationError(
            _("Only a draft can be deleted: a story once published is withdrawn instead.")
        )
    photos = list(story.photos.all())
    for photo in photos:
        photo.delete()
    story.delete()
    _remove_files_after_commit(photos)


# --- photos -------------------------------------------------------------------------------


def _remove_files_after_commit(photos: Iterable[StoryPhoto]) -> None:
    remove_after_commit(
        (f.storage, f.name) for photo in photos for f in (photo.image, photo.thumbnail)
    )


def _check_photos(photos: Iterable[Any]) -> list[ProcessedPhoto]:
    photos = list(photos)
    if any(not isinstance(photo, ProcessedPhoto) for photo in photos):
        raise TypeError("photos must be checked with lantoa.movements.photos.process_photo")
    return photos


def add_photos(
    story: Story, *, by: User, photos: Sequence[ProcessedPhoto], caption: str = ""
) -> list[StoryPhoto]:
    """Add checked photos after those the story has, all of them or none."""
    _require_manage(by, story)
    photos = _check_photos(photos)
    caption = nfc(caption or "")
    if not photos:
        raise ValidationError({"photos": _("Choose at least one photo.")})
    if len(caption) > MAX_CAPTION:
        raise ValidationError(
            {"caption": _("The caption has at most %(limit)s characters.") % {"limit": MAX_CAPTION}}
        )
    with files_removed_on_error() as written, transaction.atomic():
        locked = _locked(story)  # counted inside the transaction: two uploads cannot pass
        existing = list(locked.photos.values_list("position", flat=True))
        if len(existing) + len(photos) > MAX_PHOTOS:
            raise ValidationError(
                {
                    "photos": _(
                        "A story has at most %(limit)s photos; it has %(existing)s already."
                    )
                    % {"limit": MAX_PHOTOS, "existing": len(existing)}
                }
            )
        position = max(existing, default=-1) + 1
        stored = []
        for offset, processed in enumerate(photos):
            photo = StoryPhoto(
                story=locked,
                format=processed.format,
                width=processed.width,
                height=processed.height,
                caption=caption,
                position=position + offset,
            )
            photo.image.save("photo", ContentFile(processed.content), save=False)
            written.append((photo.image.storage, photo.image.name))
            photo.thumbnail.save("thumbnail", ContentFile(processed.thumbnail), save=False)
            written.append((photo.thumbnail.storage, photo.thumbnail.name))
            photo.save()
            stored.append(photo)
        return stored


@transaction.atomic
def caption_photo(photo: StoryPhoto, *, by: User, caption: str) -> StoryPhoto:
    _require_manage(by, photo.story)
    caption = nfc(caption or "")
    if len(caption) > MAX_CAPTION:
        raise ValidationError(
            {"caption": _("The caption has at most %(limit)s characters.") % {"limit": MAX_CAPTION}}
        )
    photo.caption = caption
    photo.save(update_fields=["caption"])
    return photo


@transaction.atomic
def reorder_photos(story: Story, *, by: User, order: Sequence[int]) -> None:
    """Put the story's photos in the order of their ids; those not named follow."""
    _require_manage(by, story)
    photos = list(_locked(story).photos.select_for_update().order_by("position", "id"))
    rank = {pk: index for index, pk in enumerate(order)}
    photos.sort(key=lambda p: (rank.get(p.pk, len(rank)), p.position, p.pk))
    for position, photo in enumerate(photos):
        if photo.position != position:
            photo.position = position
            photo.save(update_fields=["position"])


def move_photo(photo: StoryPhoto, *, by: User, offset: int) -> None:
    """Move a photo one place earlier (-1) or later (+1)."""
    story = photo.story
    _require_manage(by, story)
    ids = list(story.photos.order_by("position", "id").values_list("pk", flat=True))
    index = ids.index(photo.pk)
    target = min(max(index + offset, 0), len(ids) - 1)
    ids.insert(target, ids.pop(index))
    reorder_photos(story, by=by, order=ids)


@transaction.atomic
def delete_photo(photo: StoryPhoto, *, by: User) -> None:
    _require_manage(by, photo.story)
    photo.delete()
    _remove_files_after_commit([photo])
