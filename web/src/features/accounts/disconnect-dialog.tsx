import { useState } from "preact/hooks";
import type { Connection } from "../../../../worker/contracts/connections.ts";
import { toApiError } from "../../api/problem.ts";
import { FormAlert } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { Dialog } from "../../ui/dialog.tsx";

interface DisconnectDialogProps {
  connection: Connection | null;
  platformName: string;
  onClose: () => void;
  onConfirm: (c: Connection) => Promise<void>;
}

/** Says what disconnecting does before it happens: revoke at the platform, delete tokens now, purge the rest later. */
export function DisconnectDialog({ connection, platformName, onClose, onConfirm }: DisconnectDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    setError(null);
    onClose();
  };
  const confirm = async () => {
    if (!connection) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm(connection);
    } catch (e) {
      setError(toApiError(e).problem.detail);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={connection !== null} onClose={close} title={`Disconnect ${connection?.name ?? ""}?`}>
      <FormAlert>{error}</FormAlert>
      <p>Atelier will stop publishing to and reading from this {platformName} account:</p>
      <ul class="dialog-list">
        <li>Atelier deletes the account's tokens now and revokes its access at {platformName} — unless another channel you connected with the same {platformName} login still uses that access, which then stays until the last one is disconnected.</li>
        <li>The rest of its data in Atelier is purged within 30 days.</li>
      </ul>
      <p class="muted small">You can connect it again at any time.</p>
      <div class="dialog-actions">
        <Button onClick={close} data-autofocus>
          Cancel
        </Button>
        <Button variant="danger" busy={busy} onClick={() => void confirm()}>
          Disconnect
        </Button>
      </div>
    </Dialog>
  );
}
