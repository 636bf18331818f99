"""Evaluation: the engines scored against hand-made gold (`run`), by the rules in `scoring`."""
