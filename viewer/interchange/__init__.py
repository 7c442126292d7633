"""The standard formats the research layer is exchanged in: W3C Web Annotation (w3c.py)
and CSL-JSON citations (csl.py). Pure Python, below the services."""
