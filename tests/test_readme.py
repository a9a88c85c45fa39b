"""The README starts with the two commands, and its tour shows the browser test's pictures."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_starts_with_the_two_commands() -> None:
    first_block = README.split("```")[1]
    assert first_block.split() == ["make", "up", "make", "test"]


def test_every_tour_picture_exists_and_comes_from_the_browser_test() -> None:
    pictures = re.findall(r"!\[[^\]]+\]\((docs/rundgang/[^)]+\.png)\)", README)
    assert len(pictures) >= 8
    written = {
        name
        for test in ("tests/ui/test_browser.py", "tests/ui/test_projektatlas.py")
        for name in re.findall(r'"(\d\d-[a-z-]+\.png)"', (ROOT / test).read_text())
    }
    for picture in pictures:
        assert (ROOT / picture).stat().st_size > 10_000, picture
        assert Path(picture).name in written, f"{picture} wird vom Browser-Test nicht erzeugt"
