import { LinkButton } from "../ui/button.tsx";
import { PageHeading } from "../ui/page-heading.tsx";

export default function NotFoundPage() {
  return (
    <section class="page narrow">
      <PageHeading title="Page not found">Page not found</PageHeading>
      <p>There is nothing at this address. It may have moved, or the link may be mistyped.</p>
      <LinkButton href="/" variant="primary">
        Go to your workspaces
      </LinkButton>
    </section>
  );
}
