import { useEffect, useState } from "preact/hooks";
import type { PostmortemView } from "../../../src/incidents/incident-api.schemas.js";
import { api } from "../api.js";
import { When } from "../components/when.js";
import { duration } from "../format.js";
import { useSession } from "../session.js";

const DECISION_CLASS: Record<string, string> = {
  approved: "s-ok",
  "changes-requested": "s-page",
  pending: "s-ticket",
};

async function markdownOf(id: string): Promise<string> {
  const response = await fetch(`/api/v1/postmortems/${id}/markdown`, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`could not export ${id}: ${response.status}`);
  return response.text();
}

/** Review comments; blamelessness findings are marked as suggestions with the quoted sentence. */
function Comments({ pm }: { pm: PostmortemView }) {
  if (pm.comments.length === 0) return <p class="muted small">No review comments yet.</p>;
  return (
    <ul style="margin:0;padding-left:18px" data-testid="review-comments">
      {pm.comments.map((c) => (
        <li
          class={c.kind === "blamelessness" ? "blame-flag" : ""}
          data-kind={c.kind}
          style="margin-bottom:6px"
        >
          <strong>{c.author}</strong>{" "}
          {c.kind === "blamelessness" ? (
            <span class="state-badge s-ticket">blamelessness</span>
          ) : c.kind === "changes-requested" ? (
            <span class="state-badge s-page">changes requested</span>
          ) : null}{" "}
          {c.section ? <span class="muted small">({c.section})</span> : null}
          {c.quote ? (
            <blockquote style="margin:4px 0;padding-left:8px;border-left:3px solid var(--warn)">
              {c.quote}
            </blockquote>
          ) : null}
          <div style="white-space:pre-wrap">{c.text}</div>
          <span class="small muted">
            <When at={c.at} />
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Read-only rendering of the template's sections. */
function Sections({ pm }: { pm: PostmortemView }) {
  const text = (title: string, body: string) => (
    <>
      <h2>{title}</h2>
      <p style="white-space:pre-wrap;max-width:820px">{body || <span class="muted">—</span>}</p>
    </>
  );
  return (
    <div data-testid="postmortem-sections">
      {text("Summary", pm.summary)}
      <h2>Impact</h2>
      <p style="margin:0">
        Users: {pm.impact.users} · Duration: {duration(pm.impact.durationMs)} · Error budget consumed:{" "}
        {(pm.impact.budgetConsumed * 100).toFixed(1)}%
      </p>
      {pm.impact.description ? <p style="white-space:pre-wrap">{pm.impact.description}</p> : null}
      {text("Root causes", pm.rootCauses)}
      {text("Trigger", pm.trigger)}
      {text("Detection", pm.detection)}
      {text("Resolution", pm.resolution)}
      <h2>Action items</h2>
      {pm.actionItems.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <table class="list">
          <tbody>
            {pm.actionItems.map((a) => (
              <tr>
                <td>{a.id}</td>
                <td>{a.description}</td>
                <td>{a.type}</td>
                <td>{a.owner}</td>
                <td>{a.priority}</td>
                <td>{a.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Lessons learned</h2>
      {(
        [
          ["What went well", pm.lessons.wentWell],
          ["What went wrong", pm.lessons.wentWrong],
          ["Where we got lucky", pm.lessons.gotLucky],
        ] as const
      ).map(([title, items]) => (
        <div>
          <strong>{title}</strong>
          <ul style="margin:2px 0 8px">
            {items.map((l) => (
              <li>{l}</li>
            ))}
          </ul>
        </div>
      ))}
      <h2>Timeline</h2>
      <ul class="small">
        {pm.timeline.map((e) => (
          <li>
            <time dateTime={new Date(e.at).toISOString()}>{new Date(e.at).toLocaleString()}</time> — {e.text}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * A postmortem: Markdown editor with the template's sections while a draft (authors), submit for
 * review, the review view (named reviewers approve or request changes; blamelessness flags shown),
 * publish once every reviewer approved.
 */
export function PostmortemPage({ id }: { id: string }) {
  const { session } = useSession();
  const me = session?.authenticated ? session.name : undefined;
  const [pm, setPm] = useState<PostmortemView | undefined>(undefined);
  const [markdown, setMarkdown] = useState<string | undefined>(undefined);
  const [reviewers, setReviewers] = useState("");
  const [comment, setComment] = useState("");
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);

  const load = async () => {
    try {
      const next = await api<PostmortemView>("GET", `/api/v1/postmortems/${id}`);
      setPm(next);
      if (next.status === "draft") setMarkdown(await markdownOf(id));
      setError(undefined);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  useEffect(() => {
    load();
  }, [id]);

  const act = async (fn: () => Promise<unknown>, done?: string) => {
    try {
      await fn();
      setMessage(done);
      setError(undefined);
      await load();
    } catch (err) {
      setMessage(undefined);
      setError((err as Error).message);
    }
  };

  if (!pm) return <p class="muted">{error ?? "Loading postmortem…"}</p>;
  const isAuthor = me !== undefined && pm.authors.includes(me);
  const isReviewer = me !== undefined && pm.reviewers.some((r) => r.name === me);
  const allApproved = pm.reviewers.length > 0 && pm.reviewers.every((r) => r.decision === "approved");
  return (
    <section>
      <p class="crumbs">
        <a href="/incidents">Incidents</a> / <a href={`/incidents/${pm.incidentId}`}>{pm.incidentId}</a> /{" "}
        {pm.id}
      </p>
      <h1>{pm.title}</h1>
      <p class="summary-line" data-testid="postmortem-status">
        <span class={`state-badge ${pm.status === "published" ? "s-ok" : "s-ticket"}`}>{pm.status}</span> ·
        authors {pm.authors.join(", ")}
        {pm.reviewers.length > 0 ? (
          <>
            {" "}
            · reviewers{" "}
            {pm.reviewers.map((r) => (
              <span class={`state-badge ${DECISION_CLASS[r.decision] ?? ""}`} style="margin-right:6px">
                {r.name}: {r.decision}
              </span>
            ))}
          </>
        ) : null}
        · updated <When at={pm.updatedAt} /> · <a href={`/api/v1/postmortems/${pm.id}/markdown`}>Markdown</a>
      </p>
      {pm.requiredBy.length > 0 ? (
        <p class="small muted">Required by: {pm.requiredBy.map((t) => t.ruleId).join(", ")}</p>
      ) : null}
      {message ? <p data-testid="postmortem-message">{message}</p> : null}
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}

      {pm.status === "draft" && isAuthor && markdown !== undefined ? (
        <div class="card" data-testid="postmortem-editor">
          <div class="tile-label">Edit (Markdown with the template's sections)</div>
          <textarea
            aria-label="Postmortem Markdown"
            value={markdown}
            onInput={(e) => setMarkdown((e.target as HTMLTextAreaElement).value)}
            spellcheck={true}
            style="width:100%;min-height:420px;font-family:ui-monospace,monospace;font-size:13px;background:var(--bg);color:var(--text);border:1px solid var(--border);border-radius:6px;padding:8px;box-sizing:border-box"
          />
          <div class="filters">
            <button
              type="button"
              onClick={() =>
                act(() => api("PUT", `/api/v1/postmortems/${pm.id}/markdown`, { markdown }), "Saved.")
              }
            >
              Save draft
            </button>
            <label>
              Reviewers{" "}
              <input
                aria-label="Reviewers"
                placeholder="bob, carol"
                value={reviewers}
                onInput={(e) => setReviewers((e.target as HTMLInputElement).value)}
              />
            </label>
            <button
              type="button"
              class="ghost"
              disabled={reviewers.trim() === ""}
              onClick={() =>
                act(async () => {
                  await api("PUT", `/api/v1/postmortems/${pm.id}/markdown`, { markdown });
                  await api("POST", `/api/v1/postmortems/${pm.id}/submit`, {
                    reviewers: reviewers
                      .split(",")
                      .map((r) => r.trim())
                      .filter((r) => r !== ""),
                  });
                }, "Submitted for review.")
              }
            >
              Submit for review
            </button>
          </div>
        </div>
      ) : pm.status === "draft" ? (
        <p class="muted">Draft: only its authors ({pm.authors.join(", ")}) edit it.</p>
      ) : null}

      {pm.status === "in-review" ? (
        <div class="card" data-testid="review-panel">
          <div class="tile-label">Review</div>
          {isReviewer ? (
            <form
              onSubmit={(e) => {
                e.preventDefault();
              }}
            >
              <input
                aria-label="Review comment"
                placeholder="Comment (required to request changes)"
                value={comment}
                onInput={(e) => setComment((e.target as HTMLInputElement).value)}
              />
              <div class="filters" style="margin:0">
                <button
                  type="button"
                  onClick={() =>
                    act(async () => {
                      await api("POST", `/api/v1/postmortems/${pm.id}/reviews`, {
                        decision: "approve",
                        ...(comment.trim() ? { comment: comment.trim() } : {}),
                      });
                      setComment("");
                    }, "Approved.")
                  }
                >
                  Approve
                </button>
                <button
                  type="button"
                  class="ghost"
                  disabled={comment.trim() === ""}
                  onClick={() =>
                    act(async () => {
                      await api("POST", `/api/v1/postmortems/${pm.id}/reviews`, {
                        decision: "request-changes",
                        comment: comment.trim(),
                      });
                      setComment("");
                    }, "Changes requested.")
                  }
                >
                  Request changes
                </button>
              </div>
            </form>
          ) : (
            <p class="muted small">Waiting for the named reviewers.</p>
          )}
          {isAuthor ? (
            <p>
              <button
                type="button"
                disabled={!allApproved}
                onClick={() => act(() => api("POST", `/api/v1/postmortems/${pm.id}/publish`), "Published.")}
              >
                Publish
              </button>{" "}
              {!allApproved ? (
                <span class="small muted">Publishing needs every reviewer's approval.</span>
              ) : null}
            </p>
          ) : null}
        </div>
      ) : null}

      <h2>Review comments</h2>
      <p class="small muted">Blamelessness flags are suggestions from nines, never blockers.</p>
      <Comments pm={pm} />
      {pm.status !== "draft" || !isAuthor ? <Sections pm={pm} /> : null}
    </section>
  );
}
