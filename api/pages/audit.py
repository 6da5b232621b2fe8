"""Who looked at which case and did what through the pages: one JSON line per page view
of a case and per action, with the person's subject, the case id and the time.

Only identifiers and the kind of action are written, never what was typed: a form may
hold the victim's words or how to reach her, and this file is read by admins. Each API
process appends to its own file; an admin reads it on the audit page.
"""

import json
import threading
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel

# How much of the file's end the audit page reads: the latest entries, not the history.
TAIL_BYTES = 512 * 1024


class AuditEntry(BaseModel):
    at: datetime
    subject: str
    action: str
    case_id: str
    task_id: str | None = None
    result: str = "done"


class AuditLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def record(
        self,
        subject: str,
        action: str,
        case_id: str,
        *,
        task_id: str | None = None,
        result: str = "done",
    ) -> None:
        entry = AuditEntry(
            at=datetime.now(UTC),
            subject=subject,
            action=action,
            case_id=case_id,
            task_id=task_id,
            result=result,
        )
        line = entry.model_dump_json() + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as f:
                f.write(line)

    def latest(self, limit: int = 200, case_id: str | None = None) -> list[AuditEntry]:
        """The newest entries first, of one case if asked."""
        if not self.path.exists():
            return []
        with self.path.open("rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - TAIL_BYTES))
            tail = f.read().decode("utf-8", errors="replace").splitlines()
        if size > TAIL_BYTES:
            tail = tail[1:]  # the first line read may be cut
        found: list[AuditEntry] = []
        for line in reversed(tail):
            try:
                entry = AuditEntry.model_validate(json.loads(line))
            except ValueError:
                continue
            if case_id is None or entry.case_id == case_id:
                found.append(entry)
                if len(found) >= limit:
                    break
        return found
