import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A route's error boundary (ui.md §4.13): "Something went wrong" with Reload and Copy details, instead of a blank
 * page (also what a route chunk that fails to load after a redeploy shows). `resetKey` clears it on navigation.
 */
export class ErrorBoundary extends Component<{ resetKey: string; children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }

  override componentDidUpdate(previous: { resetKey: string }) {
    if (previous.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  override render() {
    return this.state.error ? <ErrorPanel error={this.state.error} /> : this.props.children;
  }
}

function ErrorPanel({ error }: { error: Error }) {
  const { t } = useTranslation();
  const details = `${error.name}: ${error.message}\n${error.stack ?? ''}\n${window.location.href}`;
  return (
    <div role="alert" className="m-auto max-w-md p-6 text-center">
      <h1 className="text-lg font-semibold">{t('crash.title')}</h1>
      <p className="mt-1 text-sm text-text-muted">{t('crash.body')}</p>
      <div className="mt-4 flex justify-center gap-2">
        <button type="button" onClick={() => window.location.reload()} className="rounded-control bg-accent px-3 py-1.5 font-medium text-accent-fg">
          {t('crash.reload')}
        </button>
        <button
          type="button"
          onClick={() => void navigator.clipboard?.writeText(details).catch(() => undefined)}
          className="rounded-control border border-border px-3 py-1.5"
        >
          {t('crash.copy')}
        </button>
      </div>
    </div>
  );
}
