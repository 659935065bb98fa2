import { PageTitle } from '../components/ui.tsx';
import { Link } from '../router.tsx';

export function NotFoundPage() {
  return (
    <>
      <PageTitle title="Not found">This page does not exist</PageTitle>
      <p>
        The address may be mistyped, or the page has moved. <Link href="/">Go to the start</Link>
      </p>
    </>
  );
}
