from __future__ import annotations

import pytest

from storyline.evaluate.copysets import default_data_dir

DATA = default_data_dir()


@pytest.fixture(scope="session")
def seeds() -> list[str]:
    folder = DATA / "seeds"
    if not folder.is_dir():
        pytest.skip(f"seed articles not found at {folder}")
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]


@pytest.fixture(scope="session")
def article() -> str:
    paragraphs = [
        "The central bank raised its main interest rate by a quarter point on Thursday, the third increase "
        "this year, saying inflation remained stubbornly above its target despite slowing growth.",
        "Governor Maria Lopez told reporters that the committee had voted seven to two for the move and "
        "that further tightening could not be ruled out if price pressures persisted into the spring.",
        "Markets had largely expected the decision. The currency strengthened slightly against the dollar "
        "while government bond yields edged higher in early afternoon trading in the capital.",
        "Economists said the bank was trying to balance the risk of a recession against the damage that "
        "persistent inflation does to household budgets, particularly for food and energy bills.",
        "The next policy meeting is scheduled for six weeks from now, when new staff forecasts for growth "
        "and inflation will be published alongside the decision and the minutes of the vote.",
    ]
    return "Central bank raises rates again\n\n" + "\n\n".join(paragraphs)
