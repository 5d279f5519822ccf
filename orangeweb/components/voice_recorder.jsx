// Voice recorder: MediaRecorder for the take, a Web Audio AnalyserNode for the live level
// meter, and one plain fetch POST of the finished take to `uploadUrl`. The server answers
// {"id": "...", "duration": 4.2} or {"error": "..."}; we report through onSaved / onError.
import { useCallback, useEffect, useRef, useState } from "react";
import { Box, Button, Callout, Card, Flex, Text } from "@radix-ui/themes";
import { CircleAlert, CircleCheck, LoaderCircle, Mic, RotateCcw, Square } from "lucide-react";

// Opus in WebM (Chromium, Firefox) or Ogg (Firefox); mp4 for Safari. The server checks the
// real type itself; we only send whatever the browser produced, with its MIME type.
const MIME_CANDIDATES = [
  "audio/webm;codecs=opus",
  "audio/ogg;codecs=opus",
  "audio/webm",
  "audio/ogg",
  "audio/mp4",
];

function pickMimeType() {
  if (typeof MediaRecorder === "undefined" || !MediaRecorder.isTypeSupported) return undefined;
  return MIME_CANDIDATES.find((type) => MediaRecorder.isTypeSupported(type));
}

function describeMediaError(err) {
  switch (err && err.name) {
    case "NotAllowedError":
    case "SecurityError":
      return "Microphone access was blocked. Allow the microphone for this site in your browser's settings, then try again.";
    case "NotFoundError":
    case "OverconstrainedError":
      return "No microphone was found. Connect one and try again.";
    case "NotReadableError":
    case "AbortError":
      return "The microphone could not be opened; another application may be using it.";
    default:
      return `Recording could not start: ${(err && err.message) || err}`;
  }
}

