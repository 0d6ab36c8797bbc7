import type { ComponentChildren } from "preact";

/** The centred card used by sign-in, sign-up and invite screens. */
export function AuthCard({ children, footer }: { children: ComponentChildren; footer?: ComponentChildren }) {
  return (
    <section class="auth-page">
      <div class="card auth-card">{children}</div>
      {footer && <p class="auth-footer">{footer}</p>}
    </section>
  );
}
