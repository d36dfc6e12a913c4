"""What the actions call to run a conversation: reading typed form answers,
deciding each turn of the enquiry form, and the conversation's context."""
