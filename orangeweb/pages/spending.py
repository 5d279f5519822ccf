"""Spending: credits per day, member, key, kind and dubbing project, as OrangeClone reported
them, with estimates of unreported work shown apart and explained."""

from __future__ import annotations

import reflex as rx

from orangeweb.components.blocks import empty_state
from orangeweb.pages.registry import NavEntry, private_page
from orangeweb.states.spending import SpendingState

REPORTED_COLOR = "var(--orange-9)"
ESTIMATED_COLOR = "var(--gray-8)"


def _figure(label: str, value: rx.Var[str], test_id: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(label, size="1", color=rx.color("gray", 10)),
            rx.text(value, size="4", weight="bold", data_testid=test_id),
            spacing="1",
        ),
        flex="1",
        min_width="150px",
    )


def _series() -> list[rx.Component]:
    return [
        rx.recharts.bar(
            data_key="reported", name="Charged (reported)", stack_id="credits", fill=REPORTED_COLOR
        ),
        rx.recharts.bar(
            data_key="estimated",
            name="Estimated (not reported)",
            stack_id="credits",
            fill=ESTIMATED_COLOR,
        ),
        rx.recharts.graphing_tooltip(),
        rx.recharts.legend(),
    ]


def _per_day() -> rx.Component:
    return rx.card(
        rx.heading("Credits per day (last 30 days, UTC)", size="3", as_="h2"),
        rx.recharts.bar_chart(
            *_series(),
            rx.recharts.x_axis(data_key="label", interval="preserveStartEnd"),
            rx.recharts.y_axis(allow_decimals=False, width=40),
            data=SpendingState.by_day,
            width="100%",
            height=260,
        ),
        width="100%",
        data_testid="spend-per-day",
    )


def _ranked(title: str, data: rx.Var, test_id: str) -> rx.Component:
    """Horizontal bars, largest first, one per member / key / kind / project."""
    return rx.card(
        rx.heading(title, size="3", as_="h2"),
        rx.cond(
            data.length() > 0,  # type: ignore[attr-defined]
            rx.recharts.bar_chart(
                *_series(),
                rx.recharts.x_axis(type_="number", allow_decimals=False),
                rx.recharts.y_axis(data_key="label", type_="category", width=150),
                data=data,
                layout="vertical",
                width="100%",
                height=rx.Var.create(80) + data.length() * 36,  # type: ignore[attr-defined]
            ),
            rx.text("Nothing yet.", size="2", color=rx.color("gray", 10)),
        ),
        width="100%",
        data_testid=test_id,
    )


def _why_estimates() -> rx.Component:
    return rx.cond(
        SpendingState.reasons.length() > 0,
        rx.callout(
            rx.vstack(
                rx.text("Why some credits are estimates", weight="medium"),
                rx.foreach(SpendingState.reasons, lambda reason: rx.text("• ", reason)),
                spacing="1",
            ),
            icon="info",
            color_scheme="gray",
            data_testid="spend-reasons",
        ),
    )


def _report() -> rx.Component:
    return rx.vstack(
        rx.text(
            "OrangeClone's API reports no balance, so these are the credits spent since ",
            SpendingState.since,
            ", the team's first paid job. Your balance is on your OrangeClone account.",
            size="2",
            color=rx.color("gray", 11),
            data_testid="spend-since",
        ),
        rx.flex(
            _figure("Charged, as reported", SpendingState.reported, "spend-reported"),
            _figure("Estimated, not reported", SpendingState.estimated, "spend-estimated"),
            _figure("Last 7 days", SpendingState.last_7_days, "spend-7-days"),
            _figure("Last 30 days", SpendingState.last_30_days, "spend-30-days"),
            spacing="3",
            wrap="wrap",
            width="100%",
        ),
        _why_estimates(),
        _per_day(),
        rx.grid(
            _ranked("Per member", SpendingState.by_member, "spend-per-member"),
            _ranked("Per key", SpendingState.by_key, "spend-per-key"),
            _ranked("Per kind", SpendingState.by_kind, "spend-per-kind"),
            _ranked("Per dubbing project", SpendingState.by_project, "spend-per-project"),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


@private_page(
    "/spending",
    "Spending",
    on_load=SpendingState.load,
    nav=NavEntry("chart-column", order=75),
    live=SpendingState,
)
def spending_page() -> rx.Component:
    return rx.cond(
        SpendingState.loaded,
        rx.cond(
            SpendingState.has_spend,
            _report(),
            empty_state(
                "chart-column",
                "No credits spent yet",
                "Voice a line, tell a story or dub a video: what OrangeClone charges for each "
                "finished job shows here, per day, member, key, kind and project.",
                rx.link(rx.button("Go to the Voice studio"), href="/voice"),
            ),
        ),
    )
