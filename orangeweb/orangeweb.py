"""The Reflex app: pages, API routes and lifespan tasks. Wiring only."""

import reflex as rx


def index() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.heading("orangeweb", size="8"),
            rx.text("Voice cloning and dubbing for your team."),
            align="center",
        ),
        height="100vh",
    )


app = rx.App()
app.add_page(index, title="orangeweb")
