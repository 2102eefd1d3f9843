"""`termpedia serve`: the reader in a web browser, one read-only session a tab.

`server` is the web server (textual-serve's, subclassed); `session` is the process each tab
runs. Nothing is imported here, so that a session does not load the server's modules.
"""
