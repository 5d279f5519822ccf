"""One transport for two recordings of the same timeline: the dub and its original.

The visible player shows the dubbed file (its picture is the source's, copied unchanged) with
the browser's controls; the original's sound plays in a hidden <audio> that follows it. Which
one is heard is only which is muted, so switching is instant and never loses the position.
Chosen over two <video> elements (one hidden) because only one picture is decoded and there
is only one set of controls a person can touch: the follower cannot drift from a second
transport, and the page shows the source once.

One document-level listener (media events do not bubble; capture-phase listeners see them)
makes every element with `data-follower=<id>` drive the element with that id: play, pause,
seek, rate, and a correction when they drift apart. Nothing reaches the server.
"""

from __future__ import annotations

from typing import Literal

import reflex as rx
from reflex.vars import Var

from orangeweb.components.media import media_player

# Drift the follower may have before it is put back (seconds): less than a word, more than the
# jitter of two decoders started together.
_MAX_DRIFT_S = 0.25

_FOLLOW_JS = """
(function () {
  function follower(event) {
    var lead = event.target;
    if (!lead || !lead.dataset || !lead.dataset.follower) return null;
    var other = document.getElementById(lead.dataset.follower);
    return other ? [lead, other] : null;
  }
  function align(lead, other) { other.currentTime = lead.currentTime; }
  function on(name, act) {
    document.addEventListener(name, function (event) {
      var pair = follower(event);
      if (pair) act(pair[0], pair[1]);
    }, true);
  }
  on("play", function (lead, other) {
    align(lead, other); other.playbackRate = lead.playbackRate;
    other.play().catch(function () {});
  });
  on("playing", function (lead, other) { if (other.paused) other.play().catch(function () {}); });
  on("pause", function (lead, other) { other.pause(); align(lead, other); });
  on("waiting", function (lead, other) { other.pause(); });
  on("seeked", function (lead, other) { align(lead, other); });
  on("ratechange", function (lead, other) { other.playbackRate = lead.playbackRate; });
  on("timeupdate", function (lead, other) {
    if (Math.abs(other.currentTime - lead.currentTime) > DRIFT) align(lead, other);
  });
})();
""".replace("DRIFT", str(_MAX_DRIFT_S))


def follow_script() -> rx.Component:
    """For `rx.App(head_components=[...])`: installed once for every page."""
    return rx.script(_FOLLOW_JS)


def paired_player(
    lead_src: str | Var[str],
    follower_src: str | Var[str],
    kind: Literal["audio", "video"],
    hear_follower: Var[bool],
    lead_id: str,
    follower_id: str,
    max_height: str = "320px",
) -> rx.Component:
    """The lead player (visible, with controls) and its hidden follower; `hear_follower`
    says which of the two is heard."""
    extra = {"max_height": max_height} if kind == "video" else {}
    return rx.fragment(
        media_player(
            lead_src, kind, id=lead_id, muted=hear_follower, data_follower=follower_id, **extra
        ),
        rx.el.audio(
            src=follower_src,
            id=follower_id,
            preload="metadata",
            muted=~hear_follower,
            aria_hidden="true",
            display="none",
        ),
    )
