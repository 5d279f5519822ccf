import React, { useState } from "react";

// A form that POSTs its fields to a plain HTTP route with fetch (never over Reflex's websocket,
// so passwords and API keys never sit in state or in a websocket frame). The route answers JSON:
// {"redirect": path} to navigate, {"message": text} on success in place, {"error": text} otherwise.
export function PostForm({ action, onSuccess, resetOnSuccess = true, children, ...rest }) {
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function handleSubmit(event) {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    setError("");
    try {
      const response = await fetch(action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      const body = await response.json().catch(() => ({}));
      if (response.ok && body.redirect) {
        window.location.assign(body.redirect);
        return;
      }
      if (response.ok) {
        if (resetOnSuccess) form.reset();
        if (onSuccess) onSuccess(body.message || "");
      } else {
        setError(body.error || `The server answered ${response.status}.`);
      }
    } catch (e) {
      setError("Could not reach the server. Check your connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={handleSubmit} aria-busy={busy} {...rest}>
      <fieldset disabled={busy} style={{ border: "none", padding: 0, margin: 0, minWidth: 0 }}>
        {children}
      </fieldset>
      <div
        role="alert"
        data-testid="form-error"
        style={{ color: "var(--red-11)", marginTop: "0.5em", minHeight: "1.2em" }}
      >
        {error}
      </div>
    </form>
  );
}
