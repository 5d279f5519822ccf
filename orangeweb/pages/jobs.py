"""Jobs: every job of the team, filterable and paginated, updating live; a detail dialog."""

from __future__ import annotations

import reflex as rx

from orangeweb.components.blocks import empty_state
from orangeweb.components.job_status import credits_text, job_output, status_badge
from orangeweb.components.media import download_button
from orangeweb.pages.registry import NavEntry, private_page
from orangeweb.states.jobs import KIND_OPTIONS, STATUS_OPTIONS, JobsState


def _filter(
    options: rx.Var | list[list[str]], value: rx.Var[str], on_change: object, label: str
) -> rx.Component:
    items = (
        [rx.select.item(text, value=key) for key, text in options]
        if isinstance(options, list)
        else [rx.foreach(options, lambda option: rx.select.item(option[1], value=option[0]))]
    )
    return rx.select.root(
        rx.select.trigger(aria_label=label),
        rx.select.content(*items),
        value=value,
        on_change=on_change,
        size="2",
    )


def _filters() -> rx.Component:
    return rx.hstack(
        _filter(KIND_OPTIONS, JobsState.kind, JobsState.set_kind, "Kind"),
        _filter(STATUS_OPTIONS, JobsState.status, JobsState.set_status, "Status"),
        _filter(JobsState.member_options, JobsState.member, JobsState.set_member, "Member"),
        _filter(JobsState.key_options, JobsState.key, JobsState.set_key, "API key"),
        rx.cond(
            JobsState.filtered,
            rx.button("Clear filters", variant="ghost", on_click=JobsState.clear_filters),
        ),
        rx.spacer(),
        rx.text(
            JobsState.total,
            rx.cond(JobsState.total == 1, " job", " jobs"),
            size="2",
            color_scheme="gray",
            data_testid="job-total",
        ),
        wrap="wrap",
        spacing="3",
        align="center",
        width="100%",
    )


def _row(job: rx.Var) -> rx.Component:
    # The columns a phone shows first (the table scrolls sideways for the rest): the job, which
    # opens its detail, its status and its credits.
    return rx.table.row(
        rx.table.row_header_cell(
            rx.button(
                rx.cond(job.title != "", job.title, "#" + job.id),
                variant="ghost",
                size="1",
                on_click=JobsState.open_detail(job.id),
                title="Details",
                data_testid="job-open",
                text_align="left",
                max_width=rx.breakpoints(initial="130px", sm="200px", md="280px"),
                overflow="hidden",
                text_overflow="ellipsis",
                white_space="nowrap",
                display="block",
            )
        ),
        rx.table.cell(status_badge(job.status, job.color)),
        rx.table.cell(
            job.estimate,
            " / ",
            rx.cond(
                job.charged != "",
                job.charged,
                rx.tooltip(
                    rx.text.span(
                        "unknown", color=rx.color("gray", 10), text_decoration="underline dotted"
                    ),
                    content=job.charge_note,
                ),
            ),
            white_space="nowrap",
            data_testid="job-row-credits",
        ),
        rx.table.cell(rx.badge(job.kind_label, variant="outline")),
        rx.table.cell(job.created_by),
        rx.table.cell(job.characters),
        rx.table.cell(job.key_label),
        rx.table.cell(
            rx.text(job.created_short, size="1", white_space="nowrap", title=job.created)
        ),
        rx.table.cell(job.duration),
        data_testid="job-row",
        data_job_id=job.id,
    )


def _table() -> rx.Component:
    headers = ("Job", "Status", "Credits (est. / charged)", "Kind", "By", "Characters", "Key")
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[
                        rx.table.column_header_cell(h, white_space="nowrap")
                        for h in (*headers, "Created (UTC)", "Length")
                    ]
                )
            ),
            rx.table.body(rx.foreach(JobsState.rows, _row)),
            width="100%",
            variant="surface",
            size="1",
        ),
        overflow_x="auto",
        width="100%",
        max_width="100%",
        data_testid="jobs-table",
    )


def _pager() -> rx.Component:
    return rx.hstack(
        rx.button(
            rx.icon("chevron-left", size=14),
            "Newer",
            variant="soft",
            size="1",
            disabled=JobsState.page <= 1,
            on_click=JobsState.go_to_page(JobsState.page - 1),
        ),
        rx.text("Page ", JobsState.page, " of ", JobsState.pages, size="2"),
        rx.button(
            "Older",
            rx.icon("chevron-right", size=14),
            variant="soft",
            size="1",
            disabled=JobsState.page >= JobsState.pages,
            on_click=JobsState.go_to_page(JobsState.page + 1),
        ),
        align="center",
        spacing="3",
    )


def _event(event: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(event.at, size="1", color_scheme="gray", min_width="170px"),
        rx.badge(event.status, color_scheme=event.color, variant="soft"),
        rx.text(event.detail, size="1"),
        align="center",
        data_testid="job-event",
    )


def _detail() -> rx.Component:
    job = JobsState.detail
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(job.kind_label, ": ", job.title),
            rx.dialog.description(
                "By ", job.created_by, " with ", job.key_label, " · ", job.created, size="2"
            ),
            rx.vstack(
                rx.hstack(status_badge(job.status, job.color), credits_text(job), align="center"),
                rx.cond(job.characters != "", rx.text("Characters: ", job.characters, size="2")),
                rx.cond(job.parent_id != "", rx.text("Again of job #", job.parent_id, size="2")),
                rx.cond(
                    job.story_url != "",
                    rx.vstack(
                        rx.foreach(
                            job.scenes,
                            lambda s: rx.text(
                                "Scene ", s.number, ": ", s.status, " ", s.error, size="2"
                            ),
                        ),
                        rx.cond(
                            job.is_final & (job.completed_scenes > 0),
                            download_button(
                                "Download the whole story", job.story_url, job.download_name
                            ),
                        ),
                        spacing="1",
                    ),
                    job_output(job),
                ),
                rx.heading("Status history", size="3", as_="h3"),
                rx.vstack(rx.foreach(JobsState.detail_events, _event), spacing="1"),
                rx.heading("Request", size="3", as_="h3"),
                rx.el.pre(
                    JobsState.detail_request,
                    font_family="var(--code-font-family)",
                    font_size="12px",
                    white_space="pre-wrap",
                    background=rx.color("gray", 3),
                    padding="12px",
                    border_radius="var(--radius-3)",
                    width="100%",
                    max_height="260px",
                    overflow_y="auto",
                    data_testid="job-request",
                ),
                rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
                spacing="3",
                width="100%",
            ),
            max_width="720px",
            data_testid="job-detail",
        ),
        open=JobsState.detail_open,
        on_open_change=JobsState.close_detail,
    )


@private_page(
    "/jobs", "Jobs", on_load=JobsState.load, nav=NavEntry("list-checks", order=70), live=JobsState
)
def jobs_page() -> rx.Component:
    return rx.fragment(
        _filters(),
        rx.cond(
            JobsState.rows.length() > 0,
            rx.fragment(_table(), _pager()),
            rx.cond(
                JobsState.loaded,
                empty_state(
                    "list-checks",
                    rx.cond(JobsState.filtered, "No job matches", "No jobs yet"),
                    rx.cond(
                        JobsState.filtered,
                        "Clear the filters to see every job of the team.",
                        "Jobs appear here as soon as anyone in the team voices a text, a "
                        "dialogue or a story.",
                    ),
                    rx.link(rx.button("Open the voice studio"), href="/voice"),
                ),
            ),
        ),
        _detail(),
    )
