"""A generated corpus of typed enquiry conversations and the player that types them (issue 12, item 7).

``generator`` makes the conversations from a fixed seed, each with the lead it
must end in; ``player`` types one of them into the REST channel and reacts to
what the bot asks; ``verdict`` compares what happened with what was expected;
``contract_bot`` is a stand-in for the form, used to test the player without
servers.
"""
