"""The teacher's guide (teacher/) is complete: a page per notebook with its six parts, and a one-page formula sheet.

Fast: reads Markdown and the notebooks' JSON, runs no kernel.
"""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEACHER = ROOT / "teacher"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SECTIONS = {
    "objectives": "## Learning objectives",
    "plan": "## 90-minute class plan",
    "misconceptions": "## Misconceptions to watch for",
    "prompts": "## Discussion prompts",
    "things to try": '## Answers to "Things to try"',
    "quiz": "## Quiz",
}
SHEET_LINES = 55
"""The formula sheet prints on one page: at most this many lines ..."""
SHEET_WIDTH = 125
"""... of at most this many characters (a longer line wraps, and the page overflows)."""
SHEET_TERMS = ("σ′", "tanh′", "ReLU′", "BP1", "BP2", "BP3", "BP4", "dx = dz Wᵀ", "dW = xᵀ dz", "(p − onehot)/N",
               "max(z, 0) − t z + log(1 + exp(−|z|))", "Batch norm", "Momentum", "RMSProp", "1 − β₁ᵗ", "Xavier", "He",
               "min(1, c/‖g‖)", "diag(1 − hₜ²) W_hhᵀ", "∂cₜ/∂cₜ₋₁ = diag(fₜ)")


def things_to_try(notebook):
    """How many paragraphs of the notebook's markdown say "Things to try"."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    paragraphs = [p for c in cells if c["cell_type"] == "markdown" for p in re.split(r"\n\s*\n", "".join(c["source"]))]
    return sum("Things to try" in p for p in paragraphs)


def sections(text):
    """The page's level-2 sections: {heading line: body}."""
    parts = re.split(r"^(## .*)$", text, flags=re.MULTILINE)
    return {heading.strip(): body for heading, body in zip(parts[1::2], parts[2::2])}


def plan_minutes(body):
    """The minutes of the plan's table rows (first column a whole number)."""
    return [int(m) for m in re.findall(r"^\|\s*(\d+)\s*\|", body, flags=re.MULTILINE)]


def page_problems(text, n_things_to_try):
    """What a teacher's page lacks, as readable lines (empty when complete)."""
    found = sections(text)
    problems = [f"no section {heading!r}" for heading in SECTIONS.values() if heading not in found]
    if problems:
        return problems
    body = {name: found[heading] for name, heading in SECTIONS.items()}
    if len(re.findall(r"^- \[ \] \S", body["objectives"], flags=re.MULTILINE)) < 3:
        problems.append("learning objectives: fewer than 3 checklist items '- [ ] …'")
    minutes = plan_minutes(body["plan"])
    if len(minutes) < 3 or sum(minutes) != 90:
        problems.append(f"class plan: timed blocks {minutes} sum to {sum(minutes)}, not 90")
    if "homework" not in body["plan"].lower():
        problems.append("class plan: does not say what to cut or assign as homework")
    if len(re.findall(r"^- \S", body["misconceptions"], flags=re.MULTILINE)) < 3:
        problems.append("misconceptions: fewer than 3 items")
    if len(re.findall(r"^\d+\. \S", body["prompts"], flags=re.MULTILINE)) < 2:
        problems.append("discussion prompts: fewer than 2 numbered prompts")
    answers = len(re.findall(r"^### Things to try \d+", body["things to try"], flags=re.MULTILINE))
    if answers != n_things_to_try:
        problems.append(f"things to try: {answers} answers for the notebook's {n_things_to_try} 'Things to try' paragraphs")
    if n_things_to_try == 0 and len(body["things to try"].split()) < 10:
        problems.append("things to try: the section is empty (say the notebook has none, and answer its explorer prompts)")
    questions = re.findall(r"^\*\*Q(\d)\.\*\* \S", body["quiz"], flags=re.MULTILINE)
    blocks = re.split(r"^\*\*Q\d\.\*\*", body["quiz"], flags=re.MULTILINE)[1:]
    if questions != ["1", "2", "3", "4", "5"]:
        problems.append(f"quiz: questions {questions}, expected exactly Q1 … Q5")
    if any(not re.search(r"^\*\*Answer\.\*\* \S", block, flags=re.MULTILINE) for block in blocks):
        problems.append("quiz: a question without an '**Answer.** …'")
    return problems


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_notebook_has_a_complete_teacher_page(notebook):
    page = TEACHER / f"{notebook.stem}.md"
    assert page.exists(), f"no teacher's page {page.relative_to(ROOT)} for {notebook.name}"
    assert page_problems(page.read_text(encoding="utf-8"), things_to_try(notebook)) == []


def test_the_teacher_readme_indexes_every_page():
    index = (TEACHER / "README.md").read_text(encoding="utf-8")
    for page in sorted(TEACHER.glob("[0-9][0-9]_*.md")):
        assert f"]({page.name})" in index, f"teacher/README.md does not link {page.name}"
    for command in ("python3 course.py lab", "python3 course.py solutions", "python3 course.py classroom COURSE_DIR"):
        assert command in index
    assert "](formula_sheet.md)" in index


def test_the_formula_sheet_fits_one_printed_page():
    lines = (TEACHER / "formula_sheet.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= SHEET_LINES, f"{len(lines)} lines: more than one printed page"
    too_wide = [line[:40] for line in lines if len(line) > SHEET_WIDTH]
    assert not too_wide, f"lines longer than {SHEET_WIDTH} characters wrap: {too_wide}"
    text = "\n".join(lines)
    assert [term for term in SHEET_TERMS if term not in text] == []


def test_the_readme_links_the_teachers_guide():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"^#+ For teachers", readme, flags=re.MULTILINE), "README.md has no 'For teachers' heading"
    after = readme[re.search(r"^#+ For teachers", readme, flags=re.MULTILINE).end():]
    assert "(teacher/README.md)" in after.split("\n## ")[0]


# --- the check can fail: negative controls ---------------------------------------------------

COMPLETE = (TEACHER / "01_one_neuron.md").read_text(encoding="utf-8")


def test_a_complete_page_passes():
    assert page_problems(COMPLETE, 1) == []


@pytest.mark.parametrize("name", list(SECTIONS))
def test_a_page_missing_a_section_fails(name):
    heading = SECTIONS[name]
    broken = COMPLETE.replace(heading, "## Something else")
    assert page_problems(broken, 1) == [f"no section {heading!r}"]


def test_a_plan_that_does_not_sum_to_90_fails():
    broken = COMPLETE.replace("| 5 | Exit ticket", "| 10 | Exit ticket")
    assert page_problems(broken, 1) == ["class plan: timed blocks [10, 15, 10, 15, 15, 10, 10, 10] sum to 95, not 90"]


def test_a_missing_answer_to_things_to_try_fails():
    assert page_problems(COMPLETE, 2) == ["things to try: 1 answers for the notebook's 2 'Things to try' paragraphs"]


def test_a_quiz_of_four_questions_or_an_unanswered_question_fails():
    four = re.sub(r"\*\*Q5\.\*\*.*", "", COMPLETE, flags=re.DOTALL)
    assert page_problems(four, 1) == ["quiz: questions ['1', '2', '3', '4'], expected exactly Q1 … Q5"]
    unanswered = COMPLETE.replace("**Answer.** False. It points", "False. It points")
    assert page_problems(unanswered, 1) == ["quiz: a question without an '**Answer.** …'"]


def test_things_to_try_are_counted_per_paragraph():
    assert things_to_try(ROOT / "notebooks" / "03_activations_losses.ipynb") == 2
    assert things_to_try(ROOT / "notebooks" / "02_chain_rule_graphs.ipynb") == 0
