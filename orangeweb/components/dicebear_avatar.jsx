// DiceBear avatar rendered entirely in the browser: no request to api.dicebear.com, the SVG is
// generated from the seed by @dicebear/core and shown as a data URI.
import { useMemo } from "react";
import { createAvatar } from "@dicebear/core";
import {
  adventurer,
  avataaars,
  bottts,
  funEmoji,
  lorelei,
  micah,
  notionists,
  pixelArt,
  shapes,
} from "@dicebear/collection";

// API style names (kebab-case, as the OrangeClone API spells them) -> collection exports.
const STYLES = {
  adventurer,
  avataaars,
  bottts,
  lorelei,
  notionists,
  "pixel-art": pixelArt,
  "fun-emoji": funEmoji,
  micah,
};

// Abstract shapes carry no face, so they read as "no style chosen" rather than a wrong one.
const FALLBACK_STYLE = shapes;

// Soft pastel backgrounds (one is picked from the seed), readable in light and dark themes.
const BACKGROUNDS = ["ffd8b5", "ffe5c4", "fcd5ce", "d8e2dc", "c7ceea", "b5ead7", "e2d4f0"];

function styleFor(name) {
  if (typeof name !== "string") return FALLBACK_STYLE;
  // Accept "pixel-art", "pixel_art" and "pixelArt" alike.
  const key = name
    .trim()
    .replace(/([a-z])([A-Z])/g, "$1-$2")
    .replace(/[_\s]+/g, "-")
    .toLowerCase();
  return Object.hasOwn(STYLES, key) ? STYLES[key] : FALLBACK_STYLE;
}

export function DicebearAvatar({ seed, avatarStyle, size, alt, className, id, ...rest }) {
  // Rendering an SVG from a seed costs a few ms; recompute only when seed or style change.
  const src = useMemo(
    () =>
      createAvatar(styleFor(avatarStyle), {
        seed: String(seed ?? ""),
        backgroundColor: BACKGROUNDS,
        radius: 0,
      }).toDataUri(),
    [seed, avatarStyle],
  );
  const side = size ?? "48px";
  return (
    <img
      src={src}
      alt={alt ?? "Avatar"}
      width={typeof side === "number" ? side : undefined}
      height={typeof side === "number" ? side : undefined}
      draggable={false}
      className={className}
      id={id}
      style={{
        width: side,
        height: side,
        flexShrink: 0,
        display: "block",
        objectFit: "cover",
      }}
      {...rest}
    />
  );
}

export default DicebearAvatar;
