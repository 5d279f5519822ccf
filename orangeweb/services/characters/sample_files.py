"""The voice samples the dashboard keeps for its characters, under the data directory."""

from __future__ import annotations

import asyncio
import shutil
import uuid
from pathlib import Path

from orangeweb.services.errors import ValidationError
from orangeweb.services.media.samples import SampleRejected, VoiceSample, prepare_voice_sample
from orangeweb.settings import get_settings


def data_root(data_dir: Path | None) -> Path:
    return data_dir or get_settings().data_path


async def prepare_sample(sample: Path, work_dir: Path) -> VoiceSample:
    """Check a sample completely (off the event loop) before any request is made."""
    try:
        return await asyncio.to_thread(prepare_voice_sample, sample, work_dir)
    except SampleRejected as rejection:
        raise ValidationError(str(rejection)) from rejection


def _new_relative(team_id: int, extension: str) -> Path:
    return Path("samples") / str(team_id) / f"{uuid.uuid4().hex}.{extension}"


def store_sample(prepared: VoiceSample, team_id: int, data_dir: Path | None) -> str:
    """Copy a checked sample under the data directory with a generated name; returns it relative."""
    relative = _new_relative(team_id, prepared.extension)
    target = data_root(data_dir) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(prepared.path, target)
    return relative.as_posix()


def copy_stored_sample(relative: str, team_id: int, data_dir: Path | None) -> str:
    """A second file for a stored sample (each copy of a character owns its own)."""
    source = data_root(data_dir) / relative
    copy = _new_relative(team_id, source.suffix.lstrip(".") or "wav")
    target = data_root(data_dir) / copy
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return copy.as_posix()


def remove_sample(relative: str | None, data_dir: Path | None) -> None:
    if relative:
        (data_root(data_dir) / relative).unlink(missing_ok=True)
