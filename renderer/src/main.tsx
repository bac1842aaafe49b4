import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { type BridgeHandle, createBridge } from './bridge.ts';
import './styles.css';

async function pickBridge(): Promise<BridgeHandle> {
  // The fake connector for working on the UI; compiled out of the production build.
  if (import.meta.env.DEV) {
    const params = new URLSearchParams(window.location.search);
    if (params.has('mock')) {
      const { createMockBridge } = await import('../dev/mock-bridge.ts');
      return createMockBridge(params);
    }
  }
  return createBridge();
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

void pickBridge().then((handle) => {
  createRoot(root).render(
    <StrictMode>
      <App handle={handle} />
    </StrictMode>,
  );
});
