"""Storing a response: one-time codes, idempotency and what anonymity allows to be kept.

Anonymous mode (DOMAIN.md, GDPR) keeps the answers, the channel and the day, nothing
else: no time of day, no account, no link to the one-time code used (the code row only
learns the day it was used). No IP address is stored in any mode. Confidential mode
also keeps the time and the signed-in respondent. A paper questionnaire is never
attributed to the officer who typed it in.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from contextlib import nullcontext
from datetime import date

from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from razem.core.actions import log_action
from razem.surveys import spool
from razem.surveys.definition import Choice, Text
from razem.surveys.models import Anonymity, Channel, OneTimeCode, Response, Survey
from razem.territory.models import UnitKind

log = logging.getLogger(__name__)

# A key rendered into the form by views_collect; anything else is ignored rather than
# stored, so a forged key cannot carry data into the table.
SUBMISSION_KEY_RE = re.compile(r"^[0-9a-f]{16,64}$")
CODE_MAX_LENGTH = 16


class CodeError(Exception):
    """A one-time code was missing, unknown or already used; `message` is for the user."""

    MISSING = "missing"
    UNKNOWN = "unknown"
    USED = "used"

    def __init__(self, reason: str) -> None:
        self.reason = reason
        messages = {
            self.MISSING: _("Enter the code from your card."),
            self.UNKNOWN: _("There is no such code for this survey. Check the code on your card."),
            self.USED: _("This code has already been used. Each code can be used only once."),
        }
        self.message = messages[reason]
        super().__init__(self.message)


def normalise_code(code: str | None) -> str:
    """Upper case without spaces or dashes, as printed: "abcd-efgh" -> "ABCDEFGH"."""
    return re.sub(r"[^0-9A-Z]", "", (code or "").upper())[: CODE_MAX_LENGTH + 1]


def valid_submission_key(key: str | None) -> str | None:
    return key if key and SUBMISSION_KEY_RE.match(key) else None


# Each Polish letter sorts right after its base letter; ż after ź.
_POLISH_ORDER = str.maketrans({c: b + "\uffff" for b, c in zip("acelnosz", "ąćęłńóśź")}
                              | {"ż": "z\uffff\uffff"})


def polish_sort_key(name: str) -> str:
    """Alphabetical order as in Polish ("Łosice" after "Lipno", not after "Z")."""
    return name.lower().translate(_POLISH_ORDER)


# partnership id -> (updated_at, choices): asked on every form view and post.
_GMINAS: dict[int, tuple[object, tuple[Choice, ...]]] = {}


def gmina_choices(partnership) -> tuple[Choice, ...]:
    """The partnership's gminas as the choices of a gmina question (TERYT code, name).

    Cached per process on the partnership's updated_at, which changes of its units move
    (the settings form saves the partnership; territory imports touch every partnership).
    """
    found = _GMINAS.get(partnership.pk)
    if found is not None and found[0] == partnership.updated_at:
        return found[1]
    units = sorted(partnership.units.filter(kind=UnitKind.GMINA).values_list("teryt", "name"),
                   key=lambda unit: (polish_sort_key(unit[1]), unit[0]))
    choices = tuple(Choice(teryt, Text(name, name)) for teryt, name in units)
    if len(_GMINAS) > 1024:
        _GMINAS.clear()
    _GMINAS[partnership.pk] = (partnership.updated_at, choices)
    return choices


def _consume_code(survey: Survey, code: str | None) -> None:
    normalised = normalise_code(code)
    if not normalised:
        raise CodeError(CodeError.MISSING)
    if len(normalised) > CODE_MAX_LENGTH:
        raise CodeError(CodeError.UNKNOWN)
    # One conditional UPDATE: of concurrent requests with the same code, PostgreSQL lets
    # exactly one match `used_on IS NULL`; the others re-check the row after it commits
    # and update nothing.
    used = OneTimeCode.objects.filter(
        survey=survey, code=normalised, used_on__isnull=True
    ).update(used_on=timezone.localdate())
    if used:
        return
    if OneTimeCode.objects.filter(survey=survey, code=normalised).exists():
        raise CodeError(CodeError.USED)
    raise CodeError(CodeError.UNKNOWN)


# The columns written, in the order _params gives their values.
_INSERT_COLUMNS = ("survey_id", "answers", "channel", "submitted_on", "submitted_at",
                   "respondent_id", "submission_key")
# Field attribute names in model order: Response(*values) takes Model.__init__'s
# positional path, several times cheaper than matching keywords.
_ATTNAMES = tuple(field.attname for field in Response._meta.concrete_fields)

_ANSWERS_ENCODER = Response._meta.get_field("answers").encoder

# Database alias -> the INSERT statement, composed once per process.
_INSERT_SQL: dict[str, str] = {}


def _insert_statement(connection) -> str:
    found = _INSERT_SQL.get(connection.alias)
    if found is None:
        quote = connection.ops.quote_name
        columns = [Response._meta.get_field(name).column for name in _INSERT_COLUMNS]
        found = _INSERT_SQL[connection.alias] = (
            f"INSERT INTO {quote(Response._meta.db_table)} "
            f"({', '.join(quote(column) for column in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))}) "
            f"RETURNING {quote(Response._meta.pk.column)}")
    return found


def _params(response: Response, connection) -> list:
    """The row's values as the backend takes them: the same adapters the fields' own
    get_db_prep_save ends in (JSON text on SQLite, Jsonb on PostgreSQL; dates as the
    backend stores them), without the generic steps around them."""
    ops = connection.ops
    return [response.survey_id,
            ops.adapt_json_value(response.answers, _ANSWERS_ENCODER),
            response.channel,
            ops.adapt_datefield_value(response.submitted_on),
            ops.adapt_datetimefield_value(response.submitted_at),
            response.respondent_id,
            response.submission_key]


def _insert(response: Response) -> None:
    """INSERT one response, as Model.save() would, without building the query each time.

    Storing a response is the platform's busiest write (a school class submits within
    minutes; the bench posts from 50 clients), and Model.save() spent more time composing
    its SQL than the database spent storing the row. Constraint errors still arrive as
    django.db.IntegrityError. Both backends return the new id.
    """
    connection = connections[router.db_for_write(Response)]
    with connection.cursor() as cursor:
        cursor.execute(_insert_statement(connection), _params(response, connection))
        response.pk = cursor.fetchone()[0]
    response._state.adding = False
    response._state.db = connection.alias


def _existing(survey: Survey, submission_key: str | None) -> Response | None:
    if not submission_key:
        return None
    return Response.objects.filter(survey=survey, submission_key=submission_key).first()


def _spooled(values: dict) -> bool:
    """Hand the row to the process's write-behind spool (razem/surveys/spool.py); False
    when there is none or it cannot take the row, and the caller stores it directly."""
    queue = spool.configured_spool()
    if queue is None:
        return False
    try:
        queue.append(values)
    except OSError:
        log.exception("spool: cannot write; storing the response directly")
        return False
    return True


def submit(
    survey: Survey,
    answers: Mapping[str, object],
    *,
    channel: str,
    code: str | None = None,
    submission_key: str | None = None,
    user=None,
    today: date | None = None,
    write_behind: bool = False,
) -> Response:
    """Store one response (cleaned answers), consuming its one-time code if needed.

    Raises CodeError when a needed code is missing, unknown or used (nothing is stored).
    A submission key already stored for this survey returns that response instead of
    storing another, also when two identical posts race each other. `today` is the
    local date the caller already looked up (the day kept with the response).

    With `write_behind` (the public form's posts, never inside a transaction) a response
    that needs no code and has a key goes to the process's spool when one is configured
    (razem/surveys/spool.py): it is safe on disk when this returns, in the database at
    the next flush, and the Response returned has no id.
    """
    return _store(survey, answers, channel=channel, code=code, submission_key=submission_key,
                  user=user, today=today, write_behind=write_behind)[0]


def _store(survey: Survey, answers: Mapping[str, object], *, channel: str, code: str | None,
           submission_key: str | None, user, today: date | None = None,
           write_behind: bool = False) -> tuple[Response, bool]:
    """(the response, whether it was stored now rather than found by its key)."""
    submission_key = valid_submission_key(submission_key)
    values = {"survey_id": survey.pk, "answers": dict(answers), "channel": channel,
              "submitted_on": today or timezone.localdate(), "submission_key": submission_key}
    if survey.anonymity == Anonymity.CONFIDENTIAL:
        values["submitted_at"] = timezone.now()
        if channel != Channel.PAPER and user is not None and user.is_authenticated:
            values["respondent_id"] = user.pk
    response = Response(*(values.get(name) for name in _ATTNAMES))
    # Insert first and look the key up only when the unique constraint says it is taken:
    # a resent post is rare, and a lookup before every insert cost every respondent. The
    # transaction (a savepoint inside paper entry's) makes losing a race on the key also
    # undo the code consumed for it.
    needs_code = bool(survey.codes_required or code)
    # Without a code the INSERT is the whole write and commits by itself; a transaction
    # is needed only to tie it to the code, or as a savepoint inside a caller's one.
    atomic = needs_code or transaction.get_connection().in_atomic_block
    if write_behind and not needs_code and submission_key and _spooled(values):
        return response, True
    try:
        with transaction.atomic() if atomic else nullcontext():
            if needs_code:
                _consume_code(survey, code)
            _insert(response)
    except CodeError as error:
        # A resent post whose first copy used the code a moment ago.
        if error.reason == CodeError.USED:
            existing = _existing(survey, submission_key)
            if existing is not None:
                return existing, False
        raise
    except IntegrityError:
        existing = _existing(survey, submission_key)
        if existing is None:
            raise
        return existing, False
    return response, True


def enter_paper(survey: Survey, answers: Mapping[str, object], *, officer,
                submission_key: str | None = None) -> Response:
    """Store a paper questionnaire typed in by `officer`.

    The audit log names the survey, not the response: in anonymous mode an entry tying
    an officer and a moment to one response would let answers be traced to the paper.
    """
    with transaction.atomic():
        response, created = _store(survey, answers, channel=Channel.PAPER, code=None,
                                   submission_key=submission_key, user=None)
        if created:
            log_action(actor=officer, partnership=survey.partnership,
                       action="survey.paper_response_entered", obj=survey)
    return response
