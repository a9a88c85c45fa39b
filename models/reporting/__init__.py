"""Reporting and communication: the pure rules behind the Sachstandsbericht, the newsletter
and the public Projektatlas (aggregations, periods, what is public, document contexts)."""
