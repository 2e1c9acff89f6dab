"""GDPR rectification requests: pure domain rules (deadlines, extensions),
kept free of Pyramid and ZODB so they can be tested and reused on their own."""
