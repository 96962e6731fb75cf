"""Browser tests: a real Chromium through Playwright, kept apart from the rest."""
