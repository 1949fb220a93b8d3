"""The panel widgets: linked square score panels, the compare panels, the training curves."""
