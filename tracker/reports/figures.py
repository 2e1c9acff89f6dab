"""The report's figures 1-5, drawn with matplotlib: grey bars with hatches
(readable in black-and-white print), Danish labels, the number on each bar.
PNG bytes, the same bytes for the same numbers (no timestamps)."""

from io import BytesIO

import matplotlib

from .wording import FIGURE_TITLES as TITLES

matplotlib.use('Agg')  # no display: figures are files
import matplotlib.pyplot as plt  # noqa: E402

HATCHES = ['', '//', '..', 'xx', '\\\\', '--', '++']
GREYS = ['#4d4d4d', '#8c8c8c', '#bfbfbf', '#e0e0e0', '#6f6f6f', '#a6a6a6', '#d0d0d0']


def _bars(title, labels, values, *, percent=False, horizontal=False, ylabel=''):
    fig, ax = plt.subplots(
        figsize=(7.5, 3.6 if not horizontal else 0.5 + 0.45 * len(labels)), dpi=110
    )
    positions = range(len(labels))
    colours = [GREYS[i % len(GREYS)] for i in positions]
    hatches = [HATCHES[i % len(HATCHES)] for i in positions]
    draw = ax.barh if horizontal else ax.bar
    bars = draw(list(positions), values, color=colours, edgecolor='black', linewidth=0.6)
    for bar, hatch in zip(bars, hatches, strict=True):
        bar.set_hatch(hatch)
    texts = [f'{v} %' if percent else str(v) for v in values]
    ax.bar_label(bars, labels=texts, padding=2, fontsize=9)
    if horizontal:
        ax.set_yticks(list(positions), labels, fontsize=9)
        ax.invert_yaxis()
        ax.set_xlim(0, max(values + [1]) * 1.18)
    else:
        ax.set_xticks(
            list(positions),
            labels,
            fontsize=9,
            rotation=0 if len(labels) < 6 else 20,
            ha='center' if len(labels) < 6 else 'right',
        )
        ax.set_ylim(0, max(values + [1]) * 1.18)
        ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=11, loc='left')
    for side in ('top', 'right'):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    out = BytesIO()
    fig.savefig(out, format='png', metadata={'Software': None})
    plt.close(fig)
    return out.getvalue()


def figures(stats):
    """[(title, png bytes)] for figures 1-5."""
    years = [str(y) for y, _n, _s in stats.history]
    drawn = [
        _bars(TITLES[0], years, [n for _y, n, _s in stats.history], ylabel='Henvendelser'),
        _bars(
            TITLES[1],
            [r.name for r in stats.centres],
            [r.share for r in stats.centres],
            percent=True,
            horizontal=True,
        ),
        _bars(
            TITLES[2], [r.name for r in stats.kinds], [r.share for r in stats.kinds], percent=True
        ),
        _bars(
            TITLES[3],
            [r.name for r in stats.channels],
            [r.count for r in stats.channels],
            ylabel='Henvendelser',
        ),
        _bars(TITLES[4], [r.name for r in stats.help], [r.share for r in stats.help], percent=True),
    ]
    return list(zip(TITLES, drawn, strict=True))
