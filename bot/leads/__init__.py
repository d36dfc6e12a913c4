"""Enquiry leads: models, migrations, the repository, validation and export."""
