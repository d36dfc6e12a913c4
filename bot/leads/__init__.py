"""Enquiry leads: the tables, what a submission must pass (``submission``), one query object
(``lead_query``), the reads (``queries``) and writes (``repository``), erasure, the one
serializer and the export files. Below ``bot.staff`` and above ``bot.storage``: a new lead is
announced through the ``events`` port that the staff package implements."""
