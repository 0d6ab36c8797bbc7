import { ProblemError } from "../http/problems";
import { checkImportUrl } from "./ssrf";

const MAX_REDIRECTS = 5;

const refused = (message: string) => new ProblemError("validation", `This address cannot be imported: ${message}`, { errors: [{ path: "url", message }] });

/**
 * Fetches an import URL without ever following a redirect blindly: each hop's target goes through the
 * SSRF guard again before it is requested. Returns the final 2xx response, its body unread.
 */
export async function fetchImport(fetchFn: typeof fetch, raw: string): Promise<{ response: Response; url: URL }> {
  let verdict = checkImportUrl(raw);
  for (let hop = 0; ; hop++) {
    if (!verdict.ok) throw refused(verdict.reason);
    const url = verdict.url;
    let response: Response;
    try {
      response = await fetchFn(new Request(url, { redirect: "manual", headers: { Accept: "image/*, video/*" } }));
    } catch {
      throw refused("the server could not be reached.");
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      const location = response.headers.get("Location");
      if (!location) throw refused(`the server answered ${response.status} without saying where to go.`);
      if (hop + 1 > MAX_REDIRECTS) throw refused(`it redirects more than ${MAX_REDIRECTS} times.`);
      verdict = checkImportUrl(new URL(location, url).toString());
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw refused(`the server answered ${response.status}.`);
    }
    return { response, url };
  }
}
