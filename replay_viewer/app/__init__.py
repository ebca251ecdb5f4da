"""The desktop app: state, GUI functions, the keymap and the window.

``cli.cmd_open`` creates :class:`~replay_viewer.app.window.ViewerApp`; nothing here
imports upward.
"""
