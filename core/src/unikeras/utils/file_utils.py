"""`keras.utils.get_file`: download a file once into the Keras cache, check it, extract it."""

import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import warnings
import zipfile


def keras_home():
    """The Keras cache root: `$KERAS_HOME`, else `~/.keras`."""
    return os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")


def _path_to_string(path):
    return os.fspath(path) if isinstance(path, os.PathLike) else path


def resolve_hasher(algorithm, file_hash=None):
    """Returns the `hashlib` object for `algorithm` (`"auto"`: sha256 for 64-digit hashes)."""
    if algorithm == "sha256":
        return hashlib.sha256()
    if algorithm == "auto" and file_hash is not None and len(file_hash) == 64:
        return hashlib.sha256()
    if algorithm not in ("auto", "md5"):
        raise ValueError(
            f"get_file: `hash_algorithm` must be one of 'auto', 'sha256', 'md5'. "
            f"Received: hash_algorithm={algorithm!r}"
        )
    return hashlib.md5()


def hash_file(fpath, algorithm="sha256", chunk_size=65535):
    """Returns the hex digest of a file (`algorithm`: "auto", "sha256", "md5" or a hasher)."""
    hasher = resolve_hasher(algorithm) if isinstance(algorithm, str) else algorithm
    with open(fpath, "rb") as handle:
        for chunk in iter(lambda: handle.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(fpath, file_hash, algorithm="auto", chunk_size=65535):
    """Whether the file's sha256/md5 digest equals `file_hash`."""
    hasher = resolve_hasher(algorithm, file_hash)
    return hash_file(fpath, hasher, chunk_size) == str(file_hash)


def _inside(base, target):
    base = os.path.realpath(base)
    target = os.path.realpath(target)
    return os.path.commonpath([base, target]) == base


def _safe_tar_members(archive, path):
    for member in archive.getmembers():
        if member.issym() or member.islnk():
            link_base = os.path.dirname(os.path.join(path, member.name))
            if not _inside(path, os.path.join(link_base, member.linkname)):
                raise ValueError(
                    f"get_file: refusing to extract link {member.name!r} -> "
                    f"{member.linkname!r}: it points outside {path!r}."
                )
        if member.isdev():
            raise ValueError(f"get_file: refusing to extract device file {member.name!r}.")
        if not _inside(path, os.path.join(path, member.name)):
            raise ValueError(
                f"get_file: refusing to extract {member.name!r}: the path leaves "
                f"the extraction folder {path!r}."
            )
        yield member


def _safe_zip_members(archive, path):
    for name in archive.namelist():
        if not _inside(path, os.path.join(path, name)):
            raise ValueError(
                f"get_file: refusing to extract {name!r}: the path leaves the "
                f"extraction folder {path!r}."
            )
        yield name


def extract_archive(file_path, path=".", archive_format="auto"):
    """Extracts a tar (`.tar`, `.tar.gz`, `.tar.bz2`, ...) or zip archive into `path`.

    Members whose path (or link target) would land outside `path` are refused.

    Args:
        file_path: The archive.
        path: The folder to extract into.
        archive_format: `"auto"` (try tar then zip), `"tar"`, `"zip"`, a list of them, or
            `None` (extract nothing).

    Returns:
        `True` when an archive of one of the formats was extracted, else `False`.
    """
    if archive_format is None:
        return False
    if archive_format == "auto":
        archive_format = ["tar", "zip"]
    if isinstance(archive_format, str):
        archive_format = [archive_format]
    file_path = _path_to_string(file_path)
    path = _path_to_string(path)
    for kind in archive_format:
        if kind == "tar":
            is_match, opener = tarfile.is_tarfile, tarfile.open
        elif kind == "zip":
            is_match, opener = zipfile.is_zipfile, zipfile.ZipFile
        else:
            raise ValueError(
                f"get_file: unknown `archive_format` {kind!r}; expected 'auto', "
                "'tar', 'zip' or None."
            )
        if not is_match(file_path):
            continue
        with opener(file_path) as archive:
            try:
                if kind == "tar":
                    members = list(_safe_tar_members(archive, path))
                    archive.extractall(path, members=members)
                else:
                    members = list(_safe_zip_members(archive, path))
                    archive.extractall(path, members=members)
            except (tarfile.TarError, RuntimeError, KeyboardInterrupt):
                if os.path.exists(path):
                    if os.path.isfile(path):
                        os.remove(path)
                    else:
                        shutil.rmtree(path)
                raise
        return True
    return False


def _download(origin, target):
    from unikeras.utils.progbar import Progbar

    state = {"bar": None, "done": False}

    def report(block_num, block_size, total_size):
        total = None if total_size == -1 else total_size
        if state["bar"] is None:
            state["bar"] = Progbar(total)
        current = block_num * block_size
        if total is None or current < total:
            state["bar"].update(current)
        elif not state["done"]:
            state["bar"].update(total)
            state["done"] = True

    try:
        try:
            urllib.request.urlretrieve(origin, target, report)
        except urllib.error.HTTPError as error:
            raise Exception(f"URL fetch failure on {origin}: {error.code} -- {error.msg}")
        except urllib.error.URLError as error:
            raise Exception(
                f"URL fetch failure on {origin}: {error.errno} -- {error.reason} "
                f"(the file is not in the cache at {target!r}; without network "
                "access, place it there)"
            )
    except (Exception, KeyboardInterrupt):
        if os.path.exists(target):
            os.remove(target)
        raise


def get_file(
    fname=None,
    origin=None,
    untar=False,
    md5_hash=None,
    file_hash=None,
    cache_subdir="datasets",
    hash_algorithm="auto",
    extract=False,
    archive_format="auto",
    cache_dir=None,
    force_download=False,
):
    """Downloads a file from a URL if it is not already in the cache.

    The file lands in `cache_dir/cache_subdir/fname` (by default `~/.keras/datasets`, or
    `$KERAS_HOME/datasets`). A file already there is used without network access (after a
    hash check when `file_hash` is given: a mismatch downloads it again).

    Args:
        fname: File name in the cache (default: the last part of `origin`'s path). With
            `extract=True` the archive is extracted to `<name up to the first dot>_extracted`.
        origin: The URL (any scheme `urllib` reads, `file://` included).
        untar: Deprecated; same as `extract=True, archive_format="tar"`.
        md5_hash: Deprecated; use `file_hash` with `hash_algorithm="md5"`.
        file_hash: Expected sha256 or md5 hex digest of the downloaded file.
        cache_subdir: Folder under the cache root (or an absolute path).
        hash_algorithm: `"auto"`, `"sha256"` or `"md5"`.
        extract: Whether to extract the file as an archive (tar or zip).
        archive_format: `"auto"`, `"tar"`, `"zip"` or `None`.
        cache_dir: Cache root (default `$KERAS_HOME` or `~/.keras`).
        force_download: Download even when the file is in the cache.

    Returns:
        The path of the downloaded file, or of the extraction folder when extracting.
    """
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download).')
    if cache_dir is None:
        cache_dir = keras_home()
    if md5_hash is not None and file_hash is None:
        file_hash = md5_hash
        hash_algorithm = "md5"
    base = os.path.expanduser(_path_to_string(cache_dir))
    try:
        os.makedirs(base, exist_ok=True)
    except OSError:
        pass
    if not os.access(base, os.W_OK):
        base = os.path.join("/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir(), ".keras")
    datadir = os.path.join(base, cache_subdir)
    os.makedirs(datadir, exist_ok=True)

    given = fname
    fname = _path_to_string(fname)
    if not fname:
        fname = os.path.basename(urllib.parse.urlsplit(origin).path)
        if not fname:
            raise ValueError(
                f"Can't parse the file name from the origin provided: '{origin}'. "
                "Please specify the `fname` argument."
            )
    elif os.sep in fname:
        raise ValueError(
            "Paths are no longer accepted as the `fname` argument. To specify the "
            f"file's parent directory, use the `cache_dir` argument. "
            f"Received: fname={fname}"
        )

    if extract or untar:
        if given and "." in fname:
            target = os.path.join(datadir, fname)
            extraction_dir = os.path.join(datadir, f"{fname[: fname.find('.')]}_extracted")
        else:
            extraction_dir = os.path.join(datadir, fname)
            target = os.path.join(datadir, f"{fname}_archive")
    else:
        target = os.path.join(datadir, fname)

    if force_download or not os.path.exists(target):
        download = True
    else:
        download = False
        if file_hash is not None and not validate_file(target, file_hash, hash_algorithm):
            print(
                f"A local file was found, but it seems to be incomplete or outdated because "
                f"the {hash_algorithm} file hash does not match the original value of "
                f"{file_hash} so we will re-download the data."
            )
            download = True

    if download:
        print(f"Downloading data from {origin}")
        _download(origin, target)
        if file_hash is not None and not validate_file(target, file_hash, hash_algorithm):
            raise ValueError(
                f"Incomplete or corrupted file detected. The {hash_algorithm} file "
                f"hash does not match the provided value of {file_hash}."
            )

    if extract or untar:
        if untar:
            archive_format = "tar"
        if not extract_archive(target, extraction_dir, archive_format):
            warnings.warn("Could not extract archive.", stacklevel=2)
        return extraction_dir
    return target
