import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Vocabulary } from '@shared/app/vocabulary';
import { App } from './app';
import { completeCognitoSignIn } from './lib/auth';
import { api } from './lib/api';
import { loadConfig } from './lib/config';
import { navigate } from './lib/router';
import { VocabularyProvider } from './lib/vocab';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);

async function boot(): Promise<void> {
  await loadConfig();
  const returnTo = await completeCognitoSignIn();
  const loadVocabulary = async () => (await api.get<Vocabulary>('/vocabulary', { anonymous: true })).data;
  const vocab = await loadVocabulary();
  if (returnTo) navigate(returnTo, { replace: true });
  root.render(
    <StrictMode>
      <VocabularyProvider value={vocab} load={loadVocabulary}>
        <App />
      </VocabularyProvider>
    </StrictMode>,
  );
}

boot().catch((error: unknown) => {
  root.render(
    <main className="page">
      <h1>系统暂时无法打开</h1>
      <p role="alert">{error instanceof Error ? error.message : String(error)}</p>
      <button type="button" onClick={() => window.location.reload()}>
        重试
      </button>
    </main>,
  );
});
