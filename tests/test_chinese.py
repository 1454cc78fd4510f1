"""中文 for the article's readers: every notebook opens with a Chinese summary, and notebook 00's
bilingual glossary and article map stay complete and in use."""
import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))
HEAD = "**中文摘要 · Summary in Chinese.**"
CJK = re.compile(r"[\u4e00-\u9fff]")


def summary(path):
    """The Chinese summary: the markdown cell right after the title."""
    cell = nbformat.read(path, as_version=4).cells[1]
    return cell.source[len(HEAD):] if cell.cell_type == "markdown" and cell.source.startswith(HEAD) else ""


def table_rows(heading):
    """The rows of the first markdown table under ``heading`` in notebook 00, as lists of cells."""
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    (cell,) = [c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith(heading)]
    lines = [line for line in cell.source.splitlines() if line.startswith("|")][2:]
    return [[part.strip() for part in line.strip("|").split("|")] for line in lines]


def glossary_problems(rows, summaries):
    """Glossary terms (each side of a ' / ') that no notebook's summary uses, and rows lacking a part."""
    problems = [f"incomplete row {row}" for row in rows if len(row) != 3 or not all(row) or not CJK.search(row[0])]
    text = "\n".join(summaries)
    problems += [f"{term} is in no notebook's summary" for row in rows for term in row[0].split(" / ") if term not in text]
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_opens_with_a_chinese_summary(path):
    text = summary(path)
    assert len(CJK.findall(text)) >= 60, f"{path.name}: the second cell must be the Chinese summary, starting {HEAD!r}"


def test_the_glossary_is_complete_and_every_term_is_used():
    rows = table_rows("## 术语表")
    assert len(rows) >= 20
    assert glossary_problems(rows, [summary(p) for p in NOTEBOOKS]) == []
    assert glossary_problems([["梯度消失 / 不存在的词", "x", "07"]], [summary(p) for p in NOTEBOOKS]) == ["不存在的词 is in no notebook's summary"]


def test_every_section_of_the_article_points_to_notebooks_that_exist():
    numbers = {p.name[:2] for p in NOTEBOOKS}
    rows = table_rows("## From the article to the notebooks")
    assert len(rows) >= 10
    for zh, en, where in rows:
        assert CJK.search(zh) and en
        cited = set(re.findall(r"\d\d", where))
        assert cited and cited <= numbers, (en, cited - numbers)
