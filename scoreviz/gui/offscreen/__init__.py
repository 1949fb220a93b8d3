"""Offscreen renderers: `scoreviz snapshot`, `scoreviz animate` and exported figures."""
