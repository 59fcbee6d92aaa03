"""The API's typed answers. Dates are ISO (yyyy-mm-dd), times ISO with their offset.

Private data of people (citizen ID, phone, email) has no field here at all."""

import datetime
from typing import Any

from ninja import Schema


class Error(Schema):
    detail: str


class OrganizationOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    host_name: str
    host_kind: str
    parent_code: str | None
    depth: int
    archived: bool
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    member_count: int  # current (non-archived) people of the whole subtree


class PersonOut(Schema):
    id: int
    code: str | None
    family_name: str
    middle_name: str
    given_name: str
    full_name: str
    gender: str
    birth_date: datetime.date | None
    party_joined_on: datetime.date | None
    party_official_on: datetime.date | None
    position: str
    organization_code: str | None
    archived: bool


class DocumentOut(Schema):
    id: int
    system: str
    symbol: str
    number: int
    doc_type: str
    doc_type_name: str
    issuer: str
    issuer_name: str
    term: str | None
    year: int | None
    issued_on: datetime.date | None
    title: str
    summary: str
    organization_code: str | None  # None: a document of a higher body
    has_file: bool


class UnitModelOut(Schema):
    id: int
    organization_code: str
    organization_name: str
    year_from: int
    year_to: int | None
    title: str
    content: str
    responsible: str | None  # the person's full name
    status: str
    result: str
    comments: str
    evaluated_at: datetime.datetime | None


class CommitmentOut(Schema):
    id: int
    year: int
    person_id: int
    person_code: str | None
    person_name: str
    organization_code: str  # where it was registered
    status: str
    submitted_at: datetime.datetime
    items: list[str]
    self_result: str
    self_assessment: str
    cell_result: str
    cell_assessment: str


class ActivityOut(Schema):
    id: int
    organization_code: str
    activity_type: str
    activity_type_name: str
    movement_id: int | None
    movement_title: str | None
    title: str
    date: datetime.date
    place: str
    description: str
    participants: int
    beneficiaries: int
    quantity: int
    money: int  # whole đồng


class NominationOut(Schema):
    id: int
    round_id: int
    round_title: str
    year: int
    status: str
    kind: str  # "person" or "collective"
    nominee_name: str
    person_id: int | None
    person_code: str | None
    collective_code: str | None
    nominating_organization_code: str
    proposed_form: str
    proposed_form_name: str
    achievements: str
    status_changed_at: datetime.datetime


class VoterOut(Schema):
    name: str
    choice: str | None  # None in a secret ballot: who voted is known, not how


class TallyOut(Schema):
    nomination_id: int
    round_id: int
    round_title: str
    nominee_name: str
    status: str
    secret_ballot: bool
    members: int
    cast: int
    agree: int
    disagree: int
    abstain: int
    not_voted: int
    quorum_met: bool
    selected: bool
    quorum_needed: int
    agree_needed: int
    rule: str
    voters: list[VoterOut]
    waiting: list[str]  # council members who have not voted


class DecisionOut(Schema):
    id: int
    symbol: str
    date: datetime.date | None
    status: str
    kind: str
    subject: str
    organization_code: str
    round_id: int | None
    refers_to_id: int | None
    awards_count: int
    issued_at: datetime.datetime | None


# --- statistics: `lantoa.reports.figures.Figures`, field for field --------------------------


class PeriodOut(Schema):
    start: datetime.date
    end: datetime.date
    label: str


class FormCountOut(Schema):
    form: str
    people: int
    collectives: int


class CommendationOut(Schema):
    nominated_people: int
    nominated_collectives: int
    selected_people: int
    selected_collectives: int
    commended_people: int
    commended_collectives: int
    honored_people: int
    honored_collectives: int
    by_form: list[FormCountOut]
    ceremonies: int


class RegistrationOut(Schema):
    members: int
    with_commitment: int
    coverage_percent: float | None
    ratings: dict[str, int]
    models_registered: int
    ratings_year: int | None


class StudyOut(Schema):
    sessions: int
    present: int
    expected: int
    attendance_percent: float | None


class PilotsOut(Schema):
    pilots: int
    evaluated: int
    names: list[str]


class NamedModelOut(Schema):
    organization: str
    title: str


class ModelsOut(Schema):
    by_status: dict[str, int]
    named: list[NamedModelOut]
    by_result: dict[str, int]


class ActivityRowOut(Schema):
    code: str
    name: str
    unit: str
    activities: int
    quantity: int
    money: int
    participants: int
    beneficiaries: int


class YearRowOut(Schema):
    year: int
    nominated_people: int
    nominated_collectives: int
    selected_people: int
    selected_collectives: int
    commended_people: int
    commended_collectives: int
    honored_people: int
    honored_collectives: int
    ceremonies: int


class StatisticsOut(Schema):
    organization: str
    organization_code: str
    period: PeriodOut
    commendation: CommendationOut
    registration: RegistrationOut
    study: StudyOut
    pilots: PilotsOut
    models: ModelsOut
    activities: list[ActivityRowOut]
    years: list[YearRowOut]


class ValidationErrors(Schema):
    """A parameter that could not be read (django-ninja's answer, status 422)."""

    detail: list[dict[str, Any]]
