from __future__ import annotations

import storyline.copies as copies


def test_public_names_exist() -> None:
    for name in copies.__all__:
        assert hasattr(copies, name)
