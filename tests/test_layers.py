"""Imports run down the layers, never back up (issue 19; docs/ARCHITECTURE.md draws them).

From top to bottom: the CLI, web app, feeds and scheduler; the drivers of ``protestwire/``;
``crawlers/``; ``pipeline/``; ``storage/``; then ``vocabulary/`` and ``sources/``, which import
nothing of ours. Inside ``pipeline/`` the stages (``extract/``, ``judge/``, ``dedup/``) take plain
values: they import the stage-wide ``pipeline.types`` and ``pipeline.textlines``, the vocabulary and
the stages before them on the data path, and never the crawlers, the store, the registry or the CLI.
Lazy imports inside functions count the same as those at the top of a module."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("protestwire", "crawlers", "pipeline", "storage", "vocabulary", "sources")
TOP = {"protestwire.cli", "protestwire.__main__", "web", "feeds", "scheduler"}
LAYERS = {"protestwire": 4, "crawlers": 3, "pipeline": 2, "storage": 1, "vocabulary": 0, "sources": 0}
# The stages in data-path order: one may import those before it, not those after.
STAGES = ("pipeline.extract", "pipeline.judge", "pipeline.dedup")
STAGE_WIDE = {"pipeline.types", "pipeline.textlines"}
# Frameworks of the layers above: a stage that needs one of these is a driver or an adapter.
NOT_IN_STAGES = {"scrapy", "twisted", "sqlalchemy", "alembic", "click", "starlette", "apscheduler"}


def layer(module: str) -> int | None:
    if any(module == top or module.startswith(top + ".") for top in TOP):
        return 5
    return LAYERS.get(module.split(".")[0])


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            # "from pipeline import store" imports the module pipeline.store.
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, set[str]]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            found[module_name(path)] = imports(path)
    return found


def under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def stage_of(module: str) -> int | None:
    return next((i for i, stage in enumerate(STAGES) if under(module, stage)), None)


def above(imported: str, importer: str) -> bool:
    theirs, own = layer(imported), layer(importer)
    return theirs is not None and own is not None and theirs > own


def test_no_module_imports_a_layer_above_it() -> None:
    upward = sorted((importer, imported) for importer, names in modules().items() for imported in names
                    if above(imported, importer))
    assert not upward, f"imports that run back up the layers: {upward}"


@pytest.mark.parametrize("package", ["vocabulary", "sources"])
def test_the_bottom_packages_import_nothing_of_ours(package: str) -> None:
    ours = sorted(
        (importer, imported) for importer, names in modules().items() if under(importer, package)
        for imported in names if layer(imported) is not None and not under(imported, package)
    )
    assert not ours, f"{package}/ is the bottom layer, yet imports: {ours}"


def test_storage_imports_nothing_from_pipeline() -> None:
    found = sorted((m, i) for m, names in modules().items() if under(m, "storage") for i in names
                   if under(i, "pipeline"))
    assert not found, found


def stage_problems(importer: str, imported: str) -> str | None:
    top = imported.split(".")[0]
    if top in NOT_IN_STAGES:
        return "a framework of the layers above"
    if layer(imported) is None or top == "vocabulary":
        return None
    if top != "pipeline":
        return "a layer the stages never import (crawlers, storage, the registry, the CLI)"
    if imported in STAGE_WIDE or any(under(imported, wide) for wide in STAGE_WIDE):
        return None
    own, theirs = stage_of(importer), stage_of(imported)
    if theirs is None:
        return "pipeline's top (process_page, the store): the stages sit below it"
    if own is not None and theirs > own:
        return "a later stage on the data path"
    return None


def test_the_stages_take_plain_values_and_import_no_driver_store_or_crawler() -> None:
    found = sorted(
        (importer, imported, problem) for importer, names in modules().items() if stage_of(importer) is not None
        for imported in names if (problem := stage_problems(importer, imported))
    )
    assert not found, f"stage imports that break the layers: {found}"


def test_the_rules_see_what_they_should() -> None:
    """The checks above are not vacuous: they see the stages, and they would catch the old imports."""
    names = modules()
    assert {stage for stage in STAGES if any(under(m, stage) for m in names)} == set(STAGES)
    assert stage_problems("pipeline.judge.geotag", "sources") is not None
    assert stage_problems("pipeline.extract.page", "pipeline.judge.classify") is not None
    assert stage_problems("pipeline.dedup.stories", "pipeline.store") is not None
    assert stage_problems("pipeline.dedup.stories", "sqlalchemy.orm") is not None
    assert stage_problems("pipeline.judge.events", "pipeline.extract.language") is None
    assert layer("crawlers.sources") == 3 and layer("sources") == 0 and layer("scheduler") == 5


def test_the_registry_and_the_stages_load_without_scrapy() -> None:
    """What the issue asks of sources/ (readable without Scrapy) and of every stage (callable
    outside a crawl), checked in a fresh interpreter."""
    code = (
        "import sys\n"
        "import sources, sources.registry, vocabulary.places, storage.search\n"
        "import pipeline, pipeline.extract.page, pipeline.judge.assess, pipeline.dedup.fingerprint\n"
        "assert sources.load_sources() and sources.registry.registry_sources()\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in {'scrapy', 'twisted', 'crawlers'})\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
