"""The printed brief: one executive's profile, the playbook's data, one HTML page, one PDF.

`profile` reads and validates a profile file, `content` picks what the brief holds from data,
`html` renders it with the Jinja2 template, `pdf` prints HTML with Chromium, `cli` and
`print_cli` are the `playbook brief` and `playbook print` commands.
"""
