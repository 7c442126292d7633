"""Normalised facts from parsed articles: dates, tolls, places, perpetrators, reactions,
dated events and see-also links, each traceable to the raw text it came from.

`viewer.extraction.facts.extract_facts` reads them all. The package itself imports nothing,
so that a module needing one small table of it (the window's field labels in `keys`) does
not load every extractor: that cost the window about a quarter of a second at start.
"""
