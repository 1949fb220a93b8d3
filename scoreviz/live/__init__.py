"""The loops the app's threads run, free of Qt: training, evaluation, faults, rasters, the brush.

Everything here is torch + numpy (never PySide6, shiboken6 or pyqtgraph; import-linter checks it),
so it runs and is tested headless."""
