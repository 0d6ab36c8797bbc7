import type { ComponentChildren, ComponentType } from "preact";
import { ErrorBoundary, LocationProvider, Route, Router, lazy, useLocation } from "preact-iso";
import { RequireAuth, SessionProvider, useSession } from "./features/auth/session.tsx";
import { WorkspaceProvider } from "./features/workspaces/workspace-context.tsx";
import { AppShell } from "./shell/app-shell.tsx";
import { WorkspaceNav } from "./shell/workspace-nav.tsx";

const LoginPage = lazy(() => import("./features/auth/login-page.tsx"));
const SignupPage = lazy(() => import("./features/auth/signup-page.tsx"));
const InvitePage = lazy(() => import("./features/team/invite-page.tsx"));
const RootRedirect = lazy(() => import("./features/workspaces/root-redirect.tsx"));
const NewWorkspacePage = lazy(() => import("./features/workspaces/new-workspace-page.tsx"));
const WorkspaceHomePage = lazy(() => import("./features/workspaces/workspace-home-page.tsx"));
const TeamPage = lazy(() => import("./features/team/team-page.tsx"));
const WorkspaceSettingsPage = lazy(() => import("./features/settings/workspace-settings-page.tsx"));
const AccountsPage = lazy(() => import("./features/accounts/accounts-page.tsx"));
const SelectChannelsPage = lazy(() => import("./features/accounts/select-channels-page.tsx"));
const MediaPage = lazy(() => import("./features/media/media-page.tsx"));
const AuditPage = lazy(() => import("./features/audit/audit-page.tsx"));
const CalendarPage = lazy(() => import("./features/calendar/calendar-page.tsx"));
const ComposerPage = lazy(() => import("./features/composer/composer-page.tsx"));
const InboxPage = lazy(() => import("./features/inbox/inbox-page.tsx"));
const RulesPage = lazy(() => import("./features/rules/rules-page.tsx"));
const ProfilePage = lazy(() => import("./features/settings/profile-page.tsx"));
const NotFoundPage = lazy(() => import("./shell/not-found-page.tsx"));

/** Wraps a page so it only renders for a signed-in user. */
function signedIn<P extends object>(Page: ComponentType<P>): ComponentType<P> {
  return (props: P) => (
    <RequireAuth>
      <Page {...props} />
    </RequireAuth>
  );
}

const Home = signedIn(RootRedirect);
const NewWorkspace = signedIn(NewWorkspacePage);
const WorkspaceHome = signedIn(WorkspaceHomePage);
const Team = signedIn(TeamPage);
const Settings = signedIn(WorkspaceSettingsPage);
const Audit = signedIn(AuditPage);
const Accounts = signedIn(AccountsPage);
const Media = signedIn(MediaPage);
const SelectChannels = signedIn(SelectChannelsPage);
const Profile = signedIn(ProfilePage);
const Calendar = signedIn(CalendarPage);
const Composer = signedIn(ComposerPage);
const Inbox = signedIn(InboxPage);
const Rules = signedIn(RulesPage);

const WORKSPACE_PATH = /^\/w\/([^/]+)/;

/** Keeps one workspace (and its live socket) mounted across that workspace's pages. */
function WorkspaceScope({ children }: { children: ComponentChildren }) {
  const { path } = useLocation();
  const { state } = useSession();
  const id = WORKSPACE_PATH.exec(path)?.[1];
  if (!id || state.status !== "signed-in") return <>{children}</>;
  return (
    <WorkspaceProvider key={id} id={decodeURIComponent(id)}>
      {children}
    </WorkspaceProvider>
  );
}

function Routes() {
  return (
    <Router>
      <Route path="/login" component={LoginPage} />
      <Route path="/signup" component={SignupPage} />
      <Route path="/invite/:token" component={InvitePage} />
      <Route path="/" component={Home} />
      <Route path="/workspaces/new" component={NewWorkspace} />
      <Route path="/w/:id" component={WorkspaceHome} />
      <Route path="/w/:id/accounts" component={Accounts} />
      <Route path="/w/:id/accounts/select/:grantId" component={SelectChannels} />
      <Route path="/w/:id/media" component={Media} />
      <Route path="/w/:id/calendar" component={Calendar} />
      <Route path="/w/:id/inbox" component={Inbox} />
      <Route path="/w/:id/rules" component={Rules} />
      {/* One component for both, so the first autosave can move a new post to its own URL without remounting. */}
      <Route path="/w/:id/compose" component={Composer} />
      <Route path="/w/:id/posts/:postId" component={Composer} />
      <Route path="/w/:id/team" component={Team} />
      <Route path="/w/:id/settings" component={Settings} />
      <Route path="/w/:id/audit" component={Audit} />
      <Route path="/settings/profile" component={Profile} />
      <Route default component={NotFoundPage} />
    </Router>
  );
}

export function App() {
  return (
    <LocationProvider>
      <SessionProvider>
        <WorkspaceScope>
          <AppShell>
            <WorkspaceNav />
            <ErrorBoundary onError={(e) => console.error(e)}>
              <Routes />
            </ErrorBoundary>
          </AppShell>
        </WorkspaceScope>
      </SessionProvider>
    </LocationProvider>
  );
}
