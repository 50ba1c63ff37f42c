"""`python -m storyline.cli`: the same as the `storyline` command."""

from storyline.cli import main

raise SystemExit(main())
