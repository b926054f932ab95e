"""The report's chart: per-topic mean score now vs earlier sessions."""

from __future__ import annotations

import plotly.graph_objects as go

from app.interview.progress import TopicProgress
from app.interview.topics import topic_title


def progress_chart(progress: list[TopicProgress]) -> go.Figure | None:
    """Grouped bars per topic of this session; None when nothing was graded."""
    rows = [p for p in progress if p.now is not None]
    if not rows:
        return None
    titles = [topic_title(p.topic) for p in rows]
    figure = go.Figure(
        [
            go.Bar(name="Раньше", x=titles, y=[p.before for p in rows], marker_color="#9aa5b1"),
            go.Bar(name="Сейчас", x=titles, y=[p.now for p in rows], marker_color="#2f6fde"),
        ]
    )
    figure.update_layout(
        title="Средняя оценка по темам: сейчас и в прошлых интервью",
        barmode="group",
        yaxis={"range": [0, 10], "title": "оценка из 10"},
        height=360,
        margin={"l": 40, "r": 10, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.2},
    )
    return figure
