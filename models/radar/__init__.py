"""The Förder-Radar: catalogue of funding programmes and calls, change detection, deadline
extraction and matching against the strategy's projects (pure rules, no I/O)."""
