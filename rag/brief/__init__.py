"""Brief: briefings over one or many documents (targets, results, slogans, a summary)."""
