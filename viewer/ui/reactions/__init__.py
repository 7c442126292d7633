"""The reactions pane (pane.py), its two tree models (models.py) and how reactions read
(labels.py)."""