function formatTime(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

// Chromium's MediaRecorder writes WebM without a duration, so <audio> shows no length. Seeking
// far past the end makes the browser scan the file and learn it; then rewind.
function fixUnknownDuration(e) {
  const media = e.currentTarget;
  if (media.duration !== Infinity) return;
  const rewind = () => {
    media.removeEventListener("timeupdate", rewind);
    media.currentTime = 0;
  };
  media.addEventListener("timeupdate", rewind);
  media.currentTime = 1e101;
}

export function VoiceRecorder({ uploadUrl, maxSeconds, onSaved, onError, className, id }) {
  const limit = Number(maxSeconds) > 0 ? Number(maxSeconds) : 60;
  // idle | starting | recording | uploading | saved | error
  const [status, setStatus] = useState("idle");
  const [elapsed, setElapsed] = useState(0);
  const [message, setMessage] = useState("");
  const [saved, setSaved] = useState(null);
  const [takeUrl, setTakeUrl] = useState(null);
  const [canRetry, setCanRetry] = useState(false);

  const streamRef = useRef(null);
  const recorderRef = useRef(null);
  const chunksRef = useRef([]);
  const audioCtxRef = useRef(null);
  const rafRef = useRef(0);
  const tickRef = useRef(0);
  const autoStopRef = useRef(0);
  const startedAtRef = useRef(0);
  const meterRef = useRef(null);
  const blobRef = useRef(null);
  const abortRef = useRef(null);
  const mountedRef = useRef(true);
  // Latest callbacks without re-creating the handlers (Reflex passes new functions each render).
  const callbacksRef = useRef({ onSaved, onError });
  callbacksRef.current = { onSaved, onError };

  const fail = useCallback((text, retry = false) => {
    if (!mountedRef.current) return;
    setStatus("error");
    setMessage(text);
    setCanRetry(retry);
    if (callbacksRef.current.onError) callbacksRef.current.onError(text);
  }, []);

  // Release the microphone, the audio graph and the timers (not the take itself).
  const teardown = useCallback(() => {
    cancelAnimationFrame(rafRef.current);
    clearInterval(tickRef.current);
    clearTimeout(autoStopRef.current);
    if (streamRef.current) streamRef.current.getTracks().forEach((t) => t.stop());
    streamRef.current = null;
    if (audioCtxRef.current) audioCtxRef.current.close().catch(() => {});
    audioCtxRef.current = null;
    if (meterRef.current) meterRef.current.style.transform = "scaleX(0)";
  }, []);

  const upload = useCallback(
    async (blob, seconds) => {
      setStatus("uploading");
      setCanRetry(false);
      setMessage("");
      const controller = new AbortController();
      abortRef.current = controller;
      let response;
      try {
        response = await fetch(uploadUrl, {
          method: "POST",
          body: blob,
          credentials: "same-origin",
          headers: { "Content-Type": blob.type },
          signal: controller.signal,
        });
      } catch (err) {
        if (controller.signal.aborted) return;
        fail(
          "The recording could not be sent to the server. Check your connection and retry.",
          true,
        );
        return;
      }
      let data = null;
      try {
        data = await response.json();
      } catch (err) {
        data = null;
      }
      if (!mountedRef.current) return;
      if (!response.ok || !data || data.error || !data.id) {
        const reason =
          (data && typeof data.error === "string" && data.error) ||
          `Saving the recording failed (HTTP ${response.status}).`;
        // A 4xx is the take's fault (too short, wrong type): recording again is the fix.
        fail(reason, response.status >= 500 || response.status === 0);
        return;
      }
      const duration = Number(data.duration);
      const result = {
        id: String(data.id),
        duration: Number.isFinite(duration) ? duration : seconds,
      };
      setSaved(result);
      setStatus("saved");
      if (callbacksRef.current.onSaved) callbacksRef.current.onSaved(result.id, result.duration);
    },
    [uploadUrl, fail],
  );

  const stop = useCallback(() => {
    const recorder = recorderRef.current;
    if (recorder && recorder.state !== "inactive") recorder.stop(); // -> onstop -> upload
    teardown();
  }, [teardown]);

  const start = useCallback(async () => {
    if (
      !navigator.mediaDevices ||
      !navigator.mediaDevices.getUserMedia ||
      typeof MediaRecorder === "undefined"
    ) {
      fail(
        "This browser cannot record audio here. Recording needs a secure (https) page and a recent browser.",
      );
      return;
    }
    setStatus("starting");
    setMessage("");
    setSaved(null);
    setElapsed(0);
    setCanRetry(false);
    blobRef.current = null;
    setTakeUrl((old) => {
      if (old) URL.revokeObjectURL(old);
      return null;
    });

    let stream;
    try {
      // Raw voice: echo cancellation and noise suppression colour the timbre a clone learns.
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false },
      });
    } catch (err) {
      fail(describeMediaError(err));
      return;
    }
    if (!mountedRef.current) {
      stream.getTracks().forEach((t) => t.stop());
      return;
    }
    streamRef.current = stream;

    const mimeType = pickMimeType();
    let recorder;
    try {
      recorder = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
    } catch (err) {
      teardown();
      fail(`Recording could not start: ${err.message || err}`);
      return;
    }
    recorderRef.current = recorder;
    chunksRef.current = [];
    recorder.ondataavailable = (e) => {
      if (e.data && e.data.size > 0) chunksRef.current.push(e.data);
    };
    recorder.onstop = () => {
      const seconds = (performance.now() - startedAtRef.current) / 1000;
      const type =
        recorder.mimeType || (chunksRef.current[0] && chunksRef.current[0].type) || "audio/webm";
      const blob = new Blob(chunksRef.current, { type });
      chunksRef.current = [];
      if (!mountedRef.current) return;
      setElapsed(Math.min(seconds, limit));
      if (blob.size === 0) {
        fail("Nothing was recorded. Check the microphone and try again.");
        return;
      }
      blobRef.current = blob;
      setTakeUrl(URL.createObjectURL(blob));
      upload(blob, seconds);
    };

    // Live level: RMS of the waveform in dBFS, mapped -60..0 dB -> 0..1, with a slow fall so
    // the bar is readable. Written straight to the DOM: no React render per frame.
    try {
      const AudioCtx = window.AudioContext || window.webkitAudioContext;
      const ctx = new AudioCtx();
      audioCtxRef.current = ctx;
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 1024;
      ctx.createMediaStreamSource(stream).connect(analyser);
      const samples = new Float32Array(analyser.fftSize);
      let shown = 0;
      const draw = () => {
        analyser.getFloatTimeDomainData(samples);
        let sum = 0;
        for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
        const rms = Math.sqrt(sum / samples.length);
        const db = rms > 0 ? 20 * Math.log10(rms) : -100;
        const level = Math.min(1, Math.max(0, (db + 60) / 60));
        shown = Math.max(level, shown * 0.92);
        if (meterRef.current) {
          meterRef.current.style.transform = `scaleX(${shown.toFixed(3)})`;
          meterRef.current.parentElement.setAttribute(
            "aria-valuenow",
            String(Math.round(shown * 100)),
          );
        }
        rafRef.current = requestAnimationFrame(draw);
      };
      rafRef.current = requestAnimationFrame(draw);
    } catch (err) {
      // The meter is a nicety; recording still works without Web Audio.
    }

    startedAtRef.current = performance.now();
    recorder.start(1000);
    setStatus("recording");
    // Timers rather than requestAnimationFrame: they keep running in a background tab.
    tickRef.current = setInterval(() => {
      setElapsed((performance.now() - startedAtRef.current) / 1000);
    }, 200);
    autoStopRef.current = setTimeout(stop, limit * 1000);
  }, [fail, limit, stop, teardown, upload]);

  const retry = useCallback(() => {
    if (blobRef.current) upload(blobRef.current, elapsed);
  }, [elapsed, upload]);

  useEffect(() => {
    mountedRef.current = true;
    return () => {
      mountedRef.current = false;
      if (abortRef.current) abortRef.current.abort();
      const recorder = recorderRef.current;
      if (recorder && recorder.state !== "inactive") {
        recorder.onstop = null;
        recorder.stop();
      }
      teardown();
    };
  }, [teardown]);

  useEffect(() => () => takeUrl && URL.revokeObjectURL(takeUrl), [takeUrl]);

  const recording = status === "recording";
  const busy = status === "starting" || status === "uploading";

  let hint;
  if (status === "idle")
    hint = `Press Record and speak for a few sentences (up to ${formatTime(limit)}).`;
  else if (status === "starting") hint = "Waiting for the microphone…";
  else if (recording) hint = `Recording… it stops by itself at ${formatTime(limit)}.`;
  else if (status === "uploading") hint = "Saving the recording…";

  return (
    <Card className={className} id={id} size="2" data-status={status}>
      <Flex direction="column" gap="3">
        <Flex align="center" gap="3" wrap="wrap">
          {recording ? (
            <Button color="red" size="3" onClick={stop} data-testid="recorder-stop">
              <Square size={16} fill="currentColor" aria-hidden="true" />
              Stop
            </Button>
          ) : (
            <Button size="3" onClick={start} disabled={busy} data-testid="recorder-record">
              {busy ? (
                <LoaderCircle size={18} aria-hidden="true" className="ow-spin" />
              ) : (
                <Mic size={18} aria-hidden="true" />
              )}
              {saved || takeUrl ? "Record again" : "Record"}
            </Button>
          )}
          <Flex align="center" gap="2">
            {recording && (
              <Box
                aria-hidden="true"
                style={{
                  width: 10,
                  height: 10,
                  borderRadius: "50%",
                  background: "var(--red-9)",
                  animation: "ow-pulse 1.2s ease-in-out infinite",
                }}
              />
            )}
            <Text
              size="4"
              weight="medium"
              data-testid="recorder-time"
              style={{ fontVariantNumeric: "tabular-nums" }}
              aria-label={`Elapsed ${formatTime(elapsed)} of ${formatTime(limit)}`}
            >
              {formatTime(elapsed)}
              <Text color="gray" weight="regular">
                {" "}
                / {formatTime(limit)}
              </Text>
            </Text>
          </Flex>
        </Flex>

        <Box
          role="meter"
          aria-label="Microphone input level"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={0}
          data-testid="recorder-meter"
          style={{
            height: 8,
            borderRadius: 9999,
            background: "var(--gray-a4)",
            overflow: "hidden",
            opacity: recording ? 1 : 0.6,
          }}
        >
          <Box
            ref={meterRef}
            style={{
              height: "100%",
              width: "100%",
              transform: "scaleX(0)",
              transformOrigin: "left center",
              background: "linear-gradient(90deg, var(--accent-8), var(--accent-10))",
              transition: "transform 60ms linear",
            }}
          />
        </Box>

        <Box aria-live="polite" data-testid="recorder-status">
          {hint && (
            <Text size="2" color="gray">
              {hint}
            </Text>
          )}
          {status === "saved" && saved && (
            <Flex align="center" gap="2">
              <CircleCheck size={16} color="var(--green-10)" aria-hidden="true" />
              <Text size="2">Saved ({saved.duration.toFixed(1)} s).</Text>
            </Flex>
          )}
        </Box>

        {status === "error" && (
          <Callout.Root color="red" role="alert" size="1" data-testid="recorder-error">
            <Callout.Icon>
              <CircleAlert size={16} />
            </Callout.Icon>
            <Callout.Text>{message}</Callout.Text>
          </Callout.Root>
        )}
        {status === "error" && canRetry && blobRef.current && (
          <Box>
            <Button variant="soft" onClick={retry}>
              <RotateCcw size={16} aria-hidden="true" />
              Retry saving
            </Button>
          </Box>
        )}

        {takeUrl && !recording && (
          <audio
            controls
            preload="metadata"
            src={takeUrl}
            onLoadedMetadata={fixUnknownDuration}
            data-testid="recorder-playback"
            aria-label="Play back the recording"
            style={{ width: "100%" }}
          />
        )}
      </Flex>
      <style>{`
        @keyframes ow-pulse { 0%, 100% { opacity: 1 } 50% { opacity: .25 } }
        @keyframes ow-spin { to { transform: rotate(360deg) } }
        .ow-spin { animation: ow-spin 1s linear infinite }
        @media (prefers-reduced-motion: reduce) { .ow-spin { animation: none } }
      `}</style>
    </Card>
  );
}

export default VoiceRecorder;
