"""Highlight the transcript segment under a player's playhead, entirely in the browser.

One document-level listener (media events do not bubble, but capture-phase listeners see them)
marks every element with `data-start`/`data-end` inside `[data-playhead-for~=<player id>]` (a
space-separated list of the players it follows) as
`data-playing="true"` while the player's time is within it. No event reaches the server.
"""

from __future__ import annotations

import reflex as rx

_PLAYHEAD_JS = """
document.addEventListener("timeupdate", function (event) {
  var player = event.target;
  if (!player || !player.id) return;
  var t = player.currentTime;
  document.querySelectorAll('[data-playhead-for~="' + player.id + '"] [data-start]')
    .forEach(function (el) {
      var on = t >= parseFloat(el.dataset.start) && t < parseFloat(el.dataset.end);
      if (on) el.setAttribute("data-playing", "true"); else el.removeAttribute("data-playing");
    });
}, true);
"""


def playhead_script() -> rx.Component:
    """For `rx.App(head_components=[...])`: installed once for every page."""
    return rx.script(_PLAYHEAD_JS)


# The look of the segment being played (accent outline), for the app's global style.
PLAYING_STYLE = {
    "[data-playing='true']": {
        "outline": "2px solid var(--accent-9)",
        "background": "var(--accent-a3)",
    }
}
