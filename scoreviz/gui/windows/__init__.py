"""The windows: the main window, the compare window, talk mode and their shared live-window base."""
