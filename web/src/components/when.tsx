import { relative } from "../format.js";

/** A time shown relative ("5m ago"), with the absolute UTC time on hover. */
export function When({ at }: { at: number }) {
  const iso = new Date(at).toISOString();
  return (
    <time dateTime={iso} title={iso}>
      {relative(at)}
    </time>
  );
}
