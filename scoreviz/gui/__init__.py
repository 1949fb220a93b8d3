"""The desktop app: the only package that imports PySide6 or pyqtgraph.

Entry points (called by ``scoreviz.cli``): :func:`scoreviz.gui.app.main`,
:func:`scoreviz.gui.bench.main` and :func:`scoreviz.gui.offscreen.snapshot_render.main`.
"""
