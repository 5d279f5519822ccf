// Audio player drawn as a waveform (wavesurfer.js): play/pause, time / duration, click or
// drag to seek, arrow keys to seek, optional download link, clear loading and error states.
import { useCallback, useEffect, useRef, useState } from "react";
import { Box, Callout, Flex, IconButton, Text, Tooltip } from "@radix-ui/themes";
import { CircleAlert, Download, Pause, Play } from "lucide-react";
import WaveSurfer from "wavesurfer.js";

function formatTime(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return "0:00";
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

// Canvas needs real colours, not var(): read the theme's tokens from the element itself so the
// waveform follows the accent colour and light/dark mode.
function themeColors(el) {
  const css = getComputedStyle(el);
  const pick = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  return {
    waveColor: pick("--gray-a7", "#bbb"),
    progressColor: pick("--accent-9", "#f76b15"),
    cursorColor: pick("--accent-11", "#cc4e00"),
  };
}

const SEEK_STEP_S = 5;

// A short reason for the error line: HTTP status from wavesurfer's fetcher, or a decode error.
function describeLoadError(err) {
  const text = (err && err.message) || String(err || "");
  const http = text.match(/:\s*(\d{3})\b/);
  if (http) {
    const code = Number(http[1]);
    if (code === 404 || code === 410) return `not found (HTTP ${code})`;
    if (code === 401 || code === 403) return `not allowed (HTTP ${code})`;
    return `HTTP ${code}`;
  }
  // MediaError codes: 2 network, 3 decode, 4 source not supported.
  const code = err && err.code;
  if (
    (err && err.name === "EncodingError") ||
    code === 3 ||
    code === 4 ||
    /decod|demux|format|supported/i.test(text)
  ) {
    return "not a playable audio file";
  }
  if (code === 2 || /network|fetch/i.test(text)) return "network error";
  return "";
}

export function WaveformPlayer({ url, height, downloadUrl, downloadName, className, id }) {
  const barHeight = Number(height) > 0 ? Number(height) : 64;
  const containerRef = useRef(null);
  const wsRef = useRef(null);
  const [status, setStatus] = useState(url ? "loading" : "empty"); // empty|loading|ready|error
  const [errorText, setErrorText] = useState("");
  const [percent, setPercent] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);

  useEffect(() => {
    const container = containerRef.current;
    setPlaying(false);
    setTime(0);
    setDuration(0);
    setPercent(0);
    setErrorText("");
    if (!url || !container) {
      setStatus("empty");
      return undefined;
    }
    setStatus("loading");
    let disposed = false;
    const ws = WaveSurfer.create({
      container,
      height: barHeight,
      ...themeColors(container),
      cursorWidth: 2,
      barWidth: 2,
      barGap: 2,
      barRadius: 2,
      normalize: true,
      dragToSeek: true,
      // Same-origin media: the session cookie goes along, nothing else is contacted.
      fetchParams: { credentials: "same-origin" },
    });
    wsRef.current = ws;
    const onFail = (err) => {
      if (disposed || (err && err.name === "AbortError")) return;
      setStatus("error");
      setErrorText(describeLoadError(err));
      setPlaying(false);
    };
    ws.on("loading", (p) => setPercent(p));
    ws.on("ready", (d) => {
      if (disposed) return;
      setDuration(d);
      setStatus("ready");
    });
    ws.on("timeupdate", (t) => setTime(t));
    ws.on("play", () => setPlaying(true));
    ws.on("pause", () => setPlaying(false));
    ws.on("finish", () => setPlaying(false));
    ws.on("error", onFail);
    ws.load(url).catch(onFail);

    // Redraw in the new colours when the theme (html class / data attributes) changes.
    const observer = new MutationObserver(() => {
      if (!disposed) ws.setOptions(themeColors(container));
    });
    observer.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ["class", "style", "data-theme"],
    });

    return () => {
      disposed = true;
      observer.disconnect();
      wsRef.current = null;
      ws.destroy();
    };
  }, [url, barHeight]);

  const toggle = useCallback(() => {
    const ws = wsRef.current;
    if (ws && status === "ready") ws.playPause().catch(() => {});
  }, [status]);

  const onKeyDown = useCallback(
    (e) => {
      const ws = wsRef.current;
      if (!ws || status !== "ready") return;
      const now = ws.getCurrentTime();
      let to = null;
      if (e.key === "ArrowRight" || e.key === "ArrowUp") to = now + SEEK_STEP_S;
      else if (e.key === "ArrowLeft" || e.key === "ArrowDown") to = now - SEEK_STEP_S;
      else if (e.key === "Home") to = 0;
      else if (e.key === "End") to = duration;
      else if (e.key === " " || e.key === "Enter") {
        e.preventDefault();
        toggle();
        return;
      }
      if (to === null) return;
      e.preventDefault();
      ws.setTime(Math.min(Math.max(0, to), duration));
    },
    [duration, status, toggle],
  );

  const ready = status === "ready";
  return (
    <Flex
      className={className}
      id={id}
      align="center"
      gap="3"
      data-status={status}
      data-testid="waveform-player"
      style={{ width: "100%", minWidth: 0 }}
    >
      <IconButton
        size="3"
        radius="full"
        variant={ready ? "solid" : "soft"}
        disabled={!ready}
        onClick={toggle}
        aria-label={playing ? "Pause" : "Play"}
        data-testid="waveform-play"
      >
        {playing ? <Pause size={18} fill="currentColor" /> : <Play size={18} fill="currentColor" />}
      </IconButton>

      <Box style={{ position: "relative", flex: "1 1 auto", minWidth: 0, height: barHeight }}>
        <div
          ref={containerRef}
          role="slider"
          tabIndex={ready ? 0 : -1}
          aria-label="Seek"
          aria-valuemin={0}
          aria-valuemax={Math.round(duration)}
          aria-valuenow={Math.round(time)}
          aria-valuetext={`${formatTime(time)} of ${formatTime(duration)}`}
          aria-disabled={!ready}
          onKeyDown={onKeyDown}
          data-testid="waveform-canvas"
          style={{
            height: barHeight,
            cursor: ready ? "pointer" : "default",
            visibility: status === "error" ? "hidden" : "visible",
            borderRadius: "var(--radius-2)",
            outlineOffset: 2,
          }}
        />
        {status === "loading" && (
          <Flex
            align="center"
            justify="center"
            aria-live="polite"
            data-testid="waveform-loading"
            style={{
              position: "absolute",
              inset: 0,
              borderRadius: "var(--radius-2)",
              background:
                "repeating-linear-gradient(90deg, var(--gray-a4) 0 2px, transparent 2px 4px)",
              animation: "ow-wave-pulse 1.4s ease-in-out infinite",
            }}
          >
            <Text
              size="1"
              color="gray"
              style={{
                background: "var(--color-panel-solid)",
                padding: "2px 8px",
                borderRadius: 9999,
              }}
            >
              Loading audio{percent > 0 && percent < 100 ? ` ${Math.round(percent)}%` : "…"}
            </Text>
          </Flex>
        )}
        {status === "empty" && (
          <Flex
            align="center"
            justify="center"
            style={{
              position: "absolute",
              inset: 0,
              borderRadius: "var(--radius-2)",
              border: "1px dashed var(--gray-a6)",
            }}
          >
            <Text size="1" color="gray">
              No audio
            </Text>
          </Flex>
        )}
        {status === "error" && (
          <Callout.Root
            color="red"
            size="1"
            role="alert"
            data-testid="waveform-error"
            style={{ position: "absolute", inset: 0, alignContent: "center", padding: "0 12px" }}
          >
            <Callout.Icon>
              <CircleAlert size={16} />
            </Callout.Icon>
            <Callout.Text
              style={{
                display: "-webkit-box",
                WebkitLineClamp: 2,
                WebkitBoxOrient: "vertical",
                overflow: "hidden",
              }}
            >
              This audio could not be loaded{errorText ? `: ${errorText}` : ""}.
            </Callout.Text>
          </Callout.Root>
        )}
      </Box>

      {/* Nothing to time when there is no audio: the message gets the room instead. */}
      {status !== "error" && status !== "empty" && (
        <Text
          size="2"
          color="gray"
          data-testid="waveform-time"
          style={{ fontVariantNumeric: "tabular-nums", whiteSpace: "nowrap", flexShrink: 0 }}
        >
          <Text color={ready ? undefined : "gray"} highContrast={ready}>
            {formatTime(time)}
          </Text>{" "}
          / {formatTime(duration)}
        </Text>
      )}

      {downloadUrl && (
        <Tooltip content="Download">
          <IconButton asChild size="2" variant="ghost" color="gray" aria-label="Download">
            <a href={downloadUrl} download={downloadName || ""} data-testid="waveform-download">
              <Download size={18} />
            </a>
          </IconButton>
        </Tooltip>
      )}
      <style>{`
        @keyframes ow-wave-pulse { 0%, 100% { opacity: 1 } 50% { opacity: .45 } }
        [data-testid="waveform-canvas"]:focus-visible { outline: 2px solid var(--accent-8) }
        @media (prefers-reduced-motion: reduce) { [data-testid="waveform-loading"] { animation: none !important } }
      `}</style>
    </Flex>
  );
}

export default WaveformPlayer;
