import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '../shell/PageHeader';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('notFound.title')} />
      <div className="m-auto max-w-sm p-6 text-center">
        <p className="text-text-muted">{t('notFound.body')}</p>
        <Link to="/" className="mt-3 inline-block font-medium text-accent hover:underline">
          {t('actions.goHome')}
        </Link>
      </div>
    </>
  );
}
