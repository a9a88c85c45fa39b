"""Side effects of the Förder-Radar: importers, the catalogue store, matching runs, digests."""
