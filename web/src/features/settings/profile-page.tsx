import { useState } from "preact/hooks";
import type { Me } from "../../../../worker/contracts/auth.ts";
import { authApi } from "../../api/auth.ts";
import { toApiError } from "../../api/problem.ts";
import { formValues, useSubmit } from "../../forms/use-submit.ts";
import { FormAlert, StatusMessage } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { TextInput } from "../../ui/field.tsx";
import { ImagePicker } from "../../ui/image-picker.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { useMe, useSession } from "../auth/session.tsx";

function NameForm({ me, onSaved }: { me: Me; onSaved: (me: Me) => void }) {
  const form = useSubmit();
  const [saved, setSaved] = useState("");
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const v = formValues(e.currentTarget as HTMLFormElement);
    setSaved("");
    void form.submit(async () => {
      onSaved(await authApi.updateMe({ name: v.name ?? "" }));
      setSaved("Name saved.");
    });
  };
  return (
    <form ref={form.formRef} onSubmit={onSubmit} onInput={form.onInput} noValidate class="card stack" aria-labelledby="name-heading">
      <h2 id="name-heading">Your details</h2>
      <FormAlert alertRef={form.alertRef}>{form.problem?.detail}</FormAlert>
      <TextInput label="Name" name="name" defaultValue={me.name} autoComplete="name" required error={form.errors.name} />
      <TextInput label="Email" name="email-readonly" value={me.email} readOnly hint="Your sign-in email can't be changed here." />
      <div class="row">
        <Button type="submit" variant="primary" busy={form.pending}>
          Save name
        </Button>
        <StatusMessage>{saved}</StatusMessage>
      </div>
    </form>
  );
}

function PasswordForm() {
  const form = useSubmit();
  const [saved, setSaved] = useState("");
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const el = e.currentTarget as HTMLFormElement;
    const v = formValues(el);
    setSaved("");
    void form.submit(async () => {
      await authApi.changePassword({ currentPassword: v.currentPassword ?? "", newPassword: v.newPassword ?? "" });
      el.reset();
      setSaved("Password changed. Your other sessions were signed out.");
    });
  };
  return (
    <form ref={form.formRef} onSubmit={onSubmit} onInput={form.onInput} noValidate class="card stack" aria-labelledby="password-heading">
      <h2 id="password-heading">Password</h2>
      <FormAlert alertRef={form.alertRef}>{form.problem?.detail}</FormAlert>
      <TextInput label="Current password" name="currentPassword" type="password" autoComplete="current-password" error={form.errors.currentPassword} />
      <TextInput
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        hint="At least 10 characters. Other devices will be signed out."
        error={form.errors.newPassword}
      />
      <div class="row">
        <Button type="submit" variant="primary" busy={form.pending}>
          Change password
        </Button>
        <StatusMessage>{saved}</StatusMessage>
      </div>
    </form>
  );
}

export default function ProfilePage() {
  const me = useMe();
  const { setMe } = useSession();
  const [avatarError, setAvatarError] = useState<string | undefined>();
  const avatar = async (action: () => Promise<Me>) => {
    setAvatarError(undefined);
    try {
      setMe(await action());
    } catch (e) {
      setAvatarError(toApiError(e).problem.detail);
      throw e;
    }
  };
  return (
    <section class="page narrow">
      <PageHeading title="Profile" subtitle="How your teammates see you across every workspace.">
        Your profile
      </PageHeading>
      <section class="card stack" aria-labelledby="photo-heading">
        <h2 id="photo-heading">Photo</h2>
        <ImagePicker
          label="Profile photo"
          name={me.name}
          currentUrl={me.avatarUrl}
          error={avatarError}
          onUpload={(file) => avatar(() => authApi.uploadAvatar(file))}
          onRemove={() => avatar(() => authApi.deleteAvatar())}
        />
      </section>
      <NameForm me={me} onSaved={setMe} />
      <PasswordForm />
    </section>
  );
}
