"""An imported library in the app: open an article of the Ray Charles ZIM and follow a link."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SHARED

from termpedia.content.importers import converter
from termpedia.content.importers.store import import_library
from termpedia.content.library import default_shelves
from termpedia.content.paths import index_dir
from termpedia.index.build import update
from termpedia.index.search import Index
from termpedia.tui.app import TermpediaApp
from termpedia.tui.widgets.reading_pane import ReadingPane

ZIM = SHARED / "corpora" / "ray-charles.zim"


@pytest.mark.skipif(not ZIM.exists(), reason=f"{ZIM} is not beside this checkout")
async def test_an_imported_article_opens_and_its_link_leads_to_another_imported_article(
    isolated_dirs: Path,
) -> None:
    import_library(converter("zim"), ZIM)
    update(index_dir(), default_shelves())
    index = Index(index_dir())
    app = TermpediaApp(index, "Ray Charles")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.article is not None and screen.article.title == "Ray Charles"
        assert screen.library == "ray-charles"
        assert "[ray-charles]" in screen.title, "the header says which library"
        pane = screen.query_one(ReadingPane)
        for _ in range(40):
            await pilot.press("tab")
            link = pane.current_link
            if link is not None and link.target and not pane.is_dangling(link):
                break
        else:
            pytest.fail("no followable link among the first 40")
        expected = index.catalog.resolve(link.address).entry
        assert expected is not None and expected.library == "ray-charles"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.article.title == expected.title
        assert screen.article.title != "Ray Charles"
