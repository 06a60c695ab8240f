// Closing the window to the tray (issue 18, the light resident). The shell ends the
// window and its webview when it is closed, so that WebKit's memory goes away while
// Avvik stays in the tray for the reminders. Before it does, it calls
// `window.__avvikBeforeClose`: what is typed is saved (every open form registers its
// saving here), the screen is named in a short token, and the shell is told to go on.
// When the window is opened again, the app goes back to that screen.

/** Saves what a form holds; resolves to its screen token when it is the screen shown. */
export type BeforeClose = () => Promise<string | null | void>;

const savers = new Set<BeforeClose>();

/** Registers a form's saving before the window closes; returns the unregistering. */
export function beforeClose(save: BeforeClose): () => void {
  savers.add(save);
  return () => void savers.delete(save);
}

/**
 * Runs every registered saving (a failed one does not stop the others: its form has
 * said so on the screen and keeps its text in the store's last save) and returns the
 * screen token a form gave, if any.
 */
export async function saveAll(): Promise<string | null> {
  let screen: string | null = null;
  for (const save of [...savers]) {
    try {
      const token = await save();
      if (typeof token === "string") screen = token;
    } catch {
      // The form shows its own failure; closing goes on.
    }
  }
  return screen;
}

/** A screen the app can go back to: a view, and for a case or a draft its id. */
export type Screen =
  | { name: "dashboard" | "register" | "inbox" | "settings" | "help" }
  | { name: "case"; id: string }
  | { name: "wizard"; id: string | null };

const PLAIN = ["dashboard", "register", "inbox", "settings", "help"] as const;

export function screenToken(s: Screen): string {
  switch (s.name) {
    case "case":
      return `case:${s.id}`;
    case "wizard":
      return `wizard:${s.id ?? ""}`;
    default:
      return s.name;
  }
}

/** The screen a token names, or null for one this build does not know. */
export function parseScreen(token: string | null): Screen | null {
  if (!token) return null;
  const plain = PLAIN.find((p) => p === token);
  if (plain) return { name: plain };
  const [name, id] = [token.slice(0, token.indexOf(":")), token.slice(token.indexOf(":") + 1)];
  if (name === "case" && id) return { name: "case", id };
  if (name === "wizard") return { name: "wizard", id: id || null };
  return null;
}
