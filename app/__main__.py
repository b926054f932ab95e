"""`python -m app` is the `feedbackfirst` command."""

from app.cli import main

main()
