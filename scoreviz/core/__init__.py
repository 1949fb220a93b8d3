"""The compute core: torch + numpy only, never Qt.

Used alike by the tests, the command line and the GUI.
"""
