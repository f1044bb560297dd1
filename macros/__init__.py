"""mkdocs-macros entry point: registers the playbook's macros. All logic is in `playbook.macros`."""

from playbook.macros import register


def define_env(env):
    register(env)
