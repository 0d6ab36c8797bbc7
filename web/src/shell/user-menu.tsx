import { useLocation } from "preact-iso";
import type { Me } from "../../../worker/contracts/auth.ts";
import { authApi } from "../api/auth.ts";
import { useSession } from "../features/auth/session.tsx";
import { Avatar } from "../ui/avatar.tsx";
import { Menu } from "../ui/menu.tsx";

export function UserMenu({ me }: { me: Me }) {
  const { setMe } = useSession();
  const { route } = useLocation();
  const logout = async () => {
    try {
      await authApi.logout();
    } finally {
      setMe(null);
      route("/login", true);
    }
  };
  return (
    <Menu label={`Account: ${me.name}`} trigger={<Avatar name={me.name} src={me.avatarUrl} size="sm" label="" />}>
      {(close) => (
        <div>
          <p class="menu-note">
            <strong>{me.name}</strong>
            <br />
            <span class="muted">{me.email}</span>
          </p>
          <ul class="menu-list">
            <li>
              <a class="menu-item" href="/settings/profile" onClick={close}>
                Profile
              </a>
            </li>
            <li>
              <button type="button" class="menu-item" onClick={() => void logout()}>
                Log out
              </button>
            </li>
          </ul>
        </div>
      )}
    </Menu>
  );
}
