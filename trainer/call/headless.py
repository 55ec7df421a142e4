"""Headless play: a student script (CONTRACT §3) driven through a ``CallSession``.

The same session object as the TUI; only the front end differs. Order of events:

- incoming call: the phone rings ``/decrocher N`` times (1 by default) and the student picks up at
  the ``/decrocher`` line, or just before the first spoken line when there is none;
- outgoing call: the student dials at the ``/decrocher`` line or just before the first spoken line
  (ERP entries before it are made with the phone on the hook, e.g. opening the client's file); the
  person called answers after ``/decrocher N`` rings, or after 2 to 4 rings (seeded) without it;
- each spoken line is one student turn, the customer answering after each; an ``/audio`` line is a
  recording of the student (voice mode): copied into the session's ``audio/`` folder, recognised,
  and played as the student's turn with its voice measures;
- ``/raccrocher``: the student hangs up; once the call is over (either side), the remaining spoken
  lines are ignored and reported, while ERP entries are still made: a receptionist finishes the
  form after hanging up.

Before anything is written, ``check_script`` replays the ERP entries on a blank ERP form: a script
with an unknown product, a shade that does not exist or a client number nobody has is refused with
its file and line, and the database is left untouched.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer.call.erp import ErpDesk, ErpError
from trainer.call.script import Action, Script, ScriptError, Speech
from trainer.call.session import CallResult, CallSession, company_for
from trainer.content.scenarios import Scenario


@dataclass
class PlayReport:
    """What a headless play did, beyond the call's result."""

    result: CallResult
    ignored: list[Speech] = field(default_factory=list)
    after_hangup_actions: list[Action] = field(default_factory=list)


def check_script(script: Script, scenario: Scenario, store: Any, *, now: Any) -> None:
    """Refuse, before the call starts, a script that cannot be played on this scenario.

    Raises ``ScriptError`` naming the file and the line (ERP entries the ERP would refuse). Reads
    the database (client numbers) but writes nothing.
    """
    desk = ErpDesk(company=company_for(store, scenario.company), scenario=scenario, store=store)
    for action in script.erp_actions:
        try:
            desk.apply(action.name, action.args, now=now)
        except ErpError as exc:
            raise ScriptError(f"{script.source}, ligne {action.line}, /{action.name} : {exc}") from None


def _keep_recording(session: CallSession, wav: Path) -> Path:
    """Copy a student's recording into the session's folder (``audio/eleve-NNN.wav``) for replay."""
    folder = session.folder / "audio"
    folder.mkdir(parents=True, exist_ok=True)
    number = 1 + sum(1 for _ in folder.glob("eleve-*.wav"))
    target = folder / f"eleve-{number:03d}.wav"
    shutil.copyfile(wav, target)
    return target


def play_script(session: CallSession, script: Script) -> PlayReport:
    """Play every line of ``script`` on ``session`` and record the call."""
    ignored: list[Speech] = []
    late: list[Action] = []

    def connect() -> None:
        if session.phase != "ringing":
            return
        if session.direction == "incoming":
            for _ in range(script.rings or 1):
                session.ring()
            session.pick_up()
        else:
            session.dial(rings=script.rings)

    for item in script.items:
        if isinstance(item, Speech):
            if session.phase == "ringing":
                connect()
            if session.phase != "talking":
                ignored.append(item)
                continue
            if item.audio is not None:
                session.student_speaks(_keep_recording(session, item.audio))
            else:
                session.student_says(item.text)
        elif item.name == "decrocher":
            connect()
        elif item.name == "raccrocher":
            if session.phase == "talking":
                session.hang_up(by="student")
            elif session.phase == "ringing":
                session.hang_up(by="student")
        else:
            if session.phase in ("ended", "closed"):
                late.append(item)
            try:
                session.erp_action(item.name, item.args)
            except ErpError as exc:  # check_script makes this rare; keep the line in the message
                raise ScriptError(f"{script.source}, ligne {item.line}, /{item.name} : {exc}") from None
    if session.phase == "ringing" and script.speeches:
        connect()
    result = session.finish()
    return PlayReport(result=result, ignored=ignored, after_hangup_actions=late)
