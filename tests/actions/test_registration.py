"""The action server registers every action of the package, and nothing abstract."""

from rasa_sdk.executor import ActionExecutor


def test_action_server_registers_all_actions(domain):
    executor = ActionExecutor()
    executor.register_package("actions")  # fails like the server would on an unnamed action
    registered = set(executor.actions)
    custom = {name for name in domain["actions"]}
    assert custom <= registered
