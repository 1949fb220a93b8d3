"""pyqtgraph graphics items: arrows (quiver), heat maps, the field scale, native painting."""
