"""Side effects of reporting and communication: queries, charts, documents, mails, the site."""
