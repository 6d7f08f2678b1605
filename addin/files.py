"""The files a user names: opening them and writing outputs, every failure in one line.

Each reader calls these instead of ``open``, so a missing file, a folder, a file it may not
read or text that is not UTF-8 is reported the same way by every command; every output
(report, JSON, HTML, cache) is written through :func:`write_atomic`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .model import RolefitError

#: How .xlsx/.xlsm (zip) and old .xls (OLE) files begin.
WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
#: How to fix text that is not UTF-8, by what the file is.
SAVE_AS_UTF8 = "save it as UTF-8"
SAVE_AS_CSV_UTF8 = "in Excel use File > Save As > 'CSV UTF-8 (Comma delimited)'"


def cannot_read(path: Path | str, exc: OSError, kind: str = "file") -> RolefitError:
    """The one-line error for a file that could not be opened or read.

    ``kind`` names what the file should have been ("workbook", "CSV file"...), for the
    message about a folder given in its place.
    """
    if isinstance(exc, FileNotFoundError):
        return RolefitError(f"{path}: file not found")
    # Windows refuses to open a folder with "permission denied": say what it really is
    if isinstance(exc, IsADirectoryError) or _is_folder(Path(path)):
        return RolefitError(f"{path}: is a folder, not a {kind}")
    if isinstance(exc, PermissionError):
        return RolefitError(f"{path}: permission denied; cannot read the file")
    return RolefitError(f"{path}: cannot read the file ({exc.strerror or exc})")


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def read_input_bytes(path: Path, kind: str = "file", *, limit: int = -1) -> bytes:
    """The bytes of ``path`` (only the first ``limit``, if given); failures in one line."""
    try:
        with path.open("rb") as fh:
            return fh.read(limit)
    except OSError as exc:
        raise cannot_read(path, exc, kind) from None


def decode_utf8(data: bytes, source: Path | str, fix: str = SAVE_AS_UTF8) -> str:
    """UTF-8 text (a byte-order mark is dropped); else one line naming the byte and the fix."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if data.startswith(WORKBOOK_MAGIC):
            raise RolefitError(f"{source}: this is a workbook, not a text file; "
                               f"check a plan workbook with 'rolefit check'") from None
        raise RolefitError(f"{source}: not UTF-8 text (byte {exc.start}); {fix}") from None


def read_input_text(path: Path, kind: str = "text file", *, fix: str = SAVE_AS_UTF8) -> str:
    """The UTF-8 text of ``path``; any failure to open, read or decode it in one line."""
    return decode_utf8(read_input_bytes(path, kind), path, fix)


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes through a temporary file in the same folder, then rename over ``path``.

    A reader of ``path`` sees the old file or the complete new one, never a part; any
    failure leaves the old file as it was and raises a one-line :class:`RolefitError`.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise RolefitError(f"{path}: is a folder; give a file name for the output")
    if not folder.is_dir():
        raise RolefitError(f"{path}: the folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise RolefitError(f"{path}: cannot write in this folder ({exc.strerror}); choose "
                           f"another folder") from None
    try:
        # Windows has no fchmod; the default mode is fine there
        with contextlib.suppress(AttributeError, OSError):
            os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        hint = ("; if it is open in Excel, close it and try again"
                if isinstance(exc, PermissionError) else "")
        raise RolefitError(f"{path}: cannot write the file ({exc.strerror or exc}){hint}"
                           ) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """The replaced file's permissions, or what a new file gets (mkstemp's 0600 is private)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
