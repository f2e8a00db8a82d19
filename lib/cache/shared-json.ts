// The JSON of a shared page read, made once per read (issue #20 item 2). A client component that
// draws a page's data (the overview, the rollout page's charts) gets it as one JSON string instead
// of an object tree: React's Flight protocol would otherwise walk and encode every object of it on
// the server and decode it again for the HTML render, on every view, although every viewer within
// the read's second gets the same object (lib/cache/page-data.ts). The string is the same JSON the
// live refresh fetches from the API, so the client reads one shape either way.
const made = new WeakMap<object, string>();

/** JSON.stringify(value), computed once per object: pass it the object a shared read answered. */
export function sharedJson(value: object): string {
  let json = made.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    made.set(value, json);
  }
  return json;
}
