import { useEffect, useState } from "preact/hooks";
import { api } from "./api.js";
import { NAV } from "./nav.js";
import { ActionItemsPage } from "./pages/action-items.js";
import { AlertsPage } from "./pages/alerts.js";
import { ComingSoonPage } from "./pages/coming-soon.js";
import { IncidentDetailPage } from "./pages/incident-detail.js";
import { IncidentsPage } from "./pages/incidents.js";
import { LogsPage } from "./pages/logs.js";
import { NotificationDetailPage, NotificationsPage } from "./pages/notifications.js";
import { OncallPage } from "./pages/oncall.js";
import { PagesPage } from "./pages/pages.js";
import { PostmortemPage } from "./pages/postmortem-editor.js";
import { PostmortemsPage } from "./pages/postmortems.js";
import { ReceiversPage } from "./pages/receivers.js";
import { RoutingPage } from "./pages/routing.js";
import { SignInPage } from "./pages/sign-in.js";
import { SilencesPage } from "./pages/silences.js";
import { SloDetailPage } from "./pages/slo-detail.js";
import { SloListPage } from "./pages/slo-list.js";
import { StatusPage } from "./pages/status.js";
import { TicketsPage } from "./pages/tickets.js";
import { navigate, onLinkClick, useLocation } from "./router.js";
import { useSession } from "./session.js";

type Theme = "light" | "dark";

function useTheme(): [Theme, () => void] {
  const initial =
    (localStorage.getItem("nines.theme") as Theme | null) ??
    (window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
  const [theme, setTheme] = useState<Theme>(initial);
  useEffect(() => {
    document.documentElement.dataset["theme"] = theme;
    localStorage.setItem("nines.theme", theme);
  }, [theme]);
  return [theme, () => setTheme(theme === "dark" ? "light" : "dark")];
}

export function App() {
  const location = useLocation();
  const { session, refresh } = useSession();
  const [theme, toggleTheme] = useTheme();
  const path = location.pathname;
  useEffect(() => {
    document.addEventListener("click", onLinkClick);
    return () => document.removeEventListener("click", onLinkClick);
  }, []);

  const signOut = async () => {
    await api("DELETE", "/api/v1/auth/session");
    refresh();
    navigate("/sign-in");
  };

  const sloMatch = /^\/slos\/([^/]+)\/([^/]+)$/.exec(path);
  const incidentMatch = /^\/incidents\/(inc-\d+)$/.exec(path);
  const notificationMatch = /^\/notifications\/(\d+)$/.exec(path);
  const postmortemMatch = /^\/postmortems\/(pm-\d+)$/.exec(path);
  const mustSignIn = session !== undefined && !session.authenticated && session.requireTokenForReads;
  const page =
    path === "/sign-in" || mustSignIn ? (
      <SignInPage
        onSignedIn={() => {
          refresh();
          navigate(location.searchParams.get("next") ?? "/");
        }}
      />
    ) : path === "/" ? (
      <StatusPage />
    ) : path === "/alerts" ? (
      <AlertsPage />
    ) : path === "/pages" ? (
      <PagesPage query={location.searchParams} />
    ) : path === "/routing" ? (
      <RoutingPage query={location.searchParams} />
    ) : path === "/tickets" ? (
      <TicketsPage query={location.searchParams} />
    ) : path === "/logs" ? (
      <LogsPage query={location.searchParams} />
    ) : path === "/silences" ? (
      <SilencesPage query={location.searchParams} />
    ) : path === "/oncall" ? (
      <OncallPage query={location.searchParams} />
    ) : path === "/receivers" ? (
      <ReceiversPage query={location.searchParams} />
    ) : path === "/notifications" ? (
      <NotificationsPage query={location.searchParams} />
    ) : notificationMatch ? (
      <NotificationDetailPage id={Number(notificationMatch[1])} />
    ) : path === "/incidents" ? (
      <IncidentsPage query={location.searchParams} />
    ) : incidentMatch ? (
      <IncidentDetailPage id={incidentMatch[1]!} />
    ) : path === "/postmortems" ? (
      <PostmortemsPage query={location.searchParams} />
    ) : postmortemMatch ? (
      <PostmortemPage id={postmortemMatch[1]!} />
    ) : path === "/action-items" ? (
      <ActionItemsPage />
    ) : path === "/slos" ? (
      <SloListPage query={location.searchParams} />
    ) : sloMatch ? (
      <SloDetailPage
        service={decodeURIComponent(sloMatch[1]!)}
        name={decodeURIComponent(sloMatch[2]!)}
        query={location.searchParams}
      />
    ) : (
      <ComingSoonPage item={NAV.find((n) => n.path === path)} />
    );

  return (
    <div class="shell">
      <header class="topbar">
        <a href="/" class="brand" aria-label="nines home">
          nines
        </a>
        <div class="topbar-right">
          <button type="button" class="ghost" onClick={toggleTheme} aria-label="Toggle light or dark theme">
            {theme === "dark" ? "Light theme" : "Dark theme"}
          </button>
          {session?.authenticated ? (
            <span class="who">
              <span data-testid="who">{session.name}</span> <span class="badge">{session.scope}</span>{" "}
              <button type="button" class="ghost" onClick={signOut}>
                Sign out
              </button>
            </span>
          ) : (
            <a href="/sign-in" class="button">
              Sign in
            </a>
          )}
        </div>
      </header>
      <nav class="sidebar" aria-label="Main">
        {NAV.map((item) => (
          <a
            href={item.path}
            class={isActive(item.path, path) ? "active" : ""}
            aria-current={isActive(item.path, path) ? "page" : undefined}
          >
            {item.label}
          </a>
        ))}
      </nav>
      <main class="content">{page}</main>
    </div>
  );
}

function isActive(item: string, path: string): boolean {
  return item === "/" ? path === "/" : path === item || path.startsWith(`${item}/`);
}
