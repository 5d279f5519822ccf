"""The dubbing timeline's browser side: dragging a block's edge, the keyboard, the playhead.

- Drag: a pointer on a block's `[data-edge]` handle moves that edge live (in percent of the
  track); on release the block's new times go to the server through the hidden input
  `#dub-drag-input` as "<segment id>|<start>|<end>" (React hears an `input` event).
- Keys, while a `[data-studio]` is on the page and no field has the focus: space plays or
  pauses, ←/→ click the previous/next buttons, Enter puts the cursor in the focused line's
  text, Esc leaves it (and the focus), Ctrl/⌘+Z undo, with Shift redo.
- The playhead: every `[data-playhead-line~="<player id>"]` follows that player's time.
- A/B: a `[data-play-over]` button plays that take over the picture from `data-over-start`
  (the player muted meanwhile); a `[data-play-original]` one plays that media fragment.
"""

from __future__ import annotations

import reflex as rx

_TIMELINE_JS = """
(function () {
  var drag = null;
  function player() {
    return document.getElementById('dub-output-player')
      || document.getElementById('dub-source-player');
  }
  function click(id) {
    var el = document.querySelector('[data-testid="' + id + '"]');
    if (el && !el.disabled) el.click();
  }
  document.addEventListener('pointerdown', function (e) {
    var handle = e.target.closest && e.target.closest('[data-edge]');
    if (!handle) return;
    var block = handle.closest('[data-block]'), track = handle.closest('[data-track]');
    if (!block || !track) return;
    e.preventDefault();
    e.stopPropagation();
    if (handle.setPointerCapture) handle.setPointerCapture(e.pointerId);
    drag = {block: block, track: track, edge: handle.dataset.edge,
            start: parseFloat(block.dataset.start), end: parseFloat(block.dataset.end),
            duration: parseFloat(track.dataset.duration), moved: false};
  }, true);
  // The block is drawn from the server's times again: a refused drag springs back.
  function release() {
    if (!drag) return null;
    var done = drag;
    drag = null;
    done.block.style.left = '';
    done.block.style.width = '';
    return done;
  }
  document.addEventListener('pointercancel', release, true);
  document.addEventListener('pointermove', function (e) {
    if (!drag) return;
    var box = drag.track.getBoundingClientRect();
    var t = (e.clientX - box.left) / box.width * drag.duration;
    t = Math.max(0, Math.min(drag.duration, t));
    if (drag.edge === 'start') drag.start = Math.min(t, drag.end - 0.2);
    else drag.end = Math.max(t, drag.start + 0.2);
    drag.moved = true;
    drag.block.style.left = (drag.start / drag.duration * 100) + '%';
    drag.block.style.width = ((drag.end - drag.start) / drag.duration * 100) + '%';
  }, true);
  document.addEventListener('pointerup', function () {
    var done = release();
    if (!done) return;
    var input = document.getElementById('dub-drag-input');
    if (!done.moved || !input) return;
    var setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    setter.call(input, done.block.dataset.block + '|' + done.start.toFixed(3) + '|'
      + done.end.toFixed(3));
    input.dispatchEvent(new Event('input', {bubbles: true}));
  }, true);
  document.addEventListener('keydown', function (e) {
    var studio = document.querySelector('[data-studio]');
    if (!studio) return;
    if (e.defaultPrevented) return;
    var target = e.target;
    var tag = (target.tagName || '').toLowerCase();
    var typing = tag === 'input' || tag === 'textarea' || tag === 'select'
      || target.isContentEditable;
    if (typing && e.key === 'Enter' && target.closest('[data-time-field]')) {
      target.blur();  // a typed time is saved on Enter, as on leaving the field
      return;
    }
    // A widget keeps all its keys (a list, menu, tab strip, slider or dialog moves with the
    // arrows); a button, link or checkbox keeps Space and Enter (pressing, ticking).
    var widget = target.closest && target.closest(
      '[role=option], [role=combobox], [role=radio], [role=menuitem], [role=tab], '
      + '[role=slider], [role=dialog], [role=listbox], [role=menu], '
      + '[data-radix-popper-content-wrapper]');
    var pressable = target.closest && target.closest('button, a, [role=checkbox]');
    if (e.key === 'Escape') {
      if (typing) target.blur();
      if (!widget) click('dub-unfocus');
      return;
    }
    if (typing || widget || e.altKey) return;
    if (pressable && (e.key === ' ' || e.key === 'Enter')) return;
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') {
      e.preventDefault();
      click(e.shiftKey ? 'dub-redo' : 'dub-undo');
    } else if (e.ctrlKey || e.metaKey) {
      return;
    } else if (e.key === ' ') {
      var v = player();
      if (!v) return;
      e.preventDefault();
      if (v.paused) v.play().catch(function () {}); else v.pause();
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      e.preventDefault();
      click(e.key === 'ArrowLeft' ? 'dub-prev' : 'dub-next');
    } else if (e.key === 'Enter') {
      var text = studio.dataset.focus
        && document.getElementById('seg-text-' + studio.dataset.focus);
      if (text) {
        e.preventDefault();
        text.focus();
        text.scrollIntoView({block: 'center'});
      }
    }
  });
  // A take over the picture (the player muted, from the line's start), or the original line.
  document.addEventListener('click', function (e) {
    var over = e.target.closest && e.target.closest('[data-play-over]');
    var original = e.target.closest && e.target.closest('[data-play-original]');
    if (original) {
      new Audio(original.dataset.playOriginal).play().catch(function () {});
      return;
    }
    if (!over) return;
    var v = document.getElementById('dub-source-player') || player();
    var take = new Audio(over.dataset.playOver);
    if (v) {
      var muted = v.muted;
      v.muted = true;
      v.currentTime = parseFloat(over.dataset.overStart) || 0;
      v.play().catch(function () {});
      take.onended = function () { v.pause(); v.muted = muted; };
    }
    take.play().catch(function () {});
  });
  document.addEventListener('timeupdate', function (e) {
    var p = e.target;
    if (!p || !p.id) return;
    document.querySelectorAll('[data-playhead-line~="' + p.id + '"]').forEach(function (el) {
      var d = parseFloat(el.dataset.duration) || 0;
      el.style.left = d ? Math.min(100, p.currentTime / d * 100) + '%' : '0';
    });
  }, true);
})();
"""


def timeline_script() -> rx.Component:
    """For `rx.App(head_components=[...])`: installed once for every page."""
    return rx.script(_TIMELINE_JS)
