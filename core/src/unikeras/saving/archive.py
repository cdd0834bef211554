"""Files on disk: atomic writes, and defensive reading of `.keras` zip archives.

Writing goes to a temporary file in the target's folder, flushed to disk, then renamed over
the target, so a process killed mid-write leaves the previous file intact. The file gets the
mode a plain `open(..., "w")` would (`0o666` less the umask: 0644 under umask 022), not the
private 0600 of temporary files, so a serving process running as another user can read it.

Reading trusts nothing in the archive: member names that could escape a folder, and names
that appear twice, are refused,
sizes are checked against limits from the zip directory before anything is decompressed (a
zip bomb fails at once), and damage (truncation, bad CRC) is reported as `ValueError`.
"""

import contextlib
import json
import os
import shutil
import tempfile
import zipfile
import zlib

MAX_JSON_BYTES = 64 * 2**20
MAX_MEMBERS = 10_000
# Deflate cannot do better than about 1032:1; real weights compress far less. Entries larger
# than `_RATIO_FLOOR` whose ratio exceeds `MAX_COMPRESSION_RATIO` are treated as zip bombs.
MAX_COMPRESSION_RATIO = 100
_RATIO_FLOOR = 16 * 2**20
_CHUNK = 2**20
_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, zipfile.LargeZipFile)


def atomic_write(filepath, write):
    """Calls `write(temporary_path)`, gives the file the umask's mode, syncs it to disk, then
    renames it to `filepath`.

    On any failure (or interruption) the temporary file is removed and `filepath` is left
    as it was.
    """
    folder = os.path.dirname(os.path.abspath(filepath))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix="-" + os.path.basename(filepath))
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~current_umask())
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, filepath)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise
    _sync_folder(folder)


def current_umask():
    """The process' file-creation mask, read without changing it where the platform allows
    (Linux `/proc`); elsewhere set and restored at once."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _sync_folder(folder):
    """Makes the rename durable where the platform allows opening folders."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _unsafe_member_name(name):
    parts = name.replace("\\", "/").split("/")
    return (
        name.startswith(("/", "\\"))
        or "\\" in name
        or "\x00" in name
        or ".." in parts
        or (len(name) > 1 and name[1] == ":")
    )


class Archive:
    """A `.keras` zip opened for reading, with its members validated.

    Use as a context manager. Raises `ValueError` naming the file and the problem for
    anything that is not a sound archive.
    """

    def __init__(self, filepath, required=()):
        self.filepath = str(filepath)
        if not os.path.isfile(self.filepath):
            raise ValueError(
                f"File not found: filepath={self.filepath}. Please ensure the "
                "file is an accessible `.keras` zip file."
            )
        if not zipfile.is_zipfile(self.filepath):
            raise self.error(
                "it is not a zip archive (it may be truncated, or not a `.keras` file at all)"
            )
        try:
            self.zip = zipfile.ZipFile(self.filepath)
        except _DAMAGE as e:
            raise self.error(f"the zip archive is damaged or truncated ({e})") from None
        try:
            self._check_members(required)
        except BaseException:
            self.zip.close()
            raise

    def error(self, problem):
        """Returns a `ValueError` saying why the archive is refused."""
        return ValueError(f"Cannot load {self.filepath!r}: {problem}.")

    def _check_members(self, required):
        infos = self.zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise self.error(f"it has {len(infos)} entries (at most {MAX_MEMBERS} allowed)")
        for info in infos:
            if _unsafe_member_name(info.filename):
                raise self.error(
                    f"entry {info.filename!r} has a path that could escape the "
                    "archive (absolute, '..' or backslash); refusing it"
                )
            if info.file_size > _RATIO_FLOOR and info.file_size > MAX_COMPRESSION_RATIO * max(
                info.compress_size, 1
            ):
                raise self.error(
                    f"entry {info.filename!r} would expand from {info.compress_size} to "
                    f"{info.file_size} bytes (ratio over {MAX_COMPRESSION_RATIO}:1), which "
                    "looks like a zip bomb; refusing it"
                )
        all_names = self.zip.namelist()
        names = set(all_names)
        if len(names) != len(all_names):
            twice = sorted({n for n in all_names if all_names.count(n) > 1})
            raise self.error(
                f"entries {twice} appear more than once (readers could disagree "
                "on which one counts); refusing the archive"
            )
        missing = [name for name in required if name not in names]
        if missing:
            raise self.error(f"required entries {missing} are missing (found {sorted(names)[:20]})")

    def has(self, name):
        """Whether the archive holds `name`."""
        return name in self.zip.namelist()

    def read_json(self, name, limit=None):
        """Returns the parsed JSON entry `name` (at most `limit` bytes, default
        `MAX_JSON_BYTES`)."""
        limit = MAX_JSON_BYTES if limit is None else limit
        info = self.zip.getinfo(name)
        if info.file_size > limit:
            raise self.error(f"entry {name!r} is {info.file_size} bytes (at most {limit})")
        try:
            with self.zip.open(info) as f:
                data = f.read(limit + 1)
        except _DAMAGE as e:
            raise self.error(f"entry {name!r} is damaged ({e})") from None
        try:
            return json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as e:
            raise self.error(f"entry {name!r} is not valid JSON ({type(e).__name__})") from None

    def extract(self, name, folder):
        """Copies entry `name` into `folder` (under a fixed file name); returns its path."""
        target = os.path.join(folder, "entry")
        try:
            with self.zip.open(name) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst, _CHUNK)
        except _DAMAGE as e:
            raise self.error(f"entry {name!r} is damaged or truncated ({e})") from None
        return target

    def extract_tree(self, prefix, folder):
        """Copies every entry under `prefix/` into `folder`, keeping the layout below the
        prefix; returns `folder`. Each target path is checked to stay inside `folder`."""
        root = os.path.realpath(folder)
        os.makedirs(root, exist_ok=True)
        for info in self.zip.infolist():
            if not info.filename.startswith(prefix + "/") or info.is_dir():
                continue
            target = os.path.realpath(os.path.join(root, info.filename[len(prefix) + 1 :]))
            if os.path.commonpath([root, target]) != root:
                raise self.error(
                    f"entry {info.filename!r} would be written outside the "
                    "assets folder; refusing it"
                )
            os.makedirs(os.path.dirname(target), exist_ok=True)
            try:
                with self.zip.open(info) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst, _CHUNK)
            except _DAMAGE as e:
                raise self.error(f"entry {info.filename!r} is damaged or truncated ({e})") from None
        return root

    def close(self):
        self.zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
