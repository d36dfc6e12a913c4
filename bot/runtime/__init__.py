"""Starting the processes: `make run`'s stack, Rasa and the action server with this project's
additions, and the rotation over several upstream servers."""
