"""The words of each message kind: one plain-text Jinja2 template per kind in
`messages/`, its first line the subject, the rest the body.

Templates are read and compiled when this module is imported (a worker's start), so a
workflow only renders: no file is read in workflow code, and a kind without a template
fails the import rather than a case.
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jinja2 import DictLoader, Environment, StrictUndefined, Template

from domain.agreement import Obligation
from domain.local_time import local_time
from domain.message_kinds import MessageKind, ParticipantContext, StaffContext, participant_context

FOLDER = Path(__file__).parent / "messages"
SUFFIX = ".txt.j2"


@dataclass(frozen=True)
class MessageText:
    subject: str
    body: str


def _compile() -> dict[MessageKind, Template]:
    sources = {p.name: p.read_text(encoding="utf-8") for p in FOLDER.glob(f"*{SUFFIX}")}
    # Plain text to a phone or a mailbox, never HTML: nothing to escape. A fact missing
    # from the context fails the render rather than printing nothing.
    env = Environment(
        loader=DictLoader(sources),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
    )
    return {kind: env.get_template(f"{kind}{SUFFIX}") for kind in MessageKind}


TEMPLATES = _compile()


def render_message(kind: MessageKind, context: ParticipantContext | StaffContext) -> MessageText:
    subject, _, body = TEMPLATES[kind].render(context.model_dump()).strip().partition("\n")
    return MessageText(subject=subject.strip(), body=body.strip())


def participant_message(
    kind: MessageKind, item: Obligation, occurrence: int, due: datetime, timezone: str
) -> MessageText:
    """A reminder or warning about one occurrence of `item`, due at `due`, in the words
    the participant reads: its kind, never its description (see domain/message_kinds)."""
    when = local_time(due, timezone)
    return render_message(kind, participant_context(item.kind, occurrence, item.occurrences, when))
