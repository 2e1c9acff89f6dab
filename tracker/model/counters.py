"""Gap-free number series (N/YYYY).

A counter is deliberately *not* conflict-resolving: two transactions that
draw a number at the same time conflict, one is retried, and because the
number is drawn in the same transaction as the object that uses it, an
aborted transaction gives its number back. That is what makes the series
free of gaps and duplicates.
"""

from persistent import Persistent


class Counter(Persistent):
    def __init__(self, last=0):
        self.last = last

    def next(self):
        self.last += 1
        return self.last
