"""The timeline pane: view.TimelineView (the widget), geometry and layout (where things
are, without Qt), ticks (the date axis), painter (drawing a scene), model (the fetched
items as a Qt model)."""
