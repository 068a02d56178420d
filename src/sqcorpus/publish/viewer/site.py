"""Write the viewer's static site for a release, and serve it on 127.0.0.1.

The site is written into a staging folder beside ``out`` and renamed into place, so a
failure leaves the previous site (or nothing) and never half of one. An existing ``out`` is
only replaced if it is empty or a site written by this module (it holds ``MARKER``).
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ... import paths, schema
from ...errors import SqcorpusError
from ...files import write_atomic
from ...release.citation import citation, render_apa, render_bibtex
from ...release.store import resolve_version
from . import render
from .data import read_release_view
from .model import statistics
from .plots import figures

MARKER = ".sqcorpus-site"
STATIC = ("viewer.css", "viewer.js")


@dataclass(frozen=True, slots=True)
class Site:
    path: Path
    version: str
    documents: int
    sentences: int
    pages: int
    adjudicated_sentences: int


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def check_out(out: Path, releases_dir: Path) -> None:
    """Refuse an output folder that would touch a release or a folder that is not a site."""
    for releases in {releases_dir, paths.build_dir()}:
        if _inside(out, releases):
            raise SqcorpusError(
                "the site cannot be written inside corpus/releases (releases are immutable)",
                file=out,
                field="--out",
            )
    if out.exists() and not out.is_dir():
        raise SqcorpusError("exists and is not a folder", file=out, field="--out")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise SqcorpusError(
            "folder is not empty and was not written by `sqcorpus view`; choose another",
            file=out,
            field="--out",
        )


def _pages(
    version: str, releases_dir: Path, annotations: list[Path] | None, raw_dir: Path | None
) -> tuple[dict[str, str | bytes], Site]:
    """Every file of the site by relative path, and what it holds (``path`` still unset)."""
    view = read_release_view(
        version, releases_dir=releases_dir, annotations=annotations, raw_dir=raw_dir
    )
    documents, items, release_manifest = view.documents, view.adjudication, view.manifest
    exports = view.exports
    doc_of = {s.id for d in documents for s in d.sentences}
    plots = figures(statistics(documents, schema.SPLITS), view.agreement)

    files: dict[str, str | bytes] = {f"plots/{name}": svg for name, svg in plots.items()}
    licences = Counter(s.license for d in documents for s in d.sentences)
    files["index.html"] = render.index_page(
        version,
        release_manifest,
        documents,
        list(plots),
        dict(sorted(licences.items())),
        {doc: len(found) for doc, found in items.items()},
    )
    files["search-data.js"] = render.search_data(documents)
    for doc in documents:
        adjudicated = {i.sid for i in items.get(doc.doc_id, [])}
        files[f"doc/{doc.doc_id}.html"] = render.document_page(doc, version, adjudicated)
        if doc.doc_id in items:
            files[f"adjudication/{doc.doc_id}.html"] = render.adjudication_page(
                doc, items[doc.doc_id]
            )
    source = ", ".join(p.name for p in exports) or "none"
    files["adjudication.html"] = render.adjudication_index(
        documents, items, f"Label Studio exports read: {source}."
    )
    files["datasheet.html"] = _text_file("DATASHEET.md", "Datasheet")
    files["citation.html"] = _citation(version, releases_dir)
    static = resources.files(__package__) / "static"
    for name in STATIC:
        files[name] = (static / name).read_text(encoding="utf-8")
    files[MARKER] = f"sqcorpus view {version}\n"
    summary = Site(
        path=Path(),
        version=version,
        documents=len(documents),
        sentences=len(doc_of),
        pages=sum(1 for name in files if name.endswith(".html")),
        adjudicated_sentences=sum(len(found) for found in items.values()),
    )
    return files, summary


def _text_file(name: str, title: str) -> str:
    path = paths.project_root() / name
    if path.is_file():
        return render.text_page(title, path.read_text(encoding="utf-8"), f"{name} of the checkout")
    return render.text_page(title, f"{name} is not available in this installation.")


def _citation(version: str, releases_dir: Path) -> str:
    try:
        cite = citation(version, releases_dir=releases_dir)
    except SqcorpusError as err:
        return render.text_page("Citation", f"No citation for {version}: {err.reason}")
    return render.text_page(
        "Citation",
        render_bibtex(cite) + "\n" + render_apa(cite),
        f"sqcorpus {version}, BibTeX and APA",
    )


def build_site(
    out: Path,
    version: str | None = None,
    *,
    releases_dir: Path | None = None,
    annotations: list[Path] | None = None,
    raw_dir: Path | None = None,
) -> Site:
    """Write the site of release ``version`` (default: the latest) to ``out``."""
    root = releases_dir or paths.releases_dir()
    resolved = resolve_version(version, root)
    out = Path(out).absolute()
    check_out(out, root)
    files, summary = _pages(resolved, root, annotations, raw_dir)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-staging-", dir=out.parent))
    except OSError as err:
        raise SqcorpusError(f"cannot write here: {err.strerror}", file=out, field="--out") from None
    old = out.with_name(f".{out.name}-old-{staging.name}")
    try:
        for name, content in files.items():
            write_atomic(staging / name, content)
        staging.chmod(0o755)
        if out.exists():  # the previous site steps aside only for the finished new one
            out.rename(old)
        staging.rename(out)
    except OSError as err:
        if old.exists() and not out.exists():
            old.rename(out)
        shutil.rmtree(staging, ignore_errors=True)
        raise SqcorpusError(f"cannot write here: {err.strerror}", file=out, field="--out") from None
    shutil.rmtree(old, ignore_errors=True)
    return dataclasses.replace(summary, path=out)


def make_server(site: Path, port: int = 0) -> Any:
    """An HTTP server of ``site`` bound to 127.0.0.1 (port 0: any free port), not started."""
    import functools
    import http.server

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """No request log: the terminal shows the address only."""

    handler = functools.partial(Quiet, directory=str(site))
    try:
        return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as err:
        raise SqcorpusError(
            f"cannot serve on 127.0.0.1:{port}: {err.strerror}", field="--port"
        ) from None


def serve(site: Path, port: int = 0) -> None:
    """Serve ``site`` on 127.0.0.1 until Ctrl-C."""
    with make_server(site, port) as server:
        print(f"serving {site} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
        server.serve_forever()
