"""Live handoff to admissions staff (issue 16).

A visitor who asks for a person is handed to a member of staff when the
office is open and someone is marked available; Rasa is paused for that
conversation until staff hand it back. The state lives in the application
database, the conversation itself (visitor messages and staff replies) in
Rasa's tracker, so every gateway and every Rasa server sees the same thing.
"""
