"""The annual report: statistics for a period from the catalog
(`statistics`), figures (`figures`), and the numbers in the report's own
Danish forms (`wording`). No Pyramid here."""
