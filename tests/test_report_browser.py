"""report.html in a real browser: headless Chromium opens the file (nothing else: the page
needs no network), its screenshot shows the storyboard, and printing it gives A4 pages,
none blank, with the report's headings in order. Chromium (Debian's ``chromium``) and
poppler's ``pdftotext`` are needed: without them these tests skip, except in CI
(``CI=true``), where that is a failure (see .ci/run)."""

from __future__ import annotations

import re
import subprocess

import numpy as np
import pytest

from replay_viewer.export import ReportExport
from replay_viewer.story import story_moments

from .conftest import REPO, load_incident
from .live_servers import need_binary
from .report_fakes import GREEN, MAGENTA, STORYBOARD_SIZE, FakeImages

pytestmark = pytest.mark.browser

STAMPEDE = REPO / "incidents" / "cache-stampede.yaml"
A4_PT = (595.28, 841.89)  # 210 × 297 mm
HEADINGS = ("Summary", "Storyboard", "Metrics", "Timeline", "Actions", "Learnings", "Outcomes")


@pytest.fixture(scope="module")
def report_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    incident = load_incident(STAMPEDE)
    ReportExport(incident, story_moments(incident), folder).write(FakeImages())
    return folder


def chromium(tmp_path, *args: str) -> None:
    binary = need_binary("chromium", "chromium")
    command = [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", *args]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]


def colour_mask(pixels: np.ndarray, colour, tolerance: int = 6) -> np.ndarray:
    return np.all(np.abs(pixels[..., :3].astype(int) - colour) <= tolerance, axis=-1)


def test_the_screenshot_shows_the_storyboard(report_folder, tmp_path):
    from PIL import Image

    shot = tmp_path / "report.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2000",
             (report_folder / "report.html").as_uri())  # fmt: skip
    with Image.open(shot) as image:
        pixels = np.asarray(image.convert("RGB"))
    assert pixels.shape[:2] == (2000, 1280)
    magenta, green = colour_mask(pixels, MAGENTA), colour_mask(pixels, GREEN)
    assert magenta.sum() > 10_000 and green.sum() > 10_000, "the storyboard is not on screen"
    rows, columns = np.nonzero(magenta | green)
    top, bottom, left, right = rows.min(), rows.max() + 1, columns.min(), columns.max() + 1
    width, height = right - left, bottom - top
    # Shown whole, at the page's width (not its 1200 pixels: the page is narrower), with
    # its proportions, under the title block, and its checker the right way round.
    assert 700 <= width <= 1000 and abs(width / height - 2.0) < 0.02, (width, height)
    assert top > 300 and bottom < 2000 and abs((left + right) / 2 - 640) < 4
    quarter_h, quarter_w = height // 4, width // 4
    assert magenta[top + quarter_h, left + quarter_w] and green[top + quarter_h, right - quarter_w]
    assert green[bottom - quarter_h, left + quarter_w]
    assert STORYBOARD_SIZE[0] > width, "scaled to fit"


def pdf_pages(data: bytes) -> list[tuple[float, float]]:
    """Each page's MediaBox size in points (Chromium's PDFs keep page objects plain)."""
    boxes = []
    for match in re.finditer(rb"/Type\s*/Page\b(?!s)", data):
        # The page dictionary around the match: from its "<<" to the matching ">>" region.
        start = data.rfind(b"obj", 0, match.start())
        end = data.find(b"endobj", match.end())
        box = re.search(rb"/MediaBox\s*\[\s*([\d.\s-]+)\]", data[start:end])
        assert box is not None, "a page without its own MediaBox"
        x0, y0, x1, y1 = map(float, box.group(1).split())
        boxes.append((x1 - x0, y1 - y0))
    return boxes


def test_printing_gives_clean_a4_pages(report_folder, tmp_path):
    pdf = tmp_path / "report.pdf"
    chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
             (report_folder / "report.html").as_uri())  # fmt: skip
    pages = pdf_pages(pdf.read_bytes())
    assert 3 <= len(pages) <= 5, f"{len(pages)} pages"
    for width, height in pages:
        assert abs(width - A4_PT[0]) < 1 and abs(height - A4_PT[1]) < 1, (width, height)
    pdftotext = need_binary("pdftotext", "poppler-utils")
    texts = []
    for number in range(1, len(pages) + 1):
        page = ["-f", str(number), "-l", str(number)]
        result = subprocess.run([pdftotext, *page, "-layout", str(pdf), "-"],
                                capture_output=True, text=True, check=True)  # fmt: skip
        texts.append(result.stdout)
        folio = re.compile(rf"\b{number}\s*/\s*{len(pages)}\s*$", re.M)
        assert folio.search(result.stdout), "the page number in the margin"
        body = folio.sub("", result.stdout).strip()
        assert len(body) > 200, f"page {number} is (nearly) blank: {body!r}"
    assert "Cache Stampede During Deploy" in texts[0] and "Storyboard" in texts[0]
    whole = "\n".join(texts)
    found = [whole.find(f"\n{heading}\n") for heading in HEADINGS]
    assert -1 not in found and found == sorted(found), dict(zip(HEADINGS, found, strict=True))
    assert "Generated by replay-viewer" in texts[-1]
