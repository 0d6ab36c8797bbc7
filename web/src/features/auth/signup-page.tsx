import { useLocation } from "preact-iso";
import { authApi } from "../../api/auth.ts";
import { formValues, useSubmit } from "../../forms/use-submit.ts";
import { FormAlert } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { TextInput } from "../../ui/field.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { AuthCard } from "./auth-card.tsx";
import { safeNext, withNext } from "./next-url.ts";
import { useSession } from "./session.tsx";

export default function SignupPage() {
  const { query, route } = useLocation();
  const { setMe } = useSession();
  const form = useSubmit();
  const next = safeNext(query.next);

  const onSubmit = (e: Event) => {
    e.preventDefault();
    const v = formValues(e.currentTarget as HTMLFormElement);
    void form.submit(async () => {
      const me = await authApi.signup({ name: v.name ?? "", email: v.email ?? "", password: v.password ?? "" });
      setMe(me);
      route(next === "/" ? "/workspaces/new" : next, true);
    });
  };

  return (
    <AuthCard
      footer={
        <>
          Already have an account? <a href={withNext("/login", query.next)}>Log in</a>
        </>
      }
    >
      <PageHeading title="Create your account" subtitle="Plan, schedule and publish together with your team.">
        Create your account
      </PageHeading>
      <form ref={form.formRef} onSubmit={onSubmit} onInput={form.onInput} noValidate class="stack">
        <FormAlert alertRef={form.alertRef}>{form.problem?.detail}</FormAlert>
        <TextInput label="Your name" name="name" autoComplete="name" required error={form.errors.name} />
        <TextInput label="Email" name="email" type="email" autoComplete="email" required error={form.errors.email} />
        <TextInput
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 10 characters."
          error={form.errors.password}
        />
        <Button type="submit" variant="primary" busy={form.pending} class="btn-block">
          {form.pending ? "Creating account…" : "Create account"}
        </Button>
      </form>
    </AuthCard>
  );
}
