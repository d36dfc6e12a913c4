"""Everything admissions staff need besides the leads themselves: accounts, sign-in
sessions, login throttling, API tokens, the audit log, personal-data requests,
analytics of unanswered questions and new-lead notifications.

Each module is a small service over the application database (or, for
conversations, Rasa's tracker store) that the console, the leads API and the
command line share; ``back_office.BackOffice`` wires them (with the leads
repository and its notification outbox) once per process.
"""
