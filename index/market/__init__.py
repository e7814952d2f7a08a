"""Stances over time: how the digests' view of every asset moved, from the index's stored impacts.

`rows` turns the store's impacts into `StanceRow`s (one asset of one impact, with its score);
`series` sums them per period (day, ISO week, month) into nets and reads directions, streaks
and flips from the days; `heatmap` lays the nets out as the market screen's grid; `brief`
writes a period as markdown. Pure functions over plain data, tested without an index.
"""
