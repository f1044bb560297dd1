"""The Executive Buy-in Playbook: data, rendering, link checking and printing for the playbook site.

The MkDocs plugin (`playbook.plugin`), the macros module (`macros/`), the hooks (`hooks/`) and the
`playbook` command all call into this package; none of them holds logic of its own.
"""

__version__ = "0.1.0"
