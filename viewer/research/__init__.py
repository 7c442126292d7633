"""The researcher's layer as data: annotation anchoring and the standard exchange formats (pure Python)."""  # noqa: E501
